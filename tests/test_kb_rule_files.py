"""The rule files (questionnaire, scoring, matching) are knowledge-base data: ``kb validate``
checks them and the folder itself, ``kb schema`` covers them, and ``assess --kb DIR`` takes
all three from DIR."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.kb.rule_files import (
    RULE_FILES,
    bundled_rule_files,
    load_rule_files,
    rule_files_from_texts,
)
from advisor.kb.validation import validate_folder

EXAMPLES = Path(__file__).parent / "kb_examples"
PERSONA = Path(__file__).parent / "personas" / "greenwich_asc.yaml"


def minimal_kb(tmp_path: Path) -> Path:
    """A whole small knowledge base with its own copies of the bundled rule files."""
    kb = tmp_path / "kb"
    shutil.copytree(EXAMPLES / "valid_minimal", kb)  # the rule-file links become copies
    return kb


def patch(path: Path, pattern: str, replacement: str) -> int:
    """Replace the first match of ``pattern`` in a file; return the line it is on."""
    text = path.read_text(encoding="utf-8")
    found = re.search(pattern, text, flags=re.MULTILINE)
    assert found is not None, f"{pattern} not in {path}"
    path.write_text(text[: found.start()] + replacement + text[found.end() :], encoding="utf-8")
    return text.count("\n", 0, found.start()) + 1


def validate(folder: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["kb", "validate", str(folder)])
    assert "Traceback" not in result.output
    lines = [ln.replace(f"{folder}/", "") for ln in result.output.splitlines()]
    return result.exit_code, lines


def test_bundled_rule_files_are_valid_and_read_once() -> None:
    rules = bundled_rule_files()
    assert rules is bundled_rule_files()
    assert rules.questionnaire.question(rules.scoring.organisation.name) is not None
    assert validate_folder(BUNDLED_KB_DIR) == []


def test_empty_folder_is_not_a_knowledge_base(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, lines = validate(empty)
    assert code == 1
    assert lines[0].startswith(f"{empty}:1: (folder): empty: a knowledge base holds vendors/")


def test_folder_of_assessment_files_is_not_a_knowledge_base(tmp_path: Path) -> None:
    folder = tmp_path / "assessments"
    folder.mkdir()
    shutil.copy(PERSONA, folder / "greenwich.yaml")
    code, lines = validate(folder)
    assert code == 1
    assert "greenwich.yaml:1: (file): not a knowledge-base file: a knowledge base holds" in (
        "\n".join(lines)
    )
    assert "vendors:1: (folder): no vendors: a knowledge base has at least one" in lines[-2]
    for name in RULE_FILES:
        assert any(ln.startswith(f"{name}:1: (file): missing: a knowledge base") for ln in lines)


def test_stray_files_and_folders_are_named(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    (kb / "barriers.yml").write_text("[]\n", encoding="utf-8")
    (kb / "answers.json").write_text("{}\n", encoding="utf-8")
    (kb / "vendors" / "notes.txt").write_text("to do\n", encoding="utf-8")
    (kb / "offerings").mkdir()
    (kb / "README.md").write_text("Notes on this knowledge base.\n", encoding="utf-8")
    (kb / ".gitkeep").write_text("", encoding="utf-8")
    problems = [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)]
    assert problems == [
        "answers.json:1: (file): not a knowledge-base file: a knowledge base holds vendors/,"
        " case_studies/, awards/, suppliers/, questionnaire.yaml, scoring.yaml, matching.yaml"
        " and list files such"
        " as barriers.yaml",
        "barriers.yml:1: (file): misnamed: knowledge-base files end in .yaml;"
        " rename to barriers.yaml",
        "offerings:1: (folder): not a knowledge-base folder: a knowledge base holds vendors/,"
        " case_studies/, awards/, suppliers/, questionnaire.yaml, scoring.yaml, matching.yaml"
        " and list files such"
        " as barriers.yaml",
        "vendors/notes.txt:1: (file): not an entry file: vendors/ holds only <id>.yaml files",
    ]


def test_no_vendors(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    shutil.rmtree(kb / "vendors")
    shutil.rmtree(kb / "case_studies")
    assert [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)] == [
        "vendors:1: (folder): no vendors: a knowledge base has at least one vendors/<id>.yaml"
    ]


def test_scoring_rules_naming_an_unknown_question(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    line = patch(kb / "scoring.yaml", r"(?<=region: )org_region", "org_nowhere")
    code, lines = validate(kb)
    assert code == 1
    assert f"scoring.yaml:{line}: organisation.region: no question org_nowhere in the bank" in (
        lines
    )


def test_scoring_rules_naming_an_unknown_option(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    line = patch(kb / "scoring.yaml", r"no_preference: false", "no_preference: false, perhaps: 1")
    problems = [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)]
    assert problems == [
        f"scoring.yaml:{line}: constraints.prefer_sme.map.perhaps:"
        " con_prefer_sme has no option perhaps"
    ]


def test_matching_weights_of_the_wrong_type(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    line = patch(kb / "matching.yaml", r"(?<=^  shortlist: )\d+", "five")
    problems = [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)]
    assert problems == [
        f"matching.yaml:{line}: vendor.shortlist: Input should be a valid integer,"
        " unable to parse string as an integer"
    ]


def test_an_empty_rule_file_is_one_problem_at_line_1(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    (kb / "matching.yaml").write_text("", encoding="utf-8")
    problems = [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)]
    assert problems == ["matching.yaml:1: (file): expected a mapping of matching rules"]


def test_rule_files_from_text_fall_back_per_file(tmp_path: Path) -> None:
    bank_text = (BUNDLED_KB_DIR / "questionnaire.yaml").read_text(encoding="utf-8")
    retitled = bank_text.replace("title: Data services", "title: Changed data services", 1)
    rules = rule_files_from_texts({"questionnaire.yaml": retitled})
    assert rules.questionnaire.title.startswith("Changed data services")
    assert rules.scoring == bundled_rule_files().scoring
    with pytest.raises(InputError) as err:
        rule_files_from_texts({"scoring.yaml": "- not rules\n"}, where="revision 7")
    expected = "revision 7/scoring.yaml:1: (file): expected a mapping of scoring rules"
    assert str(err.value) == expected
    with pytest.raises(InputError) as err:
        rule_files_from_texts({}, fallback=tmp_path)
    assert "questionnaire.yaml:1: (file): missing" in str(err.value)


def test_schema_covers_the_rule_files() -> None:
    result = CliRunner().invoke(app, ["kb", "schema"])
    assert result.exit_code == 0, result.output
    files = json.loads(result.stdout)["files"]
    for name in RULE_FILES:
        assert files[name]["type"] == "object", name
    assert "sections" in files["questionnaire.yaml"]["properties"]
    assert "maturity_thresholds" in files["scoring.yaml"]["properties"]
    assert "vendor" in files["matching.yaml"]["properties"]


def test_schema_describes_fields_by_the_docstrings_under_them() -> None:
    result = CliRunner().invoke(app, ["kb", "schema"])
    vendor = json.loads(result.stdout)["files"]["vendors/<id>.yaml"]["properties"]
    assert vendor["sme"]["description"].startswith("True for a small or medium-sized enterprise")
    assert "description" not in vendor["name"]  # a field with no docstring gets none


# --- assess --kb DIR: every rule from DIR -----------------------------------------------------


@pytest.fixture(scope="module")
def own_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base with its own question bank title and a shortlist of two."""
    kb = tmp_path_factory.mktemp("own") / "kb"
    shutil.copytree(BUNDLED_KB_DIR, kb)
    patch(kb / "questionnaire.yaml", r"^title: .*$", "title: Our own question bank")
    patch(kb / "matching.yaml", r"(?<=^  shortlist: )\d+", "2")
    return kb


