"""CLI command: ``advisor questions`` prints the question bank and a blank answers template."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from advisor.cli.common import guarded

if TYPE_CHECKING:
    from advisor.questionnaire import Questionnaire


class OutputFormat(StrEnum):
    yaml = "yaml"
    json = "json"


def questions_document(questionnaire: Questionnaire) -> dict[str, Any]:
    """The bank, a summary, and a blank answers template, as plain data."""
    from advisor.questionnaire import blank_template

    shown_at_most = questionnaire.questions()
    return {
        "questionnaire": questionnaire.model_dump(
            mode="json", by_alias=True, exclude_none=True, exclude_defaults=True
        ),
        "summary": {
            "version": questionnaire.version,
            "sections": len(questionnaire.sections),
            "questions": len(shown_at_most),
            "minutes_if_all_shown": questionnaire.estimated_minutes(shown_at_most),
        },
        "answers_template": blank_template(questionnaire),
    }


def register(app: typer.Typer) -> None:
    """Add the ``questions`` command to the main app."""

    @app.command("questions")
    @guarded
    def questions(
        output_format: Annotated[
            OutputFormat, typer.Option("--format", help="Output format.")
        ] = OutputFormat.yaml,
        template: Annotated[
            bool,
            typer.Option(
                "--template", help="Print only a commented answers template to fill in (YAML)."
            ),
        ] = False,
        kb: Annotated[
            Path | None,
            typer.Option("--kb", help="Knowledge-base folder holding questionnaire.yaml."),
        ] = None,
    ) -> None:
        """Print the question bank and a blank answers template."""
        # imported here: the question bank's models are for this command only
        from advisor.questionnaire import BUNDLED_QUESTIONNAIRE, load_questionnaire, template_text
        from advisor.yamlio import dump_yaml

        bank = load_questionnaire(kb / "questionnaire.yaml" if kb else BUNDLED_QUESTIONNAIRE)
        if template:
            typer.echo(template_text(bank), nl=False)
            return
        doc = questions_document(bank)
        if output_format is OutputFormat.json:
            typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            typer.echo(dump_yaml(doc), nl=False)
