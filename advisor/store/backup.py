"""Backups of the embedded SQLite store through SQLite's online backup API.

``backup_sqlite(db, target)`` copies a consistent snapshot while the app keeps running,
into a temporary file that replaces ``target`` only when complete. ``restore_sqlite(db,
source)`` checks the file (a SQLite database, intact, at a migration this code knows) and
copies it over the live store page by page, then migrates it forward if it is older.
PostgreSQL stores are backed up with ``pg_dump`` (see ``docs/storage.md``).
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from advisor.errors import InputError
from advisor.store import migrate
from advisor.store.database import Database
from advisor.yamlio import check_output_path

_PG_HINT = "backup and restore here are for the SQLite store; use pg_dump for PostgreSQL"


def _live_path(db: Database) -> Path:
    path = db.sqlite_path()
    if path is None:
        raise InputError.single("ADVISOR_DATABASE_URL", "(store)", _PG_HINT)
    return path


def backup_sqlite(db: Database, target: Path | str) -> Path:
    """Write a consistent copy of the live store to ``target`` (atomically)."""
    source = _live_path(db)
    if not source.exists():
        raise InputError.single(str(source), "(file)", "the store does not exist yet")
    target = Path(target)
    check_output_path(target)  # a device, pipe or symbolic link is refused, not replaced
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with (
            closing(sqlite3.connect(source, timeout=30)) as src,
            closing(sqlite3.connect(tmp)) as dst,
        ):
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            dst.commit()
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def check_backup(source: Path | str) -> str:
    """The migration a backup file is at; InputError if it is not a usable backup."""
    path = Path(source)
    if not path.is_file():
        raise InputError.single(str(path), "(file)", "no such file")
    with open(path, "rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise InputError.single(str(path), "(file)", "not a SQLite database")
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            if conn.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise InputError.single(str(path), "(file)", "the database is damaged")
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as exc:
        raise InputError.single(str(path), "(file)", f"not an advisor store: {exc}") from None
    if row is None or row[0] not in migrate.known_revisions():
        raise InputError.single(
            str(path), "alembic_version", "made by a newer or unknown version of the advisor"
        )
    return str(row[0])


def restore_sqlite(db: Database, source: Path | str) -> str | None:
    """Replace the live store's content with a backup; return the migration it ends at."""
    target = _live_path(db)
    check_backup(source)
    db.dispose()
    db.cache.clear()
    target.parent.mkdir(parents=True, exist_ok=True)
    with (
        closing(sqlite3.connect(f"file:{Path(source)}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(target, timeout=30)) as dst,
    ):
        src.backup(dst)
    return migrate.upgrade(db)
