"""CLI command: ``advisor report`` (one report, or a batch over a folder)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from advisor.cli.common import EXIT_BAD_INPUT, EXIT_FAILURE, fail, guarded
from advisor.errors import InputError

if TYPE_CHECKING:
    from advisor.reporting.render import Format


def _format(fmt: str | None, out: Path, batch: bool) -> Format:
    from advisor.reporting.render import FORMATS

    if fmt is None:
        guess = out.suffix.lower().lstrip(".")
        return guess if guess in FORMATS and not batch else "pdf"
    value = fmt.lower()
    if value not in FORMATS:
        raise InputError.single(
            "(command line)", "--format", f"must be one of {', '.join(FORMATS)}"
        )
    return value


@guarded
def report(
    input_path: Annotated[
        Path | None, typer.Argument(metavar="INPUT", help="Answers or profile YAML file.")
    ] = None,
    out: Annotated[
        Path,
        typer.Option(
            "-o", "--out", help="Output file, - for standard output (or folder with --batch)."
        ),
    ] = Path("report.pdf"),
    fmt: Annotated[
        str | None,
        typer.Option("--format", "-f", help="pdf, html, json or csv (default: from -o, else pdf)."),
    ] = None,
    kb: Annotated[Path | None, typer.Option("--kb", help="Knowledge-base folder.")] = None,
    theme: Annotated[
        Path | None, typer.Option("--theme", help="Theme file: logo, colours, organisation.")
    ] = None,
    batch: Annotated[
        Path | None, typer.Option("--batch", help="Render every .yaml file in this folder.")
    ] = None,
    workers: Annotated[
        int | None, typer.Option("--workers", min=1, help="Worker processes (default: cores).")
    ] = None,
    timeout: Annotated[
        float, typer.Option("--timeout", min=1, help="Seconds one report may take.")
    ] = 60.0,
    memory_mb: Annotated[
        int, typer.Option("--memory-mb", min=256, help="Memory cap per worker, in MB.")
    ] = 3072,
) -> None:
    """Write the assessment report as PDF, HTML, JSON or CSV; or a folder of them (--batch)."""
    # imported here, not at the top: only this command needs the renderer
    from advisor.reporting.render import SUFFIX, ReportJob, render_in_process
    from advisor.reporting.theme import load_theme
    from advisor.reporting.workers import Limits
    from advisor.yamlio import STDOUT, check_output_path

    if (input_path is None) == (batch is None):
        raise InputError.single("(command line)", "INPUT", "give either INPUT or --batch DIR")
    if theme is not None:
        load_theme(theme)  # a bad theme is one clear error, not one per report
    limits = Limits(seconds=timeout, memory_bytes=memory_mb * 1024 * 1024)
    chosen = _format(fmt, out, batch is not None)
    to_stdout = str(out) == STDOUT
    if batch is not None:
        if to_stdout:
            raise InputError.single("(command line)", "-o", "--batch writes a folder, not -")
        from advisor.reporting.batch import batch_jobs, run_batch_with_progress

        jobs = batch_jobs(batch, out, chosen, kb, theme)
        summary = run_batch_with_progress(jobs, workers, limits)
        for line in summary.lines():
            typer.echo(line, err=bool(summary.failed) and line.startswith("failed"))
        if summary.failed:
            bad_input = all(f.kind == "bad_input" for f in summary.failed)
            raise typer.Exit(EXIT_BAD_INPUT if bad_input else EXIT_FAILURE)
        return
    if input_path is None:  # unreachable: checked above; narrows the type
        raise InputError.single("(command line)", "INPUT", "missing")
    if not to_stdout:
        if out.is_dir() and not out.is_symlink():
            out = out / (input_path.stem + SUFFIX[chosen])
        check_output_path(out)  # refused before the render, not after
    job = ReportJob(
        input_path=str(input_path),
        output_path=STDOUT if to_stdout else str(out),
        format=chosen,
        kb_dir=str(kb) if kb else None,
        theme_path=str(theme) if theme else None,
    )
    # one report runs in this process, under the same limits a worker has: starting a worker
    # would cost more than the render
    outcome = render_in_process(job, limits)
    if outcome.kind == "bad_input":
        raise fail(outcome.message, EXIT_BAD_INPUT)
    if not outcome.ok or outcome.value is None:
        raise fail(f"error: {input_path}: {outcome.message}", EXIT_FAILURE)
    if to_stdout:
        sys.stdout.buffer.write(outcome.value.data or b"")
        sys.stdout.buffer.flush()
        return
    typer.echo(f"wrote {outcome.value.output_path} ({outcome.value.size_bytes:,} bytes)")


def register(app: typer.Typer) -> None:
    """Add the ``report`` command to the main app."""
    app.command("report")(report)
