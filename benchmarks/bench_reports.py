"""Report benchmark: one full PDF report, and a batch of 100 on two worker processes.

    .venv/bin/python benchmarks/bench_reports.py [--runs 7] [--batch 100] [--workers 2]

1. One report: the Sunderland persona through the whole path (pipeline, context, HTML,
   PDF/UA) in this process, warm, median of ``--runs``; the PDF step is timed on its own too.
2. Batch: ``--batch`` input files (the personas, repeated) rendered to PDF by
   ``run_batch`` on ``--workers`` guarded worker processes; wall-clock time end to end,
   worker start-up included.
3. Peak memory: this process after the single-report runs (ru_maxrss), and the largest
   resident set any batch worker reached (each worker reports its own VmHWM).

Targets: one report under 1.5 s median; 100 reports under 60 s on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERSONAS = ROOT / "tests" / "personas"
REPORT_DATE = date(2026, 11, 24)


def render_and_measure(job: object) -> tuple[object, int]:
    """Batch job: render one report, then say how large this worker's resident set has been."""
    from advisor.reporting.render import ReportJob, render_report_file
    from advisor.reporting.workers import process_memory

    assert isinstance(job, ReportJob)
    done = render_report_file(job)
    return done, process_memory()["peak_rss"]


def bench_single(runs: int) -> dict[str, float]:
    from advisor.pipeline import recommend_file
    from advisor.reporting.context import answer_rows, build_context
    from advisor.reporting.html import render_html, report_assets
    from advisor.reporting.pdf import render_pdf
    from advisor.reporting.theme import default_theme

    path = PERSONAS / "sunderland_hub.yaml"
    theme = default_theme()

    def once() -> tuple[float, float, float]:
        cpu_start = time.process_time()
        start = time.perf_counter()
        assessed = recommend_file(path, today=REPORT_DATE)
        given = assessed.input.answers
        rows = answer_rows(given, assessed.questionnaire) if given is not None else []
        report = build_context(assessed.recommendation, assessed.kb, rows, report_date=REPORT_DATE)
        html = render_html(report, theme, "pdf")
        pdf_start = time.perf_counter()
        pdf = render_pdf(html, report_assets(theme))
        end = time.perf_counter()
        if not pdf.startswith(b"%PDF-"):
            raise RuntimeError("no PDF")
        return end - start, end - pdf_start, time.process_time() - cpu_start

    once()  # warm: imports, knowledge base, fonts
    totals, pdfs, cpus = [], [], []
    for _ in range(runs):
        total, pdf_only, cpu = once()
        totals.append(total)
        pdfs.append(pdf_only)
        cpus.append(cpu)
    return {
        "single_median_s": round(statistics.median(totals), 3),
        "single_min_s": round(min(totals), 3),
        "single_max_s": round(max(totals), 3),
        "single_pdf_step_median_s": round(statistics.median(pdfs), 3),
        "single_cpu_median_s": round(statistics.median(cpus), 3),
        "single_process_peak_rss_mb": round(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
        ),
    }


def bench_batch(count: int, workers: int) -> dict[str, float]:
    from advisor.reporting.batch import batch_jobs
    from advisor.reporting.workers import Limits, WorkerPool

    personas = sorted(PERSONAS.glob("*.yaml"))
    with tempfile.TemporaryDirectory() as tmp:
        inputs = Path(tmp) / "inputs"
        inputs.mkdir()
        for n in range(count):
            source = personas[n % len(personas)]
            shutil.copy(source, inputs / f"{n:03d}_{source.name}")
        jobs = batch_jobs(inputs, Path(tmp) / "out", "pdf", report_date=REPORT_DATE)
        start = time.perf_counter()
        with WorkerPool(workers, Limits(seconds=120)) as pool:
            outcomes = pool.map(render_and_measure, jobs)
            started = pool.started
        elapsed = time.perf_counter() - start
        failed = [o.message for o in outcomes if not o.ok]
        peaks = [o.value[1] for o in outcomes if o.ok and o.value is not None]
        pages_bytes = sum(p.stat().st_size for p in (Path(tmp) / "out").glob("*.pdf"))
    return {
        "batch_reports": count,
        "batch_workers": workers,
        "batch_wall_s": round(elapsed, 2),
        "batch_per_report_s": round(elapsed / count, 3),
        "batch_failed": len(failed),
        "batch_worker_processes_started": started,
        "batch_worker_peak_rss_mb": round(max(peaks, default=0) / 1024**2, 1),
        "batch_output_mb": round(pages_bytes / 1024**2, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    results = bench_single(args.runs)
    results |= bench_batch(args.batch, args.workers)
    results["load_average_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))
    ok = results["single_median_s"] < 1.5 and results["batch_wall_s"] < 60
    print("targets met" if ok else "targets NOT met", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
