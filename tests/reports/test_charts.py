"""The maturity chart: well-formed SVG, bars to scale, text alternatives, nothing injectable."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from advisor.reporting.charts import maturity_chart_svg
from advisor.reporting.context import AssessmentReport, ChartBar, MaturityChart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(chart: MaturityChart, colour: str = "#1d4e89") -> ET.Element:
    return ET.fromstring(str(maturity_chart_svg(chart, colour)))  # noqa: S314


def test_chart_is_well_formed_with_title_and_description(
    sample_report: AssessmentReport,
) -> None:
    root = _parse(sample_report.chart)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None
    assert title.text == sample_report.chart.caption
    assert desc is not None
    assert desc.text is not None
    for bar in sample_report.chart.bars:
        assert f"{bar.name}: level {bar.level} ({bar.level_name})" in desc.text
    assert (root.text or "").strip() == ""  # no stray text outside the elements


def test_bars_are_drawn_to_scale() -> None:
    chart = MaturityChart(
        caption="Maturity",
        bars=[
            ChartBar(area_id="a", name="One", level=1, level_name="Starting"),
            ChartBar(area_id="b", name="Five", level=5, level_name="Leading"),
        ],
        overall=3.0,
    )
    widths = [float(r.get("width", "0")) for r in _parse(chart).iter(f"{SVG}rect")]
    assert len(widths) == 2
    assert widths[1] == 5 * widths[0]


def test_names_and_colours_cannot_inject_markup() -> None:
    chart = MaturityChart(
        caption='<script>alert(1)</script>"',
        bars=[ChartBar(area_id="a", name="<img src=x>", level=2, level_name="&amp;")],
        overall=2.0,
    )
    markup = str(maturity_chart_svg(chart, colour='red" onload="x'))
    root = ET.fromstring(markup)  # noqa: S314
    assert "<script>" not in markup
    assert "<img" not in markup
    assert "onload" not in markup
    names = [t.text for t in root.iter(f"{SVG}text")]
    assert "<img src=x>" in names  # shown as text
    assert {r.get("fill") for r in root.iter(f"{SVG}rect")} == {"#1d4e89"}
