"""Whole-process CLI benchmark, side by side with headless Chromium.

    .venv/bin/python benchmarks/bench_cli.py [--runs 5] [--persona sunderland_hub.yaml]

Every figure is a fresh process, timed from outside as a user runs it (wall clock, and the
child's CPU time from ``os.wait4``), median and range of ``--runs``:

1. ``advisor report PERSONA -o r.pdf`` and ``headless Chromium --print-to-pdf`` of the very
   HTML the advisor renders for print (``advisor report --format html`` writes the screen
   version; this script writes the print version with the same code the PDF path uses). The
   ratio advisor / Chromium is printed for wall and CPU time.
2. ``advisor report PERSONA --format html`` and ``advisor assess PERSONA --json`` on the
   bundled knowledge base.

The first run of each command is a warm-up (disk caches, the knowledge-base cache, compiled
bytecode: the children run without ``PYTHONDONTWRITEBYTECODE``, as an installed package would)
and is not counted. Targets (issue 16): PDF at most 1.5x Chromium (wall); html and assess
under 1 s. To time another checkout of the advisor, put it first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "tests" / "personas"
ADVISOR = Path(sys.executable).with_name("advisor")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-pdf-header-footer",
]

LIMIT = ["--timeout", "600"]
"""A render's time limit far above its time, so a busy machine slows a run but fails none."""


def timed(command: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one child process run to its end."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        err = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(command)} exited {process.returncode}: {err}")
    if process.stderr:
        process.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def measure(command: list[str], runs: int) -> dict[str, float]:
    timed(command)  # warm-up, not counted
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = timed(command)
        walls.append(wall)
        cpus.append(cpu)
    return {
        "wall": statistics.median(walls),
        "wall_min": min(walls),
        "wall_max": max(walls),
        "cpu": statistics.median(cpus),
    }


def print_html(persona: Path, out: Path) -> None:
    """The HTML the PDF path hands to WeasyPrint, written to ``out`` with its assets inline."""
    from advisor.pipeline import recommend_file
    from advisor.reporting.context import answer_rows, build_context
    from advisor.reporting.html import render_html
    from advisor.reporting.theme import default_theme

    assessed = recommend_file(persona, today=date(2026, 11, 24))
    given = assessed.input.answers
    rows = answer_rows(given, assessed.questionnaire) if given is not None else []
    report = build_context(assessed.recommendation, assessed.kb, rows)
    out.write_text(render_html(report, default_theme(), "html"), encoding="utf-8")


def line(name: str, figures: dict[str, float]) -> str:
    return (
        f"{name:34} wall {figures['wall']:6.2f} s "
        f"(range {figures['wall_min']:.2f}-{figures['wall_max']:.2f})  "
        f"cpu {figures['cpu']:5.2f} s"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--persona", default="sunderland_hub.yaml")
    args = parser.parse_args()
    persona = PERSONAS / args.persona
    advisor = [str(ADVISOR)] if ADVISOR.exists() else [sys.executable, "-m", "advisor.cli"]
    work = Path(tempfile.mkdtemp(prefix="bench-cli-"))
    try:
        html = work / "report.html"
        print_html(persona, html)
        results = {
            "advisor report (pdf)": measure(
                [*advisor, "report", str(persona), "-o", str(work / "r.pdf"), *LIMIT], args.runs
            ),
            "chromium --print-to-pdf": measure(
                [
                    CHROMIUM,
                    *CHROMIUM_ARGS,
                    f"--user-data-dir={work / 'chromium'}",
                    f"--print-to-pdf={work / 'c.pdf'}",
                    html.as_uri(),
                ],
                args.runs,
            ),
            "advisor report --format html": measure(
                [*advisor, "report", str(persona), "-o", str(work / "r.html"), *LIMIT], args.runs
            ),
            "advisor assess --json": measure(
                [*advisor, "assess", str(persona), "--json"], args.runs
            ),
        }
        for name, figures in results.items():
            print(line(name, figures))
        pdf, chromium = results["advisor report (pdf)"], results["chromium --print-to-pdf"]
        print(
            f"ratio advisor pdf / chromium: wall {pdf['wall'] / chromium['wall']:.2f}x "
            f"(target at most 1.5x), cpu {pdf['cpu'] / chromium['cpu']:.2f}x"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
