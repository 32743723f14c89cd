"""The assessment report's context: every figure and sentence the template prints, as plain data.

``build_context`` turns a Recommendation (plus the knowledge base, and the answers when there
are any) into an ``AssessmentReport``. The template sees ``AssessmentReport.model_dump()``:
strings, numbers, lists and mappings only, never storage or knowledge-base objects. Text from
users and vendors stays as it is here; escaping is the template's job (autoescape).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from pydantic import Field

from advisor.answers import Answers
from advisor.base import StrictModel
from advisor.evidence import AnswerRef
from advisor.explaining import KINDS, confidence_note, say, say_all, sensitivity_said
from advisor.kb.graph import FRAMEWORK_NAMES
from advisor.kb.models import KnowledgeBase
from advisor.profile import Evidence
from advisor.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire, QuestionType
from advisor.recommendation import (
    BarrierItem,
    GapItem,
    GoalMatch,
    MitigationItem,
    RankedItem,
    Reason,
    Recommendation,
    VendorItem,
)
from advisor.reporting.links import safe_https_url
from advisor.reporting.market import MarketSection, market_section
from advisor.vocabulary import AREA_NAMES, ORG_KIND_NAMES, FrameworkId, OrgKind, TechnologyAreaId
from advisor.wording import join_words, lower_first, upper_first

SEVERITY_NAMES = {0: "none", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}
DEFAULT_LEVEL_NAMES = {
    1: "Starting",
    2: "Emerging",
    3: "Developing",
    4: "Established",
    5: "Leading",
}
MAX_REASONS = 3
"""Reasons printed per item; the JSON export keeps them all."""
MAX_HEARD = 6
"""Answers listed under "What we heard" per technology area."""
MAX_MITIGATIONS = 3
"""Ways past a barrier printed, and any that tie with the last of them."""
MAX_ROUTES = 3
MAX_CASE_STUDIES = 5
MAX_PEERS = 6
REPORT_SOURCE = (
    "EIT Digital and Digital Catapult, 'Creating Data Services for Citizens and Communities', "
    "EIT Trusted Cloud project final report, 10 October 2016"
)


class CoverPage(StrictModel):
    """What the cover page shows."""

    title: str
    """Document title; also the PDF's title metadata."""
    body_name: str
    """The public body assessed."""
    body_description: str
    """Its kind and region in words, e.g. 'metropolitan borough council, North East'."""
    report_date: str
    """Date of the report, ISO format."""
    assessed_by: str
    """Who answered the assessment, or 'Self-assessment'."""
    prepared_by: str
    """Organisation that prepared the report (the theme's organisation)."""
    questionnaire_version: str
    """Question-bank version the answers were scored with, or 'profile entered directly'."""
    knowledge_base_version: str
    website: str | None = None
    """Validated https address of the preparing organisation, if any."""


class Summary(StrictModel):
    """The one-page executive summary in plain English."""

    where_you_stand: list[str]
    """Short paragraphs: overall level, strengths, weakest areas, biggest barriers."""
    confidence_heading: str | None = None
    """How sure the advice is, in one line (none when the recommendation does not say)."""
    confidence: list[str] = Field(default_factory=list)
    """What that rests on: answers, "don't know" answers, figures resting on one answer."""
    cautions: list[str] = Field(default_factory=list)
    """What the body should know before acting (e.g. a budget short of the best-fit model)."""
    starting_list: bool = False
    """True when the vendors are a starting list to explore, not a recommendation."""
    do_first: list[str]
    """The first things to do, in order."""
    why: list[str]
    """The reasons behind the first steps."""
    headline_model: str | None = None
    """Name of the best-fitting delivery model."""
    silo_warning: str | None = None


class ChartBar(StrictModel):
    """One bar of the maturity chart (also one row of its data table)."""

    area_id: str
    name: str
    level: int
    level_name: str


class MaturityChart(StrictModel):
    """Data behind the maturity chart; the table is the chart's text alternative."""

    caption: str
    bars: list[ChartBar]
    overall: float
    max_level: int = 5


