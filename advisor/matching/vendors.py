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

from advisor.explaining import COMPONENT_NAMES, say_all
from advisor.kb.graph import FRAMEWORK_NAMES, label, node_key
from advisor.kb.models import Offering, Vendor
from advisor.matching.context import MatchContext
from advisor.matching.explain import step
from advisor.matching.index import MatchIndex
from advisor.matching.postings import union
from advisor.recommendation import NearMiss, Reason, Sensitivity, VendorItem
from advisor.vocabulary import BarrierId, DeliveryModelId, FrameworkId, TechnologyAreaId

COMPONENTS = (
    "gap_coverage",
    "model_fit",
    "barrier_fit",
    "proven",
    "need",
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
    why_not: list[Reason] = field(default_factory=list)
    best_case: str | None = None
    framework_unknown: bool = False
    offering_need: dict[str, float] = field(default_factory=dict)
    """Offering id -> relevance of its own words to the stated need."""


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
    position: dict[str, int]
    """Vendor id -> its place in ``vendor_ids``."""
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
    area_postings: list[np.ndarray] = field(default_factory=list)
    """For each technology area (by its bit), the offerings that cover it, in order: a match
    reads only the offerings of its top gaps' areas."""
    has_cases: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    """Per vendor, whether it took part in a case study (only those can be proven)."""
    region_members: dict[str, np.ndarray] = field(default_factory=dict)
    """Casefolded region -> per vendor, whether it serves it (filled on first use)."""

    def serves(self, region: str) -> np.ndarray:
        """Per vendor, whether ``region`` (casefolded) is one of its regions."""
        found = self.region_members.get(region)
        if found is None:
            found = np.array([region in r for r in self.regions], dtype=bool)
            self.region_members[region] = found
        return found


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
        position={v.id: i for i, v in enumerate(vendors)},
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
    areas = arrays.off_area
    arrays.area_postings = [np.flatnonzero(areas & (1 << bit)) for bit in range(len(AREA_BIT))]
    arrays.has_cases = np.array(
        [bool(index.vendor_case_studies.get(v.id)) for v in vendors], dtype=bool
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
    framework_unknown: np.ndarray
    """True where the body restricts frameworks and the vendor's are not recorded."""
    budget_fail: np.ndarray
    cheapest: np.ndarray
    best_case: list[str | None]


def _popcount(mask: int) -> int:
    return bin(mask).count("1")


def collect_candidates(ctx: MatchContext, sims: dict[str, float]) -> CandidateTable:
    """Score every vendor with an offering that covers a top gap or answers the stated need.

    Each offering is judged on its own (a vendor is as good as its best offering for you), so
    a vendor does not win by the breadth of its catalogue: an offering's gap coverage counts
    rarer areas more and is discounted by ``(top gaps it covers / areas it covers) ** focus``.

    Only those offerings are read: the ones on the top gaps' areas' lists
    (``VendorArrays.area_postings``) and the ones the need scored, so a match costs what its
    candidates cost, not what the catalogue holds.
    """
    idx = ctx.index
    arr = vendor_arrays(idx)
    rules = ctx.rules.vendor
    top = ctx.top_gaps
    rarity = ctx.case_area_rarity
    top_mask = _bits([g.area for g in top], AREA_BIT)
    weight = {AREA_BIT[g.area.value]: g.priority * rarity[g.area.value] for g in top}
    weight_total = sum(weight.values()) or 1.0
    constraints = ctx.profile.constraints
    wanted = _bits(
        [FrameworkId(f) for f in constraints.frameworks if f in FrameworkId.__members__],
        FRAMEWORK_BIT,
    )
    budget = constraints.budget_gbp
    max_fit = max(ctx.model_fit.values(), default=0.0) or 1.0
    need = ctx.need
    need_full = need is not None and need.offerings.size == arr.off_area.size
    lists = [arr.area_postings[bit] for bit in {AREA_BIT[g.area.value] for g in top}]
    if need is not None and need_full:
        lists.append(np.flatnonzero(need.offerings > 0))
    # the candidate offerings, in catalogue order (so grouped by vendor): each covers a top
    # gap or answers the need, and no other offering counts for anything below
    at = union(lists)
    off_need = need.offerings[at] if need is not None and need_full else np.zeros(at.size)
    off_vendor = arr.off_vendor[at]
    off_price = arr.off_price[at]
    first = np.ones(at.size, dtype=bool)
    first[1:] = off_vendor[1:] != off_vendor[:-1]
    starts = np.flatnonzero(first)
    group = np.cumsum(first) - 1
    cand = off_vendor[starts]
    if budget is None:
        usable = np.ones(at.size, dtype=bool)
    else:
        usable = np.isnan(off_price) | (off_price <= budget)
    v_usable = np.logical_or.reduceat(usable, starts) if at.size else np.zeros(0, dtype=bool)
    budget_fail = ~v_usable
    effective = budget_fail[group] | usable

    def offering_gap(mask: int) -> float:
        covered = mask & top_mask
        if not covered:
            return 0.0
        share = sum(w for bit, w in weight.items() if covered >> bit & 1) / weight_total
        return float(min(1.0, share) * (_popcount(covered) / _popcount(mask)) ** rules.focus)

    gap_lookup = _lookup(len(AREA_BIT), offering_gap)
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
    # how severe the worst barrier an offering addresses is (0-1), so that addressing many
    # mild barriers counts for no more than addressing the one that matters
    barrier_lookup = _lookup(
        len(BARRIER_BIT),
        lambda m: max(
            (ctx.severity(bid) / 4 for bid, bit in BARRIER_BIT.items() if m >> bit & 1),
            default=0.0,
        ),
    )

    def best(values: np.ndarray) -> np.ndarray:
        """Per candidate vendor, the best value among its effective candidate offerings."""
        if not at.size:
            return np.zeros(0)
        return np.asarray(np.maximum.reduceat(np.where(effective, values, 0.0), starts))

    v_gap = best(gap_lookup[arr.off_area[at]])
    v_model = best(model_lookup[arr.off_model[at]])
    v_barrier = best(barrier_lookup[arr.off_barrier[at]])
    need_fit = best(off_need).astype(float)

    region = (ctx.profile.organisation.region or "").casefold()
    case_need = need.cases if need is not None else {}
    via_case = ctx.rules.need.via_case
    proven = np.zeros(len(cand))
    best_case: list[str | None] = [None] * len(cand)
    # only a vendor that took part in a case study can be proven or answer the need by one
    for row in np.flatnonzero(arr.has_cases[cand]).tolist():
        vid = arr.vendor_ids[int(cand[row])]
        cases = idx.vendor_case_studies[vid]
        top_case = max(cases, key=lambda cid: (sims.get(cid, 0.0), cid))
        proven[row] = sims.get(top_case, 0.0)
        best_case[row] = top_case if proven[row] > 0 else None
        # a case that answers the need only through a technology area says nothing more
        # about this vendor than its own offerings' areas already do
        answered = [
            case_need[c].relevance for c in cases if c in case_need and case_need[c].via != "area"
        ]
        if answered:
            need_fit[row] = max(need_fit[row], via_case * max(answered))
    in_region = arr.serves(region)[cand] if region else np.zeros(len(cand), dtype=bool)
    fw = arr.frameworks[cand]
    known = fw != 0
    # being on a framework counts only when the body says which frameworks it buys through
    on_framework = (fw & wanted) != 0 if wanted else np.zeros(len(cand), dtype=bool)
    matrix = (
        np.column_stack(
            [
                v_gap,
                v_model,
                v_barrier,
                proven,
                need_fit,
                (arr.sme[cand] & constraints.prefer_sme).astype(float),
                on_framework.astype(float),
                ((in_region | arr.national[cand]) & bool(region)).astype(float),
            ]
        )
        if len(cand)
        else np.zeros((0, len(COMPONENTS)))
    )
    cheapest = (
        np.minimum.reduceat(np.where(np.isnan(off_price), np.inf, off_price), starts)
        if at.size
        else np.zeros(0)
    )
    return CandidateTable(
        vendors=cand,
        matrix=matrix,
        # a vendor whose frameworks are not recorded stays, marked "check"; only a vendor
        # known to sell through other frameworks, and not the ones wanted, is set aside
        framework_fail=(known & ((fw & wanted) == 0)) if wanted else np.zeros(len(cand), bool),
        framework_unknown=(~known) if wanted else np.zeros(len(cand), dtype=bool),
        budget_fail=budget_fail,
        cheapest=cheapest,
        best_case=best_case,
    )


NEED = COMPONENTS.index("need")


def combined_scores(ctx: MatchContext, matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's score: the weighted sum of its components, the stated need first.

    When the body states a need, the other components of a vendor that does not answer it
    count only ``need.rest_without_need`` of their weight (in full for one that answers it
    fully), so breadth and fame never outrank the supplier that does what the body asked.
    """
    need = matrix[:, NEED]
    others = weights.copy()
    others[NEED] = 0.0
    rest = matrix @ others
    if ctx.need is None or not ctx.need.stated:
        return np.asarray(rest + need * weights[NEED])
    keep = ctx.rules.need.rest_without_need
    return np.asarray(need * weights[NEED] + rest * (keep + (1 - keep) * need))


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


def _offering_need(ctx: MatchContext, vendor: Vendor) -> dict[str, float]:
    """Relevance of each of the vendor's offerings to the stated need (0 when none)."""
    if ctx.need is None or not ctx.need.offerings.size:
        return {}
    arr = vendor_arrays(ctx.index)
    start = int(arr.starts[arr.position[vendor.id]])
    return {
        o.id: float(ctx.need.offerings[start + i])
        for i, o in enumerate(vendor.offerings)
        if ctx.need.offerings[start + i] > 0
    }


def _candidate(ctx: MatchContext, table: CandidateTable, row: int) -> Candidate:
    """Full detail for one row of the table: its vendor, useful offerings and why-nots."""
    arr = vendor_arrays(ctx.index)
    vendor = ctx.index.vendors[arr.vendor_ids[int(table.vendors[row])]]
    top = {g.area for g in ctx.top_gaps}
    budget = ctx.profile.constraints.budget_gbp
    needed = _offering_need(ctx, vendor)
    offerings = [
        o for o in vendor.offerings if top.intersection(o.technology_areas) or o.id in needed
    ]
    offerings.sort(key=lambda o: -needed.get(o.id, 0.0))
    usable = [
        o
        for o in offerings
        if budget is None or o.price_min_gbp is None or o.price_min_gbp <= budget
    ]
    why_not: list[Reason] = []
    if table.framework_fail[row]:
        names = [
            FRAMEWORK_NAMES[FrameworkId(f)]
            for f in sorted(ctx.profile.constraints.frameworks)
            if f in FrameworkId.__members__
        ]
        why_not.append(
            Reason(
                kind="not_on_framework",
                figures={
                    "wanted": names,
                    "on": [FRAMEWORK_NAMES[f] for f in vendor.frameworks],
                },
            )
        )
    if table.budget_fail[row] and budget is not None:
        why_not.append(
            Reason(
                kind="over_budget",
                figures={"cheapest": int(table.cheapest[row]), "budget": budget},
            )
        )
    return Candidate(
        vendor=vendor,
        offerings=usable or offerings,
        components={n: float(table.matrix[row, i]) for i, n in enumerate(COMPONENTS)},
        why_not=why_not,
        best_case=table.best_case[row],
        framework_unknown=bool(table.framework_unknown[row]),
        offering_need=needed,
    )


def _explain(ctx: MatchContext, cand: Candidate) -> list[Reason]:
    g = ctx.index.graph
    v = cand.vendor
    vkey = node_key("vendor", v.id)
    reasons: list[Reason] = []
    if cand.components["need"] > 0:
        reasons.extend(_need_reasons(ctx, cand))
    for gap in ctx.top_gaps:
        off = next((o for o in cand.offerings if gap.area in o.technology_areas), None)
        if off is None:
            continue
        okey = node_key("offering", off.id)
        akey = node_key("area", gap.area.value)
        reasons.append(
            Reason(
                kind="covers_gap",
                path=[step(g, vkey, "offers", okey), step(g, okey, "covers_area", akey)],
                rule="matching.yaml vendor.weights.gap_coverage",
                figures={"offering": off.name, "area": label(g, akey), "level": gap.level},
            )
        )
    best = ctx.best_model
    if best and cand.components["model_fit"] > 0:
        off = next(
            (o for o in cand.offerings if any(m.value == best for m in o.delivery_models)), None
        )
        if off is not None:
            okey = node_key("offering", off.id)
            mkey = node_key("model", best)
            reasons.append(
                Reason(
                    kind="fits_best_model",
                    path=[step(g, vkey, "offers", okey), step(g, okey, "fits_model", mkey)],
                    rule="matching.yaml vendor.weights.model_fit",
                    figures={"offering": off.name, "model": label(g, mkey)},
                )
            )
    worst = sorted(BarrierId, key=lambda b: (-ctx.severity(b), b.value))
    for barrier in worst:
        if ctx.severity(barrier) < 2:
            break
        off = next((o for o in cand.offerings if barrier in o.barriers_addressed), None)
        if off is not None:
            okey = node_key("offering", off.id)
            bkey = node_key("barrier", barrier.value)
            reasons.append(
                Reason(
                    kind="eases_barrier",
                    path=[step(g, vkey, "offers", okey), step(g, okey, "addresses_barrier", bkey)],
                    rule="matching.yaml vendor.weights.barrier_fit",
                    figures={
                        "offering": off.name,
                        "barrier": label(g, bkey),
                        "severity": ctx.severity(barrier),
                    },
                )
            )
            break
    if cand.best_case and not any(
        r.figures.get("case") == ctx.index.case_studies[cand.best_case].name for r in reasons
    ):
        reasons.append(_case_reason(ctx, cand, cand.best_case, "proven_in_case"))
    if cand.components["sme"]:
        reasons.append(Reason(kind="sme_preferred"))
    wanted = [f for f in ctx.profile.constraints.frameworks if f in FrameworkId.__members__]
    if cand.framework_unknown:
        reasons.append(
            Reason(
                kind="framework_unknown",
                figures={"wanted": [FRAMEWORK_NAMES[FrameworkId(f)] for f in sorted(wanted)]},
            )
        )
    shown = [f for f in v.frameworks if not wanted or f.value in wanted] or v.frameworks
    for fw in shown[:2]:
        fkey = node_key("framework", fw.value)
        reasons.append(
            Reason(
                kind="on_framework",
                path=[step(g, vkey, "on_framework", fkey)],
                figures={"framework": label(g, fkey)},
            )
        )
    if cand.components["region"]:
        reasons.append(Reason(kind="serves_region", figures={"regions": list(v.regions)}))
    return reasons


def _case_reason(ctx: MatchContext, cand: Candidate, cid: str, kind: str) -> Reason:
    g = ctx.index.graph
    v = cand.vendor
    vkey = node_key("vendor", v.id)
    cs = ctx.index.case_studies[cid]
    ckey = node_key("case_study", cs.id)
    if v.id in cs.vendors:
        p = [step(g, vkey, "partner_of", ckey)]
    else:
        off_id = next(o for o in cs.offerings if ctx.index.offering_vendor[o] == v.id)
        p = [
            step(g, vkey, "offers", node_key("offering", off_id)),
            step(g, node_key("offering", off_id), "used_in", ckey),
        ]
    need = ctx.need.cases.get(cid) if ctx.need is not None else None
    return Reason(
        kind=kind,
        path=p,
        figures={
            "case": cs.name,
            "likeness": cand.components["proven"],
            "goal": ctx.goal_label(need.goal) if need is not None else "",
            "named": need is not None and ctx.named_entry(need.goal) is not None,
        },
    )


def _need_reasons(ctx: MatchContext, cand: Candidate) -> list[Reason]:
    """Why the vendor answers the need: its own offering's words, or a case it took part in."""
    if ctx.need is None:
        return []
    out: list[Reason] = []
    best_off = max(cand.offering_need.items(), key=lambda kv: kv[1], default=None)
    cases = [
        c for c in ctx.index.vendor_case_studies.get(cand.vendor.id, []) if c in ctx.need.cases
    ]
    best_c = max(cases, key=lambda c: (ctx.need.cases[c].relevance, c), default=None)  # type: ignore[union-attr]
    via_case = ctx.rules.need.via_case
    case_rel = ctx.need.cases[best_c].relevance * via_case if best_c else 0.0
    if best_off is not None and best_off[1] >= case_rel:
        off = next(o for o in cand.vendor.offerings if o.id == best_off[0])
        arr_goal, area = _offering_goal(ctx, cand.vendor, off.id)
        g = ctx.index.graph
        path = [step(g, node_key("vendor", cand.vendor.id), "offers", node_key("offering", off.id))]
        figures: dict[str, str | int | float | bool | list[str]] = {
            "offering": off.name,
            "goal": ctx.goal_label(arr_goal),
            "named": ctx.named_entry(arr_goal) is not None,
            "relevance": round(best_off[1], 3),
        }
        if area is not None:
            akey = node_key("area", area)
            path.append(step(g, node_key("offering", off.id), "covers_area", akey))
            figures["area"] = label(g, akey)
        out.append(
            Reason(
                kind="offering_answers_need",
                path=path,
                rule="matching.yaml need",
                figures=figures,
            )
        )
    if best_c is not None and case_rel > 0:
        case = _case_reason(ctx, cand, best_c, "case_partner_answers_need")
        # a case the goal reaches by its links says more than an offering's words or areas
        linked = ctx.need.cases[best_c].via in {"named", "touchpoint", "opportunity"}
        first = linked and case_rel >= 0.8 * (best_off[1] if best_off else 0.0)
        out.insert(0 if first else len(out), case)
    return out


def _offering_goal(ctx: MatchContext, vendor: Vendor, offering_id: str) -> tuple[str, str | None]:
    """The goal an offering answers, and the technology area it answers it through (if any)."""
    if ctx.need is None:
        return "", None
    arr = vendor_arrays(ctx.index)
    i = next(i for i, o in enumerate(vendor.offerings) if o.id == offering_id)
    return ctx.need.offering_source(int(arr.starts[arr.position[vendor.id]]) + i)


def _with_sme_places(
    ctx: MatchContext, order: list[int], scores: np.ndarray, sme: np.ndarray, limit: int
) -> tuple[list[int], set[int]]:
    """With "prefer SMEs", up to ``sme_places`` of the shortlist go to the best suitable SMEs
    (an SME that covers a top gap or answers the need), replacing the lowest others."""
    places = ctx.rules.vendor.sme_places if ctx.profile.constraints.prefer_sme else 0
    head = order[:limit]
    have = sum(1 for i in head if sme[i])
    if places <= 0 or have >= places:
        return order, set()
    pool = [i for i in np.argsort(-scores, kind="stable").tolist() if sme[i] and i not in head]
    promoted = pool[: places - have]
    if not promoted:
        return order, set()
    kept = [i for i in head if sme[i]]
    others = [i for i in head if not sme[i]][: limit - len(kept) - len(promoted)]
    head = sorted(kept + others + promoted, key=lambda i: -float(scores[i]))
    rest = [i for i in order if i not in head]
    return head + rest, set(promoted)


def vendor_items(
    ctx: MatchContext, table: CandidateTable, limit: int
) -> tuple[list[VendorItem], list[NearMiss], Sensitivity]:
    """The shortlist, the near misses and whether the top three survive weight changes."""
    arr = vendor_arrays(ctx.index)
    weights = weight_vector(ctx)
    eligible = np.flatnonzero(~table.framework_fail & ~table.budget_fail)
    matrix = table.matrix[eligible]
    scores = combined_scores(ctx, matrix, weights)
    all_scores = combined_scores(ctx, table.matrix, weights)

    def tie(i: int) -> str:
        return ctx.tie_break(arr.vendor_ids[int(table.vendors[eligible[i]])])

    order = _top(scores, tie, limit + ctx.rules.vendor.near_misses)
    sme = arr.sme[table.vendors[eligible]]
    order, promoted = _with_sme_places(ctx, order, scores, sme, limit)
    if order:
        # a vendor far behind the best that does not answer the stated need either is padding,
        # not advice: it goes to the near misses
        floor = ctx.rules.vendor.min_share_of_best * float(scores[order[0]])
        answers = matrix[:, NEED] >= ctx.rules.vendor.answers_need
        if ctx.need is not None and ctx.need.stated:
            # after the vendors that answer the need, those nearest to answering it come first
            order = [i for i in order if answers[i]] + sorted(
                (i for i in order if not answers[i]),
                key=lambda i: (-round(float(matrix[i, NEED]), 2), -float(scores[i])),
            )
        keep = ctx.rules.vendor.min_shortlist
        head = [
            i
            for n, i in enumerate(order[:limit])
            if n < keep or float(scores[i]) >= floor or answers[i] or i in promoted
        ]
        limit = max(1, len(head))
        order = head + [i for i in order if i not in head]
    items: list[VendorItem] = []
    prev: float | None = None
    for i in order[:limit]:
        cand = _candidate(ctx, table, int(eligible[i]))
        score = round(float(scores[i]), 4)
        reasons = _explain(ctx, cand)
        if i in promoted:
            reasons.insert(0, Reason(kind="sme_place", rule="matching.yaml vendor.sme_places"))
        items.append(
            VendorItem(
                id=cand.vendor.id,
                name=cand.vendor.name,
                score=score,
                why=say_all(reasons),
                reasons=reasons,
                paths=[r.path for r in reasons if r.path],
                sme=cand.vendor.sme,
                frameworks=[FRAMEWORK_NAMES[f] for f in cand.vendor.frameworks],
                offerings=[o.name for o in cand.offerings],
                website=str(cand.vendor.website) if cand.vendor.website else None,
                tie=prev is not None and abs(prev - score) <= ctx.rules.vendor.near_tie,
            )
        )
        prev = score

    near: list[tuple[float, int, list[Reason]]] = []
    cutoff = items[-1].score if items else 0.0
    shortlisted = {it.id for it in items}
    for i in order[limit:]:
        row = int(eligible[i])
        if arr.vendor_ids[int(table.vendors[row])] in shortlisted:
            continue
        lacking = [
            COMPONENT_NAMES[n] for j, n in enumerate(COMPONENTS[:5]) if table.matrix[row, j] == 0
        ]
        score = float(scores[i])
        reason = Reason(
            kind="near_tie" if cutoff - score <= ctx.rules.vendor.near_tie else "scored_below",
            figures={"score": round(score, 2), "cutoff": round(cutoff, 2)},
        )
        near.append(
            (
                score,
                row,
                [reason] + ([Reason(kind="lacks", figures={"what": lacking})] if lacking else []),
            )
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
        reasons = _explain(ctx, cand)[:2]
        misses.append(
            NearMiss(
                id=cand.vendor.id,
                name=cand.vendor.name,
                score=round(score, 4),
                why_not=say_all(why_not),
                reasons_not=why_not,
                why=say_all(reasons),
                reasons=reasons,
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
            order = _top(combined_scores(ctx, matrix, w), tie, 3)
            if [arr.vendor_ids[int(positions[j])] for j in order] != top3 and name not in changed:
                changed.append(name)
    return Sensitivity(stable=not changed, changed_by=changed)
