"""Notice text that would make a name read otherwise than it is, or that an entry cannot hold,
never stops an import: it is cleaned, or its process is left out and counted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from awards_paths import REAL, TODAY
from pydantic import ValidationError

from advisor.awards import extract
from advisor.kb.loader import load_knowledge_base
from advisor.kb.models import AwardParty
from advisor.services import awards
from advisor.services.awards import REFUSED, import_awards_to_folder


def _feed(tmp_path: Path, supplier: str) -> Path:
    """The first three real releases, the first one's supplier renamed."""
    package = json.loads(REAL.read_text(encoding="utf-8"))
    package["releases"] = package["releases"][:3]
    first = package["releases"][0]
    named = [p for p in first["parties"] if "supplier" in p.get("roles", [])]
    named += [s for a in first.get("awards", []) for s in a.get("suppliers", [])]
    assert named, "the first release names a supplier"
    for party in named:
        party["name"] = supplier
    path = tmp_path / "feed.json"
    path.write_text(json.dumps(package), encoding="utf-8")
    return path


def test_direction_controls_and_broken_characters_are_taken_out(
    kb_copy: Path, tmp_path: Path
) -> None:
    feed = _feed(tmp_path, "Reversed \u202eSupplier\u2066 Ltd\ud800")
    summary = import_awards_to_folder(kb_copy, [feed], today=TODAY)
    assert summary.imported == 3
    assert REFUSED not in summary.skipped
    names = {s.name for s in load_knowledge_base(kb_copy).suppliers}
    assert "Reversed Supplier Ltd" in names


def test_a_process_an_entry_cannot_hold_is_left_out_and_counted(
    kb_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = extract.process_from_release

    def refusing(compiled: dict[str, object], *args: object, **kwargs: object) -> object:
        if str(compiled["ocid"]).endswith("9c16-bbd0e5933625"):  # the first release's process
            AwardParty(name="\u202e")  # what validation says of text no rule cleaned
        return real(compiled, *args, **kwargs)  # type: ignore[arg-type]

    with pytest.raises(ValidationError):
        AwardParty(name="\u202e")
    monkeypatch.setattr(awards, "process_from_release", refusing)
    summary = import_awards_to_folder(kb_copy, [_feed(tmp_path, "Plain Supplier Ltd")], today=TODAY)
    assert summary.skipped[REFUSED] == 1
    assert summary.imported == 2
