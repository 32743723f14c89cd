"""Run the Alembic migrations from the installed package (no ini file needed).

``upgrade(db)`` is idempotent: on a store already at the newest revision it does nothing.
Several processes may call it at once: on PostgreSQL a transaction-level advisory lock makes
them take turns; on SQLite ``BEGIN IMMEDIATE`` does.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from advisor.store.database import Database

MIGRATIONS_DIR = Path(__file__).resolve().parents[1] / "migrations"
_LOCK_KEY = 72_550_006  # any fixed number: the advisory lock that serialises upgrades


def alembic_config() -> Config:
    """An Alembic configuration pointing at the packaged migrations."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    """The newest migration this code knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found")
    return head


def known_revisions() -> set[str]:
    """Every migration id this code knows."""
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(db: Database) -> str | None:
    """The revision the store is at; none for an empty store."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _migrate(db: Database, revision: str, down: bool) -> None:
    config = alembic_config()
    engine = db.engine.execution_options(advisor_write=True)
    with engine.connect() as conn:
        if db.is_sqlite:
            # SQLite copies a table to alter it; with foreign keys on, dropping the old copy
            # would cascade deletes into the tables that point at it
            conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        try:
            with conn.begin():
                _lock(conn)
                config.attributes["connection"] = conn
                if down:
                    command.downgrade(config, revision)
                else:
                    command.upgrade(config, revision)
                if db.is_sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken references: {broken[:5]}")
        finally:
            if db.is_sqlite:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})


def upgrade(db: Database, revision: str = "head") -> str | None:
    """Bring the store up to ``revision`` (default: the newest); return where it ends."""
    _migrate(db, revision, down=False)
    return current_revision(db)


def downgrade(db: Database, revision: str) -> str | None:
    """Take the store back to ``revision`` (for testing migrations; loses new columns)."""
    _migrate(db, revision, down=True)
    return current_revision(db)
