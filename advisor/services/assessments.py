"""Assessments: drafts that several respondents fill in, then one submission scored once.

An assessment belongs to one body. Each respondent has their own response (their answers,
kept apart from the others'), with its own version counter; an assessment has a version of
its own for submitting. Every save carries the version the user saw: if someone saved in
between, the save raises ``ConflictError`` naming the current version and changes nothing.
The check is in the UPDATE itself (``... WHERE version = :seen``), so it holds across
threads, processes and app replicas; a reload-then-save could not.

API (``actor`` is the acting ``Principal``; every call checks permissions first):

- ``create_assessment(db, actor, organisation_id, title, questionnaire_version)``: a draft,
  with an empty response for the actor.
- ``record_profile(db, actor, organisation_id, title, profile)``: a consultant's quick
  profile, stored as a submitted assessment without answers.
- ``list_assessments(db, actor, organisation_id=None, status=None)``: summaries, newest
  first, of the bodies the actor works for.
- ``get_assessment(db, actor, assessment_id)``: everything, responses included.
- ``invite_respondent(db, actor, assessment_id, user_id, sections=())``: give a colleague
  (or the body's consultant) their own response, optionally for some sections only.
- ``save_draft(db, actor, assessment_id, answers, seen_version, section=None)``: save the
  actor's own answers (the wizard saves each answer as it is given); ``seen_version`` is the
  version of their response they loaded (0 if they have no response yet); ``section`` is
  where they are, to pick up there next time. Returns the response with its new version.
- ``merged_answers(view, questionnaire)``: the answers the assessment would be scored from.
- ``body_answers(db, actor, organisation_id, questionnaire, rules)``: what the store already
  knows about the body (its name, kind and region) as answers; the wizard fills them in
  without asking, and submitting uses them over anything answered.
- ``submit_assessment(db, actor, assessment_id, seen_version, questionnaire, rules)``:
  merge, check against the bank (``InputError`` naming each question), score, and freeze.
  Only the assessment's owner (the account that started it) submits.
- ``hand_back(db, actor, assessment_id)``: an invited respondent hands their sections back.
- ``gaps_by_section(view, questionnaire)``: what is still unanswered, by section (shown
  before submitting).
- ``reopen_assessment(db, actor, assessment_id, questionnaire_version, as_new_version=True,
  title=None)``: a new draft from a submitted assessment's answers, either its next version
  (the submitted one kept as its history) or the next assessment of the body.
- ``history(db, actor, assessment_id)``: the earlier assessments it was reopened or started
  from, newest first.
- ``mark_advice_seen(db, actor, assessment_id, revision)``: the owner has seen the advice of
  knowledge-base ``revision`` (submitting records the live one). When an approved change
  makes the advice differ from that revision's, the results page says what changed until
  the owner refreshes the report.
- ``record_report_export(db, actor, assessment_id, fmt, filename, content)`` and
  ``list_report_exports(db, actor, assessment_id)``: which report left the system, when.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from advisor.answers import AnswerEntry, Answers, answer_issues, unanswered
from advisor.errors import InputError, Problem
from advisor.profile import Profile
from advisor.questionnaire import DONT_KNOW, NOT_APPLICABLE, Questionnaire
from advisor.scoring import ScoringRules, score_answers
from advisor.services import audit
from advisor.services.errors import ConflictError, NotFoundError
from advisor.services.organisations import BODY_KINDS
from advisor.services.permissions import Action, Principal, allowed, require, require_owner
from advisor.store.database import Database
from advisor.store.models import (
    Assessment,
    KbState,
    Membership,
    Organisation,
    ReportExport,
    Response,
    User,
    utcnow,
)
from advisor.vocabulary import Role

DRAFT = "draft"
SUBMITTED = "submitted"
REPORT_FORMATS = frozenset({"pdf", "html", "json", "csv"})
_FILE = "assessment"


@dataclass(frozen=True)
class ResponseView:
    """One respondent's answers."""

    id: int
    respondent_id: int | None
    respondent: str | None
    """The respondent's email (none once their account was erased)."""
    sections: tuple[str, ...]
    """Sections they were asked to answer; empty means all."""
    answers: Answers
    version: int
    updated_at: datetime
    last_section: str | None = None
    """The section they were on when they last saved."""
    handed_back_at: datetime | None = None
    """When they handed their sections back to the owner (invited respondents)."""


