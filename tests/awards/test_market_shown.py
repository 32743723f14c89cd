"""The market evidence in plain words with the notice links: the PDF and HTML report, and the
results page's market view (Streamlit AppTest)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from awards_paths import PERSONA, TODAY
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from advisor.pipeline import Assessed, recommend_file
from advisor.reporting.render import report_bytes
from advisor.reporting.theme import default_theme

CAMDEN_NOTICE = "https://www.find-tender.service.gov.uk/Notice/000202-2025"
PEER = "London Borough of Camden bought \u201cResident data platform\u201d from Meeco"


@pytest.fixture(scope="module")
def assessed(kb_with_awards: Path) -> Assessed:
    return recommend_file(PERSONA, kb_with_awards, today=TODAY)


def test_html_report_says_who_bought_what_with_the_notice_link(assessed: Assessed) -> None:
    report, html = report_bytes(
        assessed.recommendation, assessed.kb, [], "html", default_theme(), report_date=TODAY
    )
    text = html.decode()
    assert report.market is not None
    assert "What others bought: public contract awards" in text
    assert "Contracts for similar needs ending in the next 12 months" in text
    assert f'<a href="{CAMDEN_NOTICE}">Notice on Find a Tender</a>' in text
    assert "Not yet reviewed by a curator: Objective Corporation UK Ltd." in text
    assert "ocds_" not in text  # no knowledge-base ids in the words


def test_pdf_report_prints_the_market_section(assessed: Assessed) -> None:
    _, pdf = report_bytes(
        assessed.recommendation, assessed.kb, [], "pdf", default_theme(), report_date=TODAY
    )
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages]
    market = next(t for t in pages if "What others bought" in t)
    assert "Resident data platform" in market
    assert "£1.2m" in market
    assert "Notice on Find a Tender" in market
    links = [
        a.get_object()["/A"]["/URI"]
        for page in PdfReader(io.BytesIO(pdf)).pages
        for a in page.get("/Annots") or []
        if "/A" in a.get_object() and "/URI" in a.get_object()["/A"]
    ]
    assert CAMDEN_NOTICE in links


def _market_page(kb_dir: str, persona: str, today: str) -> None:
    from datetime import date
    from pathlib import Path

    from advisor.app.market_view import show_market
    from advisor.pipeline import recommend_file

    rec = recommend_file(Path(persona), Path(kb_dir), today=date.fromisoformat(today))
    show_market(rec.recommendation, key="results")


def test_results_page_market_view_links_only_notices(kb_with_awards: Path) -> None:
    at = AppTest.from_function(
        _market_page,
        args=(str(kb_with_awards), str(PERSONA), TODAY.isoformat()),
        default_timeout=60,
    ).run()
    assert not at.exception
    shown = "\n".join(m.value for m in at.markdown)
    assert "What others bought: public contract awards" in [h.value for h in at.subheader]
    assert f"[Notice on Find a Tender]({CAMDEN_NOTICE})" in shown
    assert "Resident data platform" in shown
    # supplier names are text, never links
    assert "](https://www.contractsfinder" in shown
    assert "[Meeco" not in shown
