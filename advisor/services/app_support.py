"""Small service functions the app needs that the other service modules do not offer.

- ``open_store(settings)``: the store named by the settings.
- ``assessable_bodies(db, actor)``: the public bodies the actor may start assessments for.
- ``colleagues(db, actor, organisation_id)``: other active accounts working for a body, who
  can be invited to answer sections of its assessment.
- ``respondent_sections(questionnaire, sections)``: the sections a respondent answers;
  ``resume_section(...)``: where a returning respondent carries on.
- ``knowledge_base_revision(db, revision)``: the knowledge base at a revision (the live one
  without a second query when it is live).
- ``rule_files_revision(db, revision)``: the question bank, scoring and matching rules at a
  revision (the bundled ones for a store that holds none).
- ``recommendation_for(...)``: a submitted assessment matched against a knowledge base.
- ``report_download(...)``: its report as bytes to download (the PDF made in a worker).
- ``report_archive(...)``: several reports in one zip, with progress.
- ``check_vendor_entry(vendor_id, data)`` and ``vendor_preview(kb, vendor, rules)``: a
  vendor's edited entry checked field by field, and shown as a recommendation would show it.
- ``knowledge_base_problems(db, actor)``: validation problems of the live knowledge base.
- ``theme_from_upload(...)``: a consultant's own report theme, the logo checked by content.
- ``profile_from_form(...)`` and ``profile_from_upload(data, name)``: a consultant's quick
  profile, from a form or an uploaded file (checked by content).

Each checks permissions through ``advisor.services.permissions`` like the rest.
"""

from __future__ import annotations

import io
import re
import tempfile
import threading
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlalchemy import select

from advisor.answers import AnswerEntry, Answers, unanswered
from advisor.assessment_input import bundled_assessment, parse_assessment_input
from advisor.errors import InputError, Problem, problems_from_validation
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base_result
from advisor.kb.market_rules import MarketRules
from advisor.kb.models import KnowledgeBase, Vendor
from advisor.kb.rule_files import RuleFiles, bundled_rule_files, rule_files_from_texts
from advisor.matching import MatchIndex, MatchingRules, build_index, match_profile
from advisor.profile import Profile
from advisor.questionnaire import Questionnaire, Section
from advisor.recommendation import NearMiss, Recommendation, VendorItem
from advisor.reporting.context import AnswerRow, answer_rows, build_context
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.render import FORMATS, Format, pdf_from_html, report_bytes
from advisor.reporting.theme import (
    MAX_LOGO_BYTES,
    Theme,
    ThemeFile,
    default_theme,
    logo_mime_type,
    svg_problem,
)
from advisor.reporting.workers import Limits, WorkerPool
from advisor.scoring import ScoringRules
from advisor.services.assessments import AssessmentView, get_assessment
from advisor.services.kb_revisions import (
    export_knowledge_base,
    knowledge_base_at,
    live_knowledge_base,
    rule_file_texts_at,
)
from advisor.services.organisations import OrganisationView, list_organisations
from advisor.services.permissions import Action, Principal, allowed, require
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import Membership, User
from advisor.vocabulary import Role, TechnologyAreaId


def open_store(settings: Settings) -> Database:
    """The store the settings name (SQLite file by default, PostgreSQL when configured)."""
    return Database.from_settings(settings)


def answers_of(version: str, entries: Mapping[str, AnswerEntry]) -> Answers:
    """Answers to bank ``version`` from a respondent's entries (as a form holds them)."""
    return Answers.model_validate(
        {
            "questionnaire_version": version,
            "answers": {k: e.model_dump(exclude_none=True) for k, e in entries.items()},
        }
    )


def resume_section(
    questionnaire: Questionnaire, sections: Sequence[Section], answers: Answers
) -> int:
    """Index (in ``sections``) of the first section with a visible question left unanswered;
    the last section when everything is answered."""
    todo = {q.id for q in unanswered(answers, questionnaire)}
    for i, section in enumerate(sections):
        if any(q.id in todo for q in section.questions):
            return i
    return max(0, len(sections) - 1)


