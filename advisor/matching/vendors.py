"""The vendor shortlist: weighted path scoring over the graph, near misses and sensitivity.

Each candidate vendor gets eight components between 0 and 1 (see ``COMPONENTS``); its score
is their weighted sum with the weights in ``matching.yaml``. Hard constraints (frameworks the
body must buy through, budget) turn a candidate into a near miss with a ``why_not``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from advisor.kb.graph import FRAMEWORK_NAMES, node_key
from advisor.kb.models import Offering, Vendor
from advisor.matching.context import MatchContext
from advisor.matching.explain import step, walk_text
from advisor.recommendation import NearMiss, PathStep, Sensitivity, VendorItem
from advisor.vocabulary import BarrierId, FrameworkId

COMPONENTS = (
    "gap_coverage",
    "model_fit",
    "barrier_fit",
    "proven",
    "goal_fit",
    "sme",
    "framework",
    "region",
)
NATIONAL = {"uk", "uk-wide", "united kingdom", "england", "great britain", "national"}


@dataclass
class Candidate:
    vendor: Vendor
    offerings: list[Offering]
    """Offerings that cover at least one top gap."""
    components: dict[str, float] = field(default_factory=dict)
    why_not: list[str] = field(default_factory=list)
    best_case: str | None = None

    @property
    def eligible(self) -> bool:
        return not self.why_not


def _fmt(amount: int) -> str:
    return f"£{amount:,}"


def collect_candidates(ctx: MatchContext, sims: dict[str, float]) -> list[Candidate]:
    """Vendors with an offering covering a top gap, with their components and constraints."""
    idx = ctx.index
    top = ctx.top_gaps
    top_total = sum(g.priority for g in top) or 1.0
    by_vendor: dict[str, list[Offering]] = {}
    for gap in top:
        for vid, off in idx.area_offerings.get(gap.area.value, []):
            offs = by_vendor.setdefault(vid, [])
            if off not in offs:
                offs.append(off)
    constraints = ctx.profile.constraints
    wanted = {FrameworkId(f) for f in constraints.frameworks if f in FrameworkId.__members__}
    budget = constraints.budget_gbp
    max_fit = max(ctx.model_fit.values(), default=0.0) or 1.0
    total_sev = ctx.total_severity()
    targets = ctx.goal_targets()
    goal_tps = ctx.goal_touchpoints()
    region = (ctx.profile.organisation.region or "").casefold()
    out: list[Candidate] = []
    for vid, offerings in by_vendor.items():
        vendor = idx.vendors[vid]
        cand = Candidate(vendor=vendor, offerings=offerings)
        usable = offerings
        if wanted and not (wanted & set(vendor.frameworks)):
            names = ", ".join(FRAMEWORK_NAMES[f] for f in sorted(wanted))
            cand.why_not.append(f"not on {names}, which you buy through")
        if budget is not None:
            usable = [o for o in offerings if o.price_min_gbp is None or o.price_min_gbp <= budget]
            if not usable:
                cheapest = min(o.price_min_gbp or 0 for o in offerings)
                cand.why_not.append(
                    f"its cheapest offering for your gaps starts at {_fmt(cheapest)}, "
                    f"above your budget of {_fmt(budget)}"
                )
                usable = offerings
        covered = {a for o in usable for a in o.technology_areas}
        c = cand.components
        c["gap_coverage"] = min(1.0, sum(g.priority for g in top if g.area in covered) / top_total)
        c["model_fit"] = max(
            (ctx.model_fit.get(m.value, 0.0) / max_fit for o in usable for m in o.delivery_models),
            default=0.0,
        )
        addressed = {b for o in usable for b in o.barriers_addressed}
        c["barrier_fit"] = (
            min(1.0, sum(ctx.severity(b) for b in addressed) / total_sev) if total_sev else 0.0
        )
        cases = idx.vendor_case_studies.get(vid, [])
        if cases:
            best_case = max(cases, key=lambda cid: (sims.get(cid, 0.0), cid))
            c["proven"] = sims.get(best_case, 0.0)
            cand.best_case = best_case if c["proven"] > 0 else None
        else:
            c["proven"] = 0.0
        c["goal_fit"] = (
            1.0
            if any(
                ("case_study", cid) in targets or set(idx.case_studies[cid].touchpoints) & goal_tps
                for cid in cases
            )
            else 0.0
        )
        c["sme"] = 1.0 if vendor.sme and constraints.prefer_sme else 0.0
        c["framework"] = (
            1.0 if (wanted & set(vendor.frameworks)) or (not wanted and vendor.frameworks) else 0.0
        )
        regions = {r.casefold() for r in vendor.regions}
        c["region"] = 1.0 if region and (region in regions or regions & NATIONAL) else 0.0
        out.append(cand)
    return out


def weight_vector(ctx: MatchContext) -> np.ndarray:
    w = ctx.rules.vendor.weights
    return np.array([getattr(w, name) for name in COMPONENTS], dtype=float)


def _top(scores: np.ndarray, ties: list[str], k: int) -> list[int]:
    """Indices of the k best scores, best first; equal scores (6 places) ordered by ``ties``."""
    n = len(scores)
    if n == 0 or k <= 0:
        return []
    if n > k:
        threshold = -np.partition(-scores, k - 1)[k - 1]
        pool = np.flatnonzero(scores >= threshold - 1e-6)
    else:
        pool = np.arange(n)
    ranked = sorted(pool.tolist(), key=lambda i: (-round(float(scores[i]), 6), ties[i]))
    return ranked[:k]


def _explain(ctx: MatchContext, cand: Candidate) -> tuple[list[str], list[list[PathStep]]]:
    g = ctx.index.graph
    v = cand.vendor
    vkey = node_key("vendor", v.id)
    why: list[str] = []
    paths: list[list[PathStep]] = []
    for gap in ctx.top_gaps:
        off = next((o for o in cand.offerings if gap.area in o.technology_areas), None)
        if off is None:
            continue
        okey = node_key("offering", off.id)
        akey = node_key("area", gap.area.value)
        p = [step(g, okey, "covers_area", akey), step(g, vkey, "offers", okey)]
        paths.append(p)
        area_name = (
            ctx.index.areas[gap.area.value].name if gap.area.value in ctx.index.areas else ""
        )
        why.append(walk_text(g, p, f"gap: {area_name or gap.area.value} (level {gap.level})"))
    best = ctx.best_model
    if best and cand.components["model_fit"] > 0:
        off = next(
            (o for o in cand.offerings if any(m.value == best for m in o.delivery_models)), None
        )
        if off is not None:
            p = [
                step(g, vkey, "offers", node_key("offering", off.id)),
                step(g, node_key("offering", off.id), "fits_model", node_key("model", best)),
            ]
            paths.append(p)
            why.append(walk_text(g, p) + " (your best-fit model)")
    worst = sorted(BarrierId, key=lambda b: -ctx.severity(b))
    for barrier in worst:
        if ctx.severity(barrier) < 2:
            break
        off = next((o for o in cand.offerings if barrier in o.barriers_addressed), None)
        if off is not None:
            p = [
                step(g, vkey, "offers", node_key("offering", off.id)),
                step(
                    g,
                    node_key("offering", off.id),
                    "addresses_barrier",
                    node_key("barrier", barrier.value),
                ),
            ]
            paths.append(p)
            why.append(walk_text(g, p) + f" (your severity {ctx.severity(barrier)})")
            break
    if cand.best_case:
        cs = ctx.index.case_studies[cand.best_case]
        ckey = node_key("case_study", cs.id)
        if cand.vendor.id in cs.vendors:
            p = [step(g, vkey, "partner_of", ckey)]
        else:
            off_id = next(o for o in cs.offerings if ctx.index.offering_vendor[o] == v.id)
            p = [
                step(g, vkey, "offers", node_key("offering", off_id)),
                step(g, node_key("offering", off_id), "used_in", ckey),
            ]
        paths.append(p)
        why.append(walk_text(g, p) + f" (a case study like yours, {cand.components['proven']:.2f})")
    if cand.components["sme"]:
        why.append("an SME, as you prefer")
    for fw in v.frameworks[:2]:
        p = [step(g, vkey, "on_framework", node_key("framework", fw.value))]
        paths.append(p)
        why.append(walk_text(g, p))
    if cand.components["region"]:
        why.append(f"serves your region ({', '.join(v.regions)})")
    return why, paths


def vendor_items(
    ctx: MatchContext, cands: list[Candidate], limit: int
) -> tuple[list[VendorItem], list[NearMiss], Sensitivity]:
    """The shortlist, the near misses and whether the top three survive weight changes."""
    eligible = [c for c in cands if c.eligible]
    weights = weight_vector(ctx)
    matrix = np.array([[c.components[n] for n in COMPONENTS] for c in eligible], dtype=float)
    matrix = matrix.reshape(len(eligible), len(COMPONENTS))
    ties = [ctx.tie_break(c.vendor.id) for c in eligible]
    scores = matrix @ weights if eligible else np.zeros(0)
    order = _top(scores, ties, limit + ctx.rules.vendor.near_misses)
    items: list[VendorItem] = []
    prev: float | None = None
    for i in order[:limit]:
        cand = eligible[i]
        score = round(float(scores[i]), 4)
        why, paths = _explain(ctx, cand)
        items.append(
            VendorItem(
                id=cand.vendor.id,
                name=cand.vendor.name,
                score=score,
                why=why,
                paths=paths,
                sme=cand.vendor.sme,
                frameworks=[FRAMEWORK_NAMES[f] for f in cand.vendor.frameworks],
                offerings=[o.name for o in cand.offerings],
                website=str(cand.vendor.website) if cand.vendor.website else None,
                tie=prev is not None and abs(prev - score) <= ctx.rules.vendor.near_tie,
            )
        )
        prev = score

    near: list[tuple[float, Candidate, list[str]]] = []
    cutoff = items[-1].score if items else 0.0
    for i in order[limit:]:
        cand = eligible[i]
        lacking = [n.replace("_", " ") for n in COMPONENTS[:5] if cand.components[n] == 0]
        gap = cutoff - float(scores[i])
        reason = (
            f"a near tie with the shortlist's last ({float(scores[i]):.2f} against {cutoff:.2f}); "
            "the order among near ties carries no meaning"
            if gap <= ctx.rules.vendor.near_tie
            else f"scored {float(scores[i]):.2f}, below the shortlist's last ({cutoff:.2f})"
        )
        near.append(
            (
                float(scores[i]),
                cand,
                [reason] + ([f"nothing for: {', '.join(lacking)}"] if lacking else []),
            )
        )
        if len(near) >= ctx.rules.vendor.near_misses:
            break
    for cand in cands:
        if not cand.eligible:
            score = float(np.dot([cand.components[n] for n in COMPONENTS], weights))
            near.append((score, cand, cand.why_not))
    near.sort(key=lambda x: (-round(x[0], 6), ctx.tie_break(x[1].vendor.id)))
    misses = []
    for score, cand, why_not in near[: ctx.rules.vendor.near_misses]:
        why, _ = _explain(ctx, cand)
        misses.append(
            NearMiss(
                id=cand.vendor.id,
                name=cand.vendor.name,
                score=round(score, 4),
                why_not=why_not,
                why=why[:2],
            )
        )
    top3 = [it.id for it in items[:3]]
    return items, misses, sensitivity(ctx, eligible, matrix, weights, ties, top3)


def sensitivity(
    ctx: MatchContext,
    cands: list[Candidate],
    matrix: np.ndarray,
    weights: np.ndarray,
    ties: list[str],
    top3: list[str],
) -> Sensitivity:
    """Move each weight by +-step; report the weights whose move changes the top three."""
    step_size = ctx.rules.sensitivity.step
    changed: list[str] = []
    for i, name in enumerate(COMPONENTS):
        for sign in (1, -1):
            w = weights.copy()
            w[i] *= 1 + sign * step_size
            order = _top(matrix @ w if cands else np.zeros(0), ties, 3)
            if [cands[j].vendor.id for j in order] != top3:
                changed.append(f"{name} {'+' if sign > 0 else '-'}{step_size:.0%}")
    return Sensitivity(stable=not changed, changed_by=changed)
