"""The rule files of a knowledge base: the question bank, the scoring and the matching rules.

``questionnaire.yaml``, ``scoring.yaml`` and ``matching.yaml`` are knowledge-base data like the
entries: ``advisor kb validate`` checks them (every problem as ``file:line: field: message``;
the scoring and delivery-model rules against this folder's own bank), the store keeps them
with every revision, and the pipeline and the app take all three from one place (a folder or a
store revision), never the bank from here and the rules from there.

- ``rule_files_result(root, fallback=None)``: read and check a folder's three files; a file
  the folder lacks is a problem, or is read from ``fallback`` when one is given.
- ``load_rule_files(root, fallback=None)``: the same, raising ``InputError`` on any problem.
- ``rule_files_from_texts(texts, fallback)``: the three files as text (as the store keeps them).
- ``bundled_rule_files()``: the bundled ones, read once.
- ``RULE_FILE_MODELS``: the model of each, by file name (``advisor kb schema``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from advisor.errors import InputError, Problem, problems_from_validation
from advisor.kb.loader import BUNDLED_KB_DIR
from advisor.kb.market_rules import (
    MARKET,
    MarketRules,
    bundled_market_rules,
    market_rules_from_document,
)
from advisor.matching.rules import MatchingRules, check_delivery_rules
from advisor.questionnaire import Questionnaire, questionnaire_from_document
from advisor.scoring import ScoringRules, scoring_rules_from_document
from advisor.yamlio import YamlDocument, parse_yaml, read_yaml

QUESTIONNAIRE = "questionnaire.yaml"
SCORING = "scoring.yaml"
MATCHING = "matching.yaml"
RULE_FILES = (QUESTIONNAIRE, SCORING, MATCHING)
"""The rule files, in the order they are checked (scoring reads the bank)."""
RULE_FILE_MODELS: dict[str, type[BaseModel]] = {
    QUESTIONNAIRE: Questionnaire,
    SCORING: ScoringRules,
    MATCHING: MatchingRules,
}
"""The model each rule file is read into."""

WHAT = {
    QUESTIONNAIRE: "the question bank",
    SCORING: "the scoring rules",
    MATCHING: "the matching rules",
}

T = TypeVar("T")


@dataclass(frozen=True)
class RuleFiles:
    """The rule files of one knowledge base, validated together (read-only): the three
    above, and the market rules (``market.yaml``, the bundled ones where it has none)."""

    questionnaire: Questionnaire
    scoring: ScoringRules
    matching: MatchingRules
    market: MarketRules = field(default_factory=bundled_market_rules)


def matching_rules_from_document(doc: YamlDocument) -> MatchingRules:
    """Validate parsed matching rules; raise InputError listing every problem."""
    if not isinstance(doc.data, dict):
        raise InputError.single(
            doc.path, "(file)", "expected a mapping of matching rules", doc.line_of(())
        )
    try:
        return MatchingRules.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(problems_from_validation(err, doc.path, doc.line_of)) from None


def _scoring_shape(doc: YamlDocument) -> ScoringRules:
    """Scoring rules checked on their own, when the bank they refer to could not be read."""
    if not isinstance(doc.data, dict):
        raise InputError.single(
            doc.path, "(file)", "expected a mapping of scoring rules", doc.line_of(())
        )
    try:
        return ScoringRules.model_validate(doc.data)
    except ValidationError as err:
        raise InputError(problems_from_validation(err, doc.path, doc.line_of)) from None


def _delivery_against_bank(rules: MatchingRules, bank: Questionnaire, doc: YamlDocument) -> None:
    problems = check_delivery_rules(rules, bank, doc)
    if problems:
        raise InputError(problems)


def _attempt(problems: list[Problem], make: Callable[..., T], *args: Any) -> T | None:
    """Run one check; its problems join the list (line 1 where no better line is known)."""
    try:
        return make(*args)
    except InputError as exc:
        problems.extend(
            Problem(p.file, 1 if p.line is None else p.line, p.field, p.message)
            for p in exc.problems
        )
        return None


def _check(
    docs: Mapping[str, YamlDocument | None],
    problems: list[Problem],
    market_doc: YamlDocument | None = None,
) -> RuleFiles | None:
    """Check parsed rule files together; a file that could not be read is None, and no
    market rules document means the bundled ones."""
    bank_doc, scoring_doc, matching_doc = (docs.get(name) for name in RULE_FILES)
    bank = None if bank_doc is None else _attempt(problems, questionnaire_from_document, bank_doc)
    scoring: ScoringRules | None = None
    if scoring_doc is not None:
        if bank is not None:
            scoring = _attempt(problems, scoring_rules_from_document, scoring_doc, bank)
        else:
            # no bank to check the references against: check the rules' own shape only
            _attempt(problems, _scoring_shape, scoring_doc)
    matching = (
        None
        if matching_doc is None
        else _attempt(problems, matching_rules_from_document, matching_doc)
    )
    if bank is not None and matching is not None and matching_doc is not None:
        # the delivery-model and silo rules read answers: they must name real questions
        _attempt(problems, _delivery_against_bank, matching, bank, matching_doc)
    market = (
        bundled_market_rules()
        if market_doc is None
        else _attempt(problems, market_rules_from_document, market_doc)
    )
    if bank is None or scoring is None or matching is None or market is None or problems:
        return None
    return RuleFiles(questionnaire=bank, scoring=scoring, matching=matching, market=market)


def _missing(root: Path, name: str) -> Problem:
    return Problem(
        str(root / name),
        1,
        "(file)",
        f"missing: a knowledge base holds {WHAT[name]} in {name}",
    )


def rule_files_result(
    root: Path | str, fallback: Path | None = None
) -> tuple[RuleFiles | None, list[Problem]]:
    """Read and check a folder's rule files: the rules (none if any problem) and the problems.

    A file the folder lacks is a problem, unless ``fallback`` names a folder to read it from.
    """
    root = Path(root)
    problems: list[Problem] = []
    docs: dict[str, YamlDocument | None] = {}
    for name in RULE_FILES:
        path = root / name
        if not path.is_file() and fallback is not None:
            path = fallback / name
        if not path.is_file():
            problems.append(_missing(root, name))
            docs[name] = None
            continue
        docs[name] = _attempt(problems, read_yaml, path)
    return _check(docs, problems, _market_document(problems, root, fallback)), problems


def _market_document(
    problems: list[Problem], root: Path, fallback: Path | None
) -> YamlDocument | None:
    """The folder's market rules document (or the fallback folder's); None for neither."""
    for folder in (root, fallback):
        if folder is not None and (folder / MARKET).is_file():
            return _attempt(problems, read_yaml, folder / MARKET)
    return None


def load_rule_files(root: Path | str, fallback: Path | None = None) -> RuleFiles:
    """A folder's rule files, checked together; InputError listing every problem."""
    rules, problems = rule_files_result(root, fallback)
    if rules is None:
        raise InputError(problems)
    return rules


