"""Case studies ranked by similarity to the body, and the peer bodies behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.explaining import say_all
from advisor.kb.graph import label, node_key
from advisor.kb.models import CaseStudy
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step
from advisor.matching.need import CaseNeed
from advisor.recommendation import CaseStudyItem, PathStep, PeerItem, Reason
from advisor.vocabulary import ORG_KIND_NAMES, Sector, TechnologyAreaId


@dataclass
class Similarity:
    score: float
    reasons: list[Reason] = field(default_factory=list)
    answers_need: bool = False
    """True when the case answers the body's stated need (named, linked or in its words)."""


def _gap_share(ctx: MatchContext, areas: list[TechnologyAreaId], focus: float) -> float:
    """Share of the top gaps' priority an entry covers, rarer areas counting more, discounted
    by ``(shared / all its areas) ** focus`` so breadth alone does not win."""
    weights = ctx.top_gap_weights
    if not weights or not areas:
        return 0.0
    shared = [weights[a.value] for a in areas if a.value in weights]
    if not shared:
        return 0.0
    share = min(1.0, sum(shared) / ctx.top_gap_weight_total)
    return float(share * (len(shared) / len(set(areas))) ** focus)


def case_similarity(ctx: MatchContext, cs: CaseStudy, explain: bool) -> Similarity:
    """Likeness 0-1 of a case study to the body: need first, then gaps, model, barriers, kind."""
    rules = ctx.rules.case_study
    w = rules.weights
    g = ctx.index.graph
    ckey = node_key("case_study", cs.id)
    sim = Similarity(0.0)
    need = ctx.need.cases.get(cs.id) if ctx.need is not None else None
    stated = ctx.need is not None and ctx.need.stated
    total_w = (
        (w.need if stated else 0.0)
        + w.model
        + w.gaps
        + w.barriers
        + w.kind_of_body
        + w.data_use
        + w.region
    )
    parts = 0.0
    if need is not None and need.relevance > 0:
        parts += w.need * need.relevance
        sim.answers_need = need.relevance >= ctx.rules.need.via_touchpoint * 0.5
        if explain:
            sim.reasons.append(_need_reason(ctx, cs, need))

    max_fit = ctx.max_fit
    fits = [(ctx.model_fit.get(m.value, 0.0), m.value) for m in cs.delivery_models]
    if fits:
        fit, model = max(fits)
        if fit > 0:
            parts += w.model * fit / max_fit
            if explain:
                p = [step(g, ckey, "fits_model", node_key("model", model))]
                sim.reasons.append(
                    Reason(
                        kind="case_fits_model",
                        path=p,
                        rule="matching.yaml case_study.weights.model",
                        figures={"model": label(g, node_key("model", model)), "fit": fit},
                    )
                )
    share = _gap_share(ctx, cs.technology_areas, rules.focus)
    if share:
        parts += w.gaps * share
        if explain:
            for gap in [gap for gap in ctx.top_gaps if gap.area in cs.technology_areas][:2]:
                akey = node_key("area", gap.area.value)
                sim.reasons.append(
                    Reason(
                        kind="case_shares_gap",
                        path=[step(g, ckey, "covers_area", akey)],
                        rule="matching.yaml case_study.weights.gaps",
                        figures={"area": label(g, akey), "level": gap.level},
                    )
                )
    total_sev = ctx.total_severity()
    if total_sev and cs.barriers_overcome:
        sev = sum(ctx.severity(b) for b in cs.barriers_overcome)
        if sev:
            parts += w.barriers * min(1.0, sev / total_sev * 2)
            if explain:
                worst = max(cs.barriers_overcome, key=lambda b: (ctx.severity(b), b.value))
                bkey = node_key("barrier", worst.value)
                sim.reasons.append(
                    Reason(
                        kind="case_overcame_barrier",
                        path=[step(g, ckey, "overcomes_barrier", bkey)],
                        rule="matching.yaml case_study.weights.barriers",
                        figures={"barrier": label(g, bkey), "severity": ctx.severity(worst)},
                    )
                )
    if cs.kind_of_body is ctx.profile.organisation.kind:
        parts += w.kind_of_body
        if explain:
            sim.reasons.append(
                Reason(kind="same_kind", figures={"kind": ORG_KIND_NAMES[cs.kind_of_body]})
            )
    if cs.data_use is not None and cs.data_use == ctx.profile.factors.data_use.value:
        parts += w.data_use
        if explain:
            sim.reasons.append(Reason(kind="same_data_use", figures={"data_use": cs.data_use}))
    region = ctx.profile.organisation.region
    if region and cs.region and cs.region.casefold() == region.casefold():
        parts += w.region
        if explain:
            sim.reasons.append(Reason(kind="same_region", figures={"region": cs.region}))
    if stated:
        # the other likenesses count in full only for a case that answers the stated need
        rel = need.relevance if need is not None else 0.0
        keep = ctx.rules.need.rest_without_need
        need_part = w.need * rel
        parts = need_part + (parts - need_part) * (keep + (1 - keep) * rel)
    sim.score = round(parts / total_w, 4) if total_w else 0.0
    return sim


