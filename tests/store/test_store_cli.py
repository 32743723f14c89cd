"""The store commands: db upgrade/backup/restore/purge-drafts, users add/list, kb import/export."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_world import FAST_HASHING, KB_SMALL, PASSWORD
from typer.testing import CliRunner, Result

from advisor.cli import app
from advisor.kb.loader import load_knowledge_base
from advisor.services import accounts
from advisor.settings import Settings
from advisor.store import migrate
from advisor.store.database import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: Path) -> str:
    monkeypatch.setenv("ADVISOR_DATABASE_URL", database_url)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADVISOR_KB_DIR", str(KB_SMALL))
    for name, value in FAST_HASHING.items():
        monkeypatch.setenv(f"ADVISOR_{name.upper()}", str(value))
    return database_url


def advisor(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(app, list(args), input=stdin)


def test_upgrade_creates_seeds_and_is_idempotent(cli_env: str) -> None:
    first = advisor("db", "upgrade")
    assert first.exit_code == 0, first.output
    head = migrate.head_revision()
    assert f"schema none -> {head}" in first.stdout
    assert "seeded the knowledge base" in first.stdout
    again = advisor("db", "upgrade")
    assert again.exit_code == 0
    assert f"already at schema {head}" in again.stdout
    assert "seeded" not in again.stdout
    status = advisor("db", "status")
    assert "knowledge base revision: 1" in status.stdout


def test_users_add_reads_the_password_from_stdin_never_an_argument(cli_env: str) -> None:
    added = advisor(
        "users", "add", "--email", "lead@north.gov.uk", "--role", "council",
        "--org", "north_council", stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "created council account lead@north.gov.uk for North Council" in added.stdout
    assert "registered North Council from the knowledge base" in added.stderr
    db = Database(cli_env)
    try:
        settings = Settings(database_url=cli_env, **FAST_HASHING)  # type: ignore[arg-type]
        assert accounts.sign_in(db, settings, "lead@north.gov.uk", PASSWORD).user_id == 1
    finally:
        db.dispose()
    listed = advisor("users", "list")
    assert "lead@north.gov.uk" in listed.stdout
    assert "North Council" in listed.stdout
    assert "council     active" in listed.stdout
    options = advisor("users", "add", "--help").stdout
    assert "--password" not in options


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "council", "--org", "north_council"], "short\n", "use at least 12"),
        (["--role", "council", "--org", "atlantis"], PASSWORD, "no organisation 'atlantis'"),
        (["--role", "council"], PASSWORD, "acts for exactly one organisation"),
        (["--role", "council", "--org", "north_council"], "", "no password given"),
    ],
)
def test_users_add_bad_input_exits_2_naming_the_field(
    cli_env: str, args: list[str], stdin: str, message: str
) -> None:
    result = advisor("users", "add", "--email", "x@north.gov.uk", *args, stdin=stdin)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_kb_export_import_round_trip(cli_env: str, tmp_path: Path) -> None:
    assert advisor("db", "upgrade").exit_code == 0
    out = tmp_path / "exported"
    exported = advisor("kb", "export", str(out))
    assert exported.exit_code == 0, exported.output
    assert load_knowledge_base(out) == load_knowledge_base(KB_SMALL)
    same = advisor("kb", "import", str(out))
    assert "no change" in same.stdout


def test_kb_proposals_and_review(cli_env: str) -> None:
    assert advisor("db", "upgrade").exit_code == 0
    assert advisor("kb", "proposals").stdout.strip() == "no proposals"
    refused = advisor("kb", "review", "1", "--reject")
    assert refused.exit_code != 0


def test_backup_and_restore(cli_env: str, tmp_path: Path) -> None:
    assert advisor("db", "upgrade").exit_code == 0
    backup = tmp_path / "backup.sqlite"
    made = advisor("db", "backup", str(backup))
    if not cli_env.startswith("sqlite"):
        assert made.exit_code == 2
        assert "use pg_dump" in made.stderr
        return
    assert made.exit_code == 0, made.output
    assert (
        advisor(
            "users", "add", "--email", "late@x.org", "--role", "curator", stdin=PASSWORD
        ).exit_code
        == 0
    )
    restored = advisor("db", "restore", str(backup), "--yes")
    assert restored.exit_code == 0, restored.output
    assert "late@x.org" not in advisor("users", "list").stdout  # back to the backup's content
    bad = tmp_path / "not-a-store.sqlite"
    bad.write_bytes(b"hello")
    refused = advisor("db", "restore", str(bad), "--yes")
    assert refused.exit_code == 2
    assert "not a SQLite database" in refused.stderr


def test_purge_drafts_command(cli_env: str) -> None:
    result = advisor("db", "purge-drafts")
    assert result.exit_code == 0, result.output
    assert "deleted 0 draft(s) untouched for 180 days" in result.stdout
