"""Accounts: argon2 hashes, sign-in, throttling, and clear errors for bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from store_world import PASSWORD, World

from advisor.errors import InputError
from advisor.services import accounts, organisations
from advisor.services.errors import PermissionDenied, SignInRefused, SignInThrottled
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import SignInAttempt, User, utcnow

pytestmark = pytest.mark.postgres


def test_password_is_stored_as_an_argon2id_hash(world: World) -> None:
    with world.db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.email == "lead@north.gov.uk"))
    assert stored is not None
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_sign_in_gives_the_principal_with_role_and_bodies(world: World) -> None:
    who = accounts.sign_in(world.db, world.settings, " Lead@North.gov.uk ", PASSWORD)
    assert who.role.value == "council"
    assert who.organisations == frozenset({"north_council"})


def test_wrong_password_and_unknown_email_read_the_same(world: World) -> None:
    with pytest.raises(SignInRefused) as wrong:
        accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", "not the password")
    with pytest.raises(SignInRefused) as unknown:
        accounts.sign_in(world.db, world.settings, "nobody@north.gov.uk", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "sign-in failed: wrong email or password"


def test_throttled_after_repeated_failures_then_free_after_lockout(world: World) -> None:
    s = world.settings  # 3 failures within 600 s lock for 300 s after the last
    start = utcnow()
    for i in range(3):
        with pytest.raises(SignInRefused):
            accounts.sign_in(
                world.db, s, "lead@north.gov.uk", "bad", now=start + timedelta(seconds=i)
            )
    with pytest.raises(SignInThrottled) as throttled:
        # even the right password waits: the lock is on the account, not the guess
        accounts.sign_in(
            world.db, s, "lead@north.gov.uk", PASSWORD, now=start + timedelta(seconds=10)
        )
    assert throttled.value.retry_after == 292
    assert "try again in 5 minute(s)" in str(throttled.value)
    later = start + timedelta(seconds=2 + 300 + 1)
    who = accounts.sign_in(world.db, s, "lead@north.gov.uk", PASSWORD, now=later)
    assert who.email == "lead@north.gov.uk"


def test_failures_spread_wider_than_the_window_do_not_lock(world: World) -> None:
    start = utcnow()
    for minutes in (0, 6, 12):  # window is 10 minutes: never 3 within one window
        with pytest.raises(SignInRefused):
            accounts.sign_in(
                world.db,
                world.settings,
                "lead@north.gov.uk",
                "bad",
                now=start + timedelta(minutes=minutes),
            )
    who = accounts.sign_in(
        world.db, world.settings, "lead@north.gov.uk", PASSWORD, now=start + timedelta(minutes=13)
    )
    assert who.user_id is not None


def test_a_success_clears_earlier_failures(world: World) -> None:
    start = utcnow()
    for i in range(2):
        with pytest.raises(SignInRefused):
            accounts.sign_in(
                world.db, world.settings, "lead@north.gov.uk", "x", now=start + timedelta(seconds=i)
            )
    accounts.sign_in(
        world.db, world.settings, "lead@north.gov.uk", PASSWORD, now=start + timedelta(seconds=3)
    )
    with pytest.raises(SignInRefused):  # one more failure: 1 since the success, not 3
        accounts.sign_in(
            world.db, world.settings, "lead@north.gov.uk", "x", now=start + timedelta(seconds=4)
        )
    accounts.sign_in(
        world.db, world.settings, "lead@north.gov.uk", PASSWORD, now=start + timedelta(seconds=5)
    )


def test_unknown_emails_are_throttled_too(world: World) -> None:
    start = utcnow()
    for i in range(3):
        with pytest.raises(SignInRefused):
            accounts.sign_in(
                world.db, world.settings, "probe@x.org", "x", now=start + timedelta(seconds=i)
            )
    with pytest.raises(SignInThrottled):
        accounts.sign_in(
            world.db, world.settings, "probe@x.org", "x", now=start + timedelta(seconds=5)
        )
    with world.db.read() as session:
        attempts = session.scalars(
            select(SignInAttempt.succeeded).where(SignInAttempt.email == "probe@x.org")
        ).all()
    assert attempts == [False, False, False]


def test_switched_off_account_cannot_sign_in(world: World) -> None:
    assert world.council_north.user_id is not None
    accounts.set_active(world.db, world.curator, world.council_north.user_id, False)
    with pytest.raises(SignInRefused):
        accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", PASSWORD)
    with pytest.raises(SignInRefused):
        accounts.principal_for(world.db, world.council_north.user_id)


def test_hash_is_upgraded_when_parameters_grow(world: World) -> None:
    stronger = world.settings.model_copy(update={"argon2_time_cost": 2})
    accounts.sign_in(world.db, stronger, "lead@north.gov.uk", PASSWORD)
    with world.db.read() as session:
        stored = session.scalar(select(User.password_hash).where(User.email == "lead@north.gov.uk"))
    assert stored is not None
    assert ",t=2," in stored
    accounts.sign_in(world.db, stronger, "lead@north.gov.uk", PASSWORD)


def test_change_own_password(world: World) -> None:
    assert world.council_north.user_id is not None
    accounts.set_password(
        world.db,
        world.council_north,
        world.settings,
        world.council_north.user_id,
        "a new long pw 1",
    )
    accounts.sign_in(world.db, world.settings, "lead@north.gov.uk", "a new long pw 1")
    assert world.council_south.user_id is not None
    with pytest.raises(PermissionDenied):
        accounts.set_password(
            world.db,
            world.council_north,
            world.settings,
            world.council_south.user_id,
            "another long pw",
        )


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"email": "not-an-email"}, "email", "'not-an-email' is not an email address"),
        ({"password": "short"}, "password", "use at least 12 characters"),
        ({"role": "admin"}, "role", "must be one of: council, vendor, consultant, curator"),
        ({"organisations": []}, "organisations", "a council account acts for exactly one"),
        ({"organisations": ["acme"]}, "organisations", "'acme' is not a public body"),
        ({"organisations": ["atlantis"]}, "organisations", "unknown organisation 'atlantis'"),
        ({"email": "LEAD@north.gov.uk"}, "email", "an account for lead@north.gov.uk already"),
    ],
)
def test_bad_account_input_names_the_field(
    world: World, kwargs: dict[str, object], field: str, message: str
) -> None:
    args: dict[str, object] = {
        "email": "new@north.gov.uk",
        "role": "council",
        "password": "long enough password",
        "organisations": ["north_council"],
        **kwargs,
    }
    with pytest.raises(InputError) as bad:
        accounts.create_user(world.db, OPERATOR, world.settings, **args)  # type: ignore[arg-type]
    [problem] = bad.value.problems
    assert problem.field == field
    assert problem.message.startswith(message)


def test_vendor_and_curator_memberships(world: World) -> None:
    with pytest.raises(InputError, match="'north_council' is not a vendor"):
        accounts.create_user(
            world.db,
            OPERATOR,
            world.settings,
            email="v@x.org",
            role="vendor",
            password=PASSWORD,
            organisations=["north_council"],
        )
    with pytest.raises(InputError, match="a curator acts for no organisation"):
        accounts.create_user(
            world.db,
            OPERATOR,
            world.settings,
            email="k@x.org",
            role="curator",
            password=PASSWORD,
            organisations=["north_council"],
        )


def test_consultant_gains_a_client(world: World) -> None:
    assert world.consultant.user_id is not None
    accounts.add_membership(world.db, world.curator, world.consultant.user_id, "south_council")
    again = accounts.principal_for(world.db, world.consultant.user_id)
    assert again.organisations == frozenset({"north_council", "south_council"})
    assert world.council_north.user_id is not None
    with pytest.raises(InputError, match="exactly one"):
        accounts.add_membership(
            world.db, world.curator, world.council_north.user_id, "south_council"
        )


def test_consultant_cannot_register_a_body(world: World) -> None:
    with pytest.raises(PermissionDenied, match="may not register organisations"):
        organisations.create_organisation(
            world.db, world.consultant, "east_council", "East Council", "county", "East"
        )
    with pytest.raises(PermissionDenied, match="may not register organisations"):
        organisations.register_body(world.db, world.consultant, "East Council", "county")
    assert world.consultant.user_id is not None
    who = accounts.principal_for(world.db, world.consultant.user_id)
    assert who.organisations == frozenset({"north_council"})


def test_verified_email_maps_to_the_local_account(world: World) -> None:
    who = accounts.sign_in_verified_email(world.db, "C@Advise.example")
    assert who.role.value == "consultant"
    with pytest.raises(SignInRefused):
        accounts.sign_in_verified_email(world.db, "stranger@advise.example")


def test_first_curator(db: Database, settings: Settings) -> None:
    from advisor.services.setup import create_first_curator, needs_first_curator

    assert needs_first_curator(db)
    user, password = create_first_curator(db, settings, "admin@example.org")
    assert len(password) >= 20
    assert accounts.sign_in(db, settings, "admin@example.org", password).user_id == user.id
    assert accounts.must_change_password(db, user.id)  # a one-time password
    assert not needs_first_curator(db)
