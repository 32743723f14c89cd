"""The ``advisor worker`` process: takes render jobs from the broker's queue and runs them.

It is an RQ worker. Before it listens it imports WeasyPrint and renders a small page, so the
work horse RQ forks for each job starts warm; the horse exits after its job, which hands
WeasyPrint's memory back. ``max_jobs`` stops the worker after that many jobs (a service
manager starts a fresh one). A worker needs the store as well as the broker: it writes each
finished report to the store (``ADVISOR_DATABASE_URL``), where every app replica reads it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from advisor.errors import InputError
from advisor.jobs.limits import RENDER_NICENESS
from advisor.settings import Settings


@dataclass(frozen=True)
class WorkerOptions:
    name: str | None = None
    """The worker's name on the broker (default: RQ's, unique per process)."""
    burst: bool = False
    """Stop once the queue is empty instead of waiting for more jobs."""
    max_jobs: int | None = None
    """Stop after this many jobs."""
    monitor_seconds: int = 10
    """How often the worker checks on its running job and says it is alive."""
    niceness: int = RENDER_NICENESS
    """How much to lower this worker's CPU priority (0-19) before it takes jobs."""


def _warm_store(settings: Settings) -> None:
    """Reach the store once, so each forked job finds its database driver already imported
    (and a store that cannot be reached is said before any job is taken)."""
    from sqlalchemy import text

    from advisor.store.database import Database

    db = Database.from_settings(settings)
    try:
        with db.read() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:
        raise InputError.single(
            "(environment)", "ADVISOR_DATABASE_URL", f"the store cannot be reached ({exc})"
        ) from None
    finally:
        db.dispose()


def run_worker(
    settings: Settings, options: WorkerOptions, ready: Callable[[], None] | None = None
) -> bool:
    """Run until stopped (or, in burst mode, until the queue is empty); true if it ran.
    ``ready`` is called once the broker and the store answer and the worker is warm, just
    before it takes jobs."""
    if not settings.broker_url:
        raise InputError.single(
            "(environment)",
            "ADVISOR_BROKER_URL",
            "no broker is configured: set it to the Redis URL the app uses",
        )
    from redis import Redis
    from rq import Queue, Worker

    from advisor.jobs.tasks import warm_up

    connection = Redis.from_url(settings.broker_url)
    try:
        connection.ping()
    except Exception as exc:
        raise InputError.single(
            "(environment)", "ADVISOR_BROKER_URL", f"the broker cannot be reached ({exc})"
        ) from None
    if options.niceness:
        os.nice(options.niceness)
    warm_up()
    _warm_store(settings)
    queue = Queue(settings.queue_name, connection=connection)
    worker = Worker(
        [queue],
        connection=connection,
        name=options.name,
        job_monitoring_interval=options.monitor_seconds,
    )
    if ready is not None:
        ready()
    return bool(
        worker.work(burst=options.burst, max_jobs=options.max_jobs, logging_level="WARNING")
    )
