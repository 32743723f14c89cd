"""The first curator from the set-up code the server printed: a right code once, a wrong,
reused or other server's code refused, wrong codes throttled."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.services import accounts, audit
from advisor.services.permissions import OPERATOR
from advisor.services.setup import needs_first_curator
from advisor.services.setup_code import (
    FILE_NAME,
    SetupCodeRefused,
    SetupCodeThrottled,
    create_first_curator_with_code,
    issue_setup_code,
    setup_code_waiting,
)
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import utcnow

pytestmark = pytest.mark.postgres
NEW_PASSWORD = "a long password of my own"


def test_the_code_creates_the_first_curator_once(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    code = issue_setup_code(tmp_path)
    assert len(code) == 14
    assert code.count("-") == 2
    assert setup_code_waiting(tmp_path)
    assert code not in (tmp_path / FILE_NAME).read_text()  # only its hash is kept
    with pytest.raises(InputError, match="use at least 12"):
        create_first_curator_with_code(db, settings, tmp_path, code, "me@council.gov.uk", "short")
    assert setup_code_waiting(tmp_path)  # bad input does not use the code up
    who = create_first_curator_with_code(
        db, settings, tmp_path, code.lower().replace("-", " "), "Me@Council.gov.uk", NEW_PASSWORD
    )
    assert who.role.value == "curator"
    assert not needs_first_curator(db)
    assert not setup_code_waiting(tmp_path)
    assert accounts.sign_in(db, settings, "me@council.gov.uk", NEW_PASSWORD).user_id == who.user_id
    with pytest.raises(SetupCodeRefused, match="no set-up code is waiting"):
        create_first_curator_with_code(
            db, settings, tmp_path, code, "other@council.gov.uk", NEW_PASSWORD
        )
    [created] = audit.list_audit(db, OPERATOR, action="user.create")
    assert created.actor == "first set-up (code from the server)"


def test_a_wrong_code_is_refused_and_throttled(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    code = issue_setup_code(tmp_path)
    now = utcnow()
    for _ in range(settings.signin_max_failures):
        with pytest.raises(SetupCodeRefused, match="not right"):
            create_first_curator_with_code(
                db, settings, tmp_path, "AAAA-BBBB-CCCC", "me@x.gov.uk", NEW_PASSWORD, now=now
            )
    # even the right code waits now
    with pytest.raises(SetupCodeThrottled, match="too many wrong set-up codes"):
        create_first_curator_with_code(
            db, settings, tmp_path, code, "me@x.gov.uk", NEW_PASSWORD, now=now
        )
    later = now + timedelta(seconds=settings.signin_lockout_seconds + 1)
    create_first_curator_with_code(
        db, settings, tmp_path, code, "me@x.gov.uk", NEW_PASSWORD, now=later
    )
    assert not needs_first_curator(db)


def test_a_code_of_another_server_process_is_refused(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    code = issue_setup_code(tmp_path, pid=os.getpid() + 1)
    assert not setup_code_waiting(tmp_path)
    with pytest.raises(SetupCodeRefused, match="server was restarted"):
        create_first_curator_with_code(db, settings, tmp_path, code, "me@x.gov.uk", NEW_PASSWORD)
    assert needs_first_curator(db)
