"""Public contract awards as graph evidence: ``buyer -bought_from-> vendor`` edges.

A buyer matched to a body is its ``body:`` node; one that is not gets a ``buyer:`` node of
its own. A supplier matched to a vendor (or merged into one by a curator) is its ``vendor:``
node; one only on file as a supplier from public awards is a ``supplier:`` node; a rejected
supplier gives no edge. Each edge carries what the awards between the two add up to: how many,
their total and largest value in pounds, the first and last award dates, the latest contract
end and the processes behind it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import networkx as nx

from advisor.kb.models import AwardedProcess, AwardParty, KnowledgeBase


def buyer_key(process: AwardedProcess, bodies: set[str]) -> str:
    """The graph node of a process's buyer."""
    if process.buyer.match_kind == "body" and process.buyer.match in bodies:
        return f"body:{process.buyer.match}"
    slug = re.sub(r"[^a-z0-9]+", "_", process.buyer.name.lower()).strip("_")[:80]
    return f"buyer:{slug or 'unnamed'}"


def supplier_key(party: AwardParty, kb_suppliers: dict[str, Any], vendors: set[str]) -> str | None:
    """The graph node of a supplier: a vendor, a supplier from public awards, or none."""
    if party.match_kind == "vendor" and party.match in vendors:
        return f"vendor:{party.match}"
    if party.match_kind == "supplier" and party.match in kb_suppliers:
        entry = kb_suppliers[party.match]
        if entry.status == "rejected":
            return None
        if entry.status == "merged" and entry.merged_into in vendors:
            return f"vendor:{entry.merged_into}"
        return f"supplier:{party.match}"
    return None


@dataclass
class _Sum:
    awards: int = 0
    value_gbp: int = 0
    largest_gbp: int = 0
    first: date | None = None
    last: date | None = None
    ends: date | None = None
    processes: list[str] = field(default_factory=list)


def add_award_edges(g: nx.MultiDiGraph, kb: KnowledgeBase) -> None:
    """Add the buyers, suppliers and ``bought_from`` edges of the knowledge base's awards."""
    if not kb.awards:
        return
    bodies = {b.id for b in kb.bodies}
    vendors = {v.id for v in kb.vendors}
    suppliers = {s.id: s for s in kb.suppliers}
    sums: dict[tuple[str, str], _Sum] = {}
    for process in kb.awards:
        src = buyer_key(process, bodies)
        if src not in g:
            g.add_node(
                src,
                kind="buyer",
                ref=src.split(":", 1)[1],
                label=process.buyer.name,
                org_kind=process.buyer_kind.value if process.buyer_kind else "",
            )
        for award in process.awards:
            for party in award.suppliers:
                dst = supplier_key(party, suppliers, vendors)
                if dst is None:
                    continue
                if dst not in g:
                    ref = dst.split(":", 1)[1]
                    g.add_node(dst, kind="supplier", ref=ref, label=suppliers[ref].name)
                s = sums.setdefault((src, dst), _Sum())
                s.awards += 1
                if award.value_gbp is not None:
                    s.value_gbp += award.value_gbp
                    s.largest_gbp = max(s.largest_gbp, award.value_gbp)
                when = award.awarded_on or award.start
                if when is not None:
                    s.first = when if s.first is None else min(s.first, when)
                    s.last = when if s.last is None else max(s.last, when)
                if award.end is not None:
                    s.ends = award.end if s.ends is None else max(s.ends, award.end)
                if process.id not in s.processes:
                    s.processes.append(process.id)
    for (src, dst), s in sums.items():
        g.add_edge(
            src,
            dst,
            key="bought_from",
            type="bought_from",
            awards=s.awards,
            value_gbp=s.value_gbp,
            largest_gbp=s.largest_gbp,
            first=s.first.isoformat() if s.first else "",
            last=s.last.isoformat() if s.last else "",
            ends=s.ends.isoformat() if s.ends else "",
            processes=s.processes,
        )
