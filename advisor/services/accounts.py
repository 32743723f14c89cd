"""Local accounts, argon2 password hashes and throttled sign-in.

- ``create_user(db, actor, settings, email=, role=, password=, organisations=[...])``: a new
  account (curator). A council account acts for exactly one body, a vendor account for
  exactly one vendor, a consultant for any number of client bodies, a curator for none.
- ``add_person(db, actor, settings, email=, role=, organisation=)``: a new account with a
  one-time password, returned once, that must be changed at the first sign-in (curator).
- ``list_users`` (every account with role, bodies, last sign-in and state), ``set_active``
  (switching an account off ends its open sessions), ``reset_password`` (a new one-time
  password), ``add_membership``, ``remove_membership`` (curator); ``set_password`` (the user
  themselves, or a curator); ``change_password`` (one's own, giving the current one);
  ``must_change_password(db, user_id)``.
- ``sign_in(db, settings, email, password, source=None) -> Principal``: checks the password;
  after ``signin_max_failures`` failures within ``signin_window_seconds`` for one email it
  raises ``SignInThrottled`` until ``signin_lockout_seconds`` after the last failure. The
  count lives in the store, so every replica of the app shares it. Unknown emails and wrong
  passwords get the same ``SignInRefused`` and take the same time.
- ``sign_in_verified_email(db, email)``: for a deployment whose identity provider has already
  verified the user (Streamlit's ``st.login`` with OIDC): maps the verified email to an
  active local account, which carries the role and memberships.
- ``principal_for(db, user_id)``: the principal of a signed-in user, reloaded from the store
  (call it on each request so a switched-off account stops working at once).
- ``principal_for_email(db, email)``: for the command line's ``--as EMAIL``.
"""

from __future__ import annotations

import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.orm import Session

from advisor.errors import InputError
from advisor.services import audit
from advisor.services.errors import NotFoundError, SignInRefused, SignInThrottled
from advisor.services.organisations import BODY_KINDS, VENDOR_KIND
from advisor.services.permissions import Action, Principal, require
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import (
    Membership,
    Organisation,
    SignInAttempt,
    SignInSession,
    User,
    utcnow,
)
from advisor.vocabulary import Role

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
_FILE = "account"


@dataclass(frozen=True)
class UserView:
    """An account as shown to a curator (never the password hash)."""

    id: int
    email: str
    display_name: str | None
    role: Role
    active: bool
    organisations: tuple[str, ...]
    created_at: datetime
    organisation_names: tuple[str, ...] = ()
    """The names of ``organisations``, in the same order."""
    last_sign_in_at: datetime | None = None
    must_change_password: bool = False


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def password_hasher(settings: Settings) -> PasswordHasher:
    """The argon2 hasher the settings ask for."""
    return _hasher(
        settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism
    )


