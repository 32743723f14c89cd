"""``kb import`` never wipes the live knowledge base by accident, and an interrupted ``kb
export`` leaves the old folder or the new one whole (security issue, holes 4 and 10)."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from store_world import FAST_HASHING, KB_SMALL
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.kb.loader import load_knowledge_base
from advisor.kb.validation import folder_problems
from advisor.services import kb_revisions
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database

pytestmark = pytest.mark.postgres


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_import_of_an_empty_folder_is_refused_and_removes_nothing(
    db: Database, tmp_path: Path
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError) as refused:
        kb_revisions.import_knowledge_base(db, OPERATOR, empty)
    assert refused.value.problems[0].file == str(empty)
    assert "empty" in refused.value.problems[0].message
    assert kb_revisions.live_revision(db) == 1
    assert kb_revisions.live_knowledge_base(db).kb == load_knowledge_base(KB_SMALL)


def test_import_of_a_folder_that_is_not_a_knowledge_base_is_refused(
    db: Database, tmp_path: Path
) -> None:
    wrong = tmp_path / "documents"
    (wrong / "photos").mkdir(parents=True)
    (wrong / "notes.txt").write_text("shopping\n", encoding="utf-8")
    (wrong / "answers.yaml").write_text("respondent: x\n", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        kb_revisions.import_knowledge_base(db, OPERATOR, wrong)
    text = str(refused.value)
    assert "not a knowledge-base folder" in text
    assert "no vendors" in text
    assert kb_revisions.live_revision(db) == 1


def test_import_removing_most_entries_needs_replace(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, database_url: str
) -> None:
    smaller = tmp_path / "smaller"
    (smaller / "vendors").mkdir(parents=True)
    shutil.copy(KB_SMALL / "vendors" / "acme.yaml", smaller / "vendors")
    with pytest.raises(InputError) as refused:
        kb_revisions.import_knowledge_base(db, OPERATOR, smaller)
    assert "would remove 4 of the 5 entries" in str(refused.value)
    assert "--replace" in str(refused.value)
    assert kb_revisions.live_revision(db) == 1
    # the command line says the same, exit 2; with --replace it goes ahead
    monkeypatch.setenv("ADVISOR_DATABASE_URL", database_url)
    monkeypatch.setenv("ADVISOR_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ADVISOR_KB_DIR", str(KB_SMALL))
    for name, value in FAST_HASHING.items():
        monkeypatch.setenv(f"ADVISOR_{name.upper()}", str(value))
    cli = CliRunner().invoke(app, ["kb", "import", str(smaller)])
    assert cli.exit_code == 2, cli.output
    assert f"{smaller}: (folder): importing it would remove 4 of the 5 entries" in cli.stderr
    done = CliRunner().invoke(app, ["kb", "import", str(smaller), "--replace"])
    assert done.exit_code == 0, done.output
    assert "0 added, 0 changed, 4 removed, 1 unchanged" in done.stdout


def test_import_removing_a_few_entries_needs_no_replace(db: Database, tmp_path: Path) -> None:
    work = tmp_path / "kb"
    shutil.copytree(KB_SMALL, work)
    (work / "vendors" / "brightdata.yaml").unlink()
    (work / "case_studies" / "north_hub.yaml").unlink()
    result = kb_revisions.import_knowledge_base(db, OPERATOR, work)
    assert (result.removed, result.revision) == (2, 2)


def test_interrupted_export_leaves_the_old_folder_whole(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = tmp_path / "place"
    out = place / "exported"
    kb_revisions.export_knowledge_base(db, OPERATOR, out)
    (out / "README.md").write_text("our knowledge base\n", encoding="utf-8")
    before = snapshot(out)
    # the store moves on: every entry changes
    work = tmp_path / "kb"
    shutil.copytree(KB_SMALL, work)
    for path in work.rglob("*.yaml"):
        path.write_text(
            path.read_text(encoding="utf-8").replace("Makes data hubs.", "Builds hubs."), "utf-8"
        )
    for path in (work / "vendors").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("name: ", "name: New ", 1), encoding="utf-8")
    assert kb_revisions.import_knowledge_base(db, OPERATOR, work).revision == 2
    real = kb_revisions.write_yaml_atomic
    calls = 0

    def power_cut(path: Path | str, data: Any) -> None:
        nonlocal calls
        calls += 1
        if calls == 4:  # the last of the four files: the others are written
            raise OSError("power cut")
        real(path, data)

    monkeypatch.setattr(kb_revisions, "write_yaml_atomic", power_cut)
    with pytest.raises(OSError, match="power cut"):
        kb_revisions.export_knowledge_base(db, OPERATOR, out)
    assert snapshot(out) == before  # not half old, half new
    assert [p.name for p in place.iterdir()] == ["exported"]  # nothing left over
    assert not list(place.rglob("*.tmp"))
    monkeypatch.undo()
    result = kb_revisions.export_knowledge_base(db, OPERATOR, out)
    assert result.revision == 2
    assert load_knowledge_base(out) == load_knowledge_base(work)
    assert (out / "README.md").read_text(encoding="utf-8") == "our knowledge base\n"
    assert folder_problems(out) == []
    assert [p.name for p in place.iterdir()] == ["exported"]


def test_export_refuses_a_path_that_is_not_a_folder(db: Database, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir()
    link = tmp_path / "link"
    link.symlink_to(target, target_is_directory=True)
    with pytest.raises(InputError, match="exists and is not a folder"):
        kb_revisions.export_knowledge_base(db, OPERATOR, link)
    assert link.is_symlink()
    assert list(target.iterdir()) == []
