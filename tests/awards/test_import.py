"""``advisor awards import`` into knowledge-base files: counts, matches, idempotence, bad files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from awards_expected import FIRST_NOTED, FIRST_SKIPPED, IMPORTED, check_first_import
from awards_paths import CONSTRUCTED, NEWER, REAL
from typer.testing import CliRunner

from advisor.cli import app
from advisor.kb.loader import load_knowledge_base
from advisor.kb.validation import validate_folder
from advisor.services.awards import import_awards_to_folder, review_supplier_in_folder


def _files(kb: Path) -> dict[str, str]:
    return {
        str(p.relative_to(kb)): p.read_text()
        for p in sorted(kb.rglob("*.yaml"))
        if p.parts[-2] in ("awards", "suppliers")
    }


def test_first_import_gives_the_expected_awards_and_counts(kb_copy: Path) -> None:
    summary = import_awards_to_folder(kb_copy, [REAL, CONSTRUCTED])
    assert (summary.imported, summary.updated, summary.unchanged) == (IMPORTED, 0, 0)
    assert summary.skipped == FIRST_SKIPPED
    assert summary.noted == FIRST_NOTED
    assert summary.suppliers_added == 13
    assert summary.matched["buyers matched to a body by name"] == 6
    assert validate_folder(kb_copy) == []
    check_first_import(load_knowledge_base(kb_copy))


def test_reimport_changes_nothing_and_a_newer_release_replaces_the_older(kb_copy: Path) -> None:
    import_awards_to_folder(kb_copy, [REAL, CONSTRUCTED])
    before = _files(kb_copy)
    again = import_awards_to_folder(kb_copy, [CONSTRUCTED, REAL])
    assert (again.imported, again.updated, again.unchanged) == (0, 0, IMPORTED)
    assert again.files_written == 0
    assert _files(kb_copy) == before
    newer = import_awards_to_folder(kb_copy, [NEWER])
    assert (newer.imported, newer.updated) == (0, 1)
    camden = next(a for a in load_knowledge_base(kb_copy).awards if a.id == "ocds_h6vhtk_0c1a01")
    assert camden.awards[0].value_gbp == 1_350_000
    assert str(camden.awards[0].end) == "2028-04-30"
    assert camden.awards[0].suppliers[0].name == "Meeco Ltd"  # kept by the merge
    assert camden.title == "Resident data platform"


def test_an_older_release_does_not_replace_the_newer(kb_copy: Path, tmp_path: Path) -> None:
    import_awards_to_folder(kb_copy, [NEWER])
    older = tmp_path / "older.jsonl"
    older.write_text("\n".join(CONSTRUCTED.read_text().splitlines()[:2]) + "\n")
    summary = import_awards_to_folder(kb_copy, [older])
    assert summary.skipped == {"an older release than the one already held": 1}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"releases": [{"ocid": "ocds-x-1", "date": ', "malformed JSON near byte"),
        ('{"name": "a list of tenders", "items": []}', "not OCDS"),
        ("[1, 2, 3]", "not OCDS"),
        ('{"ocid": "ocds-x-1", "id": "1", "date": "2025-01-01"}\n{"ocid": oops}\n', ":2: (line)"),
    ],
)
def test_a_bad_file_is_refused_naming_it_and_nothing_is_written(
    kb_copy: Path, tmp_path: Path, text: str, message: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(text)
    result = CliRunner().invoke(
        app, ["awards", "import", str(REAL), str(bad), "--kb", str(kb_copy)]
    )
    assert result.exit_code == 2, result.output
    assert str(bad) in result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (kb_copy / "awards").exists()


def test_cli_summary_in_plain_words(kb_copy: Path) -> None:
    result = CliRunner().invoke(
        app, ["awards", "import", str(REAL), str(CONSTRUCTED), "--kb", str(kb_copy)]
    )
    assert result.exit_code == 0, result.output
    assert "17 process(es) imported, 0 updated, 0 unchanged" in result.output
    assert "the same award published under another identifier (OCID): 1" in result.output
    assert "a withheld supplier, award kept without one: 1" in result.output


def test_a_curator_merges_confirms_or_rejects_a_supplier(kb_copy: Path) -> None:
    import_awards_to_folder(kb_copy, [REAL, CONSTRUCTED])
    review_supplier_in_folder(kb_copy, "insightful_data", "merge", "palantir")
    review_supplier_in_folder(kb_copy, "trustmarque", "confirm")
    review_supplier_in_folder(kb_copy, "tyrus", "reject")
    status = {s.id: (s.status, s.merged_into) for s in load_knowledge_base(kb_copy).suppliers}
    assert status["insightful_data"] == ("merged", "palantir")
    assert status["trustmarque"] == ("confirmed", None)
    assert status["tyrus"] == ("rejected", None)
    # a later import keeps the curator's decisions
    import_awards_to_folder(kb_copy, [REAL, CONSTRUCTED])
    assert {s.id: s.status for s in load_knowledge_base(kb_copy).suppliers}["tyrus"] == "rejected"
    result = CliRunner().invoke(
        app, ["awards", "review", "gartner", "--merge", "no_such_vendor", "--kb", str(kb_copy)]
    )
    assert result.exit_code == 2
    assert "no vendor 'no_such_vendor'" in result.output


def test_line_delimited_packages_and_record_packages_read_alike(tmp_path: Path) -> None:
    from advisor.awards.ocds import read_releases

    package = json.loads(REAL.read_text())
    lines = tmp_path / "packages.jsonl"
    lines.write_text(json.dumps({"releases": package["releases"][:2]}) + "\n")
    assert [r["ocid"] for r in read_releases(lines)] == [r["ocid"] for r in package["releases"][:2]]
    assert [r["id"] for r in read_releases(NEWER)] == ["000101-2025", "000202-2025", "001111-2025"]
