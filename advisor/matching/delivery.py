"""Delivery models ranked with reasons, the silo warning, and barriers with mitigations.

Delivery-model fit and the departmental silo flag come from ONE rule set
(``knowledge_base/matching.yaml``, ``delivery``), evaluated here, at match time, from the
profile and the answers it carries. A scored profile, a consultant's hand-written profile and a
what-if scenario all go through the same rules; rules on answers simply do not apply where the
profile carries no answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.evidence import AnswerRef
from advisor.explaining import say, say_all
from advisor.kb.graph import label, node_key
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step
from advisor.matching.rules import (
    Condition,
    DeliveryRules,
    FitRule,
    MatchingRules,
    Sign,
    condition_credit,
)
from advisor.profile import Evidence, Profile
from advisor.recommendation import (
    BarrierItem,
    DeliveryModelItem,
    MitigationItem,
    Reason,
)
from advisor.vocabulary import BarrierId, DeliveryModelId

SEVERITY_NAMES = {0: "none", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}


def _figure_key(cond: Condition) -> str | None:
    """The profile's evidence key for the figure a condition reads, if it reads one."""
    if cond.barrier is not None:
        return f"barriers.{cond.barrier.value}"
    if cond.area is not None:
        return f"maturity.{cond.area.value}"
    if cond.factor is not None:
        return f"factors.{cond.factor}"
    return None


def _answers_behind(cond: Condition, profile: Profile) -> list[AnswerRef]:
    """The answers a condition rests on: the answer it reads, or those behind the figure."""
    if cond.answer is not None:
        ref = profile.answer_refs.get(cond.answer)
        return [ref] if ref is not None else []
    key = _figure_key(cond)
    evidence = profile.evidence.get(key) if key else None
    return list(evidence.answers) if evidence else []


def _basis(refs: list[AnswerRef], profile: Profile) -> tuple[int, int]:
    """Known answers and "don't know" answers among refs (distinct questions)."""
    seen: dict[str, AnswerRef] = {r.question: r for r in refs}
    known = sum(1 for r in seen.values() if not r.unknown)
    return known, len(seen) - known


def _basis_reason(answered: int, unknown: int, profile: Profile, what: str) -> Reason:
    return Reason(
        kind="figure_basis",
        figures={
            "what": what,
            "answered": answered,
            "unknown": unknown,
            "by_hand": not profile.answer_refs,
        },
    )


@dataclass
class SiloFinding:
    """What the silo rules found: the signs, the evidence of little sharing, and the verdict."""

    flagged: bool = False
    signs: list[Sign] = field(default_factory=list)
    little_sharing: list[Sign] = field(default_factory=list)
    sharing: list[Sign] = field(default_factory=list)
    beside: str | None = None
    """A recommended model that rules the flag out (it rests on sharing)."""
    answers: list[AnswerRef] = field(default_factory=list)


@dataclass
class DeliveryFit:
    """Fit per delivery model with its reasons, and the silo finding."""

    fit: dict[str, float]
    reasons: dict[str, list[Reason]]
    answered: dict[str, int]
    unknown: dict[str, int]
    silo: SiloFinding
    silo_reason: Reason | None = None


def _holds(cond: Condition, profile: Profile) -> bool:
    return condition_credit(cond, profile) == 1.0


def _silo(profile: Profile, rules: DeliveryRules, recommended: str | None) -> SiloFinding:
    sr = rules.silo
    found = SiloFinding()
    found.signs = [s for s in sr.signs if _holds(s, profile)]
    found.sharing = [s for s in sr.sharing if _holds(s, profile)]
    for group in sr.little_sharing:
        if all(_holds(s, profile) for s in group):
            found.little_sharing = list(group)
            break
    if recommended is not None and DeliveryModelId(recommended) in sr.not_beside:
        found.beside = recommended
    found.flagged = (
        len(found.signs) >= sr.min_signs
        and bool(found.little_sharing)
        and not found.sharing
        and found.beside is None
    )
    refs: list[AnswerRef] = []
    for s in [*found.signs, *found.little_sharing]:
        refs += [r for r in _answers_behind(s, profile) if r not in refs]
    found.answers = refs
    return found


