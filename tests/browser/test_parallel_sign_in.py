"""Issue 15, hole 1, through the browser: ten people pressing "Sign in" at the same moment for
one account get no more password checks than the configured number of failures allows; the
rest are told to wait, and so is the right password afterwards. On SQLite, and on PostgreSQL
when ``ADVISOR_TEST_DATABASE_URL`` is set (the ``postgres`` run)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import CHROMIUM_ARGS, FAST_HASHING, running_server
from sqlalchemy import create_engine, func, select, text

from advisor.app.first_run import prepare_store
from advisor.services import accounts
from advisor.services.app_support import open_store
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
from advisor.store.database import normalise_url
from advisor.store.models import SignInAttempt

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

SESSIONS = 10
LIMIT = 3
EMAIL = "lead@parallel.gov.uk"
PASSWORD = "the right one, at last"
PG_URL = os.environ.get("ADVISOR_TEST_DATABASE_URL")


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[str]:
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'data' / 'advisor.sqlite'}"
        return
    schema = f"t_{uuid.uuid4().hex[:16]}"
    base = normalise_url(PG_URL)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = base.update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def server(tmp_path: Path, database_url: str, chromium_path: str) -> Iterator[tuple[str, Settings]]:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    env = {
        **os.environ,
        **FAST_HASHING,
        "ADVISOR_DATA_DIR": str(data_dir),
        "ADVISOR_DATABASE_URL": database_url,
        "ADVISOR_SIGNIN_MAX_FAILURES": str(LIMIT),
    }
    settings = Settings(data_dir=data_dir, database_url=database_url, signin_max_failures=LIMIT)
    db = open_store(settings)
    prepare_store(db, settings)
    # the account's hash has the default (slow) argon2 costs, so the checks overlap in time
    accounts.create_user(db, OPERATOR, settings, email=EMAIL, role="curator", password=PASSWORD)
    db.dispose()
    with running_server(env, tmp_path / "server.log") as url:
        yield url, settings


def test_ten_sessions_signing_in_at_once_are_throttled(
    server: tuple[str, Settings], chromium_path: str
) -> None:
    from playwright.sync_api import sync_playwright

    url, settings = server
    wrong = "wrong email or password"
    wait = "too many failed sign-ins"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        pages = []
        for i in range(SESSIONS):
            page = browser.new_context().new_page()
            page.set_default_timeout(90_000)
            page.goto(url)
            page.locator(".st-key-sign_in_email input").fill(EMAIL)
            page.locator(".st-key-sign_in_password input").fill(f"guess number {i}")
            pages.append(page)
        for page in pages:  # all ten presses go out before any answer comes back
            page.get_by_role("button", name="Sign in").click(no_wait_after=True)
        answers = []
        for page in pages:
            page.get_by_text(wrong).or_(page.get_by_text(wait)).first.wait_for()
            answers.append(wrong if page.get_by_text(wrong).count() else wait)

        late = browser.new_context().new_page()
        late.set_default_timeout(90_000)
        late.goto(url)
        late.locator(".st-key-sign_in_email input").fill(EMAIL)
        late.locator(".st-key-sign_in_password input").fill(PASSWORD)
        late.get_by_role("button", name="Sign in").click()
        late.get_by_text(wait).first.wait_for()
        assert late.get_by_text(f"Signed in as {EMAIL}").count() == 0
        browser.close()

    assert answers.count(wrong) == LIMIT
    assert answers.count(wait) == SESSIONS - LIMIT
    db = open_store(settings)
    try:
        with db.read() as session:
            checked = session.scalar(select(func.count()).select_from(SignInAttempt))
    finally:
        db.dispose()
    assert checked == LIMIT  # only the allowed guesses ever reached the password check
