"""Award fixtures: real Contracts Finder releases (trimmed, OCIDs kept) and constructed cases."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from awards_paths import CONSTRUCTED, REAL, TODAY

from advisor.kb.loader import BUNDLED_KB_DIR


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
