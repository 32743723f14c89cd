"""Market evidence from public contract awards in a real browser: a council lead's results show
who bought what (with the notices as links), who has won such contracts and contracts ending
soon; a curator merges a supplier found in the awards into a vendor on 'Suppliers from awards',
a page with no serious or critical accessibility violation."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from test_accessibility import AXE, serious_violations
from test_journeys import go, shot, sign_in, sign_out, wait_idle

from advisor.services.awards import import_awards, suppliers_to_review
from advisor.services.kb_revisions import live_knowledge_base
from advisor.services.permissions import OPERATOR

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "awards" / "fixtures"
CAMDEN_NOTICE = "https://www.find-tender.service.gov.uk/Notice/000202-2025"


@pytest.fixture(scope="module")
def axe() -> str:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run npm ci in tests/browser (make test does)")
    return AXE.read_text(encoding="utf-8")


def test_results_show_market_evidence_and_a_curator_merges_a_supplier(
    live_app, browser_page, screens, axe
):
    page = browser_page
    db = live_app.db
    import_awards(
        db, OPERATOR, [FIXTURES / "contracts_finder_2025.json", FIXTURES / "constructed.jsonl"]
    )
    live_app.draft_from_persona("lead", "kirklees_grant", "Grant bid 2026", submit=True)

    lead = live_app.accounts["lead"]
    sign_in(page, live_app.url, lead.email, lead.password)
    go(page, "Results")
    page.get_by_text("What others bought: public contract awards").wait_for(timeout=90_000)
    wait_idle(page)
    shot(page, screens, "01_results_market")
    market = page.locator(".st-key-results_market")
    text = market.inner_text()
    assert "London Borough of Camden bought \u201cResident data platform\u201d from Meeco" in text
    assert "Contracts for similar needs ending in the next 12 months" in text
    assert "Who has won such contracts" in text
    assert "Meeco won one council contract for data aggregation and sharing" in text
    notices = market.get_by_role("link", name=re.compile(r"^Notice on "))
    hrefs = [notices.nth(i).get_attribute("href") or "" for i in range(notices.count())]
    assert CAMDEN_NOTICE in hrefs
    assert {urlsplit(h).hostname for h in hrefs} == {
        "www.find-tender.service.gov.uk",
        "www.contractsfinder.service.gov.uk",
    }
    sign_out(page)

    solirius = next(
        s for s in suppliers_to_review(live_knowledge_base(db).kb) if s.name == "Solirius Ltd"
    )
    curator = live_app.accounts["curator"]
    sign_in(page, live_app.url, curator.email, curator.password)
    go(page, "Suppliers from awards")
    page.get_by_role("heading", name="Suppliers from awards").wait_for()
    card = page.locator(f".st-key-suppliers_{solirius.id}")
    card.get_by_text("Named in 1 award worth £60,000,000 in all.").wait_for()
    assert serious_violations(page, axe) == []
    shot(page, screens, "02_suppliers_from_awards")

    card.locator(f".st-key-suppliers_vendor_{solirius.id}").click()
    page.keyboard.type("Meeco")  # the list shows a few names at a time: narrow it by typing
    page.get_by_role("option", name="Meeco", exact=True).click()
    wait_idle(page)
    card.get_by_role("button", name="Merge into the vendor").click()
    page.get_by_text(
        "Solirius Ltd is merged into Meeco: its awards now count for Meeco."
    ).wait_for()
    wait_idle(page)
    shot(page, screens, "03_supplier_merged")
    after = next(s for s in live_knowledge_base(db).kb.suppliers if s.id == solirius.id)
    assert (after.status, after.merged_into) == ("merged", "meeco")
    assert page.get_by_role("heading", name="Solirius Ltd").count() == 0
