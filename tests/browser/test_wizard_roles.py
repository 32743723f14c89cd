"""Roles in the wizard, in Chromium: an invited respondent hands back instead of
submitting; submitting with gaps lists them and asks to confirm; a submitted assessment
reopened as a new version keeps the old result in its history."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import LiveApp
from test_journeys import go, sign_in, wait_idle

from advisor.answers import Answers
from advisor.assessment_input import bundled_assessment
from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import (
    SUBMITTED,
    create_assessment,
    get_assessment,
    invite_respondent,
    list_assessments,
    save_draft,
)

pytestmark = pytest.mark.browser

Page = Any


def nearly_empty_draft(app: LiveApp, *, at_last_section: bool = True) -> int:
    """The lead's draft with the first section answered, left on the last section."""
    lead = app.accounts["lead"]
    who = service_sign_in(app.db, app.settings, lead.email, lead.password)
    bank, _ = bundled_assessment()
    view = create_assessment(app.db, who, lead.organisations[0], "Nearly empty", bank.version)
    first = bank.sections[0]
    answers = Answers.model_validate(
        {
            "questionnaire_version": bank.version,
            "answers": {q.id: "dont_know" for q in first.questions},
        }
    )
    last = bank.sections[-1].id if at_last_section else None
    save_draft(app.db, who, view.id, answers, 1, section=last)
    return view.id


def test_an_invited_respondent_hands_back_and_cannot_submit(live_app, browser_page):
    page = browser_page
    assessment_id = nearly_empty_draft(live_app)
    lead, colleague = live_app.accounts["lead"], live_app.accounts["colleague"]
    owner = service_sign_in(live_app.db, live_app.settings, lead.email, lead.password)
    helper = service_sign_in(live_app.db, live_app.settings, colleague.email, colleague.password)
    bank, _ = bundled_assessment()
    assert helper.user_id is not None
    invite_respondent(live_app.db, owner, assessment_id, helper.user_id, [bank.sections[1].id])
    sign_in(page, live_app.url, colleague.email, colleague.password)
    page.get_by_role("button", name="Continue this assessment").click()
    page.get_by_text("Section 1 of 1").first.wait_for()
    wait_idle(page)
    assert page.get_by_role("button", name="Submit the assessment").count() == 0
    page.get_by_role("button", name="Hand back my sections").click()
    page.get_by_text("Handed back to").wait_for()  # (the address is shown unlinked)
    view = get_assessment(live_app.db, owner, assessment_id)
    assert view.status == "draft"
    theirs = view.response_of(helper.user_id)
    assert theirs is not None
    assert theirs.handed_back_at is not None


def test_submitting_with_gaps_lists_them_and_a_reopened_version_keeps_the_old_result(
    live_app, browser_page
):
    page = browser_page
    first_id = nearly_empty_draft(live_app)
    lead = live_app.accounts["lead"]
    bank, _ = bundled_assessment()
    sign_in(page, live_app.url, lead.email, lead.password)
    page.get_by_role("button", name="Continue this assessment").click()
    page.get_by_role("button", name="Submit the assessment").click()
    page.get_by_text("Before you submit").wait_for()
    wait_idle(page)
    # the gaps, by section, in the questions' words; nothing submitted yet
    page.get_by_text(bank.sections[1].title, exact=True).last.wait_for()
    page.get_by_text(bank.sections[1].questions[0].text).last.wait_for()
    who = service_sign_in(live_app.db, live_app.settings, lead.email, lead.password)
    assert get_assessment(live_app.db, who, first_id).status == "draft"
    page.get_by_role("button", name="Keep answering").click()
    page.get_by_text("Before you submit").wait_for(state="detached")
    page.get_by_role("button", name="Submit the assessment").click()
    page.get_by_role("button", name="Submit with these gaps").click()
    page.get_by_text("Assessment submitted").wait_for()
    page.get_by_text("Results for").first.wait_for()
    assert get_assessment(live_app.db, who, first_id).status == SUBMITTED
    # reopen as a new version: a draft to change; the submitted one keeps its result
    page.get_by_role("link", name="Assessment").click()
    page.get_by_role("button", name="Reopen as a new version").click()
    page.get_by_text("A new version: the one submitted before keeps its result").wait_for()
    listed = list_assessments(live_app.db, who)
    assert [(a.title, a.status) for a in listed] == [
        ("Nearly empty", "draft"),
        ("Nearly empty", SUBMITTED),
    ]
    old = get_assessment(live_app.db, who, first_id)
    assert old.status == SUBMITTED
    assert old.profile is not None
    go(page, "Results")
    page.get_by_text("Results for").first.wait_for()
    wait_idle(page)
    assert page.get_by_text("Earlier versions").count() == 0  # the submitted one has none
