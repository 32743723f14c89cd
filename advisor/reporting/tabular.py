"""The report as JSON (for other systems) and CSV (for a spreadsheet).

JSON carries both the report's readable context and the Recommendation's ids and scores.
CSV is one long table, a row per figure or ranked item, so a consultant can filter and
pivot several bodies' files together. Every cell is neutralised (``safe_cell``): line breaks
and other control characters become spaces, so no cell can start a new row, and a cell that a
spreadsheet would run as a formula is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator

from advisor.recommendation import Recommendation
from advisor.reporting.context import AssessmentReport

JSON_FORMAT = "advisor-report/1"
CSV_COLUMNS = ("body", "section", "rank", "id", "name", "value", "detail", "why")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a spreadsheet may read as the start of a formula (full-width forms included)."""
_BREAKS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
"""Line breaks (``\\r``, ``\\n``, vertical tab, form feed, NEL, U+2028/9 ...) and every other
control character: a spreadsheet may start a new row at any of the breaks."""


def report_json(report: AssessmentReport, rec: Recommendation) -> str:
    """The report as one JSON document: ``format``, ``report`` and ``recommendation``."""
    document = {
        "format": JSON_FORMAT,
        "report": report.model_dump(mode="json"),
        "recommendation": rec.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def safe_cell(value: object) -> str:
    """A cell value that a spreadsheet shows as text, never evaluates as a formula."""
    text = _BREAKS.sub(" ", "" if value is None else str(value))
    if text.lstrip().startswith(_FORMULA_START):
        return "'" + text
    return text


def _rows(rec: Recommendation) -> Iterator[tuple[object, ...]]:
    for area, level in rec.maturity.areas.items():
        name = rec.maturity.level_names.get(area, "")
        yield ("maturity", "", area, area.replace("_", " "), level, name, "")
    yield ("maturity", "", "overall", "overall", rec.maturity.overall, "", "")
    for b in rec.barriers:
        mitigations = "; ".join(m.name for m in b.mitigations)
        yield ("barrier", "", b.id, b.name, b.severity, mitigations, b.why)
    for rank, m in enumerate(rec.delivery_models, start=1):
        yield ("delivery_model", rank, m.id, m.name, round(m.score, 3), "", m.why)
    for rank, g in enumerate(rec.gaps, start=1):
        yield ("gap", rank, g.id, g.name, g.level, g.next_level or "", g.why)
    for rank, v in enumerate(rec.vendors, start=1):
        detail = f"SME: {'yes' if v.sme else 'no'}; frameworks: {', '.join(v.frameworks)}"
        yield ("vendor", rank, v.id, v.name, round(v.score, 3), detail, v.why)
    for n in rec.near_misses:
        yield ("near_miss", "", n.id, n.name, round(n.score, 3), "", n.why_not)
    for rank, c in enumerate(rec.case_studies, start=1):
        yield ("case_study", rank, c.id, c.name, round(c.score, 3), ", ".join(c.bodies), c.why)
    for rank, p in enumerate(rec.peers, start=1):
        yield ("peer", rank, p.id, p.name, round(p.score, 3), p.region or "", p.why)
    for rank, r in enumerate(rec.procurement_routes, start=1):
        detail = f"{r.rule} Threshold: {r.threshold}. Valid until {r.valid_until}."
        yield ("procurement_route", rank, r.id, r.name, round(r.score, 3), detail, r.why)
    for rank, s in enumerate(rec.roadmap, start=1):
        yield ("roadmap", rank, s.id, s.name, s.months, "; ".join(s.actions), s.why)
    for item in rec.find_out:
        yield ("find_out", "", "", item, "", "", "")


def report_csv(rec: Recommendation) -> str:
    """The report as CSV text with a header row (columns in ``CSV_COLUMNS``)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    body = rec.profile.organisation.name
    for section, rank, ident, name, value, detail, why in _rows(rec):
        reasons = " | ".join(why) if isinstance(why, list) else why
        writer.writerow(
            [safe_cell(c) for c in (body, section, rank, ident, name, value, detail, reasons)]
        )
    return out.getvalue()
