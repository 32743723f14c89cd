"""What the store tests share: fresh databases on SQLite or PostgreSQL, and a small world
of organisations and accounts (imported by ``conftest.py`` and by worker processes)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text

from advisor.services import accounts
from advisor.services.permissions import OPERATOR, Principal
from advisor.settings import Settings
from advisor.store.database import Database, normalise_url

PG_URL = os.environ.get("ADVISOR_TEST_DATABASE_URL")
KB_SMALL = Path(__file__).parent / "kb_small"
PASSWORD = "correct horse battery staple"
FAST_HASHING = {"argon2_time_cost": 1, "argon2_memory_kib": 8, "argon2_parallelism": 1}


def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database of its own; dropped afterwards on PostgreSQL."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'store.sqlite'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    base = normalise_url(PG_URL)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@dataclass
class World:
    """A store with one account of each kind, and the principals to act as them."""

    db: Database
    settings: Settings
    curator: Principal
    council_north: Principal
    council_south: Principal
    consultant: Principal
    vendor_acme: Principal
    vendor_bright: Principal

    def by_role(self, name: str) -> Principal:
        return getattr(self, name)  # type: ignore[no-any-return]


def make_user(
    db: Database, settings: Settings, email: str, role: str, orgs: list[str]
) -> Principal:
    user = accounts.create_user(
        db, OPERATOR, settings, email=email, role=role, password=PASSWORD, organisations=orgs
    )
    return accounts.principal_for(db, user.id)
