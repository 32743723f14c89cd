"""Organisations: public bodies, vendors and consultancies.

- ``register_body(db, actor, name, kind, region)``: register a public body (curator); its id
  is derived from the name, and a clash with any organisation or knowledge-base vendor is
  refused.
- ``create_organisation(db, actor, org_id, name, kind, region)``: register one with a given
  id (curator).
- ``organisation_from_knowledge_base(db, actor, org_id, kb)``: register a body or vendor
  the knowledge base already describes, with its name, kind and region (curator).
- ``link_to_knowledge_base(db, actor, org_id, entry_id)``: say which knowledge-base body a
  registered body is (curator); one body per entry.
- ``get_organisation(db, org_id)``, ``list_organisations(db, actor)``.

A vendor organisation's id is the vendor's id in the knowledge base: that is how a vendor
account is tied to the entry it may propose changes to. So ids of vendors and bodies never
collide: a body cannot take a knowledge-base vendor's id, a vendor cannot take a
knowledge-base body's id, and the store holds one organisation per id. Nobody claims a body
by registering it: who acts for a body is decided by a curator (``accounts``) or, for a
consultant, by a curator or the body's lead (``client_access``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.errors import InputError
from advisor.kb.models import KnowledgeBase
from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import KbEntry, Organisation, utcnow
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
    kb_entry_id: str | None = None
    """The knowledge-base body this is, when linked."""

    @property
    def is_body(self) -> bool:
        """A public body (or other organisation) that can be assessed."""
        return self.kind in BODY_KINDS


def _view(org: Organisation) -> OrganisationView:
    return OrganisationView(
        id=org.id, name=org.name, kind=org.kind, region=org.region, kb_entry_id=org.kb_entry_id
    )


def check_org_id(org_id: str, field: str = "id") -> str:
    """An organisation id: lower-case letters, digits and underscores, at most 80."""
    if not isinstance(org_id, str) or not _ID.match(org_id) or len(org_id) > 80:
        raise InputError.single(
            _FILE, field, "use lower-case letters, digits and underscores (at most 80)"
        )
    return org_id


def id_from_name(name: str) -> str:
    """The id a name gives: 'Sunderland City Council' -> 'sunderland_city_council'."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "_", ascii_name.lower().replace("&", " and ")).strip("_")
    return slug[:80].rstrip("_")


def _clean(
    name: str, kind: str, region: str | None, kinds: frozenset[str]
) -> tuple[str, str | None]:
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise InputError.single(_FILE, "name", "give a name of 1 to 200 characters")
    if kind not in kinds:
        raise InputError.single(_FILE, "kind", f"must be one of: {', '.join(sorted(kinds))}")
    region = (region or "").strip() or None
    if region is not None and len(region) > 100:
        raise InputError.single(_FILE, "region", "at most 100 characters")
    return name, region


def _live_entry(session: Session, kind: str, entry_id: str) -> KbEntry | None:
    entry = session.get(KbEntry, (kind, entry_id))
    return entry if entry is not None and entry.data is not None else None


def check_id_is_free(session: Session, org_id: str, kind: str, field: str = "id") -> None:
    """Refuse an id taken by an organisation, or by a knowledge-base entry of the other sort
    (the message names who holds it, not the id)."""
    taken = session.get(Organisation, org_id)
    if taken is not None:
        raise InputError.single(
            _FILE, field, f"that name is taken: {taken.name} is registered with it already"
        )
    other = "vendors" if kind != VENDOR_KIND else "bodies"
    entry = _live_entry(session, other, org_id)
    if entry is not None:
        holder = str((entry.data or {}).get("name") or "an entry")
        sort = "a vendor" if other == "vendors" else "a public body"
        mine = "a body" if kind != VENDOR_KIND else "a vendor"
        raise InputError.single(
            _FILE,
            field,
            f"that name is taken: {holder} is {sort} in the knowledge base, and {mine} "
            "cannot share its short name",
        )


def _add(
    session: Session,
    actor: Principal,
    org_id: str,
    name: str,
    kind: str,
    region: str | None,
    kb_entry_id: str | None = None,
) -> OrganisationView:
    check_id_is_free(session, org_id, kind)
    if kb_entry_id is not None:
        _check_entry_free(session, kb_entry_id)
    org = Organisation(
        id=org_id,
        name=name,
        kind=kind,
        region=region,
        created_at=utcnow(),
        kb_entry_id=kb_entry_id,
    )
    session.add(org)
    session.flush()
    audit.record(
        session,
        actor,
        "organisation.create",
        organisation_id=org_id,
        target_kind="organisation",
        target_id=org_id,
        detail={"name": name, "kind": kind, "region": region, "kb_entry": kb_entry_id},
    )
    return _view(org)


def create_organisation(
    db: Database,
    actor: Principal,
    org_id: str,
    name: str,
    kind: str,
    region: str | None = None,
) -> OrganisationView:
    """Register an organisation with a given id (curator)."""
    require(actor, Action.organisation_create)
    check_org_id(org_id)
    name, region = _clean(name, kind, region, ORG_KINDS)
    with db.write() as session:
        return _add(session, actor, org_id, name, kind, region)


def register_body(
    db: Database, actor: Principal, name: str, kind: str, region: str | None = None
) -> OrganisationView:
    """Register a public body, its id derived from its name (curator); a clash is refused."""
    require(actor, Action.organisation_create)
    name, region = _clean(name, kind, region, BODY_KINDS)
    org_id = id_from_name(name)
    if not org_id:
        raise InputError.single(_FILE, "name", "use some letters or digits in the name")
    with db.write() as session:
        return _add(session, actor, org_id, name, kind, region)


def _check_entry_free(session: Session, entry_id: str, but: str | None = None) -> None:
    if _live_entry(session, "bodies", entry_id) is None:
        raise InputError.single(
            _FILE, "knowledge-base body", f"the knowledge base has no body '{entry_id}'"
        )
    holder = session.scalar(select(Organisation).where(Organisation.kb_entry_id == entry_id))
    if holder is not None and holder.id != but:
        raise InputError.single(
            _FILE, "knowledge-base body", f"{holder.name} is linked to that entry already"
        )


def link_to_knowledge_base(
    db: Database, actor: Principal, org_id: str, entry_id: str | None
) -> OrganisationView:
    """Link a registered body to the knowledge-base body it is (none: unlink it)."""
    require(actor, Action.organisation_link)
    with db.write() as session:
        org = session.get(Organisation, org_id)
        if org is None:
            raise NotFoundError(f"no organisation '{org_id}'")
        if org.kind not in BODY_KINDS:
            raise InputError.single(_FILE, "organisation", f"{org.name} is not a public body")
        if entry_id is not None:
            _check_entry_free(session, entry_id, but=org_id)
        before = org.kb_entry_id
        org.kb_entry_id = entry_id
        audit.record(
            session,
            actor,
            "organisation.link",
            organisation_id=org_id,
            target_kind="organisation",
            target_id=org_id,
            detail={"kb_entry": {"from": before, "to": entry_id}},
        )
        session.flush()
        return _view(org)


def organisation_from_knowledge_base(
    db: Database, actor: Principal, org_id: str, kb: KnowledgeBase
) -> OrganisationView:
    """Register the body or vendor ``org_id`` as the knowledge base describes it."""
    require(actor, Action.organisation_create)
    for body in kb.bodies:
        if body.id == org_id:
            name, region = _clean(body.name, body.kind.value, body.region, BODY_KINDS)
            with db.write() as session:
                return _add(session, actor, org_id, name, body.kind.value, region, org_id)
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
