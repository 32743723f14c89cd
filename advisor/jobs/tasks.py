"""What a worker runs for one job: HTML to PDF, the outcome written to the store.

``render_pdf_job`` is the broker's job function. RQ runs each job in a work horse forked
from ``advisor worker`` (which has WeasyPrint imported and warmed up), so the memory cap set
here binds that one job only, and the memory WeasyPrint keeps is handed back when the horse
exits. The time limit is RQ's job timeout; a horse that dies is retried by RQ.
"""

from __future__ import annotations

import resource
from collections.abc import Mapping

from advisor.jobs import records
from advisor.jobs.limits import MEMORY_WORDS, PDF_MEMORY_BYTES
from advisor.reporting.fetcher import Asset


def cap_memory(memory_bytes: int) -> None:
    """Cap this process's address space (the work horse's, for one job)."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def render_pdf_job(job_id: str, html: str, assets: Mapping[str, Asset]) -> int:
    """Broker job: render the PDF and store it under ``job_id``; the report's size in bytes.

    The worker's own settings name the store (``ADVISOR_DATABASE_URL``): workers on other
    machines write where every replica reads.
    """
    from rq.timeouts import JobTimeoutException

    from advisor.reporting.pdf import render_pdf
    from advisor.settings import load_settings
    from advisor.store.database import Database

    db = Database.from_settings(load_settings())
    try:
        if not records.mark_running(db, job_id, records.this_process()):
            return 0  # finished meanwhile (e.g. reported failed): nothing to do
        cap_memory(PDF_MEMORY_BYTES)
        try:
            data = render_pdf(html, dict(assets))
        except MemoryError:
            records.mark_failed(db, job_id, MEMORY_WORDS)
            return 0
        except JobTimeoutException:
            raise  # RQ retries it or marks it failed; the app words it
        except Exception as exc:
            records.mark_failed(db, job_id, f"the PDF could not be made ({exc})")
            return 0
        records.mark_done(db, job_id, data)
        return len(data)
    finally:
        db.dispose()


def warm_up() -> None:
    """Import WeasyPrint and render a small page once, so every forked job starts warm."""
    from advisor.reporting.pdf import render_pdf

    render_pdf("<html><body><p>Ready.</p></body></html>", {})
