"""The one-time set-up code that lets the person at the server's terminal create the first
curator in the browser.

- ``issue_setup_code(data_dir)``: ``advisor serve`` calls it on a store with no curator yet
  and prints the code. Only a SHA-256 of the code is kept, in ``setup-code.json`` in the data
  folder, with the id of the server's process: the code is valid until it is used or that
  process stops (a new ``advisor serve`` issues a new one).
- ``setup_code_waiting(data_dir)``: whether a code issued by this very process is waiting.
- ``create_first_curator_with_code(db, settings, data_dir, code, email, password)``: checks
  the code and creates the first curator with the password the person chose. A wrong code
  is refused and counted: after ``signin_max_failures`` wrong codes within
  ``signin_window_seconds`` further tries wait ``signin_lockout_seconds``. A used code is
  gone, so it is refused too.
- ``discard_setup_code(data_dir)``: forget any code (a curator exists).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import math
import os
import secrets
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from advisor.services import accounts
from advisor.services.errors import ServiceError
from advisor.services.permissions import Principal
from advisor.services.setup import needs_first_curator
from advisor.settings import Settings
from advisor.store.database import Database
from advisor.store.models import utcnow
from advisor.vocabulary import Role

FILE_NAME = "setup-code.json"
ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
"""No 0/O or 1/I/L to misread: 32 symbols, 5 bits each; 12 of them are 60 bits."""
GROUPS = 3
GROUP_LENGTH = 4
FIRST_RUN = Principal(user_id=None, email="first set-up (code from the server)", role=Role.curator)
"""Who the audit log names for the first curator's creation."""

_LOCK = threading.Lock()  # the app's sessions are threads of one process


class SetupCodeRefused(ServiceError):
    """The set-up code is wrong, used, or not from this server."""


class SetupCodeThrottled(SetupCodeRefused):
    """Too many wrong codes lately; ``retry_after`` seconds to wait."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, (retry_after + 59) // 60)
        super().__init__(f"too many wrong set-up codes: try again in {minutes} minute(s)")
        self.retry_after = retry_after


def _digest(code: str) -> str:
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(plain.encode()).hexdigest()


def _path(data_dir: Path) -> Path:
    return Path(data_dir) / FILE_NAME


def _write(data_dir: Path, state: dict[str, Any]) -> None:
    """Replace the file whole (never half-written), readable by its owner only."""
    path = _path(data_dir)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(state, out)
    os.replace(temporary, path)


def _read(data_dir: Path) -> dict[str, Any] | None:
    try:
        state = json.loads(_path(data_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return state if isinstance(state, dict) else None


def issue_setup_code(data_dir: Path, pid: int | None = None) -> str:
    """A new code for the server process ``pid`` (this one by default); the old one is gone."""
    code = "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_LENGTH)) for _ in range(GROUPS)
    )
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    with _LOCK:
        _write(
            data_dir,
            {"pid": pid or os.getpid(), "sha256": _digest(code), "failures": []},
        )
    return code


def discard_setup_code(data_dir: Path) -> None:
    """Forget any set-up code."""
    with _LOCK, contextlib.suppress(FileNotFoundError):
        _path(data_dir).unlink()


def _live_state(data_dir: Path) -> dict[str, Any] | None:
    state = _read(data_dir)
    if state is None or state.get("pid") != os.getpid():
        return None
    return state


def setup_code_waiting(data_dir: Path) -> bool:
    """True when this server process has issued a code that is not used yet."""
    return _live_state(data_dir) is not None


def _wait(failures: list[datetime], settings: Settings, now: datetime) -> int:
    window = timedelta(seconds=settings.signin_window_seconds)
    recent = sorted(
        f
        for f in failures
        if now - f <= window + timedelta(seconds=settings.signin_lockout_seconds)
    )
    if len(recent) < settings.signin_max_failures:
        return 0
    newest = recent[-settings.signin_max_failures :]
    if newest[-1] - newest[0] > window:
        return 0
    until = newest[-1] + timedelta(seconds=settings.signin_lockout_seconds)
    return max(0, math.ceil((until - now).total_seconds()))


def create_first_curator_with_code(
    db: Database,
    settings: Settings,
    data_dir: Path,
    code: str,
    email: str,
    password: str,
    *,
    now: datetime | None = None,
) -> Principal:
    """Check the code and create the first curator; the new curator, signed in."""
    now = now or utcnow()
    with _LOCK:
        state = _live_state(data_dir)
        if state is None:
            raise SetupCodeRefused(
                "no set-up code is waiting: it was used already, or the server was restarted "
                "(the terminal running 'advisor serve' shows the current code)"
            )
        failures = [datetime.fromisoformat(f) for f in state.get("failures", [])]
        wait = _wait(failures, settings, now)
        if wait:
            raise SetupCodeThrottled(wait)
        if not hmac.compare_digest(_digest(code or ""), str(state.get("sha256", ""))):
            state["failures"] = [f.isoformat() for f in [*failures, now]][-50:]
            _write(data_dir, state)
            raise SetupCodeRefused(
                "that set-up code is not right: copy it from the terminal running 'advisor serve'"
            )
        if not needs_first_curator(db):
            _path(data_dir).unlink(missing_ok=True)
            raise SetupCodeRefused("a curator account exists already: sign in with it")
        user = accounts.create_user(
            db, FIRST_RUN, settings, email=email, role=Role.curator, password=password
        )
        _path(data_dir).unlink(missing_ok=True)
    return accounts.principal_for(db, user.id)
