"""Award fixtures: real Contracts Finder releases (trimmed, OCIDs kept) and constructed cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.kb.loader import BUNDLED_KB_DIR

FIXTURES = Path(__file__).parent / "fixtures"
REAL = FIXTURES / "contracts_finder_2025.json"
CONSTRUCTED = FIXTURES / "constructed.jsonl"
NEWER = FIXTURES / "newer_record_package.json"


@pytest.fixture
def kb_copy(tmp_path: Path) -> Path:
    """A copy of the bundled knowledge base to import into."""
    target = tmp_path / "kb"
    shutil.copytree(BUNDLED_KB_DIR, target, ignore=shutil.ignore_patterns("awards", "suppliers"))
    return target