def rule_files_from_texts(
    texts: Mapping[str, str], fallback: Path | None = BUNDLED_KB_DIR, where: str = ""
) -> RuleFiles:
    """The rule files from their text (``name -> text``, as the store keeps them).

    A file not given is read from ``fallback``. ``where`` prefixes the file names in messages.
    """
    problems: list[Problem] = []
    docs: dict[str, YamlDocument | None] = {}
    for name in RULE_FILES:
        if name in texts:
            label = f"{where}/{name}" if where else name
            docs[name] = _attempt(problems, parse_yaml, texts[name], label)
        elif fallback is not None and (fallback / name).is_file():
            docs[name] = _attempt(problems, read_yaml, fallback / name)
        else:
            problems.append(_missing(Path(where or "."), name))
            docs[name] = None
    market_doc = None
    if MARKET in texts:
        label = f"{where}/{MARKET}" if where else MARKET
        market_doc = _attempt(problems, parse_yaml, texts[MARKET], label)
    elif fallback is not None and (fallback / MARKET).is_file():
        market_doc = _attempt(problems, read_yaml, fallback / MARKET)
    rules = _check(docs, problems, market_doc)
    if rules is None:
        raise InputError(problems)
    return rules


@lru_cache(maxsize=1)
def bundled_rule_files() -> RuleFiles:
    """The rule files that ship with the advisor (read once; treat as read-only)."""
    return load_rule_files(BUNDLED_KB_DIR)
