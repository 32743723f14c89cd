"""The app reads the rule files of the store's live revision: a curator's change to one is
used on the next rerun, without a restart, as a vendor change is."""

from __future__ import annotations

from pathlib import Path

from advisor.app.resources import knowledge
from advisor.kb.rule_files import bundled_rule_files
from advisor.services import kb_revisions
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database


def test_an_imported_rule_change_takes_effect_without_a_restart(
    store: Database, tmp_path: Path
) -> None:
    first = knowledge(kb_revisions.live_revision(store))
    assert first.questionnaire == bundled_rule_files().questionnaire
    assert first.matching == bundled_rule_files().matching
    folder = tmp_path / "kb"
    kb_revisions.export_knowledge_base(store, OPERATOR, folder)
    bank = folder / "questionnaire.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text.replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")
    matching = folder / "matching.yaml"
    text = matching.read_text(encoding="utf-8")
    matching.write_text(text.replace("\n  shortlist: 5", "\n  shortlist: 4", 1), "utf-8")
    kb_revisions.import_knowledge_base(store, OPERATOR, folder, "retitle the bank")
    now = knowledge(kb_revisions.live_revision(store))
    assert now.revision == first.revision + 1
    assert now.questionnaire.title.startswith("Revised ")
    assert now.matching.vendor.shortlist == 4
    assert knowledge(first.revision).questionnaire.title == first.questionnaire.title
