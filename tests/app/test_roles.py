"""Each role's main journey through the entrypoint (AppTest, widgets found by key)."""

from __future__ import annotations

import json

from harness import ENTRYPOINT, persona_assessment, signed_in
from streamlit.testing.v1 import AppTest

from advisor.assessment_input import bundled_assessment
from advisor.services.accounts import sign_in
from advisor.services.app_support import recommendation_for, report_download
from advisor.services.assessments import SUBMITTED, get_assessment, list_assessments, save_draft
from advisor.services.kb_revisions import PROPOSED, get_entry, list_proposals, live_revision
from advisor.services.what_if import list_scenarios


def test_signed_out_sees_only_sign_in(accounts):  # with accounts: an empty store sets up
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30).run()
    assert not at.exception
    assert at.title[0].value == "Service Maturity Advisor"
    assert at.text_input(key="sign_in_email").label == "Email"


def test_wrong_password_is_refused_with_a_message(accounts):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30).run()
    at.text_input(key="sign_in_email").input(accounts["lead"].email)
    at.text_input(key="sign_in_password").input("not the password")
    at.button[0].click()
    at.run()
    assert [e.value for e in at.error] == ["Sign-in failed: wrong email or password"]
    assert at.session_state["user_id"] is None


def test_council_lead_answers_a_section_saves_and_resumes(store, settings, accounts):
    at = signed_in(accounts["lead"])
    at.text_input(key="wizard_new_title").input("Readiness 2026")
    at.button[0].click()  # the new-assessment form's Start button
    at.run()
    assert not at.exception
    assert at.header[0].value == "Your organisation"
    at.radio(key="wizard_dk_org_population").set_value("dont_know")
    at.run()
    assert not at.error
    at.button(key="wizard_next").click().run()
    assert at.header[0].value == "The data service you have in mind"
    assert "Section 2 of" in at.get("progress")[0].proto.text
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    draft = list_assessments(store, lead)[0]
    assert draft.status == "draft"
    # sign in afresh: the draft is offered and resumes where the lead stopped
    again = signed_in(accounts["lead"])
    again.button(key="wizard_resume").click().run()
    assert again.header[0].value == "The data service you have in mind"
    again.button(key="wizard_back").click().run()
    assert again.header[0].value == "Your organisation"
    assert again.radio(key="wizard_dk_org_population").value == "dont_know"


def test_invalid_answer_shows_an_inline_error_naming_the_question(store, settings, accounts):
    persona_assessment(store, settings, accounts["lead"], "greenwich_asc", "Draft")
    at = signed_in(accounts["lead"])
    at.button(key="wizard_resume").click().run()
    bank, _ = bundled_assessment()
    at.session_state["wizard_section"] = [s.id for s in bank.sections].index("area_connectivity")
    at.run()
    at.multiselect(key="wizard_q_conn_secure_networks").set_value(["psn", "no_secure_network"])
    at.run()
    errors = [e.value for e in at.error]
    assert len(errors) == 1
    assert "cannot be combined" in errors[0]
    assert "no\\_secure\\_network" not in errors[0]  # the option by its label, not its id
    assert errors[0].startswith("Which")  # the question's own words name the field


def test_council_lead_submits_and_sees_results_and_json(store, settings, accounts):
    persona_assessment(store, settings, accounts["lead"], "legal_blocked", "Readiness")
    at = signed_in(accounts["lead"])
    at.button(key="wizard_resume").click().run()
    assert "100% answered" in at.get("progress")[0].proto.text
    at.button(key="wizard_submit").click().run()
    assert any("Every question has an answer" in m.value for m in at.markdown)
    at.button(key="wizard_submit_confirm").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Results"
    assert any("Results for" in m.value for m in at.markdown)
    # legal_blocked: the best fit is weak, so no model is recommended outright
    assert any("No delivery model fits clearly yet" in w.value for w in at.warning)
    assert not any(s.value.startswith("Recommended:") for s in at.success)
    at.radio(key="results_format").set_value("json").run()
    at.button(key="results_prepare").click().run()
    assert not at.exception
    download = at.session_state["results_prepared"][1]
    data = json.loads(download.data)
    assert data["recommendation"]["knowledge_base_version"] == "revision 1"
    assert "Meeco" in [v["name"] for v in data["recommendation"]["vendors"]]
    assert download.filename.endswith(".json")


