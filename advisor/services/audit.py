"""The audit log: who did what, when.

``record`` adds an entry inside the caller's transaction, so the entry exists exactly when
the change it describes was committed. ``list_audit`` reads the log (curators only).
Entries are never edited, except that erasing a body's data blanks the personal data in
the entries about it (see ``advisor.services.data_protection``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import AuditEntry, utcnow


@dataclass(frozen=True)
class AuditView:
    """One audit entry as shown to a curator."""

    id: int
    at: datetime
    actor: str
    action: str
    organisation_id: str | None
    target_kind: str | None
    target_id: str | None
    detail: dict[str, Any]


def record(
    session: Session,
    actor: Principal,
    action: str,
    *,
    organisation_id: str | None = None,
    target_kind: str | None = None,
    target_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add an audit entry to the current transaction."""
    session.add(
        AuditEntry(
            at=utcnow(),
            actor_id=actor.user_id,
            actor_label=actor.label,
            action=action,
            organisation_id=organisation_id,
            target_kind=target_kind,
            target_id=None if target_id is None else str(target_id),
            detail=detail or {},
        )
    )


def list_audit(
    db: Database,
    actor: Principal,
    *,
    organisation_id: str | None = None,
    action: str | None = None,
    limit: int = 200,
    before_id: int | None = None,
) -> list[AuditView]:
    """Newest entries first, optionally for one organisation or action; page with before_id."""
    require(actor, Action.audit_view)
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(max(1, min(limit, 5000)))
    if organisation_id is not None:
        query = query.where(AuditEntry.organisation_id == organisation_id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    with db.read() as session:
        return [
            AuditView(
                id=e.id,
                at=e.at,
                actor=e.actor_label,
                action=e.action,
                organisation_id=e.organisation_id,
                target_kind=e.target_kind,
                target_id=e.target_id,
                detail=dict(e.detail),
            )
            for e in session.scalars(query)
        ]
