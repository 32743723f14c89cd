"""Roles in an assessment: only its owner submits; an invited respondent hands their
sections back; the gaps before submitting, by section; a submitted assessment reopened as
a new version (the old result kept as its history) or used to start the next one."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_world import World

from advisor.answers import Answers
from advisor.assessment_input import load_assessment_input
from advisor.errors import InputError
from advisor.questionnaire import load_questionnaire
from advisor.scoring import load_scoring_rules
from advisor.services import assessments
from advisor.services.errors import PermissionDenied

pytestmark = pytest.mark.postgres

BANK = load_questionnaire()
RULES = load_scoring_rules(BANK)
PERSONA = load_assessment_input(Path(__file__).parents[1] / "personas" / "sunderland_hub.yaml")


def answers(**values: object) -> Answers:
    return Answers.model_validate({"questionnaire_version": BANK.version, "answers": values})


def submitted(world: World) -> assessments.AssessmentView:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    assert PERSONA.answers is not None
    assessments.save_draft(world.db, world.council_north, a.id, PERSONA.answers, 1)
    return assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)


def test_an_invited_respondent_hands_back_and_cannot_submit(world: World) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    assert world.consultant.user_id is not None
    second = BANK.sections[1]
    assessments.invite_respondent(
        world.db, world.council_north, a.id, world.consultant.user_id, [second.id]
    )
    assessments.save_draft(
        world.db, world.consultant, a.id, answers(**{second.questions[0].id: "Ours"}), 1
    )
    with pytest.raises(PermissionDenied, match="only the person who started the assessment"):
        assessments.submit_assessment(world.db, world.consultant, a.id, 1, BANK, RULES)
    back = assessments.hand_back(world.db, world.consultant, a.id)
    assert back.handed_back_at is not None
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    assert view.status == "draft"
    assert view.owned_by(world.council_north.user_id)
    assert not view.owned_by(world.consultant.user_id)
    theirs = view.response_of(world.consultant.user_id)
    assert theirs is not None
    assert theirs.handed_back_at is not None


def test_gaps_are_listed_by_section_in_the_questions_words(world: World) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    first = BANK.sections[0]
    filled = {q.id: "dont_know" for q in first.questions}
    assessments.save_draft(world.db, world.council_north, a.id, answers(**filled), 1)
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    gaps = assessments.gaps_by_section(view, BANK)
    titles = [g.title for g in gaps]
    assert first.title not in titles
    assert titles[0] == BANK.sections[1].title
    assert BANK.sections[1].questions[0].text in gaps[0].questions


def test_a_reopened_assessment_keeps_the_old_result_in_its_history(world: World) -> None:
    old = submitted(world)
    again = assessments.reopen_assessment(world.db, world.council_north, old.id, BANK.version)
    assert again.status == "draft"
    assert again.summary.title == old.summary.title
    assert again.summary.reopened
    mine = again.response_of(world.council_north.user_id)
    assert mine is not None
    assert old.answers is not None
    assert mine.answers.values() == old.answers.values()
    still = assessments.get_assessment(world.db, world.council_north, old.id)
    assert still.status == "submitted"
    assert still.profile == old.profile
    assert [h.id for h in assessments.history(world.db, world.council_north, again.id)] == [old.id]


def test_the_next_assessment_starts_from_the_answers(world: World) -> None:
    old = submitted(world)
    nxt = assessments.reopen_assessment(
        world.db, world.council_north, old.id, BANK.version, as_new_version=False, title="2027"
    )
    assert nxt.summary.title == "2027"
    assert not nxt.summary.reopened
    assert nxt.summary.previous_id == old.id
    with pytest.raises(InputError, match="title"):
        assessments.reopen_assessment(
            world.db, world.council_north, old.id, BANK.version, as_new_version=False, title=" "
        )


def test_only_the_owner_reopens_and_only_once_submitted(world: World) -> None:
    old = submitted(world)
    with pytest.raises(PermissionDenied):
        assessments.reopen_assessment(world.db, world.consultant, old.id, BANK.version)
    draft = assessments.reopen_assessment(world.db, world.council_north, old.id, BANK.version)
    with pytest.raises(InputError, match="only a submitted assessment"):
        assessments.reopen_assessment(world.db, world.council_north, draft.id, BANK.version)


def test_save_draft_keeps_where_the_respondent_stopped(world: World) -> None:
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    assessments.save_draft(
        world.db, world.council_north, a.id, answers(), 1, section=BANK.sections[2].id
    )
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    mine = view.response_of(world.council_north.user_id)
    assert mine is not None
    assert mine.last_section == BANK.sections[2].id


def test_the_store_knows_the_body_and_fills_a_missing_name(world: World) -> None:
    facts = assessments.body_answers(world.db, world.council_north, "north_council", BANK, RULES)
    assert facts["org_name"].value == "North Council"
    assert facts["org_kind"].value == "unitary"
    assert facts["org_region"].value == "north_east"
    a = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )
    assert PERSONA.answers is not None
    without = {k: e for k, e in PERSONA.answers.answers.items() if k != "org_name"}
    unnamed = Answers.model_validate(
        {
            "questionnaire_version": BANK.version,
            "answers": {
                k: e.model_dump(mode="json", exclude_none=True) for k, e in without.items()
            },
        }
    )
    assessments.save_draft(world.db, world.council_north, a.id, unnamed, 1)
    done = assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)
    assert done.profile is not None
    assert done.profile.organisation.name == "North Council"


def test_submitting_records_the_advice_revision_and_only_the_owner_refreshes(
    world: World,
) -> None:
    done = submitted(world)
    assert done.summary.advice_revision == 1
    with pytest.raises(PermissionDenied):
        assessments.mark_advice_seen(world.db, world.consultant, done.id, 2)
    assessments.mark_advice_seen(world.db, world.council_north, done.id, 2)
    [listed] = assessments.list_assessments(world.db, world.council_north)
    assert listed.advice_revision == 2
