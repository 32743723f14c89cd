"""The assessment report's context: every figure and sentence the template prints, as plain data.

``build_context`` turns a Recommendation (plus the knowledge base, and the answers when there
are any) into an ``AssessmentReport``. The template sees ``AssessmentReport.model_dump()``:
strings, numbers, lists and mappings only, never storage or knowledge-base objects. Text from
users and vendors stays as it is here; escaping is the template's job (autoescape).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from pydantic import Field

from advisor.answers import Answers
from advisor.base import StrictModel
from advisor.kb.models import KnowledgeBase
from advisor.questionnaire import DONT_KNOW, NOT_APPLICABLE, Question, Questionnaire, QuestionType
from advisor.recommendation import GoalMatch, Recommendation
from advisor.reporting.links import safe_https_url
from advisor.reporting.plain import merged_reasons, plain_reasons
from advisor.vocabulary import AREA_NAMES, ORG_KIND_NAMES, FrameworkId, OrgKind
from advisor.wording import join_words, lower_first, upper_first

SEVERITY_NAMES = {0: "none", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}
FRAMEWORK_NAMES = {
    FrameworkId.g_cloud: "G-Cloud",
    FrameworkId.digital_outcomes: "Digital Outcomes",
    FrameworkId.digital_specialists_programmes: "Digital Specialists and Programmes",
    FrameworkId.technology_services: "Technology Services",
    FrameworkId.technology_products: "Technology Products",
    FrameworkId.crown_hosting: "Crown Hosting",
}
DEFAULT_LEVEL_NAMES = {
    1: "Starting",
    2: "Emerging",
    3: "Developing",
    4: "Established",
    5: "Leading",
}
MAX_REASONS = 3
"""Reasons printed per item; the JSON export keeps them all."""
MAX_EVIDENCE = 3
MAX_MITIGATIONS = 3
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
    evidence: list[str]
    """Answers that set or raise the level."""
    holds_down: list[str]
    """Answers that keep it from being higher."""
    find_out: list[str]
    """Questions answered "don't know" for this area."""
    next_level_name: str | None
    next_level: str | None
    """What the next level looks like (none at level 5)."""


class Mitigation(StrictModel):
    name: str
    why: list[str]


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
    answers_given: bool = Field(default=False)
    """False when a profile was entered directly (no answers appendix)."""


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


def _summary(rec: Recommendation, areas: list[AreaSection], body: str) -> Summary:
    overall = rec.maturity.overall
    ordered = sorted(areas, key=lambda a: (-a.level, a.name))
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

    do_first: list[str] = []
    why: list[str] = []
    model = rec.delivery_models[0] if rec.delivery_models else None
    headline_model = None
    if model and model.recommended:
        do_first.append(f"Organise the work as a {lower_first(model.name)}.")
        why.extend(model.why[:2])
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
        why.extend(_gap_reasons(gap.why)[:1])
    if serious:
        barrier = serious[0]
        if barrier.mitigations:
            do_first.append(
                f"Tackle the {lower_first(barrier.name)} barrier: "
                f"{lower_first(barrier.mitigations[0].name)}."
            )
            why.extend(barrier.mitigations[0].why[:1])
    if rec.procurement_routes:
        route = rec.procurement_routes[0]
        do_first.append(f"Buy through {route.name}.")
        why.append(route.rule)
    said = "Ease the "  # a barrier's step: the summary has said it above already
    first_actions = [
        (stage.months, action)
        for stage in rec.roadmap[:1]
        for action in stage.actions
        if not action.lower().startswith("find out") and not action.startswith(said)
    ]
    if first_actions:
        months, action = first_actions[0]
        do_first.append(f"In {months}, {lower_first(action)}.")
    return Summary(
        where_you_stand=stand,
        do_first=do_first,
        why=plain_reasons(why),
        headline_model=headline_model,
        silo_warning=rec.silo_warning,
    )


def _areas(rec: Recommendation, kb: KnowledgeBase) -> list[AreaSection]:
    names = _area_names(kb)
    sections = []
    for area, level in rec.maturity.areas.items():
        evidence = rec.profile.evidence.get(f"maturity.{area}")
        next_name = _level_name(kb, area, level + 1) if level < 5 else None
        next_text = rec.maturity.next_level.get(area) or (
            _level_descriptor(kb, area, level + 1) if level < 5 else None
        )
        sections.append(
            AreaSection(
                id=area,
                name=names.get(area, _humanise(area)),
                level=level,
                level_name=rec.maturity.level_names.get(area) or _level_name(kb, area, level),
                descriptor=_level_descriptor(kb, area, level),
                evidence=plain_reasons(evidence.sets[:MAX_EVIDENCE]) if evidence else [],
                holds_down=plain_reasons(evidence.holds_down[:MAX_EVIDENCE]) if evidence else [],
                find_out=plain_reasons(evidence.find_out) if evidence else [],
                next_level_name=next_name,
                next_level=next_text,
            )
        )
    return sections


def _barriers(rec: Recommendation, kb: KnowledgeBase) -> list[BarrierSection]:
    descriptions = {b.id.value: b.description for b in kb.barriers}
    return [
        BarrierSection(
            id=item.id,
            name=item.name,
            severity=item.severity,
            severity_name=SEVERITY_NAMES.get(item.severity, str(item.severity)),
            description=descriptions.get(item.id),
            why=plain_reasons(item.why[:MAX_REASONS]),
            mitigations=[
                Mitigation(name=m.name, why=_mitigation_reason(m.why, m.name))
                for m in item.mitigations[:MAX_MITIGATIONS]
            ],
        )
        for item in rec.barriers
    ]


_GOAL_WALK = re.compile(r"^your goal(?: '.*')?: (?P<what>.+) -(?:needs|covers)-> .+$", re.S)


def _gap_reasons(why: list[str]) -> list[str]:
    """Why a gap is a priority, in sentences: the rules, and the goals that need the area.

    The level and the answers holding it down are printed with the area under Maturity, so
    they are not repeated here.
    """
    reasons: list[str] = []
    goals: list[str] = []
    for text in why:
        if text.startswith(("level ", "held down by: ")):
            continue
        walk = _GOAL_WALK.match(text)
        if walk is not None:
            if walk["what"] not in goals:
                goals.append(walk["what"])
            continue
        reasons.append(upper_first(text))
    if goals:  # second: after the strongest rule, before the rest
        reasons.insert(1, f"Your goals need it: {join_words(goals)}")
    return plain_reasons(reasons)


def _mitigation_reason(why: list[str], name: str) -> list[str]:
    """The first reason that says more than "it eases this barrier" (the heading says that)."""
    said = plain_reasons(why, name)
    return [next((r for r in said if not r.startswith("It eases the ")), said[0])] if said else []


def _models(rec: Recommendation, kb: KnowledgeBase) -> list[ModelSection]:
    descriptions = {m.id.value: m.description for m in kb.delivery_models}
    return [
        ModelSection(
            id=item.id,
            name=item.name,
            fit_percent=_fit_percent(item.score),
            why=plain_reasons(item.why[:MAX_REASONS]),
            what_it_takes=item.what_it_takes,
            description=descriptions.get(item.id),
            recommended=item.recommended,
        )
        for item in rec.delivery_models
    ]


def _goal_row(goal: GoalMatch) -> GoalRow:
    if goal.named and goal.matches:
        return GoalRow(goal=goal.matches[0].name, matches=[], named=True)
    return GoalRow(goal=goal.goal, matches=[m.name for m in goal.matches])


def _framework_name(framework: str) -> str:
    try:
        return FRAMEWORK_NAMES[FrameworkId(framework)]
    except ValueError:
        return framework


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
    if rec.sensitivity.stable:
        return "the top three vendors stay the same when each weight moves by 10% either way."
    moved = join_words([_humanise(w).lower() for w in rec.sensitivity.changed_by]) or "some weights"
    return f"the top three vendors change when these weights move by 10%: {moved}."


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
    find_out = list(dict.fromkeys([*rec.find_out, *profile.find_out]))
    answers_list = list(answers)
    for row in answers_list:
        if row.dont_know and not any(row.question in item for item in find_out):
            find_out.append(f"Find out: {row.question}")
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
                why=_gap_reasons(g.why)[:MAX_REASONS],
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
                why=merged_reasons(v.why, v.name)[:MAX_REASONS],
                website=safe_https_url(v.website),
                score=round(v.score, 2),
                tie=v.tie,
            )
            for i, v in enumerate(rec.vendors, start=1)
        ],
        near_misses=[NearMissRow(name=n.name, why_not=n.why_not) for n in rec.near_misses],
        case_studies=[
            CaseStudyRow(
                name=c.name,
                bodies=c.bodies,
                why=plain_reasons(c.why[:MAX_REASONS], c.name),
                source=next((k.source for k in kb.case_studies if k.id == c.id), None),
            )
            for c in rec.case_studies[:MAX_CASE_STUDIES]
        ],
        peers=[
            PeerRow(
                name=p.name,
                description=_peer_description(p.kind, p.region),
                case_studies=p.case_studies,
                why=plain_reasons(p.why[:2], p.name),
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
                why=plain_reasons(
                    [w for w in r.why if w not in (r.rule, f"in force until {r.valid_until}")][
                        :MAX_REASONS
                    ],
                    r.name,
                ),
                recommended=i == 0,
            )
            for i, r in enumerate(rec.procurement_routes[:MAX_ROUTES])
        ],
        roadmap=[
            RoadmapRow(
                name=s.name,
                months=s.months,
                actions=plain_reasons(s.actions),
                why=plain_reasons(s.why),
            )
            for s in rec.roadmap
        ],
        goals=[_goal_row(g) for g in rec.goals],
        answers=answers_list,
        answer_sections=_answer_sections(answers_list),
        find_out=plain_reasons(find_out),
        method=_method(rec, bool(answers_list)),
        sources=_sources(rec, kb),
        sensitivity=_sensitivity_text(rec) or None,
        answers_given=bool(answers_list),
    )
