"""Saved what-if scenarios: kept apart from assessments (only what they change), listed on
their assessment, said in words; refused when nothing changed or not yet submitted."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_world import World

from advisor.assessment_input import load_assessment_input
from advisor.errors import InputError
from advisor.questionnaire import load_questionnaire
from advisor.scoring import load_scoring_rules
from advisor.services import assessments, what_if
from advisor.services.errors import PermissionDenied

pytestmark = pytest.mark.postgres

BANK = load_questionnaire()
RULES = load_scoring_rules(BANK)
PERSONA = load_assessment_input(Path(__file__).parents[1] / "personas" / "sunderland_hub.yaml")
NAMES = {"legal": "Legal and data protection"}


def submitted(world: World) -> assessments.AssessmentView:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    assert PERSONA.answers is not None
    assessments.save_draft(world.db, world.council_north, a.id, PERSONA.answers, 1)
    return assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)


def test_a_scenario_is_kept_apart_and_says_what_it_changed(world: World) -> None:
    done = submitted(world)
    assert done.profile is not None
    profile = done.profile
    legal = int(profile.barriers.model_dump()["legal"])
    tried = {**profile.barriers.model_dump(), "legal": (legal + 1) % 5}
    saved = what_if.save_scenario(
        world.db,
        world.council_north,
        done.id,
        "Legal eased",
        profile,
        profile.maturity.model_dump(),
        tried,
    )
    assert saved.barriers == {"legal": (legal + 1) % 5}
    assert saved.maturity == {}
    listed = assessments.list_assessments(world.db, world.council_north)
    assert [a.id for a in listed] == [done.id]  # no assessment of its own
    [again] = what_if.list_scenarios(world.db, world.consultant, done.id)
    assert again.title == "Legal eased"
    said = what_if.changes_said(profile, again.maturity, again.barriers, NAMES)
    assert said == [
        f"Legal and data protection barrier from {what_if.SEVERITY[legal]} "
        f"to {what_if.SEVERITY[(legal + 1) % 5]}"
    ]
    with pytest.raises(PermissionDenied):
        what_if.list_scenarios(world.db, world.council_south, done.id)


def test_nothing_changed_or_not_submitted_is_refused(world: World) -> None:
    done = submitted(world)
    assert done.profile is not None
    profile = done.profile
    same = (profile.maturity.model_dump(), profile.barriers.model_dump())
    with pytest.raises(InputError, match="change at least one"):
        what_if.save_scenario(world.db, world.council_north, done.id, "Same", profile, *same)
    draft = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Draft", BANK.version
    )
    tried = {**profile.barriers.model_dump(), "legal": 0 if profile.barriers.legal else 1}
    with pytest.raises(InputError, match="submit the assessment first"):
        what_if.save_scenario(world.db, world.council_north, draft.id, "X", profile, same[0], tried)
    with pytest.raises(InputError, match="title"):
        what_if.save_scenario(world.db, world.council_north, done.id, " ", profile, same[0], tried)
