"""A staged roadmap that builds one reusable horizontal platform step by step (report s9).

Every action is data (a ``Reason`` of a roadmap kind: what to do, with the names it needs);
``advisor.explaining`` words it. When the advice rests on too few answers, the first stage is
finding out, before anything is bought.
"""

from __future__ import annotations

from advisor.explaining import say_all
from advisor.matching.context import MatchContext
from advisor.recommendation import (
    BarrierItem,
    CaseStudyItem,
    Confidence,
    GapItem,
    PeerItem,
    ProcurementItem,
    Reason,
    RoadmapStage,
    VendorItem,
)
from advisor.vocabulary import LayerId

FOUNDATION_LAYERS = {LayerId.infrastructure, LayerId.data}
FIND_OUT_FIRST = 5
"""Questions to find out in the first stage when confidence is low (3 otherwise)."""


def _vendor_for(area: str, vendors: list[VendorItem], ctx: MatchContext) -> str | None:
    for item in vendors:
        vendor = ctx.index.vendors.get(item.id)
        if vendor and any(
            any(a.value == area for a in o.technology_areas) for o in vendor.offerings
        ):
            return item.name
    return None


def find_out_steps(ctx: MatchContext, limit: int) -> list[Reason]:
    """Questions answered "don't know", as things to find out (the body's own words)."""
    unknown = [a for a in ctx.profile.answer_refs.values() if a.unknown]
    if unknown:
        return [
            Reason(kind="find_out", answers=[a], figures={"question": a.text}) for a in unknown
        ][:limit]
    # a profile written by hand carries its find-outs as the consultant wrote them
    return [Reason(kind="find_out", figures={"question": q}) for q in ctx.profile.find_out[:limit]]


def _stage(
    sid: str, name: str, months: str, steps: list[Reason], why: list[Reason]
) -> RoadmapStage:
    return RoadmapStage(
        id=sid,
        name=name,
        months=months,
        actions=say_all(steps),
        steps=steps,
        why=say_all(why),
        reasons=why,
    )


def roadmap(
    ctx: MatchContext,
    gaps: list[GapItem],
    barriers: list[BarrierItem],
    vendors: list[VendorItem],
    cases: list[CaseStudyItem],
    peers: list[PeerItem],
    routes: list[ProcurementItem],
    confidence: Confidence | None = None,
) -> list[RoadmapStage]:
    """Three stages: prepare (0-3 months), build the shared platform (3-12), reuse (12-24)."""
    horizontal = next(
        (r for r in ctx.index.kb.recommendations if "horizontal" in r.text.casefold()), None
    )
    platform_why = (
        Reason(kind="report_recommendation", figures={"title": horizontal.title})
        if horizontal
        else Reason(kind="platform_reuse_pays")
    )
    low = confidence is not None and confidence.level == "low"
    prepare: list[Reason] = []
    if low:
        prepare += find_out_steps(ctx, FIND_OUT_FIRST)
        prepare.append(Reason(kind="reassess_when_known"))
    for b in barriers:
        if b.severity >= 3 and b.mitigations:
            mit = b.mitigations[0]
            prepare.append(
                Reason(
                    kind="ease_barrier",
                    figures={"barrier": b.name, "mitigation": mit.name},
                    rule=f"mitigations.yaml {mit.id}",
                )
            )
    if not low:
        prepare += find_out_steps(ctx, 3)
    if ctx.profile.constraints.budget_gbp is None and not ctx.profile.answer_refs:
        # from answers, an unknown budget is already a question to find out
        prepare.append(Reason(kind="estimate_spend"))
    if peers:
        prepare.append(Reason(kind="talk_to_peers", figures={"peers": [p.name for p in peers[:2]]}))
    if cases:
        prepare.append(Reason(kind="review_case", figures={"case": cases[0].name}))
    if routes and not low:
        prepare.append(Reason(kind="agree_route", figures={"route": routes[0].name}))
    if not prepare:
        prepare.append(Reason(kind="confirm_goals"))

    area_layers = {a.id.value: set(a.layers) for a in ctx.index.kb.technology_areas}
    foundation = [g for g in gaps if area_layers.get(g.id, set()) & FOUNDATION_LAYERS][:3]
    later = [g for g in gaps if g not in foundation][:3]
    build: list[Reason] = []
    for g in foundation:
        figures: dict[str, str | int | float | bool | list[str]] = {
            "area": g.name,
            "level": min(g.level + 1, 5),
        }
        if g.next_level:
            figures["looks_like"] = g.next_level
        vendor = _vendor_for(g.id, vendors, ctx)
        if vendor:
            figures["vendor"] = vendor
        build.append(Reason(kind="raise_area", figures=figures))
    goals = ctx.profile.goals[:1]
    if goals:
        # a goal given as a knowledge-base id reads better by its name
        build.append(
            Reason(kind="first_service", figures={"goal": ctx.named_entry(goals[0]) or goals[0]})
        )
    else:
        build.append(Reason(kind="first_service"))

    extend: list[Reason] = []
    for g in later:
        figures = {"area": g.name, "level": min(g.level + 1, 5)}
        vendor = _vendor_for(g.id, vendors, ctx)
        if vendor:
            figures["vendor"] = vendor
        extend.append(Reason(kind="raise_area", figures=figures))
    extend.append(Reason(kind="reuse_platform"))
    if ctx.best_model == "outreach" or ctx.profile.factors.data_use.value == "expose":
        extend.append(Reason(kind="open_platform"))
    extend.append(Reason(kind="reassess"))
    return [
        _stage(
            "prepare",
            "Find out first" if low else "Prepare",
            "0-3 months",
            prepare,
            [Reason(kind="find_out_first" if low else "clear_barriers_first")],
        ),
        _stage(
            "build_platform",
            "Build the shared platform",
            "3-12 months",
            build,
            [Reason(kind="foundation_first"), platform_why],
        ),
        _stage(
            "reuse_extend",
            "Reuse and extend",
            "12-24 months",
            extend,
            [Reason(kind="reuse_not_rebuild"), platform_why],
        ),
    ]
