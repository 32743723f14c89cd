"""Run renders in worker processes with a time limit and a memory limit.

WeasyPrint keeps memory until its process exits, and a hostile or runaway document (huge CSS
values, thousands of rows) can take minutes and gigabytes. So each job runs in a worker
process that:

- caps its own address space with ``resource.setrlimit(RLIMIT_AS)`` (an allocation past the
  cap fails inside that worker only);
- is killed by the parent when a job passes its time limit, and replaced;
- is retired after ``tasks_per_worker`` jobs, so memory is handed back to the system.

Workers are forked from a forkserver that has already imported WeasyPrint, so starting one
costs milliseconds. A job is a module-level function and picklable arguments.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import resource
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, Generic, Literal, TypeVar

from advisor.errors import InputError

T = TypeVar("T")
R = TypeVar("R")

OutcomeKind = Literal["ok", "bad_input", "error", "timeout", "memory", "crashed"]

PRELOAD = [
    "weasyprint",
    "advisor.reporting.render",
    "advisor.pipeline",
]
"""Modules the forkserver imports once, so every worker starts warm."""


@dataclass(frozen=True)
class Limits:
    """Per-job limits for one worker."""

    seconds: float = 60.0
    """Wall-clock time a job may take before its worker is killed."""
    memory_bytes: int = 3 * 1024**3
    """Address-space cap for each worker process (RLIMIT_AS)."""
    tasks_per_worker: int = 25
    """Jobs a worker runs before it is replaced (WeasyPrint frees memory only on exit)."""
    niceness: int = 0
    """How much lower than its parent's the worker's CPU priority is (0-19): a server that
    renders beside its pages gives them the CPU first."""


@dataclass(frozen=True)
class Outcome(Generic[R]):
    """The result of one job: a value, or what went wrong, in words."""

    kind: OutcomeKind
    value: R | None = None
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"


def _set_memory_limit(memory_bytes: int) -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _worker_main(conn: Connection, memory_bytes: int, niceness: int) -> None:
    """Worker loop: receive (function, args), send back (kind, value-or-message)."""
    _set_memory_limit(memory_bytes)
    if niceness:
        os.nice(niceness)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):  # the parent has gone: stop quietly
            return
        if message is None:
            return
        func, args = message
        try:
            reply: tuple[str, Any] = ("ok", func(*args))
        except InputError as exc:
            reply = ("bad_input", str(exc))
        except MemoryError:
            # The heap may be fragmented past use: report, then let the parent replace us.
            conn.send(("memory", "the render ran out of its memory allowance"))
            return
        except Exception as exc:
            reply = ("error", f"{type(exc).__name__}: {exc}")
        try:
            conn.send(reply)
        except MemoryError:
            return


def _context() -> Any:
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    if method == "forkserver":
        ctx.set_forkserver_preload(PRELOAD)
    return ctx


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Start a worker without the parent's ``__main__`` script.

    A new process started by forkserver or spawn first runs the parent's main script again,
    so that functions defined there can be unpickled. Under Streamlit (and its AppTest) that
    script is an app page, which must not run without the app behind it. Workers run only
    functions of importable modules, so the script is hidden while the worker starts.
    """
    with _STARTING:
        main = sys.modules.get("__main__")
        if main is None or getattr(main, "__file__", None) is None:
            yield
            return
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            yield
        finally:
            sys.modules["__main__"] = main