@dataclass(frozen=True)
class AssessmentSummary:
    id: int
    organisation_id: str
    title: str
    status: str
    questionnaire_version: str | None
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None
    organisation_name: str | None = None
    """The body's name, where the listing looked it up (lists show it; the id is for machines)."""
    author_id: int | None = None
    """The owner: the account that started it (the one who submits)."""
    previous_id: int | None = None
    """The assessment it was reopened or started from."""
    reopened: bool = False
    """True when it is a new version of ``previous_id`` (not the next assessment)."""
    advice_revision: int | None = None
    """The knowledge-base revision whose advice the owner last saw."""

    @property
    def label(self) -> str:
        """How the assessment is named in lists: its title, its body and its last change."""
        body = self.organisation_name or self.organisation_id
        return f"{self.title} ({body}, {self.updated_at:%d %b %Y})"


@dataclass(frozen=True)
class AssessmentView:
    """An assessment with every response; ``profile`` and ``answers`` once submitted."""

    summary: AssessmentSummary
    author: str | None
    responses: tuple[ResponseView, ...]
    answers: Answers | None
    profile: Profile | None

    @property
    def id(self) -> int:
        return self.summary.id

    @property
    def version(self) -> int:
        return self.summary.version

    @property
    def status(self) -> str:
        return self.summary.status

    def owned_by(self, user_id: int | None) -> bool:
        """Whether ``user_id`` is the owner (anyone may act as owner once the owner is gone)."""
        return self.summary.author_id is None or self.summary.author_id == user_id

    def response_of(self, user_id: int | None) -> ResponseView | None:
        """The response of one respondent, if they have one."""
        return next((r for r in self.responses if r.respondent_id == user_id), None)


@dataclass(frozen=True)
class ReportExportView:
    id: int
    assessment_id: int
    user: str | None
    format: str
    filename: str
    sha256: str
    size_bytes: int
    created_at: datetime


def _summary(a: Assessment, organisation_name: str | None = None) -> AssessmentSummary:
    return AssessmentSummary(
        id=a.id,
        organisation_id=a.organisation_id,
        title=a.title,
        status=a.status,
        questionnaire_version=a.questionnaire_version,
        version=a.version,
        created_at=a.created_at,
        updated_at=a.updated_at,
        submitted_at=a.submitted_at,
        organisation_name=organisation_name,
        author_id=a.author_id,
        previous_id=a.previous_id,
        reopened=bool(a.reopened),
        advice_revision=a.advice_revision,
    )


def _answers(data: dict[str, Any] | None, version: str | None) -> Answers:
    if not data:
        return Answers(questionnaire_version=version or "unknown")
    return Answers.model_validate(data)


def _email(session: Session, user_id: int | None) -> str | None:
    if user_id is None:
        return None
    user = session.get(User, user_id)
    return user.email if user is not None else None


def _view(session: Session, a: Assessment) -> AssessmentView:
    rows = session.scalars(
        select(Response).where(Response.assessment_id == a.id).order_by(Response.id)
    )
    responses = tuple(
        ResponseView(
            id=r.id,
            respondent_id=r.respondent_id,
            respondent=_email(session, r.respondent_id),
            sections=tuple(r.sections),
            answers=_answers(r.answers, a.questionnaire_version),
            version=r.version,
            updated_at=r.updated_at,
            last_section=r.last_section,
            handed_back_at=r.handed_back_at,
        )
        for r in rows
    )
    return AssessmentView(
        summary=_summary(a),
        author=_email(session, a.author_id),
        responses=responses,
        answers=Answers.model_validate(a.answers) if a.answers else None,
        profile=Profile.model_validate(a.profile) if a.profile else None,
    )


def _body(session: Session, organisation_id: str) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None or org.kind not in BODY_KINDS:
        raise InputError.single(
            _FILE, "organisation_id", f"'{organisation_id}' is not a registered public body"
        )
    return org


