"""Alembic environment: runs on the connection ``advisor.store.migrate`` hands over.

Run from the ``alembic`` command (for writing migrations) it opens the store named by the
settings (``ADVISOR_DATABASE_URL``) itself.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from advisor.store.models import Base

config = context.config


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    if context.is_offline_mode():
        raise SystemExit("offline (--sql) migrations are not supported; run advisor db upgrade")
    from advisor.settings import load_settings
    from advisor.store.database import make_engine

    settings = load_settings()
    engine = make_engine(settings.effective_database_url(), settings.sqlite_busy_timeout_ms)
    with engine.connect() as conn:
        _run(conn)
        conn.commit()
    engine.dispose()


run_migrations()
