"""AppTest set-up: a fresh seeded store per test, demo accounts, caches cleared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st

from advisor.app.first_run import Account, create_demo_accounts, prepare_store
from advisor.services.app_support import open_store
from advisor.settings import Settings
from advisor.store.database import Database

FAST_HASHING = {
    "ADVISOR_ARGON2_TIME_COST": "1",
    "ADVISOR_ARGON2_MEMORY_KIB": "1024",
    "ADVISOR_ARGON2_PARALLELISM": "1",
}


@pytest.fixture(autouse=True)
def _clear_caches() -> Iterator[None]:
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    for name, value in FAST_HASHING.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "data").mkdir()
    return Settings()


@pytest.fixture
def store(settings: Settings) -> Iterator[Database]:
    db = open_store(settings)
    prepare_store(db, settings)
    yield db
    db.dispose()


@pytest.fixture
def accounts(store: Database, settings: Settings) -> dict[str, Account]:
    """One account per demo role, keyed by email's local part (lead, colleague, ...)."""
    return {a.email.split("@")[0]: a for a in create_demo_accounts(store, settings)}
