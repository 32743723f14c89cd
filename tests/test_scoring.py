"""Scoring: the personas score as the report's examples imply; evidence and don't-knows.

Delivery-model fit and the silo flag are worked out at match time (``advisor.matching.delivery``)
from the profile and its answers; ``fits`` below runs that one rule set on a scored profile.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from advisor.answers import Answers
from advisor.assessment_input import bundled_assessment, load_assessment_input
from advisor.errors import InputError
from advisor.matching.delivery import assess_delivery
from advisor.matching.rules import load_matching_rules
from advisor.profile import Profile
from advisor.questionnaire import DONT_KNOW
from advisor.scoring import score_answers, scoring_rules_from_document
from advisor.vocabulary import BarrierId, DataUse, DeliveryModelId, TechnologyAreaId
from advisor.yamlio import dump_yaml, parse_yaml, read_yaml

BANK, RULES = bundled_assessment()
PERSONAS = Path(__file__).parent / "personas"
RULES_PATH = Path(__file__).parents[1] / "knowledge_base" / "scoring.yaml"


def persona(name: str) -> Profile:
    return load_assessment_input(PERSONAS / f"{name}.yaml").profile


MATCHING = load_matching_rules()


def fits(profile: Profile) -> dict[str, float]:
    return assess_delivery(profile, MATCHING).fit


def silo(profile: Profile) -> bool:
    return assess_delivery(profile, MATCHING).silo.flagged


def ranking(profile: Profile) -> list[str]:
    fit = fits(profile)
    return sorted(fit, key=lambda m: (-fit[m], m))


def persona_answers(name: str) -> dict[str, Any]:
    data = read_yaml(PERSONAS / f"{name}.yaml").data
    return {k: v["value"] if isinstance(v, dict) else v for k, v in data["answers"].items()}


def score(values: dict[str, Any]) -> Profile:
    answers = Answers.model_validate({"questionnaire_version": BANK.version, "answers": values})
    return score_answers(answers, BANK, RULES)


# --- the personas ----------------------------------------------------------------------------


def test_sunderland_hub_is_a_strategic_platform_run_by_a_hit_team() -> None:
    p = persona("sunderland_hub")
    assert ranking(p)[:2] == ["strategic_platform", "digital_hit_team"]
    assert p.factors.scope == "strategic"
    assert p.factors.deployment == "special_team"
    assert p.maturity.data_aggregation_sharing >= 4
    assert p.barriers.financial <= 1
    assert not silo(p)


def test_kirklees_grant_is_externally_funded_with_money_the_main_barrier() -> None:
    p = persona("kirklees_grant")
    assert ranking(p)[0] == "externally_funded"
    assert fits(p)["externally_funded"] >= 0.8
    assert p.barriers.financial >= 3
    assert p.barriers.financial == max(p.barriers.get(b) for b in BarrierId)
    assert p.constraints.external_funding == "available"
    assert not silo(p)


def test_oxfordshire_transport_is_outreach_exposing_data() -> None:
    p = persona("oxfordshire_transport")
    assert ranking(p)[0] == "outreach"
    assert p.factors.data_use is DataUse.expose
    assert p.maturity.connectivity >= 4
    assert "public_transport" in p.goals
    # a department leads, but it shares data widely: not a silo
    assert p.factors.deployment == "departmental_team"
    assert not silo(p)


def test_greenwich_asc_is_a_digital_hit_team() -> None:
    p = persona("greenwich_asc")
    assert ranking(p)[0] == "digital_hit_team"
    assert fits(p)["digital_hit_team"] - fits(p)[ranking(p)[1]] >= 0.3
    assert "social_care_services" in p.goals


def test_legal_blocked_has_a_blocking_legal_barrier_and_weak_personal_data_management() -> None:
    p = persona("legal_blocked")
    assert p.barriers.legal == 4
    assert p.maturity.personal_identity_data_management in (1, 2)
    assert {"hospital_discharge_data_sharing", "blue_badge_validation"} <= set(p.goals)
    legal = p.evidence["barriers.legal"]
    assert any(s.startswith("share_legal_basis") for s in legal.sets)
    assert any("[evidence: Legal services memo" in s for s in legal.sets)


@pytest.mark.parametrize("name", [p.stem for p in sorted(PERSONAS.glob("*.yaml"))])
def test_every_figure_carries_evidence(name: str) -> None:
    p = persona(name)
    assert p.questionnaire_version == BANK.version
    for area in TechnologyAreaId:
        ev = p.evidence[f"maturity.{area}"]
        assert ev.sets, area
    for barrier in BarrierId:
        ev = p.evidence[f"barriers.{barrier}"]
        assert ev.sets or ev.holds_down, barrier
    fit = fits(p)
    for model in DeliveryModelId:
        assert 0 <= fit[model] <= 1
    # no frozen fit or silo flag in the profile: matching works them out
    assert "model_fit" not in p.model_dump()
    assert "silo" not in p.model_dump()


# --- don't know, not applicable, caps --------------------------------------------------------


def test_a_dont_know_is_a_find_out_action_not_a_low_score() -> None:
    values = persona_answers("sunderland_hub")
    p = score(values)
    assert values["it_capacity_plan"] == DONT_KNOW
    assert any("it_capacity_plan" in s for s in p.evidence["maturity.it_resources"].find_out)
    assert any("(it_capacity_plan)" in line for line in p.find_out)
    # answering it with the worst option can only lower the level; don't know did not
    worst = score({**values, "it_capacity_plan": "no_plan"})
    assert worst.maturity.it_resources <= p.maturity.it_resources


def test_a_dont_know_is_left_out_of_the_mean() -> None:
    best = {
        "it_hosting": "mostly_cloud",
        "it_provision_time": "hours",
        "it_cloud": "production",
        "it_capacity_plan": "current",
        "it_analysis_environment": "dedicated",
    }
    assert score(best).maturity.it_resources == 5
    assert score({**best, "it_cloud": DONT_KNOW}).maturity.it_resources == 5


def test_mostly_unknown_areas_are_capped_and_barriers_not_ruled_out() -> None:
    values = {
        "it_hosting": "mostly_cloud",
        "it_provision_time": DONT_KNOW,
        "it_cloud": DONT_KNOW,
        "it_capacity_plan": DONT_KNOW,
        "it_analysis_environment": "dedicated",
        "pol_sponsor": DONT_KNOW,
        "pol_strategy": "priority",
        "pol_election_risk": DONT_KNOW,
    }
    p = score(values)
    assert p.maturity.it_resources == RULES.unknown.maturity_cap
    assert any("Capped" in s for s in p.evidence["maturity.it_resources"].holds_down)
    assert p.barriers.political == RULES.unknown.severity_floor
    assert len(p.evidence["barriers.political"].find_out) == 2


def test_not_applicable_has_no_bearing() -> None:
    base = {"app_apis": "public_documented", "app_builders": "in_house", "app_platform": "pilot"}
    with_na = score({**base, "app_outside_developers": "not_applicable"})
    assert with_na.maturity.application_enablement == score(base).maturity.application_enablement
    assert not any(
        "app_outside_developers" in s
        for s in with_na.evidence["maturity.application_enablement"].find_out
    )


def test_answers_to_hidden_questions_are_ignored_by_scoring() -> None:
    base = {"proj_funding_source": "internal_budget"}
    hidden = {**base, "proj_without_funding": "would_stop"}
    assert fits(score(hidden)) == fits(score(base))
    assert "proj_without_funding" not in score(hidden).answer_refs


# --- silo, factors, goals, constraints ---------------------------------------------------------


def test_a_departmental_silo_is_flagged_with_its_reasons() -> None:
    p = score(
        {
            "proj_scope": "one_issue",
            "proj_departments": "one",
            "proj_data_use": "internal_only",
            "proj_lead": "departmental_team",
            "dag_platform": "one_department",
            "share_agreements": "no_agreements",
        }
    )
    found = assess_delivery(p, MATCHING)
    assert found.silo.flagged
    assert len(found.silo.signs) == 5
    assert found.silo_reason is not None
    assert all(found.fit[m] < 0.5 for m in DeliveryModelId)


def test_factors_default_when_unknown_and_say_so() -> None:
    p = score({"proj_scope": DONT_KNOW})
    assert p.factors.scope == "tactical"
    ev = p.evidence["factors.scope"]
    assert ev.find_out
    assert any("default" in s for s in ev.holds_down)


def test_goals_constraints_and_organisation_come_from_answers() -> None:
    p = persona("legal_blocked")
    assert p.organisation.name == "Wealdmoor District Council"
    assert p.organisation.kind == "district"
    assert p.organisation.region == "East Midlands"
    assert p.constraints.budget_gbp is None  # don't know
    assert p.constraints.prefer_sme
    assert p.constraints.frameworks == []  # any route
    assert "dont_know" not in p.goals
    assert persona("kirklees_grant").constraints.frameworks == ["g_cloud"]


def test_scoring_is_pure() -> None:
    values = persona_answers("greenwich_asc")
    assert score(values) == score(values)


# --- rules are checked against the bank --------------------------------------------------------


def test_rules_naming_an_unknown_question_fail_with_file_and_line() -> None:
    data = read_yaml(RULES_PATH).data
    data["areas"]["security"].append({"question": "sec_no_such_question"})
    doc = parse_yaml(dump_yaml(data), "scoring.yaml")
    with pytest.raises(InputError) as err:
        scoring_rules_from_document(doc, BANK)
    problem = err.value.problems[0]
    assert problem.field == "areas.security.5.question"
    assert problem.line is not None
    assert "sec_no_such_question" in problem.message


def test_rules_need_two_questions_per_figure() -> None:
    data = read_yaml(RULES_PATH).data
    data["barriers"]["political"] = [{"question": "pol_sponsor"}]
    with pytest.raises(InputError, match="at least two questions"):
        scoring_rules_from_document(parse_yaml(dump_yaml(data), "scoring.yaml"), BANK)


def test_rules_with_an_unmapped_factor_option_fail() -> None:
    data = read_yaml(RULES_PATH).data
    del data["factors"]["deployment"]["map"]["special_team"]
    with pytest.raises(InputError, match="special_team of proj_lead is not mapped"):
        scoring_rules_from_document(parse_yaml(dump_yaml(data), "scoring.yaml"), BANK)


def test_older_rules_with_model_and_silo_sections_still_load() -> None:
    data = read_yaml(RULES_PATH).data
    data["models"] = {"outreach": [{"reason": "old", "factor": "data_use", "credit": {}}]}
    data["silo"] = {"min_score": 3, "signals": []}
    rules = scoring_rules_from_document(parse_yaml(dump_yaml(data), "scoring.yaml"), BANK)
    assert rules.unknown == RULES.unknown


# --- the method page stays true to the rules ---------------------------------------------------

METHOD = (Path(__file__).parents[1] / "docs" / "method.md").read_text()


def test_method_page_names_every_question_and_rule_that_scores() -> None:
    for figures in (RULES.areas, RULES.barriers):
        for items in figures.values():
            for w in items:
                mark = f"`{w.question}`" + (f" ×{w.weight:g}" if w.weight != 1 else "")
                assert mark in METHOD, mark
    for model_rules in MATCHING.delivery.models.values():
        for rule in model_rules:
            assert " ".join(rule.reason.split()) in " ".join(METHOD.split()), rule.reason


def test_method_page_states_the_current_thresholds_and_size() -> None:
    assert RULES.maturity_thresholds == [0.2, 0.4, 0.6, 0.8]
    assert RULES.severity_thresholds == [0.2, 0.4, 0.6, 0.8]
    assert "thresholds are 0.2, 0.4,\n0.6 and 0.8" in METHOD
    assert RULES.unknown.maturity_cap == 2
    assert "**capped at 2**" in METHOD
    assert RULES.unknown.min_known_share == 0.5
    assert MATCHING.delivery.silo.min_signs == 3
    assert len(MATCHING.delivery.silo.signs) == 5
    assert "at least three of these five signs" in METHOD
    assert RULES.unknown.one_answer_severity_cap == 3
    assert "One answer is too little to call a barrier blocking" in METHOD
    sections, questions = len(BANK.sections), len(BANK.questions())
    assert f"(version {BANK.version}) has {questions} questions in {sections} sections" in METHOD
