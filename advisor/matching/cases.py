"""Case studies ranked by similarity to the body, and the peer bodies behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

from advisor.kb.graph import node_key
from advisor.kb.models import CaseStudy
from advisor.matching.context import MatchContext, sort_ranked
from advisor.matching.explain import step, walk_text
from advisor.recommendation import CaseStudyItem, PathStep, PeerItem
from advisor.vocabulary import Sector


@dataclass
class Similarity:
    score: float
    why: list[str] = field(default_factory=list)
    paths: list[list[PathStep]] = field(default_factory=list)


def case_similarity(ctx: MatchContext, cs: CaseStudy, explain: bool) -> Similarity:
    """Similarity 0-1 of a case study to the body: model, gaps, goals, barriers, kind, data use."""
    w = ctx.rules.case_study.weights
    g = ctx.index.graph
    ckey = node_key("case_study", cs.id)
    sim = Similarity(0.0)
    total_w = w.model + w.gaps + w.goals + w.barriers + w.kind_of_body + w.data_use + w.region
    max_fit = ctx.max_fit
    parts = 0.0

    fits = [(ctx.model_fit.get(m.value, 0.0), m.value) for m in cs.delivery_models]
    if fits:
        fit, model = max(fits)
        if fit > 0:
            parts += w.model * fit / max_fit
            if explain:
                p = [step(g, ckey, "fits_model", node_key("model", model))]
                sim.paths.append(p)
                sim.why.append(walk_text(g, p) + f" (your fit {fit:.2f})")
    top = ctx.top_gaps
    top_total = ctx.top_total
    shared = [gap for gap in top if gap.area in cs.technology_areas]
    if shared:
        parts += w.gaps * min(1.0, sum(gap.priority for gap in shared) / top_total)
        if explain:
            for gap in shared[:2]:
                p = [step(g, ckey, "covers_area", node_key("area", gap.area.value))]
                sim.paths.append(p)
                sim.why.append(walk_text(g, p) + f" (your gap, level {gap.level})")
    targets = ctx.goal_targets()
    goal_tps = ctx.goal_touchpoints()
    hit_tps = [t for t in cs.touchpoints if t in goal_tps]
    hit_opps = [o for o in cs.opportunities if ("opportunity", o) in targets]
    direct = ("case_study", cs.id) in targets
    if direct or hit_tps or hit_opps:
        parts += w.goals
        if explain:
            if direct:
                sim.why.append("named by one of your goals")
            for t in hit_tps[:2]:
                p = [step(g, ckey, "involves_touchpoint", node_key("touchpoint", t))]
                sim.paths.append(p)
                sim.why.append(walk_text(g, p) + " (in your goals)")
            for o in hit_opps[:1]:
                p = [step(g, ckey, "realises", node_key("opportunity", o))]
                sim.paths.append(p)
                sim.why.append(walk_text(g, p) + " (in your goals)")
    total_sev = ctx.total_severity()
    if total_sev and cs.barriers_overcome:
        sev = sum(ctx.severity(b) for b in cs.barriers_overcome)
        if sev:
            parts += w.barriers * min(1.0, sev / total_sev * 2)
            if explain:
                worst = max(cs.barriers_overcome, key=lambda b: ctx.severity(b))
                p = [step(g, ckey, "overcomes_barrier", node_key("barrier", worst.value))]
                sim.paths.append(p)
                sim.why.append(walk_text(g, p) + f" (your severity {ctx.severity(worst)})")
    if cs.kind_of_body is ctx.profile.organisation.kind:
        parts += w.kind_of_body
        if explain:
            sim.why.append(f"same kind of body ({cs.kind_of_body.value.replace('_', ' ')})")
    if cs.data_use is not None and cs.data_use == ctx.profile.factors.data_use.value:
        parts += w.data_use
        if explain:
            verb = "opens its data to others" if cs.data_use == "expose" else "keeps data internal"
            sim.why.append(f"like you, it {verb}")
    region = ctx.profile.organisation.region
    if region and cs.region and cs.region.casefold() == region.casefold():
        parts += w.region
        if explain:
            sim.why.append(f"same region ({cs.region})")
    sim.score = round(parts / total_w, 4) if total_w else 0.0
    return sim


def case_similarities(ctx: MatchContext) -> dict[str, float]:
    """Similarity of every case study (scores only)."""
    return {
        cid: case_similarity(ctx, cs, False).score for cid, cs in ctx.index.case_studies.items()
    }


def case_study_items(ctx: MatchContext, sims: dict[str, float], limit: int) -> list[CaseStudyItem]:
    ranked = sort_ranked([(s, cid) for cid, s in sims.items() if s > 0], ctx)[:limit]
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
                why=sim.why,
                paths=sim.paths,
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
        p = [step(g, node_key("body", ref), role, node_key("case_study", cid))]
        why = [walk_text(g, p) + f" (similarity {sims[cid]:.2f})"]
        if body.kind is ctx.profile.organisation.kind:
            why.append(f"same kind of body ({body.kind.value.replace('_', ' ')})")
        if body.region and body.region == ctx.profile.organisation.region:
            why.append(f"in your region ({body.region})")
        if ctx.best_model == "outreach":
            why.append("a possible partner for extending your service to other bodies")
        items.append(
            PeerItem(
                id=ref,
                name=body.name,
                score=round(value, 3),
                why=why,
                paths=[p],
                kind=body.kind.value,
                region=body.region,
                case_studies=[ctx.index.case_studies[cid].name],
            )
        )
    return items
