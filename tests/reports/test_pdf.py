"""The PDF step frees what layout built and leaves the garbage collector as it found it."""

from __future__ import annotations

import gc

from weasyprint.formatting_structure.boxes import Box

from advisor.reporting.context import AssessmentReport
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.pdf import render_pdf
from advisor.reporting.theme import Theme


def _live_boxes() -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, Box))


def test_render_leaves_no_layout_boxes_behind(
    sample_report: AssessmentReport, theme: Theme
) -> None:
    html = render_html(sample_report, theme, "pdf")
    render_pdf(html, report_assets(theme))  # warm: fonts and caches
    gc.collect()  # garbage other tests left in the older generations
    before = _live_boxes()
    pdf = render_pdf(html, report_assets(theme))
    assert pdf.startswith(b"%PDF-")
    assert gc.isenabled()
    assert _live_boxes() == before  # nothing of this render is left


def test_render_keeps_the_collector_off_if_it_was_off(
    sample_report: AssessmentReport, theme: Theme
) -> None:
    gc.disable()
    try:
        render_pdf(render_html(sample_report, theme, "pdf"), report_assets(theme))
        assert not gc.isenabled()
    finally:
        gc.enable()
