"""Awards as evidence in the advice: peers that bought for the need, track records, contracts
ending soon, with notice links; bought_from edges in the graph; nothing without awards."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from awards_paths import PERSONA, TODAY
from typer.testing import CliRunner

from advisor.cli import app
from advisor.errors import InputError
from advisor.kb.graph import build_graph
from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.kb.rule_files import rule_files_from_texts
from advisor.pipeline import recommend_file

CAMDEN_NOTICE = "https://www.find-tender.service.gov.uk/Notice/000202-2025"


def test_peers_track_records_and_contracts_ending_soon(kb_with_awards: Path) -> None:
    rec = recommend_file(PERSONA, kb_with_awards, today=TODAY).recommendation
    market = rec.market
    assert market is not None
    assert market.awards_on_file == 17
    assert "Data aggregation and sharing" in market.areas
    camden = next(p for p in market.peers if p.buyer == "London Borough of Camden")
    assert camden.notice_url == CAMDEN_NOTICE
    assert camden.suppliers == ["Meeco"]
    assert (camden.value_gbp, camden.ends_on, camden.framework) == (
        1_200_000,
        "2027-04-30",
        "G-Cloud",
    )
    assert camden.why == [
        "London Borough of Camden bought \u201cResident data platform\u201d from Meeco in April "
        "2025 for £1.2m through G-Cloud; the contract runs to April 2027"
    ]
    # contracts ending in the next 12 months, soonest first; the body's own are left out
    ends = [p.ends_on for p in market.ending_soon]
    assert ends == sorted(ends)
    assert all(TODAY.isoformat() <= e < "2027-12-01" for e in ends if e)
    assert CAMDEN_NOTICE in [p.notice_url for p in market.ending_soon]
    assert all(p.buyer != "Kirklees Council" for p in market.peers)
    # the shortlisted vendor's public-sector track record is a reason on its item
    meeco = next(v for v in rec.vendors if v.id == "meeco")
    assert any(r.kind == "public_track_record" for r in meeco.reasons)
    assert (
        "Meeco won one council contract for data aggregation and sharing in 2025, worth £1.2m "
        "(Resident data platform, London Borough of Camden) in public contract notices"
    ) in meeco.why
    unreviewed = [t for t in market.track_records if not t.reviewed]
    assert all("not yet reviewed" in t.why[0] for t in unreviewed)


def test_assess_json_carries_market(kb_with_awards: Path) -> None:
    result = CliRunner().invoke(
        app, ["assess", str(PERSONA), "--kb", str(kb_with_awards), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["market"]["awards_on_file"] == 17
    assert CAMDEN_NOTICE in [p["notice_url"] for p in data["market"]["peers"]]
    meeco = next(v for v in data["vendors"] if v["id"] == "meeco")
    assert "public_track_record" in [r["kind"] for r in meeco["reasons"]]


def test_bought_from_edges_carry_value_and_dates(kb_with_awards: Path) -> None:
    g = build_graph(load_knowledge_base(kb_with_awards))
    edge = g.get_edge_data("body:camden_council", "vendor:meeco", key="bought_from")
    assert edge["value_gbp"] == 1_200_000
    assert (edge["first"], edge["ends"]) == ("2025-04-01", "2027-04-30")
    assert edge["processes"] == ["ocds_h6vhtk_0c1a01"]
    assert g.nodes["buyer:london_borough_of_merton"]["kind"] == "buyer"


def test_no_awards_no_market() -> None:
    rec = recommend_file(PERSONA, today=TODAY).recommendation
    assert rec.market is None


def test_contracts_ending_soon_follow_the_knowledge_bases_own_window(
    kb_with_awards: Path, tmp_path: Path
) -> None:
    own = tmp_path / "kb"
    shutil.copytree(kb_with_awards, own)
    rules = own / "market.yaml"
    rules.write_text(
        re.sub(r"(?m)^ending_soon_months: \d+$", "ending_soon_months: 60", rules.read_text())
    )
    usual = recommend_file(PERSONA, kb_with_awards, today=TODAY).recommendation.market
    wide = recommend_file(PERSONA, own, today=TODAY).recommendation.market
    assert usual is not None
    assert wide is not None
    assert all(p.ends_on < "2027-12-01" for p in usual.ending_soon if p.ends_on)
    later = [p.ends_on for p in wide.ending_soon if p.ends_on and p.ends_on >= "2027-12-01"]
    assert later, "a five-year window takes in contracts ending after the next twelve months"


def test_stored_market_rules_travel_with_the_other_rule_files() -> None:
    text = (BUNDLED_KB_DIR / "market.yaml").read_text()
    stored = re.sub(r"(?m)^ending_soon_months: \d+$", "ending_soon_months: 3", text)
    assert rule_files_from_texts({"market.yaml": stored}).market.ending_soon_months == 3
    assert rule_files_from_texts({}).market.ending_soon_months == 12
    with pytest.raises(InputError) as err:
        rule_files_from_texts({"market.yaml": "ending_soon_months: 0\n"}, where="revision 4")
    assert "revision 4/market.yaml" in str(err.value)
