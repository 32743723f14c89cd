"""Procurement routes for a profile, from the dated rules in ``procurement_routes.yaml``.

How a route is chosen (docs/method.md, "Procurement routes"):

1. Only routes in force on the day of the assessment, for this kind of buyer, and not
   superseded (a route whose successor has started, or whose successor is not on file) are
   considered.
2. The buyer's threshold is the floor of the open procedure in force that day (from 1
   January 2026: £207,720 for councils and other sub-central bodies, £135,018 for central
   government). A likely spend at or above it gets the Procurement Act procedures (open or
   competitive flexible) and framework call-offs; below it, the below-threshold routes and
   framework call-offs. Each route's own value range must also hold the spend.
3. With no budget, no above-threshold procedure is recommended: only routes that hold
   whatever the spend (framework call-offs) and the below-threshold routes, each with a
   reason saying that the likely spend must be found out first.
4. A need that outlasts a route's longest call-off is not sent to that route
   (``likely_term``).

Every reason is a ``Reason`` (data); ``advisor.explaining`` words them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from advisor.explaining import say_all
from advisor.kb.graph import FRAMEWORK_NAMES, label, node_key
from advisor.kb.models import ProcurementRoute
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step
from advisor.recommendation import PathStep, ProcurementItem, Reason, VendorItem
from advisor.vocabulary import DeliveryModelId, OrgKind, Scope

CENTRAL_KINDS = {OrgKind.central_government, OrgKind.agency}
PROCEDURES = {"open_procedure", "competitive_flexible_procedure"}
"""Route kinds that are Procurement Act procedures for contracts at or above the threshold."""
FRAMEWORK_KINDS = {"framework_direct_award", "framework_further_competition"}

LONG_TERM_MONTHS = 60
"""A multi-year partnership: five years."""
SHORT_TERM_MONTHS = 24
"""Any other need: two years."""
LONG_TERM_BUDGET_GBP = 1_000_000
"""From this likely spend a need is taken to be a multi-year partnership."""

RULES_FILE = "procurement_routes.yaml"


def buyer_kind(kind: OrgKind) -> str:
    """'central' for central government and its agencies, else 'sub_central' (councils)."""
    return "central" if kind in CENTRAL_KINDS else "sub_central"


def route_in_force(route: ProcurementRoute, today: date) -> bool:
    return route.valid_from <= today <= route.valid_until


def route_superseded(
    route: ProcurementRoute, routes: dict[str, ProcurementRoute], today: date
) -> bool:
    """True once the route's successor has started; always when the successor is not on file."""
    if route.superseded_by is None:
        return False
    successor = routes.get(route.superseded_by)
    return successor is None or successor.valid_from <= today


def route_offerable(
    route: ProcurementRoute, routes: dict[str, ProcurementRoute], today: date
) -> bool:
    """In force today and not superseded: the only routes the advisor may offer."""
    return route_in_force(route, today) and not route_superseded(route, routes, today)


def national_threshold(routes: list[ProcurementRoute], buyer: str, today: date) -> int | None:
    """The value from which the full procedures apply to this buyer (the open procedure's floor)."""
    floors = [
        r.min_value_gbp
        for r in routes
        if r.kind == "open_procedure" and buyer in r.buyers and route_in_force(r, today)
    ]
    return min(floors) if floors else None


@dataclass(frozen=True)
class LikelyTerm:
    months: int
    basis: str
    """What the term rests on: 'strategic_platform', 'large_budget' or 'default'."""


def likely_term(ctx: MatchContext) -> LikelyTerm:
    """How long the need is likely to run, in months, from the profile.

    A strategic scope whose best-fitting delivery model is the strategic platform, or a likely
    spend of £1m or more, means a multi-year partnership: 60 months. Anything else is taken to
    run 24 months. Routes whose longest call-off is shorter than this are not offered.
    """
    profile = ctx.profile
    if (
        profile.factors.scope == Scope.strategic
        and ctx.best_model == DeliveryModelId.strategic_platform.value
    ):
        return LikelyTerm(LONG_TERM_MONTHS, "strategic_platform")
    budget = profile.constraints.budget_gbp
    if budget is not None and budget >= LONG_TERM_BUDGET_GBP:
        return LikelyTerm(LONG_TERM_MONTHS, "large_budget")
    return LikelyTerm(SHORT_TERM_MONTHS, "default")


