"""Organisations: public bodies, vendors and consultancies.

- ``create_organisation(db, actor, org_id, name, kind, region)``: register one (curator; a
  consultant may register a new client body and becomes its consultant).
- ``organisation_from_knowledge_base(db, actor, org_id, kb)``: register a body or vendor
  the knowledge base already describes, with its name, kind and region (curator).
- ``get_organisation(db, org_id)``, ``list_organisations(db, actor)``.

A vendor organisation's id is the vendor's id in the knowledge base: that is how a vendor
account is tied to the entry it may propose changes to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.errors import InputError
from advisor.kb.models import KnowledgeBase
from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import Membership, Organisation, utcnow
from advisor.vocabulary import OrgKind, Role

VENDOR_KIND = "vendor"
CONSULTANCY_KIND = "consultancy"
BODY_KINDS = frozenset(k.value for k in OrgKind)
ORG_KINDS = BODY_KINDS | {VENDOR_KIND, CONSULTANCY_KIND}
_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_FILE = "organisation"


@dataclass(frozen=True)
class OrganisationView:
    id: str
    name: str
    kind: str
    region: str | None

    @property
    def is_body(self) -> bool:
        """A public body (or other organisation) that can be assessed."""
        return self.kind in BODY_KINDS


def _view(org: Organisation) -> OrganisationView:
    return OrganisationView(id=org.id, name=org.name, kind=org.kind, region=org.region)


def check_org_id(org_id: str, field: str = "id") -> str:
    """An organisation id: lower-case letters, digits and underscores, at most 80."""
    if not isinstance(org_id, str) or not _ID.match(org_id) or len(org_id) > 80:
        raise InputError.single(
            _FILE, field, "use lower-case letters, digits and underscores (at most 80)"
        )
    return org_id


def create_organisation(
    db: Database,
    actor: Principal,
    org_id: str,
    name: str,
    kind: str,
    region: str | None = None,
) -> OrganisationView:
    """Register an organisation; a consultant registering a body becomes its consultant."""
    require(actor, Action.organisation_create)
    check_org_id(org_id)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError.single(_FILE, "name", "give a name of 1 to 200 characters")
    if kind not in ORG_KINDS:
        raise InputError.single(_FILE, "kind", f"must be one of: {', '.join(sorted(ORG_KINDS))}")
    if actor.role is Role.consultant and kind not in BODY_KINDS:
        raise InputError.single(_FILE, "kind", "a consultant registers public bodies only")
    region = (region or "").strip() or None
    if region is not None and len(region) > 100:
        raise InputError.single(_FILE, "region", "at most 100 characters")
    with db.write() as session:
        if session.get(Organisation, org_id) is not None:
            raise InputError.single(_FILE, "id", f"organisation '{org_id}' already exists")
        now = utcnow()
        session.add(Organisation(id=org_id, name=name, kind=kind, region=region, created_at=now))
        session.flush()
        if actor.role is Role.consultant and actor.user_id is not None:
            session.add(Membership(user_id=actor.user_id, organisation_id=org_id, created_at=now))
        audit.record(
            session,
            actor,
            "organisation.create",
            organisation_id=org_id,
            target_kind="organisation",
            target_id=org_id,
            detail={"kind": kind},
        )
    return OrganisationView(id=org_id, name=name, kind=kind, region=region)


def organisation_from_knowledge_base(
    db: Database, actor: Principal, org_id: str, kb: KnowledgeBase
) -> OrganisationView:
    """Register the body or vendor ``org_id`` as the knowledge base describes it."""
    for body in kb.bodies:
        if body.id == org_id:
            return create_organisation(db, actor, org_id, body.name, body.kind.value, body.region)
    for vendor in kb.vendors:
        if vendor.id == org_id:
            return create_organisation(
                db, actor, org_id, vendor.name, VENDOR_KIND, vendor.headquarters
            )
    raise InputError.single(
        _FILE, "id", f"no organisation '{org_id}' in the store or the knowledge base"
    )


def find_organisation(session: Session, org_id: str) -> Organisation | None:
    """The organisation row, or none."""
    return session.get(Organisation, org_id)


def get_organisation(db: Database, org_id: str) -> OrganisationView:
    """One organisation (names and kinds are not secret)."""
    with db.read() as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise NotFoundError(f"no organisation '{org_id}'")
        return _view(org)


def list_organisations(db: Database, actor: Principal) -> list[OrganisationView]:
    """A curator sees every organisation; anyone else the ones they act for."""
    query = select(Organisation).order_by(Organisation.name)
    if actor.role is not Role.curator:
        query = query.where(Organisation.id.in_(sorted(actor.organisations)))
    with db.read() as session:
        return [_view(o) for o in session.scalars(query)]
