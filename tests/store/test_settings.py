"""Settings: defaults, environment variables, and docs that name every one of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.settings import Settings, load_settings
from advisor.store.database import Database, normalise_url

DOCS = Path(__file__).parents[2] / "docs" / "storage.md"


def test_default_store_is_a_sqlite_file_in_the_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("ADVISOR_DATABASE_URL", raising=False)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path / "data"))
    settings = load_settings()
    assert settings.effective_database_url() == f"sqlite:///{tmp_path / 'data' / 'advisor.sqlite'}"
    assert settings.effective_kb_dir() == BUNDLED_KB_DIR


def test_environment_overrides_and_bad_values_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", "postgresql://u@db/advisor")
    monkeypatch.setenv("ADVISOR_DRAFT_RETENTION_DAYS", "30")
    settings = load_settings()
    assert settings.draft_retention_days == 30
    assert normalise_url(settings.effective_database_url()).drivername == "postgresql+psycopg"
    monkeypatch.setenv("ADVISOR_DRAFT_RETENTION_DAYS", "0")
    with pytest.raises(ValueError, match="draft_retention_days"):
        load_settings()


def test_every_setting_is_documented() -> None:
    text = DOCS.read_text(encoding="utf-8")
    missing = [
        f"ADVISOR_{name.upper()}"
        for name in Settings.model_fields
        if f"ADVISOR_{name.upper()}" not in text
    ]
    assert missing == []


def test_sqlite_store_uses_wal_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 's.sqlite'}", busy_timeout_ms=1234)
    try:
        with db.engine.connect() as conn:
            pragma = {
                name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
                for name in ("journal_mode", "busy_timeout", "foreign_keys")
            }
    finally:
        db.dispose()
    assert pragma == {"journal_mode": "wal", "busy_timeout": 1234, "foreign_keys": 1}
