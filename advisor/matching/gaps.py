"""Priority gaps: low maturity weighed by goals, the best-fit model and urgency rules."""

from __future__ import annotations

from advisor.explaining import say_all
from advisor.kb.graph import label, node_key
from advisor.matching.context import Gap, MatchContext
from advisor.matching.explain import step
from advisor.matching.rules import condition_holds
from advisor.recommendation import GapItem, PathStep, Reason
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


def _area_name(ctx: MatchContext, area: TechnologyAreaId) -> str:
    return label(ctx.index.graph, node_key("area", area.value))


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
        reasons: list[Reason] = []
        worded = ctx.need.areas.get(area.value, 0.0) if ctx.need is not None else 0.0
        if _goal_area_paths(ctx, area):
            priority += rules.gap.goal_boost
        elif worded > 0 and ctx.need is not None:
            priority += rules.gap.goal_boost * worded
            reasons.append(
                Reason(
                    kind="goal_words_area",
                    rule="matching.yaml gap.goal_boost",
                    figures={
                        "goal": ctx.goal_label(ctx.need.area_goal[area.value]),
                        "named": ctx.named_entry(ctx.need.area_goal[area.value]) is not None,
                        "area": _area_name(ctx, area),
                    },
                )
            )
        if best and area in rules.model_areas.get(DeliveryModelId(best), []):
            priority += rules.gap.model_boost * best_fit
            mkey = node_key("model", best)
            reasons.append(
                Reason(
                    kind="model_leans_on_area",
                    rule="matching.yaml model_areas",
                    figures={"model": label(ctx.index.graph, mkey)},
                )
            )
        for i, rule in enumerate(rules.urgency):
            if area in rule.areas and condition_holds(rule.when, ctx.profile, personal):
                priority += rule.boost
                reasons.append(
                    Reason(
                        kind="statement",
                        rule=f"matching.yaml urgency {i + 1}",
                        figures={"text": rule.reason},
                    )
                )
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
        reasons = [Reason(kind="gap_level", figures={"level": gap.level, "level_name": level_name})]
        for goal, path in _goal_area_paths(ctx, gap.area):
            reasons.append(
                Reason(
                    kind="goal_needs_area",
                    path=path,
                    rule="matching.yaml gap.goal_boost",
                    figures={
                        "goal": goal,
                        "named": ctx.named_entry(goal) is not None,
                        "target": label(g, path[0].src),
                        "target_is_case": g.nodes[path[0].src]["kind"] == "case_study",
                        "area": name,
                    },
                )
            )
        reasons += gap.reasons
        next_level = area.levels[gap.level].descriptor if area and gap.level < 5 else None
        items.append(
            GapItem(
                id=gap.area.value,
                name=name,
                score=round(gap.priority, 3),
                level=gap.level,
                next_level=next_level,
                why=say_all(reasons),
                reasons=reasons,
                paths=[r.path for r in reasons if r.path],
            )
        )
    return items
