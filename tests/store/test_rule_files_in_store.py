"""Rule files in the store: kept per revision, checked together before they go live, and
read back as the revision's own (the bundled ones for a store that holds none)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from store_world import KB_SMALL

from advisor.errors import InputError
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.kb.rule_files import RULE_FILES, bundled_rule_files
from advisor.services import kb_revisions
from advisor.services.app_support import rule_files_revision
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database

pytestmark = pytest.mark.postgres


def with_rule_files(tmp_path: Path, title: str) -> Path:
    """The small test knowledge base with the bundled rule files, the bank retitled."""
    kb = tmp_path / "kb"
    shutil.copytree(KB_SMALL, kb)
    for name in RULE_FILES:
        shutil.copy(BUNDLED_KB_DIR / name, kb / name)
    bank = kb / "questionnaire.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(
        text.replace("title: Data services readiness assessment", f"title: {title}", 1),
        encoding="utf-8",
    )
    return kb


def test_a_store_without_rule_files_uses_the_bundled_ones(db: Database) -> None:
    assert kb_revisions.rule_file_texts_at(db, 1) == {}
    assert rule_files_revision(db, 1) is bundled_rule_files()


def test_each_revision_has_its_own_rule_files(db: Database, tmp_path: Path) -> None:
    kb = with_rule_files(tmp_path, "Our bank")
    second = kb_revisions.import_knowledge_base(db, OPERATOR, kb)
    assert second.revision == 2
    assert rule_files_revision(db, 2).questionnaire.title == "Our bank"
    assert set(kb_revisions.rule_file_texts_at(db, 2)) == set(RULE_FILES)
    assert rule_files_revision(db, 1) is bundled_rule_files()  # the older revision is kept
    (kb / "matching.yaml").unlink()  # removed from the store: the bundled one again
    third = kb_revisions.import_knowledge_base(db, OPERATOR, kb)
    assert set(kb_revisions.rule_file_texts_at(db, third.revision or 0)) == {
        "questionnaire.yaml",
        "scoring.yaml",
    }
    assert rule_files_revision(db, 3).matching == bundled_rule_files().matching
    assert rule_files_revision(db, 3).questionnaire.title == "Our bank"


def test_rule_files_that_do_not_work_together_never_go_live(db: Database, tmp_path: Path) -> None:
    kb = with_rule_files(tmp_path, "Our bank")
    scoring = kb / "scoring.yaml"
    text = scoring.read_text(encoding="utf-8")
    scoring.write_text(text.replace("region: org_region", "region: org_nowhere", 1), "utf-8")
    line = text[: text.index("region: org_region")].count("\n") + 1
    before = kb_revisions.live_revision(db)
    with pytest.raises(InputError) as err:
        kb_revisions.import_knowledge_base(db, OPERATOR, kb)
    assert str(err.value) == (
        f"{scoring}:{line}: organisation.region: no question org_nowhere in the bank"
    )
    assert kb_revisions.live_revision(db) == before
