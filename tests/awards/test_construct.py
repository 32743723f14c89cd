"""Awards are built without validating again what the import has shown to pass: the same
entries as full validation gives, and text the rules refuse is refused as before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from awards_paths import CONSTRUCTED, NEWER, REAL, TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from advisor.awards import extract
from advisor.awards.extract import Tally, text_passes
from advisor.base import MAX_NAME, text_problem
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.kb.market_rules import load_market_rules
from advisor.kb.models import AwardedProcess, AwardParty, ContractAward
from advisor.services.awards import read_processes

TRICKY = [
    "",
    " ",
    "a",
    "Meeco Ltd",
    "\u202eevil",  # a text-direction override
    "a\u2028b",  # a line separator
    "a\nb",
    "a\tb",
    "\u3164",  # a Hangul filler: a letter that shows nothing
    "\u200b",  # a zero-width space
    "e\u0301",  # a combining accent
    "\ud800",  # half a surrogate pair
    "\x1b[31m",
    "\x85",
    "\xa0x\xa0",
    "ok\u200e",
]


@pytest.mark.parametrize("value", TRICKY)
@pytest.mark.parametrize("multiline", [False, True])
@pytest.mark.parametrize("required", [False, True])
def test_text_passes_agrees_with_text_problem(value: str, multiline: bool, required: bool) -> None:
    expected = text_problem(value, multiline=multiline, required=required) is None
    assert text_passes(value, multiline=multiline, required=required) == expected
    assert text_passes(value, multiline=multiline, required=required) == expected  # cached


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.characters(codec=None), max_size=12), st.booleans(), st.booleans())
def test_text_passes_agrees_with_text_problem_on_any_text(
    value: str, multiline: bool, required: bool
) -> None:
    expected = text_problem(value, multiline=multiline, required=required) is None
    assert text_passes(value, multiline=multiline, required=required) == expected


def _outcome(build: Any, **fields: Any) -> tuple[str, Any]:
    try:
        built = build(**fields)
    except ValidationError as exc:
        return "refused", [(e["loc"], e["msg"]) for e in exc.errors()]
    assert isinstance(built, BaseModel)
    return "built", (type(built), built.model_dump(), built.model_fields_set)


@pytest.mark.parametrize("name", [*TRICKY, " padded ", "x" * 201, "x" * 200])
@pytest.mark.parametrize("identifier", [None, "GB-COH-01616977", " GB-COH-1 ", "\u202e", ""])
def test_a_party_is_built_as_validation_builds_it(name: str, identifier: str | None) -> None:
    assert _outcome(extract._party_model, name=name, identifier=identifier) == _outcome(
        AwardParty, name=name, identifier=identifier
    )


AWARD: dict[str, Any] = {
    "id": "A1",
    "title": "Data platform",
    "description": "Line one\nline two",
    "suppliers": [AwardParty(name="Meeco Ltd")],
    "withheld": False,
    "value_gbp": 1000,
    "currency": None,
    "amount": None,
    "awarded_on": date(2025, 1, 1),
    "start": None,
    "end": date(2026, 1, 1),
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"id": " A1"},
        {"id": ""},
        {"id": "x" * 201},
        {"title": "\u202e"},
        {"title": None, "description": None},
        {"description": "\x1b"},
        {"description": "a\tb"},
        {"value_gbp": None, "currency": "EUR", "amount": 90000.0},
        {"value_gbp": None, "currency": "eur", "amount": 1.0},
        {"value_gbp": None, "currency": "USD", "amount": float("inf")},
        {"value_gbp": 10**13 + 1},
        {"value_gbp": -1},
        {"withheld": True, "suppliers": []},
    ],
)
def test_an_award_is_built_as_validation_builds_it(changes: dict[str, Any]) -> None:
    fields = {**AWARD, **changes}
    assert _outcome(extract._award_model, **fields) == _outcome(ContractAward, **fields)


PROCESS: dict[str, Any] = {
    "id": "ocds_x_1",
    "ocid": "ocds-x-1",
    "release_id": "r1",
    "release_date": datetime(2025, 1, 1, tzinfo=UTC),
    "buyer": AwardParty(name="Leeds City Council"),
    "buyer_kind": None,
    "title": "Data platform",
    "description": None,
    "cpv": ["72300000"],
    "technology_areas": [],
    "framework": None,
    "framework_text": "Call-off from G-Cloud 14",
    "notice_url": "https://www.find-tender.service.gov.uk/Notice/000202-2025",
    "awards": [ContractAward.model_validate(AWARD)],
    "source": "Find a Tender (Open Government Licence)",
}


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"id": "Ocds_x"},
        {"id": "x" * 81},
        {"ocid": "ab"},
        {"ocid": " ocds-x-1"},
        {"release_id": " r1"},
        {"release_id": "r\u202e1"},
        {"release_id": "x" * (MAX_NAME + 1)},
        {"title": "\u3164"},
        {"cpv": ["7230000\u0663"]},  # an Arabic-Indic digit
        {"notice_url": "https://"},
        {"notice_url": "https://example.org"},  # given back with a '/' added
        {"notice_url": None},
        {"awards": []},
        {"source": "ab"},
        {"source": "OCDS publisher ocds-\u202e (public contract notices)"},
    ],
)
def test_a_process_is_built_as_validation_builds_it(changes: dict[str, Any]) -> None:
    fields = {**PROCESS, **changes}
    assert _outcome(extract._process_model, **fields) == _outcome(AwardedProcess, **fields)


def _processes(paths: list[Path]) -> list[AwardedProcess]:
    rules = load_market_rules(BUNDLED_KB_DIR)
    processes, _ = read_processes(paths, rules, TODAY, Tally())
    return list(processes)


def test_the_fixtures_give_what_full_validation_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [REAL, CONSTRUCTED, NEWER]
    built = _processes(paths)

    def validating(cls: type[BaseModel], _fields_set: Any = None, /, **fields: Any) -> BaseModel:
        given = {k: v for k, v in fields.items() if _fields_set is None or k in _fields_set}
        return cls(**given)

    for model in (AwardParty, ContractAward, AwardedProcess):
        monkeypatch.setattr(model, "model_construct", classmethod(validating))
    validated = _processes(paths)
    assert len(built) == len(validated) > 10
    for one, other in zip(built, validated, strict=True):
        assert one == other
        assert one.model_dump(mode="json") == other.model_dump(mode="json")
        assert one.model_fields_set == other.model_fields_set
        assert one.awards[0].model_fields_set == other.awards[0].model_fields_set


@pytest.mark.parametrize("identifier", [None, "GB-COH-01616977"])
def test_a_matched_party_is_what_model_copy_gives(identifier: str | None) -> None:
    from advisor.awards.names import Match
    from advisor.services.awards import _matched

    party = extract._party_model("Meeco Ltd", identifier)
    found = Match("meeco", "vendor", "name", 0.9)
    matched = _matched(party, found)
    copied = party.model_copy(
        update={"match": "meeco", "match_kind": "vendor", "match_by": "name", "confidence": 0.9}
    )
    assert matched == copied
    assert matched.model_dump() == copied.model_dump()
    assert matched.model_fields_set == copied.model_fields_set
    assert party.match is None  # the party itself is left as it was
    matched.name = "Meeco Limited"  # assignment still validated, and counted as set
    assert "name" in matched.model_fields_set
    assert _matched(party, None) is party


@pytest.mark.parametrize("limit", [5, MAX_NAME])
@pytest.mark.parametrize("multiline", [False, True])
def test_short_texts_are_cleaned_once_and_alike(limit: int, multiline: bool) -> None:
    for value in [*TRICKY, "  a  b\r\nc ", "x" * 299, "x" * 301, "Supplier 0001 Limited"]:
        expected = extract._clean(value, limit, multiline)
        assert extract.clean_text(value, limit, multiline=multiline) == expected
        assert extract.clean_text(value, limit, multiline=multiline) == expected
    assert extract.clean_text(17, limit) is None


def test_every_character_pydantic_strips_is_a_space_to_python() -> None:
    """What ``_fits`` relies on to know a text needs no stripping."""
    import sys
    from typing import Annotated

    from pydantic import StringConstraints, TypeAdapter

    stripping = TypeAdapter(Annotated[str, StringConstraints(strip_whitespace=True)])
    stripped = "".join(
        chr(cp)
        for cp in range(sys.maxunicode + 1)
        if not 0xD800 <= cp <= 0xDFFF and stripping.validate_python(f"{chr(cp)}x") != f"{chr(cp)}x"
    )
    assert stripped
    assert all(ch.isspace() for ch in stripped)