class AreaSection(StrictModel):
    """One technology area: where the body is, why, and what the next level looks like."""

    id: str
    name: str
    level: int
    level_name: str
    descriptor: str | None
    """What the current level looks like in practice."""
    heard: list[str]
    """What we heard: the known answers behind the level, question then answer."""
    notes: list[str] = Field(default_factory=list)
    """Why the level is shown lower than the answers alone would put it, or set by hand."""
    find_out: list[str]
    """Questions answered "don't know" for this area."""
    next_level_name: str | None
    next_level: str | None
    """What the next level looks like (none at level 5)."""


class Mitigation(StrictModel):
    """A way past a barrier: what it is, why it suits this body, and its steps."""

    name: str
    description: str | None = None
    why: list[str]
    """Why it suits this body (that it eases the barrier goes without saying under it)."""
    actions: list[str] = Field(default_factory=list)
    """The steps it takes, as the knowledge base lists them."""


class BarrierSection(StrictModel):
    id: str
    name: str
    severity: int
    severity_name: str
    description: str | None
    why: list[str]
    mitigations: list[Mitigation]


class ModelSection(StrictModel):
    """A delivery model with its fit."""

    id: str
    name: str
    fit_percent: int
    why: list[str]
    what_it_takes: list[str]
    description: str | None
    recommended: bool


class GapRow(StrictModel):
    rank: int
    name: str
    level: int
    next_level: str | None
    why: list[str]


class VendorRow(StrictModel):
    rank: int
    name: str
    sme: bool
    frameworks: list[str]
    offerings: list[str]
    why: list[str]
    website: str | None
    """Only a validated https URL; anything else is dropped."""
    score: float
    tie: bool = False
    """Within the near-tie margin of the vendor above: their order carries no meaning."""


class NearMissRow(StrictModel):
    name: str
    why_not: list[str]


class CaseStudyRow(StrictModel):
    name: str
    bodies: list[str]
    why: list[str]
    source: str | None


class PeerRow(StrictModel):
    name: str
    description: str
    case_studies: list[str]
    why: list[str]


class ProcurementRow(StrictModel):
    name: str
    rule: str
    threshold: str
    valid_until: str
    source: str
    why: list[str]
    recommended: bool


class RoadmapRow(StrictModel):
    name: str
    months: str
    actions: list[str]
    why: list[str]


class GoalRow(StrictModel):
    goal: str
    """The goal in the respondent's words, or the entry's name when it named one."""
    matches: list[str]
    named: bool = False


class AnswerRow(StrictModel):
    """One answered question for the appendix."""

    section: str
    question_id: str
    question: str
    answer: str
    note: str | None = None
    dont_know: bool = False


class AnswerSection(StrictModel):
    """The answers of one section of the question bank, in the bank's order."""

    title: str
    rows: list[AnswerRow]


class SourceRow(StrictModel):
    what: str
    source: str
    as_of: str | None = None
    """Date the fact holds until or was last reviewed."""


class AssessmentReport(StrictModel):
    """Context of the assessment report template (``reports/assessment/template.html``)."""

    lang: str = "en-GB"
    cover: CoverPage
    summary: Summary
    chart: MaturityChart
    areas: list[AreaSection]
    barriers: list[BarrierSection]
    delivery_models: list[ModelSection]
    gaps: list[GapRow]
    vendors: list[VendorRow]
    near_misses: list[NearMissRow]
    case_studies: list[CaseStudyRow]
    peers: list[PeerRow]
    procurement: list[ProcurementRow]
    roadmap: list[RoadmapRow]
    goals: list[GoalRow]
    answers: list[AnswerRow]
    answer_sections: list[AnswerSection]
    """The same answers grouped by section, for the appendix."""
    find_out: list[str]
    """Every "don't know", as an action: what to find out before the next assessment."""
    method: list[str]
    """How the figures were reached, in plain paragraphs."""
    sources: list[SourceRow]
    sensitivity: str | None = None
    """Whether the vendor shortlist holds when the weights move."""
    vendors_heading: str = "Vendor shortlist"
    """'Vendor shortlist', or 'Vendors: a starting list' when the advice rests on too little."""
    vendors_intro: str | None = None
    """A line under the heading when the list is to be read with care."""
    answers_given: bool = Field(default=False)
    """False when a profile was entered directly (no answers appendix)."""
    market: MarketSection | None = None
    """Evidence from public contract awards, when any answers the need."""


