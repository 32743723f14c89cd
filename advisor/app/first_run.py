"""Getting a store ready for the app: migrations, the knowledge base, the first accounts.

- ``prepare_store(db, settings)``: bring the store up to date and seed an empty one from the
  knowledge-base folder; says whether a curator account exists yet.
- ``create_first_curator(db, settings, email)``: the first curator, with a one-time password.
- ``create_demo_accounts(db, settings)``: one account per role on sample organisations, for
  trying the app (``advisor serve --demo``); passwords are random and returned once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from advisor.services.accounts import create_user, list_users
from advisor.services.errors import NotFoundError
from advisor.services.kb_revisions import ensure_seeded, live_knowledge_base
from advisor.services.organisations import (
    create_organisation,
    get_organisation,
    organisation_from_knowledge_base,
)
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.migrate import upgrade
from advisor.vocabulary import Role


@dataclass(frozen=True)
class StoreStatus:
    revision: int
    """The live knowledge-base revision."""
    seeded: bool
    """True when this call filled an empty store from the knowledge-base folder."""
    has_curator: bool


@dataclass(frozen=True)
class Account:
    role: Role
    email: str
    password: str
    organisations: tuple[str, ...]


def one_time_password() -> str:
    """A random password of 20 URL-safe characters (more than the 12 required)."""
    return secrets.token_urlsafe(15)


def prepare_store(db: Database, settings: Settings) -> StoreStatus:
    """Run migrations, seed an empty store, and report whether a curator exists."""
    upgrade(db)
    seeded = ensure_seeded(db, settings.effective_kb_dir())
    users = list_users(db, OPERATOR)
    return StoreStatus(
        revision=live_knowledge_base(db).revision,
        seeded=seeded.revision is not None,
        has_curator=any(u.role is Role.curator and u.active for u in users),
    )


def create_first_curator(db: Database, settings: Settings, email: str) -> Account:
    """Create a curator account with a one-time password (shown once; the first sign-in must
    replace it)."""
    password = one_time_password()
    create_user(
        db, OPERATOR, settings, email=email, role=Role.curator, password=password, one_time=True
    )
    return Account(Role.curator, email, password, ())


DEMO_BODIES = (
    ("example_borough_council", "Example Borough Council", "unitary", "North East"),
    ("example_county_council", "Example County Council", "county", "South West"),
    ("example_district_council", "Example District Council", "district", "East Midlands"),
)
DEMO_VENDOR = "meeco"
DEMO_ACCOUNTS = (
    (Role.council, "lead@borough.example", ("example_borough_council",)),
    (Role.council, "colleague@borough.example", ("example_borough_council",)),
    (
        Role.consultant,
        "consultant@advisers.example",
        ("example_county_council", "example_district_council"),
    ),
    (Role.vendor, "vendor@meeco.example", (DEMO_VENDOR,)),
    (Role.curator, "curator@advisor.example", ()),
)


def _ensure_organisation(db: Database, org_id: str, name: str, kind: str, region: str) -> None:
    try:
        get_organisation(db, org_id)
    except NotFoundError:
        create_organisation(db, OPERATOR, org_id, name, kind, region)


def create_demo_accounts(db: Database, settings: Settings) -> list[Account]:
    """Sample bodies and one account per role (accounts that exist already are skipped)."""
    for org_id, name, kind, region in DEMO_BODIES:
        _ensure_organisation(db, org_id, name, kind, region)
    try:
        get_organisation(db, DEMO_VENDOR)
    except NotFoundError:
        organisation_from_knowledge_base(db, OPERATOR, DEMO_VENDOR, live_knowledge_base(db).kb)
    existing = {u.email for u in list_users(db, OPERATOR)}
    made: list[Account] = []
    for role, email, orgs in DEMO_ACCOUNTS:
        if email in existing:
            continue
        password = one_time_password()
        create_user(
            db,
            OPERATOR,
            settings,
            email=email,
            role=role,
            password=password,
            organisations=list(orgs),
        )
        made.append(Account(role, email, password, orgs))
    return made
