"""The knowledge base in the store: YAML round trip, revisions, proposals and review, the
live knowledge base followed by another process without a restart."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from store_world import KB_SMALL, World
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.kb.loader import BUNDLED_KB_DIR, count_by_kind, load_knowledge_base
from advisor.services import kb_revisions
from advisor.services.errors import ConflictError
from advisor.services.permissions import OPERATOR
from advisor.store.database import Database
from advisor.yamlio import read_yaml

pytestmark = pytest.mark.postgres


def kb_stats(directory: Path) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["kb", "stats", str(directory), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_bundled_knowledge_base_round_trips_without_loss(db: Database, tmp_path: Path) -> None:
    # the bundled knowledge base shares no entry with the small one: a replacement
    first = kb_revisions.import_knowledge_base(db, OPERATOR, BUNDLED_KB_DIR, replace=True)
    assert first.revision == 2
    out = tmp_path / "exported"
    kb_revisions.export_knowledge_base(db, OPERATOR, out)
    assert load_knowledge_base(out) == load_knowledge_base(BUNDLED_KB_DIR)
    assert kb_stats(out) == kb_stats(BUNDLED_KB_DIR)
    for name in ("questionnaire.yaml", "scoring.yaml"):
        assert (out / name).read_text(encoding="utf-8") == (BUNDLED_KB_DIR / name).read_text(
            encoding="utf-8"
        )
    again = kb_revisions.import_knowledge_base(db, OPERATOR, out)
    assert again.revision is None  # nothing changed, no revision made
    assert again.unchanged == first.added + first.changed + first.unchanged


def test_import_makes_one_revision_of_the_differences(db: Database, tmp_path: Path) -> None:
    work = tmp_path / "kb"
    shutil.copytree(KB_SMALL, work)
    text = (work / "vendors" / "acme.yaml").read_text(encoding="utf-8")
    (work / "vendors" / "acme.yaml").write_text(
        text.replace("Makes data hubs.", "Builds data hubs."), encoding="utf-8"
    )
    (work / "vendors" / "brightdata.yaml").unlink()
    result = kb_revisions.import_knowledge_base(db, OPERATOR, work, "edit")
    assert (result.revision, result.changed, result.removed, result.added) == (2, 1, 1, 0)
    live = kb_revisions.live_knowledge_base(db)
    assert live.revision == 2
    assert [v.description for v in live.kb.vendors] == ["Builds data hubs."]
    # history is kept: revision 1 still reads as it was
    old = kb_revisions.knowledge_base_at(db, 1)
    assert old == load_knowledge_base(KB_SMALL)
    versions = kb_revisions.entry_history(db, "vendors", "brightdata")
    assert [(v.version, v.data is None) for v in versions] == [(1, False), (2, True)]
    out = tmp_path / "rev1"
    kb_revisions.export_knowledge_base(db, OPERATOR, out, revision=1)
    assert load_knowledge_base(out) == old


def test_export_removes_stale_entry_files(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "vendors").mkdir(parents=True)
    (out / "vendors" / "gone.yaml").write_text("id: gone\n", encoding="utf-8")
    result = kb_revisions.export_knowledge_base(db, OPERATOR, out)
    assert result.files_removed == 1
    assert sorted(p.name for p in (out / "vendors").iterdir()) == ["acme.yaml", "brightdata.yaml"]


def test_import_of_an_invalid_folder_changes_nothing(db: Database, tmp_path: Path) -> None:
    work = tmp_path / "kb"
    shutil.copytree(KB_SMALL, work)
    (work / "vendors" / "acme.yaml").write_text("id: acme\nname: [\n", encoding="utf-8")
    with pytest.raises(InputError) as bad:
        kb_revisions.import_knowledge_base(db, OPERATOR, work)
    assert "acme.yaml" in bad.value.problems[0].file
    assert kb_revisions.live_revision(db) == 1


def acme_with(world: World, **changes: Any) -> tuple[dict[str, Any], int]:
    entry = kb_revisions.get_entry(world.db, "vendors", "acme")
    assert entry.data is not None
    return {**entry.data, **changes}, entry.version


def test_vendor_proposal_approved_goes_live_for_another_process(
    world: World, database_url: str
) -> None:
    elsewhere = Database(database_url)  # another process's engine and cache
    try:
        before = kb_revisions.live_knowledge_base(elsewhere)
        data, version = acme_with(world, description="Data hubs for councils.")
        p = kb_revisions.propose_change(
            world.db, world.vendor_acme, "vendors", "acme", data, version, "clearer"
        )
        assert "-description: Makes data hubs." in p.diff
        assert "+description: Data hubs for councils." in p.diff
        assert kb_revisions.live_knowledge_base(elsewhere) is before  # not live yet
        rev = kb_revisions.approve_proposal(world.db, world.curator, p.id)
        assert rev.id == before.revision + 1
        after = kb_revisions.live_knowledge_base(elsewhere)
        assert after.revision == rev.id
        assert after.kb.vendors[0].description == "Data hubs for councils."
        assert kb_revisions.get_proposal(world.db, world.vendor_acme, p.id).status == "approved"
    finally:
        elsewhere.dispose()


def test_two_edits_from_the_same_version_second_conflicts(world: World) -> None:
    first, version = acme_with(world, description="First change.")
    second, _ = acme_with(world, description="Second change.")
    p1 = kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", first, version)
    p2 = kb_revisions.propose_change(
        world.db, world.vendor_acme, "vendors", "acme", second, version
    )
    kb_revisions.approve_proposal(world.db, world.curator, p1.id)
    with pytest.raises(ConflictError) as conflict:
        kb_revisions.approve_proposal(world.db, world.curator, p2.id)
    assert conflict.value.current_version == 2
    assert "current version is 2" in str(conflict.value)
    # nothing lost: the first is live, the second still waits in the queue
    assert kb_revisions.get_entry(world.db, "vendors", "acme").data == first
    assert kb_revisions.get_proposal(world.db, world.curator, p2.id).status == "proposed"
    with pytest.raises(ConflictError):  # a new proposal from the old version is refused too
        kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", second, 1)
    assert [v.version for v in kb_revisions.entry_history(world.db, "vendors", "acme")] == [1, 2]


def test_bad_vendor_data_names_each_field(world: World) -> None:
    data, version = acme_with(world, sme="perhaps", colour="red")
    data["offerings"] = [{**data["offerings"][0], "technology_areas": ["telepathy"]}]
    with pytest.raises(InputError) as bad:
        kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", data, version)
    fields = {p.field for p in bad.value.problems}
    assert fields == {"sme", "colour", "offerings[0].technology_areas[0]"}
    assert {p.file for p in bad.value.problems} == {"vendors/acme.yaml"}


def test_proposal_that_breaks_a_reference_is_refused(world: World) -> None:
    data, version = acme_with(world)
    data["offerings"] = [{**data["offerings"][0], "id": "acme_lake"}]  # case study uses acme_hub
    with pytest.raises(InputError) as bad:
        kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", data, version)
    assert bad.value.problems[0].message == "unknown offering 'acme_hub'"
    assert bad.value.problems[0].file == "case_studies/north_hub.yaml"


def test_new_vendor_entry_and_id_must_match(world: World) -> None:
    data, _ = acme_with(world, id="acme_two")
    with pytest.raises(InputError, match="must equal the entry id 'acme'"):
        kb_revisions.propose_change(world.db, world.curator, "vendors", "acme", data, 1)
    new = {**data, "offerings": [{**data["offerings"][0], "id": "acme_two_hub"}]}
    p = kb_revisions.propose_change(world.db, world.curator, "vendors", "acme_two", new, 0)
    kb_revisions.approve_proposal(world.db, world.curator, p.id)
    live = kb_revisions.live_knowledge_base(world.db)
    assert [v.id for v in live.kb.vendors] == ["acme", "brightdata", "acme_two"]


def test_reject_needs_a_reason_and_changes_nothing(world: World) -> None:
    data, version = acme_with(world, description="Nope.")
    p = kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", data, version)
    with pytest.raises(InputError) as bad:
        kb_revisions.reject_proposal(world.db, world.curator, p.id, " ")
    assert bad.value.problems[0].field == "comment"
    done = kb_revisions.reject_proposal(world.db, world.curator, p.id, "not accurate")
    assert (done.status, done.review_comment) == ("rejected", "not accurate")
    assert kb_revisions.live_revision(world.db) == 1
    with pytest.raises(InputError, match="already rejected"):
        kb_revisions.approve_proposal(world.db, world.curator, p.id)


def test_failure_mid_approval_leaves_the_live_revision(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    data, version = acme_with(world, description="Half done.")
    p = kb_revisions.propose_change(world.db, world.vendor_acme, "vendors", "acme", data, version)
    real = kb_revisions._write_versions

    def write_then_crash(*args: Any, **kwargs: Any) -> None:
        real(*args, **kwargs)
        raise OSError("power cut")

    monkeypatch.setattr(kb_revisions, "_write_versions", write_then_crash)
    with pytest.raises(OSError, match="power cut"):
        kb_revisions.approve_proposal(world.db, world.curator, p.id)
    monkeypatch.undo()
    assert kb_revisions.live_revision(world.db) == 1
    assert kb_revisions.get_entry(world.db, "vendors", "acme").version == 1
    assert kb_revisions.get_proposal(world.db, world.curator, p.id).status == "proposed"
    assert kb_revisions.approve_proposal(world.db, world.curator, p.id).id == 2


def test_export_writes_yaml_that_loads_safely(db: Database, tmp_path: Path) -> None:
    kb_revisions.export_knowledge_base(db, OPERATOR, tmp_path)
    doc = read_yaml(tmp_path / "vendors" / "brightdata.yaml")
    assert doc.data["website"] == "https://brightdata.example.org/"
    assert not list(tmp_path.rglob("*.tmp"))
    assert count_by_kind(load_knowledge_base(tmp_path))["offerings"] == 2


def test_seeding_happens_once(db: Database) -> None:
    assert kb_revisions.ensure_seeded(db, BUNDLED_KB_DIR).revision is None
    assert kb_revisions.live_revision(db) == 1
