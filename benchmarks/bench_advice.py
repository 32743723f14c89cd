"""Advice quality: does the advisor lead each need to the case studies and vendors the report would?

    .venv/bin/python benchmarks/bench_advice.py [--json] [--kb DIR]

The labelled set is ``benchmarks/advice_eval/needs.yaml``: needs in a council officer's words,
each labelled (from the report, not from the advisor's output) with the case studies and
vendors that answer it, plus a set of varied bodies. Each need becomes the single goal of a
neutral base profile (with the need's own tweaks) and is matched; the bodies are matched as
they are. Figures:

- case hit@3: share of needs with a labelled case study among the first three;
- vendor hit@5: share of needs with a labelled vendor among the first five;
- case and vendor MRR: mean of 1/rank of the first labelled item (0 when none is listed);
- diversity: over needs and bodies together, the share of runs whose top five vendors include
  the single most frequent vendor (lower is more varied), and which vendors and case studies
  never reach a top five or top three at all.

The knowledge base and its index are built once; every run uses the same date, so the figures
are the same from one run to the next.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

NEEDS_FILE = Path(__file__).resolve().parent / "advice_eval" / "needs.yaml"
"""The labelled needs and the bodies."""

TODAY = date(2026, 12, 1)
CASE_CUTOFF = 3
VENDOR_CUTOFF = 5
WIDE = 50
"""How long a list to ask for, so that a labelled item just past the cut-off still has a rank."""


@dataclass(frozen=True)
class NeedResult:
    """What one need got back, and whether a labelled item was near the top."""

    id: str
    need: str
    case_labels: list[str]
    vendor_labels: list[str]
    cases: list[str]
    """Case-study ids, best first (as long as the advisor lists them)."""
    vendors: list[str]
    """Vendor ids, best first."""
    case_rank: int | None
    """Rank (from 1) of the first labelled case study; none when none is listed."""
    vendor_rank: int | None

    @property
    def case_hit(self) -> bool:
        return self.case_rank is not None and self.case_rank <= CASE_CUTOFF

    @property
    def vendor_hit(self) -> bool:
        return self.vendor_rank is not None and self.vendor_rank <= VENDOR_CUTOFF


@dataclass(frozen=True)
class NeedMiss:
    """A need whose labelled case studies or vendors are not near the top."""

    id: str
    need: str
    missed: list[str]
    """``case_studies`` and/or ``vendors``."""
    wanted_cases: list[str]
    got_cases: list[str]
    """The top three case studies."""
    wanted_vendors: list[str]
    got_vendors: list[str]
    """The top five vendors."""


@dataclass
class AdviceEval:
    """The headline figures, the diversity figures and the misses."""

    needs: int
    bodies: int
    case_needs: int
    """Needs with at least one labelled case study (the case figures are over these)."""
    vendor_needs: int
    case_hit_at_3: float
    vendor_hit_at_5: float
    case_mrr: float
    vendor_mrr: float
    runs: int
    """Needs and bodies matched, for the diversity figures."""
    diversity_share: float
    """Share of runs whose top five vendors include the most frequent one."""
    top_vendor_id: str
    top_vendor: str
    vendors_never_top5: list[str] = field(default_factory=list)
    """Names of vendors in no run's top five."""
    cases_never_top3: list[str] = field(default_factory=list)
    """Names of case studies in no run's top three."""
    vendors_top5_counts: dict[str, int] = field(default_factory=dict)
    """Runs in whose top five each vendor appears (vendor name to count), most first."""
    misses: list[NeedMiss] = field(default_factory=list)
    results: list[NeedResult] = field(default_factory=list)

    def headline(self) -> dict[str, float]:
        """The figures the tests hold floors (and a ceiling) on."""
        return {
            "case_hit_at_3": self.case_hit_at_3,
            "vendor_hit_at_5": self.vendor_hit_at_5,
            "case_mrr": self.case_mrr,
            "vendor_mrr": self.vendor_mrr,
            "diversity_share": self.diversity_share,
        }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("results")
        return data


def load_needs(path: Path = NEEDS_FILE) -> dict[str, Any]:
    """The labelled set as plain data."""
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at the top")
    return data


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def need_profile(base: dict[str, Any], need: dict[str, Any]) -> dict[str, Any]:
    """The base profile with the need's tweaks laid over it and the need as its single goal."""
    data = _merge(base, need.get("tweaks") or {})
    data["goals"] = [need["need"]]
    return data


def _first_rank(ranked: list[str], labels: list[str]) -> int | None:
    wanted = set(labels)
    for rank, item in enumerate(ranked, 1):
        if item in wanted:
            return rank
    return None


def _wide_rules(rules: Any) -> Any:
    """The matching rules with a longer case-study list, so ranks past the top three count."""
    try:
        longer = rules.case_study.model_copy(update={"limit": WIDE})
        return rules.model_copy(update={"case_study": longer})
    except AttributeError:  # rules without a case-study limit: use them as they are
        return rules


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


