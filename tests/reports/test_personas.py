"""Each persona's report, rendered through the real pipeline, read back from the PDF."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_samples import REPORT_DATE

from advisor.pipeline import recommend_file
from advisor.reporting.render import ReportJob, render_report_file

PERSONAS = Path(__file__).parents[1] / "personas"
CONTENTS = [
    "Executive summary",
    "Maturity",
    "Barriers and mitigations",
    "Delivery model",
    "Priority gaps",
    "Vendor shortlist",
    "Case studies and peers",
    "Procurement route",
    "Roadmap",
    "Appendix A: answers and find-out actions",
    "Appendix B: method, sources and dates",
]
"""The chapters, as the contents page lists them."""
SECTIONS = [
    "Contents",
    *CONTENTS,
    "Where you stand",
    "What to do first",
    "Maturity levels by technology area",
]
EXPECTED = {
    "sunderland_hub": ("Sunderland City Council", "Strategic platform"),
    "kirklees_grant": ("Kirklees Council", "Externally funded"),
    "oxfordshire_transport": ("Oxfordshire County Council", "Outreach"),
    "greenwich_asc": ("Royal Borough of Greenwich", "Digital hit team"),
    "legal_blocked": ("Wealdmoor District Council", None),
}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=sorted(EXPECTED))
def persona_pdf(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    name = request.param
    out = tmp_path_factory.mktemp("pdf") / f"{name}.pdf"
    job = ReportJob(str(PERSONAS / f"{name}.yaml"), str(out), "pdf", report_date=REPORT_DATE)
    render_report_file(job)
    reader = PdfReader(io.BytesIO(out.read_bytes()))
    text = flat("\n".join(page.extract_text() or "" for page in reader.pages))
    return name, reader, text


def test_every_section_is_present(persona_pdf) -> None:
    _name, _reader, text = persona_pdf
    for heading in SECTIONS:
        assert heading in text, heading


def test_key_recommendations_are_in_the_pdf(persona_pdf) -> None:
    name, reader, text = persona_pdf
    body, model = EXPECTED[name]
    rec = recommend_file(PERSONAS / f"{name}.yaml", today=REPORT_DATE).recommendation
    assert body in text
    if model is not None:
        assert rec.delivery_models[0].name == model
    best = rec.delivery_models[0]
    if best.recommended:
        assert f"Organise the work as a {best.name.lower()}" in text
    else:  # legal_blocked: no model fits clearly
        assert f"no delivery model fits clearly yet (the closest is a {best.name.lower()}" in text
        assert "What it would take" in text
    assert flat(rec.vendors[0].name) in text
    size = "SME (small or medium-sized enterprise)" if rec.vendors[0].sme else "large company"
    assert f"Size {size}" in text
    assert flat(rec.procurement_routes[0].name) in text
    assert flat(rec.gaps[0].name) in text
    assert f"of {len(reader.pages)}" in text  # running footer: page X of Y
    if name == "legal_blocked":
        assert "legal (blocking)" in text
    if name == "sunderland_hub":  # the next level reads on in the sentence
        gap = rec.gaps[0]
        assert gap.next_level
        next_level = flat(gap.next_level[:1].lower() + gap.next_level[1:]).rstrip(".")
        assert f"aim for level {gap.level + 1}: {next_level}" in text


def test_pdf_is_tagged_with_title_and_language(persona_pdf) -> None:
    _name, reader, _text = persona_pdf
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]).startswith("en")
    assert reader.metadata is not None
    assert reader.metadata.title is not None
    assert reader.metadata.title.startswith("Data service maturity and procurement assessment")
    assert len(reader.pages) >= 10


def test_reasons_read_as_sentences(persona_pdf) -> None:
    """No graph-walk arrows or question ids reach the printed page; the JSON keeps them."""
    name, _reader, text = persona_pdf
    assert "->" not in text
    assert "<-" not in text
    rec = recommend_file(PERSONAS / f"{name}.yaml", today=REPORT_DATE).recommendation
    assert any("->" in why for item in rec.vendors for why in item.why)
    evidence = [e for ev in rec.profile.evidence.values() for e in ev.sets + ev.holds_down]
    ids = {m[1] for e in evidence if (m := re.match(r"([a-z][a-z0-9]*_[a-z0-9_]+) \(", e))}
    assert ids, "the persona's answers give evidence"
    assert not [i for i in ids if f"{i} (" in text]
    assert "It offers" in text  # a vendor's reason, said plainly


def test_contents_page_numbers_point_at_the_chapters(persona_pdf) -> None:
    _name, reader, _text = persona_pdf
    contents = reader.pages[1].extract_text() or ""
    entries = re.findall(r"^(.+?)\s+(\d+)$", contents, re.M)
    assert [label.strip() for label, _ in entries if label.strip() in CONTENTS] == CONTENTS
    for label, page in entries:
        if label.strip() not in CONTENTS:
            continue  # the running header line
        page_text = flat(reader.pages[int(page) - 1].extract_text() or "")
        assert label.strip() in page_text, (label, page)
