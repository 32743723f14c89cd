"""Procurement routes that fit the likely spend, from dated rules; expired rules never offered."""

from __future__ import annotations

from datetime import date

from advisor.kb.graph import FRAMEWORK_NAMES, node_key
from advisor.kb.models import ProcurementRoute
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step, walk_text
from advisor.recommendation import PathStep, ProcurementItem, VendorItem
from advisor.vocabulary import OrgKind

CENTRAL_KINDS = {OrgKind.central_government, OrgKind.agency}


def buyer_kind(kind: OrgKind) -> str:
    """'central' for central government and its agencies, else 'sub_central' (councils)."""
    return "central" if kind in CENTRAL_KINDS else "sub_central"


def route_in_force(route: ProcurementRoute, today: date) -> bool:
    return route.valid_from <= today <= route.valid_until


def national_threshold(routes: list[ProcurementRoute], buyer: str, today: date) -> int | None:
    """The value from which the full procedures apply to this buyer (the open procedure's floor)."""
    floors = [
        r.min_value_gbp
        for r in routes
        if r.kind == "open_procedure" and buyer in r.buyers and route_in_force(r, today)
    ]
    return min(floors) if floors else None


def _threshold_text(route: ProcurementRoute, budget: int | None, threshold: int | None) -> str:
    upper = f"£{route.max_value_gbp:,}" if route.max_value_gbp is not None else "no upper limit"
    span = f"£{route.min_value_gbp:,} to {upper}"
    if budget is None:
        text = f"for spend of {span}; no budget given, so check your likely spend against it"
    else:
        text = f"your likely spend £{budget:,} lies in this route's range ({span})"
        if threshold is not None:
            side = "at or above" if budget >= threshold else "below"
            text += f"; it is {side} the £{threshold:,} procurement threshold for your kind of body"
    if route.threshold_note:
        text += f"; {route.threshold_note}"
    return text


def procurement_items(
    ctx: MatchContext, vendors: list[VendorItem], today: date
) -> list[ProcurementItem]:
    """Routes in force today, for this kind of buyer, whose value range holds the budget."""
    g = ctx.index.graph
    buyer = buyer_kind(ctx.profile.organisation.kind)
    budget = ctx.profile.constraints.budget_gbp
    top_areas = {gap.area for gap in ctx.top_gaps}
    shortlisted = [ctx.index.vendors[v.id] for v in vendors if v.id in ctx.index.vendors]
    scored: list[tuple[float, str]] = []
    detail: dict[str, tuple[list[str], list[list[PathStep]]]] = {}
    routes = {r.id: r for r in ctx.index.kb.procurement_routes}
    threshold = national_threshold(list(routes.values()), buyer, today)
    for r in routes.values():
        if not route_in_force(r, today) or buyer not in r.buyers:
            continue
        if budget is not None and not (
            r.min_value_gbp <= budget and (r.max_value_gbp is None or budget <= r.max_value_gbp)
        ):
            continue
        score = 0.5 if budget is not None else 0.3
        why = [r.rule, f"in force until {r.valid_until.isoformat()}"]
        paths: list[list[PathStep]] = []
        if r.framework is not None and shortlisted:
            on = [v for v in shortlisted if r.framework in v.frameworks]
            share = len(on) / len(shortlisted)
            score += 0.3 * share
            fname = FRAMEWORK_NAMES[r.framework]
            if on:
                rkey = node_key("route", r.id)
                fkey = node_key("framework", r.framework.value)
                p = [
                    step(g, rkey, "uses_framework", fkey),
                    step(g, node_key("vendor", on[0].id), "on_framework", fkey),
                ]
                paths.append(p)
                why.append(
                    f"{len(on)} of your {len(shortlisted)} shortlisted vendors are on {fname}"
                )
                why.append(walk_text(g, p))
            else:
                why.append(f"none of your shortlisted vendors is known to be on {fname}")
        suits = [a for a in r.technology_areas if a in top_areas]
        if suits or not r.technology_areas:
            score += 0.2
            if suits:
                p = [
                    step(g, node_key("route", r.id), "suits_area", node_key("area", suits[0].value))
                ]
                paths.append(p)
                why.append(walk_text(g, p) + " (one of your top gaps)")
        scored.append((score, r.id))
        detail[r.id] = (why, paths)
    items: list[ProcurementItem] = []
    for score, rid in sort_ranked(scored, ctx):
        r = routes[rid]
        why, paths = detail[rid]
        items.append(
            ProcurementItem(
                id=rid,
                name=r.name,
                score=round(score, 3),
                why=why,
                paths=paths,
                rule=r.rule,
                threshold=_threshold_text(r, budget, threshold),
                valid_until=r.valid_until.isoformat(),
                source=r.source,
            )
        )
    return items
