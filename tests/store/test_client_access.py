"""Who acts for a body is decided, never claimed: a consultant proposes clients, a curator
approves; a curator or the body's lead makes and ends a consultant's access; ids of vendors
and bodies never collide; every decision is audited."""

from __future__ import annotations

import pytest
from store_world import PASSWORD, World, make_user

from advisor.errors import InputError
from advisor.services import accounts, assessments, audit, client_access, organisations
from advisor.services.app_support import assessable_bodies
from advisor.services.errors import PermissionDenied
from advisor.services.kb_revisions import live_knowledge_base
from advisor.services.permissions import OPERATOR, Principal
from advisor.store.database import Database

pytestmark = pytest.mark.postgres


def _south_assessment(world: World) -> int:
    view = assessments.create_assessment(
        world.db, world.council_south, "south_council", "Private", "1.0"
    )
    return view.id


def _every_way_to_claim(world: World, who: Principal) -> list[str]:
    """Try each way a consultant might register or claim south_council; what got through."""
    through: list[str] = []
    kb = live_knowledge_base(world.db).kb
    tries = {
        "create_organisation": lambda: organisations.create_organisation(
            world.db, who, "south_council", "South Council", "district"
        ),
        "register_body": lambda: organisations.register_body(
            world.db, who, "South Council", "district"
        ),
        "from_knowledge_base": lambda: organisations.organisation_from_knowledge_base(
            world.db, who, "south_council", kb
        ),
        "add_membership": lambda: accounts.add_membership(
            world.db, who, int(who.user_id or 0), "south_council"
        ),
        "make_consultant": lambda: client_access.make_consultant(
            world.db, who, "south_council", who.email
        ),
        "approve_own_proposal": lambda: client_access.approve_client_proposal(
            world.db,
            who,
            client_access.propose_client(world.db, who, "South Council", "district").id,
            existing="south_council",
        ),
    }
    for name, attempt in tries.items():
        try:
            attempt()
        except (PermissionDenied, InputError):
            continue
        through.append(name)
    return through


@pytest.mark.parametrize("first", ["south_council", "south_council_2", "acme", "north_council"])
def test_a_consultant_reads_no_body_it_was_not_made_consultant_of(world: World, first: str) -> None:
    assessment = _south_assessment(world)
    newcomer = make_user(world.db, world.settings, "new@consult.example", "consultant", [])
    # whatever id it tries to register first, nothing is registered and nothing granted
    with pytest.raises(PermissionDenied):
        organisations.create_organisation(world.db, newcomer, first, "South Council", "district")
    assert _every_way_to_claim(world, newcomer) == []
    # a proposal under the body's own name gives nothing until a curator decides
    client_access.propose_client(world.db, newcomer, "South Council", "district")
    again = accounts.principal_for(world.db, int(newcomer.user_id or 0))
    assert again.organisations == frozenset()
    assert assessable_bodies(world.db, again) == []
    with pytest.raises(PermissionDenied):
        assessments.get_assessment(world.db, again, assessment)
    with pytest.raises(PermissionDenied):
        assessments.list_assessments(world.db, again, "south_council")
    # the lead of the body is added later: still nothing for the consultant
    make_user(world.db, world.settings, "second@south.gov.uk", "council", ["south_council"])
    with pytest.raises(PermissionDenied):
        assessments.get_assessment(world.db, again, assessment)


def test_approving_a_proposal_never_takes_a_registered_body_or_a_vendor_id(
    world: World,
) -> None:
    newcomer = make_user(world.db, world.settings, "new@consult.example", "consultant", [])
    same_name = client_access.propose_client(world.db, newcomer, "South Council", "district")
    with pytest.raises(InputError, match="South Council is registered with it already"):
        client_access.approve_client_proposal(world.db, world.curator, same_name.id)
    vendor_name = client_access.propose_client(world.db, newcomer, "Acme", "unitary")
    with pytest.raises(InputError, match="that name is taken: Acme Data is registered"):
        client_access.approve_client_proposal(world.db, world.curator, vendor_name.id)
    mine = client_access.list_client_proposals(world.db, newcomer)
    assert [p.name for p in mine] == ["South Council", "Acme"]
    assert client_access.list_client_proposals(world.db, world.consultant) == []
    fresh = client_access.propose_client(world.db, newcomer, "East Riding Council", "unitary")
    body = client_access.approve_client_proposal(world.db, world.curator, fresh.id)
    assert body == "east_riding_council"
    again = accounts.principal_for(world.db, int(newcomer.user_id or 0))
    assert again.organisations == frozenset({"east_riding_council"})
    # the curator decided: declining another leaves nothing behind
    client_access.decline_client_proposal(world.db, world.curator, same_name.id)
    assert [p.name for p in client_access.list_client_proposals(world.db, world.curator)] == [
        "Acme"
    ]
    actions = [e.action for e in audit.list_audit(world.db, world.curator, limit=10)]
    assert actions[:4] == [
        "client.decline",
        "client.approve",
        "consultant.grant",
        "organisation.create",
    ]


