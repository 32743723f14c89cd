"""Each command imports only what it uses: the heavy libraries stay out of a command that
does not need them (whole processes, so nothing another test imported counts)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "tests" / "personas" / "greenwich_asc.yaml"
HEAVY = ("weasyprint", "sqlalchemy", "alembic", "pandas", "sklearn", "scipy", "streamlit")

RUN = """
import sys
from advisor.cli import app
heavy = {heavy!r}
try:
    app(sys.argv[1:], standalone_mode=False)
finally:
    print("LOADED=" + ",".join(m for m in heavy if m in sys.modules), file=sys.stderr)
"""


def loaded_after(*args: str) -> set[str]:
    """The heavy libraries imported by the CLI run with ``args``, in a fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(heavy=HEAVY), *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    line = next(x for x in done.stderr.splitlines() if x.startswith("LOADED="))
    return {m for m in line.removeprefix("LOADED=").split(",") if m}


def test_starting_the_cli_imports_no_heavy_library() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, advisor.cli; print(','.join(m for m in {HEAVY!r} if m in sys.modules))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == ""


def test_assess_needs_no_pdf_engine_store_or_scikit_learn() -> None:
    assert loaded_after("assess", str(PERSONA), "--json") == set()


@pytest.mark.parametrize("suffix", [".html", ".json", ".csv"])
def test_a_report_other_than_pdf_does_not_import_the_pdf_engine(
    tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"report{suffix}"
    assert loaded_after("report", str(PERSONA), "-o", str(out)) == set()
    assert out.stat().st_size > 0


def test_a_pdf_report_imports_the_pdf_engine_and_not_the_store(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert loaded_after("report", str(PERSONA), "-o", str(out)) == {"weasyprint"}
    assert out.read_bytes().startswith(b"%PDF-")
