"""Open a store and run transactions on it.

``Database(url)`` builds the engine once per process (share it; the app keeps it in
``st.cache_resource``). ``db.read()`` gives a session for reading; ``db.write()`` gives a
session whose work is committed as one transaction when the block ends, or rolled back
whole if it raises.

SQLite: WAL journal (readers never wait for the writer), ``busy_timeout`` (a writer waits for
another instead of failing with "database is locked"), foreign keys on, and write
transactions opened with ``BEGIN IMMEDIATE`` so that a transaction that reads then writes
cannot fail half-way on a lock upgrade. PostgreSQL: READ COMMITTED; concurrent edits are
caught by version checks in the UPDATE itself (see ``advisor.services.assessments``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.orm import Session, sessionmaker

from advisor.settings import Settings

_WRITE = "advisor_write"


def normalise_url(url: str | URL) -> URL:
    """Parse a database URL; plain ``postgresql://`` means the psycopg 3 driver."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def make_engine(url: str | URL, busy_timeout_ms: int = 30_000) -> Engine:
    """An engine with the store's connection settings (pragmas for SQLite, pre-ping for PG)."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, pool_pre_ping=True)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        parsed,
        connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # the "begin" hook below opens transactions
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(_WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Database:
    """One store: its engine and the sessions that read and write it."""

    def __init__(self, url: str | URL, busy_timeout_ms: int = 30_000) -> None:
        self.url = normalise_url(url)
        self.engine = make_engine(self.url, busy_timeout_ms)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(
            self.engine.execution_options(**{_WRITE: True}), expire_on_commit=False
        )
        self.cache: dict[str, Any] = {}
        """Per-process values derived from the store (e.g. the live knowledge base)."""
        self._open = threading.local()

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        """The store the settings point at."""
        return cls(settings.effective_database_url(), settings.sqlite_busy_timeout_ms)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    def sqlite_path(self) -> Path | None:
        """The SQLite file, or none for PostgreSQL or an in-memory database."""
        if not self.is_sqlite or not self.url.database or self.url.database == ":memory:":
            return None
        return Path(self.url.database)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; nothing it does is committed."""
        # closing rolls back; loaded objects stay readable
        with self._read() as session, self._opened(session):
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose changes commit as one transaction, or roll back if it raises."""
        with self._write() as session, session.begin(), self._opened(session):
            yield session

    def current_session(self) -> Session | None:
        """The innermost session this thread has open on this store, if any.

        Lets a check made in the middle of a transaction (the permission recheck) read
        through the same connection instead of taking a second one from the pool.
        """
        stack: list[Session] = getattr(self._open, "stack", [])
        return stack[-1] if stack else None

    @contextmanager
    def _opened(self, session: Session) -> Iterator[None]:
        stack: list[Session] | None = getattr(self._open, "stack", None)
        if stack is None:
            stack = self._open.stack = []
        stack.append(session)
        try:
            yield
        finally:
            stack.pop()

    def dispose(self) -> None:
        """Close every pooled connection (before a restore, or at exit)."""
        self.engine.dispose()

    def __repr__(self) -> str:
        return f"Database({self.url.render_as_string(hide_password=True)!r})"
