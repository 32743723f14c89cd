"""Signed-in sessions that outlive a browser tab: a reload, a new tab or a restarted server
keeps the user signed in and brings them back where they were.

The browser holds a random 256-bit token in an HttpOnly, SameSite=Strict cookie; the store
keeps only its SHA-256, with the user, when it ends, whether it was revoked, and where the
user was (page, assessment, section). The token never passes through the page: at sign-in
the app gets a one-time handover code (valid for ``HANDOVER_SECONDS``), the browser posts it
to the server, and the server's answer sets the cookie (``advisor.app.web_server``).

Every restore checks the token against the store: an unknown, revoked or expired session, or
an account switched off since, is refused.

API:

- ``start_session(db, actor) -> SessionStart``: a new session and its handover code.
- ``collect_token(db, code) -> str | None``: the session's token, once, for its code.
- ``restore(db, token) -> Restored | None``: the user and where they were, or None.
- ``session_live(db, session_id, user_id) -> bool``: still valid (checked on each rerun).
- ``note_place(db, session_id, page=..., assessment_id=..., section=...)``: where the user is.
- ``end_session(db, session_id)`` and ``end_session_by_token(db, token)``: sign-out.
- ``end_user_sessions(db, actor, user_id) -> int``: end every session of an account (a
  curator switching it off, or the user themselves).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from advisor.services import audit
from advisor.services.accounts import principal_for
from advisor.services.errors import SignInRefused
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import SignInSession, utcnow

SESSION_HOURS = 12
"""A session ends this long after sign-in, however busy."""
IDLE_HOURS = 4
"""A session not used for this long ends too."""
HANDOVER_SECONDS = 120
_TOKEN_BYTES = 32


@dataclass(frozen=True)
class SessionStart:
    session_id: int
    handover_code: str
    """One-time code the browser exchanges for the cookie; never shown or put in a URL."""


@dataclass(frozen=True)
class Place:
    """Where the user was: a page (its URL path), an assessment and a section of it."""

    page: str | None = None
    assessment_id: int | None = None
    section: str | None = None


@dataclass(frozen=True)
class Restored:
    session_id: int
    principal: Principal
    place: Place


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def start_session(db: Database, actor: Principal, *, now: datetime | None = None) -> SessionStart:
    """A new session for a user who has just signed in, and the code to collect its token."""
    if actor.user_id is None:
        raise SignInRefused()
    now = now or utcnow()
    code = secrets.token_urlsafe(_TOKEN_BYTES)
    with db.write() as session:
        row = SignInSession(
            user_id=actor.user_id,
            token_hash=None,
            handover_hash=_hash(code),
            handover_expires_at=now + timedelta(seconds=HANDOVER_SECONDS),
            created_at=now,
            expires_at=now + timedelta(hours=SESSION_HOURS),
            last_seen_at=now,
        )
        session.add(row)
        session.flush()
        return SessionStart(session_id=row.id, handover_code=code)


def collect_token(db: Database, code: str, *, now: datetime | None = None) -> str | None:
    """The session's token for a valid handover code (once: the code is used up)."""
    if not code or len(code) > 200:
        return None
    now = now or utcnow()
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    with db.write() as session:
        row = session.scalar(
            select(SignInSession).where(SignInSession.handover_hash == _hash(code))
        )
        if row is None:
            return None
        expired = row.handover_expires_at is None or row.handover_expires_at < now
        row.handover_hash = None  # used up, whatever happens next
        row.handover_expires_at = None
        if expired or row.revoked_at is not None or row.expires_at <= now:
            return None
        row.token_hash = _hash(token)
        row.last_seen_at = now
    return token


def _usable(row: SignInSession, now: datetime) -> bool:
    return (
        row.revoked_at is None
        and row.expires_at > now
        and row.last_seen_at + timedelta(hours=IDLE_HOURS) > now
    )


def restore(db: Database, token: str, *, now: datetime | None = None) -> Restored | None:
    """The signed-in user of a session token and where they were; None if it is refused."""
    if not token or len(token) > 200:
        return None
    now = now or utcnow()
    with db.write() as session:
        row = session.scalar(select(SignInSession).where(SignInSession.token_hash == _hash(token)))
        if row is None or not _usable(row, now):
            return None
        row.last_seen_at = now
        session_id, user_id = row.id, row.user_id
        place = Place(row.last_page, row.assessment_id, row.section)
    try:
        who = principal_for(db, user_id)
    except SignInRefused:  # switched off or removed since
        end_session(db, session_id)
        return None
    return Restored(session_id, who, place)


def session_live(
    db: Database, session_id: int, user_id: int, *, now: datetime | None = None
) -> bool:
    """True while the session is valid for this user (not revoked, not expired)."""
    now = now or utcnow()
    with db.read() as session:
        row = session.get(SignInSession, session_id)
        return row is not None and row.user_id == user_id and _usable(row, now)


def note_place(
    db: Database,
    session_id: int,
    *,
    page: str | None = None,
    assessment_id: int | None = None,
    section: str | None = None,
    now: datetime | None = None,
) -> None:
    """Remember where the user is now (a page alone forgets the assessment and section)."""
    now = now or utcnow()
    with db.write() as session:
        session.execute(
            update(SignInSession)
            .where(SignInSession.id == session_id, SignInSession.revoked_at.is_(None))
            .values(
                last_page=(page or "")[:80] or None,
                assessment_id=assessment_id,
                section=(section or "")[:120] or None,
                last_seen_at=now,
            )
        )


def end_session(db: Database, session_id: int) -> None:
    """Sign one session out (its cookie no longer restores anything)."""
    with db.write() as session:
        session.execute(
            update(SignInSession)
            .where(SignInSession.id == session_id, SignInSession.revoked_at.is_(None))
            .values(revoked_at=utcnow(), handover_hash=None)
        )


def end_session_by_token(db: Database, token: str) -> None:
    """Sign out the session a cookie names (the server's sign-out route)."""
    if not token or len(token) > 200:
        return
    with db.write() as session:
        session.execute(
            update(SignInSession)
            .where(SignInSession.token_hash == _hash(token), SignInSession.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def end_user_sessions(db: Database, actor: Principal, user_id: int) -> int:
    """End every session of an account; how many were open. A curator, or the user."""
    if actor.user_id != user_id:
        require(actor, Action.users_manage)
    now = utcnow()
    with db.write() as session:
        ended = session.execute(
            update(SignInSession)
            .where(SignInSession.user_id == user_id, SignInSession.revoked_at.is_(None))
            .values(revoked_at=now, handover_hash=None)
        )
        count = int(ended.rowcount or 0)  # type: ignore[attr-defined]
        audit.record(
            session,
            actor,
            "user.sessions_end",
            target_kind="user",
            target_id=user_id,
            detail={"sessions": count},
        )
        return count
