"""Notice text that would make a name read otherwise than it is, or that an entry cannot hold,
never stops an import: it is cleaned, or its process is left out and counted."""

from __future__ import annotations

import contextlib
import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
from awards_paths import REAL, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from advisor.awards import extract
from advisor.awards.compile import compiled_release, new_merger
from advisor.kb.loader import load_knowledge_base
from advisor.kb.market_rules import bundled_market_rules
from advisor.kb.models import AwardedProcess, AwardParty
from advisor.services import awards
from advisor.services.awards import REFUSED, import_awards_to_folder


def _feed(tmp_path: Path, supplier: str) -> Path:
    """The first three real releases, the first one's supplier renamed."""
    package = json.loads(REAL.read_text(encoding="utf-8"))
    package["releases"] = package["releases"][:3]
    first = package["releases"][0]
    named = [p for p in first["parties"] if "supplier" in p.get("roles", [])]
    named += [s for a in first.get("awards", []) for s in a.get("suppliers", [])]
    assert named, "the first release names a supplier"
    for party in named:
        party["name"] = supplier
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_direction_controls_and_broken_characters_are_taken_out(
    kb_copy: Path, tmp_path: Path
) -> None:
    feed = _feed(tmp_path, "Reversed \u202eSupplier\u2066 Ltd\ud800")
    summary = import_awards_to_folder(kb_copy, [feed], today=TODAY)
    assert summary.imported == 3
    assert REFUSED not in summary.skipped
    names = {s.name for s in load_knowledge_base(kb_copy).suppliers}
    assert "Reversed Supplier Ltd" in names


def test_a_process_an_entry_cannot_hold_is_left_out_and_counted(
    kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extract.process_from_release

    def refusing(compiled: dict[str, object], *args: object, **kwargs: object) -> object:
        if str(compiled["ocid"]).endswith("9c16-bbd0e5933625"):  # the first release's process
            AwardParty(name="\u202e")  # what validation says of text no rule cleaned
        return real(compiled, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.raises(ValidationError):
        AwardParty(name="\u202e")
    monkeypatch.setattr(awards, "process_from_release", refusing)
    summary = import_awards_to_folder(kb_copy, [_feed(tmp_path, "Plain Supplier Ltd")], today=TODAY)
    assert summary.skipped[REFUSED] == 1
    assert summary.imported == 2


# --- fuzzing one process's notice: a process, or nothing (counted), never an error ----------

FUZZ_EXAMPLES = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "0"))
"""0 in CI (a small, fixed slice); ``make fuzz`` may set a large count."""

ODD_TEXT = st.one_of(
    st.text(),
    st.sampled_from(
        [
            "\u202eevil\u202c",
            "\ud800",
            "\x1b]0;x\x07",
            "\u2028\u2029",
            "\u200b",
            "x" * 5000,
            " Ltd ",
            "",
            "Withheld Section94 supplier",
        ]
    ),
)
ODD_VALUE = st.one_of(
    st.none(),
    st.integers(),
    st.floats(),
    ODD_TEXT,
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)
_RELEASE = json.loads(REAL.read_text(encoding="utf-8"))["releases"][0]
_RULES = bundled_market_rules()


def _spoilt(release: dict[str, Any], path: tuple[str | int, ...], value: object) -> dict[str, Any]:
    spoilt = copy.deepcopy(release)
    here: Any = spoilt
    for step in path[:-1]:
        here = here[step]
    here[path[-1]] = value
    return spoilt


_PATHS: list[tuple[str | int, ...]] = [
    ("buyer", "name"),
    ("parties", 0, "name"),
    ("parties", 1, "name"),
    ("parties", 1, "identifier"),
    ("tender", "title"),
    ("tender", "description"),
    ("tender", "classification"),
    ("tender", "classification", "id"),
    ("awards", 0, "title"),
    ("awards", 0, "value"),
    ("awards", 0, "value", "amount"),
    ("awards", 0, "value", "currency"),
    ("awards", 0, "date"),
    ("awards", 0, "suppliers"),
    ("awards", 0, "suppliers", 0, "name"),
    ("awards", 0, "contractPeriod"),
    ("awards", 0, "contractPeriod", "endDate"),
    ("awards", 0, "id"),
]


@settings(
    max_examples=FUZZ_EXAMPLES or 150,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(_PATHS), ODD_VALUE), min_size=1, max_size=4))
def test_fuzz_a_process_from_one_notice(changes: list[tuple[tuple[str | int, ...], Any]]) -> None:
    release = _RELEASE
    for path, value in changes:
        try:
            release = _spoilt(release, path, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change took away where this one goes
    tally = extract.Tally()
    when = extract.release_date(_RELEASE["date"])
    assert when is not None
    process = extract.process_from_release(release, str(release["id"]), when, _RULES, TODAY, tally)
    if process is None:
        assert sum(tally.skipped.values()) == 1  # left out for one stated reason
        return
    # what is kept holds nothing the knowledge base refuses: it survives its own checks
    assert AwardedProcess.model_validate_json(process.model_dump_json()) == process


@settings(
    max_examples=FUZZ_EXAMPLES or 100,
    derandomize=not FUZZ_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.lists(st.tuples(st.sampled_from(_PATHS), ODD_VALUE), max_size=3),
    st.lists(st.tuples(st.sampled_from(_PATHS), ODD_VALUE), max_size=3),
)
def test_fuzz_a_process_compiled_from_two_notices(
    tender_changes: list[tuple[tuple[str | int, ...], Any]],
    award_changes: list[tuple[tuple[str | int, ...], Any]],
) -> None:
    """A tender notice and an award notice of one process, either spoilt, compiled (by the
    shortcut or by ocdsmerge) and read: a process, or nothing for a stated reason."""
    tender_notice = {k: v for k, v in _RELEASE.items() if k not in ("awards", "contracts")}
    tender_notice |= {"id": "tender-1", "date": "2024-11-01T10:00:00Z", "tag": ["tender"]}
    notices = []
    for notice, changes in ((tender_notice, tender_changes), (_RELEASE, award_changes)):
        for path, value in changes:
            with contextlib.suppress(KeyError, IndexError, TypeError):
                notice = _spoilt(notice, path, value)
        notices.append(copy.deepcopy(notice))
    compiled = compiled_release(notices, new_merger())
    if compiled is None:  # left out by the import, counted as UNMERGEABLE
        return
    tally = extract.Tally()
    when = extract.release_date(_RELEASE["date"])
    assert when is not None
    process = extract.process_from_release(compiled, "award-1", when, _RULES, TODAY, tally)
    if process is None:
        assert sum(tally.skipped.values()) >= 1
        return
    assert AwardedProcess.model_validate_json(process.model_dump_json()) == process
