"""The question bank: sections, questions, options with scores, skip logic and versioning.

The bank is data (``knowledge_base/questionnaire.yaml``); this module gives it a typed shape,
checks it whole (every problem as ``file:line: field: message``) and answers the questions
other parts ask of it: which questions a respondent sees, and how long a walk-through takes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from pydantic import Field, ValidationError, model_validator

from advisor.base import Id, StrictModel, Text
from advisor.errors import InputError, Problem, field_path, problems_from_validation
from advisor.vocabulary import BarrierId, TechnologyAreaId
from advisor.yamlio import YamlDocument, read_yaml

BUNDLED_QUESTIONNAIRE = (
    Path(__file__).resolve().parents[1] / "knowledge_base" / "questionnaire.yaml"
)
"""The question bank that ships with the advisor."""

DONT_KNOW = "dont_know"
"""The answer every question accepts: it becomes a find-out action, never a low score."""
NOT_APPLICABLE = "not_applicable"
"""The answer accepted by questions marked ``allow_na``."""

# PyYAML reads these bare words as booleans, so they cannot serve as option ids.
_YAML_BOOL_WORDS = frozenset({"yes", "no", "on", "off", "true", "false", "y", "n"})

AnswerValue = str | int | float | list[str]
"""A plain answer value: an option id, a number, free text, or a list of option ids."""


class QuestionType(StrEnum):
    single = "single"
    """Pick one option."""
    multiple = "multiple"
    """Pick one or more options."""
    scale = "scale"
    """A whole number between ``min`` and ``max``."""
    number = "number"
    """Any number between ``min`` and ``max``."""
    text = "text"
    """Free text."""


class Option(StrictModel):
    """One choice of a single- or multiple-choice question."""

    id: Id
    label: Text
    score: float | None = Field(default=None, ge=0, le=1)
    """How favourable this answer is, 0 (least) to 1 (most); none for unscored questions."""
    exclusive: bool = False
    """For multiple choice: this option cannot be combined with others (e.g. 'none of these')."""

    @model_validator(mode="after")
    def _usable_id(self) -> Self:
        if self.id in _YAML_BOOL_WORDS:
            raise ValueError(f"option id {self.id!r} reads as a boolean in YAML; choose another")
        if self.id in (DONT_KNOW, NOT_APPLICABLE):
            raise ValueError(f"option id {self.id!r} is reserved for every question")
        return self


class Band(StrictModel):
    """Score for a number answer at or above ``at_least`` (the highest matching band wins)."""

    at_least: float
    score: float = Field(ge=0, le=1)


class Condition(StrictModel):
    """Skip logic: when a question is shown. Exactly one form per condition.

    ``{question: q, in: [a, b]}`` (any chosen option in the list), ``{question: q, equals: a}``,
    ``{question: q, at_least: 3}`` (number or scale), ``{any_of: [...]}``, ``{all_of: [...]}``.
    A condition on a question that is unanswered, hidden or answered "don't know" is false.
    """

    question: Id | None = None
    in_: list[Id] | None = Field(default=None, alias="in")
    equals: Id | None = None
    at_least: float | None = None
    any_of: list[Condition] | None = Field(default=None, min_length=1)
    all_of: list[Condition] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_form(self) -> Self:
        tests = [t for t in (self.in_, self.equals, self.at_least) if t is not None]
        groups = [g for g in (self.any_of, self.all_of) if g is not None]
        if groups:
            if len(groups) > 1 or tests or self.question is not None:
                raise ValueError("use any_of or all_of alone")
        elif self.question is None or len(tests) != 1:
            raise ValueError("give a question and exactly one of: in, equals, at_least")
        return self

    def questions(self) -> Iterator[str]:
        """Every question id this condition reads."""
        if self.question is not None:
            yield self.question
        for sub in (self.any_of or []) + (self.all_of or []):
            yield from sub.questions()

    def holds(self, answers: Mapping[str, AnswerValue]) -> bool:
        """Whether the condition is true for the given (visible, known) answers."""
        if self.any_of is not None:
            return any(c.holds(answers) for c in self.any_of)
        if self.all_of is not None:
            return all(c.holds(answers) for c in self.all_of)
        assert self.question is not None  # noqa: S101  (guaranteed by _one_form)
        value = answers.get(self.question)
        if value is None or value in (DONT_KNOW, NOT_APPLICABLE):
            return False
        chosen = value if isinstance(value, list) else [value]
        if self.in_ is not None:
            return any(v in self.in_ for v in chosen)
        if self.equals is not None:
            return self.equals in chosen
        return isinstance(value, int | float) and value >= (self.at_least or 0)


class Question(StrictModel):
    """One question of the bank."""

    id: Id
    type: QuestionType
    text: Text
    """The question as the respondent reads it; observable facts over self-rating."""
    help: str | None = None
    """What the question means and how to find the answer."""
    options: list[Option] = Field(default_factory=list)
    min: float | None = None
    """Lowest allowed value (scale and number questions)."""
    max: float | None = None
    """Highest allowed value (scale and number questions); most options picked (multiple)."""
    labels: dict[int, Text] = Field(default_factory=dict)
    """Scale: what the end points (or any point) mean."""
    unit: str | None = None
    bands: list[Band] = Field(default_factory=list)
    """Number: the score of each band, for number questions that are scored."""
    allow_na: bool = False
    """Whether "not applicable" is a valid answer (don't know always is)."""
    show_if: Condition | None = None
    """Skip logic: shown only when this holds (earlier questions only)."""

    @model_validator(mode="after")
    def _shape(self) -> Self:
        choice = self.type in (QuestionType.single, QuestionType.multiple)
        if choice:
            if len(self.options) < 2:
                raise ValueError("a choice question needs at least two options")
            ids = [o.id for o in self.options]
            if len(set(ids)) != len(ids):
                raise ValueError("option ids repeat")
            scored = [o.score is not None for o in self.options]
            if any(scored) and not all(scored):
                raise ValueError("give a score to every option or to none")
        elif self.options:
            raise ValueError(f"a {self.type} question has no options")
        if self.type in (QuestionType.scale, QuestionType.number):
            if self.type is QuestionType.scale and (self.min is None or self.max is None):
                raise ValueError("a scale question needs min and max")
            if self.min is not None and self.max is not None and self.min >= self.max:
                raise ValueError("min must be below max")
        elif self.type is QuestionType.multiple and self.max is not None:
            if self.min is not None or self.labels:
                raise ValueError("a multiple question takes no min or labels")
            if not float(self.max).is_integer() or not 1 <= self.max <= len(self.options):
                raise ValueError("max (the most options picked) must be 1 to the number of options")
        elif self.min is not None or self.max is not None or self.labels:
            raise ValueError(f"a {self.type} question takes no min, max or labels")
        if self.bands and self.type is not QuestionType.number:
            raise ValueError("bands are for number questions")
        return self

    @property
    def scored(self) -> bool:
        """Whether answers to this question carry a favourability score."""
        if self.type is QuestionType.scale:
            return True
        if self.type is QuestionType.number:
            return bool(self.bands)
        return bool(self.options) and self.options[0].score is not None

    def option(self, option_id: str) -> Option | None:
        """The option with this id, if the question has one."""
        return next((o for o in self.options if o.id == option_id), None)

    def favourability(self, value: AnswerValue) -> float | None:
        """Score 0-1 of a known answer; none when the question or answer carries no score."""
        if not self.scored or value in (DONT_KNOW, NOT_APPLICABLE):
            return None
        if self.type is QuestionType.scale and isinstance(value, int | float):
            lo, hi = float(self.min or 0), float(self.max or 1)
            return (float(value) - lo) / (hi - lo)
        if self.type is QuestionType.number and isinstance(value, int | float):
            reached = [b.score for b in self.bands if value >= b.at_least]
            return max(reached) if reached else 0.0
        chosen = value if isinstance(value, list) else [value]
        scores = [o.score or 0.0 for o in self.options if o.id in chosen]
        if not scores:
            return None
        # several good practices add up; one is enough for a single choice
        return min(1.0, sum(scores)) if self.type is QuestionType.multiple else max(scores)

    def describe(self, value: AnswerValue) -> str:
        """The answer in words, as evidence shows it."""
        if value == DONT_KNOW:
            return "don't know"
        if value == NOT_APPLICABLE:
            return "not applicable"
        if isinstance(value, list):
            return ", ".join(self._label(v) for v in value)
        if isinstance(value, str):
            return self._label(value) if self.options else value
        return f"{value:g} {self.unit}" if self.unit else f"{value:g}"

    def _label(self, option_id: str) -> str:
        opt = self.option(option_id)
        return opt.label if opt else option_id


class Section(StrictModel):
    """A group of questions on one theme (the organisation, a barrier, a technology area...)."""

    id: Id
    title: Text
    intro: str | None = None
    area: TechnologyAreaId | None = None
    """The technology area this section is mainly about (its level descriptors are in
    technology_areas.yaml); scoring.yaml decides which questions feed which figure."""
    barrier: BarrierId | None = None
    """The barrier this section is mainly about."""
    questions: list[Question] = Field(min_length=1)


class Migration(StrictModel):
    """How answers written for an older version of the bank carry over to the next one."""

    from_version: Text
    to_version: Text
    renamed: dict[Id, Id] = Field(default_factory=dict)
    """Question ids renamed: old id -> new id."""
    removed: list[Id] = Field(default_factory=list)
    """Question ids removed: their answers are dropped with a note."""
    renamed_options: dict[Id, dict[Id, Id]] = Field(default_factory=dict)
    """Per question (new id): option ids renamed, old -> new."""
    note: str | None = None


class Questionnaire(StrictModel):
    """The whole bank. Questions are answered in the order given."""

    version: Text
    title: Text
    intro: str | None = None
    timing_seconds: dict[QuestionType, float] = Field(default_factory=dict)
    """Typical seconds to read and answer one question of each type (for time estimates)."""
    seconds_per_option: float = Field(default=0.0, ge=0)
    """Extra seconds to read each option of a choice question."""
    sections: list[Section] = Field(min_length=1)
    migrations: list[Migration] = Field(default_factory=list)

    def questions(self) -> list[Question]:
        """Every question, in order."""
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        """The question with this id, if the bank has it."""
        return next((q for q in self.questions() if q.id == question_id), None)

    def section_of(self, question_id: str) -> Section | None:
        """The section holding a question."""
        return next(
            (s for s in self.sections if any(q.id == question_id for q in s.questions)), None
        )

    def visible(self, answers: Mapping[str, AnswerValue | None]) -> list[Question]:
        """The questions a respondent sees, given the answers so far (bank order)."""
        shown: list[Question] = []
        known: dict[str, AnswerValue] = {}
        for q in self.questions():
            if q.show_if is None or q.show_if.holds(known):
                shown.append(q)
                value = answers.get(q.id)
                if value is not None:
                    known[q.id] = value
        return shown

    def estimated_minutes(self, questions: list[Question]) -> float:
        """Minutes a respondent needs for these questions, from ``timing_seconds``."""
        seconds = sum(
            self.timing_seconds.get(q.type, 20.0) + self.seconds_per_option * len(q.options)
            for q in questions
        )
        return round(seconds / 60, 1)


Loc = tuple[str | int, ...]


def bank_problems(questionnaire: Questionnaire) -> list[tuple[Loc, str]]:
    """Checks across questions: unique ids, and skip logic reading only earlier questions."""
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, Question] = {}
    section_ids: set[str] = set()
    for si, section in enumerate(questionnaire.sections):
        if section.id in section_ids:
            problems.append((("sections", si, "id"), f"section id {section.id} repeats"))
        section_ids.add(section.id)
        for qi, q in enumerate(section.questions):
            loc: Loc = ("sections", si, "questions", qi)
            if q.id in seen:
                problems.append(((*loc, "id"), f"question id {q.id} repeats"))
            if q.show_if is not None:
                problems.extend(
                    ((*loc, "show_if"), m) for m in _condition_problems(q.show_if, seen)
                )
            seen[q.id] = q
    return problems


