"""Side-by-side comparison of two or more assessments (different bodies, or one over time).

``compare`` lines up their profiles and recommendations as plain rows: one row per figure,
one column per assessment, ready for a table or a chart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from advisor.errors import InputError
from advisor.recommendation import Recommendation
from advisor.vocabulary import AREA_NAMES, BarrierId, TechnologyAreaId

ADVICE_ROWS = (
    ("Best-fitting delivery model", "delivery_models"),
    ("Top gap", "gaps"),
    ("Top vendor", "vendors"),
    ("Closest case study", "case_studies"),
    ("Procurement route", "procurement_routes"),
)
"""The first item of these recommendation lists is compared, under these names."""


@dataclass(frozen=True)
class Compared:
    """An assessment to compare: a column label and its recommendation."""

    label: str
    recommendation: Recommendation


@dataclass(frozen=True)
class Comparison:
    columns: list[str]
    maturity: list[dict[str, str | float]]
    """One row per technology area (plus 'Overall'): {'figure': name, <column>: level}."""
    barriers: list[dict[str, str | float]]
    """One row per barrier: {'figure': name, <column>: severity 0-4}."""
    advice: list[dict[str, str | float]]
    """Best delivery model, top gap, top vendor and procurement route per column."""


def _unique_labels(labels: Sequence[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def _first(items: Sequence[object]) -> str:
    return str(getattr(items[0], "name", "")) if items else "none"


def compare(items: Sequence[Compared]) -> Comparison:
    """Line up two or more assessments; fewer than two is a bad request."""
    if len(items) < 2:
        raise InputError.single("comparison", "assessments", "choose at least two to compare")
    cols = _unique_labels([i.label for i in items])
    maturity: list[dict[str, str | float]] = []
    for area in TechnologyAreaId:
        row: dict[str, str | float] = {"figure": AREA_NAMES[area]}
        for col, item in zip(cols, items, strict=True):
            row[col] = item.recommendation.maturity.areas.get(area.value, 1)
        maturity.append(row)
    overall: dict[str, str | float] = {"figure": "Overall"}
    for col, item in zip(cols, items, strict=True):
        overall[col] = item.recommendation.maturity.overall
    maturity.append(overall)
    barriers: list[dict[str, str | float]] = []
    for barrier in BarrierId:
        brow: dict[str, str | float] = {"figure": barrier.value.capitalize()}
        for col, item in zip(cols, items, strict=True):
            brow[col] = item.recommendation.profile.barriers.get(barrier)
        barriers.append(brow)
    advice: list[dict[str, str | float]] = []
    for figure, attribute in ADVICE_ROWS:
        arow: dict[str, str | float] = {"figure": figure}
        for col, item in zip(cols, items, strict=True):
            arow[col] = _first(getattr(item.recommendation, attribute))
        advice.append(arow)
    return Comparison(cols, maturity, barriers, advice)
