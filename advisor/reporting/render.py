"""One report from one input file, in any format: the job a worker process runs.

``render_report_file`` reads an answers or profile file, runs the pipeline, builds the
report's context and writes the output atomically (only to a regular file or a new name; an
output path of ``-`` hands the bytes back instead, for standard output). The CLI and the batch
both run it inside ``advisor.reporting.workers`` so that a runaway render kills only its own
worker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from advisor.kb.models import KnowledgeBase
from advisor.recommendation import Recommendation
from advisor.reporting.context import AnswerRow, AssessmentReport, answer_rows, build_context
from advisor.reporting.fetcher import Asset
from advisor.reporting.html import render_html, report_assets
from advisor.reporting.pdf import render_pdf
from advisor.reporting.tabular import report_csv, report_json
from advisor.reporting.theme import Theme, default_theme, load_theme
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
