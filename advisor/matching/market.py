"""Market evidence from public contract awards: who bought what answers this body's need, from
whom, for how much and until when; who has won such contracts; which end soon.

The need is the body's top gaps (their technology areas and priorities). An award answers it
when its areas (CPV codes and words, ``market.yaml``) meet those areas. Peers are ranked by the
share of the need's priority the award answers, then by a buyer of the same kind (or any
council for a council), then by how recent it is. A vendor's track record counts its awards in
the need's areas, its merged suppliers' included; a rejected supplier's count for no one.
Everything is read from an index built once per knowledge base.
"""

from __future__ import annotations

import bisect
import heapq
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from advisor.explaining import say_all
from advisor.kb.graph import FRAMEWORK_NAMES
from advisor.kb.market_rules import MarketRules
from advisor.kb.models import AwardedProcess, ContractAward, KnowledgeBase
from advisor.recommendation import MarketAward, MarketEvidence, Reason, TrackRecord, VendorItem
from advisor.vocabulary import ORG_KIND_NAMES, OrgKind

if TYPE_CHECKING:
    from advisor.matching.context import MatchContext

COUNCILS = frozenset(
    {
        OrgKind.district,
        OrgKind.county,
        OrgKind.unitary,
        OrgKind.metropolitan,
        OrgKind.london_borough,
    }
)
PEERS = 5
ENDING = 5
TRACK_RECORDS = 5
SAME_KIND, SAME_FAMILY, RECENT = 0.25, 0.15, 0.15
"""Score parts besides the need's share (0.6 at most): a buyer of the body's own kind, a
council for a council, and an award in the last two years."""


@dataclass(frozen=True)
class Row:
    """One award of one process, with the supplier nodes it counts for."""

    process: AwardedProcess
    award: ContractAward
    suppliers: tuple[tuple[str, str, bool], ...]
    """(node key, name, reviewed) per supplier that counts."""


@dataclass
class MarketIndex:
    """Rows grouped so one match reads only what can rank: by (areas, buyer kind), newest
    first; by contract end; and per supplier, newest first, with counts per set of areas."""

    groups: dict[tuple[frozenset[str], OrgKind | None], list[Row]] = field(default_factory=dict)
    ends: list[tuple[int, Row]] = field(default_factory=list)
    rows_by_supplier: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    wins: dict[frozenset[str], Counter[str]] = field(default_factory=dict)
    """Per set of areas, how many awards each supplier node won."""
    ranked: dict[frozenset[str], list[str]] = field(default_factory=dict)
    """Per need (a set of areas), the supplier nodes with most wins in it (filled as asked)."""
    names: dict[str, tuple[str, bool]] = field(default_factory=dict)
    awards_on_file: int = 0


def build_market_index(kb: KnowledgeBase) -> MarketIndex:
    """Awards by area and by supplier (vendors and merged suppliers resolved), newest first."""
    index = MarketIndex()
    vendors = {v.id: v.name for v in kb.vendors}
    suppliers = {s.id: s for s in kb.suppliers}
    for process in kb.awards:
        for award in process.awards:
            counted: list[tuple[str, str, bool]] = []
            for party in award.suppliers:
                node: tuple[str, str, bool] | None = None
                if party.match_kind == "vendor" and party.match in vendors:
                    node = (f"vendor:{party.match}", vendors[party.match], True)
                elif party.match_kind == "supplier" and party.match in suppliers:
                    entry = suppliers[party.match]
                    if entry.status == "merged" and entry.merged_into in vendors:
                        node = (f"vendor:{entry.merged_into}", vendors[entry.merged_into], True)
                    elif entry.status != "rejected":
                        reviewed = entry.status == "confirmed"
                        node = (f"supplier:{entry.id}", entry.name, reviewed)
                if node is not None and node not in counted:
                    counted.append(node)
            row = Row(process, award, tuple(counted))
            index.awards_on_file += 1
            areas = frozenset(a.value for a in process.technology_areas)
            index.groups.setdefault((areas, process.buyer_kind), []).append(row)
            if award.end is not None:
                index.ends.append((award.end.toordinal(), row))
            for key, name, reviewed in counted:
                index.rows_by_supplier[key].append(row)
                index.names[key] = (name, reviewed)
                index.wins.setdefault(areas, Counter())[key] += 1
    for rows in (*index.groups.values(), *index.rows_by_supplier.values()):
        rows.sort(key=_newest)
    index.ends.sort(key=lambda t: (t[0], t[1].process.id))
    return index


def _when(row: Row) -> date | None:
    return row.award.awarded_on or row.award.start


