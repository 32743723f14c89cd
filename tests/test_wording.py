"""Shared wording rules."""

from __future__ import annotations

import pytest

from advisor.wording import lower_first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Knowledge", "knowledge"),
        ("Personal identity and data management", "personal identity and data management"),
        ("IT resources (computing and storage)", "IT resources (computing and storage)"),
        ("A shared hub with live feeds", "a shared hub with live feeds"),
        ("", ""),
    ],
)
def test_lower_first(text: str, expected: str) -> None:
    assert lower_first(text) == expected
