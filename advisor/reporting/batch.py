"""Reports for a whole folder of inputs, in parallel, with progress and a summary.

Every ``*.yaml``/``*.yml`` file in the folder is one body's answers or profile. Each is
rendered in a guarded worker; a bad file is reported with its problem and the others still
render. The summary lists what was written and what failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from advisor.errors import InputError
from advisor.reporting.render import SUFFIX, Format, ReportDone, ReportJob, render_report_file
from advisor.reporting.workers import Limits, Outcome, WorkerPool

INPUT_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Failure:
    input_path: str
    kind: str
    """bad_input, error, timeout, memory or crashed."""
    message: str


@dataclass
class BatchSummary:
    """What a batch did."""

    done: list[ReportDone] = field(default_factory=list)
    failed: list[Failure] = field(default_factory=list)
    workers: int = 1

    @property
    def total(self) -> int:
        return len(self.done) + len(self.failed)

    def lines(self) -> list[str]:
        """The summary in words, one line each, for the terminal."""
        out = [f"{len(self.done)} of {self.total} reports written ({self.workers} workers)"]
        for f in self.failed:
            # input errors already start with the file's path (and line): say it once
            said = (
                f.message if f.message.startswith(f.input_path) else f"{f.input_path}: {f.message}"
            )
            out.append(f"failed: {said}")
        return out


def batch_inputs(folder: Path) -> list[Path]:
    """The input files of a batch folder, sorted by name."""
    if not folder.is_dir():
        raise InputError.single(str(folder), "--batch", "not a folder")
    files = sorted(
        p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
    )
    if not files:
        raise InputError.single(str(folder), "--batch", "no .yaml or .yml input files in folder")
    return files


def batch_jobs(
    folder: Path,
    out_dir: Path,
    fmt: Format,
    kb_dir: Path | None = None,
    theme_path: Path | None = None,
    report_date: date | None = None,
) -> list[ReportJob]:
    """One job per input file; each output is named after its input."""
    return [
        ReportJob(
            input_path=str(path),
            output_path=str(out_dir / (path.stem + SUFFIX[fmt])),
            format=fmt,
            kb_dir=str(kb_dir) if kb_dir else None,
            theme_path=str(theme_path) if theme_path else None,
            report_date=report_date,
        )
        for path in batch_inputs(folder)
    ]


def run_batch(
    jobs: list[ReportJob],
    workers: int | None = None,
    limits: Limits | None = None,
    on_done: Callable[[ReportJob, Outcome[ReportDone]], None] | None = None,
) -> BatchSummary:
    """Render every job on ``workers`` processes (default: one per core)."""
    size = max(1, min(workers or os.cpu_count() or 1, len(jobs) or 1))
    summary = BatchSummary(workers=size)

    def finished(_index: int, job: ReportJob, outcome: Outcome[ReportDone]) -> None:
        if on_done is not None:
            on_done(job, outcome)

    with WorkerPool(size, limits) as pool:
        outcomes = pool.map(render_report_file, jobs, on_done=finished)
    for job, outcome in zip(jobs, outcomes, strict=True):
        if outcome.ok and outcome.value is not None:
            summary.done.append(outcome.value)
        else:
            summary.failed.append(Failure(job.input_path, outcome.kind, outcome.message))
    return summary


def run_batch_with_progress(
    jobs: list[ReportJob], workers: int | None = None, limits: Limits | None = None
) -> BatchSummary:
    """``run_batch`` with a rich progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    console = Console(stderr=True)
    with Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as progress:
        task = progress.add_task("Rendering reports", total=len(jobs))

        def advance(job: ReportJob, outcome: Outcome[ReportDone]) -> None:
            if not outcome.ok:
                progress.console.print(f"[red]failed[/red] {Path(job.input_path).name}")
            progress.advance(task)

        return run_batch(jobs, workers, limits, on_done=advance)
