"""With a broker (the local Redis): app processes share one queue, ``advisor worker``
processes run the jobs, and a worker killed mid-job ends in a retried or clearly failed job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from jobs_world import (
    REDIS_URL,
    ROOT,
    WAIT_SECONDS,
    start_worker,
    stop,
    wait_finished,
)

from advisor.jobs import records
from advisor.jobs.limits import RENDER_NICENESS
from advisor.jobs.queues import BrokerQueue, job_queue
from advisor.jobs.records import JobRecord
from advisor.services.accounts import sign_in
from advisor.services.app_support import open_store
from advisor.services.permissions import Principal
from advisor.services.report_jobs import report_job
from advisor.settings import Settings
from advisor.store.database import Database

pytestmark = pytest.mark.redis

LONG_PAGE = (
    "<html><body>"
    + "".join(f"<h2>Part {n}</h2><p>{'A line of the report. ' * 60}</p>" for n in range(400))
    + "</body></html>"
)
"""About 40 pages: long enough to kill its worker mid-job."""


def _queue(env: dict[str, str]) -> BrokerQueue:
    return BrokerQueue(REDIS_URL, env["ADVISOR_QUEUE_NAME"])


def _ask(db: Database, who: Principal, queue: BrokerQueue) -> str:
    record = records.create(
        db, queue="broker", fmt="pdf", filename="long.pdf", user_id=who.user_id, assessment_id=None
    )
    queue.submit_pdf(db, record.id, LONG_PAGE, {})
    return record.id


def _running(db: Database, job_id: str, attempt: int) -> JobRecord:
    """The job's record once its ``attempt``-th run has started."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        record = records.get(db, job_id)
        assert record is not None
        if record.state == "running" and record.attempts == attempt:
            return record
        assert record.state not in records.FINISHED, record
        time.sleep(0.02)
    raise AssertionError(f"attempt {attempt} of job {job_id} never started")


def _kill_horse(record: JobRecord) -> int:
    assert record.worker is not None
    pid = int(record.worker.rpartition(":")[2])
    os.kill(pid, signal.SIGKILL)
    return pid


@pytest.fixture
def lead(settings: Settings, account: tuple[str, str]) -> Iterator[tuple[Database, Principal]]:
    db = open_store(settings)
    yield db, sign_in(db, settings, *account)
    db.dispose()


def test_the_broker_setting_chooses_the_redis_queue(broker_env: dict[str, str]) -> None:
    assert job_queue(Settings()).kind == "broker"


