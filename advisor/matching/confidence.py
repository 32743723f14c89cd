"""How much the advice can be trusted, and what the budget can fund.

The advice is only as sure as the answers behind it. ``assess_confidence`` counts the answers
the profile rests on and the "don't know" answers among them, and names the figures (area
levels, barrier severities) that rest on a single answer or none. When most answers are
unknown, or too many key figures rest on one answer, the confidence is low: the roadmap starts
with finding out, and the vendor list is a starting list to explore, not a recommendation.

``affordability`` compares the budget with what the best-fit delivery model usually needs
(``matching.yaml`` ``affordability``) and, where it falls short, says what the budget can fund.
The figures are in ``matching.yaml`` under ``confidence`` and ``affordability``.
"""

from __future__ import annotations

from advisor.matching.context import MatchContext
from advisor.recommendation import Confidence, DeliveryModelItem, Reason
from advisor.vocabulary import AREA_NAMES, BarrierId, TechnologyAreaId
from advisor.wording import lower_first


def assess_confidence(ctx: MatchContext) -> Confidence:
    """The confidence the advice has earned from the answers behind the profile."""
    rules = ctx.rules.confidence
    profile = ctx.profile
    answers = list(profile.answer_refs.values())
    if not answers:
        # a consultant's profile or a what-if: the figures are stated, not derived
        return Confidence(
            level="stated",
            answered=0,
            unknown=0,
            reasons=[Reason(kind="confidence_stated")],
        )
    unknown = sum(1 for a in answers if a.unknown)
    answered = len(answers) - unknown
    thin: list[str] = []
    names: list[str] = []
    for area in TechnologyAreaId:
        ev = profile.evidence.get(f"maturity.{area.value}")
        if ev is not None and not ev.by_hand and ev.answered <= 1:
            thin.append(f"maturity.{area.value}")
            names.append(f"the {lower_first(AREA_NAMES[area])} level")
    barrier_names = {b.id.value: b.name for b in ctx.index.kb.barriers}
    for barrier in BarrierId:
        ev = profile.evidence.get(f"barriers.{barrier.value}")
        if ev is not None and not ev.by_hand and ev.answered <= 1 and ev.unknown:
            thin.append(f"barriers.{barrier.value}")
            names.append(f"the {barrier_names.get(barrier.value, barrier.value).lower()} barrier")
    share = unknown / len(answers)
    reasons = [
        Reason(
            kind="confidence_counts",
            figures={"answered": answered, "unknown": unknown, "share": round(share, 3)},
        )
    ]
    if thin:
        reasons.append(Reason(kind="confidence_thin", figures={"figures": names}))
    if share >= rules.low_unknown_share or len(thin) >= rules.low_thin_figures:
        level = "low"
    elif share >= rules.fair_unknown_share or thin:
        level = "fair"
    else:
        level = "good"
    if level == "low":
        reasons.append(Reason(kind="confidence_low_means", rule="matching.yaml confidence"))
    return Confidence(
        level=level,
        answered=answered,
        unknown=unknown,
        thin=thin,
        reasons=reasons,
        starting_list=level == "low",
    )


def affordability(ctx: MatchContext, models: list[DeliveryModelItem]) -> list[Reason]:
    """Where the budget cannot fund the best-fit model: what it usually needs, and what the
    budget can fund instead (the best-fitting model whose usual minimum it meets)."""
    budget = ctx.profile.constraints.budget_gbp
    if budget is None or not models:
        return []
    minimum = ctx.rules.affordability.usual_minimum_gbp
    best = models[0]
    need = minimum.get(best.id)  # type: ignore[call-overload]
    if need is None or budget >= need:
        return []
    instead = next(
        (m for m in models[1:] if budget >= minimum.get(m.id, 0) and m.score > 0),  # type: ignore[call-overload]
        None,
    )
    figures: dict[str, str | int | float | bool | list[str]] = {
        "model": best.name,
        "budget": budget,
        "usual_minimum": need,
    }
    if instead is not None:
        figures["instead"] = instead.name
    return [
        Reason(
            kind="budget_short_of_model",
            rule="matching.yaml affordability",
            figures=figures,
        )
    ]
