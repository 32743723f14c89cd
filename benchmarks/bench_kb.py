"""Scale benchmark: load, validate and graph a G-Cloud-sized synthetic knowledge base, then match.

    .venv/bin/python benchmarks/bench_kb.py [--vendors 5000 --offerings 40000 --case-studies 1000]

Each measurement runs in a fresh process so its peak memory (ru_maxrss) is its own.
Targets: load + validate + graph under 5 s and 1 GB; one match under 100 ms median.

With ``--cached``, two more fresh processes load the folder as the CLI does
(``advisor.pipeline.matcher_for``): the first builds entries, graph and matching index and
files them in the knowledge-base cache (``ADVISOR_CACHE_DIR``), the second reads them back;
both report their time, a match's median and their peak memory.

With ``--store``, the folder is imported into a new SQLite store (or ``--store-url``, which
must be an empty, migrated store) and three more fresh processes read its live knowledge base
as the app does (``live_knowledge_base``) and graph it: with the cache off (built), filling
the cache (built) and reading it back; each reports time, CPU time and peak memory.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STEP = r"""
import json, resource, statistics, sys, time
from datetime import date
from pathlib import Path
kb_dir = Path(sys.argv[1])
t0 = time.perf_counter()
from advisor.kb.loader import load_knowledge_base
from advisor.kb.graph import build_graph
kb = load_knowledge_base(kb_dir)
t1 = time.perf_counter()
graph = build_graph(kb)
t2 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
cpu_graph = ru.ru_utime + ru.ru_stime
rss_graph = ru.ru_maxrss
from advisor.matching import build_index, load_matching_rules, match_profile
from advisor.profile import Profile
index = build_index(kb, graph)
t3 = time.perf_counter()
rules = load_matching_rules()
profiles = [
    Profile.model_validate({
        "organisation": {"name": f"Bench Council {i}", "kind": "unitary", "region": "North East"},
        "factors": {"scope": "strategic", "data_use": ["expose", "internal"][i % 2]},
        "barriers": {"legal": i % 5, "financial": (i + 2) % 5, "knowledge": 2},
        "maturity": {"personal_identity_data_management": 1 + i % 3, "data_aggregation_sharing": 2},
        "goals": ["Hospitals", "predict need for support from bus use and school attendance"],
        "constraints": {"budget_gbp": 250000, "prefer_sme": True},
    })
    for i in range(12)
]
match_profile(profiles[0], index, rules, today=date(2026, 11, 24))
times = []
cpu = []
for p in profiles:
    s = time.perf_counter()
    c = time.process_time()
    match_profile(p, index, rules, today=date(2026, 11, 24))
    times.append(time.perf_counter() - s)
    cpu.append(time.process_time() - c)
