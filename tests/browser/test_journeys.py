"""Each role's main journey in real headless Chromium against a server started here."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import list_report_exports

pytestmark = pytest.mark.browser

Page = Any  # playwright.sync_api.Page, imported lazily so collection works without it


def wait_idle(page: Page) -> None:
    """Wait until Streamlit has finished the current run."""
    page.wait_for_timeout(800)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)


def shot(page: Page, folder: Path, name: str) -> None:
    wait_idle(page)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def sign_in(page: Page, url: str, email: str, password: str) -> None:
    page.goto(url)
    # the first run of a fresh server imports the matching and reporting code
    page.locator(".st-key-sign_in_email input").wait_for(timeout=90_000)
    page.locator(".st-key-sign_in_email input").fill(email)
    page.locator(".st-key-sign_in_password input").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text(f"Signed in as {email}").first.wait_for()
    wait_idle(page)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.locator(".st-key-sign_in_email input").wait_for()


def go(page: Page, title: str) -> None:
    """Open a page from the sidebar navigation."""
    page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title, exact=True).click()
    wait_idle(page)


def test_council_lead_from_sign_in_to_pdf(live_app, browser_page, screens, tmp_path):
    page = browser_page
    live_app.draft_from_persona("lead", "legal_blocked", "Readiness 2026")
    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    shot(page, screens, "02_wizard_start")
    page.get_by_role("button", name="Continue this assessment").click()
    try:
        page.get_by_text("100% answered").wait_for()
    finally:
        shot(page, screens, "03_debug")
    shot(page, screens, "03_wizard_last_section")
    page.get_by_role("button", name="Back").click()
    page.get_by_text(re.compile(r"Section \d+ of \d+")).first.wait_for()
    shot(page, screens, "04_wizard_section")
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_role("button", name="Submit the assessment").click()
    page.get_by_role("button", name="Submit now").click()
    page.get_by_text("Assessment submitted").wait_for()
    page.get_by_text("Results for").first.wait_for()
    shot(page, screens, "05_results")
    page.get_by_role("tab", name="Vendors").click()
    shot(page, screens, "06_results_vendors")
    page.get_by_role("button", name="Prepare the PDF report").click()
    download_button = page.get_by_role("button", name=re.compile(r"Download .*\.pdf"))
    download_button.wait_for(timeout=120_000)
    shot(page, screens, "06_results_download")
    with page.expect_download() as info:
        download_button.click()
    target = tmp_path / "report.pdf"
    info.value.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 10_000
    wait_idle(page)
    principal = service_sign_in(live_app.db, live_app.settings, lead.email, lead.password)
    exports = list_report_exports(live_app.db, principal, 1)
    assert [e.format for e in exports] == ["pdf"]
    go(page, "What if")
    shot(page, screens, "07_what_if")
    go(page, "Knowledge graph")
    page.locator(".st-key-explorer_query input").fill("Meeco")
    page.keyboard.press("Enter")
    page.locator('[data-testid="stGraphVizChart"]').wait_for()
    shot(page, screens, "08_explorer")


def test_vendor_edit_through_approval_to_changed_recommendation(live_app, browser_page, screens):
    page = browser_page
    live_app.draft_from_persona("lead", "legal_blocked", "Readiness 2026", submit=True)
    vendor, curator, lead = (live_app.accounts[k] for k in ("vendor", "curator", "lead"))

    sign_in(page, live_app.url, vendor.email, vendor.password)
    shot(page, screens, "01_vendor_entry")
    name = page.get_by_label("Company name")
    name.fill("Meeco Public Services")
    page.get_by_role("button", name="Check and preview").click()
    page.get_by_text("Preview: how a council would see you").wait_for()
    shot(page, screens, "02_vendor_preview")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text("Submitted for review as proposal").wait_for()
    page.get_by_text("waiting for review").first.wait_for()
    shot(page, screens, "03_vendor_history")
    sign_out(page)

    sign_in(page, live_app.url, curator.email, curator.password)
    page.get_by_text("Meeco Public Services").first.wait_for()
    shot(page, screens, "04_review_queue")
    page.get_by_role("button", name="Approve").first.click()
    page.get_by_text("knowledge-base revision 2 is live").wait_for()
    shot(page, screens, "05_review_done")
    go(page, "Audit log")
    page.get_by_text("kb.approve").first.wait_for()
    shot(page, screens, "06_audit_log")
    go(page, "Knowledge-base health")
    page.get_by_role("button", name="Check the live knowledge base").click()
    page.get_by_text("Every entry validates").wait_for(timeout=60_000)
    shot(page, screens, "07_kb_health")
    sign_out(page)

    sign_in(page, live_app.url, lead.email, lead.password)
    go(page, "Results")
    page.get_by_role("tab", name="Vendors").click()
    page.get_by_text("Meeco Public Services").first.wait_for()
    shot(page, screens, "08_lead_sees_change")


def test_consultant_compares_two_assessments(live_app, browser_page, screens):
    page = browser_page
    consultant = live_app.accounts["consultant"]
    live_app.draft_from_persona("consultant", "sunderland_hub", "Baseline", submit=True)

    sign_in(page, live_app.url, consultant.email, consultant.password)
    shot(page, screens, "01_clients")
    page.get_by_role("tab", name="Enter a quick profile").click()
    page.get_by_role("button", name="Save and see the results").click()
    page.get_by_text("Quick profile saved").wait_for()
    shot(page, screens, "02_quick_profile_results")
    go(page, "Compare")
    picker = page.locator(".st-key-compare_pick")
    for _ in range(2):
        picker.click()
        page.get_by_role("option").first.click()
        wait_idle(page)
        page.keyboard.press("Escape")
    page.get_by_role("heading", name="Maturity by technology area").wait_for()
    page.get_by_role("heading", name="Advice").wait_for()
    assert page.locator('[data-testid="stDataFrame"]').count() == 3
    shot(page, screens, "03_compare")
    go(page, "Batch export")
    shot(page, screens, "04_batch_export")
    go(page, "Report theme")
    shot(page, screens, "05_report_theme")


def test_consultant_theme_outlasts_the_session(live_app, browser_page, screens, tmp_path):
    page = browser_page
    consultant = live_app.accounts["consultant"]
    logo = tmp_path / "northgate.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
        '<rect width="40" height="40" fill="#003366"/></svg>',
        encoding="utf-8",
    )
    sign_in(page, live_app.url, consultant.email, consultant.password)
    go(page, "Report theme")
    page.locator(".st-key-theme_name input").fill("Northgate Advisory")
    page.locator('.st-key-theme_logo input[type="file"]').set_input_files(str(logo))
    wait_idle(page)
    page.get_by_role("button", name="Use this theme").click()
    page.get_by_text("Your theme is in use: Northgate Advisory.").wait_for()
    shot(page, screens, "01_theme_saved")

    sign_out(page)
    sign_in(page, live_app.url, consultant.email, consultant.password)
    go(page, "Report theme")
    page.get_by_text("Your theme is in use: Northgate Advisory.").wait_for()
    shot(page, screens, "02_theme_after_signing_in_again")
