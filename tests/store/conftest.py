"""One suite, two databases: every store test runs on a fresh SQLite file by default, and on
a fresh PostgreSQL schema (created and dropped around each test) when
``ADVISOR_TEST_DATABASE_URL`` is set, e.g.

    ADVISOR_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/postgres \
        pytest -q -m postgres
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from store_world import FAST_HASHING, KB_SMALL, World, fresh_database_url, make_user

from advisor.services import organisations
from advisor.services.kb_revisions import import_knowledge_base
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store import migrate
from advisor.store.database import Database


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    yield from fresh_database_url(tmp_path)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """Light argon2 parameters: hashing stays fast in tests only."""
    return Settings(
        data_dir=tmp_path,
        database_url=database_url,
        kb_dir=KB_SMALL,
        **FAST_HASHING,
        signin_max_failures=3,
        signin_window_seconds=600,
        signin_lockout_seconds=300,
        draft_retention_days=30,
    )


@pytest.fixture
def empty_db(database_url: str) -> Iterator[Database]:
    """A database with no tables yet."""
    db = Database(database_url, busy_timeout_ms=30_000)
    yield db
    db.dispose()


@pytest.fixture
def db(empty_db: Database) -> Database:
    """A migrated store holding the small test knowledge base as revision 1."""
    migrate.upgrade(empty_db)
    import_knowledge_base(empty_db, OPERATOR, KB_SMALL, "test knowledge base")
    return empty_db


@pytest.fixture
def world(db: Database, settings: Settings) -> World:
    organisations.create_organisation(
        db, OPERATOR, "north_council", "North Council", "unitary", "North East"
    )
    organisations.create_organisation(
        db, OPERATOR, "south_council", "South Council", "district", "South West"
    )
    organisations.create_organisation(db, OPERATOR, "acme", "Acme Data", "vendor")
    organisations.create_organisation(db, OPERATOR, "brightdata", "Bright Data", "vendor")
    organisations.create_organisation(db, OPERATOR, "advise_co", "Advise & Co", "consultancy")
    return World(
        db=db,
        settings=settings,
        curator=make_user(db, settings, "curator@example.org", "curator", []),
        council_north=make_user(db, settings, "lead@north.gov.uk", "council", ["north_council"]),
        council_south=make_user(db, settings, "lead@south.gov.uk", "council", ["south_council"]),
        consultant=make_user(db, settings, "c@advise.example", "consultant", ["north_council"]),
        vendor_acme=make_user(db, settings, "sales@acme.example", "vendor", ["acme"]),
        vendor_bright=make_user(db, settings, "team@bright.example", "vendor", ["brightdata"]),
    )
