"""Job tests: a fresh store per test holding one submitted assessment; the Redis tests get
their own queue name on the local Redis (started if it is installed but stopped)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from jobs_world import (
    Assessed,
    assessed_as,
    environment,
    new_queue_name,
    prepare,
    redis_reachable,
)

from advisor.settings import Settings


@pytest.fixture
def env_no_broker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    env = environment(tmp_path / "data", broker=False, queue_name=new_queue_name())
    (tmp_path / "data").mkdir()
    for key in [k for k in os.environ if k.startswith("ADVISOR_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        if key.startswith("ADVISOR_"):
            monkeypatch.setenv(key, value)
    return env


@pytest.fixture
def settings(env_no_broker: dict[str, str]) -> Settings:
    return Settings()


@pytest.fixture
def account(settings: Settings) -> tuple[str, str]:
    return prepare(settings)


@pytest.fixture
def assessed(settings: Settings, account: tuple[str, str]) -> Iterator[Assessed]:
    found = assessed_as(settings, *account)
    yield found
    found.db.dispose()


@pytest.fixture
def broker_env(env_no_broker: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment with the local Redis as broker and a queue of this test's own."""
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 and could not be started")
    env = dict(env_no_broker)
    env["ADVISOR_BROKER_URL"] = "redis://127.0.0.1:6379/0"
    monkeypatch.setenv("ADVISOR_BROKER_URL", env["ADVISOR_BROKER_URL"])
    return env