@cache
def _dummy_hash(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not a password of anyone")


def check_password(password: str) -> str:
    """Refuse passwords that are too short or absurdly long."""
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise InputError.single(_FILE, "password", f"use at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise InputError.single(_FILE, "password", f"use at most {MAX_PASSWORD} characters")
    return password


def normalise_email(email: str) -> str:
    """Trimmed, lower-cased email; InputError naming ``email`` if it does not look like one."""
    value = (email or "").strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise InputError.single(_FILE, "email", f"'{email}' is not an email address")
    return value


def hash_password(password: str, settings: Settings) -> str:
    """An argon2id hash of the password."""
    return password_hasher(settings).hash(check_password(password))


def _role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise InputError.single(_FILE, "role", f"must be one of: {choices}") from None


def _check_memberships(session: Session, role: Role, org_ids: list[str]) -> None:
    orgs = []
    for org_id in org_ids:
        org = session.get(Organisation, org_id)
        if org is None:
            raise InputError.single(_FILE, "organisations", f"unknown organisation '{org_id}'")
        orgs.append(org)
    if role is Role.curator and orgs:
        raise InputError.single(_FILE, "organisations", "a curator acts for no organisation")
    if role in (Role.council, Role.vendor) and len(orgs) != 1:
        raise InputError.single(
            _FILE, "organisations", f"a {role.value} account acts for exactly one organisation"
        )
    for org in orgs:
        if role is Role.vendor and org.kind != VENDOR_KIND:
            raise InputError.single(_FILE, "organisations", f"'{org.id}' is not a vendor")
        if role in (Role.council, Role.consultant) and org.kind not in BODY_KINDS:
            raise InputError.single(_FILE, "organisations", f"'{org.id}' is not a public body")


def _org_ids(session: Session, user_id: int) -> tuple[str, ...]:
    query = (
        select(Membership.organisation_id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.organisation_id)
    )
    return tuple(session.scalars(query))


def _view(session: Session, user: User) -> UserView:
    query = (
        select(Organisation.id, Organisation.name)
        .join(Membership, Membership.organisation_id == Organisation.id)
        .where(Membership.user_id == user.id)
        .order_by(Organisation.id)
    )
    orgs = list(session.execute(query))
    return UserView(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=Role(user.role),
        active=user.active,
        organisations=tuple(str(o.id) for o in orgs),
        created_at=user.created_at,
        organisation_names=tuple(str(o.name) for o in orgs),
        last_sign_in_at=user.last_sign_in_at,
        must_change_password=bool(user.must_change_password),
    )


def one_time_password() -> str:
    """A random password of 20 URL-safe characters (more than the 12 required)."""
    return secrets.token_urlsafe(15)


def create_user(
    db: Database,
    actor: Principal,
    settings: Settings,
    *,
    email: str,
    role: str | Role,
    password: str | None,
    organisations: list[str] | None = None,
    display_name: str | None = None,
    one_time: bool = False,
) -> UserView:
    """Create an account; ``password`` none makes an account that signs in through OIDC only.

    ``one_time``: the password is a one-time one, to be changed at the first sign-in.
    """
    require(actor, Action.users_manage)
    email = normalise_email(email)
    the_role = _role(role)
    org_ids = sorted(set(organisations or []))
    password_hash = hash_password(password, settings) if password is not None else None
    with db.write() as session:
        if session.scalar(select(User.id).where(User.email == email)) is not None:
            raise InputError.single(_FILE, "email", f"an account for {email} already exists")
        _check_memberships(session, the_role, org_ids)
        now = utcnow()
        user = User(
            email=email,
            display_name=(display_name or "").strip() or None,
            role=the_role.value,
            password_hash=password_hash,
            active=True,
            created_at=now,
            must_change_password=one_time and password_hash is not None,
        )
        session.add(user)
        session.flush()
        for org_id in org_ids:
            session.add(Membership(user_id=user.id, organisation_id=org_id, created_at=now))
        session.flush()
        audit.record(
            session,
            actor,
            "user.create",
            organisation_id=org_ids[0] if len(org_ids) == 1 else None,
            target_kind="user",
            target_id=user.id,
            detail={
                "email": email,
                "role": the_role.value,
                "organisations": org_ids,
                "one_time_password": one_time,
            },
        )
        return _view(session, user)


def add_person(
    db: Database,
    actor: Principal,
    settings: Settings,
    *,
    email: str,
    role: str | Role,
    organisation: str | None = None,
    display_name: str | None = None,
) -> tuple[UserView, str]:
    """A new account with a one-time password (returned once; changed at first sign-in)."""
    password = one_time_password()
    user = create_user(
        db,
        actor,
        settings,
        email=email,
        role=role,
        password=password,
        organisations=[organisation] if organisation else [],
        display_name=display_name,
        one_time=True,
    )
    return user, password


def list_users(db: Database, actor: Principal) -> list[UserView]:
    """Every account, by email."""
    require(actor, Action.users_manage)
    with db.read() as session:
        return [_view(session, u) for u in session.scalars(select(User).order_by(User.email))]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"no account #{user_id}")
    return user


def _end_sessions(session: Session, user_id: int) -> int:
    """End every open signed-in session of an account; how many there were."""
    ended = session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
        .values(revoked_at=utcnow(), handover_hash=None)
    )
    return int(getattr(ended, "rowcount", 0) or 0)


def set_active(db: Database, actor: Principal, user_id: int, active: bool) -> None:
    """Switch an account off (it can no longer sign in, its open sessions end) or on again.

    A curator cannot switch off their own account (someone must be left to switch it on).
    """
    require(actor, Action.users_manage)
    if not active and actor.user_id == user_id:
        raise InputError.single(_FILE, "account", "you cannot switch off your own account")
    with db.write() as session:
        user = _user(session, user_id)
        before = user.active
        user.active = active
        ended = 0 if active else _end_sessions(session, user_id)
        audit.record(
            session,
            actor,
            "user.activate" if active else "user.deactivate",
            target_kind="user",
            target_id=user_id,
            detail={
                "email": user.email,
                "active": {"from": before, "to": active},
                "sessions_ended": ended,
            },
        )


def set_password(
    db: Database, actor: Principal, settings: Settings, user_id: int, new_password: str
) -> None:
    """Change a password: the user's own, or anyone's for a curator."""
    if actor.user_id != user_id:
        require(actor, Action.users_manage)
    new_hash = hash_password(new_password, settings)
    with db.write() as session:
        user = _user(session, user_id)
        user.password_hash = new_hash
        user.must_change_password = False
        audit.record(
            session,
            actor,
            "user.password",
            target_kind="user",
            target_id=user_id,
            detail={"email": user.email},
        )


