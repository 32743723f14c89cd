"""Assessments: drafts, several respondents kept apart, optimistic locking, submission,
and a failure injected mid-save that leaves the previous state whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from store_world import World

from advisor.answers import Answers
from advisor.assessment_input import load_assessment_input
from advisor.errors import InputError
from advisor.questionnaire import load_questionnaire
from advisor.scoring import load_scoring_rules
from advisor.services import assessments, audit
from advisor.services.errors import ConflictError
from advisor.store.models import AuditEntry, Response

pytestmark = pytest.mark.postgres

BANK = load_questionnaire()
RULES = load_scoring_rules(BANK)
PERSONA = load_assessment_input(Path(__file__).parents[1] / "personas" / "sunderland_hub.yaml")


def answers(**values: object) -> Answers:
    return Answers.model_validate(
        {"questionnaire_version": BANK.version, "answers": {k: v for k, v in values.items()}}
    )


def start(world: World) -> assessments.AssessmentView:
    return assessments.create_assessment(
        world.db, world.council_north, "north_council", "Spring 2026", BANK.version
    )


def test_draft_saves_carry_the_version_seen(world: World) -> None:
    a = start(world)
    mine = a.response_of(world.council_north.user_id)
    assert mine is not None
    assert mine.version == 1
    saved = assessments.save_draft(
        world.db, world.council_north, a.id, answers(org_name="North"), 1
    )
    assert saved.version == 2
    assert saved.answers.values() == {"org_name": "North"}


def test_second_save_from_the_same_version_conflicts_and_loses_nothing(world: World) -> None:
    a = start(world)
    assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="First"), 1)
    with pytest.raises(ConflictError) as conflict:
        assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="Second"), 1)
    assert conflict.value.current_version == 2
    assert "the current version is 2" in str(conflict.value)
    now = assessments.get_assessment(world.db, world.council_north, a.id)
    mine = now.response_of(world.council_north.user_id)
    assert mine is not None
    assert mine.answers.values() == {"org_name": "First"}
    assert mine.version == 2


def test_respondents_answers_are_kept_apart(world: World) -> None:
    a = start(world)
    # the consultant has no response yet: version 0 creates theirs
    assessments.save_draft(world.db, world.consultant, a.id, answers(org_name="By consultant"), 0)
    assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="By lead"), 1)
    view = assessments.get_assessment(world.db, world.consultant, a.id)
    lead = view.response_of(world.council_north.user_id)
    consultant = view.response_of(world.consultant.user_id)
    assert lead is not None
    assert consultant is not None
    assert lead.answers.values() == {"org_name": "By lead"}
    assert consultant.answers.values() == {"org_name": "By consultant"}
    assert (lead.version, consultant.version) == (2, 1)
    with pytest.raises(ConflictError):  # a second "first save" finds the response there
        assessments.save_draft(world.db, world.consultant, a.id, answers(org_name="again"), 0)


def test_invited_respondent_answers_their_sections(world: World) -> None:
    a = start(world)
    first, second = BANK.sections[0], BANK.sections[1]
    q1, q2 = first.questions[0].id, second.questions[0].id
    assert world.consultant.user_id is not None
    invited = assessments.invite_respondent(
        world.db, world.council_north, a.id, world.consultant.user_id, [second.id]
    )
    assert invited.sections == (second.id,)
    assessments.save_draft(world.db, world.council_north, a.id, answers(**{q2: "lead's"}), 1)
    assessments.save_draft(world.db, world.consultant, a.id, answers(**{q2: "theirs"}), 1)
    assessments.save_draft(world.db, world.council_north, a.id, answers(**{q1: "x", q2: "lead"}), 2)
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    merged = assessments.merged_answers(view, BANK).values()
    assert merged[q2] == "theirs"  # the respondent asked for that section wins
    assert merged[q1] == "x"


def test_invite_refuses_someone_outside_the_body(world: World) -> None:
    a = start(world)
    assert world.council_south.user_id is not None
    with pytest.raises(InputError, match="does not work for north_council"):
        assessments.invite_respondent(
            world.db, world.council_north, a.id, world.council_south.user_id
        )


def test_submit_scores_once_and_freezes(world: World) -> None:
    a = start(world)
    assert PERSONA.answers is not None
    assessments.save_draft(world.db, world.council_north, a.id, PERSONA.answers, 1)
    done = assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)
    assert done.status == "submitted"
    assert done.version == 2
    assert done.profile is not None
    assert done.profile == PERSONA.profile
    with pytest.raises(ConflictError) as stale:
        assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)
    assert stale.value.current_version == 2
    with pytest.raises(InputError, match="already submitted"):
        assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="late"), 2)


def test_submit_refuses_answers_the_bank_rejects(world: World) -> None:
    a = start(world)
    assessments.save_draft(world.db, world.council_north, a.id, answers(no_such_question="x"), 1)
    with pytest.raises(InputError) as bad:
        assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)
    assert bad.value.problems[0].field == "answers.no_such_question"
    assert assessments.get_assessment(world.db, world.council_north, a.id).status == "draft"


def test_answers_for_another_bank_version_are_refused(world: World) -> None:
    a = start(world)
    other = Answers(questionnaire_version="0.1")
    with pytest.raises(InputError) as bad:
        assessments.save_draft(world.db, world.council_north, a.id, other, 1)
    assert bad.value.problems[0].field == "questionnaire_version"


def test_failure_mid_save_leaves_the_previous_state_whole(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = start(world)
    assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="Kept"), 1)
    with world.db.read() as session:
        audit_before = session.scalar(select(func.count()).select_from(AuditEntry))

    def crash(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")  # after the answers were written, before the commit

    monkeypatch.setattr(audit, "record", crash)
    with pytest.raises(OSError, match="disk full"):
        assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="Lost"), 2)
    monkeypatch.undo()
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    mine = view.response_of(world.council_north.user_id)
    assert mine is not None
    assert mine.answers.values() == {"org_name": "Kept"}
    assert mine.version == 2
    assert view.summary.updated_at == mine.updated_at
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before
    # and the next save from the version on screen goes through
    assessments.save_draft(world.db, world.council_north, a.id, answers(org_name="Next"), 2)


def test_failure_mid_submit_leaves_the_draft(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    a = start(world)
    assert PERSONA.answers is not None
    assessments.save_draft(world.db, world.council_north, a.id, PERSONA.answers, 1)
    monkeypatch.setattr(audit, "record", lambda *a, **k: (_ for _ in ()).throw(OSError("gone")))
    with pytest.raises(OSError, match="gone"):
        assessments.submit_assessment(world.db, world.council_north, a.id, 1, BANK, RULES)
    monkeypatch.undo()
    view = assessments.get_assessment(world.db, world.council_north, a.id)
    assert (view.status, view.version, view.profile) == ("draft", 1, None)


def test_quick_profile_and_report_exports(world: World) -> None:
    assert PERSONA.profile is not None
    a = assessments.record_profile(
        world.db, world.consultant, "north_council", "Quick look", PERSONA.profile
    )
    assert a.status == "submitted"
    rec = assessments.record_report_export(
        world.db, world.consultant, a.id, "pdf", "north.pdf", b"%PDF-1.7 bytes"
    )
    assert rec.size_bytes == 14
    assert len(rec.sha256) == 64
    listed = assessments.list_report_exports(world.db, world.council_north, a.id)
    assert [(r.user, r.format) for r in listed] == [("c@advise.example", "pdf")]
    with pytest.raises(InputError, match="must be one of"):
        assessments.record_report_export(world.db, world.consultant, a.id, "exe", "x", b"")


def test_bad_titles_and_bodies_name_the_field(world: World) -> None:
    with pytest.raises(InputError) as bad:
        assessments.create_assessment(world.db, world.council_north, "north_council", " ", "1")
    assert bad.value.problems[0].field == "title"
    with world.db.read() as session:
        assert session.scalar(select(func.count()).select_from(Response)) == 0
