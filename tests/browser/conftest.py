"""A real app server on a free port with a seeded temporary store, and headless Chromium."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from advisor.answers import Answers
from advisor.app.first_run import Account, create_demo_accounts, prepare_store
from advisor.assessment_input import bundled_assessment, load_assessment_input
from advisor.services.accounts import sign_in
from advisor.services.app_support import open_store
from advisor.services.assessments import create_assessment, save_draft, submit_assessment
from advisor.settings import Settings
from advisor.store.database import Database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PERSONAS = Path(__file__).resolve().parents[1] / "personas"
SCREENS = Path(
    os.environ.get("ADVISOR_SCREENS_DIR", Path(__file__).resolve().parents[2] / "out" / "screens")
)
FAST_HASHING = {
    "ADVISOR_ARGON2_TIME_COST": "1",
    "ADVISOR_ARGON2_MEMORY_KIB": "1024",
    "ADVISOR_ARGON2_PARALLELISM": "1",
}

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(env: dict[str, str], log_path: Path, wait_seconds: float = 120) -> Iterator[str]:
    """'advisor serve' on a free port with ``env``, as ``make run`` starts it; yields its address
    once it answers, and stops it afterwards (its output goes to ``log_path``)."""
    port = _free_port()
    with log_path.open("w") as log:
        command = ["-m", "advisor.cli", "serve", "--port", str(port), "--host", "127.0.0.1"]
        server = subprocess.Popen(
            [sys.executable, *command],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + wait_seconds
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text())
                time.sleep(0.3)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()


@dataclass
class LiveApp:
    url: str
    db: Database
    settings: Settings
    accounts: dict[str, Account]

    def draft_from_persona(self, who: str, persona: str, title: str, submit: bool = False) -> int:
        """An assessment of the account's body with a persona's answers (saved, or submitted)."""
        account = self.accounts[who]
        principal = sign_in(self.db, self.settings, account.email, account.password)
        answers: Answers | None = load_assessment_input(PERSONAS / f"{persona}.yaml").answers
        assert answers is not None
        bank, rules = bundled_assessment()
        view = create_assessment(self.db, principal, account.organisations[0], title, bank.version)
        save_draft(self.db, principal, view.id, answers, 1)
        if submit:
            submit_assessment(self.db, principal, view.id, view.version, bank, rules)
        return view.id


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium, or make system)")
    return CHROMIUM


@pytest.fixture
def live_app(tmp_path: Path, chromium_path: str) -> Iterator[LiveApp]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {**os.environ, **FAST_HASHING, "ADVISOR_DATA_DIR": str(data_dir)}
    env.pop("ADVISOR_DATABASE_URL", None)
    settings = Settings(
        data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=1024, argon2_parallelism=1
    )
    db = open_store(settings)
    prepare_store(db, settings)
    accounts = {a.email.split("@")[0]: a for a in create_demo_accounts(db, settings)}
    try:
        with running_server(env, tmp_path / "server.log") as url:
            yield LiveApp(url, db, settings, accounts)
    finally:
        db.dispose()


@pytest.fixture
def browser_page(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        yield page
        context.close()
        browser.close()


@pytest.fixture
def screens(request: pytest.FixtureRequest) -> Path:
    folder = SCREENS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder
