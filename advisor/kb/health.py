"""Knowledge-base health: counts, orphans and stale entries (``advisor kb stats``, the app)."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
from pydantic import Field

from advisor.base import StrictModel
from advisor.kb.loader import count_by_kind
from advisor.kb.models import KnowledgeBase

STALE_AFTER_DAYS = 365
"""A vendor entry not reviewed for this long is stale."""

ORPHAN_KINDS = ("touchpoint", "opportunity", "body")
"""Kinds whose entries should be linked from (or, for bodies, to) something else."""


class Stale(StrictModel):
    kind: str
    id: str
    reason: str


class Health(StrictModel):
    """What ``advisor kb stats`` reports."""

    counts: dict[str, int]
    orphans: dict[str, list[str]] = Field(default_factory=dict)
    """Per kind, entries that nothing links to (a vendor in no case study is not an orphan:
    it is listed under ``vendors_without_case_study``)."""
    vendors_without_case_study: int = 0
    stale: list[Stale] = Field(default_factory=list)
    graph_nodes: int = 0
    graph_edges: int = 0


def knowledge_base_health(kb: KnowledgeBase, graph: nx.MultiDiGraph, today: date) -> Health:
    """Counts per kind, orphans, stale vendor entries and expired or expiring routes."""
    orphans: dict[str, list[str]] = {}
    for key, attrs in graph.nodes(data=True):
        kind = attrs["kind"]
        # touchpoints and opportunities are linked *to*; bodies link *out* to case studies
        linked = graph.out_degree(key) if kind == "body" else graph.in_degree(key)
        if kind in ORPHAN_KINDS and linked == 0:
            orphans.setdefault(kind, []).append(attrs["ref"])
    without_case = sum(
        1
        for v in kb.vendors
        if not any(
            graph.nodes[dst]["kind"] == "case_study" for _, dst in graph.out_edges(f"vendor:{v.id}")
        )
    )
    stale: list[Stale] = []
    limit = today - timedelta(days=STALE_AFTER_DAYS)
    for v in kb.vendors:
        if v.last_reviewed < limit:
            stale.append(Stale(kind="vendor", id=v.id, reason=f"last reviewed {v.last_reviewed}"))
    for r in kb.procurement_routes:
        if r.valid_until < today:
            stale.append(
                Stale(kind="procurement_route", id=r.id, reason=f"expired {r.valid_until}")
            )
        elif r.valid_until < today + timedelta(days=90):
            stale.append(
                Stale(kind="procurement_route", id=r.id, reason=f"expires {r.valid_until}")
            )
    return Health(
        counts=count_by_kind(kb),
        orphans={k: sorted(v) for k, v in sorted(orphans.items())},
        vendors_without_case_study=without_case,
        stale=stale,
        graph_nodes=graph.number_of_nodes(),
        graph_edges=graph.number_of_edges(),
    )
