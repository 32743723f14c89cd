"""The store's record of each render job (table ``render_jobs``): what every replica reads.

A job moves queued -> running -> done or failed. The worker that runs it writes ``running``
and then the finished report (or why it failed); a job retried after its worker died goes
back to queued until a worker picks it up again. Reports are kept a day (``KEEP_FOR``) so a
user can download one from whichever replica serves them, then purged.
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, select, update

from advisor.store.database import Database
from advisor.store.models import RenderJob, utcnow

State = Literal["queued", "running", "done", "failed"]
QueueKind = Literal["embedded", "broker"]
QUEUED: State = "queued"
RUNNING: State = "running"
DONE: State = "done"
FAILED: State = "failed"
FINISHED: frozenset[str] = frozenset({DONE, FAILED})

KEEP_FOR = timedelta(days=1)
"""How long finished reports stay in the store for download."""


def this_process() -> str:
    """Host and process id, as jobs record who asked for them and who ran them."""
    return f"{socket.gethostname()[:100]}:{os.getpid()}"


@dataclass(frozen=True)
class JobRecord:
    """A render job as the store holds it (the report itself only once done)."""

    id: str
    group_id: str | None
    user_id: int | None
    assessment_id: int | None
    format: str
    filename: str
    state: State
    queue: QueueKind
    owner: str
    worker: str | None
    attempts: int
    message: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    data: bytes | None = None


def _record(row: RenderJob, with_data: bool) -> JobRecord:
    state: State = row.state  # type: ignore[assignment]  # only this module writes it
    queue: QueueKind = row.queue  # type: ignore[assignment]
    return JobRecord(
        id=row.id,
        group_id=row.group_id,
        user_id=row.user_id,
        assessment_id=row.assessment_id,
        format=row.format,
        filename=row.filename,
        state=state,
        queue=queue,
        owner=row.owner,
        worker=row.worker,
        attempts=row.attempts,
        message=row.message,
        created_at=row.created_at,
        started_at=row.started_at,
        finished_at=row.finished_at,
        data=row.data if with_data else None,
    )


def new_job_id() -> str:
    return uuid.uuid4().hex


def create(
    db: Database,
    *,
    queue: QueueKind,
    fmt: str,
    filename: str,
    user_id: int | None,
    assessment_id: int | None,
    group_id: str | None = None,
    job_id: str | None = None,
) -> JobRecord:
    """A new queued job (and finished reports past ``KEEP_FOR`` purged on the way)."""
    now = utcnow()
    with db.write() as session:
        session.execute(delete(RenderJob).where(RenderJob.created_at < now - KEEP_FOR))
        row = RenderJob(
            id=job_id or new_job_id(),
            group_id=group_id,
            user_id=user_id,
            assessment_id=assessment_id,
            format=fmt,
            filename=filename[:255],
            state=QUEUED,
            queue=queue,
            owner=this_process(),
            attempts=0,
            created_at=now,
        )
        session.add(row)
        session.flush()
        return _record(row, with_data=False)


def get(db: Database, job_id: str, *, with_data: bool = False) -> JobRecord | None:
    with db.read() as session:
        row = session.get(RenderJob, job_id)
        return None if row is None else _record(row, with_data)


def group(db: Database, group_id: str, *, with_data: bool = False) -> list[JobRecord]:
    """The jobs of one batch, in the order they were asked for."""
    with db.read() as session:
        rows = session.scalars(
            select(RenderJob)
            .where(RenderJob.group_id == group_id)
            .order_by(RenderJob.created_at, RenderJob.filename)
        )
        return [_record(r, with_data) for r in rows]


def mark_running(db: Database, job_id: str, worker: str) -> bool:
    """A worker starts (or restarts) the job; false if it is already finished or gone."""
    with db.write() as session:
        result = session.execute(
            update(RenderJob)
            .where(RenderJob.id == job_id, RenderJob.state.not_in(FINISHED))
            .values(
                state=RUNNING,
                worker=worker[:120],
                attempts=RenderJob.attempts + 1,
                started_at=utcnow(),
            )
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def mark_queued_again(db: Database, job_id: str) -> None:
    """The job's worker died and the queue runs it again."""
    with db.write() as session:
        session.execute(
            update(RenderJob)
            .where(RenderJob.id == job_id, RenderJob.state == RUNNING)
            .values(state=QUEUED)
        )


def mark_done(db: Database, job_id: str, data: bytes) -> None:
    with db.write() as session:
        session.execute(
            update(RenderJob)
            .where(RenderJob.id == job_id, RenderJob.state.not_in(FINISHED))
            .values(state=DONE, data=data, message=None, finished_at=utcnow())
        )


def mark_failed(db: Database, job_id: str, message: str) -> None:
    with db.write() as session:
        session.execute(
            update(RenderJob)
            .where(RenderJob.id == job_id, RenderJob.state.not_in(FINISHED))
            .values(state=FAILED, message=message[:2000], finished_at=utcnow())
        )
