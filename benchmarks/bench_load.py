"""Load: many people at once against one app server, reports rendered by a queue of workers.

    .venv/bin/python benchmarks/bench_load.py [--users 50] [--renders 2] [--workers 2]
        [--think 2-8] [--ramp 30] [--seed 1] [--browser]

Sets up a fresh store (one council body, account, draft and submitted assessment per user),
starts one ``advisor serve`` with ``ADVISOR_BROKER_URL`` on the local Redis and ``--workers``
``advisor worker`` processes, then lets ``--users`` simulated users arrive, spread evenly over
``--ramp`` seconds, each pausing a random ``--think`` seconds (seeded by ``--seed``) before
each action, as people do (``--think 0``: no pause, the worst case). Each user:

1. opens the app (from connecting to the sign-in page drawn) and signs in (from pressing
   "Sign in" to the signed-in page), then collects the session cookie as the page does;
2. answers in the wizard: continues the draft (to its section shown), goes back a section,
   then saves and continues (each: from the click to the next section shown);
3. opens the results (from the click in the navigation to the results shown) and prepares
   the PDF report (from "Prepare the PDF report" to its download button, the page polling
   the job meanwhile), ``--renders`` times (reloading the page between: a new session that
   the cookie signs in).

By default a user is a Streamlit protocol client (``benchmarks/streamlit_client.py``): one
websocket per user sending the frontend's messages, so fifty users cost the machine a little
Python rather than fifty Chromium pages (which on two cores starve the server they measure);
a step ends when the run that draws its result has finished. ``--browser`` drives Playwright
contexts in one headless Chromium (/usr/bin/chromium) instead.

Printed: p50, p95 and max of each step in seconds, errors, the server's (and the workers')
resident memory before the crowd, after half the renders and after all, the load average
before and after, the CPU time of the server, the workers and this harness, how much of the
time some task waited for a CPU (the machine's own pressure, other work included), and the
runs the protocol clients asked for (whole app; a fragment on its timer, the report's poll).
Before the crowd arrives one user alone prepares the PDF ``--solo`` times (the "Prepare PDF"
figure on an otherwise idle server). Needs Redis at 127.0.0.1:6379 (started if installed
and stopped).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import free_port, wait_healthy
from streamlit_client import PageError, Tab

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "load test password 1"  # noqa: S105  (accounts of a throwaway store)
PERSONA = ROOT / "tests" / "personas" / "oxfordshire_transport.yaml"
STEP_TIMEOUT_MS = 600_000
FAST_HASHING = {
    "ADVISOR_ARGON2_TIME_COST": "1",
    "ADVISOR_ARGON2_MEMORY_KIB": "1024",
    "ADVISOR_ARGON2_PARALLELISM": "1",
}


@dataclass
class Figures:
    steps: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    renders: int = 0
    memory: dict[str, int] = field(default_factory=dict)
    users: list[str] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)
    wall: float = 0.0
    pressure: float = 0.0  # share of the crowd's time some runnable task waited for a CPU
    asked: dict[str, int] = field(default_factory=dict)  # runs the protocol clients asked for
    server_pid: int = 0  # set with one user alone: the server's CPU time of each step is noted
    server_cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    harness_lag: float = 0.0  # the longest this harness's event loop woke late, seconds
    timeline: list[tuple[float, float, str]] = field(default_factory=list)
    """Each step as (started, seconds, step), for --timeline."""

    def took(self, step: str, started: float) -> None:
        """Note one step that started at ``started`` (perf_counter) and ends now."""
        seconds = time.perf_counter() - started
        self.steps[step].append(seconds)
        self.timeline.append((started, seconds, step))


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (Linux /proc)."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def ensure_redis() -> None:
    sys.path.insert(0, str(ROOT / "tests" / "jobs"))
    from jobs_world import redis_reachable  # type: ignore[import-not-found]

    if not redis_reachable():
        raise SystemExit("Redis is not reachable at 127.0.0.1:6379 (install redis-server)")


def prepare_store(data_dir: Path, users: int) -> list[str]:
    """A fresh store: per user a body, an account, a submitted and a draft assessment."""
    os.environ.update(FAST_HASHING)
    os.environ["ADVISOR_DATA_DIR"] = str(data_dir)
    from advisor.app.first_run import create_demo_accounts
    from advisor.app.first_run import prepare_store as seed
    from advisor.assessment_input import bundled_assessment, load_assessment_input
    from advisor.services.accounts import create_user, sign_in
    from advisor.services.app_support import open_store
    from advisor.services.assessments import create_assessment, save_draft, submit_assessment
    from advisor.services.organisations import create_organisation
    from advisor.services.permissions import OPERATOR
    from advisor.settings import Settings

    settings = Settings()
    db = open_store(settings)
    seed(db, settings)
    create_demo_accounts(db, settings)  # a curator, so the app skips its first-run set-up
    answers = load_assessment_input(PERSONA).answers
    assert answers is not None
    bank, rules = bundled_assessment()
    emails = []
    for n in range(users):
        body = f"load_council_{n}"
        create_organisation(db, OPERATOR, body, f"Load Test Council {n}", "unitary", "North East")
        email = f"user{n}@load.example"
        create_user(
            db,
            OPERATOR,
            settings,
            email=email,
            role="council",
            password=PASSWORD,
            organisations=[body],
        )
        who = sign_in(db, settings, email, PASSWORD)
        done = create_assessment(db, who, body, "Submitted", bank.version)
        save_draft(db, who, done.id, answers, 1)
        submit_assessment(db, who, done.id, done.version, bank, rules)
        draft = create_assessment(db, who, body, "Draft", bank.version)
        save_draft(db, who, draft.id, answers, 1)
        emails.append(email)
    db.dispose()
    return emails


def start(env: dict[str, str], args: list[str], log: Path) -> subprocess.Popen[bytes]:
    out = log.open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", *args], env=env, stdout=out, stderr=subprocess.STDOUT
    )


async def timed(figures: Figures, step: str, action: Any, done: Any) -> None:
    started = time.perf_counter()
    await action()
    await done()
    figures.took(step, started)


async def sign_in(page: Any, url: str, email: str, figures: Figures | None) -> None:
    await page.goto(url)
    box = page.locator(".st-key-sign_in_email input")
    await box.wait_for(timeout=STEP_TIMEOUT_MS)
    await box.fill(email)
    await page.locator(".st-key-sign_in_password input").fill(PASSWORD)
    button = page.get_by_role("button", name="Sign in")
    signed = page.get_by_text(f"Signed in as {email}").first
    if figures is None:
        await button.click()
        await signed.wait_for(timeout=STEP_TIMEOUT_MS)
    else:
        await timed(
            figures, "sign in", button.click, lambda: signed.wait_for(timeout=STEP_TIMEOUT_MS)
        )


async def go(page: Any, title: str) -> None:
    await page.locator('[data-testid="stSidebar"]').get_by_role("link", name=title).click()


async def section_number(page: Any) -> tuple[int, int]:
    label = page.get_by_text(re.compile(r"Section \d+ of \d+")).first
    await label.wait_for(timeout=STEP_TIMEOUT_MS)
    found = re.search(r"Section (\d+) of (\d+)", await label.inner_text())
    assert found is not None
    return int(found.group(1)), int(found.group(2))


async def wizard(page: Any, figures: Figures) -> None:
    resume = page.get_by_role("button", name="Continue this assessment")
    await resume.wait_for(timeout=STEP_TIMEOUT_MS)
    answered = page.get_by_text("100% answered").first
    await timed(
        figures,
        "wizard: open the draft",
        resume.click,
        lambda: answered.wait_for(timeout=STEP_TIMEOUT_MS),
    )
    n, m = await section_number(page)
    back = page.get_by_role("button", name="Back")
    previous = page.get_by_text(f"Section {n - 1} of {m}").first
    await timed(
        figures,
        "wizard: back a section",
        back.click,
        lambda: previous.wait_for(timeout=STEP_TIMEOUT_MS),
    )
    forward = page.get_by_role("button", name="Save and continue")
    again = page.get_by_text(f"Section {n} of {m}").first
    await timed(
        figures,
        "wizard: save and continue",
        forward.click,
        lambda: again.wait_for(timeout=STEP_TIMEOUT_MS),
    )


async def render(page: Any, figures: Figures, step: str) -> None:
    results = page.get_by_text("Results for").first
    await timed(
        figures,
        "open the results",
        lambda: go(page, "Results"),
        lambda: results.wait_for(timeout=STEP_TIMEOUT_MS),
    )
    prepare = page.get_by_role("button", name="Prepare the PDF report")
    ready = page.get_by_role("button", name=re.compile(r"Download .*\.pdf"))
    await timed(figures, step, prepare.click, lambda: ready.wait_for(timeout=STEP_TIMEOUT_MS))
    figures.renders += 1


async def reopen(page: Any, url: str, email: str) -> None:
    """A fresh page session (the signed-in session survives a reload, or sign in again)."""
    await page.goto(url)
    signed = page.get_by_text(f"Signed in as {email}").first
    box = page.locator(".st-key-sign_in_email input")
    await signed.or_(box).first.wait_for(timeout=STEP_TIMEOUT_MS)
    if await box.count():
        await sign_in(page, url, email, None)


@dataclass(frozen=True)
class Pace:
    """How users arrive and pause: evenly over ``ramp`` seconds, then a random pause of
    ``low`` to ``high`` seconds before each action (the same pauses for the same seed)."""

    low: float = 2.0
    high: float = 8.0
    ramp: float = 30.0
    seed: int = 1

    def rng(self, n: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + n)  # noqa: S311  (think times)

    def arrival(self, n: int, users: int) -> float:
        return self.ramp * n / max(users, 1)

    async def think(self, rng: random.Random) -> None:
        if self.high > 0:
            await asyncio.sleep(rng.uniform(self.low, self.high))

    def describe(self) -> str:
        pause = (
            "no think time"
            if self.high <= 0
            else f"think time {self.low:g}-{self.high:g} s (uniform) before each action"
        )
        return f"arriving over {self.ramp:g} s, {pause}, seed {self.seed}"


def parse_think(text: str) -> tuple[float, float]:
    """``2-8`` (a pause of 2 to 8 s), ``5`` (always 5 s) or ``0`` (none)."""
    low, _, high = text.partition("-")
    values = (float(low), float(high or low))
    if values[0] < 0 or values[1] < values[0]:
        raise argparse.ArgumentTypeError(f"think time {text!r}: want LOW-HIGH seconds, e.g. 2-8")
    return values


async def user(
    browser: Any, url: str, email: str, renders: int, figures: Figures, pace: Pace, n: int
) -> None:
    """One person: signs in (landing on the wizard), answers, then prepares reports."""
    rng = pace.rng(n)
    await asyncio.sleep(pace.arrival(n, len(figures.users)))
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        await sign_in(page, url, email, figures)
        await pace.think(rng)
        await wizard(page, figures)
        for r in range(renders):
            await pace.think(rng)
            if r:
                await reopen(page, url, email)
            await render(page, figures, "prepare the PDF (under load)")
    except Exception as exc:
        figures.errors.append(f"{email}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def drive(
    url: str,
    solo_user: list[str],
    emails: list[str],
    renders: int,
    pids: Pids,
    solo: int,
    pace: Pace,
) -> Figures:
    from playwright.async_api import async_playwright

    figures = Figures(users=emails)
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # one user alone first: the warm, idle "Prepare PDF"
        lone = Figures()
        context = await browser.new_context(viewport={"width": 1280, "height": 900})
        page = await context.new_page()
        page.set_default_timeout(STEP_TIMEOUT_MS)
        await sign_in(page, url, solo_user[0], None)
        for n in range(solo + 1):
            if n:
                await reopen(page, url, solo_user[0])
            await render(page, lone, "prepare the PDF (one user alone)")
        await context.close()
        figures.steps[ALONE] = lone.steps[ALONE][1:]  # the first warms up
        await crowd(
            figures,
            pids,
            renders,
            [user(browser, url, e, renders, figures, pace, n) for n, e in enumerate(emails)],
        )
        await browser.close()
    return figures


# ---- Streamlit protocol clients (the default) ------------------------------------------------

SECTION = re.compile(r"Section (\d+) of (\d+) · (\d+)% answered")
PDF_READY = re.compile(r"Download .*\.pdf")
ALONE = "prepare the PDF (one user alone)"
UNDER_LOAD = "prepare the PDF (under load)"


async def timed_step(
    figures: Figures | None,
    step: str,
    tab: Tab,
    action: Callable[[], Coroutine[Any, Any, None]],
    check: Callable[[Tab], bool],
) -> None:
    """Act, then wait for the run whose page passes ``check``; the time between is the step."""
    started = time.perf_counter()
    cpu = cpu_seconds(figures.server_pid) if figures is not None and figures.server_pid else 0
    try:
        await action()
        await tab.until(check, step)
    except PageError as exc:
        raise PageError(f"{step}: {exc}") from exc
    if figures is not None:
        figures.took(step, started)
        if figures.server_pid:
            figures.server_cpu[step].append(cpu_seconds(figures.server_pid) - cpu)


async def open_app(url: str, figures: Figures | None, cookies: dict[str, str]) -> Tab:
    """A new tab at the app's address (a reload: a new session, the cookie sent)."""
    tab = Tab(url, cookies=cookies, timeout=STEP_TIMEOUT_MS / 1000)
    started = time.perf_counter()
    try:
        await tab.open()
    except PageError as exc:
        await tab.close()
        raise PageError(f"open the app: {exc}") from exc
    if figures is not None:
        figures.took("open the app", started)
    return tab


