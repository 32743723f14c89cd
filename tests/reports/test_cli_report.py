"""``advisor report``: one file, a batch with a bad input, and bad command lines."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from advisor.cli import app
from advisor.reporting.batch import batch_jobs, run_batch
from advisor.reporting.workers import Limits

PERSONAS = Path(__file__).parents[1] / "personas"
runner = CliRunner()


def test_single_report_as_json_and_csv(tmp_path: Path) -> None:
    out = tmp_path / "greenwich.json"
    result = runner.invoke(app, ["report", str(PERSONAS / "greenwich_asc.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["report"]["cover"]["body_name"] == "Royal Borough of Greenwich"
    csv_out = tmp_path / "greenwich.data"
    result = runner.invoke(
        app,
        ["report", str(PERSONAS / "greenwich_asc.yaml"), "-o", str(csv_out), "--format", "csv"],
    )
    assert result.exit_code == 0, result.output
    assert csv_out.read_text(encoding="utf-8").startswith("body,section,rank")


def test_single_report_as_pdf_with_a_theme(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><circle r="4" cx="5" '
        'cy="5" fill="#336699"/></svg>',
        encoding="utf-8",
    )
    theme = tmp_path / "theme.yaml"
    theme.write_text(
        "organisation_name: Northgate Advisory\nlogo: logo.svg\ncolours: {primary: '#336699'}\n",
        encoding="utf-8",
    )
    out = tmp_path / "kirklees.pdf"
    args = ["report", str(PERSONAS / "kirklees_grant.yaml"), "-o", str(out), "--theme", str(theme)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"%PDF-1.7")
    assert "wrote" in result.output


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["report", "-o", "x.pdf"], "INPUT"),
        (["report", "in.yaml", "--batch", ".", "-o", "x"], "INPUT"),
        (["report", "PERSONA", "-o", "x.pdf", "--format", "docx"], "--format"),
        (["report", "PERSONA", "-o", "x.pdf", "--theme", "BADTHEME"], "colours.primary"),
        (["report", "MISSING", "-o", "x.pdf"], "missing.yaml"),
        (["report", "--batch", "NOFOLDER", "-o", "out"], "--batch"),
    ],
)
def test_bad_command_lines_exit_2_naming_the_field(
    tmp_path: Path, args: list[str], named: str
) -> None:
    theme = tmp_path / "theme.yaml"
    theme.write_text("organisation_name: X\nlogo: l.png\ncolours: {primary: red}\n", "utf-8")
    (tmp_path / "l.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    swap = {
        "PERSONA": str(PERSONAS / "oxfordshire_transport.yaml"),
        "BADTHEME": str(theme),
        "MISSING": str(tmp_path / "missing.yaml"),
        "NOFOLDER": str(tmp_path / "nofolder"),
        "x.pdf": str(tmp_path / "x.pdf"),
    }
    result = runner.invoke(app, [swap.get(a, a) for a in args])
    assert result.exit_code == 2, result.output
    assert named in result.output
    assert "Traceback" not in result.output


@pytest.fixture
def batch_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    for name in ("sunderland_hub", "oxfordshire_transport", "legal_blocked"):
        shutil.copy(PERSONAS / f"{name}.yaml", folder / f"{name}.yaml")
    (folder / "broken.yaml").write_text(
        "organisation: {name: Broken Council, kind: hamlet}\n", encoding="utf-8"
    )
    (folder / "notes.txt").write_text("not an input", encoding="utf-8")
    return folder


def test_batch_reports_the_bad_input_and_renders_the_rest(
    batch_folder: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    seen: list[str] = []
    summary = run_batch(
        batch_jobs(batch_folder, out, "html"),
        workers=2,
        limits=Limits(seconds=120),
        on_done=lambda job, _outcome: seen.append(Path(job.input_path).name),
    )
    assert sorted(seen) == [
        "broken.yaml",
        "legal_blocked.yaml",
        "oxfordshire_transport.yaml",
        "sunderland_hub.yaml",
    ]
    assert sorted(p.name for p in out.iterdir()) == [
        "legal_blocked.html",
        "oxfordshire_transport.html",
        "sunderland_hub.html",
    ]
    assert [(Path(f.input_path).name, f.kind) for f in summary.failed] == [
        ("broken.yaml", "bad_input")
    ]
    assert "kind" in summary.failed[0].message
    assert summary.lines()[0] == "3 of 4 reports written (2 workers)"
    broken = str(batch_folder / "broken.yaml")
    assert summary.lines()[1].startswith(f"failed: {broken}:1: ")
    assert summary.lines()[1].count(broken) == 1  # the path is said once


def test_batch_command_prints_a_summary_and_exits_2(batch_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["report", "--batch", str(batch_folder), "-o", str(out), "--format", "csv"]
    )
    assert result.exit_code == 2, result.output
    assert "3 of 4 reports written" in result.output
    assert "broken.yaml" in result.output
    assert len(list(out.glob("*.csv"))) == 3
