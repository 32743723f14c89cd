"""Loading what `advisor assess` is given: answers or a profile, and every way it can be bad."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from advisor.assessment_input import (
    AssessmentInput,
    bundled_assessment,
    load_assessment_input,
    parse_assessment_input,
)
from advisor.cli import app
from advisor.cli.common import guarded
from advisor.errors import InputError
from advisor.questionnaire import BUNDLED_QUESTIONNAIRE, Questionnaire, bank_problems
from advisor.scoring import BUNDLED_SCORING, ScoringRules, scoring_rules_from_document
from advisor.yamlio import dump_yaml, parse_yaml, read_yaml

HERE = Path(__file__).parent
PERSONAS = HERE / "personas"
INVALID = HERE / "invalid_answers"
BANK, RULES = bundled_assessment()

DESIGN_PROFILE = """\
organisation:
  name: Example Borough Council
  kind: unitary
  region: North East
factors: {scope: strategic, service_innovation: new, data_use: expose, deployment: special_team}
barriers: {financial: 3, knowledge: 2, technology: 2, culture: 1, legal: 4, political: 1}
maturity: {it_resources: 3, connectivity: 2, data_aggregation_sharing: 1, data_analysis: 2,
           personal_identity_data_management: 1, application_enablement: 2, security: 3}
goals:
  - Hospitals
  - predict where residents need support from bus use and school attendance
constraints: {budget_gbp: 250000, prefer_sme: true, external_funding: available}
"""


def test_a_profile_is_read_directly(tmp_path: Path) -> None:
    path = tmp_path / "profile.yaml"
    path.write_text(DESIGN_PROFILE)
    result = load_assessment_input(path)
    assert result.kind == "profile"
    assert result.answers is None
    assert result.completion is None
    assert result.profile.barriers.legal == 4
    assert result.profile.goals[0] == "Hospitals"
    assert result.profile.questionnaire_version is None


def test_a_scored_profile_reads_back_as_the_same_profile(tmp_path: Path) -> None:
    scored = load_assessment_input(PERSONAS / "oxfordshire_transport.yaml").profile
    path = tmp_path / "scored.yaml"
    path.write_text(dump_yaml(scored.model_dump(mode="json")))
    again = load_assessment_input(path)
    assert again.kind == "profile"
    assert again.profile == scored


def test_answers_are_scored_with_their_completion() -> None:
    result = load_assessment_input(PERSONAS / "greenwich_asc.yaml")
    assert result.kind == "answers"
    assert result.completion == 100.0
    assert not result.is_draft
    assert result.answers is not None
    assert result.answers.answers["proj_team"].evidence is not None
    assert result.profile.questionnaire_version == "1.0"
    assert result.notes == ()


def test_partial_answers_are_a_draft() -> None:
    text = """\
questionnaire_version: "1.0"
answers:
  org_name: Example Council
  org_kind: district
  dag_register: partial
  da_tools: dont_know
  org_population:
"""
    result = parse_assessment_input(text, "draft.yaml")
    assert result.is_draft
    assert result.completion is not None
    assert 0 < result.completion < 10
    assert result.profile.organisation.name == "Example Council"
    assert any("not answered yet" in line for line in result.profile.find_out)


# name -> (field named in the message, words in the message, whether a line is known)
INVALID_CASES: dict[str, tuple[str, str, bool]] = {
    "invalid_empty": ("(file)", "the file is empty", False),
    "invalid_not_yaml": ("(file)", "not valid YAML", True),
    "invalid_alias_bomb": ("(file)", "aliases are not allowed", True),
    "invalid_unknown_key": ("respondant", "Extra inputs are not permitted", True),
    "invalid_unknown_question": ("answers.org_budget", "no question org_budget", True),
    "invalid_wrong_type": ("answers.sec_certifications.value", "expected a list", True),
    "invalid_out_of_range": ("answers.da_service_dashboards.value", "above the maximum 5", True),
    "invalid_hidden_question": ("answers.proj_without_funding", "hidden", True),
    "invalid_not_an_option": ("answers.dag_register.value", "'spreadsheet' is not an option", True),
    "invalid_boolean": ("answers.con_prefer_sme.value", "boolean", True),
    "invalid_not_applicable": ("answers.sec_encryption.value", "use dont_know", True),
    "invalid_nan": ("answers.con_budget.value", "finite", True),
    "invalid_version": ("questionnaire_version", "cannot read", True),
    "invalid_profile_barrier": ("barriers.legal", "less than or equal to 4", True),
    "invalid_profile_unknown_area": ("maturity.cloud", "Extra inputs", True),
    "invalid_neither": ("(file)", "neither answers", True),
    "invalid_list": ("(file)", "expected a mapping", True),
}


def test_every_invalid_example_has_an_expected_message() -> None:
    assert {p.stem for p in INVALID.glob("invalid_*.yaml")} == set(INVALID_CASES)


@pytest.mark.parametrize("name", sorted(INVALID_CASES))
def test_invalid_input_names_file_field_and_line(name: str) -> None:
    field, words, has_line = INVALID_CASES[name]
    path = INVALID / f"{name}.yaml"
    with pytest.raises(InputError) as err:
        load_assessment_input(path)
    problems = err.value.problems
    assert problems
    first = problems[0]
    assert first.file == str(path)
    assert first.field == field
    assert words in first.message
    assert (first.line is not None) == has_line
    assert str(path) in str(err.value)


def test_every_problem_is_reported_at_once() -> None:
    text = """\