async def protocol_sign_in(tab: Tab, email: str, figures: Figures | None) -> None:
    tab.fill("Email", email)
    tab.fill("Password", PASSWORD)
    signed = f"Signed in as {email}"
    await timed_step(
        figures, "sign in", tab, lambda: tab.click("Sign in"), lambda t: t.has_text(signed)
    )
    started = time.perf_counter()
    if not await tab.post_session_cookie():
        raise PageError("sign in: the signed-in page holds no code for the session cookie")
    if figures is not None:
        figures.took("collect the session cookie", started)


async def protocol_wizard(tab: Tab, email: str, figures: Figures, pace: Pace, rng: Any) -> None:
    await timed_step(
        figures,
        "wizard: open the draft",
        tab,
        lambda: tab.click("Continue this assessment"),
        lambda t: t.has_text(SECTION),
    )
    shown = tab.find_text(SECTION)
    assert shown is not None
    n, m, answered = (int(x) for x in shown.groups())
    if answered != 100:  # the draft is complete: anything less means answers were lost
        figures.errors.append(f"{email}: the opened draft shows {answered}% answered, not 100%")
    if n < 2:
        raise PageError(f"the draft opens at section {n} of {m}: no section to go back to")
    await pace.think(rng)
    await timed_step(
        figures,
        "wizard: back a section",
        tab,
        lambda: tab.click("Back"),
        lambda t: t.has_text(re.compile(rf"Section {n - 1} of {m} ")),
    )
    await pace.think(rng)
    await timed_step(
        figures,
        "wizard: save and continue",
        tab,
        lambda: tab.click("Save and continue"),
        lambda t: t.has_text(re.compile(rf"Section {n} of {m} ")),
    )


