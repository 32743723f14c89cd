"""Load: many people at once against one app server, reports rendered by a queue of workers.

    .venv/bin/python benchmarks/bench_load.py [--users 50] [--renders 2] [--workers 2]

Sets up a fresh store (one council body, account, draft and submitted assessment per user),
starts one ``advisor serve`` with ``ADVISOR_BROKER_URL`` on the local Redis and ``--workers``
``advisor worker`` processes, then drives ``--users`` Playwright contexts in one headless
Chromium (/usr/bin/chromium), all at once. Each simulated user:

1. signs in (from pressing "Sign in" to the signed-in page);
2. answers in the wizard: continues the draft (to its section shown), goes back a section,
   then saves and continues (each: from the click to the next section shown);
3. opens the results (from the click in the navigation to the results shown) and prepares
   the PDF report (from "Prepare the PDF report" to its download button), ``--renders``
   times (reloading the page between).

Printed: p50, p95 and max of each step in seconds, errors, and the server's resident memory
before the renders, after half of them and after all. Before the crowd arrives one user
alone prepares the PDF ``--solo`` times (the "Prepare PDF" figure on an otherwise idle server).
Needs Redis at 127.0.0.1:6379 (started if installed and stopped) and Chromium.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    from jobs_world import redis_reachable

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


def wait_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:  # noqa: S310
                if r.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(log.read_text())
        time.sleep(0.3)


async def timed(figures: Figures, step: str, action: Any, done: Any) -> None:
    started = time.perf_counter()
    await action()
    await done()
    figures.steps[step].append(time.perf_counter() - started)


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


async def user(browser: Any, url: str, email: str, renders: int, figures: Figures) -> None:
    """One person: signs in (landing on the wizard), answers, then prepares reports."""
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(STEP_TIMEOUT_MS)
    try:
        await sign_in(page, url, email, figures)
        await wizard(page, figures)
        for n in range(renders):
            if n:
                await reopen(page, url, email)
            await render(page, figures, "prepare the PDF (under load)")
    except Exception as exc:
        figures.errors.append(f"{email}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
    finally:
        await context.close()


async def drive(
    url: str, solo_user: list[str], emails: list[str], renders: int, server_pid: int, solo: int
) -> Figures:
    from playwright.async_api import async_playwright

    figures = Figures()
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
        alone = lone.steps["prepare the PDF (one user alone)"][1:]  # the first warms up
        figures.steps["prepare the PDF (one user alone)"] = alone
        figures.memory["server before the crowd"] = rss_bytes(server_pid)

        total = len(emails) * renders

        async def watch() -> None:
            half_seen = False
            while figures.renders < total and len(figures.errors) < len(emails):
                if not half_seen and figures.renders >= total // 2:
                    figures.memory[f"server after {figures.renders} renders"] = rss_bytes(
                        server_pid
                    )
                    half_seen = True
                PROGRESS.write_text(f"{figures.renders} renders so far\n{table(figures)}\n")
                await asyncio.sleep(0.5)

        watcher = asyncio.create_task(watch())
        await asyncio.gather(*(user(browser, url, e, renders, figures) for e in emails))
        watcher.cancel()
        figures.memory[f"server after {figures.renders} renders"] = rss_bytes(server_pid)
        await browser.close()
    return figures


def table(figures: Figures) -> str:
    """The figures so far: each step's p50, p95 and max, the errors, the server's memory."""
    lines = [f"{'step':42} {'n':>4} {'p50 s':>7} {'p95 s':>7} {'max s':>7}"]
    for step, values in list(figures.steps.items()):
        if values:
            lines.append(
                f"{step:42} {len(values):4d} {statistics.median(values):7.2f} "
                f"{percentile(values, 0.95):7.2f} {max(values):7.2f}"
            )
    lines.append(f"errors: {len(figures.errors)}")
    lines += [f"  {error}" for error in figures.errors[:10]]
    lines += [f"memory, {when}: {size / 2**20:.0f} MiB" for when, size in figures.memory.items()]
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
        "--embedded", action="store_true", help="No broker: the app renders in its own workers."
    )
    parser.add_argument(
        "--solo-only", action="store_true", help="Only the one-user 'Prepare PDF' figure."
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit("Chromium is not installed at /usr/bin/chromium")
    ensure_redis()
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
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    server = start(env, ["serve", "--port", str(port), "--host", "127.0.0.1"], data_dir / "s.log")
    workers = [
        start(env, ["worker"], data_dir / f"w{n}.log")
        for n in range(0 if args.embedded else args.workers)
    ]
    try:
        wait_healthy(url, server, data_dir / "s.log")
        began = time.perf_counter()
        crowd = [] if args.solo_only else emails
        figures = asyncio.run(drive(url, emails[:1], crowd, args.renders, server.pid, args.solo))
        wall = time.perf_counter() - began
    finally:
        for process in [server, *workers]:
            process.terminate()
        for process in [server, *workers]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    print(
        f"\n{len(crowd)} users at once, "
        f"{'no broker' if args.embedded else f'{args.workers} workers'}, "
        f"{figures.renders} renders, "
        f"{wall:.0f} s in all (os.cpu_count() = {os.cpu_count()})"
    )
    print(table(figures))
    shutil.rmtree(data_dir, ignore_errors=True)
    return 0 if not figures.errors else 1


if __name__ == "__main__":
    raise SystemExit(main())