_STARTING = threading.Lock()
"""Workers start one at a time, so no start sees another's stand-in ``__main__``."""


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.jobs_done = 0
        self.dead = False
        """Set once the worker was killed, died, or ran out of memory: never reuse it."""
        ctx = _context()
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(
            target=_worker_main, args=(child, limits.memory_bytes, limits.niceness), daemon=True
        )
        with _main_script_hidden():
            self.process.start()
        child.close()

    def run(self, func: Callable[..., Any], args: Sequence[Any]) -> Outcome[Any]:
        try:
            self.conn.send((func, tuple(args)))
        except (BrokenPipeError, OSError):
            self.dead = True
            return Outcome("crashed", message="the worker stopped before the job started")
        if not self.conn.poll(self.limits.seconds):
            self.dead = True
            self.kill()
            return Outcome(
                "timeout", message=f"stopped after the {self.limits.seconds:g} s time limit"
            )
        try:
            kind, payload = self.conn.recv()
        except (EOFError, OSError):
            self.dead = True
            self.process.join(timeout=5)
            code = self.process.exitcode
            return Outcome("crashed", message=f"the worker died (exit code {code})")
        self.jobs_done += 1
        if kind == "memory":
            self.dead = True
        if kind == "ok":
            return Outcome("ok", value=payload)
        return Outcome(kind, message=str(payload))

    @property
    def usable(self) -> bool:
        return (
            not self.dead
            and self.process.is_alive()
            and self.jobs_done < self.limits.tasks_per_worker
        )

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()

    def retire(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError):
            self.conn.send(None)
        self.process.join(timeout=5)
        self.kill()


class WorkerPool:
    """A fixed number of guarded worker processes; use as a context manager."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None) -> None:
        self.size = max(1, workers or os.cpu_count() or 1)
        self.limits = limits or Limits()
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self.started = 0
        """Worker processes started so far (recycled and killed ones included)."""

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _checkout(self) -> _Worker:
        try:
            worker = self._idle.get_nowait()
        except queue.Empty:
            worker = None
        if worker is not None and worker.usable:
            return worker
        if worker is not None:
            self._retire(worker)
        with self._lock:
            self.started += 1
            fresh = _Worker(self.limits)
            self._all.add(fresh)
        return fresh

    def _retire(self, worker: _Worker) -> None:
        worker.retire()
        with self._lock:
            self._all.discard(worker)

    def _checkin(self, worker: _Worker) -> None:
        if worker.usable:
            self._idle.put(worker)
        else:
            self._retire(worker)

    def run(self, func: Callable[..., R], *args: Any) -> Outcome[R]:
        """Run one job in a worker and wait for its outcome."""
        worker = self._checkout()
        try:
            return worker.run(func, args)
        finally:
            self._checkin(worker)

    def map(
        self,
        func: Callable[[T], R],
        items: Iterable[T],
        on_done: Callable[[int, T, Outcome[R]], None] | None = None,
    ) -> list[Outcome[R]]:
        """Run ``func(item)`` for every item on all workers; outcomes in the items' order.

        ``on_done(index, item, outcome)`` is called as each job finishes (from a feeder
        thread), e.g. to advance a progress bar.
        """
        jobs = list(enumerate(items))
        outcomes: list[Outcome[R] | None] = [None] * len(jobs)
        pending: queue.Queue[tuple[int, T]] = queue.Queue()
        for job in jobs:
            pending.put(job)

        def feed() -> None:
            while True:
                try:
                    index, item = pending.get_nowait()
                except queue.Empty:
                    return
                outcome = self.run(func, item)
                outcomes[index] = outcome
                if on_done is not None:
                    on_done(index, item, outcome)

        threads = [
            threading.Thread(target=feed, name=f"render-feeder-{n}", daemon=True)
            for n in range(min(self.size, len(jobs)))
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return [o if o is not None else Outcome("error", message="not run") for o in outcomes]

    def close(self) -> None:
        """Stop every worker."""
        while True:
            try:
                self._idle.get_nowait()
            except queue.Empty:
                break
        with self._lock:
            workers, self._all = list(self._all), set()
        for worker in workers:
            worker.retire()


def process_memory() -> dict[str, int]:
    """This process's memory in bytes: peak and current address space, peak resident set.

    Run it as a job to see what a worker uses (Linux ``/proc``; zeros elsewhere).
    """
    wanted = {"VmPeak": "peak_address_space", "VmSize": "address_space", "VmHWM": "peak_rss"}
    found = dict.fromkeys(wanted.values(), 0)
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in wanted:
                    found[wanted[key]] = int(rest.split()[0]) * 1024
    except OSError:
        pass
    return found