def _holds_budget(route: ProcurementRoute, budget: int) -> bool:
    return route.min_value_gbp <= budget and (
        route.max_value_gbp is None or budget <= route.max_value_gbp
    )


def _fits_spend(route: ProcurementRoute, budget: int | None, threshold: int | None) -> bool:
    """The spend side of the choice: threshold first, then the route's own value range."""
    if budget is None:
        return route.kind not in PROCEDURES
    if threshold is not None:
        if route.kind in PROCEDURES and budget < threshold:
            return False
        if route.kind == "below_threshold" and budget >= threshold:
            return False
    return _holds_budget(route, budget)


def _rule_ref(route: ProcurementRoute) -> str:
    return f"{RULES_FILE}#{route.id}"


def _spend_reasons(
    route: ProcurementRoute, budget: int | None, threshold: int | None, buyer: str
) -> list[Reason]:
    figures: dict[str, str | int | float | bool | list[str]] = {"buyer": buyer}
    if threshold is not None:
        figures["threshold"] = threshold
    if budget is None:
        out = [Reason(kind="spend_unknown", rule=_rule_ref(route), figures=figures)]
        if route.kind == "below_threshold":
            span: dict[str, str | int | float | bool | list[str]] = {"min": route.min_value_gbp}
            if route.max_value_gbp is not None:
                span["max"] = route.max_value_gbp
            out.append(Reason(kind="spend_range", rule=_rule_ref(route), figures=span))
        return out
    if threshold is None or route.kind in FRAMEWORK_KINDS:
        return []
    figures["budget"] = budget
    kind = "above_threshold" if budget >= threshold else "below_threshold"
    return [Reason(kind=kind, rule=_rule_ref(route), figures=figures)]


def _procedure_reason(route: ProcurementRoute, ctx: MatchContext) -> tuple[float, list[Reason]]:
    """Which of the two procedures suits the need: a complex or new one, or a standard one."""
    factors = ctx.profile.factors
    complex_need = factors.scope == Scope.strategic or factors.service_innovation.value == "new"
    if route.kind == "competitive_flexible_procedure" and complex_need:
        basis = "strategic" if factors.scope == Scope.strategic else "new"
        return 0.1, [
            Reason(kind="procedure_fits_need", figures={"procedure": "flexible", "basis": basis})
        ]
    if route.kind == "open_procedure" and not complex_need:
        return 0.1, [
            Reason(kind="procedure_fits_need", figures={"procedure": "open", "basis": "standard"})
        ]
    return 0.0, []


def _term_reasons(route: ProcurementRoute, term: LikelyTerm) -> list[Reason]:
    if route.kind not in FRAMEWORK_KINDS:
        return []
    figures: dict[str, str | int | float | bool | list[str]] = {
        "need": term.months,
        "basis": term.basis,
        "long_budget": LONG_TERM_BUDGET_GBP,
    }
    if route.max_term_months is not None:
        figures["max"] = route.max_term_months
        return [Reason(kind="term_fits", rule=_rule_ref(route), figures=figures)]
    if term.months > SHORT_TERM_MONTHS:
        return [Reason(kind="term_unstated", rule=_rule_ref(route), figures=figures)]
    return []