def _answer_text(question: Question, value: object) -> str:
    labels = {o.id: o.label for o in question.options}
    if value == DONT_KNOW:
        return "Don't know"
    if value == NOT_APPLICABLE:
        return "Not applicable"
    if isinstance(value, list):
        return "; ".join(labels.get(str(v), str(v)) for v in value)
    if question.type == QuestionType.single:
        return labels.get(str(value), str(value))
    if question.type == QuestionType.scale and isinstance(value, int | float):
        label = question.labels.get(int(value))
        top = f" of {question.max:g}" if question.max is not None else ""
        return f"{value:g}{top}" + (f" ({label})" if label else "")
    if question.type == QuestionType.number and isinstance(value, int | float):
        number = f"{int(value):,}" if float(value).is_integer() else f"{value:,.2f}"
        return number + (f" {question.unit}" if question.unit else "")
    return str(value)


def answer_rows(answers: Answers, questionnaire: Questionnaire) -> list[AnswerRow]:
    """The appendix rows: every answered question, in the bank's order, labels not ids."""
    rows = []
    for section in questionnaire.sections:
        for question in section.questions:
            entry = answers.answers.get(question.id)
            if entry is None or entry.value is None:
                continue
            note = "; ".join(part for part in (entry.note, entry.evidence) if part) or None
            rows.append(
                AnswerRow(
                    section=section.title,
                    question_id=question.id,
                    question=question.text,
                    answer=_answer_text(question, entry.value),
                    note=note,
                    dont_know=entry.value == DONT_KNOW,
                )
            )
    return rows


def _answer_sections(rows: Sequence[AnswerRow]) -> list[AnswerSection]:
    sections: list[AnswerSection] = []
    for row in rows:
        if not sections or sections[-1].title != row.section:
            sections.append(AnswerSection(title=row.section, rows=[]))
        sections[-1].rows.append(row)
    return sections


def _humanise(identifier: str) -> str:
    return identifier.replace("_", " ").capitalize()


def _area_names(kb: KnowledgeBase) -> dict[str, str]:
    names: dict[str, str] = {area.value: name for area, name in AREA_NAMES.items()}
    names.update({a.id.value: a.name for a in kb.technology_areas})
    return names


def _level_name(kb: KnowledgeBase, area: str, level: int) -> str:
    for entry in kb.technology_areas:
        if entry.id.value == area:
            return entry.levels[level - 1].name
    return DEFAULT_LEVEL_NAMES[level]


def _level_descriptor(kb: KnowledgeBase, area: str, level: int) -> str | None:
    for entry in kb.technology_areas:
        if entry.id.value == area and 1 <= level <= 5:
            return entry.levels[level - 1].descriptor
    return None


def _overall_name(overall: float) -> str:
    return DEFAULT_LEVEL_NAMES[min(5, max(1, round(overall)))]


def _fit_percent(fit: float) -> int:
    return round(max(0.0, min(1.0, fit)) * 100)


def _percent(fit: float) -> str:
    return f"{_fit_percent(fit)}%"


# --- reasons, chosen by kind -------------------------------------------------------------------
# Items carry their reasons as data and their ``why`` as sentences worded by advisor.explaining.
# The report chooses which reasons to print by kind, and never reads the sentences back.


def _worded(item: RankedItem, skip: Iterable[str] = ()) -> list[str]:
    """An item's reasons as sentences, leaving out the kinds the page says another way.

    A hand-built item with sentences and no reasons keeps its sentences.
    """
    if not item.reasons:
        return [upper_first(w) for w in item.why]
    left_out = set(skip)
    return say_all(r for r in item.reasons if r.kind not in left_out)


def _phrase(reason: Reason) -> str:
    """A reason worded to read on mid-sentence (as worded, before its first letter is raised)."""
    return KINDS[reason.kind](reason)


def _first_of(item: RankedItem, kinds: Iterable[str]) -> str | None:
    """The first reason of the given kinds, to read mid-sentence; else the item's first reason."""
    wanted = set(kinds)
    chosen = next((r for r in item.reasons if r.kind in wanted), None)
    if chosen is not None:
        return _phrase(chosen)
    return lower_first(item.why[0]) if item.why else None


def _tied_run(items: Sequence[RankedItem]) -> list[str]:
    """The names of the first item and every item that ties with it (none when none ties)."""
    names = [items[0].name] if items else []
    for item in items[1:]:
        if not item.tie:
            break
        names.append(item.name)
    return names if len(names) > 1 else []


