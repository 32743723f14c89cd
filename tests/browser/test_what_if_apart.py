"""A saved what-if never replaces the real result: it is listed apart, on the What if page,
saying what it changed, and the next session's Results show the assessment as submitted."""

from __future__ import annotations

from typing import Any

import pytest
from test_journeys import go, sign_in, sign_out, wait_idle

from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import list_assessments
from advisor.services.what_if import list_scenarios

pytestmark = pytest.mark.browser

Page = Any


def test_a_saved_what_if_never_replaces_the_real_result(live_app, browser_page):
    page = browser_page
    aid = live_app.draft_from_persona("lead", "legal_blocked", "Readiness 2026", submit=True)
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    go(page, "What if")
    legal = page.locator(f".st-key-whatif_{aid}_b_legal input[type='range']")
    legal.focus()
    page.keyboard.press("Home")  # no concern
    wait_idle(page)
    page.get_by_role("button", name="Save this scenario").click()
    page.get_by_text("This scenario is saved").wait_for()
    wait_idle(page)
    assert page.get_by_role("button", name="Save this scenario").count() == 0
    page.get_by_text("Legal barrier from blocking to no concern").first.wait_for()
    who = service_sign_in(live_app.db, live_app.settings, lead.email, lead.password)
    assert [a.id for a in list_assessments(live_app.db, who)] == [aid]
    [scenario] = list_scenarios(live_app.db, who, aid)
    assert scenario.barriers == {"legal": 0}
    # the next session: Results show the assessment as submitted, not the scenario
    sign_out(page)
    sign_in(page, live_app.url, lead.email, lead.password)
    go(page, "Results")
    page.get_by_text("Results for").first.wait_for()
    wait_idle(page)
    assert page.get_by_text("Readiness 2026: what if").count() == 0  # the scenario's title
    go(page, "What if")
    page.get_by_text("Saved what-if scenarios").wait_for()
    page.get_by_text("Readiness 2026: what if").first.wait_for()
