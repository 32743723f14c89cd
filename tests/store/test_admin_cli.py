"""advisor orgs add|list|link and users add|list|passwd|reset|disable|enable: the app's
checks and audit entries, from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_world import FAST_HASHING, KB_SMALL, PASSWORD
from typer.testing import CliRunner, Result

from advisor.cli import app
from advisor.services import accounts, audit, client_access
from advisor.services.errors import SignInRefused
from advisor.services.permissions import OPERATOR
from advisor.settings import Settings
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


def _store(url: str) -> tuple[Database, Settings]:
    return Database(url), Settings(database_url=url, **FAST_HASHING)  # type: ignore[arg-type]


def test_orgs_add_list_and_link(cli_env: str) -> None:
    added = advisor("orgs", "add", "--name", "Northern Council", "--kind", "unitary")
    assert added.exit_code == 0, added.output
    assert "registered Northern Council (unitary authority)" in added.stdout
    assert "its short name is northern_council" in added.stdout
    clash = advisor("orgs", "add", "--name", "Northern  Council", "--kind", "county")
    assert clash.exit_code == 2
    assert "Northern Council is registered with it already" in clash.stderr
    vendor_id = advisor("orgs", "add", "--name", "Acme", "--kind", "county")
    assert vendor_id.exit_code == 2
    assert "Acme Data is a vendor in the knowledge base" in vendor_id.stderr
    no_kind = advisor("orgs", "add", "--name", "East")
    assert no_kind.exit_code == 2
    assert "--kind" in no_kind.stderr
    assert advisor("orgs", "add", "--from-knowledge-base", "south_council").exit_code == 0
    linked = advisor("orgs", "link", "northern_council", "north_council")
    assert linked.exit_code == 0, linked.output
    listed = advisor("orgs", "list").stdout
    assert "Northern Council" in listed
    assert "linked to North Council in the knowledge base" in listed
    assert "South Council" in listed
    taken = advisor("orgs", "link", "south_council", "north_council")
    assert taken.exit_code == 2
    assert "Northern Council is linked to that entry already" in taken.stderr
    db, _ = _store(cli_env)
    try:
        actions = [e.action for e in audit.list_audit(db, OPERATOR, limit=3)]
    finally:
        db.dispose()
    assert actions == ["organisation.link", "organisation.create", "organisation.create"]


def test_users_admin_round(cli_env: str) -> None:
    made = advisor(
        "users", "add", "--email", "new@north.gov.uk", "--role", "council",
        "--org", "north_council", "--one-time",
    )  # fmt: skip
    assert made.exit_code == 0, made.output
    one_time = made.stdout.rsplit(": ", 1)[1].strip()
    db, settings = _store(cli_env)
    try:
        who = accounts.sign_in(db, settings, "new@north.gov.uk", one_time)
        assert accounts.must_change_password(db, int(who.user_id or 0))
        assert "one-time password" in advisor("users", "list").stdout
        # the account changes its own password: current one first, then the new one twice
        own = advisor(
            "users", "passwd", "new@north.gov.uk", "--as", "new@north.gov.uk",
            stdin=f"{one_time}\n{PASSWORD}\n",
        )  # fmt: skip
        assert own.exit_code == 0, own.output
        assert not accounts.must_change_password(db, int(who.user_id or 0))
        wrong = advisor(
            "users", "passwd", "new@north.gov.uk", "--as", "new@north.gov.uk",
            stdin=f"not it at all\n{PASSWORD}x\n",
        )  # fmt: skip
        assert wrong.exit_code == 2
        assert "current password: that is not your current password" in wrong.stderr
        # a council account may not reset anyone's password, not even through the CLI
        refused = advisor("users", "reset", "new@north.gov.uk", "--as", "new@north.gov.uk")
        assert refused.exit_code == 1
        assert refused.stderr.strip() == (
            "not allowed: council new@north.gov.uk may not manage user accounts"
        )
        reset = advisor("users", "reset", "new@north.gov.uk")
        assert reset.exit_code == 0, reset.output
        fresh = reset.stdout.rsplit(": ", 1)[1].strip()
        assert accounts.sign_in(db, settings, "new@north.gov.uk", fresh)
        off = advisor("users", "disable", "new@north.gov.uk")
        assert off.exit_code == 0
        assert "cannot sign in" in off.stdout
        with pytest.raises(SignInRefused):
            accounts.sign_in(db, settings, "new@north.gov.uk", fresh)
        assert "switched off" in advisor("users", "list").stdout
        assert advisor("users", "enable", "new@north.gov.uk").exit_code == 0
        assert accounts.sign_in(db, settings, "new@north.gov.uk", fresh)
        unknown = advisor("users", "disable", "nobody@north.gov.uk")
        assert unknown.exit_code == 2
        assert "no account for nobody@north.gov.uk" in unknown.stderr
        actions = [e.action for e in audit.list_audit(db, OPERATOR, limit=20)]
        for action in (
            "user.create",
            "user.password_change",
            "user.password_reset",
            "user.deactivate",
            "user.activate",
        ):
            assert action in actions
    finally:
        db.dispose()


def test_proposed_clients_and_consultant_access(cli_env: str) -> None:
    assert advisor("orgs", "add", "--from-knowledge-base", "north_council").exit_code == 0
    made = advisor(
        "users", "add", "--email", "c@advise.example", "--role", "consultant", stdin=PASSWORD
    )
    assert made.exit_code == 0, made.output
    lead = advisor(
        "users", "add", "--email", "lead@north.gov.uk", "--role", "council",
        "--org", "north_council", stdin=PASSWORD,
    )  # fmt: skip
    assert lead.exit_code == 0, lead.output
    db, _ = _store(cli_env)
    try:
        consultant = accounts.principal_for_email(db, "c@advise.example")
        client_access.propose_client(db, consultant, "East Riding Council", "unitary", "East")
        client_access.propose_client(db, consultant, "North Council", "unitary")
    finally:
        db.dispose()
    waiting = advisor("orgs", "proposals").stdout
    assert "East Riding Council (unitary authority, East), proposed by c@advise.example" in waiting
    mine = advisor("orgs", "proposals", "--as", "c@advise.example")
    assert mine.exit_code == 0
    assert "North Council" in mine.stdout
    refused = advisor("orgs", "approve", "1", "--as", "c@advise.example")
    assert refused.exit_code == 1
    assert "may not approve proposed clients" in refused.stderr
    approved = advisor("orgs", "approve", "1")
    assert approved.exit_code == 0, approved.output
    assert "consultant of East Riding Council" in approved.stdout
    same = advisor("orgs", "approve", "2")
    assert same.exit_code == 2
    assert "North Council is registered with it already" in same.stderr
    assert advisor("orgs", "decline", "2").exit_code == 0
    # the body's lead gives and ends access to their own body, not another
    given = advisor(
        "orgs", "consultants", "north_council", "--add", "c@advise.example",
        "--as", "lead@north.gov.uk",
    )  # fmt: skip
    assert given.exit_code == 0, given.output
    assert "c@advise.example, since" in given.stdout
    other = advisor("orgs", "consultants", "east_riding_council", "--as", "lead@north.gov.uk")
    assert other.exit_code == 1
    assert "may not decide who consults for a body" in other.stderr
    ended = advisor(
        "orgs", "consultants", "north_council", "--end", "c@advise.example",
        "--as", "lead@north.gov.uk",
    )  # fmt: skip
    assert ended.exit_code == 0, ended.output
    assert "no consultant can see North Council's assessments" in ended.stdout
    db, _ = _store(cli_env)
    try:
        who = accounts.principal_for_email(db, "c@advise.example")
        assert who.organisations == frozenset({"east_riding_council"})
        entries = audit.list_audit(db, OPERATOR, limit=4)
        assert [(e.action, e.actor) for e in entries[:2]] == [
            ("consultant.end", "lead@north.gov.uk"),
            ("consultant.grant", "lead@north.gov.uk"),
        ]
    finally:
        db.dispose()
