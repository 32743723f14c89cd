"""Every page of every role, walked through AppTest, names things as people do: no id of the
knowledge base, the vocabulary, the question bank, the rule files or the store's bodies in a
label, an option (pickers included) or a message, also after a form's errors are shown.

The forbidden ids are built from the data (``test_user_text.forbidden``, plus the bodies in
the store), so a page that shows one fails; single-word ids ("legal") are English words and
are not looked for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from conftest import FAST_HASHING
from harness import persona_assessment, signed_in
from pydantic import BaseModel
from streamlit.testing.v1 import AppTest
from test_user_text import app_texts, forbidden, problems

from advisor.app.first_run import Account, create_demo_accounts, prepare_store
from advisor.kb import models as kb_models
from advisor.services.accounts import sign_in
from advisor.services.app_support import open_store
from advisor.services.kb_revisions import get_entry, propose_change
from advisor.services.organisations import list_organisations
from advisor.settings import Settings
from advisor.store.database import Database

APP_PAGES = Path(__file__).resolve().parents[2] / "advisor" / "app" / "app_pages"

ROLE_PAGES = {
    "lead": ["wizard", "results", "what_if", "consultants", "explorer", "change_password"],
    "consultant": [
        "clients",
        "wizard",
        "results",
        "what_if",
        "compare",
        "batch_export",
        "report_theme",
        "explorer",
        "change_password",
    ],
    "vendor": ["vendor_entry", "vendor_history", "explorer", "change_password"],
    "curator": [
        "review_queue",
        "people",
        "bodies",
        "supplier_review",
        "audit_log",
        "kb_health",
        "explorer",
        "change_password",
    ],
}
"""The pages each role's navigation offers (sign-in is walked signed out)."""


@dataclass
class World:
    db: Database
    accounts: dict[str, Account]
    body_ids: set[str]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("plain_pages") / "data"
    data.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ADVISOR_DATA_DIR", str(data))
        mp.delenv("ADVISOR_DATABASE_URL", raising=False)
        for name, value in FAST_HASHING.items():
            mp.setenv(name, value)
        settings = Settings()
        db = open_store(settings)
        prepare_store(db, settings)
        accounts = {a.email.split("@")[0]: a for a in create_demo_accounts(db, settings)}
        persona_assessment(
            db, settings, accounts["lead"], "legal_blocked", "Readiness", submit=True
        )
        persona_assessment(db, settings, accounts["lead"], "greenwich_asc", "Next year")
        persona_assessment(
            db, settings, accounts["consultant"], "sunderland_hub", "Baseline", submit=True
        )
        vendor = sign_in(db, settings, accounts["vendor"].email, accounts["vendor"].password)
        entry = get_entry(db, "vendors", "meeco")
        assert entry.data is not None
        changed = {**entry.data, "frameworks": ["g_cloud", "crown_hosting"]}
        changed["offerings"] = [
            {**entry.data["offerings"][0], "delivery_models": ["strategic_platform"]},
            *entry.data["offerings"][1:],
        ]
        propose_change(db, vendor, "vendors", "meeco", changed, entry.version, "New framework")
        curator = sign_in(db, settings, accounts["curator"].email, accounts["curator"].password)
        # ids of one plain word ("meeco") read as words, as in test_user_text
        body_ids = {o.id for o in list_organisations(db, curator) if "_" in o.id}
        yield World(db, accounts, body_ids)
        db.dispose()


@cache
def field_keys() -> re.Pattern[str]:
    """The YAML keys of knowledge-base entries (``price_min_gbp``), as a pattern."""
    keys = {
        name
        for model in vars(kb_models).values()
        if isinstance(model, type) and issubclass(model, BaseModel)
        for name in model.model_fields
        if "_" in name
    }
    return re.compile(r"(?<![\w])(" + "|".join(sorted(keys, key=len, reverse=True)) + r")(?![\w])")


def _found(world: World, source: str, texts: list[str]) -> list[str]:
    out = problems(source, texts)
    for text in texts:
        plain = text.replace("\\_", "_")
        out += [
            f"{source}: a YAML key {m[1]!r} in: {text[:200]}" for m in field_keys().finditer(plain)
        ]
        out += [
            f"{source}: a body's id {b!r} in: {text[:200]}" for b in world.body_ids if b in plain
        ]
    return out


def test_every_page_is_listed() -> None:
    pages = {p.stem for p in APP_PAGES.glob("*.py")} - {"sign_in"}
    assert pages == {p for listed in ROLE_PAGES.values() for p in listed}


def test_the_forbidden_set_holds_what_pages_must_not_show(world: World) -> None:
    terms = forbidden()
    assert {"g_cloud", "digital_hit_team", "needs_area"} <= set(terms)
    assert field_keys().search("price_min_gbp is more than price_max_gbp")
    assert "example_county_council" in world.body_ids
    assert _found(world, "t", ["Readiness (example\\_county\\_council, 01 Dec 2026)"])
    assert _found(world, "t", ["Delivery models: strategic_platform"])


def test_sign_in_page_is_plain(world: World) -> None:
    at = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "advisor" / "app" / "streamlit_app.py"),
        default_timeout=60,
    ).run()
    assert not at.exception, at.exception
    assert _found(world, "sign-in page", app_texts(at)) == []


@pytest.mark.parametrize("role", sorted(ROLE_PAGES))
def test_every_page_of_the_role_is_plain(world: World, role: str) -> None:
    at = signed_in(world.accounts[role], timeout=60)
    found: list[str] = []
    for page in ROLE_PAGES[role]:
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        found += _found(world, f"{role}, {page}", app_texts(at))
    assert not found, "\n".join(found)


def test_vendor_form_errors_are_plain(world: World) -> None:
    at = signed_in(world.accounts["vendor"], timeout=60)
    version = get_entry(world.db, "vendors", "meeco").version
    at.text_input(key=f"vendor_{version}_name").input("")
    at.text_input(key=f"vendor_{version}_website").input("meeco dot io")
    at.text_area(key=f"vendor_{version}_description").input("x" * 100_000)
    at.button(key="vendor_check").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    said = re.sub(r"\\(.)", r"\1", "\n".join(errors)).replace("\u2060", "")
    assert "Company name: This is empty: please fill it in" in said
    assert "Website: Type the full web address, starting with https://" in said
    assert "100,000 characters long and can hold at most 4,000" in said
    for raw in ("String should", "relative URL", "Input should"):
        assert raw not in said
    assert _found(world, "vendor form errors", app_texts(at)) == []
    # put right, the errors go at once (no stale message)
    at.text_input(key=f"vendor_{version}_name").input("Meeco")
    at.text_input(key=f"vendor_{version}_website").input("https://www.meeco.me")
    at.text_area(key=f"vendor_{version}_description").input("Consent and personal data tools.")
    at.run()
    assert [e.value for e in at.error] == []


def test_consultant_form_errors_show_outside_the_expander(world: World) -> None:
    at = signed_in(world.accounts["consultant"], timeout=60)
    at.button(key="FormSubmitter:clients_new_form-Propose client").click().run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error if "Name of the body" in e.value]
    assert errors, [e.value for e in at.error]
    hidden = [e.value for exp in at.expander for e in exp.error]
    assert not set(errors) & set(hidden)  # not in a collapsed expander
    assert _found(world, "consultant form errors", app_texts(at)) == []