def _condition_problems(cond: Condition, earlier: Mapping[str, Question]) -> Iterator[str]:
    """Skip logic may only read earlier questions, and only their real options."""
    for sub in (cond.any_of or []) + (cond.all_of or []):
        yield from _condition_problems(sub, earlier)
    if cond.question is None:
        return
    target = earlier.get(cond.question)
    if target is None:
        yield f"reads {cond.question}, which is not an earlier question"
        return
    wanted = list(cond.in_ or []) + ([cond.equals] if cond.equals is not None else [])
    unknown = [w for w in wanted if target.option(w) is None]
    if unknown:
        yield f"names options {cond.question} lacks: {', '.join(unknown)}"
    numeric = target.type in (QuestionType.scale, QuestionType.number)
    if cond.at_least is not None and not numeric:
        yield f"at_least needs a number or scale question, and {cond.question} is not one"


def validation_problems(err: ValidationError, doc: YamlDocument) -> list[Problem]:
    """One Problem per pydantic error, with the file, the line and the field."""
    return problems_from_validation(err, doc.path, doc.line_of)


def questionnaire_from_document(doc: YamlDocument) -> Questionnaire:
    """Validate a parsed bank; raise InputError listing every problem."""
    if not isinstance(doc.data, dict):
        raise InputError.single(doc.path, "(file)", "expected a mapping with version and sections")
    try:
        bank = Questionnaire.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(validation_problems(err, doc)) from None
    problems = [
        Problem(doc.path, doc.line_of(loc), field_path(loc), message)
        for loc, message in bank_problems(bank)
    ]
    if problems:
        raise InputError(problems)
    return bank


