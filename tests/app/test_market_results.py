"""The results page shows market evidence from imported public contract awards: who bought
something for this need, contracts ending soon, with links to the notices (AppTest)."""

from __future__ import annotations

from pathlib import Path

from harness import persona_assessment, signed_in

from advisor.services.awards import import_awards
from advisor.services.permissions import OPERATOR

FIXTURES = Path(__file__).resolve().parents[1] / "awards" / "fixtures"
CAMDEN_NOTICE = "https://www.find-tender.service.gov.uk/Notice/000202-2025"


def test_results_page_shows_who_bought_what_with_notice_links(store, settings, accounts):
    import_awards(
        store, OPERATOR, [FIXTURES / "contracts_finder_2025.json", FIXTURES / "constructed.jsonl"]
    )
    persona_assessment(store, settings, accounts["lead"], "kirklees_grant", "R", submit=True)
    at = signed_in(accounts["lead"], timeout=60)
    at.switch_page("app_pages/results.py").run()
    assert not at.exception, at.exception
    assert "What others bought: public contract awards" in [s.value for s in at.subheader]
    shown = "\n".join(m.value for m in at.markdown)
    assert "Resident data platform" in shown
    assert f"[Notice on Find a Tender]({CAMDEN_NOTICE})" in shown
