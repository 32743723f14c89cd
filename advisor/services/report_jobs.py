"""Reports prepared as jobs, for the app: start one or a batch, follow it, download it.

- ``start_report(db, actor, assessed, kb, fmt, theme, queue)``: a report of a submitted
  assessment as a job. A PDF renders on the queue (the broker's workers, or this process's
  own); HTML, JSON and CSV take milliseconds and are done at once. Either way the report is
  stored in the job's record, where every replica can serve it.
- ``start_batch(...)``: one job per assessment, sharing a batch id.
- ``report_job(db, actor, job_id, queue)``: how the job stands, in words; the report once done.
- ``batch_status(...)`` and ``batch_download(...)``: a batch's progress, and its reports in
  one zip.

Only the account that asked for a job can read it.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from advisor.errors import InputError
from advisor.jobs import records
from advisor.jobs.queues import JobQueue
from advisor.jobs.records import DONE, FAILED, QUEUED, RUNNING, JobRecord, State
from advisor.kb.models import KnowledgeBase
from advisor.reporting.context import build_context
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.render import FORMATS, Format, report_bytes
from advisor.reporting.theme import Theme, default_theme
from advisor.services.app_support import MIME_TYPES, AssessedView, Download, report_file_name
from advisor.services.errors import NotFoundError
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import utcnow


@dataclass(frozen=True)
class JobView:
    """One report job as the app shows it."""

    id: str
    state: State
    words: str
    """How it stands, in a sentence."""
    filename: str
    format: str
    seconds: float
    """Time since it was asked for (until it finished)."""
    download: Download | None = None
    """The report, once done."""

    @property
    def finished(self) -> bool:
        return self.state in records.FINISHED


@dataclass(frozen=True)
class BatchView:
    """A batch's progress."""

    total: int
    queued: int
    running: int
    done: int
    failed: list[tuple[str, str]]
    """(file name, why) of each report that could not be made."""
    done_assessments: list[int]
    """The assessments whose report is ready."""

    @property
    def finished(self) -> bool:
        return self.done + len(self.failed) == self.total

    def words(self) -> str:
        said = f"{self.done} of {self.total} ready"
        if self.running:
            said += f", {self.running} being prepared"
        if self.queued:
            said += f", {self.queued} waiting"
        if self.failed:
            said += f", {len(self.failed)} could not be made"
        return said


def _check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise InputError.single("report", "format", f"must be one of: {', '.join(FORMATS)}")
    chosen: Format = fmt
    return chosen


def start_report(
    db: Database,
    actor: Principal,
    assessed: AssessedView,
    kb: KnowledgeBase,
    fmt: str,
    queue: JobQueue,
    theme: Theme | None = None,
    group_id: str | None = None,
) -> str:
    """Ask for the report of a submitted assessment; the job's id."""
    chosen = _check_format(fmt)
    require(actor, Action.report_export, assessed.assessment.summary.organisation_id)
    used = theme or default_theme()
    rec = assessed.recommendation
    respondent = assessed.assessment.author
    filename = report_file_name(assessed, chosen)
    kind = queue.kind if chosen == "pdf" else "embedded"
    job = records.create(
        db,
        queue=kind,
        fmt=chosen,
        filename=filename,
        user_id=actor.user_id,
        assessment_id=assessed.assessment.id,
        group_id=group_id,
    )
    if chosen == "pdf":
        report = build_context(
            rec,
            kb,
            assessed.answer_rows,
            prepared_by=used.organisation_name,
            website=used.website,
            assessed_by=respondent,
        )
        queue.submit_pdf(db, job.id, render_html(report, used, "pdf"), report_assets(used))
    else:
        records.mark_running(db, job.id, records.this_process())
        _, data = report_bytes(rec, kb, assessed.answer_rows, chosen, used, assessed_by=respondent)
        records.mark_done(db, job.id, data)
    return job.id


def start_batch(
    db: Database,
    actor: Principal,
    items: Sequence[AssessedView],
    kb: KnowledgeBase,
    fmt: str,
    queue: JobQueue,
    theme: Theme | None = None,
) -> str:
    """Ask for the reports of several assessments; the batch's id."""
    _check_format(fmt)
    batch = records.new_job_id()
    for item in items:
        start_report(db, actor, item, kb, fmt, queue, theme, group_id=batch)
    return batch


def _own(actor: Principal, record: JobRecord | None) -> JobRecord:
    if record is None or record.user_id != actor.user_id or actor.user_id is None:
        raise NotFoundError("no such report: it may have expired; prepare it again")
    return record


def _seconds(record: JobRecord) -> float:
    end: datetime = record.finished_at or utcnow()
    return max(0.0, (end - record.created_at).total_seconds())


def _words(record: JobRecord, queue: JobQueue) -> str:
    if record.state == DONE:
        return "Ready to download."
    if record.state == FAILED:
        return f"It could not be made: {record.message or 'no reason was given'}"
    if record.state == RUNNING:
        again = f" (attempt {record.attempts})" if record.attempts > 1 else ""
        return f"Being prepared{again}."
    note = queue.waiting_note()
    again = " again, after its worker stopped" if record.attempts else ""
    return f"Waiting in the queue{again}" + (f": {note}." if note else ".")


def report_job(db: Database, actor: Principal, job_id: str, queue: JobQueue) -> JobView:
    """How a job stands; the report itself once done."""
    record = _own(actor, records.get(db, job_id))
    record = queue.check(db, record)
    download = None
    if record.state == DONE:
        full = records.get(db, job_id, with_data=True)
        if full is not None and full.data is not None:
            download = Download(full.format, full.filename, MIME_TYPES[full.format], full.data)
    return JobView(
        id=record.id,
        state=record.state,
        words=_words(record, queue),
        filename=record.filename,
        format=record.format,
        seconds=_seconds(record),
        download=download,
    )


def batch_status(db: Database, actor: Principal, batch_id: str, queue: JobQueue) -> BatchView:
    """A batch's progress (each unfinished job brought up to date with the queue)."""
    jobs = [_own(actor, r) for r in records.group(db, batch_id)]
    if not jobs:
        raise NotFoundError("no such batch: it may have expired; export it again")
    jobs = [queue.check(db, r) for r in jobs]
    return BatchView(
        total=len(jobs),
        queued=sum(r.state == QUEUED for r in jobs),
        running=sum(r.state == RUNNING for r in jobs),
        done=sum(r.state == DONE for r in jobs),
        failed=[
            (r.filename, r.message or "no reason was given") for r in jobs if r.state == FAILED
        ],
        done_assessments=[r.assessment_id for r in jobs if r.state == DONE and r.assessment_id],
    )


def batch_download(db: Database, actor: Principal, batch_id: str) -> Download:
    """Every finished report of a batch in one zip file."""
    jobs = [_own(actor, r) for r in records.group(db, batch_id, with_data=True)]
    if not jobs:
        raise NotFoundError("no such batch: it may have expired; export it again")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for job in jobs:
            if job.state == DONE and job.data is not None:
                archive.writestr(job.filename, job.data)
    return Download("zip", f"reports-{jobs[0].format}.zip", "application/zip", buffer.getvalue())