def _tie_said(items: Sequence[RankedItem]) -> str | None:
    names = _tied_run(items)
    return say(Reason(kind="tie", figures={"names": names})) + "." if names else None


def _gap_why(gap: GapItem) -> list[str]:
    """Why a gap is a priority: the goals that need it in one sentence, then the rules.

    The level is in the heading, and the answers behind it are under Maturity.
    """
    if not gap.reasons:
        return list(gap.why)
    goals: list[str] = []
    rest: list[Reason] = []
    for r in gap.reasons:
        if r.kind == "gap_level":
            continue
        if r.kind == "goal_needs_area":
            target = str(r.figures.get("target", ""))
            if target and target not in goals:
                goals.append(target)
            continue
        rest.append(r)
    grouped = [Reason(kind="goals_need_area", figures={"goals": goals})] if goals else []
    return say_all([*grouped, *rest])


VENDOR_ALWAYS = ("framework_unknown", "sme_place", "public_track_record")
"""Vendor reasons printed even beyond the first few: a check to make, or why it is listed."""


def _vendor_why(vendor: VendorItem) -> list[str]:
    """Why a vendor is listed, with every top gap one offering covers said in one sentence."""
    if not vendor.reasons:
        return vendor.why[:MAX_REASONS]
    by_offering: dict[str, list[Reason]] = {}
    for r in vendor.reasons:
        if r.kind == "covers_gap":
            by_offering.setdefault(str(r.figures.get("offering", "")), []).append(r)
    merged: list[Reason] = []
    for r in vendor.reasons:
        if r.kind == "on_framework":
            continue  # the frameworks are in the vendor's table
        if r.kind != "covers_gap":
            merged.append(r)
            continue
        group = by_offering[str(r.figures.get("offering", ""))]
        if r is not group[0]:
            continue
        if len(group) == 1:
            merged.append(r)
            continue
        merged.append(
            Reason(
                kind="covers_gaps",
                path=[s for g in group for s in g.path],
                figures={
                    "offering": str(r.figures.get("offering", "")),
                    "areas": [str(g.figures.get("area", "")) for g in group],
                    "levels": [str(g.figures.get("level", "")) for g in group],
                },
            )
        )
    shown = merged[:MAX_REASONS]
    shown += [r for r in merged[MAX_REASONS:] if r.kind in VENDOR_ALWAYS]
    return say_all(shown)


def _confidence(rec: Recommendation) -> tuple[str | None, list[str]]:
    """How sure the advice is: a heading, and what it rests on."""
    conf = rec.confidence
    if conf is None:
        return None, []
    heading, said = confidence_note(conf.level, conf.reasons)
    lines = [f"{s}." for s in said]
    if conf.level == "good":
        return None, lines  # the counts say it; a heading would only repeat them
    first = rec.roadmap[0] if rec.roadmap else None
    if conf.level == "fair":
        if first is not None and first.steps and first.steps[0].kind == "find_out":
            lines.append(
                say(Reason(kind="first_stage_finding_out", figures={"months": first.months})) + "."
            )
        if not conf.starting_list:
            lines.append(say(Reason(kind="starting_list")) + ".")
    return heading + ".", lines