def _title(title: str) -> str:
    title = (title or "").strip()
    if not title or len(title) > 200:
        raise InputError.single(_FILE, "title", "give a title of 1 to 200 characters")
    return title


def _load(session: Session, actor: Principal, assessment_id: int, action: Action) -> Assessment:
    a = session.get(Assessment, assessment_id)
    if a is None:
        raise NotFoundError(f"no assessment #{assessment_id}")
    require(actor, action, a.organisation_id)
    return a


def create_assessment(
    db: Database,
    actor: Principal,
    organisation_id: str,
    title: str,
    questionnaire_version: str,
) -> AssessmentView:
    """Start a draft for a body, with an empty response for the actor."""
    require(actor, Action.assessment_create, organisation_id)
    title = _title(title)
    now = utcnow()
    with db.write() as session:
        _body(session, organisation_id)
        a = Assessment(
            organisation_id=organisation_id,
            title=title,
            status=DRAFT,
            questionnaire_version=questionnaire_version,
            author_id=actor.user_id,
            created_at=now,
            updated_at=now,
            version=1,
        )
        session.add(a)
        session.flush()
        session.add(
            _first_response(a, actor, Answers(questionnaire_version=questionnaire_version), now)
        )
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.create",
            organisation_id=organisation_id,
            target_kind="assessment",
            target_id=a.id,
        )
        return _view(session, a)


def record_profile(
    db: Database, actor: Principal, organisation_id: str, title: str, profile: Profile
) -> AssessmentView:
    """Store a profile written directly (a consultant's quick input) as a submitted assessment."""
    require(actor, Action.assessment_create, organisation_id)
    require(actor, Action.assessment_submit, organisation_id)
    title = _title(title)
    now = utcnow()
    with db.write() as session:
        _body(session, organisation_id)
        a = Assessment(
            organisation_id=organisation_id,
            title=title,
            status=SUBMITTED,
            questionnaire_version=profile.questionnaire_version,
            profile=profile.model_dump(mode="json"),
            author_id=actor.user_id,
            created_at=now,
            updated_at=now,
            submitted_at=now,
            version=1,
        )
        session.add(a)
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.profile",
            organisation_id=organisation_id,
            target_kind="assessment",
            target_id=a.id,
        )
        return _view(session, a)


def list_assessments(
    db: Database,
    actor: Principal,
    organisation_id: str | None = None,
    status: str | None = None,
) -> list[AssessmentSummary]:
    """Assessments of one body, or of every body the actor works for; newest first."""
    if organisation_id is not None:
        require(actor, Action.assessment_view, organisation_id)
        orgs = [organisation_id]
    else:
        orgs = sorted(o for o in actor.organisations if allowed(actor, Action.assessment_view, o))
        if not orgs:
            require(actor, Action.assessment_view)  # raises the usual refusal
    query = (
        select(Assessment, Organisation.name)
        .join(Organisation, Organisation.id == Assessment.organisation_id)
        .where(Assessment.organisation_id.in_(orgs))
        .order_by(Assessment.updated_at.desc(), Assessment.id.desc())
    )
    if status is not None:
        query = query.where(Assessment.status == status)
    with db.read() as session:
        return [_summary(a, name) for a, name in session.execute(query)]


def get_assessment(db: Database, actor: Principal, assessment_id: int) -> AssessmentView:
    """One assessment with every response."""
    with db.read() as session:
        return _view(session, _load(session, actor, assessment_id, Action.assessment_view))


