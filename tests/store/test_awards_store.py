"""``advisor awards import`` into the store: one new live revision, the same awards and counts
as into files, idempotent, a newer release replaces the older, a curator reviews suppliers;
nothing is written when a file is bad (SQLite, and PostgreSQL with the ``postgres`` marker)."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.services import kb_revisions
from advisor.services.awards import import_awards, review_supplier
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database

pytestmark = pytest.mark.postgres

FIXTURES = Path(__file__).parents[1] / "awards" / "fixtures"
REAL = FIXTURES / "contracts_finder_2025.json"
CONSTRUCTED = FIXTURES / "constructed.jsonl"
NEWER = FIXTURES / "newer_record_package.json"


@pytest.fixture
def bundled(db: Database) -> Database:
    """The store holding the bundled knowledge base (its bodies and vendors to match)."""
    kb_revisions.import_knowledge_base(db, OPERATOR, BUNDLED_KB_DIR, replace=True)
    return db


def test_import_into_the_store_is_one_revision_and_idempotent(bundled: Database) -> None:
    before = kb_revisions.live_revision(bundled)
    summary = import_awards(bundled, OPERATOR, [REAL, CONSTRUCTED])
    assert summary.revision == before + 1
    assert (summary.imported, summary.updated, summary.suppliers_added) == (17, 0, 13)
    assert summary.skipped["the same award published under another identifier (OCID)"] == 1
    assert summary.skipped["a release with no identifier (ocid)"] == 1
    assert summary.noted["a withheld supplier, award kept without one"] == 1
    kb = kb_revisions.live_knowledge_base(bundled).kb
    assert len(kb.awards) == 17
    assert len(kb.suppliers) == 13
    camden = next(a for a in kb.awards if a.id == "ocds_h6vhtk_0c1a01")
    assert camden.buyer.match == "camden_council"
    assert camden.awards[0].suppliers[0].match == "meeco"
    again = import_awards(bundled, OPERATOR, [CONSTRUCTED, REAL])
    assert again.revision is None
    assert (again.imported, again.updated, again.unchanged) == (0, 0, 17)
    assert kb_revisions.live_revision(bundled) == before + 1
    newer = import_awards(bundled, OPERATOR, [NEWER])
    assert (newer.updated, newer.revision) == (1, before + 2)
    camden = next(
        a for a in kb_revisions.live_knowledge_base(bundled).kb.awards if a.id == camden.id
    )
    assert camden.awards[0].value_gbp == 1_350_000
    history = kb_revisions.entry_history(bundled, "awards", camden.id)
    assert [h.version for h in history][:2] in ([2, 1], [1, 2])


def test_a_curator_reviews_a_supplier_in_the_store(bundled: Database) -> None:
    import_awards(bundled, OPERATOR, [REAL, CONSTRUCTED])
    review_supplier(bundled, OPERATOR, "insightful_data", "merge", "palantir")
    supplier = kb_revisions.get_entry(bundled, "suppliers", "insightful_data")
    assert supplier.data is not None
    assert (supplier.data["status"], supplier.data["merged_into"]) == ("merged", "palantir")
    again = import_awards(bundled, OPERATOR, [REAL, CONSTRUCTED])
    assert again.revision is None  # the decision stands


def test_a_bad_file_writes_nothing(bundled: Database, tmp_path: Path) -> None:
    before = kb_revisions.live_revision(bundled)
    bad = tmp_path / "bad.json"
    bad.write_text('{"releases": [{"ocid": "ocds-x-1"')
    with pytest.raises(InputError, match="malformed JSON"):
        import_awards(bundled, OPERATOR, [REAL, bad])
    assert kb_revisions.live_revision(bundled) == before
    assert kb_revisions.live_knowledge_base(bundled).kb.awards == []
