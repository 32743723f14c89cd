"""What a curator reads before deciding on a supplier found in public contract awards.

``suppliers_for_review(db, actor, reviewed=..., name=..., page=...)`` gives one page of the
suppliers 'from public awards, not reviewed' (or every one, decisions included) with what the
awards say about each: how many, their value in pounds, the buyers, and the vendors on file
with a similar name it may be. Only the page shown is summed up and compared with the vendors,
so a store with thousands of suppliers and vendors answers as fast as a small one. The
decision itself is ``advisor.services.awards.review_supplier``; this module only reads.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher

from advisor.awards.names import normalised_name
from advisor.kb.market_rules import NameMatching, market_rules_from_text
from advisor.kb.models import AwardedProcess, AwardSupplier, KnowledgeBase
from advisor.services.awards import suppliers_to_review
from advisor.services.kb_revisions import live_file_text, live_knowledge_base
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database

SIMILAR = 0.8
"""How alike two normalised names must be (0 to 1) for a vendor to be offered as likely."""
LIKELY = 5
"""At most this many likely vendors per supplier."""
PER_PAGE = 10
"""Suppliers on one page (each carries a list of every vendor to merge into)."""

SCHEMES = {
    "GB-COH": "Companies House number",
    "GB-CHC": "Charity Commission number",
    "GB-SC": "Scottish charity number",
    "GB-NIC": "Northern Ireland charity number",
    "GB-PPON": "Public procurement organisation number",
    "GB-CFS": "Contracts Finder supplier number",
    "GB-MPR": "Mutuals Public Register number",
}
"""How an identifier's scheme (OCDS org-id prefix) reads; others are shown as given."""

STATUS_WORDS = {
    "not_reviewed": "Not reviewed yet",
    "confirmed": "Confirmed as a real supplier",
    "merged": "Merged into a vendor",
    "rejected": "Rejected: not a supplier",
}


@dataclass(frozen=True)
class VendorChoice:
    """A vendor on file, as a curator picks it (by name)."""

    id: str
    name: str


@dataclass(frozen=True)
class SupplierToReview:
    """One supplier found in awards and what its awards say, in plain words."""

    id: str
    name: str
    identifiers: tuple[str, ...]
    """Its identifiers as read, e.g. 'Companies House number 10161344'."""
    reviewed: bool
    decision: str
    """Its status in words ('Not reviewed yet', 'Merged into Meeco' ...)."""
    awards: int
    """The awards that name it."""
    value_gbp: int
    """Their total value in pounds (awards without a value in pounds left out)."""
    without_value: int
    """Awards with no value in pounds (none given, or in another currency)."""
    buyers: tuple[str, ...]
    """Who bought from it, as the notices name them, by name."""
    first_awarded: date | None
    last_awarded: date | None
    likely_vendors: tuple[VendorChoice, ...]
    """Vendors on file with a similar name, most alike first."""
    note: str | None


@dataclass(frozen=True)
class SupplierReview:
    """One page of the suppliers to show, and every vendor a supplier may be merged into."""

    suppliers: list[SupplierToReview]
    vendors: list[VendorChoice]
    """Every vendor on file, by name."""
    found: int
    """Suppliers shown on all pages together (those with the name asked for)."""
    waiting: int
    """Suppliers not reviewed yet, in all."""
    page: int
    """The page shown (the one asked for, within 1 and ``pages``)."""
    pages: int


def identifier_words(identifier: str) -> str:
    """'GB-COH-10161344' -> 'Companies House number 10161344'; unknown schemes as given."""
    for scheme, words in SCHEMES.items():
        if identifier.upper().startswith(scheme + "-"):
            return f"{words} {identifier[len(scheme) + 1 :]}"
    return identifier


Named = dict[str, list[tuple[str, VendorChoice]]]
"""Vendors with their normalised names, by the names' first letter."""


def _named(vendors: list[VendorChoice], rules: NameMatching) -> Named:
    named: Named = defaultdict(list)
    for v in vendors:
        normal = normalised_name(v.name, rules)
        if normal:
            named[normal[0]].append((normal, v))
    return named


def _alike(mine: str, theirs: str, matcher: SequenceMatcher[str]) -> float:
    """1 when one name is the other with words added ('yoti' / 'yoti digital'), else how alike
    the two are as strings; 0 when their lengths or letters alone put them below ``SIMILAR``.
    ``matcher`` holds ``mine`` as its second string (set once: that is the costly part)."""
    if not theirs:
        return 0.0
    if mine == theirs or mine.startswith(theirs + " ") or theirs.startswith(mine + " "):
        return 1.0
    if 2 * min(len(mine), len(theirs)) / (len(mine) + len(theirs)) < SIMILAR:
        return 0.0
    matcher.set_seq1(theirs)
    if matcher.quick_ratio() < SIMILAR:
        return 0.0
    return matcher.ratio()


