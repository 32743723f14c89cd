"""The whole pipeline in one call: an input file (answers or profile) to a Recommendation.

The CLI, the report renderer and the batch workers call these; the app builds its own index
from the store's live knowledge-base revision and calls ``advisor.matching.match_profile``.
What a folder gives (entries, graph, matching index, rule files) is built once per content of
the folder and kept on disk by ``advisor.kb.cache``, so a second run reads it back.
A knowledge-base folder gives everything: its entries and its three rule files (question
bank, scoring and matching rules); nothing is taken from the bundled folder once one is given.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from advisor.assessment_input import AssessmentInput, load_assessment_input
from advisor.kb.cache import bundled_rule_files, folder_digest, load_or_build
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.models import KnowledgeBase
from advisor.kb.rule_files import RuleFiles, load_rule_files
from advisor.matching import MatchIndex, MatchingRules, build_index, match_profile, prepare_index
from advisor.questionnaire import Questionnaire
from advisor.recommendation import Recommendation


@dataclass(frozen=True)
class Assessed:
    """An input, what it was matched against, and the recommendation."""

    input: AssessmentInput
    recommendation: Recommendation
    kb: KnowledgeBase
    questionnaire: Questionnaire


@dataclass(frozen=True)
class Matcher:
    """A knowledge base ready for matching: its index and its rule files."""

    index: MatchIndex
    rule_files: RuleFiles

    @property
    def kb(self) -> KnowledgeBase:
        return self.index.kb

    @property
    def rules(self) -> MatchingRules:
        """The matching rules."""
        return self.rule_files.matching


def build_matcher(kb_dir: Path) -> Matcher:
    """Load a knowledge-base folder and build everything matching reads from it."""
    kb = load_knowledge_base(kb_dir)
    index = build_index(kb)
    prepare_index(index)
    return Matcher(index=index, rule_files=load_rule_files(kb_dir))


@lru_cache(maxsize=4)
def _matcher(kb_dir: Path) -> Matcher:
    # one cache slot per folder; its digest changes with any file in it, or with the code
    slot = hashlib.sha256(str(kb_dir).encode()).hexdigest()[:16]
    digest = folder_digest(kb_dir, bundled_rule_files())
    return load_or_build(f"matcher-{slot}", digest, lambda: build_matcher(kb_dir), Matcher)


def matcher_for(kb_dir: Path | None = None) -> Matcher:
    """The matcher for a knowledge-base folder (the bundled one by default), built once."""
    return _matcher((kb_dir or BUNDLED_KB_DIR).resolve())


def recommend_file(
    path: Path | str,
    kb_dir: Path | None = None,
    today: date | None = None,
    shortlist: int | None = None,
) -> Assessed:
    """Read answers or a profile from a file, score it if needed, and match it.

    The question bank, scoring and matching rules are the knowledge-base folder's own.
    """
    m = matcher_for(kb_dir)
    bank = m.rule_files.questionnaire
    given = load_assessment_input(path, bank, m.rule_files.scoring)
    rec = match_profile(
        given.profile,
        m.index,
        m.rules,
        today=today,
        shortlist=shortlist,
        market=m.rule_files.market,
    )
    return Assessed(input=given, recommendation=rec, kb=m.kb, questionnaire=bank)