def invite_respondent(
    db: Database,
    actor: Principal,
    assessment_id: int,
    user_id: int,
    sections: Sequence[str] = (),
) -> ResponseView:
    """Give another user of the body their own response (for some sections, or all)."""
    with db.write() as session:
        a = _load(session, actor, assessment_id, Action.assessment_edit)
        _require_draft(a)
        invitee = session.get(User, user_id)
        member = session.get(Membership, (user_id, a.organisation_id))
        if (
            invitee is None
            or not invitee.active
            or member is None
            or invitee.role not in (Role.council.value, Role.consultant.value)
        ):
            raise InputError.single(
                _FILE, "respondent", f"account #{user_id} does not work for {a.organisation_id}"
            )
        existing = session.scalar(
            select(Response).where(
                Response.assessment_id == a.id, Response.respondent_id == user_id
            )
        )
        now = utcnow()
        if existing is None:
            existing = Response(
                assessment_id=a.id,
                respondent_id=user_id,
                sections=list(sections),
                answers=Answers(
                    questionnaire_version=a.questionnaire_version or "unknown"
                ).model_dump(mode="json", exclude_none=True),
                version=1,
                created_at=now,
                updated_at=now,
            )
            session.add(existing)
        else:
            existing.sections = list(sections)
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.invite",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
            detail={"respondent_id": user_id, "sections": list(sections)},
        )
        return ResponseView(
            id=existing.id,
            respondent_id=user_id,
            respondent=invitee.email,
            sections=tuple(existing.sections),
            answers=_answers(existing.answers, a.questionnaire_version),
            version=existing.version,
            updated_at=existing.updated_at,
        )


def _require_draft(a: Assessment) -> None:
    if a.status != DRAFT:
        raise InputError.single(
            _FILE,
            "status",
            f"assessment #{a.id} is already submitted; start a new one to change it",
        )


def save_draft(
    db: Database,
    actor: Principal,
    assessment_id: int,
    answers: Answers,
    seen_version: int,
    section: str | None = None,
) -> ResponseView:
    """Save the actor's own answers, if their response is still at ``seen_version``; with
    ``section``, also where they are (they pick up there)."""
    data = answers.model_dump(mode="json", exclude_none=True)
    now = utcnow()
    with db.write() as session:
        a = _load(session, actor, assessment_id, Action.assessment_edit)
        if answers.questionnaire_version != a.questionnaire_version:
            raise InputError.single(
                _FILE,
                "questionnaire_version",
                f"answers are for version {answers.questionnaire_version}, the assessment uses "
                f"{a.questionnaire_version}",
            )
        # lock the assessment row first (submit does the same), and refuse once submitted
        touched = session.execute(
            update(Assessment)
            .where(Assessment.id == assessment_id, Assessment.status == DRAFT)
            .values(updated_at=now)
        )
        if touched.rowcount != 1:  # type: ignore[attr-defined]
            _require_draft(a)
        mine = select(Response).where(
            Response.assessment_id == assessment_id, Response.respondent_id == actor.user_id
        )
        if seen_version == 0:
            if session.scalar(mine) is not None:
                current = session.scalar(mine.with_only_columns(Response.version)) or 0
                raise ConflictError(f"your answers to assessment #{assessment_id}", 0, current)
            session.add(
                Response(
                    assessment_id=assessment_id,
                    respondent_id=actor.user_id,
                    sections=[],
                    answers=data,
                    version=1,
                    created_at=now,
                    updated_at=now,
                    last_section=section[:120] if section else None,
                )
            )
        else:
            place = {"last_section": section[:120]} if section else {}
            result = session.execute(
                update(Response)
                .where(
                    Response.assessment_id == assessment_id,
                    Response.respondent_id == actor.user_id,
                    Response.version == seen_version,
                )
                .values(answers=data, version=Response.version + 1, updated_at=now, **place)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                current = session.scalar(mine.with_only_columns(Response.version)) or 0
                raise ConflictError(
                    f"your answers to assessment #{assessment_id}", seen_version, current
                )
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.save_draft",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=assessment_id,
            detail={"version": seen_version + 1},
        )
        row = session.scalars(mine.execution_options(populate_existing=True)).one()
        return ResponseView(
            id=row.id,
            respondent_id=row.respondent_id,
            respondent=actor.email,
            sections=tuple(row.sections),
            answers=_answers(row.answers, a.questionnaire_version),
            version=row.version,
            updated_at=row.updated_at,
            last_section=row.last_section,
            handed_back_at=row.handed_back_at,
        )