def knowledge_base_revision(db: Database, revision: int) -> KnowledgeBase:
    """The knowledge base at ``revision``; the shared live copy when that is the live one."""
    live = live_knowledge_base(db)
    if live.revision == revision or revision == 0:
        return live.kb
    return knowledge_base_at(db, revision)


def rule_files_revision(db: Database, revision: int) -> RuleFiles:
    """The rule files at ``revision``: the store's, and the bundled one for any it lacks.

    Rule files are checked together when they are imported, so this is expected to succeed;
    call it once per revision (the app caches what it builds per revision).
    """
    texts = rule_file_texts_at(db, revision) if revision else {}
    if not texts:
        return bundled_rule_files()
    return rule_files_from_texts(texts, fallback=BUNDLED_KB_DIR, where=f"revision {revision}")


def assessable_bodies(db: Database, actor: Principal) -> list[OrganisationView]:
    """Public bodies the actor may start an assessment for, by name."""
    return [
        org
        for org in list_organisations(db, actor)
        if org.is_body and allowed(actor, Action.assessment_create, org.id)
    ]


def colleagues(db: Database, actor: Principal, organisation_id: str) -> list[tuple[int, str]]:
    """(user id, email) of the other active council and consultant accounts of a body."""
    require(actor, Action.assessment_edit, organisation_id)
    query = (
        select(User.id, User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organisation_id == organisation_id,
            User.active.is_(True),
            User.role.in_([Role.council.value, Role.consultant.value]),
            User.id != actor.user_id,
        )
        .order_by(User.email)
    )
    with db.read() as session:
        return [(int(uid), str(email)) for uid, email in session.execute(query)]


def respondent_sections(questionnaire: Questionnaire, sections: Sequence[str]) -> list[Section]:
    """The sections a respondent answers: the ones named, or all when none are."""
    if not sections:
        return list(questionnaire.sections)
    wanted = set(sections)
    return [s for s in questionnaire.sections if s.id in wanted] or list(questionnaire.sections)


@dataclass(frozen=True)
class AssessedView:
    """A submitted assessment with its recommendation against one knowledge-base revision."""

    assessment: AssessmentView
    recommendation: Recommendation
    answer_rows: list[AnswerRow]


def recommendation_for(
    db: Database,
    actor: Principal,
    assessment_id: int,
    index: MatchIndex,
    rules: MatchingRules,
    revision: int,
    questionnaire: Questionnaire | None = None,
    today: date | None = None,
    market: MarketRules | None = None,
) -> AssessedView:
    """Match a submitted assessment's profile against the knowledge base at ``revision``
    (whose market rules are ``market``; the bundled ones when not given)."""
    view = get_assessment(db, actor, assessment_id)
    return assessed_view(view, index, rules, revision, questionnaire, today, market)


def assessed_view(
    view: AssessmentView,
    index: MatchIndex,
    rules: MatchingRules,
    revision: int,
    questionnaire: Questionnaire | None = None,
    today: date | None = None,
    market: MarketRules | None = None,
) -> AssessedView:
    """A submitted assessment (already read, and its reader's access checked) matched."""
    if view.profile is None:
        raise InputError.single(
            f"assessment #{view.id}", "status", "not submitted yet: finish it first"
        )
    rec = match_profile(view.profile, index, rules, today=today, market=market)
    rec = rec.model_copy(update={"knowledge_base_version": f"revision {revision}"})
    rows: list[AnswerRow] = []
    if view.answers is not None:
        bank = questionnaire or bundled_assessment()[0]
        rows = answer_rows(view.answers, bank)
    return AssessedView(view, rec, rows)


class MatchMemo:
    """The last few matches of one knowledge-base revision, by assessment version and day.

    A match depends only on the submitted answers (fixed for a version), the revision and
    the date, so everyone who opens the same results shares one; who may see them is still
    checked on every read. Thread-safe: app sessions share it. A match holds about 0.4 MB,
    so the 64 kept (more than the fifty people of the load test) cost some 25 MB a revision.
    """

    def __init__(self, size: int = 64) -> None:
        self.size = size
        self._kept: OrderedDict[tuple[int, int, date], tuple[Recommendation, list[AnswerRow]]]
        self._kept = OrderedDict()
        self._lock = threading.Lock()

    def assessed(
        self, view: AssessmentView, today: date, match: Callable[[], AssessedView]
    ) -> AssessedView:
        """``view`` matched: from memory when this version was matched today, else ``match()``."""
        key = (view.id, view.version, today)
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None:
                self._kept.move_to_end(key)
        if kept is not None:
            return AssessedView(view, kept[0], kept[1])
        done = match()
        with self._lock:
            self._kept[key] = (done.recommendation, done.answer_rows)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
        return done


