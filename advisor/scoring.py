"""Answers -> Profile: maturity, barriers, factors, goals and constraints, with their evidence.

The rules are data (``knowledge_base/scoring.yaml``, explained in ``docs/method.md``); this
module reads them, checks them against the question bank, and applies them. ``score_answers``
is pure: the same answers, bank and rules always give the same profile.

Delivery-model fit and the departmental silo flag are not scored here: matching works them
out from the profile (and the answers it carries) with the one rule set in
``knowledge_base/matching.yaml``, so a scored profile, a hand-written one and a what-if all go
through the same rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal, Self

from pydantic import Field, ValidationError, model_validator

from advisor.answers import AnswerEntry, Answers
from advisor.base import MAX_NAME, MAX_TEXT, Id, StrictModel, Text
from advisor.errors import InputError, Problem
from advisor.evidence import AnswerRef
from advisor.profile import (
    Barriers,
    Constraints,
    Evidence,
    Factors,
    Maturity,
    Organisation,
    Profile,
)
from advisor.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    AnswerValue,
    Question,
    Questionnaire,
    QuestionType,
    validation_problems,
)
from advisor.vocabulary import (
    BarrierId,
    DataUse,
    Deployment,
    ExternalFunding,
    FrameworkId,
    OrgKind,
    Scope,
    ServiceInnovation,
    TechnologyAreaId,
)
from advisor.yamlio import YamlDocument, read_yaml

BUNDLED_SCORING = Path(__file__).resolve().parents[1] / "knowledge_base" / "scoring.yaml"
"""The scoring rules that ship with the advisor."""

RETIRED_KEYS = ("models", "silo")
"""Sections older scoring.yaml files had; ignored on reading (see ``ScoringRules``)."""

FactorName = Literal["scope", "service_innovation", "data_use", "deployment"]
FACTOR_VALUES: dict[str, type[Scope | ServiceInnovation | DataUse | Deployment]] = {
    "scope": Scope,
    "service_innovation": ServiceInnovation,
    "data_use": DataUse,
    "deployment": Deployment,
}


class Weighted(StrictModel):
    """A question feeding a figure, with its weight in the figure's mean."""

    question: Id
    weight: float = Field(default=1.0, gt=0)


class Unknown(StrictModel):
    """How don't-know and unanswered questions limit a figure."""

    min_known_share: float = Field(ge=0, le=1)
    """Below this share of known weight, the figure is limited."""
    maturity_cap: int = Field(ge=1, le=5)
    """Highest maturity level a mostly-unknown area can show."""
    severity_floor: int = Field(ge=0, le=4)
    """Lowest severity a mostly-unknown barrier can show: it cannot be ruled out."""
    one_answer_severity_cap: int = Field(ge=0, le=4)
    """Highest severity a barrier resting on a single known answer can show."""
    one_answer_maturity_cap: int = Field(ge=1, le=5)
    """Highest level an area resting on a single known answer can show."""


class ValueMap(StrictModel):
    """Read a profile field from one question: option id -> value."""

    question: Id
    map: dict[Id, str | bool]


class OrganisationMap(StrictModel):
    name: Id
    kind: Id
    region: Id


class ConstraintsMap(StrictModel):
    budget_gbp: Id
    prefer_sme: ValueMap
    external_funding: ValueMap
    frameworks: ValueMap


