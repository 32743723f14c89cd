"""``market.yaml``: validated by ``advisor kb validate`` like the other rule files, in the schema,
and read by the import (a folder's own rules over the bundled ones)."""

from __future__ import annotations

import json
from pathlib import Path

from awards_paths import CONSTRUCTED
from typer.testing import CliRunner

from advisor.cli import app
from advisor.kb.loader import load_knowledge_base
from advisor.kb.market_rules import bundled_market_rules
from advisor.services.awards import import_awards_to_folder


def test_a_bad_market_file_is_reported_with_file_line_and_field(kb_copy: Path) -> None:
    text = (kb_copy / "market.yaml").read_text()
    (kb_copy / "market.yaml").write_text(
        text.replace("ending_soon_months: 12", "ending_soon_months: 0")
    )
    result = CliRunner().invoke(app, ["kb", "validate", str(kb_copy)])
    assert result.exit_code == 1
    assert f"{kb_copy / 'market.yaml'}:" in result.output
    assert "ending_soon_months" in result.output


def test_schema_covers_market_rules() -> None:
    result = CliRunner().invoke(app, ["kb", "schema"])
    assert result.exit_code == 0, result.output
    market = json.loads(result.stdout)["files"]["market.yaml"]
    assert "cpv_areas" in market["properties"]


def test_a_folders_own_rules_decide_the_areas(kb_copy: Path) -> None:
    rules = bundled_market_rules()
    assert any(r.prefix == "723" for r in rules.cpv_areas)
    text = (kb_copy / "market.yaml").read_text()
    # without the data-services row, 72300000 falls back to "IT services" (application enablement)
    (kb_copy / "market.yaml").write_text(
        text.replace(
            '  - {prefix: "723", name: Data services, areas: [data_aggregation_sharing]}\n', ""
        )
    )
    import_awards_to_folder(kb_copy, [CONSTRUCTED])
    camden = next(a for a in load_knowledge_base(kb_copy).awards if a.id == "ocds_h6vhtk_0c1a01")
    # "data platform" in its words still gives data aggregation and sharing
    assert [a.value for a in camden.technology_areas] == [
        "data_aggregation_sharing",
        "application_enablement",
    ]
