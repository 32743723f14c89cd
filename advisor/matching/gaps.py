"""Priority gaps: low maturity weighed by goals, the best-fit model and urgency rules."""

from __future__ import annotations

from advisor.kb.graph import node_key
from advisor.matching.context import Gap, MatchContext
from advisor.matching.explain import step, walk_text
from advisor.matching.rules import condition_holds
from advisor.recommendation import GapItem, PathStep
from advisor.vocabulary import DeliveryModelId, TechnologyAreaId


def goal_uses_personal_data(ctx: MatchContext) -> bool:
    """Whether any matched goal involves personal data."""
    for kind, ref in ctx.goal_targets():
        if kind == "touchpoint" and ctx.index.touchpoints[ref].personal_data:
            return True
        if kind == "opportunity" and ctx.index.opportunities[ref].personal_data:
            return True
    return False


def _goal_area_paths(ctx: MatchContext, area: TechnologyAreaId) -> list[tuple[str, list[PathStep]]]:
    g = ctx.index.graph
    akey = node_key("area", area.value)
    out: list[tuple[str, list[PathStep]]] = []
    for goal, hits in ctx.goal_hits.items():
        for hit in hits:
            t = hit.target
            areas: list[TechnologyAreaId]
            if t.kind == "touchpoint":
                areas = ctx.index.touchpoints[t.id].technology_areas
                edge = "needs_area"
            elif t.kind == "opportunity":
                areas = ctx.index.opportunities[t.id].technology_areas
                edge = "needs_area"
            else:
                areas = ctx.index.case_studies[t.id].technology_areas
                edge = "covers_area"
            if area in areas:
                out.append((goal, [step(g, node_key(t.kind, t.id), edge, akey)]))  # type: ignore[arg-type]
    return out


def compute_gaps(ctx: MatchContext) -> list[Gap]:
    """Every area below level 5 with its priority and the reasons for it, best first."""
    rules = ctx.rules
    personal = goal_uses_personal_data(ctx)
    best = ctx.best_model
    best_fit = ctx.model_fit.get(best, 0.0) if best else 0.0
    gaps: list[Gap] = []
    for area in TechnologyAreaId:
        level = ctx.profile.maturity.get(area)
        if level >= 5:
            continue
        priority = rules.gap.level_weight * (5 - level) / 4
        reasons: list[str] = []
        if _goal_area_paths(ctx, area):
            priority += rules.gap.goal_boost
        if best and area in rules.model_areas.get(DeliveryModelId(best), []):
            priority += rules.gap.model_boost * best_fit
            reasons.append(
                f"your best-fit delivery model ({best.replace('_', ' ')}) leans on this area"
            )
        for rule in rules.urgency:
            if area in rule.areas and condition_holds(rule.when, ctx.profile, personal):
                priority += rule.boost
                reasons.append(rule.reason)
        if priority >= rules.gap.min_priority:
            gaps.append(Gap(area=area, level=level, priority=round(priority, 4), reasons=reasons))
    gaps.sort(key=lambda g: (-g.priority, g.level, list(TechnologyAreaId).index(g.area)))
    return gaps


def gap_items(ctx: MatchContext) -> list[GapItem]:
    """The gaps as ranked, explained items."""
    g = ctx.index.graph
    items: list[GapItem] = []
    for gap in ctx.gaps:
        area = ctx.index.areas.get(gap.area.value)
        name = area.name if area else gap.area.value
        level_name = area.levels[gap.level - 1].name if area else str(gap.level)
        why = [f"level {gap.level} of 5 ({level_name})"]
        evidence = ctx.profile.evidence.get(f"maturity.{gap.area.value}")
        if evidence:
            why += [f"held down by: {h}" for h in evidence.holds_down[:3]]
        paths: list[list[PathStep]] = []
        for goal, path in _goal_area_paths(ctx, gap.area):
            paths.append(path)
            # a goal given as an entry's id or name is said by the walk itself
            said = "your goal" if ctx.named_entry(goal) else f"your goal '{goal}'"
            why.append(f"{said}: {walk_text(g, path)}")
        why += gap.reasons
        next_level = area.levels[gap.level].descriptor if area and gap.level < 5 else None
        items.append(
            GapItem(
                id=gap.area.value,
                name=name,
                score=round(gap.priority, 3),
                level=gap.level,
                next_level=next_level,
                why=why,
                paths=paths,
            )
        )
    return items