print(json.dumps({
    "load_validate_s": round(t1 - t0, 2),
    "graph_s": round(t2 - t1, 2),
    "load_validate_graph_s": round(t2 - t0, 2),
    "load_validate_graph_cpu_s": round(cpu_graph, 2),
    "load_validate_graph_rss_mb": round(rss_graph / 1024),
    "index_s": round(t3 - t2, 2),
    "nodes": graph.number_of_nodes(),
    "edges": graph.number_of_edges(),
    "match_median_ms": round(statistics.median(times) * 1000, 1),
    "match_max_ms": round(max(times) * 1000, 1),
    "match_cpu_median_ms": round(statistics.median(cpu) * 1000, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""

CACHED = r"""
import json, resource, statistics, sys, time
from datetime import date
from pathlib import Path
t0 = time.perf_counter()
from advisor.pipeline import matcher_for
m = matcher_for(Path(sys.argv[1]))
t1 = time.perf_counter()
from advisor.profile import Profile
from advisor.matching import match_profile
profile = Profile.model_validate({
    "organisation": {"name": "Bench Council", "kind": "unitary", "region": "North East"},
    "factors": {"scope": "strategic", "data_use": "expose"},
    "barriers": {"legal": 2, "financial": 3, "knowledge": 2},
    "maturity": {"personal_identity_data_management": 1, "data_aggregation_sharing": 2},
    "goals": ["Hospitals", "predict need for support from bus use and school attendance"],
    "constraints": {"budget_gbp": 250000, "prefer_sme": True},
})
times = []
for _ in range(7):
    s = time.process_time()
    match_profile(profile, m.index, m.rules, today=date(2026, 11, 24))
    times.append(time.process_time() - s)
print(json.dumps({
    "matcher_s": round(t1 - t0, 2),
    "match_cpu_median_ms": round(statistics.median(times) * 1000, 1),
    "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
}))
"""


STORE = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from advisor.kb.graph import build_graph
from advisor.services.kb_revisions import live_knowledge_base
from advisor.store.database import Database
live = live_knowledge_base(Database(sys.argv[1]))
t1 = time.perf_counter()
graph = build_graph(live.kb)
t2 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({
    "revision": live.revision,
    "vendors": len(live.kb.vendors),
    "read_s": round(t1 - t0, 2),
    "read_graph_s": round(t2 - t0, 2),
    "read_graph_cpu_s": round(ru.ru_utime + ru.ru_stime, 2),
    "peak_rss_mb": round(ru.ru_maxrss / 1024),
}))
"""

IMPORT = r"""
import sys, time
from advisor.services.kb_revisions import import_knowledge_base
from advisor.services.permissions import OPERATOR
from advisor.store import migrate
from advisor.store.database import Database
db = Database(sys.argv[1])
if sys.argv[3] == "new":
    migrate.upgrade(db)
t = time.perf_counter()
result = import_knowledge_base(db, OPERATOR, sys.argv[2], "benchmark")
took = time.perf_counter() - t
print(f"import: revision {result.revision}, {result.added} entries, {took:.1f} s")
"""


def store_runs(kb_dir: Path, url: str, new: bool) -> None:
    """Import ``kb_dir`` into the store at ``url``, then read it back three ways."""
    out = subprocess.run(
        [sys.executable, "-c", IMPORT, url, str(kb_dir), "new" if new else "given"],
        check=True,
        capture_output=True,
        text=True,
    )
    print(out.stdout.strip())
    with tempfile.TemporaryDirectory() as cache_dir:
        for label, env_cache in (
            ("store, cache off (built)", "off"),
            ("store, cache filled (built)", cache_dir),
            ("store, cache read", cache_dir),
        ):
            out = subprocess.run(
                [sys.executable, "-c", STORE, url],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ, "ADVISOR_CACHE_DIR": env_cache},
            )
            print(f"{label}: {out.stdout.strip()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--vendors", type=int, default=5000)
    parser.add_argument("--offerings", type=int, default=40000)
    parser.add_argument("--case-studies", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--kb", type=Path, help="use this synthetic folder instead of writing one")
    parser.add_argument(
        "--cached", action="store_true", help="also time loading through the knowledge-base cache"
    )
    parser.add_argument(
        "--store", action="store_true", help="also time reading it back from a store"
    )
    parser.add_argument("--store-url", help="an empty, migrated store to use for --store")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = args.kb or Path(tmp) / "synth"
        if args.kb is None:
            t = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "advisor.cli",
                    "kb",
                    "synth",
                    "-o",
                    str(kb_dir),
                    "--vendors",
                    str(args.vendors),
                    "--offerings",
                    str(args.offerings),
                    "--case-studies",
                    str(args.case_studies),
                    "--seed",
                    "1",
                ],
                check=True,
            )
            print(f"synth: {time.perf_counter() - t:.1f} s")
        runs = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", STEP, str(kb_dir)],
                check=True,
                capture_output=True,
                text=True,
            )
            runs.append(json.loads(out.stdout))
            print(out.stdout.strip())
        summary = {
            k: statistics.median(r[k] for r in runs)
            for k in (
                "load_validate_graph_s",
                "load_validate_graph_cpu_s",
                "load_validate_graph_rss_mb",
                "match_median_ms",
                "peak_rss_mb",
            )
        }
        print("median of runs:", json.dumps(summary))
        if args.cached:
            for label in ("cache filled (built)", "cache read"):
                out = subprocess.run(
                    [sys.executable, "-c", CACHED, str(kb_dir.resolve())],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                print(f"{label}: {out.stdout.strip()}")
        if args.store or args.store_url:
            url = args.store_url or f"sqlite:///{Path(tmp) / 'store.sqlite'}"
            store_runs(kb_dir.resolve(), url, new=args.store_url is None)
    _ = resource  # imported for readers: the child processes report ru_maxrss


if __name__ == "__main__":
    main()
