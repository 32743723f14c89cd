"""What a browser gets from the app when vendors and users write hostile text, and where it
connects: web addresses in names and answers stay plain text (no link a council could follow
to a phishing page), and no request leaves the app's own address (no third-party font or icon
host learns who uses the advisor)."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from test_journeys import go, sign_in, wait_idle

from advisor.answers import AnswerEntry
from advisor.assessment_input import bundled_assessment, load_assessment_input
from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import create_assessment, save_draft, submit_assessment
from advisor.services.kb_revisions import (
    approve_proposal,
    get_entry,
    live_knowledge_base,
    propose_change,
)

pytestmark = pytest.mark.browser

PERSONAS = Path(__file__).resolve().parents[1] / "personas"
EVIL = "http://evil.example/x"
RESULT_TABS = ("Maturity", "Delivery models", "Gaps", "Barriers", "Vendors", "Case studies")


def plant_addresses(live_app: Any) -> None:
    """Every vendor offering named with a web address in it (a vendor's edit, approved), and an
    assessment whose goal and title carry one too (a user's answers)."""
    db = live_app.db
    curator = live_app.accounts["curator"]
    reviewer = service_sign_in(db, live_app.settings, curator.email, curator.password)
    for vendor in live_knowledge_base(db).kb.vendors:
        entry = get_entry(db, "vendors", vendor.id)
        assert entry.data is not None
        data = dict(entry.data)
        data["offerings"] = [
            {**offering, "name": f"{offering['name']} {EVIL}"} for offering in data["offerings"]
        ]
        proposal = propose_change(db, reviewer, "vendors", vendor.id, data, entry.version)
        approve_proposal(db, reviewer, proposal.id)

    lead = live_app.accounts["lead"]
    principal = service_sign_in(db, live_app.settings, lead.email, lead.password)
    answers = load_assessment_input(PERSONAS / "legal_blocked.yaml").answers
    assert answers is not None
    answers.answers["goal_free_text"] = AnswerEntry(value=f"Book appointments via {EVIL}")
    bank, rules = bundled_assessment()
    view = create_assessment(
        db, principal, lead.organisations[0], f"Readiness {EVIL}", bank.version
    )
    save_draft(db, principal, view.id, answers, 1)
    submit_assessment(db, principal, view.id, view.version, bank, rules)


def test_addresses_in_vendor_and_user_text_are_not_links(live_app, browser_page):
    page = browser_page
    plant_addresses(live_app)
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    go(page, "Results")
    page.get_by_text("Results for").first.wait_for()
    shown = ""
    for tab in RESULT_TABS:
        page.get_by_role("tab", name=tab).click()
        wait_idle(page)
        for expander in page.locator('[data-testid="stExpander"] summary').all():
            if expander.get_attribute("aria-expanded") == "false":
                expander.click()
        wait_idle(page)
        links = page.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert not [href for href in links if "evil.example" in href], tab
        shown += page.locator('[data-testid="stMain"]').inner_text()
    # the addresses are on the page, as text: as many as the offerings shown and the goal
    assert shown.count("evil.example") >= 2
    assert "evil.example/x" in shown.replace("\u2060", "")


def test_no_request_leaves_the_app(live_app, browser_page):
    page = browser_page
    live_app.draft_from_persona("lead", "legal_blocked", "Readiness 2026", submit=True)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    for title in ("Results", "What if", "Knowledge graph"):
        go(page, title)
    page.get_by_role("button", name="Sign out").click()
    page.locator(".st-key-sign_in_email input").wait_for()
    wait_idle(page)
    app_host = urlsplit(live_app.url).netloc
    assert requests
    elsewhere = sorted(
        {url for url in requests if urlsplit(url).scheme not in ("data", "blob", "about")}
        - {url for url in requests if urlsplit(url).netloc == app_host}
    )
    assert elsewhere == []