def _summary(rec: Recommendation, areas: list[AreaSection], body: str) -> Summary:
    overall = rec.maturity.overall
    order = {a.value: i for i, a in enumerate(TechnologyAreaId)}
    ordered = sorted(areas, key=lambda a: (-a.level, order.get(a.id, len(order))))
    top_level = ordered[0].level if ordered else 0
    low_level = ordered[-1].level if ordered else 0
    strongest = [lower_first(a.name) for a in ordered if a.level == top_level][:2]
    weakest = [lower_first(a.name) for a in reversed(ordered) if a.level == low_level][:3]
    stand = [
        f"{body} stands at level {overall:.1f} of 5 overall ({_overall_name(overall)}).",
    ]
    if top_level != low_level:
        stand.append(
            f"It is strongest in {join_words(strongest)} (level {top_level}) and weakest in "
            f"{join_words(weakest)} (level {low_level})."
        )
    serious = [b for b in rec.barriers if b.severity >= 3]
    if serious:
        named = [f"{lower_first(b.name)} ({SEVERITY_NAMES[b.severity]})" for b in serious[:3]]
        stand.append(f"The barriers that matter most are {join_words(named)}.")
    elif rec.barriers:
        stand.append("No barrier is serious; the main ones are listed in the barriers section.")
    heading, confidence = _confidence(rec)
    conf = rec.confidence
    starting_list = conf is not None and (conf.starting_list or conf.level in ("low", "fair"))

    do_first: list[str] = []
    why: list[str] = []
    first_stage = rec.roadmap[0] if rec.roadmap else None
    finding_out_first = bool(
        conf is not None
        and conf.level == "low"
        and first_stage is not None
        and first_stage.steps
        and first_stage.steps[0].kind == "find_out"
    )
    if finding_out_first and first_stage is not None:
        do_first.append(f"In {first_stage.months}, {_phrase(first_stage.steps[0])}.")
    model = rec.delivery_models[0] if rec.delivery_models else None
    headline_model = None
    if model and model.recommended:
        do_first.append(f"Organise the work as a {lower_first(model.name)}.")
        why.extend(_worded(model, skip=("figure_basis",))[:2])
        headline_model = model.name
    elif model:
        fit = f"{lower_first(model.name)}, {_percent(model.score)} fit"
        do_first.append(
            f"Choose how to deliver once the barriers below are in hand: no delivery model "
            f"fits clearly yet (the closest is a {fit})."
        )
        headline_model = f"None fits clearly yet (closest: {model.name}, {_percent(model.score)})"
    if rec.gaps:
        gap = rec.gaps[0]
        step = f"Close the biggest gap first: {lower_first(gap.name)} (now level {gap.level})"
        if gap.next_level:
            step += f"; aim for level {gap.level + 1}: {lower_first(gap.next_level)}"
        do_first.append(step if gap.next_level else step + ".")
        first_reason = _gap_why(gap)[:1]
        if first_reason:
            why.append(f"{gap.name} comes first because {lower_first(first_reason[0])}")
    if serious:
        barrier = serious[0]
        shown = _mitigations_shown(barrier)
        if shown:
            first = shown[0]
            others = len(_tied_run(shown)) - 1
            step = f"Tackle the {lower_first(barrier.name)} barrier: {lower_first(first.name)}"
            if others > 0:
                ways = "way" if others == 1 else "ways"
                step += f", or the {others} other {ways} past it that fit as well"
            do_first.append(step + " (steps in the barriers section).")
            fits = next((r for r in first.reasons if r.kind != "mitigation_eases"), None)
            if fits is not None:
                why.append(f"{first.name}: {_phrase(fits)}")
    if rec.case_studies:
        case = rec.case_studies[0]
        said = _first_of(case, ("case_answers_need",))
        do_first.append(f"Learn from {case.name}" + (f": {said}." if said else "."))
        tie = _tie_said(rec.case_studies)
        if tie:
            do_first.append(tie)
    if rec.vendors:
        vendor = rec.vendors[0]
        said = _first_of(vendor, ("offering_answers_need", "case_partner_answers_need"))
        lead = (
            f"Explore {vendor.name} first, from a starting list to explore, not a recommendation"
            if starting_list
            else f"Talk first to {vendor.name}"
        )
        do_first.append(lead + (f": {said}." if said else "."))
        tie = _tie_said(rec.vendors)
        if tie:
            do_first.append(tie)
    if rec.procurement_routes:
        route = rec.procurement_routes[0]
        do_first.append(f"Buy through {route.name}.")
        tie = _tie_said(rec.procurement_routes)
        if tie:
            do_first.append(tie)
        why.append(route.rule)
    if first_stage is not None and not finding_out_first:
        # a barrier's step is said above; a minor unknown is in the roadmap and the appendix
        step_reason = next(
            (s for s in first_stage.steps if s.kind not in ("ease_barrier", "find_out")), None
        )
        if step_reason is not None:
            do_first.append(f"In {first_stage.months}, {_phrase(step_reason)}.")
    return Summary(
        where_you_stand=stand,
        confidence_heading=heading,
        confidence=confidence,
        cautions=[f"{c}." for c in rec.cautions_said],
        starting_list=starting_list,
        do_first=do_first,
        why=[upper_first(w) for w in dict.fromkeys(why)],
        headline_model=headline_model,
        silo_warning=rec.silo_warning,
    )


