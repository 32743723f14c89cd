"""The ``advisor`` command line: a thin shell over the service functions.

Each command group lives in its own module and registers itself on the one Typer app here.
Bad input exits 2 with a message naming the file and field; anything else unexpected exits 1
with a one-line message. No traceback reaches a user.
"""

from __future__ import annotations

import sys

import typer

from advisor.cli import (
    assess,
    awards,
    db,
    kb,
    kb_store,
    orgs,
    questions,
    report,
    serve,
    users,
    worker,
)
from advisor.cli.common import run_guarded

app = typer.Typer(
    name="advisor",
    help="Service-maturity assessment and procurement advisor for public bodies.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (kb, questions, assess, report, db, users, serve, worker):
    module.register(app)
kb_store.register(kb.kb_app)  # kb import / export / proposals, over the store
awards.register(app)
orgs.register(app)


def main() -> None:
    """Console-script entry point."""
    sys.exit(run_guarded(app))
