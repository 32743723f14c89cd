"""The knowledge graph: typed nodes and typed edges built from a KnowledgeBase.

Node keys are ``"<kind>:<id>"`` (e.g. ``vendor:meeco``, ``area:security``); every node carries
``kind``, ``ref`` (the entry id) and ``label`` (a readable name). Edges carry ``type``, one of
``EDGE_TYPES``; the graph is a ``networkx.MultiDiGraph`` keyed by edge type, so two nodes can
be linked in more than one way.

A built graph is shared (cached per process and on disk): read it, do not change it in place.
Its edges share what they can (see ``KnowledgeGraph``).
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import networkx as nx

from advisor.kb.award_graph import add_award_edges
from advisor.kb.loader import paused_gc
from advisor.kb.models import KnowledgeBase
from advisor.vocabulary import FrameworkId
from advisor.yamlio import write_bytes_atomic

EDGE_TYPES: dict[str, str] = {
    "offers": "vendor offers an offering",
    "covers_area": "offering or case study covers a technology area",
    "in_layer": "technology area or case study sits in a layer",
    "fits_model": "offering, case study or mitigation fits a delivery model",
    "addresses_barrier": "offering addresses a barrier",
    "on_framework": "vendor can be bought from through a framework",
    "used_in": "offering was used in a case study",
    "partner_of": "vendor was a partner in a case study",
    "led": "body led a case study",
    "partner_in": "body was a partner in a case study",
    "funded": "body funded a case study",
    "overcomes_barrier": "case study overcame a barrier",
    "involves_touchpoint": "case study or opportunity involves a touchpoint",
    "realises": "case study realises an opportunity",
    "needs_area": "opportunity, touchpoint or mitigation needs a technology area",
    "faces_barrier": "opportunity faces a barrier",
    "mitigates": "mitigation eases a barrier",
    "shown_in": "mitigation is shown working in a case study",
    "helps_with": "delivery model helps with a barrier",
    "suits_area": "procurement route suits a technology area",
    "uses_framework": "procurement route buys through a framework",
    "bought_from": "body bought from a vendor or supplier (public contract awards)",
}
"""Every edge type, with what it means (shown in explanations and the explorer)."""

NodeKind = Literal[
    "barrier",
    "model",
    "layer",
    "area",
    "body",
    "vendor",
    "offering",
    "case_study",
    "touchpoint",
    "opportunity",
    "mitigation",
    "route",
    "recommendation",
    "framework",
    "buyer",
    "supplier",
]

FRAMEWORK_NAMES: dict[FrameworkId, str] = {
    FrameworkId.g_cloud: "G-Cloud",
    FrameworkId.digital_outcomes: "Digital Outcomes and Specialists",
    FrameworkId.digital_specialists_programmes: "Digital Specialists and Programmes",
    FrameworkId.technology_services: "Technology Services",
    FrameworkId.technology_products: "Technology Products",
    FrameworkId.crown_hosting: "Crown Hosting",
    FrameworkId.vertical_application_solutions: "Vertical Application Solutions",
}


class KnowledgeGraph(nx.MultiDiGraph):  # type: ignore[misc]  # networkx has no types
    """The knowledge graph's class: a ``MultiDiGraph`` whose edges share what they can.

    A catalogue gives hundreds of thousands of edges, nearly all the only edge between their
    two nodes: every edge of a type carries the same attribute dict, and every pair of nodes
    linked by one edge of a type the same key dict (a dict each cost about 130 MB at 20,000
    vendors). ``add_edge`` and ``remove_edge`` (and so ``add_edges_from``,
    ``remove_edges_from``) first give the pair its own copies; writing into an edge's
    attributes in place (``g.edges[u, v, k]["x"] = ...``) would change every edge of its type.
    """

    def _own_edges(self, u: Any, v: Any) -> None:
        keydict = self._succ.get(u, {}).get(v)
        if keydict is not None:
            own = {key: dict(data) for key, data in keydict.items()}
            self._succ[u][v] = own
            self._pred[v][u] = own

    def add_edge(self, u_for_edge: Any, v_for_edge: Any, key: Any = None, **attr: Any) -> Any:
        self._own_edges(u_for_edge, v_for_edge)
        return super().add_edge(u_for_edge, v_for_edge, key, **attr)

    def remove_edge(self, u: Any, v: Any, key: Any = None) -> None:
        self._own_edges(u, v)
        super().remove_edge(u, v, key)


def node_key(kind: NodeKind, ref: str) -> str:
    """The graph key of a knowledge-base entry."""
    return f"{kind}:{ref}"


def build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    """Build the knowledge graph from a loaded (already validated) knowledge base."""
    with paused_gc():
        return _build_graph(kb)


def _build_graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    g = KnowledgeGraph()
    # filled in directly, as add_nodes_from and add_edge would (a catalogue has hundreds of
    # thousands of edges: one add_edge call each took most of the build)
    node_attrs: dict[str, dict[str, Any]] = g._node
    succ: dict[str, dict[str, dict[str, dict[str, str]]]] = g._succ
    pred: dict[str, dict[str, dict[str, dict[str, str]]]] = g._pred
    # every edge of a type carries the same attributes, and a pair of nodes linked by one edge
    # of a type the same key dict: one of each per type, shared (see KnowledgeGraph)
    edge_data = {edge_type: {"type": edge_type} for edge_type in EDGE_TYPES}
    only = {edge_type: {edge_type: data} for edge_type, data in edge_data.items()}
    later: list[tuple[str, str, str]] = []
    """Edges to a node not made yet: added once every node is there."""
    joined: dict[str, str] = {}

    def node(kind: NodeKind, ref: str, label: str, **attrs: Any) -> str:
        key = node_key(kind, ref)
        data = {"kind": kind, "ref": ref, "label": label, **attrs}
        known = node_attrs.get(key)
        if known is None:
            node_attrs[key] = data
            succ[key] = {}
            pred[key] = {}
        else:
            known.update(data)
        return key

    def link(src: str, edge_type: str, targets: Iterable[str]) -> None:
        out = succ.get(src)
        for dst in targets:
            back = pred.get(dst)
            if out is None or back is None:
                later.append((src, dst, edge_type))
                continue
            keydict = out.get(dst)
            if keydict is None:
                out[dst] = back[src] = only[edge_type]
            elif edge_type not in keydict:  # a second type between the two: its own key dict
                out[dst] = back[src] = {**keydict, edge_type: edge_data[edge_type]}

    def keys(kind: NodeKind, refs: Iterable[str]) -> list[str]:
        prefix = kind + ":"
        return [prefix + r for r in refs]

    for fw, name in FRAMEWORK_NAMES.items():
        node("framework", fw.value, name)
    for b in kb.barriers:
        node("barrier", b.id.value, b.name)
    for layer in kb.layers:
        node("layer", layer.id.value, layer.name)
    for m in kb.delivery_models:
        key = node("model", m.id.value, m.name)
        link(key, "helps_with", keys("barrier", m.helps_with))
    for a in kb.technology_areas:
        key = node("area", a.id.value, a.name)
        link(key, "in_layer", keys("layer", a.layers))
    for body in kb.bodies:
        node(
            "body",
            body.id,
            body.name,
            org_kind=body.kind.value,
            sector=body.sector.value,
            region=body.region or "",
        )
    for v in kb.vendors:
        region = ", ".join(v.regions)
        region = joined.setdefault(region, region)  # many vendors serve the same regions
        vkey = node("vendor", v.id, v.name, sme=v.sme, region=region)
        link(vkey, "on_framework", keys("framework", v.frameworks))
        for off in v.offerings:
            okey = node("offering", off.id, off.name, vendor=v.id)
            link(vkey, "offers", [okey])
            link(okey, "covers_area", keys("area", off.technology_areas))
            link(okey, "fits_model", keys("model", off.delivery_models))
            link(okey, "addresses_barrier", keys("barrier", off.barriers_addressed))
    for t in kb.touchpoints:
        key = node("touchpoint", t.id, t.name)
        link(key, "needs_area", keys("area", t.technology_areas))
    for o in kb.opportunities:
        key = node("opportunity", o.id, o.name)
        link(key, "involves_touchpoint", keys("touchpoint", o.touchpoints))
        link(key, "needs_area", keys("area", o.technology_areas))
        link(key, "faces_barrier", keys("barrier", o.barriers))
    for cs in kb.case_studies:
        key = node("case_study", cs.id, cs.name, org_kind=cs.kind_of_body.value)
        link(key, "covers_area", keys("area", cs.technology_areas))
        link(key, "in_layer", keys("layer", cs.layers))
        link(key, "fits_model", keys("model", cs.delivery_models))
        link(key, "overcomes_barrier", keys("barrier", cs.barriers_overcome))
        link(key, "involves_touchpoint", keys("touchpoint", cs.touchpoints))
        link(key, "realises", keys("opportunity", cs.opportunities))
        for ref in cs.lead_bodies:
            link(node_key("body", ref), "led", [key])
        for ref in cs.partners:
            link(node_key("body", ref), "partner_in", [key])
        for fund in cs.funding:
            for ref in fund.funders:
                link(node_key("body", ref), "funded", [key])
        for ref in cs.vendors:
            link(node_key("vendor", ref), "partner_of", [key])
        for ref in cs.offerings:
            link(node_key("offering", ref), "used_in", [key])
    for mit in kb.mitigations:
        key = node("mitigation", mit.id, mit.name)
        link(key, "mitigates", [node_key("barrier", mit.barrier.value)])
        link(key, "needs_area", keys("area", mit.technology_areas))
        link(key, "fits_model", keys("model", mit.delivery_models))
        link(key, "shown_in", keys("case_study", mit.case_studies))
    for r in kb.procurement_routes:
        key = node("route", r.id, r.name)
        link(key, "suits_area", keys("area", r.technology_areas))
        if r.framework is not None:
            link(key, "uses_framework", [node_key("framework", r.framework.value)])
    for rec in kb.recommendations:
        node("recommendation", rec.id, rec.title)

    pending = later.copy()
    later.clear()
    for src, dst, edge_type in pending:
        link(src, edge_type, [dst])
    missing = {end for src, dst, _ in later for end in (src, dst) if end not in node_attrs}
    if missing:  # the loader's reference check should have caught these
        raise ValueError(f"edges point at unknown nodes: {sorted(missing)[:5]}")
    nx._clear_cache(g)
    add_award_edges(g, kb)
    g.graph["kb"] = kb
    return g


def label(g: nx.MultiDiGraph, key: str) -> str:
    """Readable name of a node."""
    return str(g.nodes[key]["label"])


def has_edge(g: nx.MultiDiGraph, src: str, edge_type: str, dst: str) -> bool:
    """True when the graph holds ``src -edge_type-> dst``."""
    return bool(g.has_edge(src, dst, key=edge_type))


def neighbourhood(g: nx.MultiDiGraph, key: str, radius: int = 1) -> nx.MultiDiGraph:
    """The subgraph within ``radius`` hops of a node, ignoring edge direction."""
    return nx.ego_graph(g, key, radius=radius, undirected=True)


def export_graph(g: nx.MultiDiGraph, path: Path, fmt: Literal["graphml", "json"]) -> None:
    """Write the graph as GraphML (Gephi, yEd) or node-link JSON, atomically, to a regular
    file or a new name (see ``write_bytes_atomic``)."""
    write_bytes_atomic(path, graph_bytes(g, fmt))


def graph_bytes(g: nx.MultiDiGraph, fmt: Literal["graphml", "json"]) -> bytes:
    """The graph as GraphML (Gephi, yEd) or node-link JSON."""
    if fmt == "graphml":
        plain = nx.MultiDiGraph()
        for key, attrs in g.nodes(data=True):
            plain.add_node(key, **{k: _plain(v) for k, v in attrs.items()})
        for src, dst, k, attrs in g.edges(keys=True, data=True):
            plain.add_edge(src, dst, key=k, **{a: _plain(v) for a, v in attrs.items()})
        buffer = io.BytesIO()
        nx.write_graphml(plain, buffer)
        return buffer.getvalue()
    data = nx.node_link_data(g, edges="links")
    data["graph"] = {}  # the attached knowledge base is not part of the export
    return json.dumps(data, indent=1, default=str).encode("utf-8")


def _plain(value: Any) -> str | int | float | bool:
    return value if isinstance(value, str | int | float | bool) else str(value)
