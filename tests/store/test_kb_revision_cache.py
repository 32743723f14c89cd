"""The live knowledge base read from the store is kept in the on-disk cache: another process
reading the same live entries reads it back instead of validating them again, and a new
revision, an approved change, another database's entries or a spoilt cache file never give
it back stale."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from store_world import KB_SMALL, fresh_database_url

from advisor.kb import cache
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.models import KnowledgeBase
from advisor.services import kb_revisions
from advisor.services.permissions import OPERATOR
from advisor.store import migrate
from advisor.store.database import Database
from advisor.store.models import KbEntry

pytestmark = pytest.mark.postgres


@pytest.fixture
def cache_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch, cache_folder: Path) -> list[int]:
    """One item per knowledge base built from the store's entries (not read from the cache)."""
    made: list[int] = []
    real = kb_revisions._kb_from_texts

    def counting(rows: list[kb_revisions.StoredRow]) -> KnowledgeBase:
        made.append(len(rows))
        return real(rows)

    monkeypatch.setattr(kb_revisions, "_kb_from_texts", counting)
    return made


@pytest.fixture
def other_db(tmp_path: Path) -> Iterator[Database]:
    """A second, migrated and empty store."""
    place = tmp_path / "other"
    place.mkdir()
    urls = fresh_database_url(place)
    db = Database(next(urls), busy_timeout_ms=30_000)
    migrate.upgrade(db)
    try:
        yield db
    finally:
        db.dispose()
        with contextlib.suppress(StopIteration):
            next(urls)  # drops the PostgreSQL schema


def new_process(db: Database) -> Database:
    """The same store as a process that has not read it yet sees it."""
    db.cache.clear()
    return db


def edited_small_kb(tmp_path: Path, description: str) -> Path:
    work = tmp_path / f"kb-{len(description)}"
    shutil.copytree(KB_SMALL, work)
    path = work / "vendors" / "acme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("Makes data hubs.", description), encoding="utf-8")
    return work


def acme_description(kb: KnowledgeBase) -> str:
    return next(v.description for v in kb.vendors if v.id == "acme")


def test_a_second_process_reads_the_live_revision_back(db: Database, builds: list[int]) -> None:
    first = kb_revisions.live_knowledge_base(db)
    assert len(builds) == 1
    assert kb_revisions.live_knowledge_base(db) is first  # the same process: no disk read
    second = kb_revisions.live_knowledge_base(new_process(db))
    assert len(builds) == 1
    assert second.kb is not first.kb
    assert (second.revision, second.kb) == (first.revision, first.kb)
    assert second.kb.model_dump(exclude_unset=True) == first.kb.model_dump(exclude_unset=True)


def test_the_knowledge_base_built_from_stored_text_equals_the_one_from_decoded_rows(
    db: Database, builds: list[int]
) -> None:
    kb_revisions.import_knowledge_base(db, OPERATOR, BUNDLED_KB_DIR, replace=True)
    live = kb_revisions.live_knowledge_base(new_process(db)).kb
    with db.read() as session:
        rows = [
            (r.kind, r.entry_id, r.position, r.data)
            for r in session.execute(
                select(KbEntry.kind, KbEntry.entry_id, KbEntry.position, KbEntry.data)
            )
        ]
    decoded = kb_revisions._kb_from_rows(rows)
    assert live == decoded == load_knowledge_base(BUNDLED_KB_DIR)
    assert live.model_dump(exclude_unset=True) == decoded.model_dump(exclude_unset=True)
    assert live.model_fields_set == decoded.model_fields_set
    cached = kb_revisions.live_knowledge_base(new_process(db)).kb
    assert cached == live
    assert len(builds) == 1


def test_a_new_revision_is_built_not_read_back(
    db: Database, builds: list[int], tmp_path: Path
) -> None:
    before = kb_revisions.live_knowledge_base(db)
    result = kb_revisions.import_knowledge_base(
        db, OPERATOR, edited_small_kb(tmp_path, "Builds data hubs.")
    )
    assert result.revision == before.revision + 1
    after = kb_revisions.live_knowledge_base(new_process(db))
    assert len(builds) == 2
    assert after.revision == result.revision
    assert acme_description(after.kb) == "Builds data hubs."
    # and the process that had the old revision follows too
    assert acme_description(kb_revisions.live_knowledge_base(db).kb) == "Builds data hubs."
    assert len(builds) == 2


def test_an_approved_change_is_built_not_read_back(db: Database, builds: list[int]) -> None:
    kb_revisions.live_knowledge_base(db)
    entry = kb_revisions.get_entry(db, "vendors", "acme")
    assert entry.data is not None
    proposal = kb_revisions.propose_change(
        db,
        OPERATOR,
        "vendors",
        "acme",
        {**entry.data, "description": "Runs data hubs."},
        entry.version,
    )
    approved = kb_revisions.approve_proposal(db, OPERATOR, proposal.id)
    live = kb_revisions.live_knowledge_base(new_process(db))
    assert live.revision == approved.id
    assert acme_description(live.kb) == "Runs data hubs."
    assert kb_revisions.live_knowledge_base(new_process(db)).kb == live.kb
    assert len(builds) == 2


def test_another_database_at_the_same_revision_gets_its_own_knowledge_base(
    db: Database, other_db: Database, builds: list[int], tmp_path: Path
) -> None:
    kb_revisions.import_knowledge_base(
        other_db, OPERATOR, edited_small_kb(tmp_path, "Another store's hubs.")
    )
    mine = kb_revisions.live_knowledge_base(db)
    theirs = kb_revisions.live_knowledge_base(other_db)
    assert mine.revision == theirs.revision == 1
    assert acme_description(mine.kb) == "Makes data hubs."
    assert acme_description(theirs.kb) == "Another store's hubs."
    assert acme_description(kb_revisions.live_knowledge_base(new_process(db)).kb) == (
        "Makes data hubs."
    )
    assert len(builds) == 3  # the two stores evict each other's entry: built again, not mixed


@pytest.mark.parametrize("spoil", ["truncate", "flip", "garbage"])
def test_a_spoilt_cache_file_falls_back_to_a_build(
    db: Database, builds: list[int], cache_folder: Path, spoil: str
) -> None:
    first = kb_revisions.live_knowledge_base(db)
    [path] = cache_folder.glob(f"{kb_revisions.LIVE_KB_CACHE}-*.pickle")
    blob = path.read_bytes()
    if spoil == "truncate":
        path.write_bytes(blob[: len(blob) // 2])
    elif spoil == "flip":
        path.write_bytes(blob[:-1] + bytes([blob[-1] ^ 1]))
    else:
        path.write_bytes(b"not a pickle")
    again = kb_revisions.live_knowledge_base(new_process(db))
    assert len(builds) == 2
    assert again.kb == first.kb
    assert kb_revisions.live_knowledge_base(new_process(db)).kb == first.kb
    assert len(builds) == 2  # the file was written afresh


def test_with_the_cache_off_every_process_builds(
    db: Database, builds: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(cache.CACHE_ENV, "off")
    first = kb_revisions.live_knowledge_base(db)
    assert kb_revisions.live_knowledge_base(new_process(db)).kb == first.kb
    assert len(builds) == 2
