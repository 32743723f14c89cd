"""CLI commands: ``advisor users add`` and ``advisor users list``.

The password is never a command-line argument (it would land in shell history and process
lists): it is asked for at a terminal, or read as the first line of standard input.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from advisor.cli.common import guarded
from advisor.cli.db import cli_store, refusals
from advisor.errors import InputError
from advisor.kb.models import KnowledgeBase
from advisor.services import accounts
from advisor.services.errors import NotFoundError
from advisor.services.kb_revisions import live_knowledge_base
from advisor.services.organisations import get_organisation, organisation_from_knowledge_base
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database
from advisor.vocabulary import Role

users_app = typer.Typer(help="Local user accounts.", no_args_is_help=True)


def read_password() -> str:
    """From a hidden prompt (twice) at a terminal, else the first line of stdin."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    if not line.strip():
        raise InputError.single("<stdin>", "password", "no password given on standard input")
    return line.rstrip("\r\n")


def _ensure_organisation(db: Database, org_id: str, kb: KnowledgeBase) -> None:
    try:
        get_organisation(db, org_id)
    except NotFoundError:
        organisation_from_knowledge_base(db, OPERATOR, org_id, kb)
        typer.echo(f"registered organisation {org_id} from the knowledge base", err=True)


@users_app.command("add")
@guarded
@refusals
def add(
    email: Annotated[str, typer.Option("--email", help="Sign-in email address.")],
    role: Annotated[Role, typer.Option("--role", help="council, vendor, consultant or curator.")],
    org: Annotated[
        list[str] | None,
        typer.Option(
            "--org",
            help="Organisation id the user acts for (repeat for a consultant's clients). "
            "A body or vendor of the knowledge base is registered on first use.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
) -> None:
    """Create an account; the password comes from a prompt or standard input."""
    with cli_store() as (db, settings):
        orgs = list(org or [])
        if orgs:
            kb = live_knowledge_base(db).kb
            for org_id in orgs:
                _ensure_organisation(db, org_id, kb)
        password = read_password()
        user = accounts.create_user(
            db,
            OPERATOR,
            settings,
            email=email,
            role=role,
            password=password,
            organisations=orgs,
            display_name=name,
        )
        acts_for = f" for {', '.join(user.organisations)}" if user.organisations else ""
        typer.echo(f"created {user.role.value} account #{user.id} {user.email}{acts_for}")


@users_app.command("list")
@guarded
@refusals
def list_() -> None:
    """Every account: id, email, role, state and organisations."""
    with cli_store() as (db, _):
        for user in accounts.list_users(db, OPERATOR):
            state = "active" if user.active else "off"
            orgs = ",".join(user.organisations) or "-"
            typer.echo(f"{user.id:>5}  {user.email:40} {user.role.value:11} {state:7} {orgs}")


def register(app: typer.Typer) -> None:
    """Add the ``users`` group to the main app."""
    app.add_typer(users_app, name="users")
