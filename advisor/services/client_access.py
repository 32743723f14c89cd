"""Who consults for a body: decided by a curator or the body's lead, never claimed.

- ``propose_client(db, consultant, name, kind, region)``: a consultant proposes a new client
  body; nothing is registered and no access is given until a curator approves it.
- ``list_client_proposals(db, actor, pending_only=True)``: a curator sees every proposal, a
  consultant their own.
- ``approve_client_proposal(db, curator, proposal_id, existing=None)``: registers the body
  (its id from its name; a clash is refused) or takes the registered body ``existing``, and
  makes the proposer its consultant. ``decline_client_proposal`` declines it.
- ``consultants_of(db, actor, org_id)``: the consultants acting for a body (curator or the
  body's lead).
- ``make_consultant(db, actor, org_id, email)`` and ``end_consultant_access(db, actor,
  org_id, user_id)``: give or end a consultant's access to a body (curator or its lead).

Every decision is in the audit log with who made it and what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from advisor.errors import InputError
from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.organisations import (
    BODY_KINDS,
    check_id_is_free,
    id_from_name,
)
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import ClientProposal, Membership, Organisation, User, utcnow
from advisor.vocabulary import Role

PENDING = "pending"
APPROVED = "approved"
DECLINED = "declined"
_FILE = "client"


@dataclass(frozen=True)
class ClientProposalView:
    id: int
    name: str
    kind: str
    region: str | None
    proposed_by: str
    status: str
    created_at: datetime
    organisation_id: str | None


@dataclass(frozen=True)
class ConsultantAccess:
    """A consultant acting for a body, and since when."""

    user_id: int
    email: str
    active: bool
    since: datetime


def _view(p: ClientProposal) -> ClientProposalView:
    return ClientProposalView(
        id=p.id,
        name=p.name,
        kind=p.kind,
        region=p.region,
        proposed_by=p.proposer_label,
        status=p.status,
        created_at=p.created_at,
        organisation_id=p.organisation_id,
    )


def propose_client(
    db: Database, actor: Principal, name: str, kind: str, region: str | None = None
) -> ClientProposalView:
    """A consultant proposes a new client body; a curator decides."""
    require(actor, Action.client_propose)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError.single(_FILE, "name", "give a name of 1 to 200 characters")
    if kind not in BODY_KINDS:
        raise InputError.single(_FILE, "kind", f"must be one of: {', '.join(sorted(BODY_KINDS))}")
    region = (region or "").strip() or None
    if region is not None and len(region) > 100:
        raise InputError.single(_FILE, "region", "at most 100 characters")
    with db.write() as session:
        proposal = ClientProposal(
            name=name,
            kind=kind,
            region=region,
            proposed_by=actor.user_id,
            proposer_label=actor.label,
            status=PENDING,
            created_at=utcnow(),
        )
        session.add(proposal)
        session.flush()
        audit.record(
            session,
            actor,
            "client.propose",
            target_kind="client_proposal",
            target_id=proposal.id,
            detail={"name": name, "kind": kind, "region": region},
        )
        return _view(proposal)


def list_client_proposals(
    db: Database, actor: Principal, pending_only: bool = True
) -> list[ClientProposalView]:
    """A curator sees every proposal; a consultant the ones they made. Oldest first."""
    if actor.role is Role.consultant:
        require(actor, Action.client_propose)
    else:
        require(actor, Action.client_proposals_review)
    query = select(ClientProposal).order_by(ClientProposal.id)
    if pending_only:
        query = query.where(ClientProposal.status == PENDING)
    if actor.role is Role.consultant:
        query = query.where(ClientProposal.proposed_by == actor.user_id)
    with db.read() as session:
        return [_view(p) for p in session.scalars(query)]


def _pending(session: Session, proposal_id: int) -> ClientProposal:
    proposal = session.get(ClientProposal, proposal_id, with_for_update=True)
    if proposal is None:
        raise NotFoundError(f"no proposed client #{proposal_id}")
    if proposal.status != PENDING:
        raise InputError.single(_FILE, "proposal", f"it was {proposal.status} already")
    return proposal


def _grant(session: Session, actor: Principal, org: Organisation, user_id: int) -> None:
    user = session.get(User, user_id)
    if user is None:
        raise NotFoundError(f"no account #{user_id}")
    if user.role != Role.consultant.value:
        raise InputError.single(_FILE, "consultant", f"{user.email} is not a consultant")
    if org.kind not in BODY_KINDS:
        raise InputError.single(_FILE, "body", f"{org.name} is not a public body")
    if session.get(Membership, (user_id, org.id)) is not None:
        return
    session.add(Membership(user_id=user_id, organisation_id=org.id, created_at=utcnow()))
    audit.record(
        session,
        actor,
        "consultant.grant",
        organisation_id=org.id,
        target_kind="user",
        target_id=user_id,
        detail={"consultant": user.email, "body": org.name},
    )


def approve_client_proposal(
    db: Database, actor: Principal, proposal_id: int, existing: str | None = None
) -> str:
    """Register the proposed body (or take the registered body ``existing``) and make the
    proposer its consultant; the body's id."""
    require(actor, Action.client_proposals_review)
    with db.write() as session:
        proposal = _pending(session, proposal_id)
        if existing is not None:
            org = session.get(Organisation, existing)
            if org is None:
                raise InputError.single(_FILE, "body", f"no registered body '{existing}'")
        else:
            org_id = id_from_name(proposal.name)
            if not org_id:
                raise InputError.single(_FILE, "name", "use some letters or digits in the name")
            check_id_is_free(session, org_id, proposal.kind, field="name")
            org = Organisation(
                id=org_id,
                name=proposal.name,
                kind=proposal.kind,
                region=proposal.region,
                created_at=utcnow(),
            )
            session.add(org)
            session.flush()
            audit.record(
                session,
                actor,
                "organisation.create",
                organisation_id=org.id,
                target_kind="organisation",
                target_id=org.id,
                detail={"name": org.name, "kind": org.kind, "region": org.region},
            )
        if proposal.proposed_by is not None:
            _grant(session, actor, org, proposal.proposed_by)
        proposal.status = APPROVED
        proposal.decided_by = actor.user_id
        proposal.decided_at = utcnow()
        proposal.organisation_id = org.id
        audit.record(
            session,
            actor,
            "client.approve",
            organisation_id=org.id,
            target_kind="client_proposal",
            target_id=proposal.id,
            detail={"status": {"from": PENDING, "to": APPROVED}, "body": org.name},
        )
        return org.id


