"""CLI commands: ``advisor orgs add|list|link|proposals|approve|decline|consultants``: the
bodies the service works for, and who consults for them.

``add`` registers a public body by name, kind and region (its short name, used by ``--org``
elsewhere, comes from the name; a clash is refused), or one the knowledge base describes
with ``--from-knowledge-base``. ``link`` says which knowledge-base body a registered body
is. ``proposals`` lists consultants' proposed clients, which ``approve`` (registering the
body, or ``--body`` naming the registered one it is; the proposer becomes its consultant) or
``decline`` decide. ``consultants`` shows a body's consultants and ``--add`` or ``--end`` one.
They act as the operator (a curator's rights) or, with ``--as EMAIL``, as that account,
checked and audited as in the app.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import guarded
from advisor.cli.db import cli_store, refusals
from advisor.errors import InputError
from advisor.vocabulary import ORG_KIND_NAMES, OrgKind

if TYPE_CHECKING:
    from advisor.services.permissions import Principal
    from advisor.store.database import Database

orgs_app = typer.Typer(help="Public bodies, vendors and consultancies.", no_args_is_help=True)

AsOption = Annotated[
    str | None,
    typer.Option("--as", help="Act as this account (its permissions apply).", show_default=False),
]
KIND_HELP = "; ".join(f"{k.value} ({ORG_KIND_NAMES[k]})" for k in OrgKind)


def _actor(db: Database, as_email: str | None) -> Principal:
    from advisor.services.accounts import principal_for_email
    from advisor.services.permissions import OPERATOR

    return principal_for_email(db, as_email) if as_email else OPERATOR


def kind_words(kind: str) -> str:
    """A kind of organisation in words."""
    if kind in set(OrgKind):
        return ORG_KIND_NAMES[OrgKind(kind)]
    return {"vendor": "vendor", "consultancy": "consultancy"}.get(kind, kind)


@orgs_app.command("add")
@guarded
@refusals
def add(
    name: Annotated[str | None, typer.Option("--name", help="The body's name.")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help=f"One of: {KIND_HELP}.")] = None,
    region: Annotated[str | None, typer.Option("--region", help="Region.")] = None,
    from_kb: Annotated[
        str | None,
        typer.Option(
            "--from-knowledge-base",
            metavar="SHORT_NAME",
            help="Register a body or vendor the knowledge base describes, as it describes it.",
        ),
    ] = None,
    as_email: AsOption = None,
) -> None:
    """Register a public body (by name, kind and region, or from the knowledge base)."""
    from advisor.services.kb_revisions import live_knowledge_base
    from advisor.services.organisations import organisation_from_knowledge_base, register_body

    with cli_store() as (db, _):
        actor = _actor(db, as_email)
        if from_kb is not None:
            if name or kind or region:
                raise InputError.single(
                    "(command line)",
                    "--from-knowledge-base",
                    "give it alone: the name, kind and region come from the knowledge base",
                )
            org = organisation_from_knowledge_base(db, actor, from_kb, live_knowledge_base(db).kb)
        else:
            if not name:
                raise InputError.single("(command line)", "--name", "give the body's name")
            if not kind:
                raise InputError.single("(command line)", "--kind", f"one of: {KIND_HELP}")
            org = register_body(db, actor, name, kind, region)
        typer.echo(f"registered {org.name} ({kind_words(org.kind)}); its short name is {org.id}")


@orgs_app.command("list")
@guarded
@refusals
def list_(as_email: AsOption = None) -> None:
    """Every organisation (a curator) or the ones you act for: short name, name, kind,
    region and the knowledge-base body it is linked to."""
    from advisor.services.kb_revisions import live_knowledge_base
    from advisor.services.organisations import list_organisations

    with cli_store() as (db, _):
        orgs = list_organisations(db, _actor(db, as_email))
        if not orgs:
            typer.echo("no organisations registered yet")
            return
        kb_names = {b.id: b.name for b in live_knowledge_base(db).kb.bodies}
        for org in orgs:
            linked = (
                f"linked to {kb_names.get(org.kb_entry_id, org.kb_entry_id)} in the knowledge base"
                if org.kb_entry_id
                else ""
            )
            typer.echo(
                f"{org.id:32} {org.name:40} {kind_words(org.kind):30} "
                f"{org.region or '-':20} {linked}".rstrip()
            )


@orgs_app.command("link")
@guarded
@refusals
def link(
    org: Annotated[str, typer.Argument(help="Short name of the registered body.")],
    entry: Annotated[
        str | None,
        typer.Argument(help="Short name of the body in the knowledge base ('advisor kb list')."),
    ] = None,
    unlink: Annotated[bool, typer.Option("--unlink", help="Remove the link.")] = False,
    as_email: AsOption = None,
) -> None:
    """Link a registered body to the knowledge-base body it is (or --unlink it)."""
    from advisor.services.organisations import link_to_knowledge_base

    if (entry is None) == (not unlink):
        raise InputError.single(
            "(command line)", "entry", "name the knowledge-base body, or give --unlink alone"
        )
    with cli_store() as (db, _):
        view = link_to_knowledge_base(db, _actor(db, as_email), org, None if unlink else entry)
        if view.kb_entry_id:
            typer.echo(f"{view.name} is linked to the knowledge base's {view.kb_entry_id}")
        else:
            typer.echo(f"{view.name} is no longer linked to the knowledge base")


@orgs_app.command("proposals")
@guarded
@refusals
def proposals(as_email: AsOption = None) -> None:
    """Clients proposed by consultants, waiting for a curator (a consultant: their own)."""
    from advisor.services.client_access import list_client_proposals

    with cli_store() as (db, _):
        waiting = list_client_proposals(db, _actor(db, as_email))
        if not waiting:
            typer.echo("no proposed clients waiting")
        for p in waiting:
            where = f", {p.region}" if p.region else ""
            typer.echo(
                f"{p.id:>5}  {p.name} ({kind_words(p.kind)}{where}), proposed by "
                f"{p.proposed_by} on {p.created_at:%d %b %Y}"
            )


@orgs_app.command("approve")
@guarded
@refusals
def approve(
    proposal: Annotated[int, typer.Argument(help="Number of the proposal ('orgs proposals').")],
    body: Annotated[
        str | None,
        typer.Option("--body", help="Short name of the registered body it is (else: register it)."),
    ] = None,
    as_email: AsOption = None,
) -> None:
    """Approve a proposed client: the proposer becomes the body's consultant."""
    from advisor.services.client_access import approve_client_proposal
    from advisor.services.organisations import get_organisation

    with cli_store() as (db, _):
        org_id = approve_client_proposal(db, _actor(db, as_email), proposal, existing=body)
        typer.echo(
            f"approved: the proposer is now a consultant of {get_organisation(db, org_id).name}"
        )


