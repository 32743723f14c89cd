"""Graph paths for explanations: built from real edges, rendered as readable text."""

from __future__ import annotations

import networkx as nx

from advisor.kb.graph import has_edge, label
from advisor.recommendation import PathStep

EDGE_WORDS: dict[str, str] = {
    "offers": "offers",
    "covers_area": "covers",
    "in_layer": "in layer",
    "fits_model": "fits",
    "addresses_barrier": "addresses",
    "on_framework": "on",
    "used_in": "used in",
    "partner_of": "partner in",
    "led": "led",
    "partner_in": "partner in",
    "funded": "funded",
    "overcomes_barrier": "overcame",
    "involves_touchpoint": "involves",
    "realises": "realises",
    "needs_area": "needs",
    "faces_barrier": "faces",
    "mitigates": "eases",
    "shown_in": "shown in",
    "helps_with": "helps with",
    "suits_area": "suits",
    "uses_framework": "uses",
}


def step(g: nx.MultiDiGraph, src: str, edge: str, dst: str) -> PathStep:
    """A path step; refuses an edge the graph does not hold (explanations never invent)."""
    if not has_edge(g, src, edge, dst):
        raise ValueError(f"no edge {src} -{edge}-> {dst}")
    return PathStep(src=src, edge=edge, dst=dst)


def walk_text(g: nx.MultiDiGraph, steps: list[PathStep], start_text: str | None = None) -> str:
    """Render a walk along steps, e.g. ``gap: X (level 1) <-covers- Y <-offers- Z``.

    The walk starts at the first step's end that is not shared with the second step.
    """
    if not steps:
        return ""
    first = steps[0]
    if len(steps) > 1 and first.src in (steps[1].src, steps[1].dst):
        current = first.dst
    else:
        current = first.src
    out = start_text or label(g, current)
    for s in steps:
        word = EDGE_WORDS.get(s.edge, s.edge)
        if s.src == current:
            out += f" -{word}-> {label(g, s.dst)}"
            current = s.dst
        else:
            out += f" <-{word}- {label(g, s.src)}"
            current = s.src
    return out
