"""Award fixtures: real Contracts Finder releases (trimmed, OCIDs kept) and constructed cases."""

from __future__ import annotations

import shutil
from datetime import date
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


@pytest.fixture(scope="module")
def kb_with_awards(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge base with the fixtures' awards imported into its files."""
    from advisor.services.awards import import_awards_to_folder

    target = tmp_path_factory.mktemp("market") / "kb"
    shutil.copytree(BUNDLED_KB_DIR, target, ignore=shutil.ignore_patterns("awards", "suppliers"))
    import_awards_to_folder(target, [REAL, CONSTRUCTED], today=TODAY)
    return target


TODAY = date(2026, 12, 1)
PERSONA = Path(__file__).parents[1] / "personas" / "kirklees_grant.yaml"