def procurement_items(
    ctx: MatchContext, vendors: list[VendorItem], today: date
) -> list[ProcurementItem]:
    """Routes to buy through, best first: in force, not superseded, fitting spend and term."""
    g = ctx.index.graph
    buyer = buyer_kind(ctx.profile.organisation.kind)
    budget = ctx.profile.constraints.budget_gbp
    top_areas = {gap.area for gap in ctx.top_gaps}
    top_priority = {gap.area: gap.priority for gap in ctx.top_gaps}
    shortlisted = [ctx.index.vendors[v.id] for v in vendors if v.id in ctx.index.vendors]
    routes = {r.id: r for r in ctx.index.kb.procurement_routes}
    threshold = national_threshold(list(routes.values()), buyer, today)
    term = likely_term(ctx)
    scored: list[tuple[float, str]] = []
    detail: dict[str, tuple[list[Reason], list[list[PathStep]]]] = {}
    too_short: dict[int, list[str]] = {}
    for r in routes.values():
        if buyer not in r.buyers or not route_offerable(r, routes, today):
            continue
        if not _fits_spend(r, budget, threshold):
            continue
        if r.max_term_months is not None and r.max_term_months < term.months:
            too_short.setdefault(r.max_term_months, []).append(r.name)
            continue
        score = 0.5 if budget is not None else (0.4 if r.kind in FRAMEWORK_KINDS else 0.3)
        until = {"until": r.valid_until.isoformat(), "review": r.review_date}
        reasons = [
            Reason(kind="route_rule", rule=_rule_ref(r), figures={"text": r.rule}),
            Reason(kind="route_in_force", rule=_rule_ref(r), figures=until),
            *_spend_reasons(r, budget, threshold, buyer),
        ]
        paths: list[list[PathStep]] = []
        bonus, fit = _procedure_reason(r, ctx)
        score += bonus
        reasons.extend(fit)
        if r.framework is not None and shortlisted:
            on = [v for v in shortlisted if r.framework in v.frameworks]
            score += 0.3 * len(on) / len(shortlisted)
            fname = FRAMEWORK_NAMES[r.framework]
            if on:
                fkey = node_key("framework", r.framework.value)
                p = [
                    step(g, node_key("route", r.id), "uses_framework", fkey),
                    step(g, node_key("vendor", on[0].id), "on_framework", fkey),
                ]
                paths.append(p)
                figures: dict[str, str | int | float | bool | list[str]] = {
                    "on": len(on),
                    "of": len(shortlisted),
                    "framework": fname,
                    "vendors": [v.name for v in on[:3]],
                }
                reasons.append(Reason(kind="vendors_on_framework", path=p, figures=figures))
            else:
                reasons.append(
                    Reason(kind="vendors_not_on_framework", figures={"framework": fname})
                )
        suits = [a for a in r.technology_areas if a in top_areas]
        if suits or not r.technology_areas:
            # a route for some areas counts by the share of the top gaps' priority it suits
            score += 0.2 * (
                sum(top_priority[a] for a in suits) / (sum(top_priority.values()) or 1.0)
                if r.technology_areas
                else 1.0
            )
            if suits:
                akey = node_key("area", suits[0].value)
                p = [step(g, node_key("route", r.id), "suits_area", akey)]
                paths.append(p)
                reasons.append(
                    Reason(kind="route_suits_gap", path=p, figures={"area": label(g, akey)})
                )
        reasons.extend(_term_reasons(r, term))
        scored.append((score, r.id))
        detail[r.id] = (reasons, paths)
    items: list[ProcurementItem] = []
    for score, rid in sort_ranked(scored, ctx):
        r = routes[rid]
        reasons, paths = detail[rid]
        if items:  # an unknown spend is said once, on the first route
            reasons = [x for x in reasons if x.kind != "spend_unknown"]
        if not items:  # the best route also says which routes the need outlasts
            reasons = reasons + [
                Reason(
                    kind="term_too_short",
                    figures={
                        "routes": names,
                        "max": months,
                        "need": term.months,
                        "basis": term.basis,
                        "long_budget": LONG_TERM_BUDGET_GBP,
                    },
                )
                for months, names in sorted(too_short.items())
            ]
        items.append(
            ProcurementItem(
                id=rid,
                name=r.name,
                score=round(score, 3),
                why=say_all(reasons),
                reasons=reasons,
                paths=paths,
                rule=r.rule,
                threshold=_threshold_text(r, budget, threshold),
                valid_until=r.valid_until.isoformat(),
                source=r.source,
            )
        )
    return items


def _threshold_text(route: ProcurementRoute, budget: int | None, threshold: int | None) -> str:
    """The value range and threshold the route rests on, in words."""
    if route.max_value_gbp is not None:
        span = f"£{route.min_value_gbp:,} to £{route.max_value_gbp:,}"
    elif route.min_value_gbp:
        span = f"£{route.min_value_gbp:,} or more"
    else:
        span = "any value"
    if budget is None:
        text = f"for spend of {span}; no budget was given, so check your likely spend against it"
    else:
        text = f"your likely spend of £{budget:,} lies in this route's range ({span})"
        if threshold is not None:
            side = "at or above" if budget >= threshold else "below"
            text += f"; it is {side} the £{threshold:,} threshold for your kind of body"
    if route.threshold_note:
        text += f". {route.threshold_note}"
    return text
