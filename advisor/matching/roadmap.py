"""A staged roadmap that builds one reusable horizontal platform step by step (report s9)."""

from __future__ import annotations

from advisor.matching.context import MatchContext
from advisor.recommendation import (
    BarrierItem,
    CaseStudyItem,
    GapItem,
    PeerItem,
    ProcurementItem,
    RoadmapStage,
    VendorItem,
)
from advisor.vocabulary import LayerId
from advisor.wording import lower_first

FOUNDATION_LAYERS = {LayerId.infrastructure, LayerId.data}


def _vendor_for(area: str, vendors: list[VendorItem], ctx: MatchContext) -> str | None:
    for item in vendors:
        vendor = ctx.index.vendors.get(item.id)
        if vendor and any(
            any(a.value == area for a in o.technology_areas) for o in vendor.offerings
        ):
            return item.name
    return None


def roadmap(
    ctx: MatchContext,
    gaps: list[GapItem],
    barriers: list[BarrierItem],
    vendors: list[VendorItem],
    cases: list[CaseStudyItem],
    peers: list[PeerItem],
    routes: list[ProcurementItem],
) -> list[RoadmapStage]:
    """Three stages: prepare (0-3 months), build the shared platform (3-12), reuse (12-24)."""
    horizontal = next(
        (r for r in ctx.index.kb.recommendations if "horizontal" in r.text.casefold()), None
    )
    platform_why = (
        [f"{horizontal.title} (report recommendation)"]
        if horizontal
        else ["reusable horizontal platforms let later services start faster"]
    )
    prepare: list[str] = []
    for b in barriers:
        if b.severity >= 3 and b.mitigations:
            ease = lower_first(b.mitigations[0].name)
            prepare.append(f"Ease the {lower_first(b.name)} barrier: {ease}")
    prepare += [
        q if q.startswith("Find out") else f"Find out: {q}" for q in ctx.profile.find_out[:3]
    ]
    if peers:
        prepare.append(f"Talk to {', '.join(p.name for p in peers[:2])} about what they learned")
    if cases:
        prepare.append(f"Review the case study '{cases[0].name}' with your team")
    if routes:
        prepare.append(f"Agree the buying route: {routes[0].name}")
    if not prepare:
        prepare.append("Confirm the goals and owners of the first service")

    area_layers = {a.id.value: set(a.layers) for a in ctx.index.kb.technology_areas}
    foundation = [g for g in gaps if area_layers.get(g.id, set()) & FOUNDATION_LAYERS][:3]
    later = [g for g in gaps if g not in foundation][:3]
    build: list[str] = []
    for g in foundation:
        vendor = _vendor_for(g.id, vendors, ctx)
        target = f"level {min(g.level + 1, 5)}"
        if g.next_level:
            target += f" ({lower_first(g.next_level).rstrip('.')})"
        build.append(
            f"Raise {lower_first(g.name)} to {target}"
            + (f", for example with {vendor}" if vendor else "")
        )
    goals = ctx.profile.goals[:1]
    if goals:
        # a goal given as a knowledge-base id reads better by its name
        first = ctx.named_entry(goals[0]) or goals[0]
        build.append(f"Launch a first service on the shared platform: {first}")
    else:
        build.append("Launch a first service on the shared platform")

    extend: list[str] = []
    for g in later:
        vendor = _vendor_for(g.id, vendors, ctx)
        extend.append(
            f"Raise {lower_first(g.name)} to level {min(g.level + 1, 5)}"
            + (f" with {vendor}" if vendor else "")
        )
    extend.append("Reuse the platform and its data for a second and third service or department")
    if ctx.best_model == "outreach" or ctx.profile.factors.data_use.value == "expose":
        extend.append("Open the platform to neighbouring bodies and businesses")
    extend.append("Run the assessment again and compare with this one")
    return [
        RoadmapStage(
            id="prepare",
            name="Prepare",
            months="0-3 months",
            actions=prepare,
            why=["clear the worst barriers and unknowns before spending on technology"],
        ),
        RoadmapStage(
            id="build_platform",
            name="Build the shared platform",
            months="3-12 months",
            actions=build,
            why=[
                "start with the infrastructure and data layers every later service reuses",
                *platform_why,
            ],
        ),
        RoadmapStage(
            id="reuse_extend",
            name="Reuse and extend",
            months="12-24 months",
            actions=extend,
            why=[
                "each new service reuses the platform rather than building its own stack",
                *platform_why,
            ],
        ),
    ]
