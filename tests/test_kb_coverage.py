"""The bundled knowledge base covers what the report names, linked as the report states."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from advisor.kb.loader import load_knowledge_base
from advisor.kb.models import CaseStudy, KnowledgeBase, Vendor
from advisor.vocabulary import BarrierId, DeliveryModelId, TechnologyAreaId

KB_DIR = Path(__file__).resolve().parents[1] / "knowledge_base"

# Every company of the report's s7 table, and every other technology player it names.
VENDORS = {
    "bt": "BT",
    "cisco": "Cisco",
    "cognitiv_plus": "Cognitiv+",
    "digi_me": "Digi.me",
    "in2": "IN2",
    "meeco": "Meeco",
    "meganexus": "MegaNexus",
    "palantir": "Palantir Technologies",
    "pinro": "Pinro Technologies",
    "sodermann_radgivning": "Sodermann Radgivning A/S",
    "the_rain_gods": "The Rain Gods",
    "trilateral_research": "Trilateral Research",
    "yoti": "Yoti",
    "socrata": "Socrata",
    "ibm": "IBM",
    "hp": "HP",
    "dell_emc": "Dell EMC",
    "ptc": "PTC",
    "nec": "NEC",
    "interdigital": "InterDigital",
    "salesforce": "salesforce.com",
    "arup": "Arup",
    "silver_spring_networks": "Silver Spring Networks",
    "kiwi_power": "KiWi Power",
    "open_identity_exchange": "Open Identity Exchange",
    "amazon_web_services": "Amazon Web Services",
    "crown_hosting": "Crown Hosting Data Centres",
}

CASE_STUDIES = [
    "greenwich_asc_choice_control",
    "leeds_data_mill",
    "one_transport",
    "sunderland_intelligence_hub",
    "kirklees_comoodle",
    "camden_vital",
    "bristol_is_open",
    "mk_smart",
    "peterborough_crm_platform",
    "manchester_data_hub",
    "passport_dvla_photo_reuse",
    "warwickshire_blue_badge",
    "bradford_app",
    "gla_energy_demand_aggregation",
    "kirklees_business_hub",
    "solihull_data_centre",
    "oxford_city_outsourced_data_centre",
]

# The annex's touchpoints by name (GP is listed twice there, once here).
ANNEX_TOUCHPOINTS = [
    "Road condition reporting",
    "Utilities (water, electricity, gas)",
    "Leisure / sport centres",
    "Parking permits",
    "Emergency services",
    "DVLA",
    "HMRC",
    "Library service",
    "Electoral register",
    "Council tax",
    "GP",
    "Company registration",
    "Council call centre",
    "Social care services",
    "Meals on Wheels",
    "Housing department",
    "Planning department",
    "Hospitals",
    "Public transport (bus, train)",
    "Health & safety department",
    "Waste collection",
    "Trading standards",
    "In-work benefits",
    "Unemployment benefits",
    "Passport office",
    "Courts",
    "Schools",
    "Education department",
    "Adult education",
    "Motability",
    "TV Licensing",
    "Transport advice / information",
    "Dentist",
    "Pharmacy",
]

OPPORTUNITIES = [
    "smart_meter_support_elderly",
    "housing_repairs_domestic_abuse",
    "bus_school_attendance_support",
    "blue_badge_validation",
    "hospital_discharge_data_sharing",
]

BODIES = [
    "sunderland_city_council",
    "leeds_city_council",
    "oxfordshire_county_council",
    "buckinghamshire_county_council",
    "northamptonshire_county_council",
    "kirklees_council",
    "camden_council",
    "greenwich_council",
    "bradford_council",
    "peterborough_city_council",
    "warwickshire_county_council",
    "milton_keynes_council",
    "bristol_city_council",
    "solihull_mbc",
    "oxford_city_council",
    "greater_london_authority",
    "dwp",
    "dft",
    "hm_passport_office",
    "dvla",
    "northumbria_police",
    "northumbria_water",
    "open_university",
    "university_of_bristol",
    "imperial_college_london",
    "ucl",
    "loughborough_university",
    "bloomberg_philanthropies",
    "european_commission",
    "hefce",
    "local_enterprise_partnerships",
    "camden_town_unlimited",
    "hubbub_foundation",
    "digital_catapult",
    "eit_digital",
]

TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(KB_DIR)


def _case(kb: KnowledgeBase, case_id: str) -> CaseStudy:
    return next(c for c in kb.case_studies if c.id == case_id)


def _vendor(kb: KnowledgeBase, vendor_id: str) -> Vendor:
    return next(v for v in kb.vendors if v.id == vendor_id)


@pytest.mark.parametrize(("vendor_id", "name"), sorted(VENDORS.items()))
def test_every_named_vendor_exists(kb: KnowledgeBase, vendor_id: str, name: str) -> None:
    vendor = _vendor(kb, vendor_id)
    assert vendor.name == name
    assert vendor.last_reviewed == TODAY


@pytest.mark.parametrize("case_id", CASE_STUDIES)
def test_every_case_study_exists(kb: KnowledgeBase, case_id: str) -> None:
    assert case_id in {c.id for c in kb.case_studies}


@pytest.mark.parametrize("body_id", BODIES)
def test_every_named_body_exists(kb: KnowledgeBase, body_id: str) -> None:
    assert body_id in {b.id for b in kb.bodies}


def test_all_annex_touchpoints_exist_once(kb: KnowledgeBase) -> None:
    names = Counter(t.name for t in kb.touchpoints)
    assert sorted(names) == sorted(ANNEX_TOUCHPOINTS)
    assert max(names.values()) == 1


def test_touchpoint_aliases_do_not_clash(kb: KnowledgeBase) -> None:
    words = Counter(w.lower() for t in kb.touchpoints for w in [t.name, *t.aliases])
    assert [w for w, n in words.items() if n > 1] == []


def test_the_report_opportunities_exist(kb: KnowledgeBase) -> None:
    assert sorted(o.id for o in kb.opportunities) == sorted(OPPORTUNITIES)


def test_vocabulary_entries_are_complete(kb: KnowledgeBase) -> None:
    assert {b.id for b in kb.barriers} == set(BarrierId)
    assert {m.id for m in kb.delivery_models} == set(DeliveryModelId)
    assert {a.id for a in kb.technology_areas} == set(TechnologyAreaId)
    assert len(kb.layers) == 3


def test_each_area_has_five_named_levels(kb: KnowledgeBase) -> None:
    names = None
    for area in kb.technology_areas:
        assert [lv.level for lv in area.levels] == [1, 2, 3, 4, 5]
        level_names = [lv.name for lv in area.levels]
        names = names or level_names
        assert level_names == names, f"{area.id} uses different level names"
        # descriptors are distinct, observable sentences, not repeats of the name
        assert len({lv.descriptor for lv in area.levels}) == 5


@pytest.mark.parametrize("barrier", list(BarrierId))
def test_each_barrier_has_at_least_two_mitigations(kb: KnowledgeBase, barrier: BarrierId) -> None:
    assert sum(m.barrier == barrier for m in kb.mitigations) >= 2


def test_sunderland_intelligence_hub_links(kb: KnowledgeBase) -> None:
    cs = _case(kb, "sunderland_intelligence_hub")
    assert cs.vendors == ["palantir"]
    assert "palantir_gotham" in cs.offerings
    assert set(cs.delivery_models) == {"strategic_platform", "digital_hit_team"}
    assert len(cs.departments) >= 2
    assert {"northumbria_police", "northumbria_water"} <= set(cs.partners)
    assert set(cs.layers) == {"infrastructure", "data", "service_application"}


def test_kirklees_comoodle_is_externally_funded_by_bloomberg(kb: KnowledgeBase) -> None:
    cs = _case(kb, "kirklees_comoodle")
    assert "externally_funded" in cs.delivery_models
    assert any(
        f.kind == "philanthropic" and "bloomberg_philanthropies" in f.funders for f in cs.funding
    )
    assert "financial" in cs.barriers_overcome


def test_one_transport_is_outreach_led_by_oxfordshire(kb: KnowledgeBase) -> None:
    cs = _case(kb, "one_transport")
    assert cs.delivery_models == ["outreach"]
    assert cs.lead_bodies == ["oxfordshire_county_council"]
    assert {"buckinghamshire_county_council", "northamptonshire_county_council"} <= set(cs.partners)
    assert {"interdigital", "arup"} <= set(cs.vendors)
    assert cs.data_use == "expose"


def test_camden_vital_is_funded_by_the_eu(kb: KnowledgeBase) -> None:
    cs = _case(kb, "camden_vital")
    assert "externally_funded" in cs.delivery_models
    assert any(f.kind == "eu" and "european_commission" in f.funders for f in cs.funding)
    assert "camden_town_unlimited" in cs.partners


def test_warwickshire_blue_badge_partners(kb: KnowledgeBase) -> None:
    cs = _case(kb, "warwickshire_blue_badge")
    assert cs.lead_bodies == ["warwickshire_county_council"]
    assert {"dwp", "dft"} <= set(cs.partners)
    assert "open_identity_exchange" in cs.vendors
    assert "blue_badge_validation" in cs.opportunities
    assert "legal" in cs.barriers_overcome
    assert any("instantly" in o for o in cs.outcomes)


def test_bristol_is_open_partners_and_platform(kb: KnowledgeBase) -> None:
    cs = _case(kb, "bristol_is_open")
    assert {"nec", "interdigital", "socrata"} <= set(cs.vendors)
    assert "socrata_open_data_platform" in cs.offerings
    assert "university_of_bristol" in cs.partners
    assert {f.kind for f in cs.funding} >= {"eu", "national", "local", "academic"}


def test_mk_smart_with_bt_open_university_and_hefce(kb: KnowledgeBase) -> None:
    cs = _case(kb, "mk_smart")
    assert "bt" in cs.vendors
    assert "open_university" in cs.partners
    assert any("hefce" in f.funders for f in cs.funding)
    assert "personal_identity_data_management" in cs.technology_areas


def test_peterborough_with_salesforce(kb: KnowledgeBase) -> None:
    cs = _case(kb, "peterborough_crm_platform")
    assert cs.vendors == ["salesforce"]
    assert "strategic_platform" in cs.delivery_models


def test_greenwich_targets_admin_savings(kb: KnowledgeBase) -> None:
    cs = _case(kb, "greenwich_asc_choice_control")
    assert cs.delivery_models == ["digital_hit_team"]
    assert any("10%" in o for o in cs.outcomes)


def test_personal_data_vendors_address_the_legal_barrier(kb: KnowledgeBase) -> None:
    for vendor_id in ("meeco", "yoti", "digi_me", "open_identity_exchange"):
        offers = _vendor(kb, vendor_id).offerings
        assert any("legal" in o.barriers_addressed for o in offers), vendor_id
        assert any("personal_identity_data_management" in o.technology_areas for o in offers)


def test_every_report_entry_names_its_report_section(kb: KnowledgeBase) -> None:
    kinds = [name for name in KnowledgeBase.model_fields if name != "procurement_routes"]
    for kind in kinds:
        for entry in getattr(kb, kind):
            assert entry.source.startswith("report "), f"{kind} {entry.id}: {entry.source}"


def test_procurement_routes_name_a_public_source(kb: KnowledgeBase) -> None:
    for route in kb.procurement_routes:
        # the Crown Commercial Service is the Government Commercial Agency from April 2026
        publishers = ("Procurement Act", "Crown Commercial Service", "Government Commercial Agency")
        assert any(p in route.source for p in publishers), route.id


def test_procurement_routes_in_force_today(kb: KnowledgeBase) -> None:
    live = {r.id for r in kb.procurement_routes if r.valid_from <= TODAY <= r.valid_until}
    expired = {r.id for r in kb.procurement_routes if r.valid_until < TODAY}
    # G-Cloud 14 ended on 28 October 2026; it stays on file to prove expired rules are filtered
    assert "g_cloud_14_direct_award" in expired
    assert {"g_cloud_15_direct_award", "digital_outcomes_7", "technology_services_4"} <= live
    assert "digital_outcomes_6" in expired


def test_thresholds_follow_the_2026_change(kb: KnowledgeBase) -> None:
    routes = {r.id: r for r in kb.procurement_routes}
    assert routes["open_procedure_sub_central_2025"].min_value_gbp == 214_904
    assert routes["open_procedure_central_2025"].min_value_gbp == 139_688
    assert routes["open_procedure_sub_central"].min_value_gbp == 207_720
    assert routes["open_procedure_central"].min_value_gbp == 135_018
    assert routes["below_threshold_sub_central_2026"].min_value_gbp == 30_000
    assert routes["below_threshold_central_2026"].min_value_gbp == 12_000
    # each live below-threshold band stops just short of the live threshold
    for buyer, above in (("sub_central", 207_720), ("central", 135_018)):
        band = routes[f"below_threshold_{buyer}_2026"]
        assert band.max_value_gbp == above - 1


def test_case_study_regions_match_their_lead_body(kb: KnowledgeBase) -> None:
    regions = {b.id: b.region for b in kb.bodies}
    for cs in kb.case_studies:
        assert cs.region == regions[cs.lead_bodies[0]], cs.id