def _heard(evidence: Evidence | None) -> tuple[list[str], list[str]]:
    """What we heard (known answers) and what to find out ("don't know"), in plain words."""
    if evidence is None:
        return [], []
    known: list[AnswerRef] = [a for a in evidence.answers if not a.unknown]
    unknown: list[AnswerRef] = [a for a in evidence.answers if a.unknown]
    heard = [say(Reason(kind="heard", answers=[a])) for a in known[:MAX_HEARD]]
    find_out = [say(Reason(kind="find_out", figures={"question": a.text})) for a in unknown]
    return heard, find_out


def _area_notes(evidence: Evidence | None, level: int) -> list[str]:
    """Why the level is lower than its answers alone would put it, or that it was set by hand."""
    if evidence is None:
        return []
    if evidence.by_hand:
        return [say(Reason(kind="set_by_hand", figures={"what": "level"}))]
    if evidence.capped is not None and evidence.uncapped is not None:
        figures = {"now": level, "was": evidence.uncapped, "cap": evidence.capped}
        return [say(Reason(kind="area_capped", figures=figures))]
    if not evidence.answered and evidence.answers:
        return [say(Reason(kind="area_unanswered"))]
    return []


def _areas(rec: Recommendation, kb: KnowledgeBase) -> list[AreaSection]:
    names = _area_names(kb)
    sections = []
    for area, level in rec.maturity.areas.items():
        evidence = rec.profile.evidence.get(f"maturity.{area}")
        next_name = _level_name(kb, area, level + 1) if level < 5 else None
        next_text = rec.maturity.next_level.get(area) or (
            _level_descriptor(kb, area, level + 1) if level < 5 else None
        )
        heard, find_out = _heard(evidence)
        sections.append(
            AreaSection(
                id=area,
                name=names.get(area, _humanise(area)),
                level=level,
                level_name=rec.maturity.level_names.get(area) or _level_name(kb, area, level),
                descriptor=_level_descriptor(kb, area, level),
                heard=heard,
                notes=_area_notes(evidence, level),
                find_out=find_out,
                next_level_name=next_name,
                next_level=next_text,
            )
        )
    return sections


def _mitigations_shown(barrier: BarrierItem) -> list[MitigationItem]:
    """The first few ways past a barrier, and every one that ties with the last of them."""
    shown = barrier.mitigations[:MAX_MITIGATIONS]
    for item in barrier.mitigations[MAX_MITIGATIONS:]:
        if not item.tie:
            break
        shown.append(item)
    return shown


def _mitigation_why(item: MitigationItem) -> list[str]:
    """Why a way past a barrier suits this body; the heading above it names the barrier."""
    return _worded(item, skip=("mitigation_eases",))


def _barriers(rec: Recommendation, kb: KnowledgeBase) -> list[BarrierSection]:
    descriptions = {b.id.value: b.description for b in kb.barriers}
    return [
        BarrierSection(
            id=item.id,
            name=item.name,
            severity=item.severity,
            severity_name=SEVERITY_NAMES.get(item.severity, str(item.severity)),
            description=descriptions.get(item.id),
            # the severity is in the heading
            why=_worded(item, skip=("barrier_severity",)),
            mitigations=[
                Mitigation(
                    name=m.name,
                    description=m.description or None,
                    why=_mitigation_why(m),
                    actions=list(m.actions),
                )
                for m in _mitigations_shown(item)
            ],
        )
        for item in rec.barriers
    ]


def _models(rec: Recommendation, kb: KnowledgeBase) -> list[ModelSection]:
    descriptions = {m.id.value: m.description for m in kb.delivery_models}
    sections = []
    for item in rec.delivery_models:
        why = _worded(item, skip=("figure_basis",))[:MAX_REASONS]
        why += say_all(r for r in item.reasons if r.kind == "figure_basis")
        sections.append(
            ModelSection(
                id=item.id,
                name=item.name,
                fit_percent=_fit_percent(item.score),
                why=why,
                what_it_takes=item.what_it_takes,
                description=descriptions.get(item.id),
                recommended=item.recommended,
            )
        )
    return sections


def _goal_row(goal: GoalMatch) -> GoalRow:
    if goal.named and goal.matches:
        return GoalRow(goal=goal.matches[0].name, matches=[], named=True)
    return GoalRow(goal=goal.goal, matches=[m.name for m in goal.matches])


