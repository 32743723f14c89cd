"""Migrations: an older store with data in it upgrades keeping every row; upgrading twice
changes nothing; the migrations build exactly the tables the models describe."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    Table,
    func,
    insert,
    inspect,
    select,
    text,
)
from store_world import PASSWORD

from advisor.answers import Answers
from advisor.services import accounts, assessments, kb_revisions
from advisor.settings import Settings
from advisor.store import migrate
from advisor.store.database import Database
from advisor.store.models import Assessment, Base, Response

pytestmark = pytest.mark.postgres

FIXTURE = Path(__file__).parent / "fixtures" / "store_0001.sqlite"
ADDED_SINCE_0001 = {
    "responses",
    "report_themes",
    "client_proposals",
    "sign_in_sessions",
    "render_jobs",
    "what_if_scenarios",
}
OLD_TABLES = [t for t in Base.metadata.sorted_tables if t.name not in ADDED_SINCE_0001]


def fixture_rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the fixture, read through the models' column types (the columns the
    fixture has: later ones were added since)."""
    source = Database(f"sqlite:///{FIXTURE}")
    try:
        with source.engine.connect() as conn:
            found = inspect(conn)
            rows = {}
            for t in OLD_TABLES:
                names = {c["name"] for c in found.get_columns(t.name)}
                query = select(*[c for c in t.columns if c.name in names])
                rows[t.name] = [dict(r) for r in conn.execute(query).mappings()]
            return rows
    finally:
        source.dispose()


def load_fixture(db: Database) -> None:
    """Put the 0001 fixture into the empty test database (file copy, or rows into PG)."""
    path = db.sqlite_path()
    if path is not None:
        shutil.copyfile(FIXTURE, path)
        return
    migrate.upgrade(db, "0001")
    rows = fixture_rows()
    with db.engine.begin() as conn:
        conn.execute(text("DELETE FROM kb_state"))
        for table in OLD_TABLES:
            if rows[table.name]:  # only the fixture's columns: later ones have defaults
                keys = set(rows[table.name][0])
                as_at_0001 = Table(
                    table.name,
                    MetaData(),
                    *[Column(c.name, c.type) for c in table.columns if c.name in keys],
                )
                conn.execute(insert(as_at_0001), rows[table.name])
        for table in OLD_TABLES:  # explicit ids do not move the sequences on
            pk = list(table.primary_key.columns)
            if (
                len(pk) == 1
                and pk[0].autoincrement is not False
                and isinstance(pk[0].type, Integer)
            ):
                top = select(func.coalesce(func.max(pk[0]), 1)).scalar_subquery()
                sequence = func.pg_get_serial_sequence(table.name, pk[0].name)
                conn.execute(select(func.setval(sequence, top)))


def counts(db: Database) -> dict[str, int]:
    with db.engine.connect() as conn:
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in OLD_TABLES
        }


def test_fixture_is_at_the_older_revision() -> None:
    with sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert migrate.head_revision() != "0001"


def test_upgrade_of_an_older_store_keeps_every_row(empty_db: Database, settings: Settings) -> None:
    db = empty_db
    load_fixture(db)
    before = fixture_rows()
    expected = {name: len(rows) for name, rows in before.items()}
    assert all(expected[t] > 0 for t in expected)  # the fixture has data in every table
    assert migrate.current_revision(db) == "0001"
    assert migrate.upgrade(db) == migrate.head_revision()
    assert counts(db) == expected
    with db.engine.connect() as conn:  # the tables added since are there, and empty
        for table in ADDED_SINCE_0001 - {"responses"}:
            assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0  # noqa: S608
    with db.read() as session:
        old = {a["id"]: a for a in before["assessments"]}
        for a in session.scalars(select(Assessment)):
            was = old[a.id]
            assert (a.title, a.status, a.version, a.profile) == (
                was["title"],
                was["status"],
                was["version"],
                was["profile"],
            )
            [response] = session.scalars(select(Response).where(Response.assessment_id == a.id))
            # each assessment's answers now belong to its author's response
            assert response.respondent_id == was["author_id"]
            assert response.answers == (was["answers"] or {})
            assert a.answers == (was["answers"] if a.status == "submitted" else None)
    # and the services work on the upgraded store
    who = accounts.sign_in(db, settings, "lead@north.gov.uk", PASSWORD)
    north = assessments.list_assessments(db, who)
    assert [a.title for a in north] == ["North 2025", "North draft"]
    draft = assessments.get_assessment(db, who, north[1].id)
    mine = draft.response_of(who.user_id)
    assert mine is not None
    assert mine.answers.answers["org_name"].note == "from 0001"
    more = Answers.model_validate(
        {"questionnaire_version": "1.0", "answers": {"org_name": "North Council (new)"}}
    )
    assert assessments.save_draft(db, who, draft.id, more, mine.version).version == 2
    live = kb_revisions.live_knowledge_base(db)
    assert live.revision == 2
    assert live.kb.vendors[0].description == "Data hubs for councils."
    assert (
        len(accounts.list_users(db, accounts.principal_for_email(db, "curator@example.org"))) == 4
    )


def test_upgrade_twice_changes_nothing(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    first = counts(empty_db)
    assert migrate.upgrade(empty_db) == migrate.head_revision()
    assert counts(empty_db) == first


def test_down_and_up_again_keeps_the_rows(empty_db: Database) -> None:
    load_fixture(empty_db)
    expected = counts(empty_db)
    migrate.upgrade(empty_db)
    migrate.downgrade(empty_db, "0001")
    assert counts(empty_db) == expected
    migrate.upgrade(empty_db)
    assert counts(empty_db) == expected


def test_migrations_match_the_models(empty_db: Database) -> None:
    migrate.upgrade(empty_db)
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