def test_assess_kb_takes_every_rule_file_from_the_folder(own_kb: Path) -> None:
    from advisor.pipeline import recommend_file

    assessed = recommend_file(PERSONA, kb_dir=own_kb)
    assert assessed.questionnaire.title == "Our own question bank"
    assert assessed.input.kind == "answers"
    assert len(assessed.recommendation.vendors) == 2
    assert load_rule_files(own_kb).matching.vendor.shortlist == 2


def test_assess_kb_without_scoring_rules_is_bad_input(own_kb: Path, tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    shutil.copytree(own_kb, kb)
    (kb / "scoring.yaml").unlink()
    result = CliRunner().invoke(app, ["assess", str(PERSONA), "--kb", str(kb)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert (
        f"{kb}/scoring.yaml:1: (file): missing: a knowledge base holds the scoring rules"
        in result.output
    )


def test_delivery_rules_naming_an_unknown_question(tmp_path: Path) -> None:
    kb = minimal_kb(tmp_path)
    line = patch(kb / "matching.yaml", r"(?<=^        answer: )\w+", "no_such_question")
    problems = [str(p).replace(f"{kb}/", "") for p in validate_folder(kb)]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"matching.yaml:{line}: delivery.")
    assert problems[0].endswith(".answer: no question no_such_question in the bank")


def test_the_loader_and_the_rule_files_module_name_the_same_files() -> None:
    from advisor.kb.loader import OTHER_FILES
    from advisor.kb.market_rules import MARKET

    assert {*RULE_FILES, MARKET} == OTHER_FILES
