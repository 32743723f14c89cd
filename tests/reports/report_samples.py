"""A hand-built Recommendation shaped like the matcher's output, for report tests.

It lets the report tests run without the knowledge base or the matcher, and lets the
injection tests place hostile text in every field a vendor or a user could fill.
"""

from __future__ import annotations

from datetime import date

from advisor.base import MAX_NAME
from advisor.evidence import AnswerRef
from advisor.explaining import say_all
from advisor.profile import Evidence, Profile
from advisor.recommendation import (
    BarrierItem,
    CaseStudyItem,
    Confidence,
    DeliveryModelItem,
    GapItem,
    GoalMatch,
    MaturityResult,
    MitigationItem,
    NearMiss,
    PeerItem,
    ProcurementItem,
    RankedItem,
    Reason,
    Recommendation,
    RoadmapStage,
    Sensitivity,
    VendorItem,
)
from advisor.reporting.context import AnswerRow

REPORT_DATE = date(2026, 11, 24)
"""The date every report test renders for."""

AREAS = {
    "it_resources": 3,
    "connectivity": 2,
    "data_aggregation_sharing": 1,
    "data_analysis": 2,
    "personal_identity_data_management": 1,
    "application_enablement": 2,
    "security": 3,
}


def _reasons(*reasons: Reason) -> dict[str, object]:
    """An item's ``reasons`` and the ``why`` worded from them, as matching gives them."""
    return {"reasons": list(reasons), "why": say_all(reasons)}


