"""Procurement routes: dated, superseded-aware, decided by the 2026 thresholds and the term."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from advisor.explaining import KINDS, say_all
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.models import KnowledgeBase, ProcurementRoute
from advisor.matching import build_index, match_profile
from advisor.matching.index import MatchIndex
from advisor.matching.procurement import LONG_TERM_MONTHS, PROCEDURES, SHORT_TERM_MONTHS
from advisor.profile import Profile
from advisor.recommendation import ProcurementItem
from advisor.vocabulary import FrameworkId

TODAY = date(2026, 11, 24)
DAYS = [
    date(2025, 6, 1),
    date(2026, 1, 15),
    date(2026, 3, 1),
    date(2026, 5, 1),
    date(2026, 6, 20),
    date(2026, 10, 28),
    date(2026, 11, 24),
    date(2027, 6, 1),
]


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(BUNDLED_KB_DIR)


@pytest.fixture(scope="module")
def index(kb: KnowledgeBase) -> MatchIndex:
    return build_index(kb)


def _profile(kind: str = "unitary", budget: int | None = None, **factors: str) -> Profile:
    data: dict[str, Any] = {"organisation": {"name": "Test Council", "kind": kind}}
    if budget is not None:
        data["constraints"] = {"budget_gbp": budget}
    if factors:
        data["factors"] = factors
    return Profile.model_validate(data)


def _routes(index: MatchIndex, profile: Profile, today: date = TODAY) -> list[ProcurementItem]:
    return match_profile(profile, index, today=today).procurement_routes


def _kinds(kb: KnowledgeBase, items: list[ProcurementItem]) -> set[str]:
    by_id = {r.id: r for r in kb.procurement_routes}
    return {by_id[i.id].kind for i in items}


def _superseded(route: ProcurementRoute, kb: KnowledgeBase, today: date) -> bool:
    if route.superseded_by is None:
        return False
    successor = next((r for r in kb.procurement_routes if r.id == route.superseded_by), None)
    return successor is None or successor.valid_from <= today


PROFILES = [
    _profile(),
    _profile(budget=20_000),
    _profile(budget=100_000),
    _profile(budget=500_000, scope="strategic"),
    _profile(kind="central_government", budget=100_000),
    _profile(kind="central_government", budget=2_000_000),
]


@pytest.mark.parametrize("today", DAYS, ids=str)
def test_no_expired_or_superseded_route_is_offered(
    kb: KnowledgeBase, index: MatchIndex, today: date
) -> None:
    by_id = {r.id: r for r in kb.procurement_routes}
    for profile in PROFILES:
        for item in _routes(index, profile, today):
            route = by_id[item.id]
            assert route.valid_from <= today <= route.valid_until, (today, item.id)
            assert not _superseded(route, kb, today), (today, item.id)


def test_successors_take_over_on_their_start_day(kb: KnowledgeBase, index: MatchIndex) -> None:
    profile = _profile(budget=100_000)
    before = {i.id for i in _routes(index, profile, date(2026, 3, 1))}
    after = {i.id for i in _routes(index, profile, date(2026, 5, 1))}
    # Digital Outcomes 6 until 31 March 2026, then Digital Outcomes and Specialists 7, which
    # also replaced Digital Specialists and Programmes (kept only for procurements under way)
    assert "digital_outcomes_6" in before
    assert "digital_outcomes_7" not in before
    assert "digital_outcomes_7" in after
    assert not after & {"digital_outcomes_6", "digital_specialists_programmes"}
    # Technology Services 4 started on 12 December 2025, so 3 is no longer offered
    assert "technology_services_4" in after
    assert "technology_services_3" not in after | before
    # G-Cloud 14 to 28 October 2026, then G-Cloud 15
    last = {i.id for i in _routes(index, profile, date(2026, 10, 28))}
    assert "g_cloud_14_direct_award" in last
    assert "g_cloud_15_direct_award" not in last
    now = {i.id for i in _routes(index, profile)}
    assert "g_cloud_15_direct_award" in now
    assert "g_cloud_14_direct_award" not in now


def test_a_route_whose_successor_is_not_on_file_is_never_offered(
    kb: KnowledgeBase, index: MatchIndex
) -> None:
    products = next(r for r in kb.procurement_routes if r.id == "technology_products_2")
    assert products.superseded_by
    assert products.superseded_by not in {r.id for r in kb.procurement_routes}
    for today in DAYS:
        for profile in PROFILES:
            assert "technology_products_2" not in {i.id for i in _routes(index, profile, today)}


def test_superseded_by_names_a_route_on_file_or_a_successor_in_words(kb: KnowledgeBase) -> None:
    ids = {r.id for r in kb.procurement_routes}
    for route in kb.procurement_routes:
        if route.superseded_by is not None:
            assert route.superseded_by in ids or " " in route.superseded_by, route.id
            assert route.superseded_by != route.id


def test_the_2026_figures_are_on_file(kb: KnowledgeBase) -> None:
    routes = {r.id: r for r in kb.procurement_routes}
    assert routes["open_procedure_sub_central"].min_value_gbp == 207_720
    assert routes["open_procedure_central"].min_value_gbp == 135_018
    assert routes["below_threshold_sub_central_2026"].min_value_gbp == 30_000
    assert routes["below_threshold_central_2026"].min_value_gbp == 12_000
    assert "£5,193,000" in (routes["open_procedure_sub_central"].threshold_note or "")
    assert "£663,540" in (routes["open_procedure_sub_central"].threshold_note or "")
    assert routes["g_cloud_14_direct_award"].valid_until == date(2026, 10, 28)
    assert routes["technology_services_4"].valid_until == date(2028, 6, 11)
    assert routes["technology_services_3"].valid_until == date(2026, 6, 14)
    assert routes["digital_specialists_programmes"].valid_until == date(2026, 5, 30)
    assert routes["digital_outcomes_7"].valid_from == date(2026, 4, 1)
    assert "RM1043.9" in routes["digital_outcomes_7"].source
    lots = ("1a", "1b", "2a", "2b", "3")
    assert all(lot in routes["g_cloud_15_direct_award"].description for lot in lots)
    for route in kb.procurement_routes:
        current = route.valid_until >= date(2026, 4, 1) and route.superseded_by is None
        if current and "Crown Commercial Service" in route.source:
            assert "Government Commercial Agency" in route.source, route.id
        if route.review_date:
            assert "review date" in (route.threshold_note or ""), route.id


@pytest.mark.parametrize(
    ("kind", "budget", "above"),
    [
        ("unitary", 200_000, False),
        ("unitary", 207_719, False),
        ("unitary", 207_720, True),
        ("unitary", 210_000, True),
        ("county", 214_000, True),
        ("central_government", 130_000, False),
        ("central_government", 140_000, True),
        ("agency", 135_018, True),
    ],
)
def test_the_2026_thresholds_decide_the_procedure(
    kb: KnowledgeBase, index: MatchIndex, kind: str, budget: int, above: bool
) -> None:
    items = _routes(index, _profile(kind, budget))
    kinds = _kinds(kb, items)
    if above:
        assert "open_procedure" in kinds
        assert "competitive_flexible_procedure" in kinds
        assert "below_threshold" not in kinds
    else:
        assert "below_threshold" in kinds
        assert not kinds & PROCEDURES
    assert all(f"£{budget:,}" in i.threshold for i in items)


def test_the_2025_threshold_held_before_the_change(kb: KnowledgeBase, index: MatchIndex) -> None:
    # £210,000 was below the 2025 council threshold (£214,904) and is above the 2026 one
    then = _kinds(kb, _routes(index, _profile(budget=210_000), date(2025, 6, 1)))
    assert "below_threshold" in then
    assert not then & PROCEDURES
    now = _kinds(kb, _routes(index, _profile(budget=210_000), date(2026, 1, 15)))
    assert "open_procedure" in now


@pytest.mark.parametrize("kind", ["unitary", "central_government"])
@pytest.mark.parametrize("today", [date(2025, 6, 1), TODAY])
def test_no_budget_no_above_threshold_procedure(
    kb: KnowledgeBase, index: MatchIndex, kind: str, today: date
) -> None:
    items = _routes(index, _profile(kind, scope="strategic"), today)
    assert items
    assert not _kinds(kb, items) & PROCEDURES
    # the first route says the spend must be found out first; the others do not repeat it
    assert "spend_unknown" in {r.kind for r in items[0].reasons}
    assert any("find out the likely whole-life spend" in w for w in items[0].why)
    assert not any("spend_unknown" in {r.kind for r in item.reasons} for item in items[1:])


def test_a_multi_year_strategic_partnership_is_not_sent_to_a_g_cloud_call_off(
    kb: KnowledgeBase, index: MatchIndex
) -> None:
    profile = _profile(budget=1_800_000, scope="strategic", service_innovation="new")
    by_id = {r.id: r for r in kb.procurement_routes}
    for today in (date(2026, 6, 20), TODAY):
        items = _routes(index, profile, today)
        assert items
        for item in items:
            route = by_id[item.id]
            assert route.framework != FrameworkId.g_cloud, (today, item.id)
            assert route.max_term_months is None or route.max_term_months >= LONG_TERM_MONTHS
        told = [r for r in items[0].reasons if r.kind == "term_too_short"]
        assert told
        assert any("G-Cloud" in w and "not offered" in w for w in items[0].why)
    # the same council buying a small tactical service may use G-Cloud directly
    small = {i.id for i in _routes(index, _profile(budget=100_000))}
    assert "g_cloud_15_direct_award" in small


def test_likely_term_rule(index: MatchIndex) -> None:
    def term(profile: Profile) -> int:
        items = _routes(index, profile)
        needs = {r.figures["need"] for i in items for r in i.reasons if "need" in r.figures}
        return int(needs.pop()) if needs else SHORT_TERM_MONTHS

    assert term(_profile(budget=1_000_000)) == LONG_TERM_MONTHS
    assert term(_profile(budget=999_999)) == SHORT_TERM_MONTHS
    assert term(_profile(budget=100_000)) == SHORT_TERM_MONTHS


def test_reasons_are_data_and_worded_without_ids(kb: KnowledgeBase, index: MatchIndex) -> None:
    ids = {r.id for r in kb.procurement_routes} | {f.value for f in FrameworkId}
    keys = {"valid_until", "max_term_months", "superseded_by", "threshold_note", "budget_gbp"}
    profiles = [*PROFILES, _profile(budget=1_800_000, scope="strategic")]
    seen: set[str] = set()
    for today in (date(2026, 3, 1), TODAY):
        for profile in profiles:
            for item in _routes(index, profile, today):
                assert item.reasons
                assert item.why == say_all(item.reasons)
                for reason in item.reasons:
                    assert reason.kind in KINDS
                    seen.add(reason.kind)
                for sentence in item.why:
                    assert "->" not in sentence, sentence
                    assert "<-" not in sentence, sentence
                    assert "_" not in sentence, sentence
                    assert not any(k in sentence for k in keys), sentence
                    words = set(sentence.replace(",", " ").replace(":", " ").split())
                    assert not words & ids, sentence
    expected = {
        "route_rule",
        "route_in_force",
        "spend_unknown",
        "above_threshold",
        "below_threshold",
        "vendors_on_framework",
        "route_suits_gap",
        "term_too_short",
    }
    assert expected <= seen
