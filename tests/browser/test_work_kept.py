"""Nothing typed is lost: answers saved as they are given, and a reload, a new tab or a
restarted server finds the user still signed in on the same section with them kept."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pytest
from conftest import FAST_HASHING, LiveApp
from test_journeys import sign_in, wait_idle

from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import list_assessments

pytestmark = pytest.mark.browser

Page = Any

PICKS = {
    "How many problems is the work meant to address?": "Several problems across services",
    "How many departments would use or supply data to the service?": "Two or three",
    "Does the work improve a service you already run, or create a new one?": (
        "Creates a new service or process"
    ),
}


def _serve(url: str, data_dir: Path, log: Path, logs: list[IO[str]]) -> subprocess.Popen[bytes]:
    port = url.rsplit(":", 1)[1]
    env = {**os.environ, **FAST_HASHING, "ADVISOR_DATA_DIR": str(data_dir)}
    env.pop("ADVISOR_DATABASE_URL", None)
    logs.append(log.open("a"))
    server = subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", "serve", "--port", port, "--host", "127.0.0.1"],
        env=env,
        stdout=logs[-1],
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return server
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text())
        time.sleep(0.3)


def _stop_servers_on(url: str) -> None:
    """Stop the server the fixture started (found by its port; only our own child)."""
    port = url.rsplit(":", 1)[1]
    found = subprocess.run(
        ["/usr/bin/pgrep", "-P", str(os.getpid()), "-f", f"server.port {port}"],
        capture_output=True,
        text=True,
        check=False,
    )
    for pid in found.stdout.split():
        os.kill(int(pid), 15)
    time.sleep(2)


@dataclass
class Restarts:
    servers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[IO[str]] = field(default_factory=list)


@pytest.fixture
def restarts(live_app: LiveApp) -> Iterator[Restarts]:
    started = Restarts()
    yield started
    for server in started.servers:
        server.terminate()
        server.wait(timeout=15)
    for log in started.logs:
        log.close()


def open_second_section(page: Page) -> None:
    page.get_by_role("link", name="Assessment").click()
    wait_idle(page)
    page.get_by_role("button", name="Start").click()
    page.get_by_text("Section 1 of").first.wait_for()
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_text("Section 2 of").first.wait_for()
    wait_idle(page)


def answer_three(page: Page) -> None:
    for question, choice in PICKS.items():
        group = page.get_by_role("radiogroup", name=question)
        group.get_by_text(choice, exact=True).click()
        wait_idle(page)


def assert_kept(page: Page, email: str) -> None:
    page.get_by_text("Section 2 of").first.wait_for(timeout=90_000)
    wait_idle(page)
    page.get_by_text(f"Signed in as {email}").first.wait_for()
    for question, choice in PICKS.items():
        group = page.get_by_role("radiogroup", name=question)
        assert group.get_by_role("radio", name=choice).is_checked(), question
    top = page.evaluate(
        "document.querySelector('[data-testid=\"stMain\"]')?.scrollTop ?? window.scrollY"
    )
    assert top == 0  # the section opens at its top


def test_reload_and_new_tab_keep_answers_sign_in_and_section(live_app, browser_page):
    page = browser_page
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    open_second_section(page)
    answer_three(page)
    cookies = {c["name"]: c for c in page.context.cookies()}
    assert cookies["advisor_session"]["httpOnly"]
    assert cookies["advisor_session"]["sameSite"] == "Strict"
    page.reload()
    assert_kept(page, lead.email)
    other = page.context.new_page()  # a new tab at the app's address
    other.goto(live_app.url)
    assert_kept(other, lead.email)
    # the store holds them too
    who = service_sign_in(live_app.db, live_app.settings, lead.email, lead.password)
    [draft] = list_assessments(live_app.db, who)
    assert draft.status == "draft"


def test_kept_after_the_server_restarts(live_app, browser_page, restarts, tmp_path):
    page = browser_page
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    open_second_section(page)
    answer_three(page)
    _stop_servers_on(live_app.url)
    restarts.servers.append(
        _serve(live_app.url, live_app.settings.data_dir, tmp_path / "again.log", restarts.logs)
    )
    page.goto(live_app.url)
    assert_kept(page, lead.email)


def test_a_bookmarked_page_opens_after_sign_in_and_sign_out_ends_the_session(
    live_app, browser_page
):
    page = browser_page
    lead = live_app.accounts["lead"]
    page.goto(f"{live_app.url}/what_if")
    page.locator(".st-key-sign_in_email input").wait_for(timeout=90_000)
    page.locator(".st-key-sign_in_email input").fill(lead.email)
    page.locator(".st-key-sign_in_password input").fill(lead.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="What if").wait_for()
    assert page.url.endswith("/what_if")
    page.get_by_role("button", name="Sign out").click()
    page.locator(".st-key-sign_in_email input").wait_for()
    wait_idle(page)
    page.reload()
    page.locator(".st-key-sign_in_email input").wait_for(timeout=90_000)
    assert "advisor_session" not in {c["name"] for c in page.context.cookies()}