async def protocol_render(tab: Tab, figures: Figures, pace: Pace, rng: Any, step: str) -> None:
    await timed_step(
        figures,
        "open the results",
        tab,
        lambda: tab.follow_link("Results"),
        lambda t: t.has_text("Results for"),
    )
    await pace.think(rng)
    await timed_step(
        figures,
        step,
        tab,
        lambda: tab.click("Prepare the PDF report"),
        lambda t: t.widget("download_button", PDF_READY) is not None,
    )
    figures.renders += 1


async def protocol_reopen(tab: Tab, url: str, email: str, figures: Figures | None) -> Tab:
    """Reload: the old session goes, a new one opens with the cookie (or signs in again)."""
    cookies = dict(tab.cookies)
    await tab.close()
    fresh = await open_app(url, figures, cookies)
    if fresh.widget("text_input", "Email") is not None:
        if figures is not None:
            figures.errors.append(f"{email}: a reload was not signed in by the session cookie")
        await protocol_sign_in(fresh, email, None)
    return fresh


async def protocol_user(
    url: str, email: str, n: int, renders: int, figures: Figures, pace: Pace
) -> None:
    """One person over Streamlit's protocol: the same steps as a browser's."""
    rng = pace.rng(n)
    await asyncio.sleep(pace.arrival(n, len(figures.users)))
    tab: Tab | None = None
    try:
        tab = await open_app(url, figures, {})
        await pace.think(rng)
        await protocol_sign_in(tab, email, figures)
        await pace.think(rng)
        await protocol_wizard(tab, email, figures, pace, rng)
        for r in range(renders):
            await pace.think(rng)
            if r:
                tab = await protocol_reopen(tab, url, email, figures)
                await pace.think(rng)
            await protocol_render(tab, figures, pace, rng, UNDER_LOAD)
    except PageError as exc:
        figures.errors.append(f"{email}: {exc}")
    except Exception as exc:
        figures.errors.append(f"{email}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        if tab is not None:
            await tab.close()


async def drive_protocol(
    url: str,
    solo_user: list[str],
    emails: list[str],
    renders: int,
    pids: Pids,
    solo: int,
    pace: Pace,
) -> Figures:
    figures = Figures(users=emails, server_pid=pids.server if len(emails) == 1 else 0)
    lone = Figures()
    tab = await open_app(url, None, {})
    await protocol_sign_in(tab, solo_user[0], None)
    for n in range(solo + 1):
        if n:
            tab = await protocol_reopen(tab, url, solo_user[0], None)
        await protocol_render(tab, lone, Pace(0, 0, 0), random.Random(0), ALONE)  # noqa: S311
    await tab.close()
    figures.steps[ALONE] = lone.steps[ALONE][1:]  # the first warms up
    await crowd(
        figures,
        pids,
        renders,
        [protocol_user(url, e, n, renders, figures, pace) for n, e in enumerate(emails)],
    )
    return figures


# ---- the crowd and its figures -----------------------------------------------------------------


@dataclass(frozen=True)
class Pids:
    server: int
    workers: list[int]


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process and its finished children so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    # utime, stime, and those of its children waited for (a worker's forked work horses)
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def cpu_pressure_seconds() -> float:
    """Seconds in which some runnable task waited for a CPU, since boot (Linux PSI)."""
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except (OSError, IndexError):
        return 0.0
    return int(first.rsplit("total=", 1)[1]) / 1e6


def note_memory(figures: Figures, pids: Pids, when: str) -> None:
    figures.memory[f"server, {when}"] = rss_bytes(pids.server)
    if pids.workers:
        figures.memory[f"workers (together), {when}"] = sum(rss_bytes(p) for p in pids.workers)


async def crowd(
    figures: Figures, pids: Pids, renders: int, users: list[Coroutine[Any, Any, None]]
) -> None:
    """Run the users at once, noting memory before, after half the renders and after all."""
    total = len(figures.users) * renders
    note_memory(figures, pids, "before the crowd")
    server_cpu = cpu_seconds(pids.server)
    workers_cpu = sum(cpu_seconds(p) for p in pids.workers)
    own_cpu = time.process_time()
    pressure = cpu_pressure_seconds()
    Tab.asked.clear()
    began = time.perf_counter()

    async def watch() -> None:
        half_seen = False
        while True:
            if not half_seen and total and figures.renders >= total // 2:
                note_memory(figures, pids, f"after {figures.renders} renders")
                half_seen = True
            PROGRESS.write_text(f"{figures.renders} renders so far\n{table(figures)}\n")
            await asyncio.sleep(0.5)

    async def lag() -> None:
        """How late this harness's own event loop wakes: a late harness would show as slow
        steps that the server did not cause."""
        while True:
            asked = time.perf_counter()
            await asyncio.sleep(0.1)
            figures.harness_lag = max(figures.harness_lag, time.perf_counter() - asked - 0.1)

    watcher = asyncio.create_task(watch())
    lagger = asyncio.create_task(lag())
    try:
        await asyncio.gather(*users)
    finally:
        watcher.cancel()
        lagger.cancel()
    figures.wall = time.perf_counter() - began
    note_memory(figures, pids, f"after {figures.renders} renders")
    figures.cpu["server"] = cpu_seconds(pids.server) - server_cpu
    if pids.workers:
        figures.cpu["workers (together)"] = sum(cpu_seconds(p) for p in pids.workers) - workers_cpu
    figures.cpu["this harness"] = time.process_time() - own_cpu
    figures.pressure = (cpu_pressure_seconds() - pressure) / figures.wall
    figures.asked = dict(Tab.asked)


def write_timeline(figures: Figures, path: Path) -> None:
    """Every step in the order it started: when a slow step began shows what it queued behind."""
    first = min((started for started, _, _ in figures.timeline), default=0.0)
    epoch = time.time() - (time.perf_counter() - first)  # the first step's start, Unix time
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["started s", "took s", "step", "started (Unix time)"])
        for started, seconds, step in sorted(figures.timeline):
            at = started - first
            writer.writerow([f"{at:.3f}", f"{seconds:.3f}", step, f"{epoch + at:.3f}"])


