"""One report from one input file, in any format: the job a worker process runs.

``render_report_file`` reads an answers or profile file, runs the pipeline, builds the
report's context and writes the output atomically (only to a regular file or a new name; an
output path of ``-`` hands the bytes back instead, for standard output). The batch runs it
inside ``advisor.reporting.workers`` so that a runaway render kills only its own worker; the
CLI's single report runs it here with ``render_in_process``, under the same time and memory
limits but without starting a worker process.
"""

from __future__ import annotations

import contextlib
import resource
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import FrameType
from typing import Literal

from advisor.errors import InputError
from advisor.kb.models import KnowledgeBase
from advisor.recommendation import Recommendation
from advisor.reporting.assets import Asset
from advisor.reporting.context import AnswerRow, AssessmentReport, answer_rows, build_context
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.pdf import render_pdf
from advisor.reporting.tabular import report_csv, report_json
from advisor.reporting.theme import Theme, default_theme, load_theme
from advisor.reporting.workers import Limits, Outcome
from advisor.yamlio import STDOUT, write_bytes_atomic

Format = Literal["pdf", "html", "json", "csv"]
FORMATS: tuple[Format, ...] = ("pdf", "html", "json", "csv")
SUFFIX = {"pdf": ".pdf", "html": ".html", "json": ".json", "csv": ".csv"}


@dataclass(frozen=True)
class ReportJob:
    """What to render: plain paths and names, so the job pickles cheaply to a worker."""

    input_path: str
    output_path: str
    format: Format
    kb_dir: str | None = None
    theme_path: str | None = None
    report_date: date | None = None


@dataclass(frozen=True)
class ReportDone:
    """What a finished job wrote."""

    input_path: str
    output_path: str
    format: Format
    size_bytes: int
    body_name: str
    data: bytes | None = None
    """The report itself when the output is standard output (``output_path == "-"``)."""


@lru_cache(maxsize=4)
def _theme(path: str | None) -> Theme:
    return default_theme() if path is None else load_theme(path)


def report_bytes(
    rec: Recommendation,
    kb: KnowledgeBase,
    answers: list[AnswerRow],
    fmt: Format,
    theme: Theme,
    *,
    assessed_by: str | None = None,
    report_date: date | None = None,
) -> tuple[AssessmentReport, bytes]:
    """The report's context and its bytes in ``fmt``."""
    report = build_context(
        rec,
        kb,
        answers,
        prepared_by=theme.organisation_name,
        website=theme.website,
        assessed_by=assessed_by,
        report_date=report_date,
    )
    if fmt == "pdf":
        return report, render_pdf(render_html(report, theme, "pdf"), report_assets(theme))
    if fmt == "html":
        return report, render_html(report, theme, "html").encode("utf-8")
    if fmt == "json":
        return report, report_json(report, rec).encode("utf-8")
    return report, report_csv(rec).encode("utf-8")


def render_report_file(job: ReportJob) -> ReportDone:
    """Run the pipeline on ``job.input_path`` and write the report (runs in a worker)."""
    from advisor.pipeline import recommend_file  # imported here: the pipeline is heavy

    kb_dir = Path(job.kb_dir) if job.kb_dir else None
    assessed = recommend_file(Path(job.input_path), kb_dir=kb_dir, today=job.report_date)
    given = assessed.input.answers
    rows = answer_rows(given, assessed.questionnaire) if given is not None else []
    respondent = given.respondent if given is not None else None
    report, data = report_bytes(
        assessed.recommendation,
        assessed.kb,
        rows,
        job.format,
        _theme(job.theme_path),
        assessed_by=respondent,
        report_date=job.report_date,
    )
    to_stdout = job.output_path == STDOUT
    if not to_stdout:
        write_bytes_atomic(job.output_path, data)
    return ReportDone(
        input_path=job.input_path,
        output_path=job.output_path,
        format=job.format,
        size_bytes=len(data),
        body_name=report.cover.body_name,
        data=data if to_stdout else None,
    )


def pdf_from_html(html: str, assets: dict[str, Asset]) -> bytes:
    """A worker job: HTML to PDF through the asset-only fetcher."""
    return render_pdf(html, assets)


class _TimeUp(BaseException):
    """The in-process render passed its time limit (a BaseException, so that no ``except
    Exception`` on the way, in our code or a library's, can swallow it)."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise ``_TimeUp`` in this (main) thread once ``seconds`` have passed."""

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise _TimeUp

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _memory_limit(memory_bytes: int) -> Iterator[None]:
    """Cap this process's address space for the duration, then restore the cap it had."""
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def render_in_process(job: ReportJob, limits: Limits) -> Outcome[ReportDone]:
    """One report in this process under ``limits`` (time and memory), as a worker would.

    Starting a worker process costs more than a whole report, so a single report from the
    command line runs here: the time limit is a timer signal (so this must be the main
    thread), the memory limit a cap on this process's address space for the render's
    duration. The outcome reads as a worker's would.
    """
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("render_in_process must run in the main thread")
    try:
        with _memory_limit(limits.memory_bytes), _time_limit(limits.seconds):
            done = render_report_file(job)
    except InputError as exc:
        return Outcome("bad_input", message=str(exc))
    except _TimeUp:
        return Outcome("timeout", message=f"stopped after the {limits.seconds:g} s time limit")
    except MemoryError:
        return Outcome("memory", message="the render ran out of its memory allowance")
    except Exception as exc:  # as a worker reports it: in one line, never a traceback
        return Outcome("error", message=f"{type(exc).__name__}: {exc}")
    return Outcome("ok", value=done)
