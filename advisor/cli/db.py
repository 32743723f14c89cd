"""CLI commands: ``advisor db ...`` (upgrade, status, backup, restore, purge-drafts).

Also the way every store command opens the store: ``cli_store`` creates and seeds an
empty store on first use, and refuses a store whose schema is behind the code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, ParamSpec, TypeVar

import typer

from advisor.cli.common import EXIT_FAILURE, fail, guarded
from advisor.services.errors import ServiceError

if TYPE_CHECKING:
    from advisor.settings import Settings
    from advisor.store.database import Database

# The store (SQLAlchemy, Alembic) is imported by the commands that use it, when they run:
# starting the CLI for any other command costs nothing for it.

P = ParamSpec("P")
R = TypeVar("R")

db_app = typer.Typer(help="The store: migrations, backups, housekeeping.", no_args_is_help=True)


def refusals(func: Callable[P, R]) -> Callable[P, R]:
    """Show a service refusal or conflict as its plain message (exit 1)."""

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except ServiceError as exc:
            raise fail(str(exc), EXIT_FAILURE) from None

    return wrapper


@contextmanager
def cli_store(ready: bool = True) -> Iterator[tuple[Database, Settings]]:
    """The configured store, closed afterwards. With ``ready``: created and seeded if empty,
    refused if its schema is behind the code."""
    from advisor.services.setup import open_store, prepare_store, require_current_schema
    from advisor.settings import load_settings
    from advisor.store import migrate

    settings = load_settings()
    db = open_store(settings)
    try:
        if ready and migrate.current_revision(db) is None:
            status = prepare_store(db, settings)
            typer.echo(
                f"created the store {db.url.render_as_string(hide_password=True)} "
                f"(knowledge base revision {status.kb_revision})",
                err=True,
            )
        elif ready:
            require_current_schema(db)
        yield db, settings
    finally:
        db.dispose()


@db_app.command("upgrade")
@guarded
@refusals
def upgrade(
    seed: Annotated[
        bool,
        typer.Option("--seed/--no-seed", help="Import the knowledge base into an empty store."),
    ] = True,
) -> None:
    """Create or migrate the store to the newest schema (safe to run again)."""
    from advisor.services.setup import prepare_store
    from advisor.store import migrate

    with cli_store(ready=False) as (db, settings):
        before = migrate.current_revision(db)
        status = prepare_store(db, settings, seed=seed)
        where = db.url.render_as_string(hide_password=True)
    if before == status.schema_revision:
        typer.echo(f"{where}: already at schema {status.schema_revision}")
    else:
        typer.echo(f"{where}: schema {before or 'none'} -> {status.schema_revision}")
    if status.seeded is not None and status.seeded.revision is not None:
        typer.echo(
            f"seeded the knowledge base from {settings.effective_kb_dir()}: "
            f"{status.seeded.added} entries, revision {status.seeded.revision}"
        )
    typer.echo(f"knowledge base revision {status.kb_revision}; {status.accounts} account(s)")


@db_app.command("status")
@guarded
@refusals
def status() -> None:
    """Schema revision, live knowledge-base revision and number of accounts."""
    from advisor.services.setup import store_status

    with cli_store(ready=False) as (db, _):
        st = store_status(db)
        typer.echo(f"store: {db.url.render_as_string(hide_password=True)}")
        typer.echo(f"schema: {st.schema_revision or 'none'} (this version needs {st.schema_head})")
        if st.schema_revision == st.schema_head:
            typer.echo(f"knowledge base revision: {st.kb_revision}")
            typer.echo(f"accounts: {st.accounts}")


@db_app.command("backup")
@guarded
@refusals
def backup(
    file: Annotated[Path, typer.Argument(help="Backup file to write.")],
) -> None:
    """Copy the SQLite store to FILE while it stays in use (PostgreSQL: use pg_dump)."""
    from advisor.store.backup import backup_sqlite, check_backup

    with cli_store(ready=False) as (db, _):
        written = backup_sqlite(db, file)
    typer.echo(f"wrote {written} (schema {check_backup(written)})")


@db_app.command("restore")
@guarded
@refusals
def restore(
    file: Annotated[Path, typer.Argument(help="Backup file made by 'advisor db backup'.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the SQLite store's content with a backup, then migrate it if it is older."""
    from advisor.store.backup import check_backup, restore_sqlite

    with cli_store(ready=False) as (db, _):
        schema = check_backup(file)
        if not yes:
            typer.confirm(
                f"Replace everything in {db.url.render_as_string(hide_password=True)} "
                f"with {file} (schema {schema})?",
                abort=True,
            )
        ended = restore_sqlite(db, file)
    typer.echo(f"restored {file}; store at schema {ended}")


@db_app.command("purge-drafts")
@guarded
@refusals
def purge_drafts() -> None:
    """Delete drafts untouched for ADVISOR_DRAFT_RETENTION_DAYS and old sign-in records."""
    from advisor.services.data_protection import purge_abandoned_drafts
    from advisor.services.permissions import OPERATOR

    with cli_store() as (db, settings):
        result = purge_abandoned_drafts(db, OPERATOR, settings)
    typer.echo(
        f"deleted {result.drafts} draft(s) untouched for {settings.draft_retention_days} days "
        f"and {result.sign_in_attempts} old sign-in record(s)"
    )


def register(app: typer.Typer) -> None:
    """Add the ``db`` group to the main app."""
    app.add_typer(db_app, name="db")