@dataclass(frozen=True)
class Download:
    format: str
    """pdf, html, json, csv, or zip for an archive."""
    filename: str
    mime: str
    data: bytes


MIME_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html",
    "json": "application/json",
    "csv": "text/csv",
}
PDF_LIMITS = Limits(seconds=120, memory_bytes=2 * 1024**3, tasks_per_worker=1)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "assessment"


def report_file_name(assessed: AssessedView, fmt: str) -> str:
    """The file name of an assessment's report, saying which assessment it is among several of
    one body: the body's name, the title, the day it was submitted and its number."""
    summary = assessed.assessment.summary
    body = _slug(summary.organisation_name or assessed.recommendation.profile.organisation.name)
    day = (summary.submitted_at or summary.updated_at).strftime("%Y-%m-%d")
    return f"{body}-{_slug(summary.title)[:40]}-{day}-{summary.id}.{fmt}"


def report_download(
    assessed: AssessedView,
    kb: KnowledgeBase,
    fmt: str,
    theme: Theme | None = None,
    pool: WorkerPool | None = None,
) -> Download:
    """The report of an assessment as a file to download; the PDF renders in a worker."""
    if fmt not in FORMATS:
        raise InputError.single("report", "format", f"must be one of: {', '.join(FORMATS)}")
    chosen: Format = fmt
    used = theme or default_theme()
    rec = assessed.recommendation
    respondent = assessed.assessment.author
    name = report_file_name(assessed, chosen)
    if chosen == "pdf":
        report = build_context(
            rec,
            kb,
            assessed.answer_rows,
            prepared_by=used.organisation_name,
            website=used.website,
            assessed_by=respondent,
        )
        html = render_html(report, used, "pdf")
        if pool is None:
            with WorkerPool(1, PDF_LIMITS) as own:
                outcome = own.run(pdf_from_html, html, report_assets(used))
        else:
            outcome = pool.run(pdf_from_html, html, report_assets(used))
        if not outcome.ok or outcome.value is None:
            raise RuntimeError(f"the PDF could not be made: {outcome.message}")
        data = outcome.value
    else:
        _, data = report_bytes(rec, kb, assessed.answer_rows, chosen, used, assessed_by=respondent)
    return Download(chosen, name, MIME_TYPES[chosen], data)


