"""The knowledge-graph explorer: find an entry by name and describe its neighbourhood.

Pure functions over the graph from ``advisor.kb.graph.build_graph``. The picture is Graphviz
DOT text with every label quoted and escaped, so entry names stay plain text when drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from advisor.explaining import link_back, link_forward
from advisor.kb.graph import EDGE_TYPES, neighbourhood

SEARCHABLE_KINDS: dict[str, str] = {
    "vendor": "Vendor",
    "offering": "Offering",
    "case_study": "Case study",
    "area": "Technology area",
    "barrier": "Barrier",
    "model": "Delivery model",
    "body": "Public body or partner",
    "opportunity": "Opportunity",
    "touchpoint": "Touchpoint",
    "mitigation": "Mitigation",
    "route": "Procurement route",
    "framework": "Framework",
    "layer": "Layer",
    "recommendation": "Recommendation of the report",
}
"""Kinds of entry the explorer finds, with their names in plain English."""

_KIND_COLOURS = {
    "vendor": "#1d4e89",
    "offering": "#4a78b5",
    "case_study": "#2a7f62",
    "area": "#8a5a00",
    "barrier": "#a3313b",
    "model": "#6b3fa0",
    "body": "#3d5a66",
}
MAX_PICTURE_NODES = 60
"""Above this many neighbours the picture shows the nearest ones only (the table has all)."""


@dataclass(frozen=True)
class NodeHit:
    key: str
    kind: str
    kind_name: str
    label: str


@dataclass(frozen=True)
class Link:
    """One edge touching the centre, read as a sentence."""

    other_key: str
    other_label: str
    other_kind: str
    relation: str
    """e.g. 'offers', or 'is offered by' for an edge pointing at the centre."""
    meaning: str


@dataclass(frozen=True)
class Neighbourhood:
    centre: NodeHit
    links: list[Link]
    dot: str
    """Graphviz DOT source of the picture."""
    shown: int
    """Nodes drawn (at most MAX_PICTURE_NODES + 1)."""


def _hit(graph: nx.MultiDiGraph, key: str) -> NodeHit:
    attrs = graph.nodes[key]
    kind = str(attrs["kind"])
    return NodeHit(key, kind, SEARCHABLE_KINDS.get(kind, kind), str(attrs["label"]))


def search_nodes(
    graph: nx.MultiDiGraph, query: str, kinds: list[str] | None = None, limit: int = 25
) -> list[NodeHit]:
    """Entries whose name (or id) contains the query, best first: exact, prefix, then other."""
    text = query.strip().lower()
    wanted = set(kinds or SEARCHABLE_KINDS)
    ranked: list[tuple[int, str, str]] = []
    for key, attrs in graph.nodes(data=True):
        if attrs["kind"] not in wanted:
            continue
        name = str(attrs["label"]).lower()
        ref = str(attrs["ref"]).lower()
        if not text:
            rank = 3
        elif name == text or ref == text:
            rank = 0
        elif name.startswith(text):
            rank = 1
        elif text in name or text in ref:
            rank = 2
        else:
            continue
        ranked.append((rank, name, key))
    ranked.sort()
    return [_hit(graph, key) for _, _, key in ranked[:limit]]


def dot_quote(text: str) -> str:
    """A DOT double-quoted string: quotes, backslashes and line breaks escaped."""
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"')
    cleaned = cleaned.replace("\r", " ").replace("\n", " ")
    return f'"{cleaned}"'


def _wrap(label: str, width: int = 22) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def _dot(graph: nx.MultiDiGraph, centre: str, keys: list[str]) -> str:
    lines = [
        "digraph neighbourhood {",
        '  graph [rankdir=LR, bgcolor="transparent", fontname="Helvetica"];',
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10,'
        ' fillcolor="#f4f6f8", color="#9aa5b1"];',
        '  edge [fontname="Helvetica", fontsize=8, color="#9aa5b1", fontcolor="#5f6b7a"];',
    ]
    index = {key: f"n{i}" for i, key in enumerate(keys)}
    for key in keys:
        attrs = graph.nodes[key]
        kind = str(attrs["kind"])
        colour = _KIND_COLOURS.get(kind, "#5f6b7a")
        kind_name = SEARCHABLE_KINDS.get(kind, kind)
        text = f"{_wrap(str(attrs['label']))}\n({kind_name.lower()})"
        # dot_quote flattens line breaks, so wrap with DOT's own \n escape afterwards
        label = dot_quote(text.replace("\n", "\u2028")).replace("\u2028", "\\n")
        style = (
            f', fillcolor="{colour}", fontcolor="white", penwidth=2'
            if key == centre
            else f', color="{colour}"'
        )
        lines.append(f"  {index[key]} [label={label}{style}];")
    for src, dst, edge_type in graph.subgraph(keys).edges(keys=True):
        if centre in (src, dst):
            lines.append(
                f"  {index[src]} -> {index[dst]} [label={dot_quote(link_forward(str(edge_type)))}];"
            )
    lines.append("}")
    return "\n".join(lines)


def explore(graph: nx.MultiDiGraph, key: str) -> Neighbourhood:
    """The entry, every edge touching it in words, and a picture of its nearest neighbours."""
    if key not in graph:
        raise KeyError(key)
    links: list[Link] = []
    for _, dst, edge_type in graph.out_edges(key, keys=True):
        attrs = graph.nodes[dst]
        links.append(
            Link(
                dst,
                str(attrs["label"]),
                str(attrs["kind"]),
                link_forward(str(edge_type)),
                EDGE_TYPES.get(str(edge_type), ""),
            )
        )
    for src, _, edge_type in graph.in_edges(key, keys=True):
        attrs = graph.nodes[src]
        links.append(
            Link(
                src,
                str(attrs["label"]),
                str(attrs["kind"]),
                link_back(str(edge_type)),
                EDGE_TYPES.get(str(edge_type), ""),
            )
        )
    links.sort(key=lambda link: (link.relation, link.other_label.lower()))
    near = [k for k in neighbourhood(graph, key, radius=1).nodes if k != key]
    near.sort(key=lambda k: str(graph.nodes[k]["label"]).lower())
    drawn = [key, *near[:MAX_PICTURE_NODES]]
    return Neighbourhood(_hit(graph, key), links, _dot(graph, key, drawn), len(drawn))