questionnaire_version: "1.0"
answers:
  org_kind: parish
  da_service_dashboards: -1
  no_such_question: 3
"""
    with pytest.raises(InputError) as err:
        parse_assessment_input(text, "many.yaml")
    fields = [p.field for p in err.value.problems]
    assert fields == [
        "answers.org_kind.value",
        "answers.da_service_dashboards.value",
        "answers.no_such_question",
    ]
    assert [p.line for p in err.value.problems] == [3, 4, 5]


# --- versioning ---------------------------------------------------------------------------------


def next_version() -> tuple[Questionnaire, ScoringRules]:
    """The bundled bank changed the way a later release might change it."""
    bank_data: dict[str, Any] = copy.deepcopy(read_yaml(BUNDLED_QUESTIONNAIRE).data)
    rules_data: dict[str, Any] = copy.deepcopy(read_yaml(BUNDLED_SCORING).data)
    bank_data["version"] = "1.1"
    bank_data["migrations"] = [
        {
            "from_version": "1.0",
            "to_version": "1.1",
            "renamed": {"it_cloud": "it_cloud_services"},
            "removed": ["conn_public_wifi"],
            "renamed_options": {"dag_open_data": {"portal_files": "files_on_portal"}},
        }
    ]
    for section in bank_data["sections"]:
        section["questions"] = [q for q in section["questions"] if q["id"] != "conn_public_wifi"]
        for q in section["questions"]:
            if q["id"] == "it_cloud":
                q["id"] = "it_cloud_services"
            for opt in q.get("options", []):
                if q["id"] == "dag_open_data" and opt["id"] == "portal_files":
                    opt["id"] = "files_on_portal"
    areas = rules_data["areas"]
    areas["connectivity"] = [
        w for w in areas["connectivity"] if w["question"] != "conn_public_wifi"
    ]
    for w in areas["it_resources"]:
        if w["question"] == "it_cloud":
            w["question"] = "it_cloud_services"
    bank = Questionnaire.model_validate(bank_data)
    assert bank_problems(bank) == []
    return bank, scoring_rules_from_document(parse_yaml(dump_yaml(rules_data)), bank)


def test_answers_for_an_older_bank_still_load() -> None:
    bank, rules = next_version()
    old = load_assessment_input(PERSONAS / "sunderland_hub.yaml")
    new = load_assessment_input(PERSONAS / "sunderland_hub.yaml", bank, rules)
    assert new.answers is not None
    assert new.answers.questionnaire_version == "1.1"
    assert new.answers.answers["it_cloud_services"].value == "production"
    assert new.answers.answers["dag_open_data"].value == "files_on_portal"
    assert "conn_public_wifi" not in new.answers.answers
    assert new.notes[0] == "answers moved from version 1.0 to 1.1"
    assert any("conn_public_wifi: removed" in n for n in new.notes)
    assert new.profile.questionnaire_version == "1.1"
    assert new.profile.maturity.it_resources == old.profile.maturity.it_resources
    assert new.profile.factors == old.profile.factors
    assert new.profile.answer_refs["dag_open_data"].options == ["files_on_portal"]
    assert new.completion == 100.0


def test_an_old_answer_after_migration_still_points_at_its_line() -> None:
    bank, rules = next_version()
    text = 'questionnaire_version: "1.0"\nanswers:\n  org_name: X\n  it_cloud: sometimes\n'
    with pytest.raises(InputError) as err:
        parse_assessment_input(text, "old.yaml", bank, rules)
    problem = err.value.problems[0]
    assert problem.field == "answers.it_cloud.value"
    assert problem.line == 4


# --- the command line ---------------------------------------------------------------------------


def check_app() -> typer.Typer:
    """A one-command app over the loader, guarded the way every command is."""
    probe = typer.Typer()

    @probe.command()
    @guarded
    def check(path: Path) -> None:
        result: AssessmentInput = load_assessment_input(path)
        typer.echo(result.kind)

    return probe


runner = CliRunner()


@pytest.mark.parametrize("name", sorted(INVALID_CASES))
def test_bad_input_through_a_guarded_command_exits_2(name: str) -> None:
    path = INVALID / f"{name}.yaml"
    result = runner.invoke(check_app(), [str(path)])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", sorted(INVALID_CASES))
def test_advisor_assess_exits_2_naming_file_and_field(name: str) -> None:
    field, _, _ = INVALID_CASES[name]
    path = INVALID / f"{name}.yaml"
    result = runner.invoke(app, ["assess", str(path), "--json"])
    assert result.exit_code == 2
    assert str(path) in result.output
    assert field in result.output
    assert "Traceback" not in result.output