def table(figures: Figures) -> str:
    """The figures so far: each step's p50, p95 and max, the errors, memory and CPU time."""
    lines = [f"{'step':42} {'n':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"]
    if figures.server_cpu:  # one user alone: what each step costs the server
        lines[0] += f" {'server CPU s (p50)':>19}"
    for step, values in list(figures.steps.items()):
        if values:
            lines.append(
                f"{step:42} {len(values):4d} {statistics.median(values):7.2f} "
                f"{percentile(values, 0.95):7.2f} {max(values):7.2f}"
            )
            if figures.server_cpu.get(step):
                lines[-1] += f" {statistics.median(figures.server_cpu[step]):19.2f}"
    lines.append(f"errors: {len(figures.errors)}")
    lines += [f"  {error}" for error in figures.errors[:20]]
    if len(figures.errors) > 20:
        lines.append(f"  ... and {len(figures.errors) - 20} more")
    lines += [f"memory, {when}: {size / 2**20:.0f} MiB" for when, size in figures.memory.items()]
    lines += [f"CPU time during the crowd, {who}: {s:.0f} s" for who, s in figures.cpu.items()]
    if figures.wall:
        lines.append(
            f"CPU pressure during the crowd: some runnable task waited for a CPU "
            f"{figures.pressure:.0%} of the time"
        )
    if figures.wall:
        lines.append(f"this harness's event loop woke at most {figures.harness_lag:.2f} s late")
    if figures.asked:
        lines.append(
            "asked of the server: " + ", ".join(f"{n} {kind}" for kind, n in figures.asked.items())
        )
    return "\n".join(lines)


