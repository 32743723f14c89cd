"""The advice says how sure it is: a body that knows little gets finding-out first, not a
confident shortlist or an above-threshold procedure; a small budget is told what it can fund."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from advisor.assessment_input import parse_assessment_input
from advisor.errors import InputError
from advisor.kb.loader import load_knowledge_base
from advisor.matching import MatchIndex, build_index, match_profile
from advisor.profile import Profile
from advisor.recommendation import Recommendation

PERSONAS = Path(__file__).parent / "personas"
TODAY = date(2026, 12, 1)
ABOVE_THRESHOLD = {"open_procedure", "competitive_flexible_procedure"}
KEPT = {
    "org_name",
    "org_kind",
    "org_region",
    "org_data_staff",
    "org_population",
    "goal_touchpoints",
}
"""What the small district does know about itself."""


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return build_index(load_knowledge_base())


def _mostly_unknown() -> dict[str, Any]:
    """The legal_blocked persona's district, answering "don't know" to nearly everything, with
    no data staff and no budget."""
    doc = yaml.safe_load((PERSONAS / "legal_blocked.yaml").read_text())
    answers = {
        qid: (value if qid in KEPT else "dont_know") for qid, value in doc["answers"].items()
    }
    answers["org_data_staff"] = 0
    doc["answers"] = answers
    return doc


def _match(doc: dict[str, Any], index: MatchIndex) -> Recommendation:
    # "don't know" hides the follow-up questions: drop the answers the form would not show
    for _ in range(5):
        try:
            profile = parse_assessment_input(yaml.safe_dump(doc), "unknowns.yaml").profile
            break
        except InputError as err:
            hidden = {
                p.field.removeprefix("answers.") for p in err.problems if "hidden" in p.message
            }
            if not hidden:
                raise
            doc["answers"] = {q: v for q, v in doc["answers"].items() if q not in hidden}
    return match_profile(profile, index, today=TODAY)


def test_a_body_that_knows_little_is_told_to_find_out_first(index: MatchIndex) -> None:
    rec = _match(_mostly_unknown(), index)
    assert rec.confidence is not None
    assert rec.confidence.level == "low"
    assert rec.confidence.unknown > rec.confidence.answered
    assert rec.confidence.starting_list
    assert any("starting list" in w for w in rec.confidence.why)
    first = rec.roadmap[0]
    assert first.name == "Find out first"
    assert first.steps[0].kind == "find_out"
    assert first.actions[0].startswith("Find out: ")
    # no buying route is agreed before the spend is known, and no procedure above threshold
    assert not any(s.kind == "agree_route" for s in first.steps)
    kinds = {
        r.kind
        for r in load_knowledge_base().procurement_routes
        if r.id in {p.id for p in rec.procurement_routes}
    }
    assert not kinds & ABOVE_THRESHOLD


def test_the_same_body_with_full_answers_is_not_low(index: MatchIndex) -> None:
    doc = yaml.safe_load((PERSONAS / "legal_blocked.yaml").read_text())
    rec = _match(doc, index)
    assert rec.confidence is not None
    assert rec.confidence.level in {"good", "fair"}
    assert not rec.confidence.starting_list
    assert rec.roadmap[0].name == "Prepare"


def test_a_hand_written_profile_says_its_figures_are_stated(index: MatchIndex) -> None:
    profile = Profile.model_validate({"organisation": {"name": "Example Council"}})
    rec = match_profile(profile, index, today=TODAY)
    assert rec.confidence is not None
    assert rec.confidence.level == "stated"
    assert "set by hand" in rec.confidence.why[0]


def test_a_budget_too_small_for_a_platform_is_told_what_it_can_fund(index: MatchIndex) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Small Borough Council", "kind": "unitary"},
            "factors": {"scope": "strategic", "deployment": "external_partner"},
            "barriers": {"technology": 3},
            "constraints": {"budget_gbp": 25000},
        }
    )
    rec = match_profile(profile, index, today=TODAY)
    assert rec.delivery_models[0].id == "strategic_platform"
    assert [c.kind for c in rec.cautions] == ["budget_short_of_model"]
    said = rec.cautions_said[0]
    assert "£25,000" in said
    assert "strategic platform" in said
    # with the budget that fits it, no caution
    roomy = profile.model_copy(
        update={"constraints": profile.constraints.model_copy(update={"budget_gbp": 600000})}
    )
    assert match_profile(roomy, index, today=TODAY).cautions == []