def load_questionnaire(path: Path | str = BUNDLED_QUESTIONNAIRE) -> Questionnaire:
    """Read and validate the question bank."""
    return questionnaire_from_document(read_yaml(path))


def blank_template(questionnaire: Questionnaire) -> dict[str, Any]:
    """An answers file with every question present and unanswered (a draft at 0%)."""
    return {
        "questionnaire_version": questionnaire.version,
        "answers": {q.id: None for q in questionnaire.questions()},
    }


def template_text(questionnaire: Questionnaire) -> str:
    """The blank answers template as commented YAML a respondent can fill in."""
    lines = [
        f"# Answers for: {questionnaire.title} (version {questionnaire.version})",
        f"# Every question accepts {DONT_KNOW}; leave a question empty to answer it later.",
        "# Long form: question_id: {value: ..., note: ..., evidence: ...}",
        f'questionnaire_version: "{questionnaire.version}"',
        "answers:",
    ]
    for section in questionnaire.sections:
        lines.append(f"  # --- {section.title}")
        for q in section.questions:
            lines.append(f"  # {q.text}")
            if q.show_if is not None:
                lines.append(f"  #   only when: {_condition_text(q.show_if)}")
            lines.append(f"  #   {_accepts(q)}")
            lines.append(f"  {q.id}:")
    return "\n".join(lines) + "\n"


