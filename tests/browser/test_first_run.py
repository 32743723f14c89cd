"""A newcomer on an empty store, in real Chromium against 'advisor serve' started here: the
first page says there is no account and creates the curator with the set-up code the server
printed (a wrong or reused code refused); the curator registers a council and adds its lead,
who chooses their own password and starts an assessment of their council."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import CHROMIUM, CHROMIUM_ARGS, FAST_HASHING, running_server
from test_journeys import go, shot, wait_idle

pytestmark = pytest.mark.browser

Page = Any
CODE = re.compile(r"\b([A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4})\b")
CURATOR_PASSWORD = "curator's own long password"
LEAD_PASSWORD = "the lead's own long password"


@dataclass
class EmptyServer:
    url: str
    log: Path

    def printed_code(self) -> str:
        found = CODE.search(self.log.read_text())
        assert found, self.log.read_text()
        return found.group(1)


@pytest.fixture
def empty_server(tmp_path: Path) -> Iterator[EmptyServer]:
    """'advisor serve' on an empty data folder, exactly as 'make run' starts it."""
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    data_dir = tmp_path / "data"
    env = {**os.environ, **FAST_HASHING, "ADVISOR_DATA_DIR": str(data_dir)}
    env.pop("ADVISOR_DATABASE_URL", None)
    log_path = tmp_path / "server.log"
    with running_server(env, log_path) as url:
        yield EmptyServer(url, log_path)


def fill_set_up(page: Page, code: str, email: str) -> None:
    page.locator(".st-key-first_run_code input").fill(code)
    page.locator(".st-key-first_run_email input").fill(email)
    page.locator(".st-key-first_run_password input").fill(CURATOR_PASSWORD)
    page.locator(".st-key-first_run_again input").fill(CURATOR_PASSWORD)
    page.get_by_role("button", name="Create the curator account").click()
    wait_idle(page)


def test_newcomer_from_an_empty_store_to_an_assessment(empty_server, screens):
    from playwright.sync_api import sync_playwright

    code = empty_server.printed_code()
    assert "No account exists yet" in empty_server.log.read_text()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.set_default_timeout(30_000)
        other = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        other.set_default_timeout(30_000)

        page.goto(empty_server.url)
        page.get_by_text("There is no account yet").wait_for(timeout=90_000)
        shot(page, screens, "01_no_account_yet")
        other.goto(empty_server.url)
        other.get_by_text("There is no account yet").wait_for(timeout=90_000)

        fill_set_up(page, "ABCD-EFGH-JKMN", "curator@council.gov.uk")
        page.get_by_text("That set-up code is not right").wait_for()
        shot(page, screens, "02_wrong_code")
        fill_set_up(page, code, "curator@council.gov.uk")
        page.get_by_text("Signed in as curator@council.gov.uk").first.wait_for()
        shot(page, screens, "03_curator_created")
        # the same code from a second browser, after it was used: refused
        fill_set_up(other, code, "someone@else.gov.uk")
        other.get_by_text("That set-up code was used already").wait_for()
        shot(other, screens, "04_reused_code")

        # the curator registers the council and adds its lead
        go(page, "Bodies")
        page.locator(".st-key-bodies_new_name input").fill("Harbour Town Council")
        page.locator(".st-key-bodies_new_region input").fill("South West")
        page.locator(".st-key-bodies_new_kind").click()
        page.get_by_role("option", name="District council").click()
        page.get_by_role("button", name="Register the body").click()
        page.get_by_text("Registered Harbour Town Council.").wait_for()
        shot(page, screens, "05_body_registered")
        go(page, "People")
        page.locator(".st-key-people_add_email input").fill("lead@harbour.gov.uk")
        page.get_by_role("button", name="Add the person").click()
        page.get_by_text("One-time password for lead").wait_for()
        one_time = page.locator('[data-testid="stCode"] code').first.inner_text().strip()
        shot(page, screens, "06_person_added")
        assert len(one_time) >= 12

        # the lead signs in with the one-time password and must choose their own
        other.goto(empty_server.url)
        other.locator(".st-key-sign_in_email input").wait_for(timeout=60_000)
        other.locator(".st-key-sign_in_email input").fill("lead@harbour.gov.uk")
        other.locator(".st-key-sign_in_password input").fill(one_time)
        other.get_by_role("button", name="Sign in").click()
        other.get_by_text("You signed in with a one-time password").wait_for()
        shot(other, screens, "07_choose_a_password")
        other.locator(".st-key-password_current input").fill(one_time)
        other.locator(".st-key-password_new input").fill(LEAD_PASSWORD)
        other.locator(".st-key-password_again input").fill(LEAD_PASSWORD)
        other.get_by_role("button", name="Change password").click()
        other.get_by_text("Your password is changed.").wait_for()
        other.get_by_role("button", name="Start").wait_for()
        shot(other, screens, "08_lead_can_start")
        other.get_by_role("button", name="Start").click()
        other.get_by_text(re.compile(r"Section \d+ of \d+")).first.wait_for(timeout=60_000)
        shot(other, screens, "09_assessment_started")
        other.get_by_text("Harbour Town Council; District council; South West").wait_for()
        other.get_by_role("button", name="Save and continue").click()
        other.get_by_text(re.compile(r"Section 2 of \d+")).first.wait_for()
        shot(other, screens, "10_first_section_saved")
        context.close()
        browser.close()
