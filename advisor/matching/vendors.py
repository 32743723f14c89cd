"""The vendor shortlist: weighted path scoring over the graph, near misses and sensitivity.

Each candidate vendor gets eight components between 0 and 1 (see ``COMPONENTS``); its score
is their weighted sum with the weights in ``matching.yaml``. Hard constraints (frameworks the
body must buy through, budget) turn a candidate into a near miss with a ``why_not``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np

from advisor.kb.graph import FRAMEWORK_NAMES, node_key
from advisor.kb.models import Offering, Vendor
from advisor.matching.context import MatchContext
from advisor.matching.explain import step, walk_text
from advisor.matching.index import MatchIndex
from advisor.recommendation import NearMiss, PathStep, Sensitivity, VendorItem
from advisor.vocabulary import BarrierId, DeliveryModelId, FrameworkId, TechnologyAreaId
from advisor.wording import join_words

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


def _fmt(amount: int) -> str:
    return f"£{amount:,}"


def _bits(values: Iterable[StrEnum], order: dict[str, int]) -> int:
    mask = 0
    for v in values:
        mask |= 1 << order[v]  # a StrEnum member hashes as its value
    return mask


AREA_BIT = {a.value: i for i, a in enumerate(TechnologyAreaId)}
MODEL_BIT = {m.value: i for i, m in enumerate(DeliveryModelId)}
BARRIER_BIT = {b.value: i for i, b in enumerate(BarrierId)}
FRAMEWORK_BIT = {f.value: i for i, f in enumerate(FrameworkId)}


@dataclass
class VendorArrays:
    """The catalogue as flat arrays (offerings grouped by vendor), built once per index."""

    vendor_ids: list[str]
    starts: np.ndarray
    """Index of each vendor's first offering (every vendor has at least one)."""
    off_vendor: np.ndarray
    off_area: np.ndarray
    off_model: np.ndarray
    off_barrier: np.ndarray
    off_price: np.ndarray
    """Lowest price, NaN when unknown."""
    sme: np.ndarray
    frameworks: np.ndarray
    regions: list[frozenset[str]]
    national: np.ndarray


def vendor_arrays(index: MatchIndex) -> VendorArrays:
    """Flatten the vendors and offerings of an index (cached on the index)."""
    cached = index.cache.get("vendor_arrays")
    if isinstance(cached, VendorArrays):
        return cached
    vendors = index.kb.vendors
    starts: list[int] = []
    off_vendor: list[int] = []
    area: list[int] = []
    model: list[int] = []
    barrier: list[int] = []
    price: list[float] = []
    for i, v in enumerate(vendors):
        starts.append(len(off_vendor))
        for o in v.offerings:
            off_vendor.append(i)
            area.append(_bits(o.technology_areas, AREA_BIT))
            model.append(_bits(o.delivery_models, MODEL_BIT))
            barrier.append(_bits(o.barriers_addressed, BARRIER_BIT))
            price.append(np.nan if o.price_min_gbp is None else float(o.price_min_gbp))
    regions = [frozenset(r.casefold() for r in v.regions) for v in vendors]
    arrays = VendorArrays(
        vendor_ids=[v.id for v in vendors],
        starts=np.array(starts, dtype=np.int64),
        off_vendor=np.array(off_vendor, dtype=np.int64),
        off_area=np.array(area, dtype=np.int64),
        off_model=np.array(model, dtype=np.int64),
        off_barrier=np.array(barrier, dtype=np.int64),
        off_price=np.array(price, dtype=float),
        sme=np.array([v.sme for v in vendors], dtype=bool),
        frameworks=np.array([_bits(v.frameworks, FRAMEWORK_BIT) for v in vendors], dtype=np.int64),
        regions=regions,
        national=np.array([bool(r & NATIONAL) for r in regions], dtype=bool),
    )
    index.cache["vendor_arrays"] = arrays
    return arrays


def _lookup(size: int, value: Callable[[int], float]) -> np.ndarray:
    return np.array([value(mask) for mask in range(1 << size)], dtype=float)


@dataclass
class CandidateTable:
    """Candidate vendors (an offering covers a top gap) and their components, as arrays."""

    vendors: np.ndarray
    """Positions in ``VendorArrays.vendor_ids``."""
    matrix: np.ndarray
    """One row per candidate, one column per component (``COMPONENTS``)."""
    framework_fail: np.ndarray
    budget_fail: np.ndarray
    cheapest: np.ndarray
    best_case: list[str | None]