PROGRESS = Path(tempfile.gettempdir()) / "advisor-bench-load-progress.txt"
"""The figures so far, rewritten every few seconds while the crowd runs."""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--renders", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--solo", type=int, default=5, help="Renders by one user alone first.")
    parser.add_argument(
        "--think",
        type=parse_think,
        default=(2.0, 8.0),
        metavar="LOW-HIGH",
        help="Seconds a user pauses before each action, at random between LOW and HIGH "
        "(default 2-8; 0: no pause, the worst case).",
    )
    parser.add_argument(
        "--ramp", type=float, default=30.0, help="Seconds over which the users arrive."
    )
    parser.add_argument("--seed", type=int, default=1, help="Seed of the think times.")
    parser.add_argument(
        "--browser",
        action="store_true",
        help="Drive Playwright pages in Chromium instead of Streamlit protocol clients.",
    )
    parser.add_argument(
        "--keep", action="store_true", help="Keep the store and the logs (their folder printed)."
    )
    parser.add_argument(
        "--embedded", action="store_true", help="No broker: the app renders in its own workers."
    )
    parser.add_argument(
        "--solo-only", action="store_true", help="Only the one-user 'Prepare PDF' figure."
    )
    parser.add_argument(
        "--timeline",
        type=Path,
        metavar="FILE",
        help="Write every step as CSV (seconds since the first, seconds taken, step).",
    )
    args = parser.parse_args()
    if args.browser and not Path(CHROMIUM).exists():
        raise SystemExit("Chromium is not installed at /usr/bin/chromium")
    ensure_redis()
    load_before = os.getloadavg()
    pace = Pace(args.think[0], args.think[1], args.ramp, args.seed)
    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-load-"))
    started = time.perf_counter()
    emails = prepare_store(data_dir, args.users)
    print(f"store prepared for {len(emails)} users in {time.perf_counter() - started:.0f} s")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(FAST_HASHING)
    env["ADVISOR_DATA_DIR"] = str(data_dir)
    if not args.embedded:
        env["ADVISOR_BROKER_URL"] = "redis://127.0.0.1:6379/0"
        env["ADVISOR_QUEUE_NAME"] = f"bench-{uuid.uuid4().hex[:8]}"
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start(env, ["serve", "--port", str(port), "--host", "127.0.0.1"], data_dir / "s.log")
    workers = [
        start(env, ["worker"], data_dir / f"w{n}.log")
        for n in range(0 if args.embedded else args.workers)
    ]
    pids = Pids(server.pid, [w.pid for w in workers])
    crowd_emails = [] if args.solo_only else emails
    drive_with = drive if args.browser else drive_protocol
    try:
        wait_healthy(url, server, data_dir / "s.log")
        figures = asyncio.run(
            drive_with(url, emails[:1], crowd_emails, args.renders, pids, args.solo, pace)
        )
    finally:
        for process in [server, *workers]:
            process.terminate()
        for process in [server, *workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    load_after = os.getloadavg()
    clients = "Chromium pages (Playwright)" if args.browser else "Streamlit protocol clients"
    print(
        f"\n{len(crowd_emails)} users ({clients}), {pace.describe()}; "
        f"{'no broker' if args.embedded else f'a queue of {args.workers} workers'}, "
        f"{figures.renders} renders, {figures.wall:.0f} s for the crowd "
        f"(os.cpu_count() = {os.cpu_count()})\n"
        f"load average (1, 5, 15 min) before: {' '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {' '.join(f'{x:.2f}' for x in load_after)}"
    )
    print(table(figures))
    if args.timeline is not None:
        write_timeline(figures, args.timeline)
    if figures.errors or args.keep:
        print(f"(store and logs kept in {data_dir})")
    else:
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if not figures.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
