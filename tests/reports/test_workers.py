"""Isolation: a runaway render is killed in its own worker; the others still finish."""

from __future__ import annotations

import os
from functools import partial

import pytest

from advisor.reporting.render import pdf_from_html
from advisor.reporting.workers import Limits, WorkerPool, process_memory

SMALL = '<html lang="en"><head><title>ok</title></head><body><p>fine</p></body></html>'


def rows(count: int) -> str:
    """A document with thousands of table rows: minutes of layout for WeasyPrint."""
    return "<html><body><table>" + "<tr><td>row</td><td>cell</td></tr>" * count + "</table>"


def test_runaway_document_is_killed_and_the_others_render() -> None:
    jobs = [(SMALL, {}), (rows(20_000), {}), (SMALL, {}), (SMALL, {})]
    with WorkerPool(2, Limits(seconds=3)) as pool:
        outcomes = [pool.run(pdf_from_html, html, assets) for html, assets in jobs]
    assert [o.kind for o in outcomes] == ["ok", "timeout", "ok", "ok"]
    assert "time limit" in outcomes[1].message
    for outcome in (outcomes[0], outcomes[2], outcomes[3]):
        assert outcome.value is not None
        assert outcome.value.startswith(b"%PDF-")


def test_parallel_map_keeps_order_and_isolates_the_runaway() -> None:
    jobs = [SMALL, rows(20_000), SMALL, SMALL]
    seen: list[int] = []
    with WorkerPool(2, Limits(seconds=3)) as pool:
        outcomes = pool.map(
            partial(pdf_from_html, assets={}),
            jobs,
            on_done=lambda index, _job, _outcome: seen.append(index),
        )
    assert [o.kind for o in outcomes] == ["ok", "timeout", "ok", "ok"]
    assert sorted(seen) == [0, 1, 2, 3]


@pytest.mark.skipif(not process_memory()["address_space"], reason="needs Linux /proc")
def test_memory_limit_stops_only_the_greedy_render() -> None:
    with WorkerPool(1) as probe:
        assert probe.run(pdf_from_html, SMALL, {}).ok
        baseline = probe.run(process_memory).value
    assert baseline is not None
    cap = baseline["peak_address_space"] + 32 * 1024 * 1024
    with WorkerPool(1, Limits(seconds=120, memory_bytes=cap)) as pool:
        first = pool.run(pdf_from_html, SMALL, {})
        greedy = pool.run(pdf_from_html, rows(6_000), {})
        after = pool.run(pdf_from_html, SMALL, {})
    assert first.ok
    assert greedy.kind in ("memory", "crashed")
    assert after.ok


def test_workers_are_recycled_after_their_quota() -> None:
    with WorkerPool(1, Limits(tasks_per_worker=2)) as pool:
        kinds = [pool.run(pdf_from_html, SMALL, {}).kind for _ in range(5)]
        started = pool.started
    assert kinds == ["ok"] * 5
    assert started == 3


def test_errors_in_a_job_come_back_as_messages() -> None:
    with WorkerPool(1) as pool:
        outcome = pool.run(pdf_from_html, None, {})
    assert outcome.kind == "error"
    assert outcome.message


def test_workers_run_at_the_lower_cpu_priority_they_are_given() -> None:
    base = os.getpriority(os.PRIO_PROCESS, 0)
    if base > 19 - 5:
        pytest.skip("this process already runs at the lowest priorities")
    with WorkerPool(1, Limits(niceness=5)) as pool:
        lowered = pool.run(os.getpriority, os.PRIO_PROCESS, 0)
    with WorkerPool(1) as pool:
        unchanged = pool.run(os.getpriority, os.PRIO_PROCESS, 0)
    assert (lowered.value, unchanged.value) == (base + 5, base)