def test_what_if_shows_the_shift_and_saves_nothing(store, settings, accounts):
    persona_assessment(store, settings, accounts["lead"], "legal_blocked", "R", submit=True)
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    before = len(list_assessments(store, lead))
    at = signed_in(accounts["lead"])
    at.switch_page("app_pages/what_if.py").run()
    assert not at.exception
    aid = list_assessments(store, lead)[0].id
    at.select_slider(key=f"whatif_{aid}_b_legal").set_value(0).run()
    at.slider(key=f"whatif_{aid}_m_personal_identity_data_management").set_value(5).run()
    assert not at.exception
    shift = " ".join(m.value for m in at.markdown)
    assert "no longer includes" in shift or "now includes" in shift or ": from " in shift
    assert "->" not in shift
    assert len(list_assessments(store, lead)) == before
    at.button(key="whatif_save").click().run()
    assert not at.exception
    # kept apart: no new assessment, listed as a scenario saying what it changed, no button
    assert len(list_assessments(store, lead)) == before
    [scenario] = list_scenarios(store, lead, aid)
    assert scenario.barriers == {"legal": 0}
    text = " ".join(m.value for m in at.markdown)
    assert "Legal" in text
    assert "barrier from" in text
    assert not [b for b in at.button if b.key == "whatif_save"]


def test_vendor_proposes_and_curator_approves(store, settings, accounts):
    at = signed_in(accounts["vendor"])
    version = get_entry(store, "vendors", "meeco").version
    at.text_input(key=f"vendor_{version}_name").input("")
    at.button(key="vendor_check").click().run()
    assert any("name" in e.value for e in at.error)  # the empty name is named
    at.text_input(key=f"vendor_{version}_name").input("Meeco Public Services")
    at.button(key="vendor_check").click().run()
    assert not at.error
    assert at.session_state["vendor_preview"].item is not None
    at.button(key="vendor_propose").click().run()
    assert not at.exception
    curator = sign_in(store, settings, accounts["curator"].email, accounts["curator"].password)
    waiting = list_proposals(store, curator, status=PROPOSED)
    assert [p.entry_id for p in waiting] == ["meeco"]

    review = signed_in(accounts["curator"])
    assert review.title[0].value == "Review queue"
    before = live_revision(store)
    review.button(key=f"review_approve_{waiting[0].id}").click().run()
    assert not review.exception
    assert live_revision(store) == before + 1
    assert get_entry(store, "vendors", "meeco").data["name"] == "Meeco Public Services"
    review.switch_page("app_pages/audit_log.py").run()
    assert not review.exception
    review.switch_page("app_pages/kb_health.py").run()
    assert not review.exception


def test_curator_reject_needs_a_comment(store, settings, accounts):
    at = signed_in(accounts["vendor"])
    version = get_entry(store, "vendors", "meeco").version
    at.text_input(key=f"vendor_{version}_headquarters").input("London")
    at.button(key="vendor_propose").click().run()
    review = signed_in(accounts["curator"])
    pid = list_proposals(
        store, sign_in(store, settings, accounts["curator"].email, accounts["curator"].password)
    )[0].id
    review.button(key=f"review_reject_{pid}").click().run()
    assert any("comment" in e.value for e in review.error)
    review.text_area(key=f"review_comment_{pid}").input("Please give a source.")
    review.button(key=f"review_reject_{pid}").click().run()
    assert not review.error


def test_consultant_quick_profile_and_compare(store, settings, accounts):
    persona_assessment(
        store, settings, accounts["consultant"], "sunderland_hub", "Base", submit=True
    )
    at = signed_in(accounts["consultant"])
    assert at.title[0].value == "Clients"
    at.slider(key="clients_q_m_security").set_value(4)
    at.text_area(key="clients_q_goals").input("Hospitals")
    at.button(key="FormSubmitter:clients_quick_form-Save and see the results").click().run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Results"
    consultant = sign_in(
        store, settings, accounts["consultant"].email, accounts["consultant"].password
    )
    done = list_assessments(store, consultant, status=SUBMITTED)
    assert len(done) == 2
    at.switch_page("app_pages/compare.py").run()
    at.multiselect(key="compare_pick").set_value([a.id for a in done]).run()
    assert not at.exception
    assert [s.value for s in at.header] == [
        "Maturity by technology area",
        "Barriers (0 none to 4 blocking)",
        "Advice",
    ]


