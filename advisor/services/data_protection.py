"""Data protection: what the store holds about a body, erasing it, and retention.

- ``export_body_data(db, actor, organisation_id) -> dict``: everything held about a body as
  plain JSON-ready data: the organisation, the accounts that act for it (never password
  hashes) with their sign-in records, every assessment with each respondent's answers, the
  report exports, and the audit entries about it. Council users of the body or a curator.
- ``erase_body_data(db, actor, organisation_id) -> ErasureResult``: deletes the body's
  assessments (answers, profiles, report records) and the accounts that act only for it
  with their sign-in records; consultants lose the body as a client. Audit entries about the
  body stay, with the erased people's names replaced and details blanked, plus one new entry
  recording the erasure with counts only. The organisation row (a public body's name, kind
  and region) stays. Curator only.
- ``purge_abandoned_drafts(db, actor, settings, now=None) -> PurgeResult``: deletes drafts
  nobody touched for ``draft_retention_days``, and sign-in records older than the throttling
  needs. Curator only (``advisor db purge-drafts``; run it daily from cron or a timer).

See ``docs/data-protection.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.permissions import Action, Principal, require
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import (
    Assessment,
    AuditEntry,
    Membership,
    Organisation,
    ReportExport,
    Response,
    SignInAttempt,
    User,
    utcnow,
)
from advisor.vocabulary import Role

EXPORT_FORMAT = "advisor-body-export/1"


@dataclass(frozen=True)
class ErasureResult:
    assessments: int
    responses: int
    report_exports: int
    accounts: int
    memberships: int
    audit_entries_blanked: int


@dataclass(frozen=True)
class PurgeResult:
    drafts: int
    sign_in_attempts: int


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _org(session: Session, organisation_id: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise NotFoundError(f"no organisation '{organisation_id}'")
    return org


def _members(session: Session, organisation_id: str) -> list[User]:
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.organisation_id == organisation_id)
        .order_by(User.id)
    )
    return list(session.scalars(query))


def export_body_data(db: Database, actor: Principal, organisation_id: str) -> dict[str, Any]:
    """Everything held about a body, as JSON-ready data."""
    require(actor, Action.body_data_export, organisation_id)
    with db.write() as session:
        org = _org(session, organisation_id)
        members = _members(session, organisation_id)
        emails = {u.id: u.email for u in session.scalars(select(User))}
        accounts = []
        for user in members:
            attempts = session.scalars(
                select(SignInAttempt)
                .where(SignInAttempt.email == user.email)
                .order_by(SignInAttempt.at)
            )
            accounts.append(
                {
                    "id": user.id,
                    "email": user.email,
                    "display_name": user.display_name,
                    "role": user.role,
                    "active": user.active,
                    "created_at": _iso(user.created_at),
                    "sign_ins": [
                        {"at": _iso(a.at), "succeeded": a.succeeded, "source": a.source}
                        for a in attempts
                    ],
                }
            )
        assessments = []
        for a in session.scalars(
            select(Assessment)
            .where(Assessment.organisation_id == organisation_id)
            .order_by(Assessment.id)
        ):
            responses = session.scalars(
                select(Response).where(Response.assessment_id == a.id).order_by(Response.id)
            )
            exports = session.scalars(
                select(ReportExport)
                .where(ReportExport.assessment_id == a.id)
                .order_by(ReportExport.id)
            )
            assessments.append(
                {
                    "id": a.id,
                    "title": a.title,
                    "status": a.status,
                    "questionnaire_version": a.questionnaire_version,
                    "author": emails.get(a.author_id) if a.author_id else None,
                    "created_at": _iso(a.created_at),
                    "updated_at": _iso(a.updated_at),
                    "submitted_at": _iso(a.submitted_at),
                    "version": a.version,
                    "answers": a.answers,
                    "profile": a.profile,
                    "responses": [
                        {
                            "respondent": emails.get(r.respondent_id) if r.respondent_id else None,
                            "sections": r.sections,
                            "answers": r.answers,
                            "version": r.version,
                            "created_at": _iso(r.created_at),
                            "updated_at": _iso(r.updated_at),
                        }
                        for r in responses
                    ],
                    "report_exports": [
                        {
                            "format": e.format,
                            "filename": e.filename,
                            "sha256": e.sha256,
                            "size_bytes": e.size_bytes,
                            "by": emails.get(e.user_id) if e.user_id else None,
                            "at": _iso(e.created_at),
                        }
                        for e in exports
                    ],
                }
            )
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.organisation_id == organisation_id)
            .order_by(AuditEntry.id)
        )
        audit_log = [
            {
                "at": _iso(e.at),
                "actor": e.actor_label,
                "action": e.action,
                "target": f"{e.target_kind}:{e.target_id}" if e.target_kind else None,
                "detail": e.detail,
            }
            for e in entries
        ]
        result = {
            "format": EXPORT_FORMAT,
            "exported_at": _iso(utcnow()),
            "organisation": {
                "id": org.id,
                "name": org.name,
                "kind": org.kind,
                "region": org.region,
                "created_at": _iso(org.created_at),
            },
            "accounts": accounts,
            "assessments": assessments,
            "audit": audit_log,
        }
        audit.record(
            session,
            actor,
            "body_data.export",
            organisation_id=organisation_id,
            target_kind="organisation",
            target_id=organisation_id,
        )
    return result


def erase_body_data(db: Database, actor: Principal, organisation_id: str) -> ErasureResult:
    """Delete a body's assessments and personal data; keep a blanked audit trail."""
    require(actor, Action.body_data_erase, organisation_id)
    with db.write() as session:
        _org(session, organisation_id)
        assessment_ids = list(
            session.scalars(
                select(Assessment.id).where(Assessment.organisation_id == organisation_id)
            )
        )
        n_responses = n_exports = 0
        if assessment_ids:
            n_responses = _count(session, Response, Response.assessment_id.in_(assessment_ids))
            n_exports = _count(
                session, ReportExport, ReportExport.assessment_id.in_(assessment_ids)
            )
            session.execute(delete(Response).where(Response.assessment_id.in_(assessment_ids)))
            session.execute(
                delete(ReportExport).where(ReportExport.assessment_id.in_(assessment_ids))
            )
            session.execute(delete(Assessment).where(Assessment.id.in_(assessment_ids)))
        erased: list[User] = []
        n_memberships = 0
        for user in _members(session, organisation_id):
            others = _count(
                session,
                Membership,
                Membership.user_id == user.id,
                Membership.organisation_id != organisation_id,
            )
            if user.role == Role.council.value and others == 0:
                erased.append(user)
            else:
                n_memberships += 1
        session.execute(delete(Membership).where(Membership.organisation_id == organisation_id))
        erased_ids = [u.id for u in erased]
        if erased:
            session.execute(
                delete(SignInAttempt).where(SignInAttempt.email.in_([u.email for u in erased]))
            )
            for user in erased:
                session.execute(
                    update(AuditEntry)
                    .where(AuditEntry.actor_id == user.id)
                    .values(actor_label=f"erased account #{user.id}")
                )
            session.execute(delete(Membership).where(Membership.user_id.in_(erased_ids)))
            session.execute(delete(User).where(User.id.in_(erased_ids)))
        about_body = AuditEntry.organisation_id == organisation_id
        blanked = _count(session, AuditEntry, about_body)
        session.execute(update(AuditEntry).where(about_body).values(detail={}))
        result = ErasureResult(
            assessments=len(assessment_ids),
            responses=n_responses,
            report_exports=n_exports,
            accounts=len(erased),
            memberships=n_memberships,
            audit_entries_blanked=blanked,
        )
        audit.record(
            session,
            actor,
            "body_data.erase",
            organisation_id=organisation_id,
            target_kind="organisation",
            target_id=organisation_id,
            detail={
                "assessments": result.assessments,
                "responses": result.responses,
                "report_exports": result.report_exports,
                "accounts": result.accounts,
            },
        )
    return result


