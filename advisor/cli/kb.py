"""CLI commands: ``advisor kb ...`` (validate, schema, stats, graph export, synth)."""

from __future__ import annotations

import typer

kb_app = typer.Typer(help="Work with the knowledge base.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the ``kb`` group to the main app."""
    app.add_typer(kb_app, name="kb")