class ScoringRules(StrictModel):
    """Everything in scoring.yaml."""

    version: Text
    source: Text
    reviewed: date
    maturity_thresholds: list[float] = Field(min_length=4, max_length=4)
    severity_thresholds: list[float] = Field(min_length=4, max_length=4)
    unknown: Unknown
    areas: dict[TechnologyAreaId, list[Weighted]]
    barriers: dict[BarrierId, list[Weighted]]
    factors: dict[FactorName, ValueMap]
    organisation: OrganisationMap
    goals: list[Id]
    constraints: ConstraintsMap

    @model_validator(mode="before")
    @classmethod
    def _drop_retired(cls, data: Any) -> Any:
        """Older rule files carried delivery-model fit and silo rules; they now live in
        matching.yaml (``delivery``), so those keys are read and ignored."""
        if isinstance(data, dict) and any(k in data for k in RETIRED_KEYS):
            data = {k: v for k, v in data.items() if k not in RETIRED_KEYS}
        return data

    @model_validator(mode="after")
    def _complete(self) -> Self:
        for name, ts in (
            ("maturity", self.maturity_thresholds),
            ("severity", self.severity_thresholds),
        ):
            if ts != sorted(ts) or not all(0 < t < 1 for t in ts):
                raise ValueError(f"{name}_thresholds must rise, each between 0 and 1")
        missing = (
            [a.value for a in TechnologyAreaId if a not in self.areas]
            + [b.value for b in BarrierId if b not in self.barriers]
            + [f for f in FACTOR_VALUES if f not in self.factors]
        )
        if missing:
            raise ValueError(f"no rules for: {', '.join(missing)}")
        return self


# --- loading and checking against the bank -------------------------------------------------


