"""A curator runs the accounts: adds people with one-time passwords, resets, switches off and
on, lists every account; each action audited with who and what changed."""

from __future__ import annotations

import pytest
from store_world import PASSWORD, World

from advisor.errors import InputError
from advisor.services import accounts, audit
from advisor.services.errors import PermissionDenied, SignInRefused
from advisor.services.permissions import Principal
from advisor.services.sign_in_sessions import collect_token, restore, start_session

pytestmark = pytest.mark.postgres


def _session_token(world: World, who: Principal) -> str:
    """A signed-in browser session of the account, restorable now."""
    token = collect_token(world.db, start_session(world.db, who).handover_code)
    assert token is not None
    assert restore(world.db, token) is not None
    return token


def test_a_person_added_must_change_the_one_time_password(world: World) -> None:
    user, one_time = accounts.add_person(
        world.db,
        world.curator,
        world.settings,
        email="New@North.gov.uk",
        role="council",
        organisation="north_council",
    )
    assert user.must_change_password
    assert user.organisation_names == ("North Council",)
    who = accounts.sign_in(world.db, world.settings, "new@north.gov.uk", one_time)
    assert accounts.must_change_password(world.db, user.id)
    accounts.change_password(world.db, who, world.settings, one_time, "my own long password")
    assert not accounts.must_change_password(world.db, user.id)
    [created] = audit.list_audit(world.db, world.curator, action="user.create")[:1]
    assert created.actor == "curator@example.org"
    assert created.detail["email"] == "new@north.gov.uk"
    assert created.detail["one_time_password"] is True


def test_reset_gives_a_new_one_time_password_and_ends_sessions(world: World) -> None:
    target = int(world.vendor_acme.user_id or 0)
    token = _session_token(world, world.vendor_acme)
    new = accounts.reset_password(world.db, world.curator, world.settings, target)
    with pytest.raises(SignInRefused):
        accounts.sign_in(world.db, world.settings, "sales@acme.example", PASSWORD)
    assert accounts.sign_in(world.db, world.settings, "sales@acme.example", new).user_id == target
    assert accounts.must_change_password(world.db, target)
    assert restore(world.db, token) is None
    [entry] = audit.list_audit(world.db, world.curator, action="user.password_reset")
    assert entry.detail == {"email": "sales@acme.example", "sessions_ended": 1}
    with pytest.raises(PermissionDenied, match="may not manage user accounts"):
        accounts.reset_password(world.db, world.council_north, world.settings, target)


def test_switched_off_cannot_sign_in_and_its_sessions_end(world: World) -> None:
    target = int(world.council_south.user_id or 0)
    token = _session_token(world, world.council_south)
    accounts.set_active(world.db, world.curator, target, False)
    assert restore(world.db, token) is None
    with pytest.raises(SignInRefused):
        accounts.sign_in(world.db, world.settings, "lead@south.gov.uk", PASSWORD)
    with pytest.raises(PermissionDenied, match="switched off"):
        accounts.change_password(world.db, world.council_south, world.settings, PASSWORD, "x" * 20)
    accounts.set_active(world.db, world.curator, target, True)
    assert accounts.sign_in(world.db, world.settings, "lead@south.gov.uk", PASSWORD)
    entries = audit.list_audit(world.db, world.curator, limit=50)
    changes = [
        e.detail["active"] for e in entries if e.action.startswith("user.") and "active" in e.detail
    ]
    assert changes == [{"from": False, "to": True}, {"from": True, "to": False}]
    with pytest.raises(InputError, match="your own account"):
        accounts.set_active(world.db, world.curator, int(world.curator.user_id or 0), False)


def test_the_list_shows_role_body_last_sign_in_and_state(world: World) -> None:
    accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", PASSWORD)
    accounts.set_active(world.db, world.curator, int(world.vendor_bright.user_id or 0), False)
    listed = {u.email: u for u in accounts.list_users(world.db, world.curator)}
    north = listed["lead@north.gov.uk"]
    assert (north.role.value, north.organisation_names, north.active) == (
        "council",
        ("North Council",),
        True,
    )
    assert north.last_sign_in_at is not None
    assert listed["lead@south.gov.uk"].last_sign_in_at is None
    assert listed["team@bright.example"].active is False
