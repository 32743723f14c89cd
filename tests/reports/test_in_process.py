"""One report rendered in the CLI's own process, under the limits a worker would have."""

from __future__ import annotations

import resource
import signal
from pathlib import Path

from advisor.reporting.render import ReportJob, render_in_process
from advisor.reporting.workers import Limits

PERSONAS = Path(__file__).parents[1] / "personas"


def _job(tmp_path: Path, name: str = "greenwich_asc.yaml", fmt: str = "html") -> ReportJob:
    return ReportJob(
        input_path=str(PERSONAS / name),
        output_path=str(tmp_path / f"out.{fmt}"),
        format="html" if fmt == "html" else "pdf",
    )


def test_a_report_renders_and_the_limits_are_given_back(tmp_path: Path) -> None:
    before = resource.getrlimit(resource.RLIMIT_AS)
    handler = signal.getsignal(signal.SIGALRM)
    outcome = render_in_process(_job(tmp_path), Limits(seconds=600))
    assert outcome.ok
    assert outcome.value is not None
    assert outcome.value.body_name == "Royal Borough of Greenwich"
    assert (tmp_path / "out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert resource.getrlimit(resource.RLIMIT_AS) == before
    assert signal.getsignal(signal.SIGALRM) == handler
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_a_render_past_its_time_limit_stops_and_writes_nothing(tmp_path: Path) -> None:
    outcome = render_in_process(_job(tmp_path, fmt="pdf"), Limits(seconds=0.001))
    assert outcome.kind == "timeout"
    assert "time limit" in outcome.message
    assert not (tmp_path / "out.pdf").exists()


def test_bad_input_is_reported_as_such(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: 3\n", encoding="utf-8")
    job = ReportJob(input_path=str(bad), output_path=str(tmp_path / "o.html"), format="html")
    outcome = render_in_process(job, Limits(seconds=600))
    assert outcome.kind == "bad_input"
    assert "bad.yaml" in outcome.message
