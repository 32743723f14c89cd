"""Opening the store, first start, and its state.

- ``open_store(settings)``: the ``Database`` the settings name.
- ``prepare_store(db, settings, seed=True) -> StoreStatus``: migrate to the newest schema
  (idempotent) and, on an empty store, import the knowledge base from ``settings.kb_dir``
  (the bundled one by default). ``advisor db upgrade`` and ``advisor serve`` call it.
- ``store_status(db)``: schema revision, live knowledge-base revision, number of accounts.
- ``require_current_schema(db)``: refuse to work on a store whose schema is behind the code.
- ``needs_first_curator(db)`` and ``create_first_curator(db, settings, email)``: the first
  account of a new deployment, with a one-time password to change on first sign-in.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import func, select

from advisor.services import accounts
from advisor.services.errors import ServiceError
from advisor.services.kb_revisions import ImportResult, ensure_seeded, live_revision
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store import migrate
from advisor.store.database import Database
from advisor.store.models import User
from advisor.vocabulary import Role


@dataclass(frozen=True)
class StoreStatus:
    schema_revision: str | None
    schema_head: str
    kb_revision: int
    accounts: int
    seeded: ImportResult | None = None


def open_store(settings: Settings) -> Database:
    """The store the settings name (a SQLite file by default, PostgreSQL when configured)."""
    return Database.from_settings(settings)


def store_status(db: Database) -> StoreStatus:
    """Where the store stands."""
    revision = migrate.current_revision(db)
    head = migrate.head_revision()
    if revision != head:
        return StoreStatus(revision, head, 0, 0)
    with db.read() as session:
        n_accounts = int(session.scalar(select(func.count()).select_from(User)) or 0)
    return StoreStatus(revision, head, live_revision(db), n_accounts)


def prepare_store(db: Database, settings: Settings, seed: bool = True) -> StoreStatus:
    """Migrate the store to the newest schema and seed an empty one; safe to repeat."""
    migrate.upgrade(db)
    seeded = ensure_seeded(db, settings.effective_kb_dir()) if seed else None
    status = store_status(db)
    return StoreStatus(
        status.schema_revision, status.schema_head, status.kb_revision, status.accounts, seeded
    )


def require_current_schema(db: Database) -> None:
    """Raise unless the store's schema is the one this code expects."""
    revision = migrate.current_revision(db)
    head = migrate.head_revision()
    if revision != head:
        raise ServiceError(
            f"the store is at schema {revision or 'none'}, this version needs {head}: "
            "run 'advisor db upgrade' first"
        )


def needs_first_curator(db: Database) -> bool:
    """True while no active curator account exists."""
    with db.read() as session:
        query = (
            select(func.count())
            .select_from(User)
            .where(User.role == Role.curator.value, User.active.is_(True))
        )
        return int(session.scalar(query) or 0) == 0


def create_first_curator(
    db: Database, settings: Settings, email: str
) -> tuple[accounts.UserView, str]:
    """The first curator account and its one-time password (refused once a curator exists)."""
    if not needs_first_curator(db):
        raise ServiceError("a curator account exists already: sign in with it")
    password = secrets.token_urlsafe(18)
    user = accounts.create_user(
        db, OPERATOR, settings, email=email, role=Role.curator, password=password, one_time=True
    )
    return user, password
