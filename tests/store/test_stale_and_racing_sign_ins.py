"""Issue 15, holes 1 and 11 (last item): sign-in guesses sent at once are throttled like
guesses sent one after another, and a principal built before its account was switched off
or changed is refused at its next service call."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update
from store_world import PASSWORD, World

from advisor.services import accounts, assessments, audit, kb_revisions
from advisor.services.errors import PermissionDenied, SignInRefused, SignInThrottled
from advisor.services.permissions import OPERATOR, Action, allowed
from advisor.settings import Settings
from advisor.store.models import SignInAttempt, User

pytestmark = pytest.mark.postgres

GUESSERS = 30
EMAIL = "lead@north.gov.uk"


class _GatedHasher:
    """The real hasher, except that no password is checked until every guesser has either
    reached the check or been throttled: the slowest possible argon2, without any timing."""

    def __init__(self, real: PasswordHasher, gate: threading.Barrier) -> None:
        self.real = real
        self.gate = gate
        self.checked: list[str] = []

    def verify(self, hash: str, password: str) -> bool:
        self.checked.append(password)
        self.gate.wait()
        return self.real.verify(hash, password)

    def check_needs_rehash(self, hash: str) -> bool:
        return self.real.check_needs_rehash(hash)

    def hash(self, password: str) -> str:
        return self.real.hash(password)


def test_thirty_guesses_at_once_get_only_the_allowed_checks(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = world.settings.signin_max_failures
    start = threading.Barrier(GUESSERS, timeout=60)
    gate = threading.Barrier(GUESSERS, timeout=60)
    hasher = _GatedHasher(accounts.password_hasher(world.settings), gate)

    def gated(settings: Settings) -> _GatedHasher:
        return hasher

    monkeypatch.setattr(accounts, "password_hasher", gated)

    def guess(i: int) -> str:
        start.wait()
        try:
            accounts.sign_in(world.db, world.settings, EMAIL, f"wrong guess number {i}")
        except SignInThrottled:
            gate.wait()
            return "throttled"
        except SignInRefused:
            return "refused"
        return "signed in"

    with ThreadPoolExecutor(max_workers=GUESSERS) as pool:
        outcomes = list(pool.map(guess, range(GUESSERS)))

    assert len(hasher.checked) == limit
    assert outcomes.count("refused") == limit
    assert outcomes.count("throttled") == GUESSERS - limit
    with world.db.read() as session:
        recorded = list(session.scalars(select(SignInAttempt.succeeded)))
    assert recorded == [False] * limit
    # the right password now waits out the lockout too, unchecked
    with pytest.raises(SignInThrottled):
        accounts.sign_in(world.db, world.settings, EMAIL, PASSWORD)
    assert len(hasher.checked) == limit


def test_a_success_is_recorded_as_one(world: World) -> None:
    accounts.sign_in(world.db, world.settings, EMAIL, PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.sign_in(world.db, world.settings, EMAIL, "not the password at all")
    with world.db.read() as session:
        recorded = list(session.scalars(select(SignInAttempt.succeeded).order_by(SignInAttempt.id)))
    assert recorded == [True, False]


def test_switched_off_account_is_refused_at_its_next_call(world: World) -> None:
    actor = world.council_north
    draft = assessments.create_assessment(world.db, actor, "north_council", "Before", "1")
    assert assessments.list_assessments(world.db, actor)
    assert allowed(actor, Action.assessment_view, "north_council")
    assert actor.user_id is not None
    accounts.set_active(world.db, OPERATOR, actor.user_id, False)

    switched_off = "the account lead@north.gov.uk has been switched off"
    with pytest.raises(PermissionDenied, match=switched_off):
        assessments.list_assessments(world.db, actor)
    with pytest.raises(PermissionDenied, match=switched_off):  # checked inside a transaction
        assessments.get_assessment(world.db, actor, draft.id)
    with pytest.raises(PermissionDenied, match=switched_off):
        assessments.create_assessment(world.db, actor, "north_council", "After", "1")
    assert not allowed(actor, Action.assessment_view, "north_council")

    accounts.set_active(world.db, OPERATOR, actor.user_id, True)
    assert assessments.get_assessment(world.db, actor, draft.id).id == draft.id


def test_a_changed_role_is_refused_at_the_next_call(world: World) -> None:
    curator = world.curator
    assert audit.list_audit(world.db, curator) is not None
    with world.db.write() as session:
        session.execute(update(User).where(User.id == curator.user_id).values(role="consultant"))
    message = "curator@example.org is now a consultant, no longer a curator; sign in again"
    with pytest.raises(PermissionDenied, match=message):
        audit.list_audit(world.db, curator)
    with pytest.raises(PermissionDenied, match=message):
        kb_revisions.list_proposals(world.db, curator)


def test_a_body_taken_away_no_longer_counts(world: World) -> None:
    actor = world.consultant
    assert actor.user_id is not None
    assessments.create_assessment(world.db, actor, "north_council", "Before", "1")
    accounts.remove_membership(world.db, OPERATOR, actor.user_id, "north_council")
    with pytest.raises(PermissionDenied, match="may not start assessments for north_council"):
        assessments.create_assessment(world.db, actor, "north_council", "After", "1")
