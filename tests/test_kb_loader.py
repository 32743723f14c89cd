"""The loader: every invalid_* example fails with its known message at the right file:line.

Each example is a whole knowledge base: its rule files are links to the bundled ones, except
where the example is about a broken rule file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.kb.loader import load_knowledge_base, load_knowledge_base_result
from advisor.kb.validation import validate_folder

EXAMPLES = Path(__file__).parent / "kb_examples"
INVALID = sorted(p for p in EXAMPLES.iterdir() if p.name.startswith("invalid_"))


def test_valid_minimal_loads() -> None:
    kb = load_knowledge_base(EXAMPLES / "valid_minimal")
    assert [v.id for v in kb.vendors] == ["acme"]
    assert kb.case_studies[0].vendors == ["acme"]
    assert validate_folder(EXAMPLES / "valid_minimal") == []


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_invalid_example_fails_with_known_message(folder: Path) -> None:
    expected = (folder / "expected.txt").read_text(encoding="utf-8").strip()
    lines = [str(p).replace(f"{folder}/", "") for p in validate_folder(folder)]
    assert any(line.startswith(expected) for line in lines), lines
    # one problem, not a cascade of follow-on errors
    assert len(lines) == 1, lines


@pytest.mark.parametrize("folder", INVALID, ids=[p.name for p in INVALID])
def test_cli_validate_exits_1_with_file_line_messages(folder: Path) -> None:
    result = CliRunner().invoke(app, ["kb", "validate", str(folder)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    expected = (folder / "expected.txt").read_text(encoding="utf-8").strip()
    assert f"{folder}/{expected}" in result.output


def test_all_problems_reported_in_one_run(tmp_path: Path) -> None:
    import shutil

    kb = tmp_path / "kb"
    shutil.copytree(EXAMPLES / "valid_minimal", kb)
    case = kb / "case_studies" / "north_hub.yaml"
    text = case.read_text(encoding="utf-8")
    text = text.replace("kind_of_body: unitary", "kind_of_body: parish")
    text = text.replace("vendors: [acme]", "vendors: [acme, nobody]")
    case.write_text(text, encoding="utf-8")
    (kb / "vendors" / "acme.yaml").write_text(
        (kb / "vendors" / "acme.yaml").read_text(encoding="utf-8").replace("sme: true", "sme: 7"),
        encoding="utf-8",
    )
    problems = load_knowledge_base_result(kb).problems
    fields = sorted(p.field for p in problems)
    assert fields == ["kind_of_body", "sme"]  # the bad case study is dropped, not cascaded


def test_missing_folder_is_bad_input() -> None:
    result = CliRunner().invoke(app, ["kb", "validate", "/nonexistent/kb"])
    assert result.exit_code == 2
    assert "knowledge-base folder not found" in result.output


def test_problems_found_after_loading_point_at_lines_of_json_files(tmp_path: Path) -> None:
    """A file in JSON form is let go once its entry is read: the lines of problems found later
    (a duplicate offering id, an unknown reference) come from reading it again."""
    import json
    import shutil

    from advisor.yamlio import read_yaml

    kb = tmp_path / "kb"
    shutil.copytree(EXAMPLES / "valid_minimal", kb)
    acme = read_yaml(kb / "vendors" / "acme.yaml").data
    (kb / "vendors" / "acme.yaml").write_text(json.dumps(acme, indent=1, default=str))
    other = {**acme, "id": "other", "name": "Other Data"}
    other_text = json.dumps(other, indent=1, default=str)
    (kb / "vendors" / "other.yaml").write_text(other_text)
    case = read_yaml(kb / "case_studies" / "north_hub.yaml").data
    case["vendors"] = ["acme", "ghost_corp"]
    case_text = json.dumps(case, indent=1, default=str)
    (kb / "case_studies" / "north_hub.yaml").write_text(case_text)

    def line_of(text: str, fragment: str) -> int:
        return text[: text.index(fragment)].count("\n") + 1

    problems = {(p.file.replace(f"{kb}/", ""), p.line, p.field) for p in validate_folder(kb)}
    assert problems == {
        ("vendors/other.yaml", line_of(other_text, '"id": "acme_hub"'), "offerings[0].id"),
        ("case_studies/north_hub.yaml", line_of(case_text, '"ghost_corp"'), "vendors[1]"),
    }


def test_the_collector_is_paused_while_loading_and_back_as_it_was_after() -> None:
    import gc

    from advisor.kb.loader import paused_gc

    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()
    assert gc.get_freeze_count() == 0
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # turned off before: left off
    finally:
        gc.enable()
    with pytest.raises(ValueError, match="inside"), paused_gc():
        raise ValueError("inside")
    assert gc.isenabled()
