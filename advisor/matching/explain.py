"""Graph paths for reasons: built only from edges the graph really holds."""

from __future__ import annotations

import networkx as nx

from advisor.kb.graph import has_edge
from advisor.recommendation import PathStep


def step(g: nx.MultiDiGraph, src: str, edge: str, dst: str) -> PathStep:
    """A path step; refuses an edge the graph does not hold (explanations never invent)."""
    if not has_edge(g, src, edge, dst):
        raise ValueError(f"no edge {src} -{edge}-> {dst}")
    return PathStep(src=src, edge=edge, dst=dst)