def likely_vendors(name: str, vendors: Named, rules: NameMatching) -> tuple[VendorChoice, ...]:
    """Up to ``LIKELY`` vendors whose name is like this supplier's once 'Ltd' and the like are
    set aside, most alike first. Only names with the same first letter are compared: a name
    spelt differently from its first letter on is not taken for the same company."""
    mine = normalised_name(name, rules)
    if not mine:
        return ()
    matcher: SequenceMatcher[str] = SequenceMatcher(None, autojunk=False)
    matcher.set_seq2(mine)
    scored = [
        (score, v)
        for theirs, v in vendors.get(mine[0], [])
        if (score := _alike(mine, theirs, matcher)) >= SIMILAR
    ]
    scored.sort(key=lambda sv: (-sv[0], sv[1].name.casefold()))
    return tuple(v for _, v in scored[:LIKELY])


def _awards_by_supplier(
    awards: list[AwardedProcess], wanted: set[str]
) -> dict[str, list[tuple[str, int | None, date | None]]]:
    """(buyer, value, date) of each award naming one of the ``wanted`` suppliers."""
    found: dict[str, list[tuple[str, int | None, date | None]]] = defaultdict(list)
    for process in awards:
        for award in process.awards:
            for party in award.suppliers:
                if party.match_kind == "supplier" and party.match in wanted:
                    found[party.match].append(
                        (process.buyer.name, award.value_gbp, award.awarded_on)
                    )
    return found


def _summary(
    supplier: AwardSupplier,
    held: list[tuple[str, int | None, date | None]],
    vendors: Named,
    names: dict[str, str],
    rules: NameMatching,
) -> SupplierToReview:
    decision = STATUS_WORDS[supplier.status]
    if supplier.status == "merged" and supplier.merged_into is not None:
        decision = f"Merged into {names.get(supplier.merged_into, 'a vendor no longer on file')}"
    dates = sorted(d for _, _, d in held if d is not None)
    return SupplierToReview(
        id=supplier.id,
        name=supplier.name,
        identifiers=tuple(identifier_words(i) for i in supplier.identifiers),
        reviewed=supplier.status != "not_reviewed",
        decision=decision,
        awards=len(held),
        value_gbp=sum(v for _, v, _ in held if v is not None),
        without_value=sum(1 for _, v, _ in held if v is None),
        buyers=tuple(sorted({b for b, _, _ in held}, key=str.casefold)),
        first_awarded=dates[0] if dates else None,
        last_awarded=dates[-1] if dates else None,
        likely_vendors=likely_vendors(supplier.name, vendors, rules),
        note=supplier.note,
    )


def review_page(
    kb: KnowledgeBase,
    rules: NameMatching,
    *,
    reviewed: bool = False,
    name: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SupplierReview:
    """One page of the suppliers in ``kb`` waiting for review (``reviewed``: every one), by
    name in any case, only those whose name holds ``name`` (any case) when one is given."""
    vendors = sorted(
        (VendorChoice(v.id, v.name) for v in kb.vendors), key=lambda v: v.name.casefold()
    )
    wanted = name.strip().casefold()
    chosen = sorted(
        (
            s
            for s in suppliers_to_review(kb, None if reviewed else "not_reviewed")
            if wanted in s.name.casefold()
        ),
        key=lambda s: s.name.casefold(),
    )
    pages = max(1, -(-len(chosen) // per_page))
    page = min(max(1, page), pages)
    shown = chosen[(page - 1) * per_page : page * per_page]
    held = _awards_by_supplier(kb.awards, {s.id for s in shown})
    named = _named(vendors, rules)
    names = {v.id: v.name for v in vendors}
    return SupplierReview(
        suppliers=[_summary(s, held.get(s.id, []), named, names, rules) for s in shown],
        vendors=vendors,
        found=len(chosen),
        waiting=sum(1 for s in kb.suppliers if s.status == "not_reviewed"),
        page=page,
        pages=pages,
    )


def suppliers_for_review(
    db: Database,
    actor: Principal,
    *,
    reviewed: bool = False,
    name: str = "",
    page: int = 1,
    per_page: int = PER_PAGE,
) -> SupplierReview:
    """One page of the live knowledge base's suppliers from public awards, for a curator to
    decide on (``review_page``)."""
    require(actor, Action.kb_review)
    rules = market_rules_from_text(live_file_text(db, "market.yaml"), "store: market.yaml")
    return review_page(
        live_knowledge_base(db).kb,
        rules.names,
        reviewed=reviewed,
        name=name,
        page=page,
        per_page=per_page,
    )