def _need_reason(ctx: MatchContext, cs: CaseStudy, need: CaseNeed) -> Reason:
    g = ctx.index.graph
    ckey = node_key("case_study", cs.id)
    figures: dict[str, str | int | float | bool | list[str]] = {
        "goal": ctx.goal_label(need.goal),
        "named": ctx.named_entry(need.goal) is not None,
        "via": need.via,
        "relevance": round(need.relevance, 3),
    }
    path: list[PathStep] = []
    if need.via == "touchpoint" and need.target:
        tkey = node_key("touchpoint", need.target)
        path = [step(g, ckey, "involves_touchpoint", tkey)]
        figures["target"] = label(g, tkey)
    elif need.via == "area" and need.target:
        akey = node_key("area", need.target)
        path = [step(g, ckey, "covers_area", akey)]
        figures["target"] = label(g, akey)
    elif need.via == "opportunity" and need.target:
        okey = node_key("opportunity", need.target)
        path = [step(g, ckey, "realises", okey)]
        figures["target"] = label(g, okey)
    return Reason(kind="case_answers_need", path=path, rule="matching.yaml need", figures=figures)


def case_similarities(ctx: MatchContext) -> dict[str, float]:
    """Similarity of every case study (scores only)."""
    return {
        cid: case_similarity(ctx, cs, False).score for cid, cs in ctx.index.case_studies.items()
    }


def case_study_items(ctx: MatchContext, sims: dict[str, float], limit: int) -> list[CaseStudyItem]:
    """The most similar case studies. A case the body's goal names outright comes first:
    region, kind of body or delivery model never push it down."""
    named = {
        cid
        for cid, need in (ctx.need.cases.items() if ctx.need is not None else [])
        if need.via == "named"
    }
    ranked = sort_ranked([(s, cid) for cid, s in sims.items() if s > 0], ctx)
    ranked = ([r for r in ranked if r[1] in named] + [r for r in ranked if r[1] not in named])[
        :limit
    ]
    items: list[CaseStudyItem] = []
    prev: float | None = None
    for score, cid in ranked:
        cs = ctx.index.case_studies[cid]
        sim = case_similarity(ctx, cs, True)
        bodies = [ctx.index.bodies[b].name for b in cs.lead_bodies if b in ctx.index.bodies]
        items.append(
            CaseStudyItem(
                id=cid,
                name=cs.name,
                score=round(score, 3),
                why=say_all(sim.reasons),
                reasons=sim.reasons,
                paths=[r.path for r in sim.reasons if r.path],
                bodies=bodies,
                tie=prev is not None and abs(prev - score) <= ctx.rules.vendor.near_tie,
            )
        )
        prev = score
    return items


def peer_items(ctx: MatchContext, sims: dict[str, float], limit: int) -> list[PeerItem]:
    """Public bodies from similar case studies: people to call, partners for joint work."""
    g = ctx.index.graph
    own = ctx.profile.organisation.name.casefold()
    best: dict[str, tuple[float, str, str]] = {}
    for cid, score in sims.items():
        if score <= 0:
            continue
        cs = ctx.index.case_studies[cid]
        funders = {f for fund in cs.funding for f in fund.funders}
        for role, refs in (("led", cs.lead_bodies), ("partner_in", cs.partners)):
            for ref in refs:
                body = ctx.index.bodies.get(ref)
                # funders pay for work; peers are public bodies who did it
                if body is None or body.sector is not Sector.public or ref in funders:
                    continue
                if body.name.casefold() == own:
                    continue
                value = score * (1.0 if role == "led" else 0.7)
                if body.kind is ctx.profile.organisation.kind:
                    value += 0.05
                region = ctx.profile.organisation.region
                if region and body.region and body.region.casefold() == region.casefold():
                    value += 0.05
                if ref not in best or value > best[ref][0]:
                    best[ref] = (value, cid, role)
    items: list[PeerItem] = []
    for value, ref in sort_ranked([(v[0], k) for k, v in best.items()], ctx)[:limit]:
        _, cid, role = best[ref]
        body = ctx.index.bodies[ref]
        ckey = node_key("case_study", cid)
        p = [step(g, node_key("body", ref), role, ckey)]
        reasons = [
            Reason(
                kind="peer_in_case",
                path=p,
                figures={"case": label(g, ckey), "led": role == "led", "likeness": sims[cid]},
            )
        ]
        if body.kind is ctx.profile.organisation.kind:
            reasons.append(Reason(kind="same_kind", figures={"kind": ORG_KIND_NAMES[body.kind]}))
        if body.region and body.region == ctx.profile.organisation.region:
            reasons.append(Reason(kind="same_region", figures={"region": body.region}))
        if ctx.best_model == "outreach":
            reasons.append(Reason(kind="outreach_partner"))
        items.append(
            PeerItem(
                id=ref,
                name=body.name,
                score=round(value, 3),
                why=say_all(reasons),
                reasons=reasons,
                paths=[p],
                kind=body.kind.value,
                region=body.region,
                case_studies=[ctx.index.case_studies[cid].name],
            )
        )
    return items