def _count(session: Session, model: type[Any], *where: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def purge_abandoned_drafts(
    db: Database, actor: Principal, settings: Settings, now: datetime | None = None
) -> PurgeResult:
    """Delete drafts untouched for the retention period, and old sign-in records."""
    require(actor, Action.drafts_purge)
    now = now or utcnow()
    cutoff = now - timedelta(days=settings.draft_retention_days)
    keep_attempts = timedelta(
        seconds=settings.signin_window_seconds + settings.signin_lockout_seconds
    )
    with db.write() as session:
        stale = list(
            session.scalars(
                select(Assessment.id).where(
                    Assessment.status == "draft", Assessment.updated_at < cutoff
                )
            )
        )
        if stale:
            session.execute(delete(Response).where(Response.assessment_id.in_(stale)))
            session.execute(delete(ReportExport).where(ReportExport.assessment_id.in_(stale)))
            session.execute(delete(Assessment).where(Assessment.id.in_(stale)))
        # records older than window + lockout no longer affect throttling
        old = SignInAttempt.at < now - max(keep_attempts, timedelta(days=1))
        attempts = _count(session, SignInAttempt, old)
        session.execute(delete(SignInAttempt).where(old))
        audit.record(
            session,
            actor,
            "drafts.purge",
            detail={
                "drafts": len(stale),
                "sign_in_attempts": attempts,
                "retention_days": settings.draft_retention_days,
            },
        )
    return PurgeResult(drafts=len(stale), sign_in_attempts=attempts)