@orgs_app.command("decline")
@guarded
@refusals
def decline(
    proposal: Annotated[int, typer.Argument(help="Number of the proposal ('orgs proposals').")],
    as_email: AsOption = None,
) -> None:
    """Decline a proposed client: nothing is registered and no access given."""
    from advisor.services.client_access import decline_client_proposal

    with cli_store() as (db, _):
        decline_client_proposal(db, _actor(db, as_email), proposal)
        typer.echo("declined")


@orgs_app.command("consultants")
@guarded
@refusals
def consultants(
    org: Annotated[str, typer.Argument(help="Short name of the body.")],
    add: Annotated[
        str | None, typer.Option("--add", metavar="EMAIL", help="Make this consultant one.")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--end", metavar="EMAIL", help="End this consultant's access.")
    ] = None,
    as_email: AsOption = None,
) -> None:
    """The consultants who can see a body's assessments; give or end access (a curator or
    the body's lead)."""
    from advisor.services import client_access
    from advisor.services.organisations import get_organisation

    with cli_store() as (db, _):
        actor = _actor(db, as_email)
        name = get_organisation(db, org).name
        if add:
            client_access.make_consultant(db, actor, org, add)
            typer.echo(f"{add.strip().lower()} is now a consultant of {name}")
        if end:
            address = end.strip().lower()
            current = client_access.consultants_of(db, actor, org)
            match = [c for c in current if c.email == address]
            if not match:
                raise InputError.single(
                    "(command line)", "--end", f"{address} is not a consultant of {name}"
                )
            client_access.end_consultant_access(db, actor, org, match[0].user_id)
            typer.echo(f"{address} can no longer see {name}'s assessments")
        rows = client_access.consultants_of(db, actor, org)
        if not rows:
            typer.echo(f"no consultant can see {name}'s assessments")
        for c in rows:
            state = "" if c.active else " (switched off)"
            typer.echo(f"{c.email}{state}, since {c.since:%d %b %Y}")


def register(app: typer.Typer) -> None:
    """Add the ``orgs`` group to the main app."""
    app.add_typer(orgs_app, name="orgs")