def collect_candidates(ctx: MatchContext, sims: dict[str, float]) -> CandidateTable:
    """Score every vendor with an offering covering a top gap, in a few array operations."""
    idx = ctx.index
    arr = vendor_arrays(idx)
    top = ctx.top_gaps
    top_total = sum(g.priority for g in top) or 1.0
    top_mask = _bits([g.area for g in top], AREA_BIT)
    prio = {AREA_BIT[g.area.value]: g.priority for g in top}
    constraints = ctx.profile.constraints
    wanted = _bits(
        [FrameworkId(f) for f in constraints.frameworks if f in FrameworkId.__members__],
        FRAMEWORK_BIT,
    )
    budget = constraints.budget_gbp
    max_fit = max(ctx.model_fit.values(), default=0.0) or 1.0
    total_sev = ctx.total_severity()

    cover = (arr.off_area & top_mask) != 0
    if budget is None:
        usable = cover
    else:
        usable = cover & (np.isnan(arr.off_price) | (arr.off_price <= budget))
    v_cover = np.logical_or.reduceat(cover, arr.starts)
    v_usable = np.logical_or.reduceat(usable, arr.starts)
    budget_fail_all = v_cover & ~v_usable
    effective = np.where(budget_fail_all[arr.off_vendor], cover, usable)

    gap_lookup = _lookup(
        len(AREA_BIT), lambda m: sum(p for bit, p in prio.items() if m >> bit & 1) / top_total
    )
    model_lookup = _lookup(
        len(MODEL_BIT),
        lambda m: max(
            (
                ctx.model_fit.get(mid, 0.0) / max_fit
                for mid, bit in MODEL_BIT.items()
                if m >> bit & 1
            ),
            default=0.0,
        ),
    )
    barrier_lookup = _lookup(
        len(BARRIER_BIT),
        lambda m: (
            min(
                1.0,
                sum(ctx.severity(bid) for bid, bit in BARRIER_BIT.items() if m >> bit & 1)
                / total_sev,
            )
            if total_sev
            else 0.0
        ),
    )
    v_area = np.bitwise_or.reduceat(np.where(effective, arr.off_area, 0), arr.starts)
    v_model = np.maximum.reduceat(np.where(effective, model_lookup[arr.off_model], 0.0), arr.starts)
    v_barrier = np.bitwise_or.reduceat(np.where(effective, arr.off_barrier, 0), arr.starts)

    cand = np.flatnonzero(v_cover)
    region = (ctx.profile.organisation.region or "").casefold()
    targets = ctx.goal_targets()
    goal_tps = ctx.goal_touchpoints()
    proven = np.zeros(len(cand))
    goal_fit = np.zeros(len(cand))
    best_case: list[str | None] = [None] * len(cand)
    in_region = np.zeros(len(cand), dtype=bool)
    for row, vpos in enumerate(cand.tolist()):
        vid = arr.vendor_ids[vpos]
        cases = idx.vendor_case_studies.get(vid)
        if cases:
            best = max(cases, key=lambda cid: (sims.get(cid, 0.0), cid))
            proven[row] = sims.get(best, 0.0)
            best_case[row] = best if proven[row] > 0 else None
            if any(
                ("case_study", cid) in targets
                or goal_tps.intersection(idx.case_studies[cid].touchpoints)
                for cid in cases
            ):
                goal_fit[row] = 1.0
        if region:
            in_region[row] = region in arr.regions[vpos]
    fw = arr.frameworks[cand]
    on_framework = (fw & wanted) != 0 if wanted else fw != 0
    matrix = (
        np.column_stack(
            [
                np.minimum(gap_lookup[v_area[cand] & top_mask], 1.0),
                v_model[cand],
                barrier_lookup[v_barrier[cand]],
                proven,
                goal_fit,
                (arr.sme[cand] & constraints.prefer_sme).astype(float),
                on_framework.astype(float),
                ((in_region | arr.national[cand]) & bool(region)).astype(float),
            ]
        )
        if len(cand)
        else np.zeros((0, len(COMPONENTS)))
    )
    cheapest = np.minimum.reduceat(
        np.where(cover & ~np.isnan(arr.off_price), arr.off_price, np.inf), arr.starts
    )[cand]
    return CandidateTable(
        vendors=cand,
        matrix=matrix,
        framework_fail=((fw & wanted) == 0) if wanted else np.zeros(len(cand), dtype=bool),
        budget_fail=budget_fail_all[cand],
        cheapest=cheapest,
        best_case=best_case,
    )


def weight_vector(ctx: MatchContext) -> np.ndarray:
    w = ctx.rules.vendor.weights
    return np.array([getattr(w, name) for name in COMPONENTS], dtype=float)


def _top(scores: np.ndarray, tie: Callable[[int], str], k: int) -> list[int]:
    """Indices of the k best scores, best first; equal scores (6 places) ordered by ``tie``."""
    n = len(scores)
    if n == 0 or k <= 0:
        return []
    if n > k:
        threshold = -np.partition(-scores, k - 1)[k - 1]
        pool = np.flatnonzero(scores >= threshold - 1e-6)
    else:
        pool = np.arange(n)
    ranked = sorted(pool.tolist(), key=lambda i: (-round(float(scores[i]), 6), tie(i)))
    return ranked[:k]