def decline_client_proposal(db: Database, actor: Principal, proposal_id: int) -> None:
    """Decline a proposed client: nothing is registered, no access given."""
    require(actor, Action.client_proposals_review)
    with db.write() as session:
        proposal = _pending(session, proposal_id)
        proposal.status = DECLINED
        proposal.decided_by = actor.user_id
        proposal.decided_at = utcnow()
        audit.record(
            session,
            actor,
            "client.decline",
            target_kind="client_proposal",
            target_id=proposal.id,
            detail={"status": {"from": PENDING, "to": DECLINED}, "name": proposal.name},
        )


def _body(session: Session, org_id: str) -> Organisation:
    org = session.get(Organisation, org_id)
    if org is None or org.kind not in BODY_KINDS:
        raise NotFoundError(f"no public body '{org_id}'")
    return org


def consultants_of(db: Database, actor: Principal, org_id: str) -> list[ConsultantAccess]:
    """The consultants acting for a body, by email (curator or the body's lead)."""
    require(actor, Action.consultant_access_manage, org_id)
    query = (
        select(User.id, User.email, User.active, Membership.created_at)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == org_id, User.role == Role.consultant.value)
        .order_by(User.email)
    )
    with db.read() as session:
        return [
            ConsultantAccess(int(uid), str(email), bool(active), since)
            for uid, email, active, since in session.execute(query)
        ]


def make_consultant(db: Database, actor: Principal, org_id: str, email: str) -> None:
    """Make the consultant with this email a consultant of the body (curator or its lead)."""
    require(actor, Action.consultant_access_manage, org_id)
    address = (email or "").strip().lower()
    with db.write() as session:
        org = _body(session, org_id)
        user = session.scalar(select(User).where(User.email == address))
        if user is None or not user.active or user.role != Role.consultant.value:
            raise InputError.single(
                _FILE, "email", f"no active consultant account for {address or 'that email'}"
            )
        _grant(session, actor, org, user.id)


def end_consultant_access(db: Database, actor: Principal, org_id: str, user_id: int) -> None:
    """End a consultant's access to the body (curator or its lead)."""
    require(actor, Action.consultant_access_manage, org_id)
    with db.write() as session:
        org = _body(session, org_id)
        user = session.get(User, user_id)
        if user is None or user.role != Role.consultant.value:
            raise NotFoundError(f"no consultant account #{user_id}")
        gone = session.execute(
            delete(Membership).where(
                Membership.user_id == user_id, Membership.organisation_id == org_id
            )
        )
        if not getattr(gone, "rowcount", 0):
            return
        audit.record(
            session,
            actor,
            "consultant.end",
            organisation_id=org_id,
            target_kind="user",
            target_id=user_id,
            detail={"consultant": user.email, "body": org.name},
        )
