"""Matching: the report's obvious answers come out on top, and every why is a real graph path."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from advisor.assessment_input import load_assessment_input
from advisor.kb.graph import build_graph, has_edge
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.models import KnowledgeBase, Offering, Vendor
from advisor.matching import build_index, load_matching_rules, match, match_profile
from advisor.profile import Profile
from advisor.recommendation import Recommendation
from advisor.vocabulary import TechnologyAreaId

PERSONAS = Path(__file__).parent / "personas"
TODAY = date(2026, 11, 24)
CONSENT_VENDORS = {"meeco", "yoti", "digi_me", "open_identity_exchange"}


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(BUNDLED_KB_DIR)


@pytest.fixture(scope="module")
def recs(kb: KnowledgeBase) -> dict[str, Recommendation]:
    index = build_index(kb)
    rules = load_matching_rules()
    out = {}
    for path in sorted(PERSONAS.glob("*.yaml")):
        profile = load_assessment_input(path).profile
        out[path.stem] = match_profile(profile, index, rules, today=TODAY)
    return out


def test_legal_blocked_council_needs_identity_first_and_consent_vendors(recs: dict) -> None:
    rec = recs["legal_blocked"]
    assert rec.gaps[0].id == "personal_identity_data_management"
    assert rec.barriers[0].id == "legal"
    mitigation_names = " ".join(m.name.lower() for m in rec.barriers[0].mitigations)
    assert "consent" in mitigation_names
    top = {v.id for v in rec.vendors[:5]}
    assert top & CONSENT_VENDORS, top


def test_county_opening_transport_feeds_gets_outreach_and_one_transport(recs: dict) -> None:
    rec = recs["oxfordshire_transport"]
    assert rec.delivery_models[0].id == "outreach"
    assert rec.case_studies[0].id == "one_transport"
    assert rec.gaps[0].id == "data_aggregation_sharing"


def test_grant_dependent_council_gets_external_funding_and_comoodle(recs: dict) -> None:
    rec = recs["kirklees_grant"]
    assert rec.delivery_models[0].id == "externally_funded"
    assert "kirklees_comoodle" in [c.id for c in rec.case_studies[:2]]
    assert rec.barriers[0].id == "financial"


def test_sunderland_like_hub_gets_strategic_platform_and_palantir(recs: dict) -> None:
    rec = recs["sunderland_hub"]
    assert [m.id for m in rec.delivery_models[:2]] == ["strategic_platform", "digital_hit_team"]
    assert "palantir" in [v.id for v in rec.vendors]
    assert "sunderland_intelligence_hub" in [c.id for c in rec.case_studies[:3]]


def test_special_team_redesigning_social_care_gets_hit_team_and_greenwich(recs: dict) -> None:
    rec = recs["greenwich_asc"]
    assert rec.delivery_models[0].id == "digital_hit_team"
    assert rec.case_studies[0].id == "greenwich_asc_choice_control"


def _all_items(rec: Recommendation) -> list:
    items = [*rec.gaps, *rec.vendors, *rec.case_studies, *rec.peers, *rec.procurement_routes]
    items += [m for b in rec.barriers for m in b.mitigations]
    return items


@pytest.mark.parametrize(
    "persona",
    ["legal_blocked", "oxfordshire_transport", "kirklees_grant", "sunderland_hub", "greenwich_asc"],
)
def test_every_why_path_is_made_of_real_edges(recs: dict, kb: KnowledgeBase, persona: str) -> None:
    g = build_graph(kb)
    rec = recs[persona]
    n_steps = 0
    for item in _all_items(rec):
        for path in item.paths:
            assert path, item.id
            for s in path:
                assert s.src in g, (item.id, s)
                assert s.dst in g, (item.id, s)
                assert has_edge(g, s.src, s.edge, s.dst), (item.id, s)
                n_steps += 1
    assert n_steps > 20
    # every vendor is explained by at least one path through one of its offerings
    for v in rec.vendors:
        assert any(s.src == f"vendor:{v.id}" for p in v.paths for s in p), v.id
        assert v.why


def test_results_are_deterministic(kb: KnowledgeBase) -> None:
    profile = load_assessment_input(PERSONAS / "legal_blocked.yaml").profile
    first = match_profile(profile, build_index(kb), today=TODAY).model_dump_json()
    second = match_profile(profile, build_index(kb), today=TODAY).model_dump_json()
    assert first == second


def _unrelated_vendor() -> Vendor:
    return Vendor(
        id="zz_street_lights",
        name="AAAA First Street Lighting",
        description="Street lighting networks only.",
        sme=True,
        regions=["UK-wide"],
        frameworks=["g_cloud"],
        offerings=[
            Offering(
                id="zz_lights_network",
                name="Lighting mesh",
                description="Mesh network for street lights.",
                technology_areas=["connectivity"],
                frameworks=["g_cloud"],
            )
        ],
        source="test",
        last_reviewed=TODAY,
    )


def _without_sensitivity(rec: Recommendation) -> dict:
    data = json.loads(rec.model_dump_json())
    data.pop("near_misses")
    return data


def test_adding_or_renaming_an_unrelated_vendor_changes_nothing(kb: KnowledgeBase) -> None:
    profile = load_assessment_input(PERSONAS / "legal_blocked.yaml").profile
    before = match_profile(profile, build_index(kb), today=TODAY)
    listed = {v.id for v in before.vendors} | {m.id for m in before.near_misses}
    added = kb.model_copy(update={"vendors": [*kb.vendors, _unrelated_vendor()]})
    after_add = match_profile(profile, build_index(added), today=TODAY)
    assert after_add.model_dump_json() == before.model_dump_json()

    unrelated = next(v for v in kb.vendors if v.id not in listed)
    renamed = [
        v.model_copy(update={"name": "AAAA Renamed"}) if v.id == unrelated.id else v
        for v in kb.vendors
    ]
    after_rename = match_profile(
        profile, build_index(kb.model_copy(update={"vendors": renamed})), today=TODAY
    )
    assert after_rename.model_dump_json() == before.model_dump_json()


def test_a_vendors_name_does_not_decide_ties(kb: KnowledgeBase) -> None:
    """Renaming a shortlisted vendor to sort first alphabetically does not move it."""
    profile = load_assessment_input(PERSONAS / "legal_blocked.yaml").profile
    before = match_profile(profile, build_index(kb), today=TODAY)
    target = before.vendors[-1].id
    renamed = [
        v.model_copy(update={"name": "AAAA " + v.name}) if v.id == target else v for v in kb.vendors
    ]
    after = match_profile(
        profile, build_index(kb.model_copy(update={"vendors": renamed})), today=TODAY
    )
    assert [v.id for v in after.vendors] == [v.id for v in before.vendors]


def test_expired_routes_are_never_offered(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Test Council", "kind": "unitary"},
            "constraints": {"budget_gbp": 100000},
        }
    )
    index = build_index(kb)
    expired = [r for r in kb.procurement_routes if r.valid_until < TODAY]
    assert expired, "the knowledge base keeps at least one expired route"
    offered = {r.id for r in match_profile(profile, index, today=TODAY).procurement_routes}
    assert not offered & {r.id for r in expired}
    # on a day when it was in force, the same route is offered
    old = expired[0]
    then = match_profile(profile, index, today=old.valid_until).procurement_routes
    if "sub_central" in old.buyers and old.min_value_gbp <= 100000 <= (old.max_value_gbp or 10**12):
        assert old.id in {r.id for r in then}


@pytest.mark.parametrize(
    ("kind", "budget", "expect_kind"),
    [
        ("unitary", 500_000, "open_procedure"),
        ("unitary", 100_000, "below_threshold"),
        ("central_government", 200_000, "open_procedure"),
    ],
)
def test_spend_decides_the_procedure(
    kb: KnowledgeBase, kind: str, budget: int, expect_kind: str
) -> None:
    profile = Profile.model_validate(
        {"organisation": {"name": "Test", "kind": kind}, "constraints": {"budget_gbp": budget}}
    )
    routes = match_profile(profile, build_index(kb), today=TODAY).procurement_routes
    by_id = {r.id: r for r in kb.procurement_routes}
    kinds = {by_id[r.id].kind for r in routes}
    assert expect_kind in kinds
    for r in routes:
        rule = by_id[r.id]
        assert rule.min_value_gbp <= budget
        assert rule.max_value_gbp is None or budget <= rule.max_value_gbp
        assert f"£{budget:,}" in r.threshold


def test_hand_written_profile_is_fitted_by_the_same_delivery_rules(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Quick Council", "kind": "county", "region": "South East"},
            "factors": {
                "scope": "strategic",
                "data_use": "expose",
                "deployment": "external_partner",
            },
            "barriers": {"financial": 1, "legal": 1},
            "maturity": {"data_aggregation_sharing": 2},
            "goals": ["Public transport (bus, train)", "real-time traffic data for developers"],
        }
    )
    rec = match(profile, build_graph(kb), today=TODAY)
    assert rec.delivery_models[0].id == "outreach"
    assert rec.delivery_models[0].why
    assert rec.goals
    assert rec.goals[0].matches


def test_free_text_goal_maps_to_report_entries(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Goal Council"},
            "goals": ["use smart meter energy data to support older residents"],
        }
    )
    rec = match_profile(profile, build_index(kb), today=TODAY)
    ids = [m.id for m in rec.goals[0].matches]
    assert any("smart_meter" in i or "utilities" in i for i in ids), ids


def test_silo_is_flagged_not_recommended(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Silo Council"},
            "factors": {
                "scope": "tactical",
                "data_use": "internal",
                "deployment": "departmental_team",
            },
        }
    )
    rec = match_profile(profile, build_index(kb), today=TODAY)
    assert rec.silo_warning
    assert "silo" not in {m.id for m in rec.delivery_models}


def test_shortlist_length_can_grow(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate({"organisation": {"name": "Any Council"}})
    index = build_index(kb)
    assert len(match_profile(profile, index, today=TODAY).vendors) == 5
    assert len(match_profile(profile, index, today=TODAY, shortlist=10).vendors) == 10


def test_budget_and_framework_constraints_make_near_misses(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            "organisation": {"name": "Strict Council"},
            "barriers": {"legal": 4},
            "constraints": {"frameworks": ["g_cloud"]},
        }
    )
    rec = match_profile(profile, build_index(kb), today=TODAY)
    by_id = {v.id: v for v in kb.vendors}
    for v in rec.vendors:
        recorded = by_id[v.id].frameworks
        # on G-Cloud, or its frameworks are not recorded and the list says to check
        assert "g_cloud" in recorded or (
            not recorded and any(r.kind == "framework_unknown" for r in v.reasons)
        ), v.id
    # identity and consent vendors stay although their frameworks are not recorded
    assert {"meeco", "open_identity_exchange", "yoti"} & {v.id for v in rec.vendors}
    # a vendor known to sell only through another framework is set aside, saying why
    crown = match_profile(
        profile.model_copy(update={"goals": ["move servers out of our server room"]}),
        build_index(kb),
        today=TODAY,
    )
    assert "crown_hosting" not in {v.id for v in crown.vendors}
    assert any(
        m.id == "crown_hosting"
        and any(w.startswith("Not on G-Cloud, the framework you buy through") for w in m.why_not)
        for m in crown.near_misses
    )


def test_assess_json_has_the_design_keys() -> None:
    from typer.testing import CliRunner

    from advisor.cli import app

    result = CliRunner().invoke(app, ["assess", str(PERSONAS / "kirklees_grant.yaml"), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    for key in (
        "profile",
        "maturity",
        "delivery_models",
        "gaps",
        "barriers",
        "vendors",
        "case_studies",
        "peers",
        "procurement_routes",
        "roadmap",
    ):
        assert key in data, key
    assert set(data["maturity"]) >= {*data["profile"]["maturity"], "overall"}
    for key in (
        "delivery_models",
        "gaps",
        "vendors",
        "case_studies",
        "peers",
        "procurement_routes",
    ):
        for item in data[key]:
            assert {"id", "name", "score", "why"} <= set(item), (key, item)
        scores = [item["score"] for item in data[key]]
        assert scores == sorted(scores, reverse=True), key


def test_only_a_clear_best_fit_is_recommended(recs: dict) -> None:
    rules = load_matching_rules()
    for rec in recs.values():
        best = rec.delivery_models[0]
        assert best.recommended == (best.score >= rules.delivery.clear_fit)
        assert not any(m.recommended for m in rec.delivery_models[1:])
    assert recs["sunderland_hub"].delivery_models[0].recommended
    assert not recs["legal_blocked"].delivery_models[0].recommended  # top fit 0.37


def test_assess_text_names_areas_and_says_when_no_model_fits_clearly() -> None:
    from typer.testing import CliRunner

    from advisor.cli import app

    out = CliRunner().invoke(app, ["assess", str(PERSONAS / "legal_blocked.yaml")]).output
    assert "  Personal identity and data management  1  Starting" in out
    assert "Delivery models\n  none fits clearly yet: settle the barriers first\n" in out
    out = CliRunner().invoke(app, ["assess", str(PERSONAS / "sunderland_hub.yaml")]).output
    assert "Delivery models\n  recommended: Strategic platform\n" in out


NEUTRAL = {
    "organisation": {"name": "Example Council", "kind": "unitary", "region": "North West"},
    "factors": {"data_use": "internal", "deployment": "it_department"},
    "barriers": {"financial": 2, "knowledge": 2, "technology": 2, "legal": 1},
    "maturity": {a.value: 3 for a in TechnologyAreaId},
}


@pytest.mark.parametrize(
    ("goal", "case", "vendor"),
    [
        (
            "check Blue Badge applications with the applicant's consent",
            "warwickshire_blue_badge",
            "open_identity_exchange",
        ),
        ("open our bus data to neighbouring councils", "one_transport", "interdigital"),
        (
            "move our servers out of the council's server room",
            "oxford_city_outsourced_data_centre",
            "crown_hosting",
        ),
        ("show co-working desk availability", "camden_vital", None),
        ("share safeguarding information between police, health and council", None, "meganexus"),
        ("check contracts for compliance", None, "cognitiv_plus"),
    ],
)
def test_the_stated_need_decides_the_case_and_the_specialist(
    kb: KnowledgeBase, goal: str, case: str | None, vendor: str | None
) -> None:
    """The same neutral body, only its goal changed: the case the report ties to that need is
    in the top three and the specialist in the top five, whatever generalists cover."""
    rec = match_profile(
        Profile.model_validate({**NEUTRAL, "goals": [goal]}), build_index(kb), today=TODAY
    )
    if case:
        assert case in [c.id for c in rec.case_studies[:3]]
    if vendor:
        assert vendor in [v.id for v in rec.vendors[:5]]
        said = next(v for v in rec.vendors if v.id == vendor).why[0]
        assert "your goal" in said


def test_prefer_smes_brings_the_energy_sme_onto_the_shortlist(kb: KnowledgeBase) -> None:
    profile = Profile.model_validate(
        {
            **NEUTRAL,
            "goals": ["pool our buildings' electricity demand to earn from the grid"],
            "constraints": {"prefer_sme": True},
        }
    )
    rec = match_profile(profile, build_index(kb), today=TODAY)
    ids = [v.id for v in rec.vendors]
    assert "kiwi_power" in ids
    assert sum(v.sme for v in rec.vendors) >= 2


def test_renaming_the_body_changes_no_ranking(kb: KnowledgeBase) -> None:
    """Ties are ordered by ids, never by the body's name. (A body that is itself in the
    knowledge base is not its own peer, so both names here are unknown to it.)"""
    index = build_index(kb)

    def named(profile: Profile, name: str) -> Recommendation:
        org = profile.organisation.model_copy(update={"name": name})
        return match_profile(profile.model_copy(update={"organisation": org}), index, today=TODAY)

    for path in sorted(PERSONAS.glob("*.yaml")):
        profile = load_assessment_input(path).profile
        a, b = named(profile, "Alpha Test Council"), named(profile, "Zulu Test Council")
        for field in (
            "delivery_models",
            "gaps",
            "barriers",
            "vendors",
            "near_misses",
            "case_studies",
            "peers",
            "procurement_routes",
            "roadmap",
            "cautions_said",
        ):
            assert [_dump(i) for i in getattr(a, field)] == [_dump(i) for i in getattr(b, field)], (
                path.stem,
                field,
            )


def _dump(item: object) -> object:
    return item.model_dump() if hasattr(item, "model_dump") else item