def test_explorer_finds_a_vendor_and_follows_a_link(accounts):
    at = signed_in(accounts["lead"])
    at.switch_page("app_pages/explorer.py").run()
    at.text_input(key="explorer_query").input("Meeco").run()
    assert at.session_state["explorer_node"] == "vendor:meeco"
    at.selectbox(key="explorer_follow").set_value("offering:meeco_labs").run()
    assert at.session_state["explorer_node"] == "offering:meeco_labs"
    assert not at.exception


def test_report_download_pdf_at_domain_level(store, settings, accounts):
    aid = persona_assessment(store, settings, accounts["lead"], "kirklees_grant", "K", submit=True)
    from advisor.app.resources import knowledge

    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    know = knowledge(live_revision(store))
    assessed = recommendation_for(store, lead, aid, know.index, know.matching, know.revision)
    pdf = report_download(assessed, know.kb, "pdf")
    assert pdf.data.startswith(b"%PDF")
    html = report_download(assessed, know.kb, "html")
    assert b"<html" in html.data.lower()


def test_a_save_from_elsewhere_is_never_overwritten(store, settings, accounts):
    aid = persona_assessment(store, settings, accounts["lead"], "greenwich_asc", "Draft")
    at = signed_in(accounts["lead"])
    at.button(key="wizard_resume").click().run()
    lead = sign_in(store, settings, accounts["lead"].email, accounts["lead"].password)
    mine = get_assessment(store, lead, aid).response_of(lead.user_id)
    assert mine is not None
    save_draft(store, lead, aid, mine.answers, mine.version)  # another tab saves first
    at.button(key="wizard_back").click().run()
    assert any("changed by someone else" in e.value for e in at.error)
    at.button(key="wizard_reload").click().run()
    assert not at.error
    assert at.session_state["wizard_seen"] == mine.version + 1


def test_lead_invites_a_colleague_to_one_section(store, settings, accounts):
    persona_assessment(store, settings, accounts["lead"], "greenwich_asc", "Draft")
    at = signed_in(accounts["lead"])
    at.button(key="wizard_resume").click().run()
    colleague = accounts["colleague"]
    at.selectbox(key="wizard_invite_who").select_index(0)
    at.multiselect(key="wizard_invite_sections").set_value(["barrier_financial"])
    at.button(key="wizard_invite").click().run()
    assert not at.exception
    assert any(colleague.email.split("@")[0] in s.value for s in at.success)
    theirs = signed_in(colleague)
    theirs.button(key="wizard_resume").click().run()
    assert theirs.header[0].value == "Money"
    assert "Section 1 of 1" in theirs.get("progress")[0].proto.text


def test_consultant_theme_is_kept_between_sessions(store, settings, accounts):
    from advisor.reporting.theme import Colours, Theme, default_theme
    from advisor.services.report_themes import save_theme, saved_theme

    consultant = sign_in(
        store, settings, accounts["consultant"].email, accounts["consultant"].password
    )
    logo = default_theme().logo_bytes
    theme = Theme("Northgate Advisory", Colours(primary="#003366"), None, logo, "image/svg+xml")
    save_theme(store, consultant, theme)  # as the form does, in an earlier session

    at = signed_in(accounts["consultant"])
    at.switch_page("app_pages/report_theme.py").run()
    assert not at.exception, at.exception
    assert any("Northgate Advisory" in s.value for s in at.success)
    assert at.text_input(key="theme_name").value == "Northgate Advisory"  # the form starts there
    at.text_input(key="theme_name").input("Northgate Advisory LLP")
    at.button(key="FormSubmitter:theme_form-Use this theme").click().run()  # no new logo
    assert not at.exception, at.exception
    kept = saved_theme(store, consultant)
    assert kept is not None
    assert (kept.organisation_name, kept.logo_bytes) == ("Northgate Advisory LLP", logo)
    at.button(key="theme_reset").click().run()
    assert not at.exception, at.exception
    assert not at.success
    assert saved_theme(store, consultant) is None  # forgotten in the store, not only here