def report_archive(
    items: Sequence[AssessedView],
    kb: KnowledgeBase,
    fmt: str,
    theme: Theme | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Download:
    """Every report in one zip file; ``progress(done, total, name)`` after each one."""
    buffer = io.BytesIO()
    with (
        WorkerPool(1, PDF_LIMITS) as pool,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for done, item in enumerate(items, start=1):
            one = report_download(item, kb, fmt, theme, pool)
            archive.writestr(one.filename, one.data)
            if progress is not None:
                progress(done, len(items), one.filename)
    return Download("zip", f"reports-{fmt}.zip", "application/zip", buffer.getvalue())


def _problems(err: ValidationError, where: str) -> InputError:
    return InputError(problems_from_validation(err, where))


def profile_from_form(
    body: OrganisationView,
    *,
    factors: Mapping[str, Any],
    maturity: Mapping[str, int],
    barriers: Mapping[str, int],
    goals: Sequence[str],
    constraints: Mapping[str, Any],
) -> Profile:
    """A consultant's quick profile of a body, validated like a profile file."""
    data = {
        "organisation": {"name": body.name, "kind": body.kind, "region": body.region},
        "factors": dict(factors),
        "maturity": dict(maturity),
        "barriers": dict(barriers),
        "goals": [g.strip() for g in goals if g.strip()],
        "constraints": {k: v for k, v in constraints.items() if v is not None},
    }
    try:
        return Profile.model_validate(data)
    except ValidationError as err:
        raise _problems(err, "quick profile") from None


MAX_UPLOAD_BYTES = 1024 * 1024
"""Largest profile or answers file accepted from an upload."""


def profile_from_upload(
    data: bytes,
    name: str,
    questionnaire: Questionnaire | None = None,
    rules: ScoringRules | None = None,
) -> Profile:
    """A profile (or answers, scored with this bank and rules) from uploaded bytes, judged by
    content, not name."""
    where = name or "upload"
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError.single(where, "(file)", f"larger than {MAX_UPLOAD_BYTES} bytes")
    if b"\x00" in data[:4096]:
        raise InputError.single(where, "(file)", "this is not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError.single(where, "(file)", "not UTF-8 text") from None
    return parse_assessment_input(text, where, questionnaire, rules).profile


def theme_from_upload(
    organisation_name: str,
    colours: Mapping[str, str],
    website: str | None,
    logo: bytes,
) -> Theme:
    """A consultant's report theme from a form and an uploaded logo (checked by content)."""
    where = "report theme"
    try:
        spec = ThemeFile.model_validate(
            {
                "organisation_name": organisation_name,
                "logo": "uploaded",
                "colours": dict(colours),
                "website": website or None,
            }
        )
    except ValidationError as err:
        raise _problems(err, where) from None
    if len(logo) > MAX_LOGO_BYTES:
        raise InputError.single(where, "logo", f"larger than {MAX_LOGO_BYTES // 1024} KB")
    mime = logo_mime_type(logo)
    if mime is None:
        raise InputError.single(where, "logo", "must be a PNG, JPEG or SVG image (by content)")
    if mime == "image/svg+xml" and (problem := svg_problem(logo)):
        raise InputError.single(where, "logo", problem)
    return Theme(
        organisation_name=spec.organisation_name,
        colours=spec.colours,
        website=spec.website,
        logo_bytes=logo,
        logo_mime=mime,
    )


@dataclass(frozen=True)
class VendorPreview:
    """How a vendor entry would appear in a recommendation that needs what it offers."""

    profile: Profile
    """The sample profile used: level 1 in the entry's areas, level 4 elsewhere."""
    rank: int | None
    """Place in the shortlist (1 is first), or none when it is not shortlisted."""
    item: VendorItem | None
    near_miss: NearMiss | None


def check_vendor_entry(vendor_id: str, data: Mapping[str, Any]) -> Vendor:
    """The entry validated as the knowledge base would; InputError naming each bad field."""
    where = f"vendors/{vendor_id}.yaml"
    try:
        vendor = Vendor.model_validate(dict(data))
    except ValidationError as err:
        raise InputError(problems_from_validation(err, where)) from None
    if vendor.id != vendor_id:
        raise InputError.single(where, "id", f"must equal the entry id '{vendor_id}'")
    return vendor


def vendor_preview(
    kb: KnowledgeBase, vendor: Vendor, rules: MatchingRules, today: date | None = None
) -> VendorPreview:
    """Match a sample profile that needs the entry's areas against the KB with the entry in."""
    others = [v for v in kb.vendors if v.id != vendor.id]
    candidate = kb.model_copy(update={"vendors": [*others, vendor]})
    areas = {a for off in vendor.offerings for a in off.technology_areas}
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Sample council", "kind": "unitary"},
            "maturity": {a.value: (1 if a in areas else 4) for a in TechnologyAreaId},
        }
    )
    rec = match_profile(profile, build_index(candidate), rules, today=today)
    for rank, item in enumerate(rec.vendors, start=1):
        if item.id == vendor.id:
            return VendorPreview(profile, rank, item, None)
    miss = next((n for n in rec.near_misses if n.id == vendor.id), None)
    return VendorPreview(profile, None, None, miss)


def knowledge_base_problems(db: Database, actor: Principal) -> list[Problem]:
    """Every validation problem of the live knowledge base, as ``file:line: field: message``.

    The live revision is exported to a temporary folder and loaded with the same loader the
    command line uses, so the problems read exactly as ``advisor kb validate`` prints them.
    """
    with tempfile.TemporaryDirectory(prefix="advisor-kb-check-") as folder:
        export_knowledge_base(db, actor, folder)
        return load_knowledge_base_result(folder).problems