def _newest(row: Row) -> tuple[int, str]:
    """Sort key: the newest award first (undated last), then by process id."""
    when = _when(row)
    return (0 if when is None else -when.toordinal(), row.process.id)


_CACHE: dict[int, tuple[KnowledgeBase, MarketIndex]] = {}


def market_index(kb: KnowledgeBase) -> MarketIndex:
    """The market index of a knowledge base, built once (the last four are kept)."""
    hit = _CACHE.get(id(kb))
    if hit is not None and hit[0] is kb:
        return hit[1]
    built = build_market_index(kb)
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[id(kb)] = (kb, built)
    return built


def _money(value: int | None) -> str:
    if value is None:
        return ""
    if value >= 1_000_000:
        return f"£{value / 1_000_000:.1f}m".replace(".0m", "m")
    if value >= 10_000:
        return f"£{round(value / 1000):,}k"
    return f"£{value:,}"


def _same_body(process: AwardedProcess, ctx: MatchContext) -> bool:
    org = ctx.profile.organisation
    return process.buyer.name.casefold() == org.name.casefold()


def _market_award(row: Row, areas: list[str], score: float, kind: str, today: date) -> MarketAward:
    p, a = row.process, row.award
    names = [name for _, name, _ in row.suppliers] or [s.name for s in a.suppliers]
    figures: dict[str, str | int | float | bool | list[str]] = {
        "buyer": p.buyer.name,
        "title": p.title,
        "suppliers": names,
        "withheld": a.withheld,
        "value": _money(a.value_gbp),
        "awarded": a.awarded_on.isoformat() if a.awarded_on else "",
        "ends": a.end.isoformat() if a.end else "",
        "ended": a.end is not None and a.end < today,
        "framework": FRAMEWORK_NAMES[p.framework] if p.framework else "",
    }
    reasons = [Reason(kind=kind, rule=f"awards/{p.id}.yaml", figures=figures)]
    return MarketAward(
        id=p.id,
        ocid=p.ocid,
        buyer=p.buyer.name,
        buyer_body=p.buyer.match if p.buyer.match_kind == "body" else None,
        buyer_kind=ORG_KIND_NAMES[p.buyer_kind] if p.buyer_kind else None,
        title=p.title,
        suppliers=names,
        not_reviewed=[name for _, name, reviewed in row.suppliers if not reviewed],
        value_gbp=a.value_gbp,
        awarded_on=a.awarded_on.isoformat() if a.awarded_on else None,
        ends_on=a.end.isoformat() if a.end else None,
        framework=FRAMEWORK_NAMES[p.framework] if p.framework else None,
        areas=areas,
        notice_url=str(p.notice_url) if p.notice_url else None,
        source=p.source,
        score=round(score, 4),
        reasons=reasons,
        why=say_all(reasons),
    )


def _track_reason(rows: list[Row], need_names: list[str], name: str, reviewed: bool) -> Reason:
    councils = all(r.process.buyer_kind in COUNCILS for r in rows)
    years = sorted({w.year for r in rows if (w := _when(r)) is not None})
    largest = max((r.award.value_gbp for r in rows if r.award.value_gbp is not None), default=None)
    top = max(rows, key=lambda r: r.award.value_gbp or -1)
    return Reason(
        kind="public_track_record",
        figures={
            "name": name,
            "wins": len(rows),
            "buyers": "council" if councils else "public-sector",
            "areas": need_names,
            "years": [str(y) for y in years],
            "largest": _money(largest),
            "largest_title": top.process.title if largest is not None else "",
            "largest_buyer": top.process.buyer.name if largest is not None else "",
            "reviewed": reviewed,
        },
    )


def _best_rows(
    index: MarketIndex, need: dict[str, float], total: float, ctx: MatchContext, today: date
) -> list[tuple[float, Row, list[str]]]:
    """The best-scoring rows. All rows of a group score alike (its recent ones a little more),
    so groups are read best first, a few rows each, until no later group can rank."""
    own_kind = ctx.profile.organisation.kind
    own_name = ctx.profile.organisation.name.casefold()
    recent_from = today.toordinal() - 730
    groups: list[tuple[float, list[Row], list[str]]] = []
    for (areas, kind), rows in index.groups.items():
        met = [a for a in need if a in areas]
        if not met:
            continue
        base = 0.6 * sum(need[a] for a in met) / total
        if kind is not None and kind == own_kind:
            base += SAME_KIND
        elif kind in COUNCILS and own_kind in COUNCILS:
            base += SAME_FAMILY
        groups.append((base, rows, met))
    groups.sort(key=lambda g: -g[0])
    out: list[tuple[float, Row, list[str]]] = []
    for base, rows, met in groups:
        if len(out) >= PEERS:
            kth = sorted((t[0] for t in out), reverse=True)[PEERS - 1]
            if round(base + RECENT, 6) < round(kth, 6):
                break  # every later group scores lower still
        # rows are newest first: those of the last two years come before the cut
        cut = bisect.bisect_right(rows, -recent_from, key=lambda r: _newest(r)[0])
        for first, last, score in ((0, cut, base + RECENT), (cut, len(rows), base)):
            taken = 0
            for i in range(first, last):  # no slice: a group may hold thousands of rows
                if taken >= PEERS:
                    break
                if rows[i].process.buyer.name.casefold() != own_name:
                    taken += 1
                    out.append((score, rows[i], met))
    out.sort(key=lambda t: (-round(t[0], 6), _newest(t[1])))
    return out