def _cross_problems(
    rules: ScoringRules, bank: Questionnaire
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every reference from the rules to the bank that does not hold."""

    def need(loc: tuple[str | int, ...], qid: str, scored: bool = False) -> Question | None:
        q = bank.question(qid)
        if q is None:
            problems.append((loc, f"no question {qid} in the bank"))
        elif scored and not q.scored:
            problems.append((loc, f"question {qid} carries no scores"))
        return q

    problems: list[tuple[tuple[str | int, ...], str]] = []
    for group, figures in (("areas", rules.areas), ("barriers", rules.barriers)):
        for fig, items in figures.items():
            if len({w.question for w in items}) < 2:
                problems.append(((group, fig.value), "needs at least two questions"))
            for i, w in enumerate(items):
                need((group, fig.value, i, "question"), w.question, scored=True)
    for name, vm in rules.factors.items():
        q = need(("factors", name, "question"), vm.question)
        allowed = {v.value for v in FACTOR_VALUES[name]}
        for opt, val in vm.map.items():
            if val not in allowed:
                problems.append((("factors", name, "map", opt), f"{val} is not a {name} value"))
        if q is not None:
            problems.extend(_map_covers(("factors", name, "map"), q, vm))
    org = rules.organisation
    for part in ("name", "kind", "region"):
        need(("organisation", part), getattr(org, part))
    kind_q = bank.question(org.kind)
    if kind_q is not None:
        kinds = {k.value for k in OrgKind}
        for kind_opt in kind_q.options:
            if kind_opt.id not in kinds:
                problems.append(
                    (("organisation", "kind"), f"option {kind_opt.id} is not a body kind")
                )
    for i, gid in enumerate(rules.goals):
        need(("goals", i), gid)
    need(("constraints", "budget_gbp"), rules.constraints.budget_gbp)
    checks: tuple[tuple[str, ValueMap, set[str] | None], ...] = (
        ("prefer_sme", rules.constraints.prefer_sme, None),
        (
            "external_funding",
            rules.constraints.external_funding,
            {e.value for e in ExternalFunding},
        ),
        ("frameworks", rules.constraints.frameworks, None),
    )
    for part, vm, allowed_values in checks:
        q = need(("constraints", part, "question"), vm.question)
        if q is not None:
            for opt in vm.map:
                if q.option(opt) is None:
                    problems.append(
                        (("constraints", part, "map", opt), f"{vm.question} has no option {opt}")
                    )
        if allowed_values is not None:
            for opt, val in vm.map.items():
                if val not in allowed_values:
                    problems.append((("constraints", part, "map", opt), f"{val} is not allowed"))
    yield from problems


def _map_covers(
    loc: tuple[str | int, ...], q: Question, vm: ValueMap
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    options = {o.id for o in q.options}
    for opt in vm.map:
        if opt not in options:
            yield (*loc, opt), f"{q.id} has no option {opt}"
    for opt in sorted(options - set(vm.map)):
        yield loc, f"option {opt} of {q.id} is not mapped"


def scoring_rules_from_document(doc: YamlDocument, questionnaire: Questionnaire) -> ScoringRules:
    """Validate parsed scoring rules and their references into the bank."""
    if not isinstance(doc.data, dict):
        raise InputError.single(doc.path, "(file)", "expected a mapping of scoring rules")
    try:
        rules = ScoringRules.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(validation_problems(err, doc)) from None
    problems = [
        Problem(doc.path, doc.line_of(loc), ".".join(str(p) for p in loc), msg)
        for loc, msg in _cross_problems(rules, questionnaire)
    ]
    if problems:
        raise InputError(problems)
    return rules


def load_scoring_rules(
    questionnaire: Questionnaire, path: Path | str = BUNDLED_SCORING
) -> ScoringRules:
    """Read scoring rules and check them against the question bank."""
    return scoring_rules_from_document(read_yaml(path), questionnaire)


# --- scoring -------------------------------------------------------------------------------


@dataclass
class _Known:
    """The answers scoring may use: only those to questions the respondent sees."""

    bank: Questionnaire
    entries: dict[str, AnswerEntry]
    shown: set[str]
    factor_questions: dict[str, str]

    def value(self, qid: str) -> AnswerValue | None:
        entry = self.entries.get(qid)
        return entry.value if entry is not None and qid in self.shown else None

    def is_known(self, qid: str) -> bool:
        return self.value(qid) not in (None, DONT_KNOW, NOT_APPLICABLE)

    def said(self, qid: str) -> str:
        """The answer as evidence shows it: question, answer, and the respondent's backing."""
        q = self.bank.question(qid)
        if q is None:
            return qid
        value = self.value(qid)
        answer = "not answered yet" if value is None else q.describe(value)
        text = f"{qid} ({q.text}): {answer}"
        entry = self.entries.get(qid)
        if entry is not None and entry.evidence and value is not None:
            text += f" [evidence: {entry.evidence}]"
        return text

    def ref(self, qid: str) -> AnswerRef | None:
        """The answer as data (for reasons and for matching's rules); none if not answered."""
        q = self.bank.question(qid)
        value = self.value(qid)
        if q is None or value is None:
            return None
        entry = self.entries.get(qid)
        note = "; ".join(p for p in (entry.note, entry.evidence) if p) if entry else ""
        if len(note) > MAX_TEXT:  # a note and its evidence, each within its limit, joined
            note = note[: MAX_TEXT - 1] + "\u2026"
        chosen = value if isinstance(value, list) else [value]
        options = (
            [str(v) for v in chosen]
            if q.type in (QuestionType.single, QuestionType.multiple) and value != DONT_KNOW
            else []
        )
        return AnswerRef(
            question=qid,
            text=q.text,
            answer="don't know" if value == DONT_KNOW else q.describe(value),
            note=note or None,
            unknown=value == DONT_KNOW,
            options=options,
        )


@dataclass
class _Figure:
    score: float | None
    """Weighted mean favourability of the known answers; none when nothing is known."""
    known_share: float
    evidence: Evidence = field(default_factory=Evidence)


def _figure(known: _Known, items: list[Weighted], raises_when_high: bool) -> _Figure:
    """Weighted mean favourability of the known answers, with evidence each way."""
    relevant = 0.0
    scored: list[tuple[str, float, float]] = []
    ev = Evidence()
    dont_know: list[AnswerRef] = []
    for item in items:
        q = known.bank.question(item.question)
        value = known.value(item.question)
        if item.question not in known.shown or q is None or value == NOT_APPLICABLE:
            continue  # hidden by skip logic or not applicable: no bearing on the figure
        relevant += item.weight
        fav = None if value is None else q.favourability(value)
        if fav is None:
            ev.find_out.append(known.said(item.question))
            ref = known.ref(item.question)
            if ref is not None and ref.unknown:
                dont_know.append(ref)
        else:
            scored.append((item.question, fav, item.weight))
    ev.unknown = len(dont_know)
    known_w = sum(w for _, _, w in scored)
    if not known_w:
        ev.answers = dont_know
        return _Figure(None, 0.0, ev)
    mean = sum(f * w for _, f, w in scored) / known_w
    raising: list[AnswerRef] = []
    holding: list[AnswerRef] = []
    for qid, fav, _ in scored:
        up = fav >= mean if raises_when_high else fav <= mean
        (ev.sets if up else ev.holds_down).append(known.said(qid))
        ref = known.ref(qid)
        if ref is not None:
            (raising if up else holding).append(ref)
    ev.answered = len(scored)
    ev.raised_by = [r.question for r in raising]
    ev.answers = raising + holding + dont_know
    return _Figure(mean, known_w / relevant, ev)


def _steps(score: float, thresholds: list[float]) -> int:
    return sum(1 for t in thresholds if score >= t)


def _maturity(known: _Known, rules: ScoringRules) -> tuple[Maturity, dict[str, Evidence]]:
    levels: dict[str, int] = {}
    evidence: dict[str, Evidence] = {}
    limit = rules.unknown
    for area, items in rules.areas.items():
        fig = _figure(known, items, raises_when_high=True)
        if fig.score is None:
            level = 1
            fig.evidence.holds_down.append("No known answers: level 1 until they are found out")
        else:
            level = 1 + _steps(fig.score, rules.maturity_thresholds)
            if fig.known_share < limit.min_known_share and level > limit.maturity_cap:
                fig.evidence.capped, fig.evidence.uncapped = "mostly_unknown", level
                level = limit.maturity_cap
                fig.evidence.holds_down.append(
                    f"Capped at level {level}: under {limit.min_known_share:.0%} of this"
                    " area's answers are known"
                )
            elif fig.evidence.answered == 1 and level > limit.one_answer_maturity_cap:
                fig.evidence.capped, fig.evidence.uncapped = "one_answer", level
                level = limit.one_answer_maturity_cap
                fig.evidence.holds_down.append(
                    f"Capped at level {level}: it rests on one answer only"
                )
        levels[area.value] = level
        evidence[f"maturity.{area.value}"] = fig.evidence
    return Maturity.model_validate(levels), evidence


def _barriers(known: _Known, rules: ScoringRules) -> tuple[Barriers, dict[str, Evidence]]:
    severities: dict[str, int] = {}
    evidence: dict[str, Evidence] = {}
    limit = rules.unknown
    for barrier, items in rules.barriers.items():
        fig = _figure(known, items, raises_when_high=False)
        severity = 0 if fig.score is None else _steps(1 - fig.score, rules.severity_thresholds)
        if fig.evidence.answered == 1 and severity > limit.one_answer_severity_cap:
            fig.evidence.capped, fig.evidence.uncapped = "one_answer", severity
            severity = limit.one_answer_severity_cap
            fig.evidence.holds_down.append(
                f"Capped at {severity}: it rests on one answer only, too little to call it blocking"
            )
        if fig.known_share < limit.min_known_share and severity < limit.severity_floor:
            severity = limit.severity_floor
            fig.evidence.sets.append(
                f"At least {severity}: under {limit.min_known_share:.0%} of this barrier's"
                " answers are known, so it cannot be ruled out"
            )
        severities[barrier.value] = severity
        evidence[f"barriers.{barrier.value}"] = fig.evidence
    return Barriers.model_validate(severities), evidence


def _factors(known: _Known, rules: ScoringRules) -> tuple[Factors, dict[str, Evidence]]:
    values: dict[str, str] = {}
    evidence: dict[str, Evidence] = {}
    defaults = Factors()
    for name, vm in rules.factors.items():
        value = known.value(vm.question)
        ev = Evidence()
        mapped = vm.map.get(value) if isinstance(value, str) else None
        ref = known.ref(vm.question)
        if mapped is None:
            ev.find_out.append(known.said(vm.question))
            ev.holds_down.append(f"Not known, so the default is used: {getattr(defaults, name)}")
            ev.unknown = int(value == DONT_KNOW)
        else:
            values[name] = str(mapped)
            ev.sets.append(known.said(vm.question))
            ev.answered = 1
            ev.raised_by = [vm.question]
        ev.answers = [ref] if ref is not None else []
        evidence[f"factors.{name}"] = ev
    return Factors.model_validate(values), evidence


def _organisation(known: _Known, rules: ScoringRules) -> Organisation:
    org = rules.organisation
    name = known.value(org.name)
    kind = known.value(org.kind)
    region_q = known.bank.question(org.region)
    region = known.value(org.region)
    if isinstance(name, str) and known.is_known(org.name):
        # a free-text answer may run over lines and be long; a name is one short line
        name = " ".join(name.split())[:MAX_NAME].strip()
    return Organisation(
        name=name
        if isinstance(name, str) and known.is_known(org.name) and name
        else "(name not given)",
        kind=OrgKind(kind) if isinstance(kind, str) and known.is_known(org.kind) else OrgKind.other,
        region=region_q.describe(region)
        if region_q is not None and region is not None and known.is_known(org.region)
        else None,
    )


def _goals(known: _Known, rules: ScoringRules) -> list[str]:
    goals: list[str] = []
    for qid in rules.goals:
        value = known.value(qid)
        if not known.is_known(qid) or value is None:
            continue
        for item in value if isinstance(value, list) else [str(value)]:
            if item not in goals:
                goals.append(item)
    return goals


def _constraints(known: _Known, rules: ScoringRules) -> Constraints:
    cm = rules.constraints
    out = Constraints()
    budget = known.value(cm.budget_gbp)
    if isinstance(budget, int | float) and known.is_known(cm.budget_gbp):
        out.budget_gbp = round(budget)
    sme = known.value(cm.prefer_sme.question)
    if isinstance(sme, str) and sme in cm.prefer_sme.map:
        out.prefer_sme = bool(cm.prefer_sme.map[sme])
    funding = known.value(cm.external_funding.question)
    if isinstance(funding, str) and funding in cm.external_funding.map:
        out.external_funding = ExternalFunding(str(cm.external_funding.map[funding]))
    routes = known.value(cm.frameworks.question)
    if isinstance(routes, list):
        out.frameworks = [
            FrameworkId(str(cm.frameworks.map[r])) for r in routes if r in cm.frameworks.map
        ]
    return out


def _find_out(known: _Known) -> list[str]:
    """One action per don't-know answer, and one line for what is not answered yet."""
    actions: list[str] = []
    waiting = 0
    for q in known.bank.visible(
        {k: e.value for k, e in known.entries.items() if e.value is not None}
    ):
        value = known.value(q.id)
        if value == DONT_KNOW:
            section = known.bank.section_of(q.id)
            where = f" [{section.title}]" if section else ""
            actions.append(f"Find out{where}: {q.text} ({q.id})")
        elif value is None:
            waiting += 1
    if waiting:
        actions.append(f"Answer the {waiting} questions not answered yet")
    return actions


def _answer_refs(known: _Known) -> dict[str, AnswerRef]:
    """Every answer to a question the respondent saw, free text aside, as data for matching."""
    refs: dict[str, AnswerRef] = {}
    for q in known.bank.questions():
        if q.type is QuestionType.text or q.id not in known.shown:
            continue
        ref = known.ref(q.id)
        if ref is not None and known.value(q.id) != NOT_APPLICABLE:
            refs[q.id] = ref
    return refs


def score_answers(answers: Answers, questionnaire: Questionnaire, rules: ScoringRules) -> Profile:
    """Score answers (already checked against the bank) into a profile with its evidence.

    Answers to questions hidden by skip logic are ignored; "don't know" and unanswered
    questions are left out of every mean and listed as things to find out.
    """
    values = answers.values()
    known = _Known(
        bank=questionnaire,
        entries=dict(answers.answers),
        shown={q.id for q in questionnaire.visible(values)},
        factor_questions={name: vm.question for name, vm in rules.factors.items()},
    )
    maturity, evidence = _maturity(known, rules)
    barriers, barrier_evidence = _barriers(known, rules)
    factors, factor_evidence = _factors(known, rules)
    evidence |= barrier_evidence | factor_evidence
    profile = Profile(
        organisation=_organisation(known, rules),
        factors=factors,
        barriers=barriers,
        maturity=maturity,
        goals=_goals(known, rules),
        constraints=_constraints(known, rules),
        questionnaire_version=questionnaire.version,
    )
    return profile.model_copy(
        update={
            "evidence": evidence,
            "answer_refs": _answer_refs(known),
            "find_out": _find_out(known),
        }
    )
