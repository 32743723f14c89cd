"""The tables of the store, as typed SQLAlchemy 2 models.

Each table here is created by a migration in ``advisor/migrations/versions``; a test checks
that the migrations and these models agree. Times are stored in UTC.

- ``organisations``: public bodies, vendors and consultancies (``kind``, ``region``).
- ``users`` and ``memberships``: local accounts; which organisations a user acts for.
- ``client_proposals``: bodies consultants propose as clients, awaiting a curator.
- ``sign_in_attempts``: the record that sign-in throttling counts.
- ``assessments`` and ``responses``: one assessment per body and occasion; each respondent's
  answers in their own response row, each row with its own version counter.
- ``sign_in_sessions``: a browser's signed-in session (only a hash of its token), where its
  user was (page, assessment, section), and when it ends.
- ``what_if_scenarios``: changes a user tried on a submitted assessment, kept apart from
  assessments (never scored as one).
- ``report_exports``: which report was exported from which assessment, by whom.
- ``report_themes``: a consultant's own report theme (name, colours, website, logo).
- ``kb_state``, ``kb_revisions``, ``kb_entries``, ``kb_entry_versions``, ``kb_proposals``:
  the knowledge base, its numbered revisions, every version of every entry, and the review
  queue.
- ``audit_entries``: who did what, when.
- ``render_jobs``: report renders on the queue, their state and finished reports.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every database (SQLite keeps no zone, so it is added back)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON(none_as_null=True),  # None is SQL NULL, not the JSON 'null'
        list[Any]: JSON(none_as_null=True),
    }


class Organisation(Base):
    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime]
    kb_entry_id: Mapped[str | None] = mapped_column(String(120), unique=True)
    """The knowledge-base body this organisation is (none if the knowledge base has none)."""


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    must_change_password: Mapped[bool] = mapped_column(Boolean, server_default=false())
    """Set by a one-time password: the next sign-in must choose a new one first."""
    last_sign_in_at: Mapped[datetime | None]


class Membership(Base):
    __tablename__ = "memberships"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime]


class ClientProposal(Base):
    """A body a consultant proposes as a new client; a curator approves or declines it."""

    __tablename__ = "client_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))
    region: Mapped[str | None] = mapped_column(String(100))
    proposed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    proposer_label: Mapped[str] = mapped_column(String(254))
    status: Mapped[str] = mapped_column(String(20), index=True)
    created_at: Mapped[datetime]
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    organisation_id: Mapped[str | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )
    """The body the consultant was made consultant of, once approved."""


class SignInAttempt(Base):
    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    succeeded: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(index=True)
    source: Mapped[str | None] = mapped_column(String(100))


class Assessment(Base):
    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[str] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))
    questionnaire_version: Mapped[str | None] = mapped_column(String(40))
    answers: Mapped[dict[str, Any] | None]
    """The respondents' answers merged at submission (none while a draft)."""
    profile: Mapped[dict[str, Any] | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    submitted_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    """The assessment this one was reopened from or started from (its history)."""
    reopened: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """True for a new version of ``previous_id``; false for a next assessment started from it."""
    advice_revision: Mapped[int | None] = mapped_column(Integer)
    """The knowledge-base revision whose advice the owner last saw (set at submission)."""


class Response(Base):
    """One respondent's answers to one assessment, kept apart from the others'."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("assessment_id", "respondent_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sections: Mapped[list[Any]]
    """Section ids this respondent was asked to answer; empty means all."""
    answers: Mapped[dict[str, Any]]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    last_section: Mapped[str | None] = mapped_column(String(120))
    """The section the respondent was on when they last saved (where they pick up)."""
    handed_back_at: Mapped[datetime | None]
    """When an invited respondent handed their sections back to the owner."""


class SignInSession(Base):
    """A browser's signed-in session. The browser holds a random token in an HttpOnly
    cookie; the store keeps only its SHA-256. Until the browser has collected the token,
    ``handover_hash`` holds the hash of a one-time code valid for a short while."""

    __tablename__ = "sign_in_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handover_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    handover_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    last_page: Mapped[str | None] = mapped_column(String(80))
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL")
    )
    section: Mapped[str | None] = mapped_column(String(120))
    revoked_at: Mapped[datetime | None]


class ReportExport(Base):
    __tablename__ = "report_exports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class ReportTheme(Base):
    """One theme per account; validated as a whole before it is stored and when it is read."""

    __tablename__ = "report_themes"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    organisation_name: Mapped[str] = mapped_column(String(120))
    colours: Mapped[dict[str, Any]]
    website: Mapped[str | None] = mapped_column(String(300))
    logo: Mapped[bytes] = mapped_column(LargeBinary)
    """PNG, JPEG or SVG; its type is judged from the content, as at upload."""
    updated_at: Mapped[datetime]


class KbState(Base):
    """One row: the live revision number. Approvals lock it, so numbers follow commit order."""

    __tablename__ = "kb_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    live_revision: Mapped[int] = mapped_column(Integer)


class KbRevision(Base):
    __tablename__ = "kb_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    kind: Mapped[str] = mapped_column(String(20))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)
    changes: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]


class KbEntry(Base):
    """The live version of each entry (``data`` none once removed)."""

    __tablename__ = "kb_entries"

    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(ForeignKey("kb_revisions.id"))
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any] | None]
    updated_at: Mapped[datetime]


class KbEntryVersion(Base):
    """Every version an entry ever had; rows are only ever added."""

    __tablename__ = "kb_entry_versions"
    __table_args__ = (UniqueConstraint("kind", "entry_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(120))
    version: Mapped[int] = mapped_column(Integer)
    revision_id: Mapped[int] = mapped_column(ForeignKey("kb_revisions.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any] | None]


class KbProposal(Base):
    __tablename__ = "kb_proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(120))
    organisation_id: Mapped[str | None] = mapped_column(String(80), index=True)
    base_version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]]
    diff: Mapped[str] = mapped_column(Text)
    comment: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    author_label: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime]
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    review_comment: Mapped[str | None] = mapped_column(Text)
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("kb_revisions.id"))


class AuditEntry(Base):
    __tablename__ = "audit_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    """The acting user's id (kept as a plain number so the entry outlives the account)."""
    actor_label: Mapped[str] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[str | None] = mapped_column(String(80), index=True)
    target_kind: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[str | None] = mapped_column(String(120))
    detail: Mapped[dict[str, Any]]


class RenderJob(Base):
    """One report render on the queue: its state, and the finished report for any replica.

    A batch export is several jobs sharing a ``group_id``. Jobs are kept a day (purged as new
    ones are asked for, ``advisor.jobs.records``); which report left the system is
    ``report_exports``.
    """

    __tablename__ = "render_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    group_id: Mapped[str | None] = mapped_column(String(32), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    format: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(255))
    state: Mapped[str] = mapped_column(String(20))
    """queued, running, done or failed."""
    queue: Mapped[str] = mapped_column(String(20))
    """embedded (the app's own workers) or broker."""
    owner: Mapped[str] = mapped_column(String(120))
    """host and process id of the app process that asked for it."""
    worker: Mapped[str | None] = mapped_column(String(120))
    """host and process id of the worker that last ran it."""
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str | None] = mapped_column(Text)
    """Why it failed, in words."""
    created_at: Mapped[datetime] = mapped_column(index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    data: Mapped[bytes | None] = mapped_column(LargeBinary)


class WhatIfScenario(Base):
    """A saved what-if: the maturity levels and barrier severities changed on a submitted
    assessment (only the changes; the advice is worked out again when it is opened)."""

    __tablename__ = "what_if_scenarios"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    maturity: Mapped[dict[str, Any]]
    """Technology area id to the level tried (only those changed)."""
    barriers: Mapped[dict[str, Any]]
    """Barrier id to the severity tried (only those changed)."""
    created_at: Mapped[datetime]