def _framework_name(framework: str) -> str:
    """A framework's name; vendors carry names already, ids are named here."""
    try:
        return FRAMEWORK_NAMES[FrameworkId(framework)]
    except (ValueError, KeyError):
        return framework


def _find_out(rec: Recommendation, rows: Sequence[AnswerRow]) -> list[str]:
    """Every "don't know" as a thing to find out; a hand-written profile's own list as written."""
    questions = [a.text for a in rec.profile.answer_refs.values() if a.unknown]
    questions += [row.question for row in rows if row.dont_know]
    said = [say(Reason(kind="find_out", figures={"question": q})) for q in dict.fromkeys(questions)]
    if not rec.profile.answer_refs:
        said = [*rec.profile.find_out, *said]  # the consultant's own words
    return list(dict.fromkeys(said))


def _vendors_heading(rec: Recommendation) -> tuple[str, str | None]:
    conf = rec.confidence
    if conf is not None and conf.starting_list:
        return "Vendors: a starting list", (
            "So little is known yet that these vendors are a starting list to explore, not a "
            "recommendation. Find out what the roadmap's first stage asks, then assess again."
        )
    if conf is not None and conf.level == "fair":
        return "Vendor shortlist", (
            "Parts of this advice rest on few answers: read the list as a starting list to "
            "explore, not a recommendation, until they are found out."
        )
    return "Vendor shortlist", None


def _peer_description(kind: str | None, region: str | None) -> str:
    try:
        kind_text = ORG_KIND_NAMES[OrgKind(kind)] if kind else ""
    except ValueError:
        kind_text = _humanise(kind or "")
    return ", ".join(part for part in (kind_text, region or "") if part)


def _sources(rec: Recommendation, kb: KnowledgeBase) -> list[SourceRow]:
    rows = [SourceRow(what="Technology areas, barriers and delivery models", source=REPORT_SOURCE)]
    routes = {r.id: r for r in kb.procurement_routes}
    for item in rec.procurement_routes[:MAX_ROUTES]:
        route = routes.get(item.id)
        rows.append(
            SourceRow(
                what=f"Procurement route: {item.name}",
                source=item.source,
                as_of=f"valid until {item.valid_until}"
                if route is None
                else (f"valid {route.valid_from.isoformat()} to {route.valid_until.isoformat()}"),
            )
        )
    vendors = {v.id: v for v in kb.vendors}
    for vendor_item in rec.vendors:
        vendor = vendors.get(vendor_item.id)
        if vendor is not None:
            rows.append(
                SourceRow(
                    what=f"Vendor: {vendor.name}",
                    source=vendor.source,
                    as_of=f"reviewed {vendor.last_reviewed.isoformat()}",
                )
            )
    cases = {c.id: c for c in kb.case_studies}
    for case_item in rec.case_studies[:MAX_CASE_STUDIES]:
        case = cases.get(case_item.id)
        if case is not None:
            rows.append(SourceRow(what=f"Case study: {case.name}", source=case.source))
    return rows


def _method(rec: Recommendation, answers_given: bool) -> list[str]:
    first = (
        "Each answer was scored against the question bank; a technology area's level is the "
        'highest level its known answers prove, so a "don\'t know" never lowers a score but '
        "does cap it, and is listed as something to find out."
        if answers_given
        else "The profile was entered directly rather than scored from answers, so the levels "
        "and barrier severities are as given."
    )
    return [
        first,
        "Maturity runs from 1 (starting) to 5 (leading) in each of seven technology areas; "
        "the overall figure is their average. Barriers run from 0 (none) to 4 (blocking).",
        "Delivery models are the four the EIT Digital and Digital Catapult study observed in UK "
        "public bodies; each is scored for fit against the profile's project factors, barriers "
        "and maturity, and the reasons are listed with it.",
        "Gaps, vendors, case studies and peers come from matching the profile to a knowledge "
        "graph: every item names the links that put it there. A near miss is a vendor that "
        "would fit but for a stated reason.",
        "Procurement routes are dated rules: only routes valid on the report date are offered, "
        "and each names the threshold that decided it.",
    ] + (["Sensitivity: " + _sensitivity_text(rec)] if rec.sensitivity is not None else [])


def _sensitivity_text(rec: Recommendation) -> str:
    if rec.sensitivity is None:
        return ""
    said = sensitivity_said(rec.sensitivity.stable, rec.sensitivity.changed_by)
    return lower_first(said) + "."