def change_password(
    db: Database, actor: Principal, settings: Settings, current_password: str, new_password: str
) -> None:
    """Change one's own password, giving the current one; a one-time password ends here."""
    require(actor, Action.password_change)
    user_id = int(actor.user_id or 0)  # password_change is allowed only with an account
    with db.read() as session:
        stored = _user(session, user_id).password_hash
    try:
        ok = bool(stored) and password_hasher(settings).verify(str(stored), current_password)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok:
        raise InputError.single(_FILE, "current password", "that is not your current password")
    if new_password == current_password:
        raise InputError.single(
            _FILE, "new password", "choose a password other than the current one"
        )
    new_hash = hash_password(new_password, settings)
    with db.write() as session:
        user = _user(session, user_id)
        before = user.must_change_password
        user.password_hash = new_hash
        user.must_change_password = False
        audit.record(
            session,
            actor,
            "user.password_change",
            target_kind="user",
            target_id=user.id,
            detail={"one_time_password_replaced": bool(before)},
        )


def reset_password(db: Database, actor: Principal, settings: Settings, user_id: int) -> str:
    """Give an account a new one-time password (returned once) and end its open sessions."""
    require(actor, Action.users_manage)
    password = one_time_password()
    new_hash = hash_password(password, settings)
    with db.write() as session:
        user = _user(session, user_id)
        user.password_hash = new_hash
        user.must_change_password = True
        ended = _end_sessions(session, user_id)
        audit.record(
            session,
            actor,
            "user.password_reset",
            target_kind="user",
            target_id=user_id,
            detail={"email": user.email, "sessions_ended": ended},
        )
    return password


def must_change_password(db: Database, user_id: int) -> bool:
    """True while the account's password is a one-time one."""
    with db.read() as session:
        return bool(session.scalar(select(User.must_change_password).where(User.id == user_id)))


def add_membership(db: Database, actor: Principal, user_id: int, org_id: str) -> None:
    """Let a user act for one more organisation (a consultant's new client)."""
    require(actor, Action.users_manage)
    with db.write() as session:
        user = _user(session, user_id)
        current = list(_org_ids(session, user_id))
        if org_id in current:
            return
        _check_memberships(session, Role(user.role), [*current, org_id])
        session.add(Membership(user_id=user_id, organisation_id=org_id, created_at=utcnow()))
        audit.record(
            session,
            actor,
            "membership.add",
            organisation_id=org_id,
            target_kind="user",
            target_id=user_id,
            detail={
                "email": user.email,
                "organisations": {"from": current, "to": [*current, org_id]},
            },
        )


def remove_membership(db: Database, actor: Principal, user_id: int, org_id: str) -> None:
    """Stop a user acting for an organisation."""
    require(actor, Action.users_manage)
    with db.write() as session:
        _user(session, user_id)
        session.execute(
            delete(Membership).where(
                Membership.user_id == user_id, Membership.organisation_id == org_id
            )
        )
        audit.record(
            session,
            actor,
            "membership.remove",
            organisation_id=org_id,
            target_kind="user",
            target_id=user_id,
        )


def _principal(session: Session, user: User, db: Database) -> Principal:
    """The user as a principal bound to its store, which rechecks it on every service call."""
    return Principal(
        user_id=user.id,
        email=user.email,
        role=Role(user.role),
        organisations=frozenset(_org_ids(session, user.id)),
        store=db,
    )


def principal_for(db: Database, user_id: int) -> Principal:
    """The principal of an active account; ``SignInRefused`` if it is gone or switched off."""
    with db.read() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            raise SignInRefused()
        return _principal(session, user, db)


def _throttle_wait(session: Session, settings: Settings, email: str, now: datetime) -> int:
    """Seconds to wait before another try (0: go ahead).

    ``signin_max_failures`` failures within ``signin_window_seconds`` of each other, with no
    success after them, lock the email until ``signin_lockout_seconds`` after the last one.
    """
    limit = settings.signin_max_failures
    window = timedelta(seconds=settings.signin_window_seconds)
    lockout = timedelta(seconds=settings.signin_lockout_seconds)
    since = now - window - lockout
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )
    if last_success is not None:
        since = max(since, last_success)
    newest_first = list(
        session.scalars(
            select(SignInAttempt.at)
            .where(
                SignInAttempt.email == email,
                SignInAttempt.succeeded.is_(False),
                SignInAttempt.at > since,
            )
            .order_by(SignInAttempt.at.desc())
            .limit(limit)
        )
    )
    if len(newest_first) < limit or newest_first[0] - newest_first[-1] > window:
        return 0
    until = newest_first[0] + lockout
    return max(0, math.ceil((until - now).total_seconds()))


