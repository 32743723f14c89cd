"""Delivery-model fit and the silo: one rule set for scored, hand-written and what-if profiles;
answers read as meant; every figure says how many answers it rests on."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from advisor.answers import Answers
from advisor.assessment_input import bundled_assessment
from advisor.evidence import AnswerRef
from advisor.explaining import KINDS, say_all
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.matching import MatchIndex, build_index, match_profile
from advisor.matching.delivery import assess_delivery
from advisor.matching.rules import (
    MatchingRules,
    check_delivery_rules,
    delivery_rule_problems,
    load_matching_rules,
)
from advisor.profile import Evidence, Profile
from advisor.recommendation import AnswerRef as ReexportedAnswerRef
from advisor.scoring import score_answers
from advisor.services.what_if import adjusted_profile
from advisor.vocabulary import BarrierId, DataUse, DeliveryModelId, TechnologyAreaId
from advisor.yamlio import dump_yaml, parse_yaml, read_yaml

BANK, RULES = bundled_assessment()
MATCHING = load_matching_rules()
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def index() -> MatchIndex:
    return build_index(load_knowledge_base(BUNDLED_KB_DIR))


def score(values: dict[str, Any]) -> Profile:
    answers = Answers.model_validate({"questionnaire_version": BANK.version, "answers": values})
    return score_answers(answers, BANK, RULES)


def fits(profile: Profile, rules: MatchingRules = MATCHING) -> dict[str, float]:
    return assess_delivery(profile, rules).fit


def ref(question: str, *options: str) -> AnswerRef:
    return AnswerRef(
        question=question, text=question, answer=", ".join(options), options=[*options]
    )


# --- one rule set -------------------------------------------------------------------------------


def test_what_if_raising_the_financial_barrier_raises_externally_funded() -> None:
    p = score(
        {
            "proj_funding_source": "mixed",
            "proj_without_funding": "scaled_down",
            "fin_budget": "funded",
            "fin_business_case": "approved",
            "fin_payback": "no_deadline",
            "fin_budget_trend": "grown",
        }
    )
    assert p.constraints.external_funding == "available"
    assert p.barriers.financial == 0
    before = fits(p)["externally_funded"]
    after_profile = adjusted_profile(p, barriers={"financial": 4})
    after = fits(after_profile)["externally_funded"]
    assert after > before
    assert before > 0
    # the changed figure now says it was set by hand, resting on no answers
    ev = after_profile.evidence["barriers.financial"]
    assert ev.by_hand
    assert ev.answered == 0


def test_what_if_on_a_hand_written_profile_moves_the_fit_too() -> None:
    hand = Profile.model_validate(
        {
            "organisation": {"name": "Grant Council"},
            "constraints": {"external_funding": "available"},
        }
    )
    assert (
        fits(adjusted_profile(hand, barriers={"financial": 4}))["externally_funded"]
        > fits(hand)["externally_funded"]
    )


def test_a_hand_written_profile_and_the_same_situation_from_answers_fit_alike() -> None:
    scored = score(
        {
            "proj_scope": "several_challenges",
            "proj_innovation": "new_service",
            "proj_data_use": "open_to_others",
            "proj_lead": "external_partner",
            "proj_funding_source": "internal_budget",
        }
    )
    hand = Profile.model_validate(
        {
            "organisation": {"name": "(name not given)"},
            "factors": {
                "scope": "strategic",
                "service_innovation": "new",
                "data_use": "expose",
                "deployment": "external_partner",
            },
            "barriers": {b.value: 1 for b in BarrierId},
        }
    )
    # the same situation: the same figures ...
    for part in ("factors", "barriers", "maturity", "constraints"):
        assert getattr(scored, part) == getattr(hand, part), part
    # ... so the same fits and the same silo verdict, answers or none
    assert fits(scored) == fits(hand)
    assert (
        assess_delivery(scored, MATCHING).silo.flagged
        == assess_delivery(hand, MATCHING).silo.flagged
    )
    assert not hand.answer_refs
    assert scored.answer_refs


def test_rules_on_answers_do_not_apply_without_the_answer() -> None:
    hand = Profile.model_validate(
        {"organisation": {"name": "Team Council"}, "factors": {"deployment": "special_team"}}
    )
    with_mandate = hand.model_copy(
        update={"answer_refs": {"proj_team": ref("proj_team", "yes_mandate")}}
    )
    without = hand.model_copy(update={"answer_refs": {"proj_team": ref("proj_team", "none_yet")}})
    dont_know = hand.model_copy(
        update={
            "answer_refs": {
                "proj_team": AnswerRef(
                    question="proj_team", text="q", answer="don't know", unknown=True
                )
            }
        }
    )
    base = fits(hand)["digital_hit_team"]
    assert fits(with_mandate)["digital_hit_team"] > base > fits(without)["digital_hit_team"]
    assert fits(dont_know)["digital_hit_team"] == base
    found = assess_delivery(dont_know, MATCHING)
    assert found.unknown["digital_hit_team"] == 1


def test_old_profiles_with_a_frozen_fit_still_load_and_are_matched_afresh() -> None:
    old = Profile.model_validate(
        {
            "organisation": {"name": "Old Council"},
            "model_fit": {"externally_funded": 0.0, "outreach": 0.9},
            "model_reasons": {"outreach": ["old reason"]},
            "silo": True,
        }
    )
    dumped = old.model_dump()
    assert "model_fit" not in dumped
    assert "silo" not in dumped
    assert fits(old)["outreach"] == fits(Profile(organisation=old.organisation))["outreach"]


def test_old_matching_rules_with_model_fit_from_factors_still_load() -> None:
    data = read_yaml(BUNDLED_KB_DIR / "matching.yaml").data
    data["model_fit_from_factors"] = {
        "outreach": [{"factor": "data_use", "equals": "expose", "points": 0.6}]
    }
    data["delivery"] = {"clear_fit": 0.5}
    rules = MatchingRules.model_validate(data)
    assert rules.delivery.models == MATCHING.delivery.models


def test_delivery_rules_are_checked_against_the_bank() -> None:
    assert delivery_rule_problems(MATCHING, BANK) == []
    data = read_yaml(BUNDLED_KB_DIR / "matching.yaml").data
    data["delivery"]["models"]["outreach"][1]["credit"] = {"other_planets": 1.0}
    data["delivery"]["silo"]["signs"][1]["answer"] = "proj_no_such_question"
    doc = parse_yaml(dump_yaml(data), "matching.yaml")
    problems = check_delivery_rules(MatchingRules.model_validate(doc.data), BANK, doc)
    messages = [p.message for p in problems]
    assert "proj_expand has no option other_planets" in messages
    assert "no question proj_no_such_question in the bank" in messages
    assert all(p.line is not None for p in problems)
    assert problems[0].field.startswith("delivery.")


def test_a_factor_rule_naming_an_unknown_value_fails_on_reading() -> None:
    data = read_yaml(BUNDLED_KB_DIR / "matching.yaml").data
    data["delivery"]["models"]["digital_hit_team"][0]["equals"] = "special_squad"
    with pytest.raises(ValueError, match="special_squad is not a deployment value"):
        MatchingRules.model_validate(data)


# --- answers read as meant ---------------------------------------------------------------------


def test_sharing_with_named_partners_is_not_opening_data() -> None:
    q = BANK.question("proj_data_use")
    assert q is not None
    assert q.option("shared_partners") is not None
    assert score({"proj_data_use": "shared_partners"}).factors.data_use is DataUse.internal
    assert score({"proj_data_use": "open_to_others"}).factors.data_use is DataUse.expose


def test_a_county_sharing_with_partners_is_neither_a_silo_nor_told_to_do_outreach() -> None:
    p = score(
        {
            "org_kind": "county",
            "proj_scope": "one_issue",
            "proj_departments": "one",
            "proj_data_use": "shared_partners",
            "proj_data_audience": ["other_public_agencies"],
            "proj_lead": "departmental_team",
            "dag_platform": "one_department",
            "share_agreements": "few",
            "share_agencies": ["central_government", "nhs"],
        }
    )
    found = assess_delivery(p, MATCHING)
    assert not found.silo.flagged
    assert {s.answer for s in found.silo.sharing} >= {"proj_data_use", "share_agreements"}
    assert found.fit["outreach"] < MATCHING.delivery.clear_fit


def test_the_silo_needs_evidence_of_little_sharing() -> None:
    signs = {
        "proj_scope": "one_issue",
        "proj_departments": "one",
        "proj_data_use": "internal_only",
        "proj_lead": "departmental_team",
        "dag_platform": "one_department",
        "dag_register": "partial",
        "dag_master_records": "properties_only",
    }
    p = score(signs)
    assert p.maturity.data_aggregation_sharing >= 2
    # signs, but no evidence that departments keep data apart with no sharing arrangements
    assert not assess_delivery(p, MATCHING).silo.flagged
    with_evidence = score({**signs, "share_agreements": "no_agreements"})
    assert assess_delivery(with_evidence, MATCHING).silo.flagged
    with_sharing = score({**signs, "share_agreements": "one"})
    assert not assess_delivery(with_sharing, MATCHING).silo.flagged


def test_no_silo_beside_a_model_that_rests_on_working_across_departments() -> None:
    p = Profile.model_validate(
        {
            "organisation": {"name": "Team Council"},
            "factors": {
                "scope": "tactical",
                "service_innovation": "new",
                "deployment": "special_team",
            },
            "answer_refs": {
                "proj_departments": ref("proj_departments", "one").model_dump(),
                "dag_platform": ref("dag_platform", "one_department").model_dump(),
                "share_agreements": ref("share_agreements", "no_agreements").model_dump(),
            },
        }
    )
    found = assess_delivery(p, MATCHING)
    assert len(found.silo.signs) >= MATCHING.delivery.silo.min_signs
    assert found.silo.little_sharing
    best = max(found.fit, key=lambda m: found.fit[m])
    assert best == "digital_hit_team"
    assert found.fit[best] >= MATCHING.delivery.clear_fit
    assert found.silo.beside == "digital_hit_team"
    assert not found.silo.flagged


def test_a_flagged_silo_points_to_the_platform_and_the_platform_fit_agrees(
    index: MatchIndex,
) -> None:
    silo = Profile.model_validate(
        {
            "organisation": {"name": "Silo Council"},
            "factors": {
                "scope": "tactical",
                "data_use": "internal",
                "deployment": "departmental_team",
            },
        }
    )
    rec = match_profile(silo, index, MATCHING, today=TODAY)
    assert rec.silo_warning
    assert "horizontal platform" in rec.silo_warning
    platform = next(m for m in rec.delivery_models if m.id == "strategic_platform")
    assert platform.score > 0
    assert any("adds" in r.figures for r in platform.reasons)
    assert any("horizontal platform" in w for w in platform.why)
    # the platform the warning points to is the best of the models, not one shown at 0%
    assert rec.delivery_models[0].id == "strategic_platform"
    # without the silo, the same platform rule adds nothing
    open_profile = silo.model_copy(
        update={"factors": silo.factors.model_copy(update={"data_use": DataUse.expose})}
    )
    assert not assess_delivery(open_profile, MATCHING).silo.flagged
    assert fits(open_profile)["strategic_platform"] < platform.score


# --- confidence per figure ---------------------------------------------------------------------


def test_a_blocking_barrier_from_one_answer_is_capped_and_says_so(index: MatchIndex) -> None:
    p = score({"legal_delays": "stopped"})
    ev = p.evidence["barriers.legal"]
    assert ev.answered == 1
    assert ev.capped == "one_answer"
    assert ev.uncapped == 4
    assert p.barriers.legal == RULES.unknown.one_answer_severity_cap == 3
    rec = match_profile(p, index, MATCHING, today=TODAY)
    legal = next(b for b in rec.barriers if b.id == "legal")
    assert legal.answered == 1
    assert any(r.kind == "one_answer_cap" for r in legal.reasons)
    assert any("one answer only" in w for w in legal.why)
    # two answers pointing the same way may call it blocking
    assert score({"legal_delays": "stopped", "legal_advice_time": "longer"}).barriers.legal == 4


def test_every_figure_says_how_many_answers_it_rests_on(index: MatchIndex) -> None:
    p = score({"it_hosting": "mostly_cloud", "it_cloud": "dont_know", "it_provision_time": "hours"})
    ev = p.evidence["maturity.it_resources"]
    assert (ev.answered, ev.unknown) == (2, 1)
    assert [a.question for a in ev.answers][-1] == "it_cloud"
    assert ev.answers[-1].unknown
    assert set(ev.raised_by) <= {a.question for a in ev.answers}
    for area in TechnologyAreaId:
        assert isinstance(p.evidence[f"maturity.{area}"].answered, int)
    for barrier in BarrierId:
        assert isinstance(p.evidence[f"barriers.{barrier}"].answered, int)
    rec = match_profile(p, index, MATCHING, today=TODAY)
    for item in rec.delivery_models:
        assert item.reasons[-1].kind == "figure_basis"
        assert item.answered >= 0
        assert item.unknown >= 0


def test_answer_refs_are_shared_with_the_recommendation() -> None:
    assert ReexportedAnswerRef is AnswerRef
    ev = Evidence(answers=[ref("proj_team", "yes_mandate")], answered=1)
    assert ev.answers[0].options == ["yes_mandate"]


# --- reasons as data, worded in plain English --------------------------------------------------

ID_LIKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")


@pytest.mark.parametrize(
    "name",
    ["sunderland_hub", "kirklees_grant", "oxfordshire_transport", "greenwich_asc", "legal_blocked"],
)
def test_model_and_barrier_reasons_read_plainly(index: MatchIndex, name: str) -> None:
    from advisor.assessment_input import load_assessment_input

    path = BUNDLED_KB_DIR.parent / "tests" / "personas" / f"{name}.yaml"
    rec = match_profile(load_assessment_input(path).profile, index, MATCHING, today=TODAY)
    items = [*rec.delivery_models, *rec.barriers]
    ids = {m.value for m in DeliveryModelId} | {q.id for q in BANK.questions()}
    for item in items:
        assert item.reasons, item.id
        assert item.why == say_all(item.reasons)
        for r in item.reasons:
            assert r.kind in KINDS
        for sentence in item.why:
            assert "->" not in sentence, sentence
            assert "<-" not in sentence, sentence
            assert not (set(ID_LIKE.findall(sentence)) & ids), sentence
    if rec.silo_warning:
        assert not (set(ID_LIKE.findall(rec.silo_warning)) & ids)
