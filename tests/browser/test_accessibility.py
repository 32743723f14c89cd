"""axe-core (the npm package in tests/browser/package.json) injected into five pages: sign-in,
a wizard section, results, the vendor form and the review queue have no serious or critical
violation. ``make test`` installs it (npm ci); without it these tests are skipped."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from test_journeys import go, sign_in, wait_idle

from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.kb_revisions import get_entry, propose_change

pytestmark = pytest.mark.browser

Page = Any  # playwright.sync_api.Page, imported lazily so collection works without it
AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def axe_script() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run npm ci in tests/browser (make test does)")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe: str) -> list[str]:
    """Every serious or critical axe-core violation on the page, one line per element."""
    wait_idle(page)
    # checked once the run is over: elements of a run in progress are drawn faded
    page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')")
    page.wait_for_timeout(1000)
    page.add_script_tag(content=axe)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    out = []
    for v in result["violations"]:
        if v["impact"] in ("serious", "critical"):
            for node in v["nodes"]:
                out.append(f"{v['id']} ({v['impact']}): {node['target']} {node['failureSummary']}")
    assert result["testEngine"]["name"] == "axe-core"  # the checks did run
    return out


def test_sign_in_has_no_serious_violation(live_app, browser_page, axe_script):
    page = browser_page
    page.goto(live_app.url)
    page.locator(".st-key-sign_in_email input").wait_for(timeout=90_000)
    assert serious_violations(page, axe_script) == []


def test_wizard_section_and_results_have_no_serious_violation(live_app, browser_page, axe_script):
    page = browser_page
    live_app.draft_from_persona("lead", "legal_blocked", "Readiness 2026", submit=True)
    live_app.draft_from_persona("lead", "greenwich_asc", "Draft 2027")
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    page.get_by_role("button", name="Continue this assessment").click()
    page.get_by_text(re.compile(r"Section \d+ of")).first.wait_for()
    found = serious_violations(page, axe_script)
    go(page, "Results")
    page.get_by_text("Results for").first.wait_for()
    found += serious_violations(page, axe_script)
    assert found == []


def test_vendor_form_has_no_serious_violation(live_app, browser_page, axe_script):
    page = browser_page
    vendor = live_app.accounts["vendor"]
    sign_in(page, live_app.url, vendor.email, vendor.password)
    page.get_by_role("button", name="Check and preview").wait_for()
    assert serious_violations(page, axe_script) == []


def test_review_queue_has_no_serious_violation(live_app, browser_page, axe_script):
    page = browser_page
    vendor = live_app.accounts["vendor"]
    who = service_sign_in(live_app.db, live_app.settings, vendor.email, vendor.password)
    entry = get_entry(live_app.db, "vendors", "meeco")
    assert entry.data is not None
    propose_change(
        live_app.db,
        who,
        "vendors",
        "meeco",
        {**entry.data, "headquarters": "London"},
        entry.version,
        "Our new office",
    )
    curator = live_app.accounts["curator"]
    sign_in(page, live_app.url, curator.email, curator.password)
    page.get_by_role("button", name="Approve").first.wait_for()
    assert serious_violations(page, axe_script) == []


def _focus_next(page: Page, wanted: str, limit: int = 200) -> dict[str, Any]:
    """Press Tab until the focused element matches the JS predicate ``wanted``; its facts."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        facts: dict[str, Any] = page.evaluate(
            """(wanted) => {
                const el = document.activeElement;
                const ok = new Function('el', 'return ' + wanted)(el);
                if (!ok) return {ok: false};
                const ring = el.closest('label') || el;
                const style = getComputedStyle(el.matches(':focus-visible') ? ring : el);
                return {ok: true, name: el.getAttribute('aria-label') || el.innerText,
                        outline: style.outlineStyle, width: parseFloat(style.outlineWidth),
                        colour: style.outlineColor};
            }""",
            wanted,
        )
        if facts["ok"]:
            return facts
    raise AssertionError(f"Tab never reached {wanted}")


def test_a_wizard_section_is_answered_by_keyboard_with_a_visible_focus(live_app, browser_page):
    page = browser_page
    live_app.draft_from_persona("lead", "greenwich_asc", "Draft 2027")
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    start = _focus_next(page, "el.innerText === 'Continue this assessment'")
    assert start["outline"] == "solid"
    assert start["width"] >= 3
    assert start["colour"] == "rgb(29, 78, 137)"  # #1d4e89: 9:1 on white
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"Section \d+ of")).first.wait_for()
    wait_idle(page)
    where = page.get_by_text(re.compile(r"Section \d+ of")).first.inner_text()
    radio = _focus_next(page, "el.type === 'radio'")
    assert radio["outline"] == "solid"
    assert radio["width"] >= 3
    page.keyboard.press("ArrowDown")  # another answer, chosen by keyboard
    wait_idle(page)
    # a finished draft resumes on its last section: Back saves and moves as Save and continue does
    moved = _focus_next(
        page, "el.tagName === 'BUTTON' && /^(Save and continue|Back)$/.test(el.innerText.trim())"
    )
    assert moved["outline"] == "solid"
    page.keyboard.press("Enter")
    # the section moves once the rerun is done: wait for that, not for a fixed time
    expect(page.get_by_text(re.compile(r"Section \d+ of")).first).not_to_have_text(
        where, timeout=120_000
    )
