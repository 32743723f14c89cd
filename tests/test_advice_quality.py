"""Advice quality holds: the labelled needs still find the report's case studies and vendors.

The figures come from ``benchmarks/bench_advice.py`` over ``benchmarks/advice_eval/needs.yaml``
(see docs/method.md, "How good the advice is"). Floors are the targets the need-first ranking
meets (hit rates of 0.9) and its measured mean reciprocal ranks, rounded down; raise them when
the advice gets better, never lower them to let a change through.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
from advisor.profile import Profile

FLOORS = {
    "case_hit_at_3": 0.9,
    "vendor_hit_at_5": 0.9,
    "case_mrr": 0.77,
    "vendor_mrr": 0.74,
}
"""Each figure must stay at or above its floor."""

CEILINGS = {
    "diversity_share": 0.4,
}
"""Share of runs whose top five holds the most frequent vendor: must stay at or below this."""

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench_advice.py"


def _bench() -> ModuleType:
    name = "bench_advice"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def evaluation(bench: ModuleType) -> Any:
    return bench.evaluate()


@pytest.fixture(scope="module")
def spec(bench: ModuleType) -> dict[str, Any]:
    data: dict[str, Any] = bench.load_needs()
    return data


@pytest.mark.parametrize("figure", sorted(FLOORS))
def test_figure_stays_above_its_floor(evaluation: Any, figure: str) -> None:
    value = evaluation.headline()[figure]
    assert value >= FLOORS[figure], (
        f"{figure} fell to {value:.4f}, below its floor {FLOORS[figure]}; "
        f"needs missed: {[m.id for m in evaluation.misses]}"
    )


@pytest.mark.parametrize("figure", sorted(CEILINGS))
def test_figure_stays_below_its_ceiling(evaluation: Any, figure: str) -> None:
    value = evaluation.headline()[figure]
    assert value <= CEILINGS[figure], (
        f"{figure} rose to {value:.4f}, above its ceiling {CEILINGS[figure]} "
        f"({evaluation.top_vendor} in most top fives)"
    )


def test_needs_file_is_well_formed(spec: dict[str, Any]) -> None:
    kb = load_knowledge_base(BUNDLED_KB_DIR)
    vendor_ids = {v.id for v in kb.vendors}
    case_ids = {c.id for c in kb.case_studies}
    needs = spec["needs"]
    assert len(needs) >= 40
    assert len(spec["bodies"]) >= 16
    ids = [n["id"] for n in needs]
    assert len(ids) == len(set(ids)), "need ids must be unique"
    for need in needs:
        where = f"need {need['id']}"
        assert str(need.get("need", "")).strip(), f"{where}: no need text"
        assert str(need.get("why", "")).strip(), f"{where}: no why"
        cases = need.get("case_studies") or []
        vendors = need.get("vendors") or []
        assert 1 <= len(vendors) <= 4, f"{where}: label 1 to 4 vendors"
        assert len(cases) <= 3, f"{where}: label at most 3 case studies"
        assert set(cases) <= case_ids, f"{where}: unknown case studies {set(cases) - case_ids}"
        assert set(vendors) <= vendor_ids, f"{where}: unknown vendors {set(vendors) - vendor_ids}"
    labelled_cases = {c for n in needs for c in n.get("case_studies") or []}
    assert labelled_cases == case_ids, (
        f"case studies no need points to: {case_ids - labelled_cases}"
    )
    assert sum(1 for n in needs if n.get("case_studies")) >= 40


def test_every_profile_in_the_set_is_valid(bench: ModuleType, spec: dict[str, Any]) -> None:
    for need in spec["needs"]:
        profile = Profile.model_validate(bench.need_profile(spec["base_profile"], need))
        assert profile.goals == [need["need"]]
    kinds = set()
    for body in spec["bodies"]:
        kinds.add(Profile.model_validate(body).organisation.kind.value)
    assert {"district", "county", "unitary", "metropolitan", "london_borough"} <= kinds
    assert {"central_government", "agency"} <= kinds
