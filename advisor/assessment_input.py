"""Read what ``advisor assess`` is given: an answers file (scored here) or a profile.

The shape tells them apart: an answers file has ``answers:`` (and ``questionnaire_version:``);
a profile has ``organisation:``. Every problem is an InputError naming the file, the field and,
where it can, the line.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import ValidationError

from advisor.answers import Answers, answer_issues, completion, migrate_answers
from advisor.errors import InputError, Problem, field_path
from advisor.profile import Profile
from advisor.questionnaire import Questionnaire, load_questionnaire, validation_problems
from advisor.scoring import ScoringRules, load_scoring_rules, score_answers
from advisor.yamlio import YamlDocument, parse_yaml, read_yaml


@dataclass(frozen=True)
class AssessmentInput:
    """A profile ready for matching, and the answers it came from (if any)."""

    path: str
    kind: Literal["answers", "profile"]
    profile: Profile
    answers: Answers | None = None
    """The answers, carried over to the current bank version."""
    completion: float | None = None
    """Percentage of the questions the respondent sees that are answered (answers only)."""
    notes: tuple[str, ...] = ()
    """What migration changed, for answers written for an older bank."""

    @property
    def is_draft(self) -> bool:
        """True for answers with questions still to answer."""
        return self.completion is not None and self.completion < 100


@lru_cache(maxsize=1)
def bundled_assessment() -> tuple[Questionnaire, ScoringRules]:
    """The bundled question bank and scoring rules (read once; treat as read-only)."""
    questionnaire = load_questionnaire()
    return questionnaire, load_scoring_rules(questionnaire)


def load_assessment_input(
    path: Path | str,
    questionnaire: Questionnaire | None = None,
    rules: ScoringRules | None = None,
) -> AssessmentInput:
    """Read an answers file or a profile; raise InputError naming file, field and line."""
    return assessment_input_from_document(read_yaml(path), questionnaire, rules)


def parse_assessment_input(
    text: str,
    path: str = "<input>",
    questionnaire: Questionnaire | None = None,
    rules: ScoringRules | None = None,
) -> AssessmentInput:
    """Like ``load_assessment_input``, for text already in hand (uploads, tests)."""
    return assessment_input_from_document(parse_yaml(text, path), questionnaire, rules)


def assessment_input_from_document(
    doc: YamlDocument,
    questionnaire: Questionnaire | None = None,
    rules: ScoringRules | None = None,
) -> AssessmentInput:
    """Tell answers from a profile by shape and turn either into an AssessmentInput."""
    data = doc.data
    if data is None:
        raise InputError.single(doc.path, "(file)", "the file is empty")
    if not isinstance(data, dict):
        raise InputError.single(
            doc.path,
            "(file)",
            "expected a mapping: an answers file (questionnaire_version, answers)"
            " or a profile (organisation, ...)",
            doc.line_of(()),
        )
    if "answers" in data or ("questionnaire_version" in data and "organisation" not in data):
        if questionnaire is None or rules is None:
            questionnaire, rules = bundled_assessment()
        return _from_answers(doc, questionnaire, rules)
    if "organisation" in data:
        return AssessmentInput(path=doc.path, kind="profile", profile=_profile(doc))
    keys = ", ".join(str(k) for k in list(data)[:5])
    raise InputError.single(
        doc.path,
        "(file)",
        f"neither answers (needs 'answers' and 'questionnaire_version') nor a profile"
        f" (needs 'organisation'); found: {keys}",
        doc.line_of(()),
    )


def _profile(doc: YamlDocument) -> Profile:
    try:
        return Profile.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(validation_problems(err, doc)) from None


def _from_answers(doc: YamlDocument, bank: Questionnaire, rules: ScoringRules) -> AssessmentInput:
    try:
        given = Answers.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(validation_problems(err, doc)) from None
    migrated = migrate_answers(given, bank)
    if migrated is None:
        known = ", ".join([bank.version, *(m.from_version for m in bank.migrations)])
        raise InputError.single(
            doc.path,
            "questionnaire_version",
            f"answers are for version {given.questionnaire_version}, which this bank"
            f" ({bank.version}) cannot read; readable versions: {known}",
            doc.line_of(("questionnaire_version",)),
        )
    answers = migrated.answers
    issues = answer_issues(answers, bank)
    if issues:
        problems = []
        for issue in issues:
            # point at the line in the file as written, before any renaming
            loc = list(issue.loc)
            if len(loc) > 1 and isinstance(loc[1], str):
                loc[1] = migrated.origins.get(loc[1], loc[1])
            problems.append(
                Problem(doc.path, doc.line_of(tuple(loc)), field_path(tuple(loc)), issue.message)
            )
        raise InputError(problems)
    return AssessmentInput(
        path=doc.path,
        kind="answers",
        profile=score_answers(answers, bank, rules),
        answers=answers,
        completion=completion(answers, bank),
        notes=migrated.notes,
    )