def merged_answers(view: AssessmentView, questionnaire: Questionnaire) -> Answers:
    """One set of answers from every response.

    For each question: the answer of a respondent asked to answer its section, else the
    first respondent (the author first) who answered it.
    """
    section_of = {q.id: s.id for s in questionnaire.sections for q in s.questions}
    merged: dict[str, AnswerEntry] = {}
    assigned = [r for r in view.responses if r.sections]
    for response in [*assigned, *view.responses]:
        for qid, entry in response.answers.answers.items():
            if entry.value is None or qid in merged:
                continue
            if response.sections and section_of.get(qid) not in response.sections:
                continue
            merged[qid] = entry
    for response in view.responses:  # answers outside a respondent's sections still count last
        for qid, entry in response.answers.answers.items():
            if entry.value is not None and qid not in merged:
                merged[qid] = entry
    version = view.summary.questionnaire_version or questionnaire.version
    return Answers.model_validate(
        {
            "questionnaire_version": version,
            "answers": {k: e.model_dump(mode="json", exclude_none=True) for k, e in merged.items()},
        }
    )


def _facts(
    body: Organisation, questionnaire: Questionnaire, rules: ScoringRules
) -> dict[str, AnswerEntry]:
    """The body's name, kind and region as answers to the questions that ask for them."""
    asks = rules.organisation
    found: dict[str, AnswerEntry] = {}
    name = " ".join((body.name or "").split())
    if name and questionnaire.question(asks.name) is not None:
        found[asks.name] = AnswerEntry(value=name)
    kind_q = questionnaire.question(asks.kind)
    if kind_q is not None and kind_q.option(body.kind) is not None:
        found[asks.kind] = AnswerEntry(value=body.kind)
    region_q = questionnaire.question(asks.region)
    if region_q is not None and body.region:
        wanted = body.region.strip().casefold()
        option = next(
            (o for o in region_q.options if wanted in (o.id.casefold(), o.label.casefold())), None
        )
        if option is not None:
            found[asks.region] = AnswerEntry(value=option.id)
    return found


def _with_facts(answers: Answers, facts: dict[str, AnswerEntry]) -> Answers:
    """The facts where the answers have none (or only "don't know")."""
    given = {
        k for k, e in answers.answers.items() if e.value not in (None, DONT_KNOW, NOT_APPLICABLE)
    }
    missing = {k: e for k, e in facts.items() if k not in given}
    if not missing:
        return answers
    merged = {**answers.answers, **missing}
    return Answers.model_validate(
        {
            "questionnaire_version": answers.questionnaire_version,
            "answers": {k: e.model_dump(mode="json", exclude_none=True) for k, e in merged.items()},
        }
    )


def body_answers(
    db: Database,
    actor: Principal,
    organisation_id: str,
    questionnaire: Questionnaire,
    rules: ScoringRules,
) -> dict[str, AnswerEntry]:
    """What the store knows about the body (name, kind, region) as answers, by question."""
    require(actor, Action.assessment_view, organisation_id)
    with db.read() as session:
        return _facts(_body(session, organisation_id), questionnaire, rules)


