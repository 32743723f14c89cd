"""``advisor awards import|suppliers|review``: public contract awards (OCDS) as market evidence.

Without ``--kb`` the awards go into the store as a new live knowledge-base revision; with
``--kb DIR`` into that folder's ``awards/`` and ``suppliers/`` files. Both take the same path
through ``advisor.services.awards``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import guarded
from advisor.cli.db import refusals

if TYPE_CHECKING:
    from advisor.services.awards import AwardsSummary

awards_app = typer.Typer(
    help="Public contract awards (Contracts Finder, Find a Tender) as market evidence.",
    no_args_is_help=True,
)

KbOption = Annotated[
    Path | None,
    typer.Option("--kb", help="A knowledge-base folder to write to instead of the store."),
]


_shown: dict[str, int] = {}


def _progress(what: str, done: int, total: int) -> None:
    """Progress on standard error for large files (bytes read) and long runs (entries)."""
    large = total >= 5_000_000 if what.startswith("reading") else total >= 5000
    share = round(100 * done / total) if total else 100
    if large and _shown.get(what) != share:
        _shown[what] = share
        typer.echo(f"\r{what}: {share}%", nl=done >= total, err=True)


def _summary_lines(summary: AwardsSummary) -> list[str]:
    lines = [
        f"{summary.releases} release(s) read: {summary.imported} process(es) imported, "
        f"{summary.updated} updated, {summary.unchanged} unchanged",
        f"{summary.suppliers_added} new supplier(s) from public awards, not reviewed",
    ]
    if summary.skipped:
        lines.append("skipped:")
        lines.extend(f"  {reason}: {count}" for reason, count in summary.skipped.items())
    if summary.noted:
        lines.append("kept, with something set aside:")
        lines.extend(f"  {reason}: {count}" for reason, count in summary.noted.items())
    if summary.matched:
        lines.append("matching:")
        lines.extend(f"  {what}: {count}" for what, count in summary.matched.items())
    return lines


@guarded
@refusals
def import_(
    paths: Annotated[
        list[Path], typer.Argument(help="OCDS files (.json, .jsonl) or folders of them.")
    ],
    kb: KbOption = None,
) -> None:
    """Import public contract awards: release packages, record packages or one release a line."""
    from advisor.services import awards

    if kb is not None:
        summary = awards.import_awards_to_folder(kb, paths, _progress)
        where = f"{summary.files_written} file(s) written in {kb}"
    else:
        from advisor.cli.db import cli_store
        from advisor.services.permissions import OPERATOR

        with cli_store() as (db, _):
            summary = awards.import_awards(db, OPERATOR, paths, _progress)
        where = (
            f"live revision {summary.revision}" if summary.revision else "no change to the store"
        )
    for line in _summary_lines(summary):
        typer.echo(line)
    typer.echo(where)


@guarded
@refusals
def suppliers(
    kb: KbOption = None,
    every: Annotated[bool, typer.Option("--all", help="Reviewed ones too.")] = False,
) -> None:
    """Suppliers found in public awards that wait for a curator's review."""
    from advisor.services import awards

    if kb is not None:
        from advisor.kb.loader import load_knowledge_base

        found = awards.suppliers_to_review(
            load_knowledge_base(kb), None if every else "not_reviewed"
        )
    else:
        from advisor.cli.db import cli_store
        from advisor.services.kb_revisions import live_knowledge_base

        with cli_store() as (db, _):
            found = awards.suppliers_to_review(
                live_knowledge_base(db).kb, None if every else "not_reviewed"
            )
    words = {
        "not_reviewed": "from public awards, not reviewed",
        "confirmed": "confirmed",
        "merged": "merged into a vendor",
        "rejected": "rejected",
    }
    for s in found:
        typer.echo(f"{s.id}: {s.name} ({words[s.status]})")
    if not found:
        typer.echo("no suppliers to review")


@guarded
@refusals
def review(
    supplier: Annotated[str, typer.Argument(help="The supplier's id (see 'awards suppliers').")],
    confirm: Annotated[bool, typer.Option("--confirm", help="A real supplier.")] = False,
    merge: Annotated[
        str | None, typer.Option("--merge", help="The same company as this vendor (its id).")
    ] = None,
    reject: Annotated[bool, typer.Option("--reject", help="Not a supplier.")] = False,
    kb: KbOption = None,
) -> None:
    """Confirm a supplier from public awards, merge it into a vendor, or reject it."""
    from advisor.errors import InputError
    from advisor.services import awards

    chosen = [d for d, on in (("confirm", confirm), ("merge", merge), ("reject", reject)) if on]
    if len(chosen) != 1:
        raise InputError.single("review", "decision", "give one of --confirm, --merge or --reject")
    decision = chosen[0]
    if kb is not None:
        awards.review_supplier_in_folder(kb, supplier, decision, merge)  # type: ignore[arg-type]
    else:
        from advisor.cli.db import cli_store
        from advisor.services.permissions import OPERATOR

        with cli_store() as (db, _):
            number = awards.review_supplier(db, OPERATOR, supplier, decision, merge)  # type: ignore[arg-type]
        typer.echo(f"live revision {number}")
    typer.echo(f"{supplier}: {awards.STATUS[decision]}")


def register(app: typer.Typer) -> None:
    """Add the ``awards`` group."""
    awards_app.command("import")(import_)
    awards_app.command("suppliers")(suppliers)
    awards_app.command("review")(review)
    app.add_typer(awards_app, name="awards")
