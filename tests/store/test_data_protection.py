"""Data protection: export everything about a body, erase it, purge abandoned drafts."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from store_world import PASSWORD, World

from advisor.answers import Answers
from advisor.profile import Organisation, Profile
from advisor.questionnaire import load_questionnaire
from advisor.services import accounts, assessments, audit, data_protection
from advisor.services.errors import SignInRefused
from advisor.store.models import Assessment, AuditEntry, SignInAttempt, User, utcnow

pytestmark = pytest.mark.postgres

VERSION = load_questionnaire().version


def filled(world: World) -> tuple[int, int]:
    """Two assessments for north (one with a report export), one for south."""
    north = assessments.create_assessment(
        world.db, world.council_north, "north_council", "North 2026", VERSION
    )
    draft = Answers.model_validate(
        {
            "questionnaire_version": VERSION,
            "answers": {"org_name": {"value": "North", "note": "hi"}},
        }
    )
    assessments.save_draft(world.db, world.council_north, north.id, draft, 1)
    assessments.save_draft(world.db, world.consultant, north.id, draft, 0)
    assessments.record_report_export(world.db, world.consultant, north.id, "html", "n.html", b"<p>")
    assessments.create_assessment(world.db, world.council_north, "north_council", "Again", VERSION)
    south = assessments.create_assessment(
        world.db, world.council_south, "south_council", "South 2026", VERSION
    )
    accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", PASSWORD)
    return north.id, south.id


def test_export_holds_everything_about_the_body_and_no_secrets(world: World) -> None:
    north_id, _ = filled(world)
    data = data_protection.export_body_data(world.db, world.council_north, "north_council")
    text = json.dumps(data)
    assert data["organisation"]["name"] == "North Council"
    assert {a["email"] for a in data["accounts"]} == {"lead@north.gov.uk", "c@advise.example"}
    lead = next(a for a in data["accounts"] if a["email"] == "lead@north.gov.uk")
    assert [s["succeeded"] for s in lead["sign_ins"]] == [True]
    assert [a["title"] for a in data["assessments"]] == ["North 2026", "Again"]
    first = data["assessments"][0]
    assert first["id"] == north_id
    assert {r["respondent"] for r in first["responses"]} == {
        "lead@north.gov.uk",
        "c@advise.example",
    }
    assert first["responses"][0]["answers"]["answers"]["org_name"]["note"] == "hi"
    assert first["report_exports"][0]["format"] == "html"
    assert any(e["action"] == "assessment.save_draft" for e in data["audit"])
    assert "South" not in text
    assert "$argon2" not in text


def test_erase_removes_the_body_data_and_keeps_a_blank_audit_trail(world: World) -> None:
    _, south_id = filled(world)
    result = data_protection.erase_body_data(world.db, world.curator, "north_council")
    assert (result.assessments, result.responses, result.report_exports) == (2, 3, 1)
    assert (result.accounts, result.memberships) == (1, 1)  # lead erased, consultant unlinked
    with world.db.read() as session:
        left = session.scalars(select(Assessment.organisation_id)).all()
        emails = session.scalars(select(User.email)).all()
        labels = session.scalars(select(AuditEntry.actor_label)).all()
        north_details = session.scalars(
            select(AuditEntry.detail).where(
                AuditEntry.organisation_id == "north_council",
                AuditEntry.action != "body_data.erase",
            )
        ).all()
        attempts = session.scalar(
            select(func.count())
            .select_from(SignInAttempt)
            .where(SignInAttempt.email == "lead@north.gov.uk")
        )
    assert left == ["south_council"]
    assert "lead@north.gov.uk" not in emails
    assert "c@advise.example" in emails
    assert "lead@north.gov.uk" not in labels
    assert any(label.startswith("erased account #") for label in labels)
    assert north_details
    assert all(d == {} for d in north_details)
    assert attempts == 0
    with pytest.raises(SignInRefused):
        accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", PASSWORD)
    trail = audit.list_audit(world.db, world.curator, organisation_id="north_council")
    assert trail[0].action == "body_data.erase"
    assert trail[0].detail["assessments"] == 2
    # the other body is untouched
    south = assessments.get_assessment(world.db, world.council_south, south_id)
    assert south.summary.title == "South 2026"
    assert world.consultant.user_id is not None
    assert accounts.principal_for(world.db, world.consultant.user_id).organisations == frozenset()


def test_purge_removes_only_drafts_past_retention(world: World) -> None:
    old = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Old", VERSION
    )
    recent = assessments.create_assessment(
        world.db, world.council_north, "north_council", "Recent", VERSION
    )
    done = assessments.record_profile(
        world.db,
        world.council_north,
        "north_council",
        "Old but submitted",
        Profile(organisation=Organisation(name="North Council")),
    )
    long_ago = utcnow() - timedelta(days=world.settings.draft_retention_days + 1)
    with world.db.write() as session:
        session.execute(
            update(Assessment)
            .where(Assessment.id.in_([old.id, done.id]))
            .values(updated_at=long_ago)
        )
    result = data_protection.purge_abandoned_drafts(world.db, world.curator, world.settings)
    assert result.drafts == 1
    ids = {a.id for a in assessments.list_assessments(world.db, world.council_north)}
    assert ids == {recent.id, done.id}
    assert audit.list_audit(world.db, world.curator, action="drafts.purge")[0].detail["drafts"] == 1
