"""What every session shares, built once per process: the store and the knowledge base.

Only read-only, user-independent objects live in ``st.cache_resource``: the store's engine,
and the knowledge base of one revision with its graph, matching index, question bank and
rules. The knowledge base and its rule files are keyed by their revision, so an approved
change (to an entry or to a rule file) is picked up on the next rerun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import networkx as nx
import streamlit as st

from advisor.kb.market_rules import MarketRules
from advisor.kb.models import KnowledgeBase
from advisor.matching import MatchIndex, build_index
from advisor.matching.rules import MatchingRules
from advisor.questionnaire import Questionnaire
from advisor.scoring import ScoringRules
from advisor.services.app_support import (
    AssessedView,
    MatchMemo,
    assessed_view,
    knowledge_base_revision,
    open_store,
    rule_files_revision,
)
from advisor.services.assessments import get_assessment
from advisor.services.permissions import Principal
from advisor.settings import Settings, load_settings
from advisor.store.database import Database


@dataclass(frozen=True)
class Knowledge:
    """One revision of the knowledge base and everything built from it (read-only)."""

    revision: int
    kb: KnowledgeBase
    graph: nx.MultiDiGraph
    index: MatchIndex
    questionnaire: Questionnaire
    scoring: ScoringRules
    matching: MatchingRules
    market: MarketRules
    memo: MatchMemo = field(default_factory=MatchMemo, compare=False)
    """The matches made against this revision lately, shared by every session."""

    def assessed(self, db: Database, who: Principal, assessment_id: int) -> AssessedView:
        """A submitted assessment matched against this revision, with its own rules (the
        reader's access checked on every call; the match itself made once a day per version)."""
        view = get_assessment(db, who, assessment_id)
        today = date.today()
        return self.memo.assessed(
            view,
            today,
            lambda: assessed_view(
                view,
                self.index,
                self.matching,
                self.revision,
                self.questionnaire,
                today,
                self.market,
            ),
        )


@st.cache_resource(show_spinner=False)
def settings() -> Settings:
    """The settings from the environment, read once per process."""
    return load_settings()


@st.cache_resource(show_spinner=False)
def database() -> Database:
    """The store named by the settings (one engine per process)."""
    return open_store(settings())


@st.cache_resource(show_spinner="Loading the knowledge base...", max_entries=3)
def _knowledge(revision: int, _db: Database) -> Knowledge:
    kb = knowledge_base_revision(_db, revision)
    rules = rule_files_revision(_db, revision)
    index = build_index(kb)
    return Knowledge(
        revision=revision,
        kb=kb,
        graph=index.graph,
        index=index,
        questionnaire=rules.questionnaire,
        scoring=rules.scoring,
        matching=rules.matching,
        market=rules.market,
    )


def knowledge(revision: int) -> Knowledge:
    """The knowledge base at this revision (built on first use, then shared)."""
    return _knowledge(revision, database())
