"""Public contract awards at feed scale: import 100,000 releases, then match with them loaded.

    .venv/bin/python benchmarks/bench_awards.py [--releases 100000] [--runs 5]

1. Writes a synthetic Contracts Finder-shaped release package: one tender and one award release
   per process (so 100,000 releases are 50,000 processes), 600 buyers (councils and
   departments), 4,000 suppliers with Companies House numbers, CPV codes of which about seven
   in ten are technology; a few awards in euros, without values or with empty supplier names.
2. Imports it into a fresh SQLite store holding the bundled knowledge base
   (``advisor awards import`` without ``--kb``), in a child process: wall time and the child's
   peak memory (``ru_maxrss``). Targets (issue 17): under 60 s and 500 MB.
3. Loads the store's live knowledge base with those awards, builds the matching index once
   (as the app does once per revision) and times ``match_profile`` for a persona, median of
   ``--runs`` after a warm-up, with and without the awards, and the market part alone.
   Target: one match under 100 ms with the evidence loaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PERSONA = ROOT / "tests" / "personas" / "kirklees_grant.yaml"
TODAY = date(2026, 12, 1)
CPV = [
    ("72300000", "Data services"),
    ("72316000", "Data analysis services"),
    ("48000000", "Software package and information systems"),
    ("72222300", "Information technology services"),
    ("32400000", "Networks"),
    ("48730000", "Security software package"),
    ("72000000", "IT services"),
    ("45000000", "Construction work"),
    ("77310000", "Planting and maintenance services of green areas"),
    ("85000000", "Health and social work services"),
]
WEIGHTS = [14, 10, 14, 10, 6, 6, 10, 12, 9, 9]
KINDS = ["Borough Council", "County Council", "City Council", "District Council", "Council"]
WORDS = ["data platform", "case management", "analytics", "network", "identity", "hosting"]


def write_feed(path: Path, releases: int, seed: int = 17) -> None:
    """A release package of ``releases`` releases, written as it is made (never whole)."""
    rng = random.Random(seed)  # noqa: S311 (synthetic data, not security)
    places = [f"Place{i:03d}" for i in range(520)]
    buyers = [f"{p} {rng.choice(KINDS)}" for p in places] + [
        f"Department for Topic {i}" for i in range(80)
    ]
    suppliers = [(f"Supplier {i:04d} Limited", f"{10_000_000 + i:08d}") for i in range(4000)]
    start = date(2019, 1, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write('{"uri": "synthetic", "version": "1.1", "releases": [\n')
        for n in range(releases // 2):
            ocid = f"ocds-b5fd17-{n:08x}-synthetic"
            buyer = rng.choice(buyers)
            cpv, cpv_name = rng.choices(CPV, WEIGHTS)[0]
            title = f"{rng.choice(WORDS).capitalize()} for {buyer}"
            day = start + timedelta(days=rng.randrange(2800))
            tender = {
                "id": f"T{n}",
                "title": title,
                "description": f"{title}: {cpv_name.lower()} for three years.",
                "classification": {"scheme": "CPV", "id": cpv, "description": cpv_name},
                "procurementMethodDetails": rng.choice(
                    ["Open procedure", "Call-off from a framework agreement (G-Cloud 14)"]
                ),
            }
            name, number = rng.choice(suppliers)
            value: dict[str, object] = {
                "amount": rng.randrange(5_000, 3_000_000),
                "currency": "GBP",
            }
            roll = rng.random()
            if roll < 0.02:
                value = {"amount": value["amount"], "currency": "EUR"}
            elif roll < 0.05:
                value = {}
            supplier_name = "" if rng.random() < 0.01 else name
            award = {
                "id": f"{ocid}-1",
                "status": "active",
                "date": f"{day.isoformat()}T00:00:00Z",
                "value": value,
                "suppliers": [{"id": f"GB-COH-{number}", "name": supplier_name}],
                "contractPeriod": {
                    "startDate": f"{day.isoformat()}T00:00:00Z",
                    "endDate": f"{day + timedelta(days=365 * rng.randint(1, 5))}T00:00:00Z",
                },
                "documents": [
                    {
                        "id": "1",
                        "documentType": "awardNotice",
                        "url": f"https://www.contractsfinder.service.gov.uk/Notice/{n:08x}",
                    }
                ],
            }
            parties: list[dict[str, Any]] = [
                {
                    "id": f"GB-CFS-{zlib.crc32(buyer.encode()) % 10**6}",
                    "name": buyer,
                    "roles": ["buyer"],
                },
                {
                    "id": f"GB-COH-{number}",
                    "name": supplier_name,
                    "identifier": {"scheme": "GB-COH", "id": number},
                    "roles": ["supplier"],
                },
            ]
            base = {"ocid": ocid, "buyer": {"id": parties[0]["id"], "name": buyer}}
            first = {
                **base,
                "id": f"{ocid}-t",
                "date": f"{(day - timedelta(days=60)).isoformat()}T09:00:00Z",
                "tag": ["tender"],
                "tender": tender,
                "parties": parties[:1],
            }
            second = {
                **base,
                "id": f"{ocid}-a",
                "date": f"{day.isoformat()}T09:00:00Z",
                "tag": ["award"],
                "awards": [award],
                "parties": parties,
            }
            sep = "" if n == 0 else ",\n"
            out.write(sep + json.dumps(first) + ",\n" + json.dumps(second))
        out.write("\n]}\n")


def child_import(feed: Path, database_url: str) -> None:
    """Run in a child process: import the feed into the store and print the summary."""
    from advisor.kb.loader import BUNDLED_KB_DIR
    from advisor.services import kb_revisions
    from advisor.services.awards import import_awards
    from advisor.services.permissions import OPERATOR
    from advisor.store import migrate
    from advisor.store.database import Database

    db = Database(database_url)
    migrate.upgrade(db)
    kb_revisions.import_knowledge_base(db, OPERATOR, BUNDLED_KB_DIR)
    phases: dict[str, tuple[float, float, float]] = {}
    """Each phase (reading, compiling, writing): its first and last report and the CPU time
    used by its last, in seconds from the start of the import."""

    def cpu_now() -> float:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime

    def progress(what: str, done: int, total: int) -> None:
        name = what.split(" ")[0]
        now, cpu = time.perf_counter() - start, cpu_now() - start_cpu
        phases[name] = (phases[name][0] if name in phases else now, now, cpu)

    before = resource.getrusage(resource.RUSAGE_SELF)
    base = before.ru_maxrss
    start = time.perf_counter()
    start_cpu = cpu_now()
    summary = import_awards(db, OPERATOR, [feed], progress=progress, today=TODAY)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    peak = after.ru_maxrss
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(
        json.dumps(
            {
                "seconds": took,
                "cpu_seconds": cpu,
                "peak_mb": peak / 1024,
                "before_mb": base / 1024,
                "imported": summary.imported,
                "suppliers_added": summary.suppliers_added,
                "skipped": summary.skipped,
                "noted": summary.noted,
                "phases": phases,
                "load": os.getloadavg(),
            }
        )
    )


def match_times(database_url: str, runs: int) -> dict[str, float]:
    from advisor.assessment_input import load_assessment_input
    from advisor.kb.rule_files import bundled_rule_files
    from advisor.matching import build_index, match_profile
    from advisor.matching.market import market_index
    from advisor.services.kb_revisions import live_knowledge_base
    from advisor.store.database import Database

    db = Database(database_url)
    start = time.perf_counter()
    kb = live_knowledge_base(db).kb
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    index = build_index(kb)
    market_index(kb)
    built = time.perf_counter() - start
    rules = bundled_rule_files()
    profile = load_assessment_input(PERSONA, rules.questionnaire, rules.scoring).profile
    bare = build_index(kb.model_copy(update={"awards": [], "suppliers": []}))

    def median_ms(idx: object) -> float:
        match_profile(profile, idx, rules.matching, today=TODAY)  # type: ignore[arg-type]
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            rec = match_profile(profile, idx, rules.matching, today=TODAY)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t)
        assert idx is bare or rec.market is not None
        return statistics.median(times) * 1000

    return {
        "awards_on_file": len(kb.awards),
        "load_s": loaded,
        "index_s": built,
        "match_ms_with_awards": median_ms(index),
        "match_ms_without": median_ms(bare),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--releases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--child", nargs=2, metavar=("FEED", "DATABASE_URL"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.child:
        child_import(Path(args.child[0]), args.child[1])
        return
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.json"
        start = time.perf_counter()
        write_feed(feed, args.releases)
        print(
            f"feed: {args.releases:,} releases, {feed.stat().st_size / 1e6:.0f} MB, "
            f"written in {time.perf_counter() - start:.1f} s"
        )
        url = f"sqlite:///{tmp}/store.db"
        load = os.getloadavg()
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(feed), url],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        wall = time.perf_counter() - started
        result = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"import: {result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU "
            f"(child process {wall:.1f} s with start-up and "
            f"seeding), peak memory {result['peak_mb']:.0f} MB "
            f"({result['before_mb']:.0f} MB before the import)"
        )
        print(
            "  phases (from the start of the import, seconds): "
            + ", ".join(
                f"{name} {begin:.1f}-{end:.1f} (CPU so far {cpu:.1f})"
                for name, (begin, end, cpu) in result["phases"].items()
            )
        )
        print(
            "  machine load (1, 5, 15 min) before the import "
            f"{', '.join(f'{x:.1f}' for x in load)}, after "
            f"{', '.join(f'{x:.1f}' for x in result['load'])} ({os.cpu_count()} CPUs)"
        )
        print(
            f"  {result['imported']:,} processes imported, {result['suppliers_added']:,} suppliers"
        )
        print(f"  skipped: {result['skipped']}")
        print(f"  noted: {result['noted']}")
        times = match_times(url, args.runs)
        print(
            f"match with {times['awards_on_file']:,} awarded processes loaded: "
            f"{times['match_ms_with_awards']:.0f} ms (without awards "
            f"{times['match_ms_without']:.0f} ms); loading the live knowledge base "
            f"{times['load_s']:.1f} s, building the indexes {times['index_s']:.1f} s (once "
            "per revision)"
        )


if __name__ == "__main__":
    main()
