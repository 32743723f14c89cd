"""Where render jobs run: the broker's queue (RQ over Redis), or this process's own workers.

``job_queue(settings)`` gives the one queue of this process:

- ``BrokerQueue`` when ``ADVISOR_BROKER_URL`` is set: jobs go to a Redis queue that any
  number of ``advisor worker`` processes, on any machine, take from. RQ gives each job a time
  limit, retries a job whose worker died, and keeps failed ones in its failed-job registry.
- ``EmbeddedQueue`` otherwise: a warm pool of guarded worker processes
  (``advisor.reporting.workers``) in this process, as on one machine before.

Either way the store's record (``advisor.jobs.records``) is what the app reads. ``check``
brings a record up to date with what the queue knows: a job whose worker died and that the
queue holds again reads queued; one the queue gave up on, or no longer holds, reads failed
with why in words. No job stays running for ever.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from advisor.jobs import records
from advisor.jobs.limits import (
    MEMORY_WORDS,
    PDF_MEMORY_BYTES,
    PDF_SECONDS,
    RENDER_NICENESS,
    RETRIES,
)
from advisor.jobs.records import FINISHED, RUNNING, JobRecord, QueueKind
from advisor.reporting.fetcher import Asset
from advisor.settings import Settings
from advisor.store.database import Database

if TYPE_CHECKING:
    from redis import Redis
    from rq import Queue
    from rq.job import Job

CLEANUP_SECONDS = 2.0
"""How often, at most, one app process asks RQ to sweep jobs whose worker died."""
WORKER_STOPPED = "the worker preparing it stopped before it finished"
RESTARTED = "the app restarted before it was finished"
LOST = "the queue no longer holds it"


def _tried(reason: str, attempts: int) -> str:
    times = "once" if attempts <= 1 else f"{attempts} times"
    return f"{reason} (tried {times}). Prepare it again, or ask your administrator."


class JobQueue(Protocol):
    """What the app needs of a queue."""

    kind: QueueKind

    def submit_pdf(self, db: Database, job_id: str, html: str, assets: Mapping[str, Asset]) -> None:
        """Run a PDF render for the queued record ``job_id``."""
        ...

    def check(self, db: Database, record: JobRecord) -> JobRecord:
        """The record brought up to date with what the queue knows."""
        ...

    def waiting_note(self) -> str | None:
        """Why a queued job may wait, in words (e.g. no worker running); none if it need not."""
        ...

    def wait(self, job_id: str, seconds: float) -> bool:
        """Block for up to ``seconds`` until how ``job_id`` stands may have changed (a worker
        finished an attempt at it: done, failed, or handed back to be tried again); true if
        so. Costs no CPU while it waits and reads nothing from the store: the caller looks at
        the record after."""
        ...


class EmbeddedQueue:
    """Jobs on this process's own warm pool of guarded workers (no broker)."""

    kind: QueueKind = "embedded"

    def __init__(self, workers: int = 2) -> None:
        from advisor.reporting.workers import Limits, WorkerPool

        limits = Limits(
            seconds=PDF_SECONDS,
            memory_bytes=PDF_MEMORY_BYTES,
            tasks_per_worker=25,
            niceness=RENDER_NICENESS,
        )
        self.pool = WorkerPool(workers, limits)
        self._threads = ThreadPoolExecutor(workers, thread_name_prefix="report-job")
        self._lock = threading.Lock()
        self._in_hand: set[str] = set()
        self._attempted: dict[str, threading.Event] = {}

    def warm(self) -> None:
        """Start the workers and render a small page in each, in the background."""

        def run() -> None:
            with contextlib.suppress(Exception):  # a failed warm-up only costs time later
                self.pool.map(warm_worker, range(self.pool.size))

        threading.Thread(target=run, name="report-warm-up", daemon=True).start()

    def submit_pdf(self, db: Database, job_id: str, html: str, assets: Mapping[str, Asset]) -> None:
        with self._lock:
            self._in_hand.add(job_id)
            self._attempted[job_id] = threading.Event()
        self._threads.submit(self._run, db, job_id, html, dict(assets))

    def _run(self, db: Database, job_id: str, html: str, assets: dict[str, Asset]) -> None:
        from advisor.reporting.render import pdf_from_html

        try:
            for attempt in range(RETRIES + 1):
                if not records.mark_running(db, job_id, f"embedded {records.this_process()}"):
                    return
                outcome = self.pool.run(pdf_from_html, html, assets)
                if outcome.ok and isinstance(outcome.value, bytes):
                    records.mark_done(db, job_id, outcome.value)
                    return
                if outcome.kind in ("crashed", "timeout") and attempt < RETRIES:
                    records.mark_queued_again(db, job_id)
                    continue
                records.mark_failed(db, job_id, _embedded_words(outcome.kind, outcome.message))
                return
        except Exception as exc:  # the store itself failed: say so rather than hang
            with contextlib.suppress(Exception):
                records.mark_failed(db, job_id, f"the report could not be stored ({exc})")
        finally:
            with self._lock:
                self._in_hand.discard(job_id)
            self._tell_waiting(job_id)

    def _tell_waiting(self, job_id: str) -> None:
        """Wake whoever waits on the job: its outcome is in the store (retries happen within
        ``_run``, so only the last attempt wakes them)."""
        with self._lock:
            event = self._attempted.pop(job_id, None)
        if event is not None:
            event.set()

    def wait(self, job_id: str, seconds: float) -> bool:
        with self._lock:
            event = self._attempted.get(job_id)
        if event is None:  # not in this process's hands (or over): the store says how it is
            return True
        return event.wait(seconds)

    def check(self, db: Database, record: JobRecord) -> JobRecord:
        if record.state in FINISHED or record.queue != "embedded":
            return record
        with self._lock:
            if record.id in self._in_hand:
                return record
        if _gone(record.owner):
            records.mark_failed(db, record.id, _tried(RESTARTED, max(1, record.attempts)))
            return records.get(db, record.id) or record
        return record  # another app process on this machine is still working on it

    def waiting_note(self) -> str | None:
        return None

    def close(self) -> None:
        self._threads.shutdown(wait=True)
        self.pool.close()


