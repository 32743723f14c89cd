"""Free-text goals matched to touchpoints, opportunities and case studies, offline.

A goal that names an entry (its id, name or an alias) matches it outright; other text is
compared by TF-IDF over character n-grams (robust to plurals and small spelling changes) of
its telling words (``need_words``: without the words every entry uses, such as "council" or
"service"), with no network and no downloaded model (``advisor.matching.tfidf``).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from advisor.kb.models import KnowledgeBase
from advisor.matching.tfidf import SparseRows, Vectoriser, char_wb_grams

_WORD = re.compile(r"[a-z0-9+]+")
_COMMON = """
a about above across after again against all also am an and any are as at be because
been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers him his how i if in into is it
its itself just me more most my no nor not now of off on once only or other our ours out
over own same she should so some such than that the their theirs them then there these
they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours want wants need needs like make making
way ways able within help helps helping better improve improving new use using used
council councils authority authorities borough county city local public people resident
residents citizen citizens service services data information system systems platform
provide provides providing support supporting partner partners
"""
COMMON_WORDS = frozenset(_COMMON.split())
"""Words that say nothing about which need a text is about: English function words, and the
words every entry of a council's knowledge base uses (council, service, data...)."""


def need_words(text: str) -> str:
    """Lower-case words of a text without ``COMMON_WORDS``: what a likeness should compare."""
    return " ".join(w for w in _WORD.findall(text.lower()) if w not in COMMON_WORDS)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "s", "y")


def stem(word: str) -> str:
    """A rough stem, so that "servers", "server" and "serving" meet: the first matching
    suffix goes when at least four letters remain."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def word_stems(text: str) -> list[str]:
    """The telling words of a text (``need_words``), stemmed: single words and pairs."""
    words = [stem(w) for w in need_words(text).split()]
    return words + [f"{a} {b}" for a, b in itertools.pairwise(words)]


def need_grams(text: str) -> list[str]:
    """Character 3- to 5-grams of a text's telling words (``need_words``)."""
    return char_wb_grams(need_words(text))


@dataclass(frozen=True)
class GoalTarget:
    kind: str  # touchpoint | opportunity | case_study
    id: str
    name: str


@dataclass(frozen=True)
class GoalHit:
    target: GoalTarget
    similarity: float
    exact: bool


class GoalMatcher:
    """Built once per knowledge base; ``match`` is cheap."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.targets: list[GoalTarget] = []
        texts: list[str] = []
        self.exact: dict[str, GoalTarget] = {}
        for t in kb.touchpoints:
            target = GoalTarget("touchpoint", t.id, t.name)
            self._add(target, [t.name, t.category, t.description or "", *t.aliases], texts)
            for alias in (t.id, t.name, *t.aliases):
                self.exact.setdefault(alias.casefold(), target)
        for o in kb.opportunities:
            target = GoalTarget("opportunity", o.id, o.name)
            self._add(target, [o.name, o.description], texts)
            for alias in (o.id, o.name):
                self.exact.setdefault(alias.casefold(), target)
        for c in kb.case_studies:
            target = GoalTarget("case_study", c.id, c.name)
            self._add(target, [c.name, c.summary, *c.departments, *c.outcomes], texts)
            for alias in (c.id, c.name):
                self.exact.setdefault(alias.casefold(), target)
        self.vectoriser: Vectoriser | None = None
        self.matrix: SparseRows | None = None
        if texts:
            self.vectoriser = Vectoriser.fit(texts, need_grams)
            self.matrix = self.vectoriser.transform(texts)

    def _add(self, target: GoalTarget, parts: list[str], texts: list[str]) -> None:
        self.targets.append(target)
        texts.append(" ".join(p for p in parts if p))

    def match(self, goal: str, min_similarity: float, limit: int) -> list[GoalHit]:
        """Entries the goal names, or else the most similar ones above ``min_similarity``."""
        exact = self.exact.get(goal.strip().casefold())
        if exact is not None:
            return [GoalHit(exact, 1.0, True)]
        if self.matrix is None or self.vectoriser is None:
            return []
        sims = self.matrix.dot(self.vectoriser.vector(goal))
        order = sorted(
            (i for i in np.flatnonzero(sims >= min_similarity)),
            key=lambda i: (-round(float(sims[i]), 6), self.targets[i].kind, self.targets[i].id),
        )
        return [GoalHit(self.targets[i], round(float(sims[i]), 3), False) for i in order[:limit]]
