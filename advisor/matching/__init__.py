"""Matching: a profile against the knowledge graph gives a Recommendation, every item explained.

``match_profile(profile, index)`` is the whole step; ``build_index(kb)`` is done once per
knowledge-base revision. The method is described in ``docs/method.md``.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from advisor.explaining import say_all
from advisor.kb.market_rules import MarketRules, bundled_market_rules
from advisor.matching.cases import case_similarities, case_study_items, peer_items
from advisor.matching.confidence import affordability, assess_confidence
from advisor.matching.context import MatchContext
from advisor.matching.delivery import (
    assess_delivery,
    barrier_items,
    delivery_model_items,
    silo_warning,
)
from advisor.matching.gaps import compute_gaps, gap_items
from advisor.matching.goals import GoalHit
from advisor.matching.index import MatchIndex, build_index
from advisor.matching.market import market_evidence
from advisor.matching.need import need_index, need_scores
from advisor.matching.procurement import procurement_items
from advisor.matching.roadmap import find_out_steps, roadmap
from advisor.matching.rules import MatchingRules, load_matching_rules
from advisor.matching.vendors import collect_candidates, vendor_arrays, vendor_items
from advisor.profile import Profile
from advisor.recommendation import GoalMatch, MaturityResult, RankedItem, Reason, Recommendation
from advisor.vocabulary import TechnologyAreaId

__all__ = [
    "MatchIndex",
    "MatchingRules",
    "build_index",
    "load_matching_rules",
    "match",
    "match_profile",
    "prepare_index",
]


def _maturity(profile: Profile, index: MatchIndex) -> MaturityResult:
    areas = {a.value: profile.maturity.get(a) for a in TechnologyAreaId}
    names: dict[str, str] = {}
    nxt: dict[str, str] = {}
    for aid, level in areas.items():
        area = index.areas.get(aid)
        if area is None:
            continue
        names[aid] = area.levels[level - 1].name
        if level < 5:
            nxt[aid] = area.levels[level].descriptor
    return MaturityResult.model_validate(
        {**areas, "overall": profile.overall_maturity(), "level_names": names, "next_level": nxt}
    )


def _goal_hits(
    profile: Profile, index: MatchIndex, rules: MatchingRules
) -> dict[str, list[GoalHit]]:
    matcher = index.goal_matcher
    if matcher is None:
        return {}
    return {
        goal: matcher.match(goal, rules.goals.min_similarity, rules.goals.max_matches)
        for goal in profile.goals
    }


def prepare_index(index: MatchIndex) -> None:
    """Build now what matching would otherwise build on first use (the flat vendor arrays and
    the need's text vectors), e.g. before the index is kept on disk."""
    vendor_arrays(index)
    need_index(index)


def match_profile(
    profile: Profile,
    index: MatchIndex,
    rules: MatchingRules | None = None,
    today: date | None = None,
    shortlist: int | None = None,
    market: MarketRules | None = None,
) -> Recommendation:
    """Match a profile to the knowledge graph. Deterministic for the same inputs and date.

    ``market`` is the knowledge base's market rules (the bundled ones when not given).
    """
    rules = rules or load_matching_rules()
    today = today or date.today()
    delivery = assess_delivery(profile, rules)
    fit = delivery.fit
    ctx = MatchContext(
        profile=profile,
        index=index,
        rules=rules,
        goal_hits=_goal_hits(profile, index, rules),
        model_fit=fit,
    )
    ctx.need = need_scores(ctx)
    ctx.gaps = compute_gaps(ctx)
    gaps = gap_items(ctx)
    sims = case_similarities(ctx)
    cases = case_study_items(ctx, sims, rules.case_study.limit)
    peers = peer_items(ctx, sims, rules.peers.limit)
    candidates = collect_candidates(ctx, sims)
    vendors, near_misses, sensitivity = vendor_items(
        ctx, candidates, shortlist or rules.vendor.shortlist
    )
    barriers = barrier_items(ctx, [c.id for c in cases])
    routes = procurement_items(ctx, vendors, today)
    goals = [
        GoalMatch(
            goal=goal,
            matches=[
                RankedItem(
                    id=f"{h.target.kind}:{h.target.id}",
                    name=h.target.name,
                    score=h.similarity,
                    why=say_all([_goal_reason(h)]),
                    reasons=[_goal_reason(h)],
                )
                for h in hits
            ],
            named=ctx.named_entry(goal) is not None,
        )
        for goal, hits in ctx.goal_hits.items()
    ]
    market_seen = market_evidence(ctx, vendors, today, market or bundled_market_rules())
    confidence = assess_confidence(ctx)
    confidence.why = say_all(confidence.reasons)
    models = delivery_model_items(ctx, delivery)
    cautions = affordability(ctx, models)
    return Recommendation(
        profile=profile,
        maturity=_maturity(profile, index),
        delivery_models=models,
        silo_warning=silo_warning(delivery),
        gaps=gaps,
        barriers=barriers,
        vendors=vendors,
        near_misses=near_misses,
        case_studies=cases,
        peers=peers,
        procurement_routes=routes,
        roadmap=roadmap(ctx, gaps, barriers, vendors, cases, peers, routes, confidence),
        goals=goals,
        sensitivity=sensitivity,
        find_out=say_all(find_out_steps(ctx, len(profile.answer_refs) + len(profile.find_out))),
        confidence=confidence,
        cautions=cautions,
        cautions_said=say_all(cautions),
        market=market_seen,
        generated_on=today.isoformat(),
    )


def _goal_reason(hit: GoalHit) -> Reason:
    if hit.exact:
        return Reason(kind="goal_names_entry", figures={"entry": hit.target.name})
    return Reason(
        kind="goal_like_entry",
        figures={"entry": hit.target.name, "likeness": hit.similarity},
    )


def match(profile: Profile, graph: nx.MultiDiGraph, **kwargs: object) -> Recommendation:
    """``match(profile, graph)``: the graph must come from ``build_graph`` (it keeps its index)."""
    index = graph.graph.get("match_index")
    if not isinstance(index, MatchIndex):
        kb = graph.graph.get("kb")
        if kb is None:
            raise ValueError("graph has no knowledge base attached; use build_index(kb)")
        index = build_index(kb, graph)
        graph.graph["match_index"] = index
    return match_profile(profile, index, **kwargs)  # type: ignore[arg-type]
