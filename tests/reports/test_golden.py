"""Golden test on the rendered HTML of the sample report.

Regenerate after an intended change to the template, the CSS or the context:

    ADVISOR_REGENERATE_GOLDEN=1 .venv/bin/pytest tests/reports/test_golden.py

then read the diff of ``tests/reports/golden/sample_report.html`` before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

from advisor.reporting.context import AssessmentReport
from advisor.reporting.html import render_html
from advisor.reporting.theme import Theme

GOLDEN = Path(__file__).parent / "golden" / "sample_report.html"


def test_rendered_html_matches_golden(sample_report: AssessmentReport, theme: Theme) -> None:
    html = render_html(sample_report, theme, "html")
    if os.environ.get("ADVISOR_REGENERATE_GOLDEN"):
        GOLDEN.write_text(html, encoding="utf-8")
    assert GOLDEN.exists(), "golden file missing: set ADVISOR_REGENERATE_GOLDEN=1 to create it"
    assert html == GOLDEN.read_text(encoding="utf-8")


def test_pdf_and_html_differ_only_in_how_the_logo_is_found(
    sample_report: AssessmentReport, theme: Theme
) -> None:
    as_pdf = render_html(sample_report, theme, "pdf")
    as_html = render_html(sample_report, theme, "html")
    assert 'src="report-asset:logo"' in as_pdf
    assert as_html.replace(theme.logo_data_uri(), "report-asset:logo") == as_pdf
