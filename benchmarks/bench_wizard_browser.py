"""How long a wizard step takes in the browser, from the click to the page settled.

A real server (``advisor serve`` on a fresh store) and headless Chromium: a council lead
resumes a draft and (1) answers a question, which reruns the page and saves the answer, and
(2) moves between sections with "Save and continue" and "Back". Each time is from the click
to the end of the rerun the click caused, as the page itself sees it (Streamlit's script
state going from running back to not running). Median and 95th percentile of RUNS each.
Run: python benchmarks/bench_wizard_browser.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from served import free_port, wait_healthy

ROOT = Path(__file__).resolve().parents[1]
RUNS = 20
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FAST = {
    "ADVISOR_ARGON2_TIME_COST": "1",
    "ADVISOR_ARGON2_MEMORY_KIB": "1024",
    "ADVISOR_ARGON2_PARALLELISM": "1",
}
WATCH = """() => { window.__step = new Promise(resolve => {
  const app = document.querySelector('[data-testid="stApp"]');
  const t0 = performance.now(); let started = false;
  const seen = new MutationObserver(() => {
    const state = app.getAttribute('data-test-script-state');
    if (state === 'running') { started = true; }
    else if (started) { seen.disconnect(); resolve(performance.now() - t0); }
  });
  seen.observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  setTimeout(() => { seen.disconnect(); resolve(-1); }, 60000);  // no rerun came
}); }"""


def _timed(page: Any, click: Any) -> float:
    page.evaluate(WATCH)
    click()
    return float(page.evaluate("window.__step"))


def _settle(page: Any) -> None:
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=60_000)


def _summary(name: str, times: list[float]) -> str:
    times = sorted(times)
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return f"{name}: median {statistics.median(times):.0f} ms, p95 {p95:.0f} ms (n={len(times)})"


def main() -> int:
    from playwright.sync_api import sync_playwright

    data_dir = Path(tempfile.mkdtemp(prefix="advisor-bench-wizard-"))
    env = {**os.environ, **FAST, "ADVISOR_DATA_DIR": str(data_dir)}
    env.pop("ADVISOR_DATABASE_URL", None)
    os.environ.update({**FAST, "ADVISOR_DATA_DIR": str(data_dir)})
    os.environ.pop("ADVISOR_DATABASE_URL", None)
    from advisor.app.first_run import create_demo_accounts, prepare_store
    from advisor.services.app_support import open_store
    from advisor.settings import load_settings

    settings = load_settings()
    db = open_store(settings)
    prepare_store(db, settings)
    accounts = {a.email.split("@")[0]: a for a in create_demo_accounts(db, settings)}
    db.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "advisor.cli", "serve", "--port", str(port), "--host", "127.0.0.1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(url, server, data_dir / "server.log", seconds=120)
        lead = accounts["lead"]
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(url)
            page.locator(".st-key-sign_in_email input").wait_for(timeout=120_000)
            page.locator(".st-key-sign_in_email input").fill(lead.email)
            page.locator(".st-key-sign_in_password input").fill(lead.password)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_text(f"Signed in as {lead.email}").first.wait_for()
            _settle(page)
            page.get_by_role("button", name="Start").click()
            page.get_by_text("Section 1 of").first.wait_for()
            _settle(page)
            page.get_by_role("button", name="Save and continue").click()
            page.get_by_text("Section 2 of").first.wait_for()
            _settle(page)
            group = page.locator(".st-key-wizard_q_proj_scope")
            choices = ["One specific problem", "Several problems across services"]
            answers: list[float] = []
            first = 1 if group.get_by_role("radio", name=choices[0]).is_checked() else 0
            for i in range(RUNS + 3):
                option = group.get_by_text(choices[(i + first) % 2], exact=True).first
                took = _timed(page, option.click)
                _settle(page)
                if i >= 3 and took >= 0:  # after a warm-up
                    answers.append(took)
            steps: list[float] = []
            for i in range(RUNS + 2):
                key = "wizard_next" if i % 2 == 0 else "wizard_back"
                took = _timed(page, page.locator(f".st-key-{key} button").first.click)
                _settle(page)
                if i >= 2 and took >= 0:
                    steps.append(took)
            browser.close()
        print(_summary("answer a question (rerun and save)", answers))
        print(_summary("next or previous section", steps))
        print(f"load average: {os.getloadavg()[0]:.1f}")
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