def _accepts(q: Question) -> str:
    extra = f" | {NOT_APPLICABLE}" if q.allow_na else ""
    if q.type is QuestionType.single:
        return "one of: " + " | ".join(o.id for o in q.options) + extra
    if q.type is QuestionType.multiple:
        return "a list of: " + ", ".join(o.id for o in q.options) + extra
    if q.type is QuestionType.scale:
        return f"a whole number {_num(q.min)} to {_num(q.max)}{extra}"
    if q.type is QuestionType.number:
        lo = _num(q.min) if q.min is not None else "any"
        hi = _num(q.max) if q.max is not None else "any"
        unit = f" ({q.unit})" if q.unit else ""
        return f"a number from {lo} to {hi}{unit}{extra}"
    return f"free text{extra}"


def _num(value: float | None) -> str:
    """A bound as people write it: 100000000, not 1e+08."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value}"


def _condition_text(cond: Condition) -> str:
    if cond.any_of is not None:
        return " or ".join(f"({_condition_text(c)})" for c in cond.any_of)
    if cond.all_of is not None:
        return " and ".join(f"({_condition_text(c)})" for c in cond.all_of)
    if cond.in_ is not None:
        return f"{cond.question} in [{', '.join(cond.in_)}]"
    if cond.equals is not None:
        return f"{cond.question} = {cond.equals}"
    return f"{cond.question} >= {_num(cond.at_least)}"
