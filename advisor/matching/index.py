"""Look-up tables built once per knowledge base, so one match stays fast at catalogue scale."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from advisor.kb.graph import build_graph
from advisor.kb.models import (
    Body,
    CaseStudy,
    KnowledgeBase,
    Opportunity,
    TechnologyArea,
    Touchpoint,
    Vendor,
)
from advisor.matching.goals import GoalMatcher


@dataclass
class MatchIndex:
    """The knowledge base, its graph and the tables matching reads."""

    kb: KnowledgeBase
    graph: nx.MultiDiGraph
    areas: dict[str, TechnologyArea] = field(default_factory=dict)
    vendors: dict[str, Vendor] = field(default_factory=dict)
    offering_vendor: dict[str, str] = field(default_factory=dict)
    vendor_case_studies: dict[str, list[str]] = field(default_factory=dict)
    case_studies: dict[str, CaseStudy] = field(default_factory=dict)
    bodies: dict[str, Body] = field(default_factory=dict)
    touchpoints: dict[str, Touchpoint] = field(default_factory=dict)
    opportunities: dict[str, Opportunity] = field(default_factory=dict)
    goal_matcher: GoalMatcher | None = None
    cache: dict[str, object] = field(default_factory=dict)
    """Derived tables that matching steps build on first use (e.g. flat vendor arrays)."""


def build_index(kb: KnowledgeBase, graph: nx.MultiDiGraph | None = None) -> MatchIndex:
    """Build the look-up tables (and the graph, unless given)."""
    idx = MatchIndex(kb=kb, graph=graph if graph is not None else build_graph(kb))
    idx.areas = {a.id.value: a for a in kb.technology_areas}
    idx.vendors = {v.id: v for v in kb.vendors}
    # the offerings covering each area are kept as positions in the vendor arrays
    # (``VendorArrays.area_postings``), which is what a match reads
    for v in kb.vendors:
        for off in v.offerings:
            idx.offering_vendor[off.id] = v.id
    vendor_cases: dict[str, set[str]] = defaultdict(set)
    for cs in kb.case_studies:
        for vid in cs.vendors:
            vendor_cases[vid].add(cs.id)
        for off_id in cs.offerings:
            vendor_cases[idx.offering_vendor[off_id]].add(cs.id)
    idx.vendor_case_studies = {k: sorted(v) for k, v in vendor_cases.items()}
    idx.case_studies = {c.id: c for c in kb.case_studies}
    idx.bodies = {b.id: b for b in kb.bodies}
    idx.touchpoints = {t.id: t for t in kb.touchpoints}
    idx.opportunities = {o.id: o for o in kb.opportunities}
    idx.goal_matcher = GoalMatcher(kb)
    return idx