def sign_in(
    db: Database,
    settings: Settings,
    email: str,
    password: str,
    *,
    source: str | None = None,
    now: datetime | None = None,
) -> Principal:
    """Check email and password; the principal on success, else SignInRefused/Throttled.

    The attempt is counted and recorded (as a failure) in one transaction that no other
    sign-in for the same email can interleave with, before the password is checked; only a
    correct password turns it into a success afterwards. So however many attempts arrive at
    once, at most ``signin_max_failures`` of them get their password checked.
    """
    now = now or utcnow()
    try:
        email = normalise_email(email)
    except InputError:
        raise SignInRefused() from None
    with db.write() as session:
        _lock_sign_in(session, email)
        wait = _throttle_wait(session, settings, email, now)
        if not wait:
            user = session.scalar(select(User).where(User.email == email))
            stored_hash = user.password_hash if user is not None else None
            user_id = user.id if user is not None and user.active else None
            attempt = SignInAttempt(email=email, succeeded=False, at=now, source=_source(source))
            session.add(attempt)
            session.flush()
            attempt_id = attempt.id
    if wait:
        raise SignInThrottled(wait)
    hasher = password_hasher(settings)
    params = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
    ok = False
    try:
        # an unknown email costs the same hash as a known one
        ok = hasher.verify(stored_hash or _dummy_hash(*params), password) and bool(stored_hash)
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or user_id is None:
        raise SignInRefused()
    principal: Principal | None = None
    with db.write() as session:
        fresh = session.get(User, user_id)
        if fresh is not None and fresh.active and fresh.password_hash == stored_hash:
            session.execute(
                update(SignInAttempt).where(SignInAttempt.id == attempt_id).values(succeeded=True)
            )
            if stored_hash and hasher.check_needs_rehash(stored_hash):
                fresh.password_hash = hasher.hash(password)
            fresh.last_sign_in_at = now
            audit.record(
                session,
                Principal(fresh.id, fresh.email, Role(fresh.role)),
                "user.sign_in",
                target_kind="user",
                target_id=fresh.id,
            )
            principal = _principal(session, fresh, db)
    if principal is None:
        raise SignInRefused()
    return principal


_SIGN_IN_LOCK = 72_550_007  # any fixed number: the advisory locks that serialise sign-ins


def _lock_sign_in(session: Session, email: str) -> None:
    """Make sign-ins for one email take turns until this transaction ends.

    SQLite: the write transaction (``BEGIN IMMEDIATE``) already holds the database's one
    write lock. PostgreSQL: a transaction-level advisory lock on the email (emails that share
    a hash merely take turns too).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:key, hashtext(:email))"),
            {"key": _SIGN_IN_LOCK, "email": email},
        )


def _source(source: str | None) -> str | None:
    return source[:100] if source else None


def sign_in_verified_email(db: Database, email: str) -> Principal:
    """The principal for an email an identity provider has verified (OIDC via st.login)."""
    try:
        email = normalise_email(email)
    except InputError:
        raise SignInRefused() from None
    with db.write() as session:
        user = session.scalar(select(User).where(User.email == email))
        if user is None or not user.active:
            raise SignInRefused()
        user.last_sign_in_at = utcnow()
        audit.record(
            session,
            Principal(user.id, user.email, Role(user.role)),
            "user.sign_in_oidc",
            target_kind="user",
            target_id=user.id,
        )
        return _principal(session, user, db)


def user_for_email(db: Database, actor: Principal, email: str) -> UserView:
    """One account by email: one's own, or anyone's for a curator."""
    address = normalise_email(email)
    if address != actor.email:
        require(actor, Action.users_manage)
    with db.read() as session:
        user = session.scalar(select(User).where(User.email == address))
        if user is None:
            raise InputError.single(_FILE, "email", f"no account for {address}")
        return _view(session, user)


def principal_for_email(db: Database, email: str) -> Principal:
    """The principal of an active account, by email, without a password.

    For the command line only (``--as EMAIL``): whoever runs it can reach the database
    anyway; this lets them act under a named account, checked and audited as that account.
    """
    address = normalise_email(email)
    with db.read() as session:
        user = session.scalar(select(User).where(User.email == address))
        if user is None or not user.active:
            raise InputError.single("--as", "email", f"no active account for {address}")
        return _principal(session, user, db)
