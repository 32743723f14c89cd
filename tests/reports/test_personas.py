"""Each persona's report, rendered through the real pipeline, read back from the PDF."""

from __future__ import annotations

import io
import json
import re
from enum import StrEnum
from pathlib import Path

import pytest
from pypdf import PdfReader
from report_samples import REPORT_DATE

from advisor import vocabulary
from advisor.pipeline import recommend_file
from advisor.profile import Constraints, Profile
from advisor.recommendation import Recommendation
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


def _ids_not_for_people() -> set[str]:
    """Ids that must never reach a reader: question ids, edge types, enum and YAML keys."""
    from advisor.kb.graph import EDGE_TYPES
    from advisor.pipeline import matcher_for

    bank = matcher_for(None).rule_files.questionnaire
    ids = {q.id for section in bank.sections for q in section.questions}
    ids |= set(EDGE_TYPES)
    ids |= {
        member.value
        for enum in vars(vocabulary).values()
        if isinstance(enum, type) and issubclass(enum, StrEnum) and enum is not StrEnum
        for member in enum
    }
    ids |= set(Profile.model_fields) | set(Constraints.model_fields)
    return {i for i in ids if "_" in i}


SNAKE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
"""A word in snake case: how ids and YAML keys look, and no English word does."""


def _user_texts(rec: Recommendation) -> list[str]:
    """Every sentence the recommendation carries for people to read."""
    items = [
        *rec.delivery_models,
        *rec.gaps,
        *rec.barriers,
        *rec.vendors,
        *rec.case_studies,
        *rec.peers,
        *rec.procurement_routes,
        *(m for b in rec.barriers for m in b.mitigations),
    ]
    texts = [w for item in items for w in item.why]
    texts += [a for b in rec.barriers for m in b.mitigations for a in m.actions]
    texts += [w for n in rec.near_misses for w in [*n.why, *n.why_not]]
    texts += [w for s in rec.roadmap for w in [*s.actions, *s.why]]
    texts += rec.cautions_said + (rec.confidence.why if rec.confidence else [])
    return texts


def test_reasons_read_as_sentences(persona_pdf) -> None:
    """No arrow, question id, edge type, enum id or YAML key reaches the printed page, nor any
    sentence the recommendation carries; the reasons keep their graph paths as data."""
    name, _reader, text = persona_pdf
    rec = recommend_file(PERSONAS / f"{name}.yaml", today=REPORT_DATE).recommendation
    forbidden = _ids_not_for_people()
    said = [text, *_user_texts(rec)]
    for sentence in said:
        assert "->" not in sentence, sentence
        assert "<-" not in sentence, sentence
        words = set(SNAKE.findall(sentence))
        assert not words, (sorted(words), sentence[:300])
        assert not words & forbidden
    # the paths behind the reasons are still there, as data
    assert any(r.path for v in rec.vendors for r in v.reasons)
    assert any(r.path for b in rec.barriers for m in b.mitigations for r in m.reasons)
    heard = [a for ev in rec.profile.evidence.values() for a in ev.answers if not a.unknown]
    assert heard, "the persona's answers give evidence"
    assert "What we heard" in text
    assert flat(heard[0].text) in text  # the question as asked, never its id


def test_legal_barrier_mitigation_actions_print_as_a_list(persona_pdf) -> None:
    name, _reader, text = persona_pdf
    if name != "legal_blocked":
        pytest.skip("the legal barrier blocks one persona")
    rec = recommend_file(PERSONAS / f"{name}.yaml", today=REPORT_DATE).recommendation
    legal = next(b for b in rec.barriers if b.id == "legal")
    assert legal.severity == 4
    actions = [a for m in legal.mitigations for a in m.actions]
    assert "Record consent per purpose, so that each data share can be checked against it." in (
        actions
    )
    shown = [m for m in legal.mitigations if flat(m.name) in text]
    assert shown
    for mitigation in shown:
        for action in mitigation.actions:
            assert flat(action) in text, action
    assert "Record consent per purpose" in text


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_renaming_the_body_changes_no_word_of_the_advice(name: str, tmp_path: Path) -> None:
    """Only the name changes in the summary, the roadmap and the procurement section.

    Names at both ends of the alphabet, neither a body the knowledge base knows: a body the
    knowledge base knows is not offered to itself as a peer, which is the one way a name counts.
    """
    import yaml

    from advisor.pipeline import matcher_for
    from advisor.reporting.context import answer_rows, build_context

    data = yaml.safe_load((PERSONAS / f"{name}.yaml").read_text(encoding="utf-8"))
    original = data["answers"]["org_name"]
    known_bodies = {b.name for b in recommend_file(PERSONAS / f"{name}.yaml").kb.bodies}
    sections = []
    for body in (original, "Aaronby Borough Council", "Zyzzyva Town Council"):
        data["answers"]["org_name"] = body
        path = tmp_path / f"{len(sections)}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        assessed = recommend_file(path, today=REPORT_DATE)
        rows = answer_rows(assessed.input.answers, matcher_for(None).rule_files.questionnaire)
        report = build_context(assessed.recommendation, assessed.kb, rows, report_date=REPORT_DATE)
        said = json.dumps(
            [
                report.summary.model_dump(),
                [r.model_dump() for r in report.roadmap],
                [r.model_dump() for r in report.procurement],
            ],
            ensure_ascii=False,
        )
        sections.append(said.replace(body, "THE BODY"))
    assert sections[2] == sections[1]
    if original not in known_bodies:
        assert sections[1] == sections[0]


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
