"""Without a broker: reports are jobs on the app's own workers, recorded in the store."""

from __future__ import annotations

import dataclasses
import io
import json
import zipfile

import pytest
from jobs_world import WAIT_SECONDS, Assessed, wait_finished

from advisor.jobs import records
from advisor.jobs.queues import EmbeddedQueue, job_queue
from advisor.services.errors import NotFoundError
from advisor.services.report_jobs import (
    batch_download,
    batch_status,
    report_job,
    start_batch,
    start_report,
)
from advisor.settings import Settings
from advisor.store.database import Database


def test_without_a_broker_the_queue_is_the_apps_own(settings: Settings) -> None:
    assert settings.broker_url is None
    assert job_queue(settings).kind == "embedded"


def test_pdf_is_queued_run_and_stored_where_another_replica_reads_it(
    settings: Settings, assessed: Assessed
) -> None:
    queue = EmbeddedQueue(workers=1)
    try:
        job_id = start_report(
            assessed.db, assessed.who, assessed.assessed, assessed.kb, "pdf", queue
        )
        asked = report_job(assessed.db, assessed.who, job_id, queue)
        assert asked.state in ("queued", "running", "done")
        assert asked.words.startswith(("Waiting in the queue", "Being prepared", "Ready"))
        record = wait_finished(assessed.db, job_id, queue.check)
    finally:
        queue.close()
    assert (record.state, record.attempts, record.message) == ("done", 1, None)
    assert record.worker is not None
    assert record.worker.startswith("embedded ")
    # a second replica: its own engine on the store, its own (idle) queue
    other_db = Database.from_settings(settings)
    try:
        view = report_job(other_db, assessed.who, job_id, EmbeddedQueue(workers=1))
    finally:
        other_db.dispose()
    assert view.state == "done"
    assert view.words == "Ready to download."
    assert view.download is not None
    assert view.download.data.startswith(b"%PDF")
    assert view.download.filename == f"{record.filename}"
    assert view.download.filename.endswith(f"-{assessed.assessed.assessment.id}.pdf")
    stranger = dataclasses.replace(assessed.who, user_id=(assessed.who.user_id or 0) + 1000)
    with pytest.raises(NotFoundError, match="no such report"):
        report_job(assessed.db, stranger, job_id, EmbeddedQueue(workers=1))


def test_json_is_ready_at_once(assessed: Assessed) -> None:
    queue = EmbeddedQueue(workers=1)
    job_id = start_report(assessed.db, assessed.who, assessed.assessed, assessed.kb, "json", queue)
    view = report_job(assessed.db, assessed.who, job_id, queue)
    assert view.state == "done"
    assert view.download is not None
    data = json.loads(view.download.data)
    assert data["recommendation"]["profile"]["organisation"]["name"]


def test_a_job_whose_app_process_is_gone_reads_failed_in_words(assessed: Assessed) -> None:
    """A replica restart loses its own workers' renders: the job says so, it does not hang."""
    record = records.create(
        assessed.db,
        queue="embedded",
        fmt="pdf",
        filename="north-1.pdf",
        user_id=assessed.who.user_id,
        assessment_id=assessed.assessed.assessment.id,
    )
    queue = EmbeddedQueue(workers=1)  # the restarted app: the job is not in its hands
    view = report_job(assessed.db, assessed.who, record.id, queue)
    assert view.state == "failed"
    assert view.words == (
        "It could not be made: the app restarted before it was finished (tried once). "
        "Prepare it again, or ask your administrator."
    )


def test_batch_of_reports_in_one_zip(assessed: Assessed) -> None:
    queue = EmbeddedQueue(workers=1)
    batch = start_batch(assessed.db, assessed.who, [assessed.assessed], assessed.kb, "csv", queue)
    status = batch_status(assessed.db, assessed.who, batch, queue)
    assert status.finished
    assert status.words() == "1 of 1 ready"
    assert status.done_assessments == [assessed.assessed.assessment.id]
    archive = batch_download(assessed.db, assessed.who, batch)
    with zipfile.ZipFile(io.BytesIO(archive.data)) as z:
        [name] = z.namelist()
        assert name.endswith(f"-{assessed.assessed.assessment.id}.csv")
        assert z.read(name).decode("utf-8").count("\n") > 1
    assert archive.filename == "reports-csv.zip"


def test_waiting_on_a_job_wakes_once_it_is_done(assessed: Assessed) -> None:
    queue = EmbeddedQueue(workers=1)
    try:
        job_id = start_report(
            assessed.db, assessed.who, assessed.assessed, assessed.kb, "pdf", queue
        )
        assert queue.wait(job_id, WAIT_SECONDS) is True
        record = records.get(assessed.db, job_id)
        assert record is not None
        assert record.state == "done"
        # a job this process does not hold: nothing to wait for, the store says how it is
        assert queue.wait("another-replicas-job", 5) is True
    finally:
        queue.close()