def _ending_rows(
    index: MarketIndex, need: dict[str, float], ctx: MatchContext, today: date, horizon: date
) -> list[Row]:
    first = bisect.bisect_left(index.ends, today.toordinal(), key=lambda t: t[0])
    out: list[Row] = []
    for ordinal, row in index.ends[first:]:
        if ordinal >= horizon.toordinal() or len(out) >= ENDING:
            break
        areas = row.process.technology_areas
        if any(a.value in need for a in areas) and not _same_body(row.process, ctx):
            out.append(row)
    return out


def _track_record(
    index: MarketIndex, key: str, need: dict[str, float], area_names: dict[str, str]
) -> TrackRecord | None:
    rows = [
        r
        for r in index.rows_by_supplier.get(key, [])
        if any(a.value in need for a in r.process.technology_areas)
    ]
    if not rows:
        return None
    name, reviewed = index.names[key]
    areas = sorted({a.value for r in rows for a in r.process.technology_areas if a.value in need})
    reason = _track_reason(rows, [area_names.get(a, a) for a in areas], name, reviewed)
    largest = max((r.award.value_gbp for r in rows if r.award.value_gbp is not None), default=None)
    return TrackRecord(
        id=key,
        name=name,
        reviewed=reviewed,
        wins=len(rows),
        largest_gbp=largest,
        awards=[r.process.id for r in rows],
        reasons=[reason],
        why=say_all([reason]),
    )


def _most_wins(index: MarketIndex, need: frozenset[str]) -> list[str]:
    """The supplier nodes with most wins in the need's areas (vendors first among equals),
    counted per set of areas without reading a row, and kept per need."""
    cached = index.ranked.get(need)
    if cached is not None:
        return cached
    counts: Counter[str] = Counter()
    for areas, wins in index.wins.items():
        if areas & need:
            counts.update(wins)
    ranked = heapq.nsmallest(
        TRACK_RECORDS, counts, key=lambda k: (-counts[k], not k.startswith("vendor:"), k)
    )
    index.ranked[need] = ranked
    return ranked


def _add_months(day: date, months: int) -> date:
    return date(day.year + (day.month - 1 + months) // 12, (day.month - 1 + months) % 12 + 1, 1)


def market_evidence(
    ctx: MatchContext, vendors: list[VendorItem], today: date, rules: MarketRules
) -> MarketEvidence | None:
    """The market evidence for this body, and track-record reasons added to ``vendors``.

    None when the knowledge base holds no awards.
    """
    kb = ctx.index.kb
    if not kb.awards:
        return None
    index = market_index(kb)
    area_names = {aid: area.name for aid, area in ctx.index.areas.items()}
    need = {g.area.value: g.priority for g in ctx.top_gaps}
    months = rules.ending_soon_months
    scored = _best_rows(index, need, ctx.top_total, ctx, today)
    peers = [
        _market_award(row, [area_names.get(a, a) for a in met], s, "peer_bought", today)
        for s, row, met in scored[:PEERS]
    ]
    ending_soon = []
    for row in _ending_rows(index, need, ctx, today, _add_months(today, months)):
        met = [area_names.get(a.value, a.value) for a in row.process.technology_areas]
        ending_soon.append(_market_award(row, met, 0.0, "contract_ends_soon", today))
    ranked = _most_wins(index, frozenset(need))
    records = [
        r for k in ranked[:TRACK_RECORDS] if (r := _track_record(index, k, need, area_names))
    ]
    for item in vendors:
        record = _track_record(index, f"vendor:{item.id}", need, area_names)
        if record is not None:
            item.reasons.append(record.reasons[0])
            item.why.extend(w for w in record.why if w not in item.why)
    return MarketEvidence(
        peers=peers,
        ending_soon=ending_soon,
        track_records=records,
        areas=[area_names.get(a, a) for a in need],
        awards_on_file=index.awards_on_file,
        ending_within_months=months,
    )