def submit_assessment(
    db: Database,
    actor: Principal,
    assessment_id: int,
    seen_version: int,
    questionnaire: Questionnaire,
    rules: ScoringRules,
) -> AssessmentView:
    """Merge the responses, check them against the bank, score them and freeze the result."""
    now = utcnow()
    with db.write() as session:
        a = session.scalars(
            select(Assessment).where(Assessment.id == assessment_id).with_for_update()
        ).one_or_none()
        if a is None:
            raise NotFoundError(f"no assessment #{assessment_id}")
        require_owner(actor, Action.assessment_submit, a.organisation_id, a.author_id)
        if a.version != seen_version:
            raise ConflictError(f"assessment #{assessment_id}", seen_version, a.version)
        _require_draft(a)
        if a.questionnaire_version != questionnaire.version:
            raise InputError.single(
                _FILE,
                "questionnaire_version",
                f"assessment uses version {a.questionnaire_version}, the bank is "
                f"{questionnaire.version}",
            )
        answers = merged_answers(_view(session, a), questionnaire)
        body = session.get(Organisation, a.organisation_id)
        if body is not None:  # the store's name, kind and region, never "not given"
            answers = _with_facts(answers, _facts(body, questionnaire, rules))
        issues = answer_issues(answers, questionnaire)
        if issues:
            where = f"assessment #{assessment_id}"
            raise InputError(
                [Problem(where, None, ".".join(map(str, i.loc)), i.message) for i in issues]
            )
        try:
            profile = score_answers(answers, questionnaire, rules)
        except ValidationError as exc:
            raise InputError.single(f"assessment #{assessment_id}", "answers", str(exc)) from None
        result = session.execute(
            update(Assessment)
            .where(
                Assessment.id == assessment_id,
                Assessment.version == seen_version,
                Assessment.status == DRAFT,
            )
            .values(
                status=SUBMITTED,
                answers=answers.model_dump(mode="json", exclude_none=True),
                profile=profile.model_dump(mode="json"),
                submitted_at=now,
                updated_at=now,
                version=Assessment.version + 1,
                advice_revision=session.scalar(
                    select(KbState.live_revision).where(KbState.id == 1)
                ),
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            current = session.scalar(select(Assessment.version).where(Assessment.id == a.id))
            raise ConflictError(f"assessment #{assessment_id}", seen_version, current or 0)
        audit.record(
            session,
            actor,
            "assessment.submit",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=assessment_id,
        )
        session.flush()
        session.refresh(a)
        return _view(session, a)


def hand_back(db: Database, actor: Principal, assessment_id: int) -> ResponseView:
    """An invited respondent hands their sections back to the owner (their answers are
    already saved; this tells the owner they are done)."""
    now = utcnow()
    with db.write() as session:
        a = _load(session, actor, assessment_id, Action.assessment_edit)
        _require_draft(a)
        row = session.scalar(
            select(Response).where(
                Response.assessment_id == a.id, Response.respondent_id == actor.user_id
            )
        )
        if row is None:
            raise InputError.single(
                _FILE, "respondent", "you were not asked to answer any section of this one"
            )
        row.handed_back_at = now
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.hand_back",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
        )
        return ResponseView(
            id=row.id,
            respondent_id=row.respondent_id,
            respondent=actor.email,
            sections=tuple(row.sections),
            answers=_answers(row.answers, a.questionnaire_version),
            version=row.version,
            updated_at=row.updated_at,
            last_section=row.last_section,
            handed_back_at=row.handed_back_at,
        )


@dataclass(frozen=True)
class SectionGaps:
    """A section with questions still unanswered (by anyone), in the questions' words."""

    title: str
    questions: tuple[str, ...]


def gaps_by_section(view: AssessmentView, questionnaire: Questionnaire) -> list[SectionGaps]:
    """What submitting now would leave unanswered, section by section (in bank order)."""
    todo = {q.id for q in unanswered(merged_answers(view, questionnaire), questionnaire)}
    return [
        SectionGaps(s.title, tuple(q.text for q in s.questions if q.id in todo))
        for s in questionnaire.sections
        if any(q.id in todo for q in s.questions)
    ]


def reopen_assessment(
    db: Database,
    actor: Principal,
    assessment_id: int,
    questionnaire_version: str,
    *,
    as_new_version: bool = True,
    title: str | None = None,
) -> AssessmentView:
    """A new draft holding a submitted assessment's answers, for its owner to change.

    ``as_new_version``: the draft is the assessment's next version (same title; the
    submitted one stays, with its result, as its history). Otherwise it starts the body's
    next assessment from these answers (``title`` names it).
    """
    now = utcnow()
    with db.write() as session:
        old = _load(session, actor, assessment_id, Action.assessment_view)
        require_owner(actor, Action.assessment_submit, old.organisation_id, old.author_id)
        require(actor, Action.assessment_create, old.organisation_id)
        if old.status != SUBMITTED:
            raise InputError.single(
                _FILE, "status", "only a submitted assessment can be reopened; carry on with it"
            )
        name = old.title if as_new_version else _title(title or "")
        data = dict(old.answers or {})
        data["questionnaire_version"] = questionnaire_version
        answers = _answers(data, questionnaire_version)
        a = Assessment(
            organisation_id=old.organisation_id,
            title=name,
            status=DRAFT,
            questionnaire_version=questionnaire_version,
            author_id=actor.user_id,
            created_at=now,
            updated_at=now,
            version=1,
            previous_id=old.id,
            reopened=as_new_version,
        )
        session.add(a)
        session.flush()
        session.add(_first_response(a, actor, answers, now))
        session.flush()
        audit.record(
            session,
            actor,
            "assessment.reopen" if as_new_version else "assessment.start_from",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
            detail={"from": old.id},
        )
        return _view(session, a)


def mark_advice_seen(db: Database, actor: Principal, assessment_id: int, revision: int) -> None:
    """The owner has seen (and refreshed the report to) the advice of ``revision``."""
    with db.write() as session:
        a = _load(session, actor, assessment_id, Action.assessment_view)
        require_owner(actor, Action.assessment_submit, a.organisation_id, a.author_id)
        a.advice_revision = revision
        audit.record(
            session,
            actor,
            "assessment.advice_seen",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
            detail={"revision": revision},
        )


def history(db: Database, actor: Principal, assessment_id: int) -> list[AssessmentSummary]:
    """The assessments this one was reopened or started from, newest first."""
    found: list[AssessmentSummary] = []
    with db.read() as session:
        a = _load(session, actor, assessment_id, Action.assessment_view)
        seen = {a.id}
        while a.previous_id is not None and a.previous_id not in seen:
            earlier = session.get(Assessment, a.previous_id)
            if earlier is None or not allowed(
                actor, Action.assessment_view, earlier.organisation_id
            ):
                break
            seen.add(earlier.id)
            found.append(_summary(earlier))
            a = earlier
    return found


def record_report_export(
    db: Database,
    actor: Principal,
    assessment_id: int,
    fmt: str,
    filename: str,
    content: bytes,
) -> ReportExportView:
    """Note that a report of this assessment was exported (its hash and size, not its bytes)."""
    if fmt not in REPORT_FORMATS:
        raise InputError.single(
            "report", "format", f"must be one of: {', '.join(sorted(REPORT_FORMATS))}"
        )
    filename = (filename or "").strip()[:255] or f"report.{fmt}"
    with db.write() as session:
        a = _load(session, actor, assessment_id, Action.report_export)
        row = ReportExport(
            assessment_id=a.id,
            user_id=actor.user_id,
            format=fmt,
            filename=filename,
            sha256=hashlib.sha256(content).hexdigest(),
            size_bytes=len(content),
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        audit.record(
            session,
            actor,
            "report.export",
            organisation_id=a.organisation_id,
            target_kind="assessment",
            target_id=a.id,
            detail={"format": fmt, "export_id": row.id},
        )
        return _export_view(session, row)


def _export_view(session: Session, row: ReportExport) -> ReportExportView:
    return ReportExportView(
        id=row.id,
        assessment_id=row.assessment_id,
        user=_email(session, row.user_id),
        format=row.format,
        filename=row.filename,
        sha256=row.sha256,
        size_bytes=row.size_bytes,
        created_at=row.created_at,
    )


def list_report_exports(
    db: Database, actor: Principal, assessment_id: int
) -> list[ReportExportView]:
    """Reports exported from an assessment, newest first."""
    with db.read() as session:
        a = _load(session, actor, assessment_id, Action.assessment_view)
        rows = session.scalars(
            select(ReportExport)
            .where(ReportExport.assessment_id == a.id)
            .order_by(ReportExport.id.desc())
        )
        return [_export_view(session, r) for r in rows]


def count_assessments(db: Database) -> int:
    """How many assessments the store holds (for status pages and tests)."""
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Assessment)) or 0)


def _first_response(a: Assessment, actor: Principal, answers: Answers, now: datetime) -> Response:
    """The owner's response of a new assessment, at version 1."""
    return Response(
        assessment_id=a.id,
        respondent_id=actor.user_id,
        sections=[],
        answers=answers.model_dump(mode="json", exclude_none=True),
        version=1,
        created_at=now,
        updated_at=now,
    )
