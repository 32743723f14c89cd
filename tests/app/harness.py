"""Shared set-up for the AppTest tests: sign in through the entrypoint, fill a draft."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from advisor.answers import Answers
from advisor.app.first_run import Account
from advisor.assessment_input import bundled_assessment, load_assessment_input
from advisor.services.accounts import sign_in as service_sign_in
from advisor.services.assessments import create_assessment, save_draft, submit_assessment
from advisor.settings import Settings
from advisor.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = str(ROOT / "advisor" / "app" / "streamlit_app.py")
PERSONAS = ROOT / "tests" / "personas"


def signed_in(account: Account, timeout: float = 30) -> AppTest:
    """The app run once through the entrypoint and signed in as ``account``."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=timeout)
    at.run()
    at.text_input(key="sign_in_email").input(account.email)
    at.text_input(key="sign_in_password").input(account.password)
    at.button[0].click()  # the sign-in form's submit button
    at.run()
    assert not at.exception, at.exception
    return at


def persona_assessment(
    db: Database,
    settings: Settings,
    account: Account,
    persona: str,
    title: str,
    *,
    submit: bool = False,
) -> int:
    """An assessment of the account's body holding a persona's answers (draft or submitted)."""
    who = service_sign_in(db, settings, account.email, account.password)
    answers: Answers | None = load_assessment_input(PERSONAS / f"{persona}.yaml").answers
    assert answers is not None
    bank, rules = bundled_assessment()
    view = create_assessment(db, who, account.organisations[0], title, bank.version)
    save_draft(db, who, view.id, answers, 1)
    if submit:
        submit_assessment(db, who, view.id, view.version, bank, rules)
    return view.id
