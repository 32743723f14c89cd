"""``kb graph -o`` and ``kb synth -o`` write as safely as reports and exports do: the graph only
to a regular file, a new name or standard output; a synthetic knowledge base into a new folder
swapped in whole, never over a folder that is not a knowledge base (security issue, hole 2)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor import folders
from advisor.cli import app
from advisor.kb.loader import load_knowledge_base
from advisor.kb.synth import SynthSize, write_synthetic_knowledge_base
from advisor.kb.validation import folder_problems

runner = CliRunner()
TINY = SynthSize(vendors=3, offerings=5, case_studies=2)


def test_graph_refuses_a_named_pipe_before_any_work(tmp_path: Path) -> None:
    pipe = tmp_path / "graph.graphml"
    os.mkfifo(pipe)
    result = runner.invoke(app, ["kb", "graph", "-o", str(pipe)])
    assert result.exit_code == 2, result.output
    assert f"{pipe}: (output): is a named pipe" in result.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)


def test_graph_follows_no_symbolic_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("keep me\n", encoding="utf-8")
    link = tmp_path / "graph.json"
    link.symlink_to(real)
    result = runner.invoke(app, ["kb", "graph", "-o", str(link), "--format", "json"])
    assert result.exit_code == 2, result.output
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "keep me\n"


def test_graph_to_standard_output_and_to_a_file_agree(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    to_file = runner.invoke(app, ["kb", "graph", "-o", str(out), "--format", "json"])
    assert to_file.exit_code == 0, to_file.output
    to_stdout = runner.invoke(app, ["kb", "graph", "-o", "-", "--format", "json"])
    assert to_stdout.exit_code == 0, to_stdout.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert json.loads(to_stdout.stdout) == written
    assert len(written["nodes"]) > 100
    assert [p.name for p in tmp_path.iterdir()] == ["graph.json"]  # no temporary file left


def test_synth_refuses_a_folder_that_is_not_a_knowledge_base(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "letters.txt").write_text("dear council\n", encoding="utf-8")
    (home / "budget.yaml").write_text("total: 5\n", encoding="utf-8")
    result = runner.invoke(
        app, ["kb", "synth", "-o", str(home), "--vendors", "3", "--offerings", "5"]
    )
    assert result.exit_code == 2, result.output
    assert "holds budget.yaml, which is not part of a knowledge base" in result.stderr
    assert sorted(p.name for p in home.iterdir()) == ["budget.yaml", "letters.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["home"]


def test_synth_replaces_a_knowledge_base_whole(tmp_path: Path) -> None:
    out = tmp_path / "kb"
    write_synthetic_knowledge_base(out, SynthSize(vendors=6, offerings=9, case_studies=4), seed=1)
    write_synthetic_knowledge_base(out, TINY, seed=2)
    kb = load_knowledge_base(out)
    assert len(kb.vendors) == 3  # none of the six older vendor files is left behind
    assert len(kb.case_studies) == 2
    assert folder_problems(out) == []
    assert [p.name for p in tmp_path.iterdir()] == ["kb"]


def test_an_interrupted_synth_leaves_the_old_folder_and_no_staging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "kb"
    write_synthetic_knowledge_base(out, TINY, seed=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def power_cut(new: Path, directory: Path) -> None:
        raise OSError("power cut")

    monkeypatch.setattr("advisor.kb.synth.swap_in", power_cut)
    with pytest.raises(OSError, match="power cut"):
        write_synthetic_knowledge_base(out, SynthSize(vendors=5, offerings=5, case_studies=1))
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["kb"]


def test_swap_in_exchanges_two_folders_in_one_step(tmp_path: Path) -> None:
    old = tmp_path / "kb"
    old.mkdir()
    (old / "old.txt").write_text("old", encoding="utf-8")
    new = tmp_path / ".kb.new"
    new.mkdir()
    (new / "new.txt").write_text("new", encoding="utf-8")
    assert folders.exchange(new, old)  # Linux has renameat2 with RENAME_EXCHANGE
    assert (old / "new.txt").exists()
    assert (new / "old.txt").exists()
    folders.swap_in(new, old)  # and back again, through the public function
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"]
    assert [p.name for p in old.iterdir()] == ["old.txt"]


def test_swap_in_falls_back_to_two_renames_without_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(folders, "exchange", lambda first, second: False)
    old = tmp_path / "kb"
    old.mkdir()
    (old / "old.txt").write_text("old", encoding="utf-8")
    new = tmp_path / ".kb.new"
    new.mkdir()
    (new / "new.txt").write_text("new", encoding="utf-8")
    folders.swap_in(new, old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kb"]
    assert [p.name for p in old.iterdir()] == ["new.txt"]