def test_two_app_processes_share_one_queue(
    broker_env: dict[str, str], settings: Settings, account: tuple[str, str]
) -> None:
    producers = [
        subprocess.Popen(
            [sys.executable, str(ROOT / "tests" / "jobs" / "produce.py"), *account],
            env=broker_env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    workers = [
        start_worker(broker_env, "--name", f"{broker_env['ADVISOR_QUEUE_NAME']}-{n}")
        for n in range(2)
    ]
    try:
        outputs = [p.communicate(timeout=2 * WAIT_SECONDS) for p in producers]
    finally:
        for w in workers:
            stop(w)
    lines = []
    for (out, err), producer in zip(outputs, producers, strict=True):
        assert producer.returncode == 0, err.decode()
        lines.append([json.loads(line) for line in out.decode().splitlines()])
    asked = [first["job"] for first, _ in lines]
    assert len(set(asked)) == 2
    assert all(first["queue"] == "broker" for first, _ in lines)
    for _, last in lines:
        assert last["state"] == "done", last
        assert last["words"] == "Ready to download."
        assert last["bytes"] > 10_000
    # each job ran in a worker, not in the app process that asked for it, and either app
    # process (here a third one) serves both finished reports from the store
    db = open_store(settings)
    try:
        who = sign_in(db, settings, *account)
        for job_id in asked:
            record = records.get(db, job_id)
            assert record is not None
            assert record.worker is not None
            assert record.owner != record.worker
            view = report_job(db, who, job_id, _queue(broker_env))
            assert view.download is not None
            assert view.download.data.startswith(b"%PDF")
    finally:
        db.dispose()


def test_a_job_whose_worker_dies_mid_job_is_run_again(
    broker_env: dict[str, str], lead: tuple[Database, Principal]
) -> None:
    db, who = lead
    queue = _queue(broker_env)
    job_id = _ask(db, who, queue)
    worker = start_worker(broker_env)
    try:
        _kill_horse(_running(db, job_id, attempt=1))
        record = wait_finished(db, job_id, queue.check)
    finally:
        stop(worker)
    assert (record.state, record.attempts) == ("done", 2)
    full = records.get(db, job_id, with_data=True)
    assert full is not None
    assert full.data is not None
    assert full.data.startswith(b"%PDF")


def test_a_job_whose_worker_dies_on_every_try_is_reported_failed_in_words(
    broker_env: dict[str, str], lead: tuple[Database, Principal]
) -> None:
    db, who = lead
    queue = _queue(broker_env)
    job_id = _ask(db, who, queue)
    worker = start_worker(broker_env)
    try:
        _kill_horse(_running(db, job_id, attempt=1))
        _kill_horse(_running(db, job_id, attempt=2))
        record = wait_finished(db, job_id, queue.check)
    finally:
        stop(worker)
    assert record.state == "failed"
    view = report_job(db, who, job_id, queue)
    assert view.words == (
        "It could not be made: the worker preparing it stopped before it finished "
        "(tried 2 times). Prepare it again, or ask your administrator."
    )
    assert view.download is None


def test_a_whole_worker_killed_mid_job_leaves_the_job_to_another_worker(
    broker_env: dict[str, str], lead: tuple[Database, Principal]
) -> None:
    """Worker and work horse both killed: nobody reports the failure, so RQ finds the job by
    its lapsed heartbeat and runs it again on a worker that is alive."""
    from rq.registry import StartedJobRegistry

    db, who = lead
    queue = _queue(broker_env)
    job_id = _ask(db, who, queue)
    first = start_worker(broker_env)
    try:
        _kill_horse(_running(db, job_id, attempt=1))
        first.send_signal(signal.SIGKILL)
    finally:
        stop(first)
    assert records.get(db, job_id).state == "running"  # type: ignore[union-attr]
    view = report_job(db, who, job_id, queue)
    assert view.state == "running"  # the heartbeat has not lapsed yet: not given up early
    # An hour on, the heartbeat has lapsed (the registry is cleaned as if it were then).
    StartedJobRegistry(queue=queue.queue).cleanup(timestamp=time.time() + 3600)
    second = start_worker(broker_env)
    try:
        record = wait_finished(db, job_id, queue.check)
    finally:
        stop(second)
    assert (record.state, record.attempts) == ("done", 2)
    assert record.worker is not None


def test_without_a_running_worker_a_queued_job_says_why_it_waits(
    broker_env: dict[str, str], lead: tuple[Database, Principal]
) -> None:
    db, who = lead
    queue = _queue(broker_env)
    job_id = _ask(db, who, queue)
    view = report_job(db, who, job_id, queue)
    assert view.state == "queued"
    assert view.words == (
        "Waiting in the queue: no report worker is running yet: it starts when one does."
    )
    queue.queue.empty()


def test_the_worker_refuses_to_start_without_a_broker(env_no_broker: dict[str, str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "advisor.cli", "worker", "--burst"],
        env=env_no_broker,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "(environment): ADVISOR_BROKER_URL: no broker is configured: set it to the Redis URL "
        "the app uses"
    )
    assert "Traceback" not in done.stderr
    assert "listening" not in done.stdout  # it never said it was ready


def test_waiting_on_a_job_wakes_once_its_worker_is_done_and_not_before(
    broker_env: dict[str, str], lead: tuple[Database, Principal]
) -> None:
    db, who = lead
    queue = _queue(broker_env)
    job_id = _ask(db, who, queue)
    assert queue.wait(job_id, 0.2) is False  # no worker yet: the wait runs out
    worker = start_worker(broker_env, "--burst")
    try:
        assert queue.wait(job_id, WAIT_SECONDS) is True
        record = records.get(db, job_id)
        assert record is not None
        assert record.state == "done"
    finally:
        stop(worker)


def _priority_when_listening(env: dict[str, str], *extra: str) -> int:
    """The CPU priority (niceness) of an ``advisor worker`` once it has lowered it."""
    base = os.getpriority(os.PRIO_PROCESS, 0)
    worker = start_worker(env, *extra)
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        seen = base
        while time.monotonic() < deadline and worker.poll() is None:
            seen = os.getpriority(os.PRIO_PROCESS, worker.pid)
            if seen != base:
                break
            time.sleep(0.05)
        return seen - base
    finally:
        stop(worker)


def test_a_worker_gives_the_app_the_cpu_first_unless_told_otherwise(
    broker_env: dict[str, str],
) -> None:
    if os.getpriority(os.PRIO_PROCESS, 0) > 19 - RENDER_NICENESS:
        pytest.skip("this process already runs at the lowest priorities")
    assert _priority_when_listening(broker_env) == RENDER_NICENESS
    assert _priority_when_listening(broker_env, "--nice", "3") == 3