def build_context(
    rec: Recommendation,
    kb: KnowledgeBase,
    answers: Sequence[AnswerRow] = (),
    *,
    prepared_by: str = "Service Maturity Advisor",
    website: str | None = None,
    assessed_by: str | None = None,
    report_date: date | None = None,
) -> AssessmentReport:
    """The assessment report's context from a Recommendation, the knowledge base and answers."""
    profile = rec.profile
    body = profile.organisation.name
    on = report_date or (
        date.fromisoformat(rec.generated_on[:10]) if rec.generated_on else date.today()
    )
    areas = _areas(rec, kb)
    answers_list = list(answers)
    vendors_heading, vendors_intro = _vendors_heading(rec)
    return AssessmentReport(
        cover=CoverPage(
            title=f"Data service maturity and procurement assessment: {body}",
            body_name=body,
            body_description=_peer_description(
                profile.organisation.kind.value, profile.organisation.region
            ),
            report_date=on.isoformat(),
            assessed_by=assessed_by or "Self-assessment",
            prepared_by=prepared_by,
            questionnaire_version=profile.questionnaire_version or "profile entered directly",
            knowledge_base_version=rec.knowledge_base_version or "bundled",
            website=safe_https_url(website),
        ),
        summary=_summary(rec, areas, body),
        chart=MaturityChart(
            caption=f"Maturity by technology area (overall {rec.maturity.overall:.1f} of 5)",
            bars=[
                ChartBar(area_id=a.id, name=a.name, level=a.level, level_name=a.level_name)
                for a in areas
            ],
            overall=rec.maturity.overall,
        ),
        areas=areas,
        barriers=_barriers(rec, kb),
        delivery_models=_models(rec, kb),
        gaps=[
            GapRow(
                rank=i,
                name=g.name,
                level=g.level,
                next_level=g.next_level,
                why=_gap_why(g)[:MAX_REASONS],
            )
            for i, g in enumerate(rec.gaps, start=1)
        ],
        vendors=[
            VendorRow(
                rank=i,
                name=v.name,
                sme=v.sme,
                frameworks=[_framework_name(f) for f in v.frameworks],
                offerings=v.offerings,
                why=_vendor_why(v),
                website=safe_https_url(v.website),
                score=round(v.score, 2),
                tie=v.tie,
            )
            for i, v in enumerate(rec.vendors, start=1)
        ],
        near_misses=[
            NearMissRow(name=n.name, why_not=[upper_first(w) for w in n.why_not])
            for n in rec.near_misses
        ],
        case_studies=[
            CaseStudyRow(
                name=c.name,
                bodies=c.bodies,
                why=c.why[:MAX_REASONS],
                source=next((k.source for k in kb.case_studies if k.id == c.id), None),
            )
            for c in rec.case_studies[:MAX_CASE_STUDIES]
        ],
        peers=[
            PeerRow(
                name=p.name,
                description=_peer_description(p.kind, p.region),
                case_studies=p.case_studies,
                why=p.why[:2],
            )
            for p in rec.peers[:MAX_PEERS]
        ],
        procurement=[
            ProcurementRow(
                name=r.name,
                rule=r.rule,
                threshold=upper_first(r.threshold),
                valid_until=r.valid_until,
                source=r.source,
                # the rule and the end date are printed above the reasons: not again in them
                why=_worded(r, skip=("route_rule", "route_in_force"))[:MAX_REASONS],
                recommended=i == 0,
            )
            for i, r in enumerate(rec.procurement_routes[:MAX_ROUTES])
        ],
        roadmap=[
            RoadmapRow(
                name=s.name,
                months=s.months,
                actions=list(s.actions),
                why=list(s.why),
            )
            for s in rec.roadmap
        ],
        goals=[_goal_row(g) for g in rec.goals],
        answers=answers_list,
        answer_sections=_answer_sections(answers_list),
        find_out=_find_out(rec, answers_list),
        method=_method(rec, bool(answers_list)),
        sources=_sources(rec, kb),
        sensitivity=_sensitivity_text(rec) or None,
        vendors_heading=vendors_heading,
        vendors_intro=vendors_intro,
        answers_given=bool(answers_list),
        market=market_section(rec),
    )
