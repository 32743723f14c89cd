"""Delivery models ranked with reasons, the silo warning, and barriers with mitigations."""

from __future__ import annotations

from advisor.kb.graph import node_key
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step, walk_text
from advisor.matching.rules import MatchingRules, condition_holds, describe_condition
from advisor.profile import Profile
from advisor.recommendation import BarrierItem, DeliveryModelItem, PathStep, RankedItem
from advisor.vocabulary import BarrierId, DataUse, DeliveryModelId, Deployment, Scope

SILO_WARNING = (
    "Your answers describe a departmental silo: one department, its own data, little sharing. "
    "The report does not recommend this pattern; the models below show how to share a platform."
)


def model_fit(
    profile: Profile, rules: MatchingRules
) -> tuple[dict[str, float], dict[str, list[str]]]:
    """Fit 0-1 per delivery model: the questionnaire's figures, or the factor rules otherwise."""
    if profile.model_fit:
        return dict(profile.model_fit), {k: list(v) for k, v in profile.model_reasons.items()}
    fit: dict[str, float] = {}
    reasons: dict[str, list[str]] = {}
    for model in DeliveryModelId:
        total = 0.0
        why: list[str] = []
        for rule in rules.model_fit_from_factors.get(model, []):
            if condition_holds(rule, profile, False):
                total += rule.points
                why.append(f"{describe_condition(rule)} (+{rule.points:.2f})")
        fit[model.value] = round(min(total, 1.0), 3)
        reasons[model.value] = why
    return fit, reasons


def is_silo(profile: Profile) -> bool:
    """The answers' own flag, or the factor pattern of a departmental silo."""
    f = profile.factors
    return profile.silo or (
        f.deployment is Deployment.departmental_team
        and f.data_use is DataUse.internal
        and f.scope is Scope.tactical
    )


def delivery_model_items(
    ctx: MatchContext, reasons: dict[str, list[str]]
) -> list[DeliveryModelItem]:
    models = {m.id.value: m for m in ctx.index.kb.delivery_models}
    ranked = sort_ranked([(fit, m) for m, fit in ctx.model_fit.items()], ctx)
    items: list[DeliveryModelItem] = []
    prev: float | None = None
    for fit, mid in ranked:
        model = models.get(mid)
        why = list(reasons.get(mid, [])) or ["no answer points to this model"]
        items.append(
            DeliveryModelItem(
                id=mid,
                name=model.name if model else mid.replace("_", " "),
                score=round(fit, 3),
                why=why,
                what_it_takes=list(model.what_it_takes) if model else [],
                tie=prev is not None and abs(prev - fit) <= ctx.rules.vendor.near_tie,
                recommended=not items and fit >= ctx.rules.delivery.clear_fit,
            )
        )
        prev = fit
    return items


def barrier_items(ctx: MatchContext, top_case_studies: list[str]) -> list[BarrierItem]:
    """Barriers by severity, each with the knowledge base's mitigations ranked for this body."""
    g = ctx.index.graph
    kb = ctx.index.kb
    names = {b.id.value: b.name for b in kb.barriers}
    gap_areas = {gap.area for gap in ctx.top_gaps}
    best = ctx.best_model
    order = list(BarrierId)
    items: list[BarrierItem] = []
    for barrier in sorted(BarrierId, key=lambda b: (-ctx.severity(b), order.index(b))):
        sev = ctx.severity(barrier)
        why = [f"severity {sev} of 4"]
        evidence = ctx.profile.evidence.get(f"barriers.{barrier.value}")
        if evidence:
            why += evidence.sets[:3]
        mitigations: list[RankedItem] = []
        if sev > 0:
            scored: list[tuple[float, str]] = []
            detail: dict[str, tuple[list[str], list[list[PathStep]]]] = {}
            for mit in kb.mitigations:
                if mit.barrier is not barrier or mit.min_severity > sev:
                    continue
                mkey = node_key("mitigation", mit.id)
                score = 0.4
                mwhy = [
                    walk_text(g, [step(g, mkey, "mitigates", node_key("barrier", barrier.value))])
                ]
                mpaths = [[step(g, mkey, "mitigates", node_key("barrier", barrier.value))]]
                if best and any(m.value == best for m in mit.delivery_models):
                    score += 0.25
                    p = [step(g, mkey, "fits_model", node_key("model", best))]
                    mpaths.append(p)
                    mwhy.append(walk_text(g, p) + " (your best-fit model)")
                shared = [a for a in mit.technology_areas if a in gap_areas]
                if shared:
                    score += 0.2
                    p = [step(g, mkey, "needs_area", node_key("area", shared[0].value))]
                    mpaths.append(p)
                    mwhy.append(walk_text(g, p) + " (one of your top gaps)")
                shown = [c for c in mit.case_studies if c in top_case_studies]
                if shown:
                    score += 0.15
                    p = [step(g, mkey, "shown_in", node_key("case_study", shown[0]))]
                    mpaths.append(p)
                    mwhy.append(walk_text(g, p) + " (a case study like yours)")
                scored.append((score, mit.id))
                detail[mit.id] = (mwhy, mpaths)
            by_id = {m.id: m for m in kb.mitigations}
            for score, mid in sort_ranked(scored, ctx):
                mit = by_id[mid]
                mwhy, mpaths = detail[mid]
                mitigations.append(
                    RankedItem(
                        id=mid,
                        name=mit.name,
                        score=round(score, 3),
                        why=[mit.description, *mwhy, *(f"action: {a}" for a in mit.actions)],
                        paths=mpaths,
                    )
                )
        items.append(
            BarrierItem(
                id=barrier.value,
                name=names.get(barrier.value, barrier.value),
                score=round(sev / 4, 3),
                severity=sev,
                why=why,
                mitigations=mitigations,
            )
        )
    return items
