"""The question bank: shape, skip logic, checks with file:line, the CLI that prints it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from advisor.answers import value_problem
from advisor.assessment_input import bundled_assessment, parse_assessment_input
from advisor.cli import app
from advisor.errors import InputError
from advisor.questionnaire import (
    BUNDLED_QUESTIONNAIRE,
    DONT_KNOW,
    NOT_APPLICABLE,
    QuestionType,
    load_questionnaire,
    questionnaire_from_document,
    template_text,
)
from advisor.vocabulary import BarrierId, TechnologyAreaId
from advisor.yamlio import parse_yaml

BANK, RULES = bundled_assessment()
KB_DIR = BUNDLED_QUESTIONNAIRE.parent
PERSONAS = sorted((Path(__file__).parent / "personas").glob("*.yaml"))


def test_bank_is_versioned_and_sized_for_a_sitting() -> None:
    assert BANK.version == "1.0"
    assert 50 <= len(BANK.questions()) <= 90
    assert {q.type for q in BANK.questions()} == set(QuestionType)


def test_sections_cover_every_barrier_and_area() -> None:
    assert {s.barrier for s in BANK.sections if s.barrier} == set(BarrierId)
    assert {s.area for s in BANK.sections if s.area} == set(TechnologyAreaId)
    ids = {s.id for s in BANK.sections}
    assert {"organisation", "project", "data_sharing", "goals"} <= ids


def test_every_question_accepts_dont_know() -> None:
    for q in BANK.questions():
        assert value_problem(q, DONT_KNOW) is None, q.id
        if not q.allow_na:
            assert value_problem(q, NOT_APPLICABLE) is not None, q.id


def test_skip_logic_hides_follow_ups_until_they_apply() -> None:
    hidden = {q.id for q in BANK.questions()} - {q.id for q in BANK.visible({})}
    assert "proj_without_funding" in hidden
    assert "share_legal_basis" in hidden
    shown = {q.id for q in BANK.visible({"proj_funding_source": "external_secured"})}
    assert {"proj_without_funding", "proj_external_funders"} <= shown
    assert "proj_without_funding" not in {
        q.id for q in BANK.visible({"proj_funding_source": "internal_budget"})
    }


def test_a_dont_know_does_not_open_follow_ups() -> None:
    shown = {q.id for q in BANK.visible({"share_personal_data": DONT_KNOW})}
    assert "share_legal_basis" not in shown


@pytest.mark.parametrize("path", PERSONAS, ids=lambda p: p.stem)
def test_a_walk_through_takes_15_to_25_minutes(path: Path) -> None:
    answers = yaml.safe_load(path.read_text())["answers"]
    seen = BANK.visible({k: v["value"] if isinstance(v, dict) else v for k, v in answers.items()})
    assert 50 <= len(seen) <= 90
    assert 15 <= BANK.estimated_minutes(seen) <= 25


def test_goal_options_point_at_the_knowledge_base() -> None:
    touchpoints = {e["id"] for e in yaml.safe_load((KB_DIR / "touchpoints.yaml").read_text())}
    opportunities = {e["id"] for e in yaml.safe_load((KB_DIR / "opportunities.yaml").read_text())}
    tq, oq = BANK.question("goal_touchpoints"), BANK.question("goal_opportunities")
    assert tq is not None
    assert oq is not None
    assert {o.id for o in tq.options} <= touchpoints
    assert {o.id for o in oq.options} <= opportunities


def test_blank_template_reads_back_as_an_empty_draft() -> None:
    result = parse_assessment_input(template_text(BANK), "template.yaml", BANK, RULES)
    assert result.completion == 0.0
    assert result.is_draft
    assert result.profile.maturity.data_analysis == 1
    assert any("not answered yet" in line for line in result.profile.find_out)


BAD_BANKS = [
    (
        "later_question",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - {id: a, type: text, text: A, show_if: {question: b, equals: x}}
              - {id: b, type: single, text: B, options: [{id: x, label: X}, {id: z, label: Z}]}
        """,
        "not an earlier question",
    ),
    (
        "unknown_option_in_show_if",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - {id: b, type: single, text: B, options: [{id: x, label: X}, {id: z, label: Z}]}
              - {id: a, type: text, text: A, show_if: {question: b, in: [w]}}
        """,
        "lacks",
    ),
    (
        "repeated_question",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - {id: a, type: text, text: A}
              - {id: a, type: text, text: A again}
        """,
        "repeats",
    ),
    (
        "one_option",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - {id: a, type: single, text: A, options: [{id: x, label: X}]}
        """,
        "at least two options",
    ),
    (
        "boolean_option_id",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - id: a
                type: single
                text: A
                options: [{id: "yes", label: Y}, {id: nope, label: N}]
        """,
        "boolean",
    ),
    (
        "scores_on_some_options",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - id: a
                type: single
                text: A
                options: [{id: x, label: X, score: 1}, {id: z, label: Z}]
        """,
        "every option or to none",
    ),
    (
        "scale_without_bounds",
        """
        version: "1.0"
        title: t
        sections:
          - id: s
            title: S
            questions:
              - {id: a, type: scale, text: A}
        """,
        "needs min and max",
    ),
]


@pytest.mark.parametrize(("name", "text", "message"), BAD_BANKS, ids=[b[0] for b in BAD_BANKS])
def test_a_broken_bank_names_file_line_and_field(name: str, text: str, message: str) -> None:
    doc = parse_yaml(text, f"{name}.yaml")
    with pytest.raises(InputError) as err:
        questionnaire_from_document(doc)
    problem = err.value.problems[0]
    assert problem.file == f"{name}.yaml"
    assert problem.line is not None
    assert problem.field.startswith("sections")
    assert message in str(err.value)


def test_loading_the_bundled_bank_twice_gives_equal_banks() -> None:
    assert load_questionnaire() == load_questionnaire(BUNDLED_QUESTIONNAIRE)


runner = CliRunner()


def test_cli_questions_prints_bank_and_template_as_yaml() -> None:
    result = runner.invoke(app, ["questions"])
    assert result.exit_code == 0, result.output
    doc = yaml.safe_load(result.stdout)
    assert doc["questionnaire"]["version"] == "1.0"
    assert doc["summary"]["questions"] == len(BANK.questions())
    template = doc["answers_template"]
    assert template["questionnaire_version"] == "1.0"
    assert set(template["answers"]) == {q.id for q in BANK.questions()}
    # the skip logic keeps its YAML spelling
    later = [q for s in doc["questionnaire"]["sections"] for q in s["questions"] if "show_if" in q]
    assert any("in" in q["show_if"] for q in later)


def test_cli_questions_json_matches_yaml() -> None:
    as_json = runner.invoke(app, ["questions", "--format", "json"])
    as_yaml = runner.invoke(app, ["questions"])
    assert as_json.exit_code == 0
    assert json.loads(as_json.stdout) == yaml.safe_load(as_yaml.stdout)


def test_cli_questions_template_is_a_fillable_answers_file() -> None:
    result = runner.invoke(app, ["questions", "--template"])
    assert result.exit_code == 0
    loaded = parse_assessment_input(result.stdout, "t.yaml", BANK, RULES)
    assert loaded.kind == "answers"
    assert "# Which secure public-sector networks" in result.stdout


def test_cli_questions_bad_format_or_folder_exits_2(tmp_path: Path) -> None:
    assert runner.invoke(app, ["questions", "--format", "xml"]).exit_code == 2
    result = runner.invoke(app, ["questions", "--kb", str(tmp_path)])
    assert result.exit_code == 2
    assert "questionnaire.yaml" in result.output
    (tmp_path / "questionnaire.yaml").write_text("version: [\n")
    result = runner.invoke(app, ["questions", "--kb", str(tmp_path)])
    assert result.exit_code == 2
    assert "questionnaire.yaml:" in result.output
    assert "Traceback" not in result.output
