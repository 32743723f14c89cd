"""CLI commands: ``advisor users add|list|passwd|reset|disable|enable``.

Accounts are named by their email. The commands act as the operator (a curator's rights) or,
with ``--as EMAIL``, as that account: its permissions apply and the audit log names it, as
in the app. A password is never a command-line argument (it would land in shell history and
process lists): it is asked for at a terminal, or read from standard input; ``add
--one-time`` and ``reset`` make a one-time password, printed once, to be changed at the
first sign-in.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import guarded
from advisor.cli.db import cli_store, refusals
from advisor.errors import InputError
from advisor.vocabulary import Role

if TYPE_CHECKING:
    from advisor.services.permissions import Principal
    from advisor.store.database import Database

users_app = typer.Typer(help="Local user accounts.", no_args_is_help=True)

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this account (its permissions apply).", show_default=False),
]
EmailArgument = Annotated[str, typer.Argument(help="The account's email address.")]


def _actor(db: Database, as_email: str | None) -> Principal:
    from advisor.services.accounts import principal_for_email
    from advisor.services.permissions import OPERATOR

    return principal_for_email(db, as_email) if as_email else OPERATOR


def read_password(prompt: str = "Password", confirm: bool = True) -> str:
    """From a hidden prompt at a terminal, else the next line of stdin."""
    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, confirmation_prompt=confirm))
    line = sys.stdin.readline()
    if not line.strip():
        field = prompt.lower()
        raise InputError.single("<stdin>", field, f"no {field} given on standard input")
    return line.rstrip("\r\n")


def _ensure_organisation(db: Database, actor: Principal, org_id: str) -> None:
    from advisor.services.errors import NotFoundError
    from advisor.services.kb_revisions import live_knowledge_base
    from advisor.services.organisations import get_organisation, organisation_from_knowledge_base

    try:
        get_organisation(db, org_id)
    except NotFoundError:
        kb = live_knowledge_base(db).kb
        org = organisation_from_knowledge_base(db, actor, org_id, kb)
        typer.echo(f"registered {org.name} from the knowledge base", err=True)


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
            help="Short name of the body or vendor the user acts for (repeat for a "
            "consultant's clients; see 'advisor orgs list'). A body or vendor of the "
            "knowledge base is registered on first use.",
        ),
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
    one_time: Annotated[
        bool,
        typer.Option(
            "--one-time",
            help="Make a one-time password and print it; it must be changed at first sign-in.",
        ),
    ] = False,
    as_email: AsOption = None,
) -> None:
    """Create an account; the password comes from a prompt or standard input."""
    from advisor.services import accounts
    from advisor.services.client_access import consultants_of

    with cli_store() as (db, settings):
        actor = _actor(db, as_email)
        orgs = list(org or [])
        for org_id in orgs:
            _ensure_organisation(db, actor, org_id)
        password = accounts.one_time_password() if one_time else read_password()
        user = accounts.create_user(
            db,
            actor,
            settings,
            email=email,
            role=role,
            password=password,
            organisations=orgs,
            display_name=name,
            one_time=one_time,
        )
        acts_for = f" for {', '.join(user.organisation_names)}" if user.organisations else ""
        typer.echo(f"created {user.role.value} account {user.email}{acts_for}")
        if one_time:
            typer.echo(f"one-time password (shown once, changed at first sign-in): {password}")
        if user.role is Role.council:
            for org_id, org_name in zip(user.organisations, user.organisation_names, strict=True):
                for access in consultants_of(db, actor, org_id):
                    typer.echo(
                        f"note: {access.email} is a consultant of {org_name}; end it with "
                        f"the body's lead or a curator if it should not be",
                        err=True,
                    )


@users_app.command("list")
@guarded
@refusals
def list_(as_email: AsOption = None) -> None:
    """Every account: email, role, state, last sign-in and who it acts for."""
    from advisor.services import accounts

    with cli_store() as (db, _):
        for user in accounts.list_users(db, _actor(db, as_email)):
            state = "active" if user.active else "switched off"
            if user.active and user.must_change_password:
                state = "one-time password"
            last = (
                user.last_sign_in_at.strftime("%d %b %Y %H:%M")
                if user.last_sign_in_at
                else "never signed in"
            )
            orgs = ", ".join(user.organisation_names) or "-"
            typer.echo(f"{user.email:40} {user.role.value:11} {state:18} {last:17} {orgs}".rstrip())


@users_app.command("passwd")
@guarded
@refusals
def passwd(email: EmailArgument, as_email: AsOption = None) -> None:
    """Change a password. As the account itself (--as the same email): give the current
    password, then the new one. As a curator: set another account's new password."""
    from advisor.services import accounts

    with cli_store() as (db, settings):
        actor = _actor(db, as_email)
        user = accounts.user_for_email(db, actor, email)
        if actor.user_id == user.id:
            current = read_password("Current password", confirm=False)
            new = read_password("New password")
            accounts.change_password(db, actor, settings, current, new)
        else:
            accounts.set_password(db, actor, settings, user.id, read_password("New password"))
        typer.echo(f"password changed for {user.email}")


@users_app.command("reset")
@guarded
@refusals
def reset(email: EmailArgument, as_email: AsOption = None) -> None:
    """Give an account a new one-time password (printed once) and end its open sessions."""
    from advisor.services import accounts

    with cli_store() as (db, settings):
        actor = _actor(db, as_email)
        user = accounts.user_for_email(db, actor, email)
        password = accounts.reset_password(db, actor, settings, user.id)
        typer.echo(f"new one-time password for {user.email} (shown once): {password}")


def _set_active(email: str, as_email: str | None, active: bool) -> None:
    from advisor.services import accounts

    with cli_store() as (db, _):
        actor = _actor(db, as_email)
        user = accounts.user_for_email(db, actor, email)
        accounts.set_active(db, actor, user.id, active)
        typer.echo(
            f"{user.email} can sign in again"
            if active
            else f"{user.email} is switched off: it cannot sign in and its sessions ended"
        )


@users_app.command("disable")
@guarded
@refusals
def disable(email: EmailArgument, as_email: AsOption = None) -> None:
    """Switch an account off: it cannot sign in, and its open sessions end."""
    _set_active(email, as_email, False)


@users_app.command("enable")
@guarded
@refusals
def enable(email: EmailArgument, as_email: AsOption = None) -> None:
    """Switch an account on again."""
    _set_active(email, as_email, True)


def register(app: typer.Typer) -> None:
    """Add the ``users`` group to the main app."""
    app.add_typer(users_app, name="users")