def sample_recommendation(text: str = "") -> Recommendation:
    """A Recommendation for a metropolitan council; ``text`` is appended to every free field."""
    t = f" {text}" if text else ""
    register = AnswerRef(
        question="q_dataset_register",
        text="Do departments share one register of datasets?",
        answer=f"No{t}",
        note=f"each keeps its own spreadsheets{t}",
    )
    agreements = AnswerRef(
        question="q_sharing_agreements",
        text="Are there data-sharing agreements with other agencies?",
        answer="Yes, with the police",
    )
    open_data = AnswerRef(
        question="q_open_data",
        text="Is any data published openly?",
        answer="don't know",
        unknown=True,
    )
    gap_reasons = _reasons(
        Reason(kind="gap_level", figures={"level": 1, "level_name": "Starting"}),
        Reason(kind="goal_needs_area", figures={"target": "Hospitals", "named": True}),
        Reason(
            kind="goal_needs_area",
            figures={"goal": f"predict need{t}", "target": "Schools", "named": False},
        ),
        Reason(kind="goal_needs_area", figures={"target": "Schools", "named": True}),
        Reason(kind="model_leans_on_area", figures={"model": "Strategic platform"}),
    )
    gotham = f"Gotham data platform{t}"
    palantir_reasons = _reasons(
        Reason(
            kind="offering_answers_need",
            figures={
                "offering": gotham,
                "goal": "Hospitals",
                "named": True,
                "area": "Data analysis",
            },
        ),
        Reason(
            kind="covers_gap",
            figures={"offering": gotham, "area": "Data aggregation and sharing", "level": 1},
        ),
        Reason(
            kind="covers_gap", figures={"offering": gotham, "area": "Data analysis", "level": 2}
        ),
        Reason(kind="on_framework", figures={"framework": "G-Cloud"}),
        Reason(kind="serves_region", figures={"regions": "UK-wide"}),
    )
    consent = MitigationItem(
        id="consent_platform",
        name=f"Consent management with citizen opt-in{t}",
        score=0.9,
        description=f"Residents decide what is shared, with whom and why{t}.",
        actions=[f"Record consent per purpose{t}.", "Give a non-digital route."],
        **_reasons(
            Reason(kind="mitigation_eases", figures={"barrier": "Legal", "severity": 4}),
            Reason(
                kind="mitigation_shown_in_case",
                figures={"case": "Warwickshire online Blue Badge service"},
            ),
        ),
    )
    caution = Reason(
        kind="budget_short_of_model",
        figures={
            "budget": 250000,
            "usual_minimum": 400000,
            "model": "Strategic platform",
            "instead": "Digital hit team",
        },
    )
    roadmap_steps = [
        Reason(kind="ease_barrier", figures={"barrier": "Legal", "mitigation": consent.name}),
        Reason(kind="talk_to_peers", figures={"peers": ["Sunderland City Council"]}),
        Reason(kind="review_case", figures={"case": f"Sunderland Intelligence Hub{t}"}),
    ]
    profile = Profile.model_validate(
        {
            "organisation": {
                # names and regions are one line of at most MAX_NAME characters
                "name": f"Example Borough Council{t}"[:MAX_NAME],
                "kind": "metropolitan",
                "region": f"North East{t}"[:MAX_NAME],
            },
            "factors": {
                "scope": "strategic",
                "service_innovation": "new",
                "data_use": "expose",
                "deployment": "special_team",
            },
            "barriers": {
                "financial": 3,
                "knowledge": 2,
                "technology": 2,
                "culture": 1,
                "legal": 4,
                "political": 1,
            },
            "maturity": AREAS,
            "goals": ["Hospitals", f"predict need from bus use and school attendance{t}"],
            "questionnaire_version": "1.0",
            "evidence": {
                "maturity.data_aggregation_sharing": Evidence(
                    answered=2,
                    unknown=1,
                    answers=[agreements, register, open_data],
                    raised_by=[agreements.question],
                ).model_dump(),
            },
            "find_out": [f"Find out whether data-sharing agreements exist{t}"],
        }
    )
    return Recommendation(
        profile=profile,
        maturity=MaturityResult(
            areas=AREAS,
            overall=2.0,
            level_names={
                a: ["Starting", "Emerging", "Developing", "Established", "Leading"][v - 1]
                for a, v in AREAS.items()
            },
            next_level={
                "data_aggregation_sharing": f"A register of datasets kept across "
                f"departments, with named owners{t}"
            },
        ),
        delivery_models=[
            DeliveryModelItem(
                id="strategic_platform",
                name="Strategic platform",
                score=0.82,
                why=[f"scope is strategic and the data is to be exposed{t}"],
                what_it_takes=[f"a platform owner and a funded roadmap{t}"],
                recommended=True,
            ),
            DeliveryModelItem(
                id="digital_hit_team",
                name="Digital hit team",
                score=0.74,
                why=["a special team leads the work"],
                what_it_takes=["a team"],
            ),
            DeliveryModelItem(
                id="externally_funded",
                name="Externally funded",
                score=0.41,
                why=["external funding is available"],
                what_it_takes=["a bid"],
            ),
            DeliveryModelItem(
                id="outreach",
                name="Outreach",
                score=0.3,
                why=["exposes data"],
                what_it_takes=["partners"],
            ),
        ],
        gaps=[
            GapItem(
                id="data_aggregation_sharing",
                name="Data aggregation and sharing",
                score=0.9,
                level=1,
                next_level=f"a register of datasets across departments{t}",
                **gap_reasons,
            ),
            GapItem(
                id="personal_identity_data_management",
                name="Personal identity and data management",
                score=0.8,
                level=1,
                next_level="consent recorded for each reuse of personal data",
                why=["legal barrier is blocking"],
            ),
        ],
        barriers=[
            BarrierItem(
                id="legal",
                name="Legal",
                score=4,
                severity=4,
                why=[f"no data-sharing agreements{t}"],
                mitigations=[consent],
            ),
            BarrierItem(
                id="financial",
                name="Financial",
                score=3,
                severity=3,
                why=["no budget line for data work"],
                mitigations=[
                    MitigationItem(
                        id="external_funding",
                        name="Seek external funding",
                        score=0.8,
                        why=["EU and philanthropic funds"],
                        actions=["Look for funds earmarked for strategic work."],
                    )
                ],
            ),
            BarrierItem(
                id="knowledge", name="Knowledge", score=2, severity=2, why=["few analysts"]
            ),
            BarrierItem(
                id="technology", name="Technology", score=2, severity=2, why=["old systems"]
            ),
            BarrierItem(id="culture", name="Culture", score=1, severity=1, why=[]),
            BarrierItem(id="political", name="Political", score=1, severity=1, why=[]),
        ],
        vendors=[
            VendorItem(
                id="palantir",
                name=f"Palantir Technologies{t}",
                score=0.91,
                sme=False,
                frameworks=["G-Cloud"],
                offerings=[gotham],
                **palantir_reasons,
                website="https://www.palantir.com/",
            ),
            VendorItem(
                id="meeco",
                name="Meeco",
                score=0.85,
                sme=True,
                frameworks=[],
                offerings=["Consent platform"],
                why=["addresses the legal barrier"],
                website=f"file:///etc/passwd{t}",
            ),
            VendorItem(
                id="yoti",
                name="Yoti",
                score=0.7,
                sme=True,
                frameworks=["g_cloud"],
                offerings=["Digital identity"],
                why=["identity gap"],
                website="http://169.254.169.254/latest/meta-data/",
                tie=True,
            ),
        ],
        near_misses=[
            NearMiss(
                id="cisco",
                name="Cisco",
                score=0.5,
                why_not=[f"covers connectivity, not a priority gap{t}"],
            )
        ],
        case_studies=[
            CaseStudyItem(
                id="sunderland_intelligence_hub",
                name="Sunderland Intelligence Hub",
                score=0.9,
                bodies=["Sunderland City Council"],
                **_reasons(
                    Reason(
                        kind="case_answers_need",
                        figures={
                            "via": "touchpoint",
                            "target": "Hospitals",
                            "goal": "Hospitals",
                            "named": True,
                        },
                    ),
                    Reason(
                        kind="case_fits_model",
                        figures={"model": f"Strategic platform{t}", "fit": 0.82},
                    ),
                ),
            ),
        ],
        peers=[
            PeerItem(
                id="sunderland",
                name="Sunderland City Council",
                score=0.9,
                kind="metropolitan",
                region="North East",
                case_studies=["Sunderland Intelligence Hub"],
                why=[f"same kind and region{t}"],
            ),
        ],
        procurement_routes=[
            ProcurementItem(
                id="g_cloud_15_direct_award",
                name="G-Cloud 15 direct award",
                score=1.0,
                rule=f"Buy from the catalogue after comparing services{t}",
                threshold="any value within the framework's terms",
                valid_until="2027-10-31",
                source="Crown Commercial Service RM1557.15",
                **_reasons(
                    Reason(kind="route_rule", figures={"text": f"Buy from the catalogue{t}"}),
                    Reason(kind="route_in_force", figures={"until": "2027-10-31"}),
                    Reason(
                        kind="above_threshold",
                        figures={"budget": 250000, "threshold": 207720, "buyer": "sub_central"},
                    ),
                ),
            ),
        ],
        roadmap=[
            RoadmapStage(
                id="stage_1",
                name="Foundations",
                months="0-3 months",
                actions=say_all(roadmap_steps),
                steps=roadmap_steps,
                why=["Clear the worst barriers and unknowns before spending on technology"],
            ),
            RoadmapStage(
                id="stage_2",
                name="First service",
                months="3-9 months",
                actions=["Launch the hub with two departments"],
                why=["quick win"],
            ),
        ],
        goals=[
            GoalMatch(
                goal=f"Hospitals{t}",
                matches=[
                    RankedItem(
                        id="hospital_discharge_sharing",
                        name="Hospital discharge data sharing",
                        score=0.9,
                    )
                ],
            )
        ],
        sensitivity=Sensitivity(stable=True),
        confidence=Confidence(
            level="good",
            answered=40,
            unknown=1,
            reasons=[
                Reason(
                    kind="confidence_counts",
                    figures={"answered": 40, "unknown": 1, "share": 0.024},
                )
            ],
        ),
        cautions=[caution],
        cautions_said=say_all([caution]),
        find_out=["Find out who owns the housing repairs data"],
        knowledge_base_version="2026.11",
        generated_on="2026-11-24",
    )


def sample_answers(text: str = "") -> list[AnswerRow]:
    """A few appendix rows, one a don't-know; ``text`` is appended to each answer."""
    t = f" {text}" if text else ""
    return [
        AnswerRow(
            section="Organisation",
            question_id="q_org_name",
            question="Name of your body",
            answer=f"Example Borough Council{t}",
        ),
        AnswerRow(
            section="Data aggregation and sharing",
            question_id="q_dataset_register",
            question="Do departments share one register of datasets?",
            answer="No",
            note=f"each keeps its own spreadsheets{t}",
        ),
        AnswerRow(
            section="Data aggregation and sharing",
            question_id="q_open_data",
            question="Is any data published openly?",
            answer="Don't know",
            dont_know=True,
        ),
    ]
