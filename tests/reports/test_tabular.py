"""JSON and CSV outputs."""

from __future__ import annotations

import csv
import io
import json

from report_samples import sample_recommendation

from advisor.reporting.context import AssessmentReport
from advisor.reporting.tabular import CSV_COLUMNS, JSON_FORMAT, report_csv, report_json, safe_cell


def test_json_carries_report_and_recommendation(sample_report: AssessmentReport) -> None:
    data = json.loads(report_json(sample_report, sample_recommendation()))
    assert data["format"] == JSON_FORMAT
    assert data["report"]["cover"]["body_name"] == "Example Borough Council"
    assert data["recommendation"]["delivery_models"][0]["id"] == "strategic_platform"


def test_csv_has_a_row_per_figure() -> None:
    rows = list(csv.DictReader(io.StringIO(report_csv(sample_recommendation()))))
    assert tuple(rows[0]) == CSV_COLUMNS
    sections = {r["section"] for r in rows}
    assert {
        "maturity",
        "barrier",
        "delivery_model",
        "gap",
        "vendor",
        "procurement_route",
        "roadmap",
        "find_out",
    } <= sections
    legal = next(r for r in rows if r["section"] == "barrier" and r["id"] == "legal")
    assert legal["value"] == "4"
    assert legal["body"] == "Example Borough Council"
    overall = next(r for r in rows if r["id"] == "overall")
    assert overall["value"] == "2.0"


def test_csv_neutralises_spreadsheet_formulas() -> None:
    rec = sample_recommendation()
    rec.vendors[0].name = '=HYPERLINK("http://169.254.169.254/","x")'
    text = report_csv(rec)
    assert "'=HYPERLINK" in text
    assert safe_cell("+1") == "'+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("plain") == "plain"