def test_the_lead_sees_gives_and_ends_consultant_access(world: World) -> None:
    north = world.council_north
    seen = client_access.consultants_of(world.db, north, "north_council")
    assert [c.email for c in seen] == ["c@advise.example"]
    with pytest.raises(PermissionDenied, match="may not decide who consults for a body"):
        client_access.consultants_of(world.db, world.council_south, "north_council")
    with pytest.raises(PermissionDenied):
        client_access.end_consultant_access(
            world.db, world.consultant, "north_council", int(world.consultant.user_id or 0)
        )
    assessment = assessments.create_assessment(world.db, north, "north_council", "Ours", "1.0")
    assert assessments.get_assessment(world.db, world.consultant, assessment.id).id == assessment.id
    client_access.end_consultant_access(
        world.db, north, "north_council", int(world.consultant.user_id or 0)
    )
    assert client_access.consultants_of(world.db, north, "north_council") == []
    # the consultant's principal, built before, is refused at its next call
    with pytest.raises(PermissionDenied):
        assessments.get_assessment(world.db, world.consultant, assessment.id)
    # the lead gives it back, naming the consultant's email
    client_access.make_consultant(world.db, north, "north_council", "C@advise.example")
    again = accounts.principal_for(world.db, int(world.consultant.user_id or 0))
    assert assessments.get_assessment(world.db, again, assessment.id).id == assessment.id
    with pytest.raises(InputError, match="no active consultant account"):
        client_access.make_consultant(world.db, north, "north_council", "lead@south.gov.uk")
    entries = audit.list_audit(world.db, world.curator, organisation_id="north_council", limit=5)
    assert [(e.action, e.actor) for e in entries[:2]] == [
        ("consultant.grant", "lead@north.gov.uk"),
        ("consultant.end", "lead@north.gov.uk"),
    ]
    assert entries[1].detail == {"consultant": "c@advise.example", "body": "North Council"}


def test_ids_of_vendors_and_bodies_cannot_collide(db: Database) -> None:
    # acme is a vendor of the knowledge base: no body may take its id
    with pytest.raises(InputError, match="Acme Data is a vendor in the knowledge base"):
        organisations.register_body(db, OPERATOR, "Acme", "unitary")
    with pytest.raises(InputError, match="Acme Data is a vendor in the knowledge base"):
        organisations.create_organisation(db, OPERATOR, "acme", "Acme Council", "county")
    # north_council is a body of the knowledge base: no vendor may take its id
    with pytest.raises(InputError, match="North Council is a public body in the knowledge base"):
        organisations.create_organisation(db, OPERATOR, "north_council", "North Ltd", "vendor")
    body = organisations.register_body(db, OPERATOR, "North Council", "unitary", "North East")
    assert body.id == "north_council"
    with pytest.raises(InputError, match="North Council is registered with it already"):
        organisations.register_body(db, OPERATOR, "North  Council!", "district")


def test_bodies_are_linked_to_the_knowledge_base(db: Database) -> None:
    body = organisations.register_body(db, OPERATOR, "Northern Council", "unitary")
    assert body.kb_entry_id is None
    linked = organisations.link_to_knowledge_base(db, OPERATOR, body.id, "north_council")
    assert linked.kb_entry_id == "north_council"
    other = organisations.register_body(db, OPERATOR, "Another North", "unitary")
    with pytest.raises(InputError, match="Northern Council is linked to that entry already"):
        organisations.link_to_knowledge_base(db, OPERATOR, other.id, "north_council")
    with pytest.raises(InputError, match="the knowledge base has no body 'acme'"):
        organisations.link_to_knowledge_base(db, OPERATOR, other.id, "acme")
    from_kb = organisations.organisation_from_knowledge_base(
        db, OPERATOR, "south_council", live_knowledge_base(db).kb
    )
    assert from_kb.kb_entry_id == "south_council"
    [entry] = audit.list_audit(db, OPERATOR, action="organisation.link")
    assert entry.detail == {"kb_entry": {"from": None, "to": "north_council"}}
    assert entry.actor == OPERATOR.label


def test_the_id_comes_from_the_name() -> None:
    assert organisations.id_from_name("Sunderland City Council") == "sunderland_city_council"
    assert organisations.id_from_name("  Brighton & Hove  ") == "brighton_and_hove"
    assert organisations.id_from_name("Ynys Môn") == "ynys_mon"
    assert organisations.id_from_name("!!!") == ""


def test_password_is_checked_before_it_changes(world: World) -> None:
    with pytest.raises(InputError, match="not your current password"):
        accounts.change_password(
            world.db, world.vendor_acme, world.settings, "wrong one", "a new long password"
        )
    accounts.change_password(
        world.db, world.vendor_acme, world.settings, PASSWORD, "a new long password"
    )
    who = accounts.sign_in(world.db, world.settings, "sales@acme.example", "a new long password")
    assert who.user_id == world.vendor_acme.user_id
