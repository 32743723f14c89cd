"""The wizard knows the body and the limits of its questions: the store's name, kind and
region are filled in and not asked; 'up to five' and a positive budget are enforced inline
with a plain message, and an answer refused is not saved."""

from __future__ import annotations

from harness import signed_in

from advisor.assessment_input import bundled_assessment
from advisor.services.accounts import sign_in
from advisor.services.assessments import get_assessment, list_assessments


def _start(accounts):
    at = signed_in(accounts["lead"])
    at.text_input(key="wizard_new_title").input("Readiness 2026")
    at.button[0].click()  # the new-assessment form's Start button
    at.run()
    assert not at.exception
    return at


def _go_to(at, section_id: str):
    bank, _ = bundled_assessment()
    at.session_state["wizard_section"] = [s.id for s in bank.sections].index(section_id)
    return at.run()


def test_name_kind_and_region_come_from_the_store(store, settings, accounts):
    at = _start(accounts)
    keys = {w.key for w in at.radio} | {w.key for w in at.text_area}
    assert not keys & {"wizard_q_org_name", "wizard_q_org_kind", "wizard_q_org_region"}
    told = " ".join(i.value for i in at.info)
    assert "Example Borough Council" in told
    assert "Unitary authority" in told
    assert "North East" in told
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    [draft] = list_assessments(store, lead)
    mine = get_assessment(store, lead, draft.id).response_of(lead.user_id)
    assert mine is not None
    assert mine.answers.values()["org_name"] == "Example Borough Council"
    assert mine.answers.values()["org_region"] == "north_east"


def test_more_than_five_touchpoints_is_refused_inline_and_not_saved(store, settings, accounts):
    at = _go_to(_start(accounts), "goals")
    bank, _ = bundled_assessment()
    question = bank.question("goal_touchpoints")
    assert question is not None
    widget = at.multiselect(key="wizard_q_goal_touchpoints")
    six = [o.id for o in question.options[:6]]
    widget.set_value(six).run()
    errors = [e.value for e in at.error]
    assert any("pick at most 5; 6 are picked" in e for e in errors), errors
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    [draft] = list_assessments(store, lead)
    mine = get_assessment(store, lead, draft.id).response_of(lead.user_id)
    assert mine is not None
    assert "goal_touchpoints" not in mine.answers.values()


def test_a_negative_budget_gets_a_message(store, settings, accounts):
    bank, _ = bundled_assessment()
    section = next(s for s in bank.sections if any(q.id == "con_budget" for q in s.questions))
    at = _go_to(_start(accounts), section.id)
    at.number_input(key="wizard_q_con_budget").set_value(-5).run()
    errors = [e.value for e in at.error]
    assert any("-5 is below the minimum 0" in e for e in errors), errors
    at.number_input(key="wizard_q_con_budget").set_value(250000).run()
    assert not at.error
