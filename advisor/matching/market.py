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

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from advisor.explaining import say_all
from advisor.kb.graph import FRAMEWORK_NAMES
from advisor.kb.market_rules import bundled_market_rules
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
    rows_by_area: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    rows_by_supplier: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
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
            for area in process.technology_areas:
                index.rows_by_area[area.value].append(row)
            for key, name, reviewed in counted:
                index.rows_by_supplier[key].append(row)
                index.names[key] = (name, reviewed)
    for rows in (*index.rows_by_area.values(), *index.rows_by_supplier.values()):
        rows.sort(key=_newest)
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


def market_evidence(
    ctx: MatchContext, vendors: list[VendorItem], today: date
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
    total = ctx.top_total
    own_kind = ctx.profile.organisation.kind
    months = bundled_market_rules().ending_soon_months
    horizon = date(
        today.year + (today.month - 1 + months) // 12, (today.month - 1 + months) % 12 + 1, 1
    )
    candidates: dict[tuple[str, str], Row] = {}
    for area in need:
        for row in index.rows_by_area.get(area, []):
            if not _same_body(row.process, ctx):
                candidates.setdefault((row.process.id, row.award.id), row)
    scored: list[tuple[float, Row, list[str]]] = []
    for row in candidates.values():
        areas = [a.value for a in row.process.technology_areas if a.value in need]
        share = sum(need[a] for a in areas) / total
        score = 0.6 * share
        kind = row.process.buyer_kind
        if kind is not None and kind == own_kind:
            score += SAME_KIND
        elif kind in COUNCILS and own_kind in COUNCILS:
            score += SAME_FAMILY
        when = _when(row)
        if when is not None and (today - when).days <= 730:
            score += RECENT
        scored.append((score, row, [area_names.get(a, a) for a in areas]))
    scored.sort(key=lambda t: (-round(t[0], 6), _newest(t[1])))
    peers = [_market_award(row, names, s, "peer_bought", today) for s, row, names in scored[:PEERS]]
    ending = sorted(
        (t for t in scored if t[1].award.end is not None and today <= t[1].award.end < horizon),
        key=lambda t: (t[1].award.end, t[1].process.id),
    )
    ending_soon = [
        _market_award(row, names, s, "contract_ends_soon", today)
        for s, row, names in ending[:ENDING]
    ]
    by_supplier: dict[str, list[Row]] = defaultdict(list)
    for _, row, _ in scored:
        for key, _, _ in row.suppliers:
            by_supplier[key].append(row)
    need_names = [area_names.get(a, a) for a in need]
    records: list[TrackRecord] = []

    def record_order(kv: tuple[str, list[Row]]) -> tuple[int, bool, int, str]:
        largest = max((r.award.value_gbp or 0 for r in kv[1]), default=0)
        return (-len(kv[1]), not kv[0].startswith("vendor:"), -largest, kv[0])

    for key, rows in sorted(by_supplier.items(), key=record_order):
        name, reviewed = index.names[key]
        rows.sort(key=_newest)
        areas = sorted(
            {a.value for r in rows for a in r.process.technology_areas if a.value in need}
        )
        reason = _track_reason(
            rows, [area_names.get(a, a) for a in areas] or need_names, name, reviewed
        )
        largest = max(
            (r.award.value_gbp for r in rows if r.award.value_gbp is not None), default=None
        )
        records.append(
            TrackRecord(
                id=key,
                name=name,
                reviewed=reviewed,
                wins=len(rows),
                largest_gbp=largest,
                awards=[r.process.id for r in rows],
                reasons=[reason],
                why=say_all([reason]),
            )
        )
    by_key = {r.id: r for r in records}
    for item in vendors:
        record = by_key.get(f"vendor:{item.id}")
        if record is not None:
            item.reasons.append(record.reasons[0])
            item.why.extend(w for w in record.why if w not in item.why)
    return MarketEvidence(
        peers=peers,
        ending_soon=ending_soon,
        track_records=records[:TRACK_RECORDS],
        areas=need_names,
        awards_on_file=index.awards_on_file,
        ending_within_months=months,
    )
