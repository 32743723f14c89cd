"""The permission matrix: every role x every action, allowed and refused, through the real
service functions; and one wording of a refusal wherever it comes from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from store_world import KB_SMALL, PASSWORD, World
from typer.testing import CliRunner

from advisor.answers import Answers
from advisor.assessment_input import load_assessment_input
from advisor.cli import app
from advisor.questionnaire import load_questionnaire
from advisor.reporting.theme import default_theme
from advisor.scoring import load_scoring_rules
from advisor.services import (
    accounts,
    assessments,
    audit,
    client_access,
    data_protection,
    kb_revisions,
    organisations,
    report_themes,
)
from advisor.services.errors import PermissionDenied
from advisor.services.permissions import (
    OPERATOR,
    Action,
    Principal,
    allowed,
    owner_refusal_message,
    refusal_message,
)
from advisor.store.models import Response
from advisor.vocabulary import Role

pytestmark = pytest.mark.postgres

PERSONA = Path(__file__).parents[1] / "personas" / "sunderland_hub.yaml"

ROLES = ("curator", "council_north", "consultant", "vendor_acme")
"""One account per role; council_north and the consultant work for north_council."""

# The expected matrix, written out by hand: (role, action) -> targets the role may act on.
# "north_council"/"south_council" are bodies, "acme"/"brightdata" vendors, None no target.
EXPECTED: dict[tuple[str, Action], set[str | None]] = {}
_ASSESSMENT = (
    Action.assessment_view,
    Action.assessment_create,
    Action.assessment_edit,
    Action.assessment_submit,
    Action.report_export,
)
for _a in _ASSESSMENT:
    EXPECTED[("council_north", _a)] = {"north_council"}
    EXPECTED[("consultant", _a)] = {"north_council"}
NOT_OWNER = {("consultant", Action.assessment_submit)}
"""Allowed to the role, refused by the service: only an assessment's owner submits it (the
scene's assessments were started by the body's lead)."""
EXPECTED[("council_north", Action.body_data_export)] = {"north_council"}
EXPECTED[("curator", Action.body_data_export)] = {"north_council", "south_council"}
EXPECTED[("curator", Action.body_data_erase)] = {"north_council", "south_council"}
EXPECTED[("vendor_acme", Action.kb_propose)] = {"acme"}
EXPECTED[("vendor_acme", Action.kb_proposals_view)] = {"acme"}
EXPECTED[("curator", Action.kb_propose)] = {"acme", "brightdata"}
EXPECTED[("curator", Action.kb_proposals_view)] = {"acme", "brightdata"}
for _a in (
    Action.kb_review,
    Action.kb_import,
    Action.kb_export,
    Action.users_manage,
    Action.audit_view,
    Action.drafts_purge,
):
    EXPECTED[("curator", _a)] = {None}
EXPECTED[("curator", Action.organisation_create)] = {None}
EXPECTED[("curator", Action.organisation_link)] = {None}
EXPECTED[("curator", Action.client_proposals_review)] = {None}
EXPECTED[("consultant", Action.client_propose)] = {None}
EXPECTED[("curator", Action.consultant_access_manage)] = {"north_council", "south_council"}
EXPECTED[("council_north", Action.consultant_access_manage)] = {"north_council"}
for _role in ("curator", "council_north", "consultant", "vendor_acme"):
    EXPECTED[(_role, Action.password_change)] = {None}
EXPECTED[("consultant", Action.report_theme_keep)] = {None}

BODIES = ("north_council", "south_council")
VENDORS = ("acme", "brightdata")
TARGETS: dict[Action, tuple[str | None, ...]] = {
    **{a: BODIES for a in _ASSESSMENT},
    Action.body_data_export: BODIES,
    Action.body_data_erase: BODIES,
    Action.kb_propose: VENDORS,
    Action.kb_proposals_view: VENDORS,
    Action.kb_review: (None,),
    Action.kb_import: (None,),
    Action.kb_export: (None,),
    Action.organisation_create: (None,),
    Action.organisation_link: (None,),
    Action.client_propose: (None,),
    Action.client_proposals_review: (None,),
    Action.consultant_access_manage: BODIES,
    Action.password_change: (None,),
    Action.users_manage: (None,),
    Action.audit_view: (None,),
    Action.drafts_purge: (None,),
    Action.report_theme_keep: (None,),
}
CASES = [
    (role, action, target) for role in ROLES for action in Action for target in TARGETS[action]
]


def test_every_action_has_targets_in_the_matrix() -> None:
    assert set(TARGETS) == set(Action)


PRINCIPALS = {
    "curator": Principal(1, "curator@example.org", Role.curator),
    "council_north": Principal(2, "lead@north.gov.uk", Role.council, frozenset({"north_council"})),
    "consultant": Principal(3, "c@advise.example", Role.consultant, frozenset({"north_council"})),
    "vendor_acme": Principal(4, "sales@acme.example", Role.vendor, frozenset({"acme"})),
}


@pytest.mark.parametrize(("role", "action", "target"), CASES)
def test_decision_table(role: str, action: Action, target: str | None) -> None:
    expected = target in EXPECTED.get((role, action), set())
    assert allowed(PRINCIPALS[role], action, target) is expected


class Scene:
    """One assessment per body (with answers, by that body's council user), one pending
    proposal per vendor (by that vendor): the things the actions act on."""

    bank = load_questionnaire()
    rules = load_scoring_rules(bank)
    persona = load_assessment_input(PERSONA).answers

    def __init__(self, world: World) -> None:
        self.world = world
        persona = self.persona
        assert persona is not None
        self.assessment: dict[str, int] = {}
        for body, owner in (
            ("north_council", world.council_north),
            ("south_council", world.council_south),
        ):
            a = assessments.create_assessment(world.db, owner, body, "Spring", self.bank.version)
            assessments.save_draft(world.db, owner, a.id, persona, 1)
            self.assessment[body] = a.id
        self.proposal: dict[str, int] = {}
        for vendor, owner in (("acme", world.vendor_acme), ("brightdata", world.vendor_bright)):
            entry = kb_revisions.get_entry(world.db, "vendors", vendor)
            assert entry.data is not None
            data = {**entry.data, "description": "Changed by its vendor."}
            p = kb_revisions.propose_change(world.db, owner, "vendors", vendor, data, 1)
            self.proposal[vendor] = p.id
        proposed = client_access.propose_client(
            world.db, world.consultant, "East Council", "county"
        )
        self.client_proposal = proposed.id

    def response_version(self, assessment_id: int, actor: Principal) -> int:
        with self.world.db.read() as session:
            version = session.scalar(
                select(Response.version).where(
                    Response.assessment_id == assessment_id,
                    Response.respondent_id == actor.user_id,
                )
            )
        return int(version or 0)


Do = Callable[[Scene, Principal, str | None, Path], object]


def _vendor_data(scene: Scene, vendor: str) -> dict[str, object]:
    entry = kb_revisions.get_entry(scene.world.db, "vendors", vendor)
    assert entry.data is not None
    return {**entry.data, "description": "Another change."}


DO: dict[Action, Do] = {
    Action.assessment_view: lambda s, p, t, _: assessments.get_assessment(
        s.world.db, p, s.assessment[str(t)]
    ),
    Action.assessment_create: lambda s, p, t, _: assessments.create_assessment(
        s.world.db, p, str(t), "New", s.bank.version
    ),
    Action.assessment_edit: lambda s, p, t, _: assessments.save_draft(
        s.world.db,
        p,
        s.assessment[str(t)],
        Answers(questionnaire_version=s.bank.version),
        s.response_version(s.assessment[str(t)], p),
    ),
    Action.assessment_submit: lambda s, p, t, _: assessments.submit_assessment(
        s.world.db, p, s.assessment[str(t)], 1, s.bank, s.rules
    ),
    Action.report_export: lambda s, p, t, _: assessments.record_report_export(
        s.world.db, p, s.assessment[str(t)], "pdf", "report.pdf", b"%PDF-1.7"
    ),
    Action.kb_propose: lambda s, p, t, _: kb_revisions.propose_change(
        s.world.db, p, "vendors", str(t), _vendor_data(s, str(t)), 1
    ),
    Action.kb_proposals_view: lambda s, p, t, _: kb_revisions.get_proposal(
        s.world.db, p, s.proposal[str(t)]
    ),
    Action.kb_review: lambda s, p, t, _: kb_revisions.approve_proposal(
        s.world.db, p, s.proposal["acme"]
    ),
    Action.kb_import: lambda s, p, t, _: kb_revisions.import_knowledge_base(
        s.world.db, p, KB_SMALL
    ),
    Action.kb_export: lambda s, p, t, tmp: kb_revisions.export_knowledge_base(
        s.world.db, p, tmp / "export"
    ),
    Action.organisation_create: lambda s, p, t, _: organisations.register_body(
        s.world.db, p, "West Council", "county", "West"
    ),
    Action.organisation_link: lambda s, p, t, _: organisations.link_to_knowledge_base(
        s.world.db, p, "north_council", "north_council"
    ),
    Action.client_propose: lambda s, p, t, _: client_access.propose_client(
        s.world.db, p, "Another Council", "district"
    ),
    Action.client_proposals_review: lambda s, p, t, _: client_access.approve_client_proposal(
        s.world.db, p, s.client_proposal
    ),
    Action.consultant_access_manage: lambda s, p, t, _: client_access.consultants_of(
        s.world.db, p, str(t)
    ),
    Action.password_change: lambda s, p, t, _: accounts.change_password(
        s.world.db, p, s.world.settings, PASSWORD, PASSWORD + " and more"
    ),
    Action.users_manage: lambda s, p, t, _: accounts.list_users(s.world.db, p),
    Action.audit_view: lambda s, p, t, _: audit.list_audit(s.world.db, p),
    Action.body_data_export: lambda s, p, t, _: data_protection.export_body_data(
        s.world.db, p, str(t)
    ),
    Action.body_data_erase: lambda s, p, t, _: data_protection.erase_body_data(
        s.world.db, p, str(t)
    ),
    Action.drafts_purge: lambda s, p, t, _: data_protection.purge_abandoned_drafts(
        s.world.db, p, s.world.settings
    ),
    Action.report_theme_keep: lambda s, p, t, _: report_themes.save_theme(
        s.world.db, p, default_theme()
    ),
}


ORDER = (
    Action.assessment_view,
    Action.assessment_edit,
    Action.report_export,
    Action.assessment_create,
    Action.assessment_submit,
    Action.kb_proposals_view,
    Action.kb_propose,
    Action.kb_review,
    Action.kb_import,
    Action.kb_export,
    Action.organisation_create,
    Action.organisation_link,
    Action.client_propose,
    Action.client_proposals_review,
    Action.consultant_access_manage,
    Action.password_change,
    Action.users_manage,
    Action.audit_view,
    Action.body_data_export,
    Action.drafts_purge,
    Action.report_theme_keep,
    Action.body_data_erase,
)
"""Actions in an order where each leaves what the next ones act on (erasure last)."""


def test_order_covers_every_action() -> None:
    assert sorted(ORDER) == sorted(Action)


@pytest.mark.parametrize("role", ROLES)
def test_service_matrix(world: World, tmp_path: Path, role: str) -> None:
    """Each role tries every action on every target through the real service functions."""
    scene = Scene(world)
    actor = world.by_role(role)
    wrong: list[str] = []
    for action in ORDER:
        for target in TARGETS[action]:
            expected = target in EXPECTED.get((role, action), set())
            expected = expected and (role, action) not in NOT_OWNER
            try:
                DO[action](scene, actor, target, tmp_path)
            except PermissionDenied as refused:
                if expected:
                    wrong.append(f"{action} on {target}: refused but should be allowed")
                elif str(refused) not in (
                    refusal_message(actor, action, target),
                    owner_refusal_message(actor, action, str(target)),
                ):
                    wrong.append(f"{action} on {target}: refused with another wording")
            else:
                if not expected:
                    wrong.append(f"{action} on {target}: allowed but should be refused")
    assert wrong == []


def test_listing_shows_only_what_the_actor_may_see(world: World) -> None:
    scene = Scene(world)
    seen = assessments.list_assessments(world.db, world.council_north)
    assert [a.id for a in seen] == [scene.assessment["north_council"]]
    assert [a.id for a in assessments.list_assessments(world.db, world.consultant)] == [
        scene.assessment["north_council"]
    ]
    with pytest.raises(PermissionDenied):
        assessments.list_assessments(world.db, world.vendor_acme)
    with pytest.raises(PermissionDenied):
        assessments.list_assessments(world.db, world.council_north, "south_council")
    acme_sees = kb_revisions.list_proposals(world.db, world.vendor_acme, None)
    assert {p.entry_id for p in acme_sees} == {"acme"}
    assert {p.entry_id for p in kb_revisions.list_proposals(world.db, world.curator)} == {
        "acme",
        "brightdata",
    }


def test_operator_is_a_curator() -> None:
    assert OPERATOR.role is Role.curator
    # every action without a target, but those of one's own account and a consultant's
    own = {Action.report_theme_keep, Action.password_change, Action.client_propose}
    actions = [a for a in TARGETS if TARGETS[a] == (None,) and a not in own]
    assert all(allowed(OPERATOR, a, None) for a in actions)
    assert not any(allowed(OPERATOR, a, None) for a in own)


def test_refusal_reads_the_same_from_the_command_line(
    world: World, monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path
) -> None:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", database_url)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    with pytest.raises(PermissionDenied) as refused:
        kb_revisions.import_knowledge_base(world.db, world.vendor_acme, KB_SMALL)
    result = CliRunner().invoke(
        app, ["kb", "import", str(KB_SMALL), "--as", world.vendor_acme.email]
    )
    assert result.exit_code == 1
    assert result.stderr.strip() == str(refused.value)
    assert str(refused.value) == (
        "not allowed: vendor sales@acme.example may not import a knowledge base"
    )
