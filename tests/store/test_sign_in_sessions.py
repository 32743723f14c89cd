"""Signed-in sessions kept in the store: a token collected once for its handover code,
restored with where the user was, refused once revoked, expired, idle or switched off."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from store_world import World

from advisor.services import accounts
from advisor.services import sign_in_sessions as sessions
from advisor.services.errors import PermissionDenied
from advisor.store.models import SignInSession, utcnow

pytestmark = pytest.mark.postgres


def signed_in(world: World) -> tuple[int, str]:
    start = sessions.start_session(world.db, world.council_north)
    token = sessions.collect_token(world.db, start.handover_code)
    assert token is not None
    return start.session_id, token


def test_the_store_keeps_hashes_only_and_a_code_works_once(world: World) -> None:
    start = sessions.start_session(world.db, world.council_north)
    token = sessions.collect_token(world.db, start.handover_code)
    assert token is not None
    assert len(token) >= 40
    assert sessions.collect_token(world.db, start.handover_code) is None  # used up
    with world.db.read() as s:
        row = s.scalars(select(SignInSession)).one()
        assert row.token_hash is not None
        assert token not in row.token_hash
        assert row.handover_hash is None


def test_a_late_handover_code_gets_no_token(world: World) -> None:
    start = sessions.start_session(world.db, world.council_north)
    later = utcnow() + timedelta(seconds=sessions.HANDOVER_SECONDS + 1)
    assert sessions.collect_token(world.db, start.handover_code, now=later) is None
    assert sessions.collect_token(world.db, "not a code") is None


def test_restore_brings_back_the_user_and_the_place(world: World) -> None:
    session_id, token = signed_in(world)
    sessions.note_place(world.db, session_id, page="wizard", assessment_id=None, section="goals")
    back = sessions.restore(world.db, token)
    assert back is not None
    assert back.principal.email == "lead@north.gov.uk"
    assert back.place == sessions.Place("wizard", None, "goals")
    assert sessions.session_live(world.db, session_id, world.council_north.user_id or 0)
    assert sessions.restore(world.db, token + "x") is None


def test_signed_out_expired_or_idle_sessions_are_refused(world: World) -> None:
    session_id, token = signed_in(world)
    idle = utcnow() + timedelta(hours=sessions.IDLE_HOURS, minutes=1)
    assert sessions.restore(world.db, token, now=idle) is None
    over = utcnow() + timedelta(hours=sessions.SESSION_HOURS, minutes=1)
    assert sessions.restore(world.db, token, now=over) is None
    assert sessions.restore(world.db, token) is not None
    sessions.end_session_by_token(world.db, token)
    assert sessions.restore(world.db, token) is None
    assert not sessions.session_live(world.db, session_id, world.council_north.user_id or 0)


def test_a_switched_off_account_is_not_restored(world: World) -> None:
    _, token = signed_in(world)
    accounts.set_active(world.db, world.curator, world.council_north.user_id or 0, False)
    assert sessions.restore(world.db, token) is None


def test_ending_every_session_of_an_account(world: World) -> None:
    (first, token_a), (_, token_b) = signed_in(world), signed_in(world)
    other = sessions.start_session(world.db, world.council_south)
    other_token = sessions.collect_token(world.db, other.handover_code)
    assert other_token is not None
    user_id = world.council_north.user_id or 0
    with pytest.raises(PermissionDenied):
        sessions.end_user_sessions(world.db, world.council_south, user_id)
    assert sessions.end_user_sessions(world.db, world.curator, user_id) == 2
    assert sessions.restore(world.db, token_a) is None
    assert sessions.restore(world.db, token_b) is None
    assert not sessions.session_live(world.db, first, user_id)
    assert sessions.restore(world.db, other_token) is not None  # another account's stays
