"""CLI command: ``advisor worker`` runs report jobs from the broker's queue (RQ over Redis)."""

from __future__ import annotations

from typing import Annotated

import typer

from advisor.cli.common import guarded
from advisor.jobs.limits import RENDER_NICENESS


@guarded
def worker(
    burst: Annotated[bool, typer.Option("--burst", help="Stop once the queue is empty.")] = False,
    max_jobs: Annotated[
        int | None,
        typer.Option("--max-jobs", min=1, help="Stop after this many jobs (to be restarted)."),
    ] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="This worker's name on the broker.")
    ] = None,
    nice: Annotated[
        int,
        typer.Option(
            "--nice",
            min=0,
            max=19,
            help="Lower this worker's CPU priority by this much, so an app server on the "
            "same machine stays quick while reports render.",
        ),
    ] = RENDER_NICENESS,
) -> None:
    """Render reports from the queue named by ADVISOR_BROKER_URL, writing them to the store."""
    from advisor.jobs.worker import WorkerOptions, run_worker
    from advisor.settings import load_settings

    settings = load_settings()

    def ready() -> None:
        typer.echo(
            f"report worker listening on the queue '{settings.queue_name}' (stop with Ctrl+C)"
        )

    options = WorkerOptions(name=name, burst=burst, max_jobs=max_jobs, niceness=nice)
    run_worker(settings, options, ready)


def register(app: typer.Typer) -> None:
    """Add the ``worker`` command to the main app."""
    app.command("worker")(worker)
