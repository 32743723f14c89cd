"""The catalogue's candidate index gives exactly what reading every offering gives.

``full_scan`` below is the vendor table computed the plain way, over every offering of every
vendor; ``collect_candidates`` reads only the offerings on its top gaps' areas' lists and the
ones the need scored. Both are compared on the bundled knowledge base and on a synthetic
catalogue, for bodies with and without budgets, regions, SME preference and stated needs.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.synth import SynthSize, write_synthetic_knowledge_base
from advisor.matching import build_index, load_matching_rules, prepare_index
from advisor.matching.cases import case_similarities
from advisor.matching.context import MatchContext
from advisor.matching.delivery import assess_delivery
from advisor.matching.gaps import compute_gaps
from advisor.matching.index import MatchIndex
from advisor.matching.need import need_index, need_scores
from advisor.matching.tfidf import Vectoriser
from advisor.matching.vendors import (
    AREA_BIT,
    BARRIER_BIT,
    FRAMEWORK_BIT,
    MODEL_BIT,
    CandidateTable,
    _bits,
    _lookup,
    _popcount,
    collect_candidates,
    vendor_arrays,
)
from advisor.profile import Profile
from advisor.vocabulary import FrameworkId

TODAY = date(2026, 11, 24)


def full_scan(ctx: MatchContext, sims: dict[str, float]) -> CandidateTable:
    """Every vendor with an offering that covers a top gap or answers the need, every
    offering read: the reference the candidate index must agree with."""
    idx = ctx.index
    arr = vendor_arrays(idx)
    rules = ctx.rules.vendor
    top = ctx.top_gaps
    rarity = ctx.case_area_rarity
    top_mask = _bits([g.area for g in top], AREA_BIT)
    weight = {AREA_BIT[g.area.value]: g.priority * rarity[g.area.value] for g in top}
    weight_total = sum(weight.values()) or 1.0
    c = ctx.profile.constraints
    wanted = _bits(
        [FrameworkId(f) for f in c.frameworks if f in FrameworkId.__members__], FRAMEWORK_BIT
    )
    max_fit = max(ctx.model_fit.values(), default=0.0) or 1.0
    need = ctx.need
    off_need = need.offerings if need is not None else np.zeros(arr.off_area.size)
    cover = ((arr.off_area & top_mask) != 0) | (off_need > 0)
    usable = cover
    if c.budget_gbp is not None:
        usable = cover & (np.isnan(arr.off_price) | (arr.off_price <= c.budget_gbp))
    v_cover = np.logical_or.reduceat(cover, arr.starts)
    v_usable = np.logical_or.reduceat(usable, arr.starts)
    budget_fail = v_cover & ~v_usable
    effective = np.where(budget_fail[arr.off_vendor], cover, usable)

    def gap(mask: int) -> float:
        covered = mask & top_mask
        if not covered:
            return 0.0
        share = sum(w for bit, w in weight.items() if covered >> bit & 1) / weight_total
        return float(min(1.0, share) * (_popcount(covered) / _popcount(mask)) ** rules.focus)

    lookups = [
        (_lookup(len(AREA_BIT), gap), arr.off_area),
        (
            _lookup(
                len(MODEL_BIT),
                lambda m: max(
                    (
                        ctx.model_fit.get(k, 0.0) / max_fit
                        for k, b in MODEL_BIT.items()
                        if m >> b & 1
                    ),
                    default=0.0,
                ),
            ),
            arr.off_model,
        ),
        (
            _lookup(
                len(BARRIER_BIT),
                lambda m: max(
                    (ctx.severity(k) / 4 for k, b in BARRIER_BIT.items() if m >> b & 1),
                    default=0.0,
                ),
            ),
            arr.off_barrier,
        ),
    ]
    per_vendor = [
        np.maximum.reduceat(np.where(effective, table[masks], 0.0), arr.starts)
        for table, masks in lookups
    ]
    v_need = np.maximum.reduceat(np.where(effective, off_need, 0.0), arr.starts)
    cand = np.flatnonzero(v_cover)
    region = (ctx.profile.organisation.region or "").casefold()
    proven = np.zeros(len(cand))
    need_fit = v_need[cand].astype(float)
    best_case: list[str | None] = [None] * len(cand)
    in_region = np.zeros(len(cand), dtype=bool)
    case_need = need.cases if need is not None else {}
    for row, vpos in enumerate(cand.tolist()):
        cases = idx.vendor_case_studies.get(arr.vendor_ids[vpos])
        if cases:
            top_case = max(cases, key=lambda cid: (sims.get(cid, 0.0), cid))
            proven[row] = sims.get(top_case, 0.0)
            best_case[row] = top_case if proven[row] > 0 else None
            answered = [
                case_need[x].relevance
                for x in cases
                if x in case_need and case_need[x].via != "area"
            ]
            if answered:
                need_fit[row] = max(need_fit[row], ctx.rules.need.via_case * max(answered))
        if region:
            in_region[row] = region in arr.regions[vpos]
    fw = arr.frameworks[cand]
    matrix = np.column_stack(
        [
            *(v[cand] for v in per_vendor),
            proven,
            need_fit,
            (arr.sme[cand] & c.prefer_sme).astype(float),
            ((fw & wanted) != 0 if wanted else np.zeros(len(cand), dtype=bool)).astype(float),
            ((in_region | arr.national[cand]) & bool(region)).astype(float),
        ]
    )
    cheapest = np.minimum.reduceat(
        np.where(cover & ~np.isnan(arr.off_price), arr.off_price, np.inf), arr.starts
    )[cand]
    known = fw != 0
    return CandidateTable(
        vendors=cand,
        matrix=matrix,
        framework_fail=(known & ((fw & wanted) == 0)) if wanted else np.zeros(len(cand), bool),
        framework_unknown=(~known) if wanted else np.zeros(len(cand), dtype=bool),
        budget_fail=budget_fail[cand],
        cheapest=cheapest,
        best_case=best_case,
    )


PROFILES = [
    {
        "organisation": {"name": "Bench Council", "kind": "unitary", "region": "North East"},
        "factors": {"scope": "strategic", "data_use": "expose"},
        "barriers": {"legal": 3, "financial": 2, "knowledge": 2},
        "maturity": {"personal_identity_data_management": 1, "data_aggregation_sharing": 2},
        "goals": ["Hospitals", "predict need for support from bus use and school attendance"],
        "constraints": {"budget_gbp": 250000, "prefer_sme": True},
    },
    {
        "organisation": {"name": "Shire County", "kind": "county", "region": "London"},
        "factors": {"scope": "tactical", "data_use": "internal"},
        "barriers": {"financial": 4},
        "maturity": {"it_resources": 1, "connectivity": 2},
        "goals": ["move servers out of the server room"],
        "constraints": {"frameworks": ["g_cloud"], "budget_gbp": 20000},
    },
    {
        "organisation": {"name": "Plain Borough", "kind": "district"},
        "factors": {"scope": "strategic", "data_use": "internal"},
        "maturity": {"data_analysis": 1},
    },
]


def _tables(index: MatchIndex, spec: dict[str, object]) -> tuple[CandidateTable, CandidateTable]:
    rules = load_matching_rules()
    profile = Profile.model_validate(spec)
    matcher = index.goal_matcher
    hits = (
        {
            g: matcher.match(g, rules.goals.min_similarity, rules.goals.max_matches)
            for g in profile.goals
        }
        if matcher is not None
        else {}
    )
    ctx = MatchContext(
        profile=profile,
        index=index,
        rules=rules,
        goal_hits=hits,
        model_fit=assess_delivery(profile, rules).fit,
    )
    ctx.need = need_scores(ctx)
    ctx.gaps = compute_gaps(ctx)
    sims = case_similarities(ctx)
    return collect_candidates(ctx, sims), full_scan(ctx, sims)


def _assert_same(found: CandidateTable, expected: CandidateTable) -> None:
    assert len(expected.vendors) > 0
    np.testing.assert_array_equal(found.vendors, expected.vendors)
    np.testing.assert_array_equal(found.matrix, expected.matrix)
    for name in ("framework_fail", "framework_unknown", "budget_fail", "cheapest"):
        np.testing.assert_array_equal(getattr(found, name), getattr(expected, name))
    assert found.best_case == expected.best_case


@pytest.fixture(scope="module")
def bundled() -> MatchIndex:
    index = build_index(load_knowledge_base(BUNDLED_KB_DIR))
    prepare_index(index)
    return index


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> MatchIndex:
    folder = tmp_path_factory.mktemp("synth") / "kb"
    write_synthetic_knowledge_base(
        folder, SynthSize(vendors=300, offerings=2400, case_studies=120, bodies=60), seed=3
    )
    index = build_index(load_knowledge_base(folder))
    prepare_index(index)
    return index


@pytest.mark.parametrize("which", range(len(PROFILES)))
def test_the_candidate_index_agrees_with_a_full_scan_on_the_bundled_kb(
    bundled: MatchIndex, which: int
) -> None:
    _assert_same(*_tables(bundled, PROFILES[which]))


@pytest.mark.parametrize("which", range(len(PROFILES)))
def test_the_candidate_index_agrees_with_a_full_scan_on_a_synthetic_catalogue(
    synthetic: MatchIndex, which: int
) -> None:
    found, expected = _tables(synthetic, PROFILES[which])
    _assert_same(found, expected)
    # the index reads fewer offerings than the catalogue holds, yet misses no vendor
    assert len(expected.vendors) < len(synthetic.vendors)


def test_a_query_reads_only_rows_sharing_a_term_and_scores_them_as_a_full_product(
    synthetic: MatchIndex,
) -> None:
    words = need_index(synthetic).ways[0]
    assert words.offerings is not None
    # goals in the catalogue's own words: some offerings' names
    offerings = [o for v in synthetic.kb.vendors for o in v.offerings]
    for goal in (offerings[0].name, offerings[len(offerings) // 2].description):
        query = words.vectoriser.vector(goal)
        rows, sims = words.offerings.dot_sharing(query)
        full = words.offerings.dot(query)
        assert rows.size > 0
        np.testing.assert_array_equal(rows, np.flatnonzero(full))  # the rows sharing a term
        spread = np.zeros_like(full)
        spread[rows] = sims
        np.testing.assert_array_equal(spread, full)


def test_an_unknown_word_reads_nothing() -> None:
    vec = Vectoriser.fit(["blue badge", "bin collection"], str.split)
    rows, sims = vec.transform(["blue bins", "badge"]).dot_sharing(vec.vector("zebra"))
    assert rows.size == 0
    assert sims.size == 0
