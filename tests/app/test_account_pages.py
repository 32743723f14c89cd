"""The pages that run the service, through the entrypoint: first run with the set-up code,
a curator's People and Bodies pages, the forced change of a one-time password, and a lead's
view of consultant access."""

from __future__ import annotations

from harness import ENTRYPOINT, signed_in
from streamlit.testing.v1 import AppTest

from advisor.app.first_run import Account
from advisor.services.client_access import consultants_of
from advisor.services.permissions import OPERATOR
from advisor.services.setup_code import issue_setup_code
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.vocabulary import Role

PASSWORD = "a password of my own"


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts).replace("\\", "").replace("\u2060", "")


def test_first_run_creates_the_curator_with_the_code(store: Database, settings: Settings) -> None:
    code = issue_setup_code(settings.data_dir)  # as 'advisor serve' does, in this process
    at = AppTest.from_file(ENTRYPOINT, default_timeout=30)
    at.run()
    assert "There is no account yet" in _texts(at)
    at.text_input(key="first_run_code").input("WRNG-CODE-HERE")
    at.text_input(key="first_run_email").input("me@council.gov.uk")
    at.text_input(key="first_run_password").input(PASSWORD)
    at.text_input(key="first_run_again").input(PASSWORD)
    at.button[0].click()
    at.run()
    assert "That set-up code is not right" in _texts(at)
    at.text_input(key="first_run_code").input(code)
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["user_id"] is not None
    assert "Your curator account me@council.gov.uk is ready" in _texts(at)
    assert "There is no account yet" not in _texts(at)


def test_curator_adds_a_person_who_must_choose_a_password(
    accounts: dict[str, Account], store: Database
) -> None:
    at = signed_in(accounts["curator"])
    at.switch_page("app_pages/people.py").run()
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    assert "lead@borough.example" in set(table["Email"])
    assert set(table["Role"]) >= {"Council staff", "Curator", "Consultant", "Vendor"}
    at.selectbox(key="people_add_role").set_value(Role.council).run()
    at.selectbox(key="people_add_body").set_value("example_borough_council")
    at.text_input(key="people_add_email").input("new@borough.example")
    at.button(key="people_add").click().run()
    assert not at.exception, at.exception
    one_time = at.code[0].value
    assert len(one_time) >= 12
    newcomer = Account(Role.council, "new@borough.example", one_time, ("example_borough_council",))
    first = signed_in(newcomer)
    assert "You signed in with a one-time password" in _texts(first)
    first.text_input(key="password_current").input(one_time)
    first.text_input(key="password_new").input(PASSWORD)
    first.text_input(key="password_again").input(PASSWORD)
    first.button[0].click()
    first.run()
    assert not first.exception, first.exception
    assert "Your password is changed" in _texts(first)
    assert first.title[0].value == "Assessment"  # on to the council's own first page
    assert "You signed in with a one-time password" not in _texts(first)


def test_lead_sees_and_ends_consultant_access(
    accounts: dict[str, Account], store: Database
) -> None:
    curator = signed_in(accounts["curator"])
    curator.switch_page("app_pages/bodies.py").run()
    assert not curator.exception, curator.exception
    curator.selectbox(key="bodies_pick").set_value("example_borough_council").run()
    curator.text_input(key="bodies_c_email").input("consultant@advisers.example")
    curator.button(key="FormSubmitter:bodies_consultant_form-Give access").click().run()
    assert not curator.exception, curator.exception
    emails = [c.email for c in consultants_of(store, OPERATOR, "example_borough_council")]
    assert emails == ["consultant@advisers.example"]
    lead = signed_in(accounts["lead"])
    lead.switch_page("app_pages/consultants.py").run()
    assert not lead.exception, lead.exception
    assert "consultant@advisers.example" in "\n".join(t.value for t in lead.text)
    end = [b for b in lead.button if b.key and b.key.startswith("consultants_end_")]
    end[0].click().run()
    assert not lead.exception, lead.exception
    assert consultants_of(store, OPERATOR, "example_borough_council") == []
    assert "No consultant can see your body's assessments" in _texts(lead)