def evaluate(kb_dir: Path | None = None, today: date = TODAY) -> AdviceEval:
    """Match every labelled need and every body once, and compute the figures."""
    # imported here so that ``--help`` and the tests' file checks stay light
    from advisor.kb.loader import BUNDLED_KB_DIR, load_knowledge_base
    from advisor.matching import build_index, load_matching_rules, match_profile
    from advisor.profile import Profile

    kb_dir = kb_dir or BUNDLED_KB_DIR
    kb = load_knowledge_base(kb_dir)
    index = build_index(kb)
    rules = _wide_rules(load_matching_rules(kb_dir))
    vendor_names = {v.id: v.name for v in kb.vendors}
    case_names = {c.id: c.name for c in kb.case_studies}
    shortlist = max(VENDOR_CUTOFF, min(WIDE, len(vendor_names)))

    def run(data: dict[str, Any]) -> tuple[list[str], list[str]]:
        rec = match_profile(
            Profile.model_validate(data), index, rules, today=today, shortlist=shortlist
        )
        return [c.id for c in rec.case_studies], [v.id for v in rec.vendors]

    spec = load_needs()
    base = spec["base_profile"]
    results: list[NeedResult] = []
    top_cases: list[list[str]] = []
    top_vendors: list[list[str]] = []
    for need in spec["needs"]:
        cases, vendors = run(need_profile(base, need))
        case_labels = list(need.get("case_studies") or [])
        vendor_labels = list(need.get("vendors") or [])
        results.append(
            NeedResult(
                id=need["id"],
                need=need["need"],
                case_labels=case_labels,
                vendor_labels=vendor_labels,
                cases=cases,
                vendors=vendors,
                case_rank=_first_rank(cases, case_labels),
                vendor_rank=_first_rank(vendors, vendor_labels),
            )
        )
        top_cases.append(cases[:CASE_CUTOFF])
        top_vendors.append(vendors[:VENDOR_CUTOFF])
    for body in spec["bodies"]:
        cases, vendors = run(body)
        top_cases.append(cases[:CASE_CUTOFF])
        top_vendors.append(vendors[:VENDOR_CUTOFF])

    with_cases = [r for r in results if r.case_labels]
    with_vendors = [r for r in results if r.vendor_labels]

    counts = Counter(v for top in top_vendors for v in set(top))
    # the most frequent vendor; equal counts go to the id first in alphabetical order
    top_id, top_count = min(counts.items(), key=lambda kv: (-kv[1], kv[0])) if counts else ("", 0)
    seen_cases = {c for top in top_cases for c in top}

    misses = [
        NeedMiss(
            id=r.id,
            need=r.need,
            missed=[
                kind
                for kind, labels, hit in (
                    ("case_studies", r.case_labels, r.case_hit),
                    ("vendors", r.vendor_labels, r.vendor_hit),
                )
                if labels and not hit
            ],
            wanted_cases=r.case_labels,
            got_cases=r.cases[:CASE_CUTOFF],
            wanted_vendors=r.vendor_labels,
            got_vendors=r.vendors[:VENDOR_CUTOFF],
        )
        for r in results
        if (r.case_labels and not r.case_hit) or (r.vendor_labels and not r.vendor_hit)
    ]
    runs = len(top_vendors)
    return AdviceEval(
        needs=len(results),
        bodies=len(spec["bodies"]),
        case_needs=len(with_cases),
        vendor_needs=len(with_vendors),
        case_hit_at_3=_mean([1.0 if r.case_hit else 0.0 for r in with_cases]),
        vendor_hit_at_5=_mean([1.0 if r.vendor_hit else 0.0 for r in with_vendors]),
        case_mrr=_mean([1 / r.case_rank if r.case_rank else 0.0 for r in with_cases]),
        vendor_mrr=_mean([1 / r.vendor_rank if r.vendor_rank else 0.0 for r in with_vendors]),
        runs=runs,
        diversity_share=round(top_count / runs, 4) if runs else 0.0,
        top_vendor_id=top_id,
        top_vendor=vendor_names.get(top_id, top_id),
        vendors_never_top5=sorted(n for i, n in vendor_names.items() if i not in counts),
        cases_never_top3=sorted(n for i, n in case_names.items() if i not in seen_cases),
        vendors_top5_counts={
            vendor_names.get(i, i): n
            for i, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        },
        misses=misses,
        results=results,
    )


def render(ev: AdviceEval) -> str:
    """The figures as a plain table for people."""
    pct = "{:.0%}".format
    rows = [
        ("Needs judged", f"{ev.needs} ({ev.case_needs} with case studies labelled)"),
        ("Bodies (for diversity)", str(ev.bodies)),
        ("Right case study in the top 3", pct(ev.case_hit_at_3)),
        ("Right vendor in the top 5", pct(ev.vendor_hit_at_5)),
        ("Case studies: mean reciprocal rank", f"{ev.case_mrr:.2f}"),
        ("Vendors: mean reciprocal rank", f"{ev.vendor_mrr:.2f}"),
        (
            "Most frequent vendor in a top 5",
            f"{ev.top_vendor}, in {pct(ev.diversity_share)} of {ev.runs} runs",
        ),
    ]
    width = max(len(k) for k, _ in rows)
    lines = ["How good the advice is", ""]
    lines += [f"  {k:<{width}}  {v}" for k, v in rows]
    lines += ["", "Vendors never in a top 5:"]
    lines += [f"  - {n}" for n in ev.vendors_never_top5] or ["  (none)"]
    lines += ["", "Case studies never in a top 3:"]
    lines += [f"  - {n}" for n in ev.cases_never_top3] or ["  (none)"]
    lines += ["", "How often each vendor is in a top 5:"]
    lines += [f"  {n:<32} {c}" for n, c in ev.vendors_top5_counts.items()]
    lines += ["", f"Needs missed ({len(ev.misses)}):"]
    for m in ev.misses:
        lines.append(f"  {m.id}: missed {' and '.join(m.missed)}")
        if "case_studies" in m.missed:
            lines.append(f"      cases wanted {m.wanted_cases}, got {m.got_cases}")
        if "vendors" in m.missed:
            lines.append(f"      vendors wanted {m.wanted_vendors}, got {m.got_vendors}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Advice quality against the labelled needs.")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--kb", type=Path, help="knowledge-base folder (default: bundled)")
    args = parser.parse_args(argv)
    ev = evaluate(args.kb)
    if args.json:
        print(json.dumps(ev.to_dict(), indent=2))
    else:
        print(render(ev))
    return 0


if __name__ == "__main__":
    sys.exit(main())
