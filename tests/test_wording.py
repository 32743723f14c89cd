"""Shared wording rules."""

from __future__ import annotations

import pytest

from advisor.wording import join_words, lower_first, upper_first


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Knowledge", "knowledge"),
        ("Personal identity and data management", "personal identity and data management"),
        ("IT resources (computing and storage)", "IT resources (computing and storage)"),
        ("A shared hub with live feeds", "a shared hub with live feeds"),
        ("Blue Badge validation from combined data", "Blue Badge validation from combined data"),
        ("Open Identity Exchange", "Open Identity Exchange"),
        ("Social care CRM", "social care CRM"),
        ("", ""),
    ],
)
def test_lower_first(text: str, expected: str) -> None:
    assert lower_first(text) == expected


@pytest.mark.parametrize(
    ("items", "word", "sep", "expected"),
    [
        ([], "and", ", ", ""),
        (["a"], "and", ", ", "a"),
        (["a", "b"], "or", ", ", "a or b"),
        (["a", "b", "c"], "and", ", ", "a, b and c"),
        (["x, y", "z"], "and", "; ", "x, y; and z"),
    ],
)
def test_join_words(items: list[str], word: str, sep: str, expected: str) -> None:
    assert join_words(items, word, sep) == expected


def test_upper_first_changes_only_the_first_letter() -> None:
    assert upper_first("your goal 'Earlier help'") == "Your goal 'Earlier help'"
