"""A respondent's answers, checked against the question bank; drafts and completion.

An answers file names the bank version it was written for and maps question ids to answers:

    questionnaire_version: "1.0"
    answers:
      dag_register: partial                      # short form: just the value
      it_cloud: {value: development, note: "AWS for the planning portal", evidence: "..."}
      da_quality: dont_know                      # a thing to find out
      org_population:                            # empty: not answered yet (a draft)

Type and range checks need the bank, so they live in ``answer_issues`` rather than the model;
every issue names the question id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, Field, field_validator, model_validator

from advisor.base import MAX_TEXT, Id, Line, Note, StrictModel, Text, text_problem
from advisor.errors import shown
from advisor.questionnaire import (
    DONT_KNOW,
    NOT_APPLICABLE,
    AnswerValue,
    Question,
    Questionnaire,
    QuestionType,
)

FUTURE_MARGIN = timedelta(days=2)
"""How far ahead of today ``answered_on`` may be (time zones, a clock a little fast)."""


def _not_in_future(day: date) -> date:
    latest = date.today() + FUTURE_MARGIN
    if day > latest:
        raise ValueError(
            f"{day.isoformat()} is in the future (latest accepted: {latest.isoformat()})"
        )
    return day


AnswerDate = Annotated[date, AfterValidator(_not_in_future)]
"""The day answers were given: not after today (with a small margin)."""


class AnswerEntry(StrictModel):
    """One answer, with optional backing from the respondent."""

    value: AnswerValue | None = None
    """An option id, a list of option ids, a number, free text, dont_know or not_applicable;
    empty when not answered yet."""
    note: Note | None = None
    """A remark from the respondent."""
    evidence: Note | None = None
    """Where the answer can be checked (a document, a page, a person)."""

    @field_validator("value", mode="before")
    @classmethod
    def _plain_value(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError(
                "yes/no/true/false read as a boolean: use an option id (quote it if needed)"
            )
        if isinstance(value, dict):
            raise ValueError("expected a value, not a mapping")
        if isinstance(value, list) and not all(isinstance(v, str) for v in value):
            raise ValueError("a list answer must hold option ids only")
        return value


class Answers(StrictModel):
    """Answers to one version of the question bank (complete, or a draft)."""

    questionnaire_version: Text
    """Version of the bank the answers were written for."""
    respondent: Line | None = None
    """Who answered (a name or a role, one line)."""
    answered_on: AnswerDate | None = None
    answers: dict[Id, AnswerEntry] = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _short_forms(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("answers"), dict):
            wrapped = {
                k: v if isinstance(v, dict) else {"value": v} for k, v in data["answers"].items()
            }
            data = {**data, "answers": wrapped}
        elif isinstance(data, dict) and "answers" in data and data["answers"] is None:
            data = {**data, "answers": {}}
        return data

    def values(self) -> dict[str, AnswerValue]:
        """The given answers by question id (unanswered ones left out)."""
        return {k: e.value for k, e in self.answers.items() if e.value is not None}


@dataclass(frozen=True)
class AnswerIssue:
    """One problem with the answers: where (a path into the file) and what."""

    loc: tuple[str | int, ...]
    message: str


def answer_issues(answers: Answers, questionnaire: Questionnaire) -> list[AnswerIssue]:
    """Every problem with the answers against the bank; empty when they are valid."""
    issues: list[AnswerIssue] = []
    values = answers.values()
    shown = {q.id for q in questionnaire.visible(values)}
    for qid, entry in answers.answers.items():
        question = questionnaire.question(qid)
        loc: tuple[str | int, ...] = ("answers", qid)
        if question is None:
            issues.append(
                AnswerIssue(loc, f"no question {qid} in the bank (version {questionnaire.version})")
            )
            continue
        if entry.value is None:
            continue
        if qid not in shown:
            issues.append(AnswerIssue(loc, _hidden_message(question)))
            continue
        problem = value_problem(question, entry.value)
        if problem:
            issues.append(AnswerIssue((*loc, "value"), problem))
    return issues


def _hidden_message(question: Question) -> str:
    cond = question.show_if
    reads = ", ".join(sorted(set(cond.questions()))) if cond else ""
    return f"answered, but this question is hidden by the answer to {reads}; remove the answer"


def value_problem(question: Question, value: AnswerValue) -> str | None:
    """Why a value is not a valid answer to the question, or none if it is."""
    if value == DONT_KNOW:
        return None
    if value == NOT_APPLICABLE:
        return None if question.allow_na else "not_applicable is not allowed here; use dont_know"
    kind = question.type
    if kind is QuestionType.single:
        return _option_problem(question, value)
    if kind is QuestionType.multiple:
        return _options_problem(question, value)
    if kind in (QuestionType.scale, QuestionType.number):
        return _number_problem(question, value)
    if not isinstance(value, str):
        return "expected free text"
    if not value.strip():
        return "empty text: leave the answer empty instead"
    if len(value) > MAX_TEXT:
        return f"text longer than {MAX_TEXT} characters"
    return text_problem(value, multiline=True)


def _choices(question: Question) -> str:
    return ", ".join(o.id for o in question.options)


def _option_problem(question: Question, value: AnswerValue) -> str | None:
    if not isinstance(value, str):
        return f"expected one option id; options: {_choices(question)}"
    if question.option(value) is None:
        return f"{value!r} is not an option; options: {_choices(question)}"
    return None


def _options_problem(question: Question, value: AnswerValue) -> str | None:
    if not isinstance(value, list):
        return f"expected a list of option ids, e.g. [{question.options[0].id}]"
    if not value:
        return "empty list: leave the answer empty instead"
    unknown = [v for v in value if question.option(v) is None]
    if unknown:
        return f"not options: {', '.join(shown(u) for u in unknown)}; options: {_choices(question)}"
    if len(set(value)) != len(value):
        return "an option is listed twice"
    if question.max is not None and len(value) > question.max:
        return f"pick at most {question.max:g}; {len(value)} are picked"
    exclusive = [o for v in value if (o := question.option(v)) is not None and o.exclusive]
    if exclusive and len(value) > 1:  # said by the option's label, as the form shows it
        return f"'{exclusive[0].label}' cannot be combined with other options"
    return None


def _number_problem(question: Question, value: AnswerValue) -> str | None:
    whole = question.type is QuestionType.scale
    if not isinstance(value, int | float) or (whole and not isinstance(value, int)):
        return "expected a whole number" if whole else "expected a number"
    if not math.isfinite(value):
        return "expected a finite number"
    if question.min is not None and value < question.min:
        return f"{value:g} is below the minimum {question.min:g}"
    if question.max is not None and value > question.max:
        return f"{value:g} is above the maximum {question.max:g}"
    return None


def completion(answers: Answers, questionnaire: Questionnaire) -> float:
    """Share of the questions the respondent sees that have an answer, in percent.

    "Don't know" and "not applicable" count as answers; empty ones do not.
    """
    values = answers.values()
    shown = questionnaire.visible(values)
    done = sum(1 for q in shown if q.id in values)
    return round(100 * done / len(shown), 1) if shown else 100.0


def unanswered(answers: Answers, questionnaire: Questionnaire) -> list[Question]:
    """Questions the respondent sees but has not answered yet."""
    values = answers.values()
    return [q for q in questionnaire.visible(values) if q.id not in values]


@dataclass(frozen=True)
class Migrated:
    """Answers carried over to the current bank, with what changed on the way."""

    answers: Answers
    notes: tuple[str, ...]
    origins: dict[str, str]
    """New question id -> the id it had in the answers file (for pointing at its line)."""


def migrate_answers(answers: Answers, questionnaire: Questionnaire) -> Migrated | None:
    """Carry answers written for an older bank forward; none when no migration path exists."""
    version = answers.questionnaire_version
    entries = dict(answers.answers)
    origins = {k: k for k in entries}
    notes: list[str] = []
    steps = {m.from_version: m for m in questionnaire.migrations}
    seen: set[str] = set()
    while version != questionnaire.version:
        step = steps.get(version)
        if step is None or version in seen:
            return None
        seen.add(version)
        for old in step.removed:
            if entries.pop(old, None) is not None:
                notes.append(f"{old}: removed in version {step.to_version}; its answer is dropped")
                origins.pop(old, None)
        for old, new in step.renamed.items():
            if old in entries:
                entries[new] = entries.pop(old)
                origins[new] = origins.pop(old)
                notes.append(f"{old}: renamed {new} in version {step.to_version}")
        for qid, renames in step.renamed_options.items():
            entry = entries.get(qid)
            if entry is not None and entry.value is not None:
                entries[qid] = entry.model_copy(update={"value": _rename(entry.value, renames)})
        version = step.to_version
    if notes or version != answers.questionnaire_version:
        notes.insert(0, f"answers moved from version {answers.questionnaire_version} to {version}")
    migrated = answers.model_copy(update={"questionnaire_version": version, "answers": entries})
    return Migrated(migrated, tuple(notes), origins)


def _rename(value: AnswerValue, renames: dict[str, str]) -> AnswerValue:
    if isinstance(value, list):
        return [renames.get(v, v) for v in value]
    if isinstance(value, str):
        return renames.get(value, value)
    return value