def _model_points(
    model: str, rules: list[FitRule], profile: Profile, silo: bool | None
) -> tuple[float, list[Reason], list[AnswerRef]]:
    """Fit of one model, the reasons that gave it points, and every answer the rules read.

    With ``silo`` None the rules on the silo flag are left out (the first pass, used to see
    which model the evidence recommends before the silo is judged).
    """
    gained = possible = added = 0.0
    reasons: list[Reason] = []
    refs: list[AnswerRef] = []
    for i, rule in enumerate(rules, start=1):
        if rule.silo is not None and silo is None:
            continue
        credit = condition_credit(rule, profile, silo=bool(silo))
        behind = _answers_behind(rule, profile)
        refs += behind
        if credit is None:
            continue  # an answer the profile does not carry: neither for nor against
        where = f"matching.yaml delivery.models.{model} {i}"
        if rule.adds is not None:
            if credit >= 1:
                added += rule.adds
                reasons.append(
                    Reason(
                        kind="model_rule",
                        rule=where,
                        answers=behind,
                        figures={"text": rule.reason, "adds": rule.adds},
                    )
                )
            continue
        assert rule.points is not None  # noqa: S101  (FitRule: points or adds)
        possible += rule.points
        gained += rule.points * credit
        if credit > 0:
            figures: dict[str, str | int | float | bool | list[str]] = {
                "text": rule.reason,
                "credit": round(credit, 3),
                "points": round(rule.points * credit, 3),
                "of": rule.points,
            }
            if credit < 1 and rule.answer is not None and behind:
                figures["answer"] = behind[0].answer
            reasons.append(Reason(kind="model_rule", rule=where, answers=behind, figures=figures))
    fit = (gained / possible if possible else 0.0) + added
    return round(min(fit, 1.0), 3), reasons, refs


def assess_delivery(profile: Profile, rules: MatchingRules | DeliveryRules) -> DeliveryFit:
    """Fit per delivery model and the silo flag, from the one rule set.

    First each model's fit is worked out without the silo; the silo is then judged (it needs
    its signs, evidence of little sharing, no evidence of sharing, and no recommended model
    that rests on sharing); last the rules on the silo (the way out, a shared platform) apply.
    """
    delivery = rules.delivery if isinstance(rules, MatchingRules) else rules
    first = {
        m.value: _model_points(m.value, r, profile, None)[0] for m, r in delivery.models.items()
    }
    best = min(first, key=lambda m: (-first[m], m)) if first else None
    recommended = best if best is not None and first[best] >= delivery.clear_fit else None
    silo = _silo(profile, delivery, recommended)
    fit: dict[str, float] = {}
    reasons: dict[str, list[Reason]] = {}
    answered: dict[str, int] = {}
    unknown: dict[str, int] = {}
    silo_reason = None
    if silo.flagged:
        silo_reason = Reason(
            kind="silo",
            rule="matching.yaml delivery.silo",
            answers=silo.answers,
            figures={"signs": [s.reason for s in silo.signs + silo.little_sharing]},
        )
    for model, model_rules in delivery.models.items():
        value, why, refs = _model_points(model.value, model_rules, profile, silo.flagged)
        known, dont_know = _basis(refs, profile)
        why.sort(key=lambda r: (r.kind != "model_rule" or "adds" not in r.figures,))
        if not why:
            why.append(Reason(kind="model_nothing"))
        why.append(_basis_reason(known, dont_know, profile, "fit"))
        fit[model.value] = value
        reasons[model.value] = why
        answered[model.value], unknown[model.value] = known, dont_know
    return DeliveryFit(fit, reasons, answered, unknown, silo, silo_reason)


def model_fit(
    profile: Profile, rules: MatchingRules | DeliveryRules
) -> tuple[dict[str, float], dict[str, list[Reason]]]:
    """Fit 0-1 per delivery model and its reasons, from the one rule set (matching.yaml)."""
    found = assess_delivery(profile, rules)
    return found.fit, found.reasons


def silo_warning(found: DeliveryFit) -> str | None:
    """The silo warning in plain words, when the silo is flagged."""
    return say(found.silo_reason) if found.silo_reason is not None else None


def is_silo(profile: Profile, rules: MatchingRules | DeliveryRules) -> bool:
    """Whether the departmental silo is flagged for this profile (the one rule set)."""
    return assess_delivery(profile, rules).silo.flagged


def delivery_model_items(ctx: MatchContext, found: DeliveryFit) -> list[DeliveryModelItem]:
    models = {m.id.value: m for m in ctx.index.kb.delivery_models}
    ranked = sort_ranked([(fit, m) for m, fit in ctx.model_fit.items()], ctx)
    items: list[DeliveryModelItem] = []
    prev: float | None = None
    for fit, mid in ranked:
        model = models.get(mid)
        reasons = list(found.reasons.get(mid, []))
        items.append(
            DeliveryModelItem(
                id=mid,
                name=model.name if model else mid.replace("_", " "),
                score=round(fit, 3),
                why=say_all(reasons),
                reasons=reasons,
                what_it_takes=list(model.what_it_takes) if model else [],
                tie=prev is not None and abs(prev - fit) <= ctx.rules.vendor.near_tie,
                recommended=not items and fit >= ctx.rules.delivery.clear_fit,
                answered=found.answered.get(mid, 0),
                unknown=found.unknown.get(mid, 0),
            )
        )
        prev = fit
    return items


