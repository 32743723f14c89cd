"""Paths and dates the award tests share (a module of its own: tests/store has a conftest too)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "contracts_finder_2025.json"
CONSTRUCTED = FIXTURES / "constructed.jsonl"
NEWER = FIXTURES / "newer_record_package.json"
TODAY = date(2026, 12, 1)
PERSONA = Path(__file__).parents[1] / "personas" / "kirklees_grant.yaml"