def _candidate(ctx: MatchContext, table: CandidateTable, row: int) -> Candidate:
    """Full detail for one row of the table: its vendor, covering offerings and why-nots."""
    arr = vendor_arrays(ctx.index)
    vendor = ctx.index.vendors[arr.vendor_ids[int(table.vendors[row])]]
    top = {g.area for g in ctx.top_gaps}
    budget = ctx.profile.constraints.budget_gbp
    offerings = [o for o in vendor.offerings if top.intersection(o.technology_areas)]
    usable = [
        o
        for o in offerings
        if budget is None or o.price_min_gbp is None or o.price_min_gbp <= budget
    ]
    why_not: list[str] = []
    if table.framework_fail[row]:
        names = [
            FRAMEWORK_NAMES[FrameworkId(f)]
            for f in sorted(ctx.profile.constraints.frameworks)
            if f in FrameworkId.__members__
        ]
        said = join_words(names, "or")
        framework = "the frameworks" if len(names) > 1 else "the framework"
        why_not.append(f"not on {said}, {framework} you buy through")
    if table.budget_fail[row] and budget is not None:
        why_not.append(
            f"its cheapest offering for your gaps starts at {_fmt(int(table.cheapest[row]))}, "
            f"above your budget of {_fmt(budget)}"
        )
    return Candidate(
        vendor=vendor,
        offerings=usable or offerings,
        components={n: float(table.matrix[row, i]) for i, n in enumerate(COMPONENTS)},
        why_not=why_not,
        best_case=table.best_case[row],
    )


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
    ctx: MatchContext, table: CandidateTable, limit: int
) -> tuple[list[VendorItem], list[NearMiss], Sensitivity]:
    """The shortlist, the near misses and whether the top three survive weight changes."""
    arr = vendor_arrays(ctx.index)
    weights = weight_vector(ctx)
    eligible = np.flatnonzero(~table.framework_fail & ~table.budget_fail)
    matrix = table.matrix[eligible]
    scores = matrix @ weights
    all_scores = table.matrix @ weights

    def tie(i: int) -> str:
        return ctx.tie_break(arr.vendor_ids[int(table.vendors[eligible[i]])])

    order = _top(scores, tie, limit + ctx.rules.vendor.near_misses)
    items: list[VendorItem] = []
    prev: float | None = None
    for i in order[:limit]:
        cand = _candidate(ctx, table, int(eligible[i]))
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

    near: list[tuple[float, int, list[str]]] = []
    cutoff = items[-1].score if items else 0.0
    for i in order[limit:]:
        row = int(eligible[i])
        lacking = [
            n.replace("_", " ") for j, n in enumerate(COMPONENTS[:5]) if table.matrix[row, j] == 0
        ]
        score = float(scores[i])
        reason = (
            f"a near tie with the shortlist's last ({score:.2f} against {cutoff:.2f}); "
            "the order among near ties carries no meaning"
            if cutoff - score <= ctx.rules.vendor.near_tie
            else f"scored {score:.2f}, below the shortlist's last ({cutoff:.2f})"
        )
        near.append(
            (score, row, [reason] + ([f"nothing for: {', '.join(lacking)}"] if lacking else []))
        )
    ineligible = np.flatnonzero(table.framework_fail | table.budget_fail)
    for j in _top(
        all_scores[ineligible],
        lambda j: ctx.tie_break(arr.vendor_ids[int(table.vendors[ineligible[j]])]),
        ctx.rules.vendor.near_misses,
    ):
        row = int(ineligible[j])
        near.append((float(all_scores[row]), row, _candidate(ctx, table, row).why_not))
    near.sort(
        key=lambda x: (-round(x[0], 6), ctx.tie_break(arr.vendor_ids[int(table.vendors[x[1]])]))
    )
    misses = []
    for score, row, why_not in near[: ctx.rules.vendor.near_misses]:
        cand = _candidate(ctx, table, row)
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
    return items, misses, sensitivity(ctx, matrix, weights, tie, top3, arr, table.vendors[eligible])


def sensitivity(
    ctx: MatchContext,
    matrix: np.ndarray,
    weights: np.ndarray,
    tie: Callable[[int], str],
    top3: list[str],
    arr: VendorArrays,
    positions: np.ndarray,
) -> Sensitivity:
    """Move each weight by +-step; report the weights whose move changes the top three."""
    step_size = ctx.rules.sensitivity.step
    changed: list[str] = []
    for i, name in enumerate(COMPONENTS):
        for sign in (1, -1):
            w = weights.copy()
            w[i] *= 1 + sign * step_size
            order = _top(matrix @ w, tie, 3)
            if [arr.vendor_ids[int(positions[j])] for j in order] != top3:
                changed.append(f"{name} {'+' if sign > 0 else '-'}{step_size:.0%}")
    return Sensitivity(stable=not changed, changed_by=changed)
