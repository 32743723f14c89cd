"""The knowledge graph, its export, the synthetic catalogue and the health report."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.kb.graph import EDGE_TYPES, build_graph, export_graph, has_edge, neighbourhood
from advisor.kb.health import knowledge_base_health
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base, load_knowledge_base_result
from advisor.kb.models import KnowledgeBase
from advisor.kb.synth import SynthSize, write_synthetic_knowledge_base
from advisor.kb.validation import validate_folder


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge_base(BUNDLED_KB_DIR)


@pytest.fixture(scope="module")
def graph(kb: KnowledgeBase) -> nx.MultiDiGraph:
    return build_graph(kb)


def test_every_entry_is_a_typed_node(kb: KnowledgeBase, graph: nx.MultiDiGraph) -> None:
    for v in kb.vendors:
        assert graph.nodes[f"vendor:{v.id}"]["kind"] == "vendor"
        for off in v.offerings:
            assert has_edge(graph, f"vendor:{v.id}", "offers", f"offering:{off.id}")
    for cs in kb.case_studies:
        assert graph.nodes[f"case_study:{cs.id}"]["label"] == cs.name
    assert {t for _, _, t in graph.edges(keys=True)} <= set(EDGE_TYPES)


def test_sunderland_hub_is_linked_as_the_report_says(graph: nx.MultiDiGraph) -> None:
    hub = "case_study:sunderland_intelligence_hub"
    assert has_edge(graph, "vendor:palantir", "partner_of", hub)
    assert has_edge(graph, hub, "fits_model", "model:strategic_platform")
    assert has_edge(graph, hub, "fits_model", "model:digital_hit_team")
    leaders = [s for s, _, t in graph.in_edges(hub, keys=True) if t == "led"]
    assert leaders == ["body:sunderland_city_council"]
    partners = {s for s, _, t in graph.in_edges(hub, keys=True) if t == "partner_in"}
    assert {"body:northumbria_police", "body:northumbria_water"} <= partners


def test_neighbourhood_ignores_direction(graph: nx.MultiDiGraph) -> None:
    near = neighbourhood(graph, "offering:meeco_consent_platform")
    assert "vendor:meeco" in near  # reached against the offers edge
    assert "area:personal_identity_data_management" in near


@pytest.mark.parametrize("fmt", ["graphml", "json"])
def test_export_reads_back_with_the_same_shape(
    graph: nx.MultiDiGraph, tmp_path: Path, fmt: str
) -> None:
    path = tmp_path / f"kb.{fmt}"
    export_graph(graph, path, fmt)  # type: ignore[arg-type]
    if fmt == "graphml":
        back = nx.read_graphml(path, force_multigraph=True)
    else:
        back = nx.node_link_graph(json.loads(path.read_text("utf-8")), edges="links")
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["vendor:meeco"]["kind"] == "vendor"


def test_synthetic_catalogue_is_valid_sized_and_reproducible(tmp_path: Path) -> None:
    size = SynthSize(vendors=40, offerings=120, case_studies=15, bodies=20)
    first, second = tmp_path / "a", tmp_path / "b"
    write_synthetic_knowledge_base(first, size, seed=7)
    write_synthetic_knowledge_base(second, size, seed=7)
    result = load_knowledge_base_result(first)
    assert result.problems == []
    assert validate_folder(first) == []  # a whole knowledge base, rule files included
    assert len(result.kb.vendors) == 40
    assert sum(len(v.offerings) for v in result.kb.vendors) == 120
    assert len(result.kb.case_studies) == 15
    assert sum(v.sme for v in result.kb.vendors) > 20  # mostly SMEs, like G-Cloud
    for path in sorted(first.rglob("*.yaml")):
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes(), path


def test_health_flags_expired_routes_and_old_reviews(
    kb: KnowledgeBase, graph: nx.MultiDiGraph
) -> None:
    health = knowledge_base_health(kb, graph, date(2026, 11, 24))
    stale = {(s.kind, s.id) for s in health.stale}
    expired = {r.id for r in kb.procurement_routes if r.valid_until < date(2026, 11, 24)}
    assert {("procurement_route", r) for r in expired} <= stale
    assert not any(kind == "vendor" for kind, _ in stale)
    later = knowledge_base_health(kb, graph, date(2028, 6, 1))
    assert sum(s.kind == "vendor" for s in later.stale) == len(kb.vendors)
    assert health.counts["offerings"] == sum(len(v.offerings) for v in kb.vendors)


def test_stats_command_prints_counts() -> None:
    result = CliRunner().invoke(app, ["kb", "stats", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["counts"]["vendors"] >= 27
    assert data["graph_edges"] > data["graph_nodes"]


def test_edges_share_their_dicts_and_changing_one_pair_leaves_the_others(
    kb: KnowledgeBase,
) -> None:
    g = build_graph(kb)  # its own graph: this test changes it
    offers = [(u, v) for u, v, k in g.edges(keys=True) if k == "offers"]
    (u1, v1), (u2, v2) = offers[:2]
    assert g.edges[u1, v1, "offers"] is g.edges[u2, v2, "offers"]  # one attribute dict a type
    assert g.succ[u1][v1] == {"offers": {"type": "offers"}}
    before = sorted(g.edges(keys=True, data=True))
    g.add_edge(u1, v1, key="offers", note="changed")
    g.add_edge(u1, v1, key="partner_of", type="partner_of")
    assert g.edges[u1, v1, "offers"] == {"type": "offers", "note": "changed"}
    assert g.edges[u2, v2, "offers"] == {"type": "offers"}
    assert set(g.succ[u2][v2]) == {"offers"}
    g.remove_edge(u1, v1, key="partner_of")
    g.remove_edge(u2, v2, key="offers")
    assert set(g.succ[u1][v1]) == {"offers"}
    assert not g.has_edge(u2, v2)
    after = sorted(g.edges(keys=True, data=True))
    assert len(after) == len(before) - 1
    changed = {(u1, v1, "offers"), (u2, v2, "offers")}
    assert [e for e in after if e[:3] not in changed] == [e for e in before if e[:3] not in changed]
    # a copy (as neighbourhood and export make) shares nothing with the graph
    near = neighbourhood(g, u1)
    assert near.edges[u1, v1, "offers"] is not g.edges[u1, v1, "offers"]
