"""CLI commands on the knowledge base in the store: ``advisor kb import|export|revisions|
proposals|review``, registered onto the ``kb`` group.

They act as the operator (a curator's rights), or as a named account with ``--as EMAIL``,
in which case that account's permissions apply and the audit log names it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import guarded
from advisor.cli.db import cli_store, refusals

if TYPE_CHECKING:
    from advisor.services.kb_revisions import Progress
    from advisor.services.permissions import Principal
    from advisor.store.database import Database

# The store's services are imported by each command when it runs (see advisor.cli.db).

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this account (its permissions apply).", show_default=False),
]


def _actor(db: Database, as_email: str | None) -> Principal:
    from advisor.services.accounts import principal_for_email
    from advisor.services.permissions import OPERATOR

    return principal_for_email(db, as_email) if as_email else OPERATOR


def _progress(label: str) -> Progress:
    def show(done: int, total: int) -> None:
        if total >= 1000 or done == total:
            typer.echo(f"\r{label}: {done}/{total}", nl=done == total, err=True)

    return show


@guarded
@refusals
def import_(
    directory: Annotated[Path, typer.Argument(help="Knowledge-base folder to import.")],
    comment: Annotated[str | None, typer.Option("--comment", help="Why (kept with it).")] = None,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Allow an import that removes more than half of the live entries."
        ),
    ] = False,
    as_email: AsOption = None,
) -> None:
    """Make the store's knowledge base equal to DIR, as one new revision."""
    from advisor.services import kb_revisions

    with cli_store() as (db, _):
        result = kb_revisions.import_knowledge_base(
            db,
            _actor(db, as_email),
            directory,
            comment,
            _progress("writing entries"),
            replace=replace,
        )
        if result.revision is None:
            typer.echo(
                f"no change: the store already holds {directory} ({result.unchanged} entries)"
            )
        else:
            typer.echo(
                f"revision {result.revision}: {result.added} added, {result.changed} changed, "
                f"{result.removed} removed, {result.unchanged} unchanged"
            )


@guarded
@refusals
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write.")],
    revision: Annotated[
        int | None, typer.Option("--revision", help="An older revision (default: live).")
    ] = None,
    as_email: AsOption = None,
) -> None:
    """Write the live (or an older) revision as a knowledge-base folder."""
    from advisor.services import kb_revisions

    with cli_store() as (db, _):
        result = kb_revisions.export_knowledge_base(
            db, _actor(db, as_email), directory, revision, _progress("writing files")
        )
        typer.echo(
            f"wrote revision {result.revision} to {directory}: {result.files_written} file(s), "
            f"{result.files_removed} stale file(s) removed"
        )


@guarded
@refusals
def revisions(
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 20,
) -> None:
    """The newest revisions of the knowledge base."""
    from advisor.services import kb_revisions

    with cli_store() as (db, _):
        for r in kb_revisions.list_revisions(db, limit):
            when = r.created_at.strftime("%Y-%m-%d %H:%M")
            typer.echo(
                f"{r.id:>6}  {when}  {r.kind:9} {r.changes:>6} change(s)  "
                f"{r.author}: {r.comment or ''}"
            )


@guarded
@refusals
def proposals(
    status: Annotated[
        str | None, typer.Option("--status", help="proposed, approved or rejected.")
    ] = "proposed",
    show_diff: Annotated[bool, typer.Option("--diff", help="Print each diff.")] = False,
    as_email: AsOption = None,
) -> None:
    """Proposed changes waiting for review (or with --status, decided ones)."""
    from advisor.services import kb_revisions

    with cli_store() as (db, _):
        found = kb_revisions.list_proposals(db, _actor(db, as_email), status)
        for p in found:
            when = p.created_at.strftime("%Y-%m-%d %H:%M")
            typer.echo(
                f"#{p.id:<5} {when}  {p.status:9} {p.kind}/{p.entry_id} "
                f"(from version {p.base_version}) by {p.author}: {p.comment or ''}"
            )
            if show_diff:
                typer.echo(p.diff)
        if not found:
            typer.echo("no proposals")


@guarded
@refusals
def review(
    proposal_id: Annotated[int, typer.Argument(help="Proposal number.")],
    approve: Annotated[
        bool, typer.Option("--approve/--reject", help="Approve (new live revision) or reject.")
    ],
    comment: Annotated[
        str | None, typer.Option("--comment", help="Why (needed to reject).")
    ] = None,
    as_email: AsOption = None,
) -> None:
    """Approve or reject a proposal."""
    from advisor.services import kb_revisions

    with cli_store() as (db, _):
        actor = _actor(db, as_email)
        if approve:
            rev = kb_revisions.approve_proposal(db, actor, proposal_id, comment)
            typer.echo(f"approved #{proposal_id}: live revision {rev.id}")
        else:
            kb_revisions.reject_proposal(db, actor, proposal_id, comment or "")
            typer.echo(f"rejected #{proposal_id}")


def register(kb_app: typer.Typer) -> None:
    """Add the store commands to the ``kb`` group."""
    kb_app.command("import")(import_)
    kb_app.command("export")(export)
    kb_app.command("revisions")(revisions)
    kb_app.command("proposals")(proposals)
    kb_app.command("review")(review)
