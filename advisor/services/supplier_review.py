"""What a curator reads before deciding on a supplier found in public contract awards.

``suppliers_for_review(db, actor, reviewed=...)`` gives each supplier 'from public awards, not
reviewed' (or every one, decisions included) with what the awards say about it: how many, their
value in pounds, the buyers, and the vendors on file with a similar name it may be. The
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
    """The suppliers to show and every vendor a supplier may be merged into (by name)."""

    suppliers: list[SupplierToReview]
    vendors: list[VendorChoice]


def identifier_words(identifier: str) -> str:
    """'GB-COH-10161344' -> 'Companies House number 10161344'; unknown schemes as given."""
    for scheme, words in SCHEMES.items():
        if identifier.upper().startswith(scheme + "-"):
            return f"{words} {identifier[len(scheme) + 1 :]}"
    return identifier


def _alike(a: str, b: str) -> float:
    """1 when one name is the other followed by more words ('yoti' / 'yoti digital'), else
    how alike the two are as strings."""
    if not a or not b:
        return 0.0
    if a == b or a.startswith(b + " ") or b.startswith(a + " "):
        return 1.0
    return SequenceMatcher(None, a, b).ratio()


def likely_vendors(
    supplier: AwardSupplier, vendors: list[VendorChoice], rules: NameMatching
) -> tuple[VendorChoice, ...]:
    """Vendors whose name is like the supplier's once 'Ltd' and the like are set aside."""
    mine = normalised_name(supplier.name, rules)
    scored = [(_alike(mine, normalised_name(v.name, rules)), v) for v in vendors]
    return tuple(v for s, v in sorted(scored, key=lambda sv: (-sv[0], sv[1].name)) if s >= SIMILAR)


def _awards_by_supplier(
    awards: list[AwardedProcess],
) -> dict[str, list[tuple[str, int | None, date | None]]]:
    found: dict[str, list[tuple[str, int | None, date | None]]] = defaultdict(list)
    for process in awards:
        for award in process.awards:
            for party in award.suppliers:
                if party.match_kind == "supplier" and party.match is not None:
                    found[party.match].append(
                        (process.buyer.name, award.value_gbp, award.awarded_on)
                    )
    return found


def _summary(
    supplier: AwardSupplier,
    held: list[tuple[str, int | None, date | None]],
    vendors: list[VendorChoice],
    rules: NameMatching,
) -> SupplierToReview:
    names = {v.id: v.name for v in vendors}
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
        likely_vendors=likely_vendors(supplier, vendors, rules),
        note=supplier.note,
    )


def review_list(kb: KnowledgeBase, rules: NameMatching, *, reviewed: bool) -> SupplierReview:
    """The suppliers waiting for review (``reviewed``: every one) in ``kb``, by name."""
    vendors = sorted(
        (VendorChoice(v.id, v.name) for v in kb.vendors), key=lambda v: v.name.casefold()
    )
    held = _awards_by_supplier(kb.awards)
    chosen = suppliers_to_review(kb, None if reviewed else "not_reviewed")
    return SupplierReview(
        suppliers=[_summary(s, held.get(s.id, []), vendors, rules) for s in chosen],
        vendors=vendors,
    )


def suppliers_for_review(
    db: Database, actor: Principal, *, reviewed: bool = False
) -> SupplierReview:
    """The live knowledge base's suppliers from public awards, for a curator to decide on."""
    require(actor, Action.kb_review)
    rules = market_rules_from_text(live_file_text(db, "market.yaml"), "store: market.yaml")
    return review_list(live_knowledge_base(db).kb, rules.names, reviewed=reviewed)