def _barrier_reasons(
    name: str, severity: int, evidence: Evidence | None, profile: Profile
) -> list[Reason]:
    reasons = [
        Reason(
            kind="barrier_severity",
            rule="scoring.yaml severity_thresholds",
            answers=list(evidence.answers) if evidence else [],
            figures={"name": name, "severity": severity, "label": SEVERITY_NAMES[severity]},
        )
    ]
    if evidence is None:
        reasons.append(_basis_reason(0, 0, profile, "severity"))
        return reasons
    if evidence.capped == "one_answer" and evidence.uncapped is not None:
        reasons.append(
            Reason(
                kind="one_answer_cap",
                rule="scoring.yaml unknown.one_answer_severity_cap",
                answers=[a for a in evidence.answers if not a.unknown],
                figures={
                    "was": SEVERITY_NAMES[evidence.uncapped],
                    "now": SEVERITY_NAMES[severity],
                },
            )
        )
    raising = [a for a in evidence.answers if a.question in evidence.raised_by]
    for ref in raising[:3]:
        reasons.append(Reason(kind="answer", answers=[ref]))
    if evidence.by_hand:
        reasons.append(Reason(kind="set_by_hand", figures={"what": "severity"}))
    else:
        reasons.append(_basis_reason(evidence.answered, evidence.unknown, profile, "severity"))
    return reasons


def _mitigation_items(
    ctx: MatchContext, barrier: BarrierId, name: str, sev: int, top_case_studies: list[str]
) -> list[MitigationItem]:
    """The knowledge base's ways past one barrier, ranked for this body, with reasons as data."""
    g = ctx.index.graph
    kb = ctx.index.kb
    gaps = {gap.area: gap for gap in ctx.top_gaps}
    best = ctx.best_model
    scored: list[tuple[float, str]] = []
    detail: dict[str, list[Reason]] = {}
    for mit in kb.mitigations:
        if mit.barrier is not barrier or mit.min_severity > sev:
            continue
        mkey = node_key("mitigation", mit.id)
        where = f"mitigations.yaml {mit.id}"
        score = 0.4
        reasons = [
            Reason(
                kind="mitigation_eases",
                path=[step(g, mkey, "mitigates", node_key("barrier", barrier.value))],
                rule=where,
                figures={"barrier": name, "severity": sev},
            )
        ]
        if best and any(m.value == best for m in mit.delivery_models):
            score += 0.25
            reasons.append(
                Reason(
                    kind="mitigation_fits_model",
                    path=[step(g, mkey, "fits_model", node_key("model", best))],
                    rule=where,
                    figures={"model": label(g, node_key("model", best))},
                )
            )
        shared = [a for a in mit.technology_areas if a in gaps]
        if shared:
            score += 0.2
            reasons.append(
                Reason(
                    kind="mitigation_needs_gap_area",
                    path=[step(g, mkey, "needs_area", node_key("area", shared[0].value))],
                    rule=where,
                    figures={
                        "area": label(g, node_key("area", shared[0].value)),
                        "level": gaps[shared[0]].level,
                    },
                )
            )
        shown = [c for c in mit.case_studies if c in top_case_studies]
        if shown:
            score += 0.15
            reasons.append(
                Reason(
                    kind="mitigation_shown_in_case",
                    path=[step(g, mkey, "shown_in", node_key("case_study", shown[0]))],
                    rule=where,
                    figures={"case": label(g, node_key("case_study", shown[0]))},
                )
            )
        scored.append((score, mit.id))
        detail[mit.id] = reasons
    by_id = {m.id: m for m in kb.mitigations}
    items: list[MitigationItem] = []
    prev: float | None = None
    for score, mid in sort_ranked(scored, ctx):
        mit = by_id[mid]
        reasons = detail[mid]
        items.append(
            MitigationItem(
                id=mid,
                name=mit.name,
                score=round(score, 3),
                why=say_all(reasons),
                reasons=reasons,
                paths=[r.path for r in reasons],
                tie=prev is not None and round(prev, 6) == round(score, 6),
                description=mit.description,
                actions=list(mit.actions),
            )
        )
        prev = score
    return items


def barrier_items(ctx: MatchContext, top_case_studies: list[str]) -> list[BarrierItem]:
    """Barriers by severity, each with the knowledge base's mitigations ranked for this body."""
    kb = ctx.index.kb
    names = {b.id.value: b.name for b in kb.barriers}
    order = list(BarrierId)
    items: list[BarrierItem] = []
    for barrier in sorted(BarrierId, key=lambda b: (-ctx.severity(b), order.index(b))):
        sev = ctx.severity(barrier)
        evidence = ctx.profile.evidence.get(f"barriers.{barrier.value}")
        name = names.get(barrier.value, barrier.value)
        reasons = _barrier_reasons(name, sev, evidence, ctx.profile)
        mitigations = _mitigation_items(ctx, barrier, name, sev, top_case_studies) if sev else []
        items.append(
            BarrierItem(
                id=barrier.value,
                name=name,
                score=round(sev / 4, 3),
                severity=sev,
                why=say_all(reasons),
                reasons=reasons,
                mitigations=mitigations,
                answered=evidence.answered if evidence else 0,
                unknown=evidence.unknown if evidence else 0,
            )
        )
    return items
