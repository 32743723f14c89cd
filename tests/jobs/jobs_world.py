"""What the job tests share with the processes they start: a store holding one submitted
assessment, the report of it as the app asks for it, and a wait for a job to finish."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from advisor.app.first_run import create_demo_accounts, prepare_store
from advisor.assessment_input import bundled_assessment, load_assessment_input
from advisor.jobs import records
from advisor.jobs.records import JobRecord
from advisor.matching import build_index
from advisor.services.accounts import sign_in
from advisor.services.app_support import (
    AssessedView,
    knowledge_base_revision,
    open_store,
    recommendation_for,
    rule_files_revision,
)
from advisor.services.assessments import create_assessment, save_draft, submit_assessment
from advisor.services.kb_revisions import live_knowledge_base
from advisor.services.permissions import Principal
from advisor.settings import Settings
from advisor.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
PERSONAS = ROOT / "tests" / "personas"
REDIS_URL = "redis://127.0.0.1:6379/0"
FAST_HASHING = {
    "ADVISOR_ARGON2_TIME_COST": "1",
    "ADVISOR_ARGON2_MEMORY_KIB": "1024",
    "ADVISOR_ARGON2_PARALLELISM": "1",
}
WAIT_SECONDS = 600.0
"""Upper bound on waiting for a job on a busy machine (a bound, not a measured figure)."""


def redis_reachable() -> bool:
    """True once the local Redis answers; starts it (as the Makefile's system set-up would) if
    it is installed but stopped."""
    if _ping():
        return True
    if shutil.which("redis-server") is None:
        return False
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        check=False,
        capture_output=True,
    )
    for _ in range(50):
        if _ping():
            return True
        time.sleep(0.1)
    return False


def _ping() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def environment(data_dir: Path, *, broker: bool, queue_name: str) -> dict[str, str]:
    """The environment of the app and worker processes of one test."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_") or k == "ADVISOR_KB_DIR"
    }
    env.update(FAST_HASHING)
    env["ADVISOR_DATA_DIR"] = str(data_dir)
    env["ADVISOR_QUEUE_NAME"] = queue_name
    if broker:
        env["ADVISOR_BROKER_URL"] = REDIS_URL
    return env


def new_queue_name() -> str:
    return f"test-{uuid.uuid4().hex[:12]}"


@dataclass
class Assessed:
    """One submitted assessment and the principal who owns it."""

    db: Database
    who: Principal
    assessed: AssessedView
    kb: object


def prepare(settings: Settings, persona: str = "oxfordshire_transport") -> tuple[str, str]:
    """Seed the store with the demo accounts and one submitted assessment; (email, password)."""
    db = open_store(settings)
    try:
        prepare_store(db, settings)
        lead = next(a for a in create_demo_accounts(db, settings) if a.email.startswith("lead"))
        who = sign_in(db, settings, lead.email, lead.password)
        answers = load_assessment_input(PERSONAS / f"{persona}.yaml").answers
        assert answers is not None
        bank, rules = bundled_assessment()
        view = create_assessment(db, who, lead.organisations[0], "Jobs test", bank.version)
        save_draft(db, who, view.id, answers, 1)
        submit_assessment(db, who, view.id, view.version, bank, rules)
        return lead.email, lead.password
    finally:
        db.dispose()


def assessed_as(settings: Settings, email: str, password: str) -> Assessed:
    """The submitted assessment as the results page reads it."""
    db = open_store(settings)
    who = sign_in(db, settings, email, password)
    revision = live_knowledge_base(db).revision
    kb = knowledge_base_revision(db, revision)
    rules = rule_files_revision(db, revision)
    index = build_index(kb)
    from advisor.services.assessments import list_assessments

    [summary] = list_assessments(db, who)
    assessed = recommendation_for(
        db, who, summary.id, index, rules.matching, revision, rules.questionnaire
    )
    return Assessed(db, who, assessed, kb)


def wait_finished(db: Database, job_id: str, check: object = None) -> JobRecord:
    """The job's record once done or failed (``check(record)`` runs between looks)."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        record = records.get(db, job_id)
        assert record is not None
        if check is not None:
            record = check(db, record)  # type: ignore[operator]
        if record.state in records.FINISHED:
            return record
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {record.state} after {WAIT_SECONDS} s")
        time.sleep(0.1)


def start_worker(env: dict[str, str], *extra: str) -> subprocess.Popen[bytes]:
    """An ``advisor worker`` process (stopped by the test that started it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", "worker", *extra],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def stop(process: subprocess.Popen[bytes]) -> str:
    """Stop a worker; what it wrote to stderr."""
    if process.poll() is None:
        process.terminate()
    try:
        _, err = process.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return (err or b"").decode(errors="replace")


def dumps(obj: dict[str, object]) -> str:
    return json.dumps(obj)