def warm_worker(_index: int) -> None:
    """Worker job: warm one worker (a module-level function, so it pickles)."""
    from advisor.jobs.tasks import warm_up

    warm_up()


def _embedded_words(kind: str, message: str) -> str:
    if kind == "timeout":
        return _tried(f"it took longer than the {PDF_SECONDS} s a report may take", RETRIES + 1)
    if kind == "crashed":
        return _tried(WORKER_STOPPED, RETRIES + 1)
    if kind == "memory":
        return MEMORY_WORDS
    return f"the PDF could not be made ({message})"


def _gone(owner: str) -> bool:
    """True when the app process that took the job (``host:pid``) no longer runs here."""
    import socket

    host, _, pid = owner.rpartition(":")
    if host != socket.gethostname()[:100] or not pid.isdigit():
        return False  # another machine's: it answers for its own jobs
    if int(pid) == os.getpid():
        return True  # this very process, yet not in hand: it was lost
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class BrokerQueue:
    """Jobs on a Redis queue run by ``advisor worker`` processes (RQ)."""

    kind: QueueKind = "broker"

    def __init__(self, url: str, name: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection: Redis = Redis.from_url(url)
        self.queue: Queue = Queue(name, connection=self.connection)
        self._swept_at = -CLEANUP_SECONDS

    def submit_pdf(self, db: Database, job_id: str, html: str, assets: Mapping[str, Asset]) -> None:
        from rq import Retry

        from advisor.jobs.tasks import render_pdf_job

        try:
            self.queue.enqueue(
                render_pdf_job,
                job_id,
                html,
                dict(assets),
                job_id=job_id,
                job_timeout=PDF_SECONDS,
                retry=Retry(max=RETRIES),
                result_ttl=int(records.KEEP_FOR.total_seconds()),
                failure_ttl=int(records.KEEP_FOR.total_seconds()),
                description="report render",
            )
        except Exception as exc:  # the broker is down: the job must not sit queued for ever
            records.mark_failed(db, job_id, f"the report queue could not be reached ({exc})")

    def check(self, db: Database, record: JobRecord) -> JobRecord:
        from rq.exceptions import InvalidJobOperation
        from rq.job import Job, JobStatus
        from rq.registry import StartedJobRegistry

        if record.state in FINISHED or record.queue != "broker":
            return record
        # Jobs whose whole worker died are found here once their heartbeat has lapsed:
        # RQ runs them again (retries left) or moves them to its failed-job registry.
        now = time.monotonic()
        if now - self._swept_at >= CLEANUP_SECONDS:
            self._swept_at = now
            StartedJobRegistry(queue=self.queue).cleanup()
        # Only the job's status is read: fetching the job would bring its whole payload (the
        # report's HTML and pictures) from the broker on every look.
        job = Job(record.id, connection=self.connection)
        try:
            status: JobStatus | None = job.get_status(refresh=True)
        except InvalidJobOperation:  # the broker holds no such job
            status = None
        if status is None:
            records.mark_failed(db, record.id, _tried(LOST, max(1, record.attempts)))
        elif status in (JobStatus.FAILED, JobStatus.STOPPED, JobStatus.CANCELED):
            records.mark_failed(db, record.id, _tried(_broker_words(job), record.attempts))
        elif status in (JobStatus.QUEUED, JobStatus.SCHEDULED) and record.state == RUNNING:
            records.mark_queued_again(db, record.id)
        elif status == JobStatus.FINISHED:
            fresh = records.get(db, record.id)
            if fresh is None or fresh.state in FINISHED:
                return fresh or record
            records.mark_failed(db, record.id, _tried(WORKER_STOPPED, record.attempts))
        else:  # queued or running, as the record says: nothing has changed
            return record
        return records.get(db, record.id) or record

    def waiting_note(self) -> str | None:
        from rq import Worker

        try:
            if Worker.count(queue=self.queue) == 0:
                return "no report worker is running yet: it starts when one does"
        except Exception:
            return "the report queue cannot be reached just now"
        return None

    def wait(self, job_id: str, seconds: float) -> bool:
        from rq.results import Result

        # RQ appends each attempt's result to the job's result stream: block on it, a second
        # at a time (the connection gives up on a silent socket after a few seconds).
        stream: str = Result.get_key(job_id)  # type: ignore[no-untyped-call]
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                block = max(1, int(min(left, 1.0) * 1000))
                if self.connection.xread({stream: "0-0"}, count=1, block=block):
                    return True
            except Exception:  # the broker is out of reach: check() will say so
                return True
        return False

    def close(self) -> None:
        self.connection.close()


def _broker_words(job: Job) -> str:
    result = job.latest_result()
    said = (result.exc_string or "") if result is not None else ""
    if "JobTimeoutException" in said:
        return f"it took longer than the {PDF_SECONDS} s a report may take"
    if "MemoryError" in said:
        return MEMORY_WORDS
    return WORKER_STOPPED


@lru_cache(maxsize=4)
def _broker_queue(url: str, name: str) -> BrokerQueue:
    return BrokerQueue(url, name)


_embedded: EmbeddedQueue | None = None
_embedded_lock = threading.Lock()


def embedded_queue() -> EmbeddedQueue:
    """This process's own queue, started (and warmed) on first use."""
    global _embedded
    with _embedded_lock:
        if _embedded is None:
            _embedded = EmbeddedQueue()
            _embedded.warm()
        return _embedded


def job_queue(settings: Settings) -> JobQueue:
    """The queue the settings name: the broker's, or this process's own workers."""
    if settings.broker_url:
        return _broker_queue(settings.broker_url, settings.queue_name)
    return embedded_queue()
