"""Configuration from the environment (``ADVISOR_*`` variables), read with pydantic-settings.

=============================  ===================================================  ==========
variable                       meaning                                              default
=============================  ===================================================  ==========
``ADVISOR_DATA_DIR``           folder for the embedded store and other local data   ``./data``
``ADVISOR_DATABASE_URL``       SQLAlchemy URL of the store                          SQLite file
``ADVISOR_SECRET_KEY``         secret for signing (cookies, one-time links)         none
``ADVISOR_KB_DIR``             knowledge-base folder that seeds an empty store      bundled
``ADVISOR_DRAFT_RETENTION_DAYS``  drafts untouched this long are purged             180
``ADVISOR_SIGNIN_MAX_FAILURES``   failed sign-ins allowed within the window        5
``ADVISOR_SIGNIN_WINDOW_SECONDS``  how far back failures count                     900
``ADVISOR_SIGNIN_LOCKOUT_SECONDS`` wait after the limit is reached                 900
``ADVISOR_ARGON2_TIME_COST``   argon2 iterations                                    3
``ADVISOR_ARGON2_MEMORY_KIB``  argon2 memory in KiB                                 65536
``ADVISOR_ARGON2_PARALLELISM`` argon2 lanes                                         4
``ADVISOR_SQLITE_BUSY_TIMEOUT_MS`` how long a SQLite writer waits for the lock    30000
``ADVISOR_BROKER_URL``         Redis URL of the report queue (``advisor worker``)   none
``ADVISOR_QUEUE_NAME``         name of the report queue on the broker               ``reports``
=============================  ===================================================  ==========

The default store is ``<ADVISOR_DATA_DIR>/advisor.sqlite`` (WAL mode). The data folder is
relative to the working directory unless given as an absolute path; set it explicitly for a
service (e.g. ``/var/lib/advisor``). See ``docs/storage.md``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

SQLITE_FILE_NAME = "advisor.sqlite"


class Settings(BaseSettings):
    """Every setting of the advisor, each overridable by an ``ADVISOR_<NAME>`` variable."""

    model_config = SettingsConfigDict(env_prefix="ADVISOR_", extra="ignore", frozen=True)

    data_dir: Path = Path("data")
    """Folder of the embedded SQLite store and other local data."""
    database_url: str | None = None
    """SQLAlchemy URL; none means a SQLite file in ``data_dir``."""
    secret_key: SecretStr | None = None
    """Secret for signing cookies and links; required by a shared deployment."""
    kb_dir: Path | None = None
    """Knowledge-base folder that seeds an empty store; none means the bundled one."""
    draft_retention_days: int = Field(default=180, ge=1, le=3650)
    """Drafts not touched for this many days are purged by ``advisor db purge-drafts``."""
    signin_max_failures: int = Field(default=5, ge=1, le=1000)
    """Failed sign-ins for one email within the window before sign-in is refused."""
    signin_window_seconds: int = Field(default=900, ge=1)
    """How far back failed sign-ins count."""
    signin_lockout_seconds: int = Field(default=900, ge=1)
    """How long sign-in stays refused once the limit is reached."""
    argon2_time_cost: int = Field(default=3, ge=1, le=20)
    argon2_memory_kib: int = Field(default=65536, ge=8, le=4_194_304)
    argon2_parallelism: int = Field(default=4, ge=1, le=64)
    sqlite_busy_timeout_ms: int = Field(default=30_000, ge=0, le=600_000)
    """How long a SQLite writer waits for another writer instead of failing."""
    broker_url: str | None = None
    """Redis URL of the report queue; none renders reports in this process's own workers."""
    queue_name: str = Field(default="reports", min_length=1, max_length=60)
    """The queue's name on the broker (producers and ``advisor worker`` must agree)."""

    def effective_database_url(self) -> str:
        """The configured URL, or the default SQLite file inside ``data_dir``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / SQLITE_FILE_NAME).resolve()}"

    def effective_kb_dir(self) -> Path:
        """The knowledge-base folder that seeds an empty store."""
        if self.kb_dir is not None:
            return self.kb_dir
        from advisor.kb.loader import BUNDLED_KB_DIR  # late: settings must stay light

        return BUNDLED_KB_DIR


def load_settings() -> Settings:
    """Settings from the environment (read afresh on each call)."""
    return Settings()
