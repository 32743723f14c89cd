"""Public contract awards into the knowledge base: ``advisor awards import`` and the curator's
review of suppliers found in them.

One code path for both destinations: the files are read and compiled, every process matched
and compared with what is already held, and only then written, either to the store as one new
live revision (``import_awards(db, actor, paths)``) or into a knowledge-base folder's
``awards/`` and ``suppliers/`` files (``import_awards_to_folder(folder, paths)``). Nothing is
written when any file is malformed or not OCDS (``InputError`` naming it and the position).

- Releases of one process (one OCID) are compiled into one record with ``ocdsmerge``
  (``advisor.awards.compile``: releases that need no real merge are compiled without it, to
  the same record).
- A process already held is replaced by a newer release; an older one is skipped; the same
  one changes nothing, so re-importing a file changes nothing.
- The same award published under two OCIDs (same buyer, suppliers, value and date) is kept
  once.
- Buyers are matched to bodies and suppliers to vendors (``advisor.awards.names``); a supplier
  that matches none becomes a supplier entry 'from public awards, not reviewed', which
  ``review_supplier`` confirms, merges into a vendor or rejects.
"""

from __future__ import annotations

import marshal
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy import select

from advisor.awards.compile import MERGE_RULES, compiled_release, new_merger
from advisor.awards.extract import RuleWords, Tally, kb_id, process_from_release, release_date
from advisor.awards.names import Match, NameIndex, normalised_name, supplier_id
from advisor.awards.ocds import read_releases
from advisor.errors import InputError
from advisor.kb.loader import load_knowledge_base, paused_gc
from advisor.kb.market_rules import MarketRules, load_market_rules, market_rules_from_text
from advisor.kb.models import AwardedProcess, AwardParty, AwardSupplier, KnowledgeBase
from advisor.services import audit
from advisor.services.errors import NotFoundError
from advisor.services.kb_revisions import (
    _new_revision,
    _state,
    _write_versions,
    live_file_text,
    live_knowledge_base,
)
from advisor.services.permissions import Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import KbEntry
from advisor.yamlio import write_yaml_atomic

UNMERGEABLE = "notices of one process that disagree on the shape of a field"
"""Why a process is left out when its notices cannot be compiled into one record."""
REFUSED = "text or values a knowledge-base entry cannot hold, even cleaned"
"""Why a process is left out when what it says fails the entry's own checks."""

Progress = Callable[[str, int, int], None]
"""Called with (what, done, total) while a long import runs."""

KEEP = (
    "ocid",
    "id",
    "date",
    "tag",
    "title",
    "buyer",
    "parties",
    "tender",
    "awards",
    "contracts",
    "relatedProcesses",
)
"""The parts of a release the import reads (the rest is dropped while reading)."""
SUPPLIER_SOURCE = "public contract awards (Contracts Finder, Find a Tender)"


@dataclass
class AwardsSummary:
    """What an import did; ``skipped`` and ``noted`` count by reason in plain words."""

    releases: int = 0
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    suppliers_added: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    noted: dict[str, int] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)
    """How buyers and suppliers were matched ('buyers to a body by name': 3 ...)."""
    revision: int | None = None
    """The new store revision (store imports that changed something)."""
    files_written: int = 0


@dataclass
class _Plan:
    changes: list[tuple[str, str, dict[str, Any]]]
    summary: AwardsSummary


def _trim(release: dict[str, Any]) -> bytes:
    """The parts of a release the import reads, as bytes (``marshal``: held only while this
    import runs, never written; it gives back the same values, faster than JSON)."""
    return marshal.dumps({k: release[k] for k in KEEP if k in release})


def read_processes(
    paths: Sequence[Path],
    rules: MarketRules,
    today: date,
    tally: Tally,
    progress: Progress | None = None,
) -> tuple[Iterator[AwardedProcess], int]:
    """Every process in the files, compiled and read under the bad-data rules (as they are
    asked for), and the number of releases read. Every file is read first, so a bad one is
    refused before anything is compiled; releases are held trimmed, as bytes, until then."""
    grouped: dict[str, list[bytes]] = defaultdict(list)
    releases = 0
    for path in paths:
        label = f"reading {path.name}"

        def tick(done: int, total: int, label: str = label) -> None:
            if progress is not None:
                progress(label, done, total)

        for release in read_releases(path, tick):
            releases += 1
            if not isinstance(release, dict):
                tally.skipped["an entry that is not a release"] += 1
                continue
            ocid = release.get("ocid")
            if not isinstance(ocid, str) or not ocid.strip():
                tally.skipped["a release with no identifier (ocid)"] += 1
                continue
            if release_date(release.get("date")) is None:
                tally.skipped["a release with no date"] += 1
                continue
            if not isinstance(release.get("id"), str | int):
                tally.skipped["a release with no identifier (id)"] += 1
                continue
            grouped[ocid.strip()].append(_trim(release))
    return _compiled(grouped, rules, today, tally, progress), releases


def _compiled(
    grouped: dict[str, list[bytes]],
    rules: MarketRules,
    today: date,
    tally: Tally,
    progress: Progress | None,
) -> Iterator[AwardedProcess]:
    """Each process compiled (``advisor.awards.compile``: with ocdsmerge where releases need a
    real merge), in OCID order, one at a time (the releases of one are dropped as it is
    compiled, so memory falls as the import goes on)."""
    merger = new_merger()
    words = RuleWords.of(rules)
    total = len(grouped)
    for done, ocid in enumerate(sorted(grouped), start=1):
        raw = [marshal.loads(b) for b in grouped.pop(ocid)]  # noqa: S302 (our own bytes)
        for r in raw:
            r["ocid"] = ocid
        raw.sort(key=lambda r: (release_date(r["date"]), str(r["id"])))
        newest = raw[-1]
        compiled = compiled_release(raw, merger)
        if compiled is None:
            tally.skipped[UNMERGEABLE] += 1
            continue
        when = release_date(newest["date"])
        if when is None:  # checked while reading; kept for the type checker
            continue
        try:
            process = process_from_release(
                compiled, str(newest["id"])[:200], when, rules, today, tally, words
            )
        except ValidationError:
            # what cleaning leaves that an entry still may not hold: the process is left out
            tally.skipped[REFUSED] += 1
            continue
        if process is not None:
            yield process
        if progress is not None and (done % 5000 == 0 or done == total):
            progress("compiling processes", done, total)


def _signatures(process: AwardedProcess, rules: MarketRules) -> set[tuple[Any, ...]]:
    buyer = normalised_name(process.buyer.name, rules.names)
    return {
        (
            buyer,
            tuple(sorted(normalised_name(s.name, rules.names) for s in a.suppliers)),
            a.value_gbp,
            a.awarded_on,
        )
        for a in process.awards
        if a.value_gbp is not None and a.awarded_on is not None
    }


def _dump(entry: AwardedProcess | AwardSupplier) -> dict[str, Any]:
    return entry.model_dump(mode="json", exclude_defaults=True)


class _Matcher:
    """Buyers to bodies, suppliers to vendors or suppliers on file (new ones added as found)."""

    def __init__(self, kb: KnowledgeBase, rules: MarketRules) -> None:
        self.rules = rules
        self.bodies = NameIndex("body", rules.names)
        for b in kb.bodies:
            self.bodies.add(b.id, b.name, b.identifiers, places=True)
        self.vendors = NameIndex("vendor", rules.names)
        for v in kb.vendors:
            self.vendors.add(v.id, v.name, v.identifiers)
        self.suppliers = NameIndex("supplier", rules.names)
        self.taken = {v.id for v in kb.vendors} | {s.id for s in kb.suppliers}
        for s in kb.suppliers:
            self.suppliers.add(s.id, s.name, s.identifiers)
        self.new: dict[str, AwardSupplier] = {}
        self.counts: dict[str, int] = defaultdict(int)

    def _count(self, who: str, found: Match | None) -> None:
        if found is None:
            self.counts[f"{who} not matched"] += 1
        else:
            what = {"body": "a body", "vendor": "a vendor", "supplier": "a supplier on file"}
            self.counts[f"{who} matched to {what[found.kind]} by {found.by}"] += 1

    def buyer(self, party: AwardParty) -> AwardParty:
        found = self.bodies.find(party.name, party.identifier)
        self._count("buyers", found)
        return _matched(party, found)

    def supplier(self, party: AwardParty) -> AwardParty:
        found = self.vendors.find(party.name, party.identifier) or self.suppliers.find(
            party.name, party.identifier
        )
        if found is None:
            ref = supplier_id(party.name, self.rules.names, self.taken)
            self.taken.add(ref)
            self.new[ref] = AwardSupplier(
                id=ref,
                name=party.name,
                identifiers=[party.identifier] if party.identifier else [],
                source=SUPPLIER_SOURCE,
            )
            self.suppliers.add(ref, party.name, self.new[ref].identifiers)
            self.counts["suppliers added as 'from public awards, not reviewed'"] += 1
            if party.identifier:
                return _matched(party, Match(ref, "supplier", "identifier", 1.0))
            return _matched(
                party, Match(ref, "supplier", "name", self.rules.names.exact_confidence)
            )
        new = self.new.get(found.ref) if found.kind == "supplier" else None
        if new is not None and party.identifier and party.identifier not in new.identifiers:
            # a supplier found in this import learns the identifier a later notice gives
            new.identifiers.append(party.identifier)
            self.suppliers.add(new.id, new.name, [party.identifier])
            found = Match(new.id, "supplier", "identifier", 1.0)
        self._count("suppliers", found)
        return _matched(party, found)


def _matched(party: AwardParty, found: Match | None) -> AwardParty:
    """The party with its match (as ``model_copy(update=...)`` gives it: the match's fields
    count as set, nothing validated again; the match's values are the matcher's own)."""
    if found is None:
        return party
    return AwardParty.model_construct(
        party.model_fields_set | _MATCH_FIELDS,
        **{
            **party.__dict__,
            "match": found.ref,
            "match_kind": found.kind,
            "match_by": found.by,
            "confidence": found.confidence,
        },
    )


_MATCH_FIELDS = frozenset(("match", "match_kind", "match_by", "confidence"))


def plan_import(
    processes: Iterable[AwardedProcess],
    held: KnowledgeBase,
    rules: MarketRules,
    tally: Tally,
) -> _Plan:
    """What to write: new and newer processes, matched, and the new suppliers they name."""
    summary = AwardsSummary()
    matcher = _Matcher(held, rules)
    held_awards = {a.id: a for a in held.awards}
    seen: dict[tuple[Any, ...], str] = {}
    for a in held.awards:
        for sig in _signatures(a, rules):
            seen.setdefault(sig, a.id)
    changes: list[tuple[str, str, dict[str, Any]]] = []
    for process in processes:
        before = held_awards.get(process.id)
        if before is not None and process.release_date < before.release_date:
            tally.skipped["an older release than the one already held"] += 1
            continue
        sigs = _signatures(process, rules)
        if sigs and all(seen.get(s, process.id) != process.id for s in sigs):
            tally.skipped["the same award published under another identifier (OCID)"] += 1
            continue
        for s in sigs:
            seen.setdefault(s, process.id)
        matched = process.model_copy(
            update={
                "buyer": matcher.buyer(process.buyer),
                "awards": [
                    a.model_copy(update={"suppliers": [matcher.supplier(s) for s in a.suppliers]})
                    for a in process.awards
                ],
            }
        )
        data = _dump(matched)
        if before is None:
            summary.imported += 1
        elif _dump(before) == data:
            summary.unchanged += 1
            continue
        else:
            summary.updated += 1
        changes.append(("awards", matched.id, data))
    for ref, supplier in matcher.new.items():
        changes.append(("suppliers", ref, _dump(supplier)))
    summary.suppliers_added = len(matcher.new)
    summary.matched = dict(sorted(matcher.counts.items()))
    return _Plan(changes, summary)


def _finish(plan: _Plan, tally: Tally, releases: int) -> AwardsSummary:
    summary = plan.summary
    summary.releases = releases
    summary.skipped = dict(sorted(tally.skipped.items()))
    summary.noted = dict(sorted(tally.noted.items()))
    return summary


def _check_paths(paths: Sequence[Path]) -> list[Path]:
    if not paths:
        raise InputError.single("awards import", "PATH", "give at least one file or folder")
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in (".json", ".jsonl")
            )
            if not found:
                raise InputError.single(str(path), "(folder)", "no .json or .jsonl files in it")
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise InputError.single(str(path), "(file)", "file not found")
    return files


def import_awards(
    db: Database,
    actor: Principal,
    paths: Sequence[Path],
    progress: Progress | None = None,
    today: date | None = None,
) -> AwardsSummary:
    """Import award files into the store as one new live revision (none if nothing changed).

    The cyclic garbage collector is held off meanwhile (``paused_gc``): what the import builds
    stays alive until it is written, and each collection would walk all of it again."""
    require(actor, Action.kb_import)
    with paused_gc():
        return _import_awards(db, actor, _check_paths(paths), progress, today)


def _import_awards(
    db: Database,
    actor: Principal,
    files: list[Path],
    progress: Progress | None,
    today: date | None,
) -> AwardsSummary:
    rules = market_rules_from_text(live_file_text(db, "market.yaml"), "store: market.yaml")
    tally = Tally()
    processes, releases = read_processes(files, rules, today or date.today(), tally, progress)
    held = live_knowledge_base(db).kb
    plan = plan_import(processes, held, rules, tally)
    summary = _finish(plan, tally, releases)
    if not plan.changes:
        return summary
    with db.write() as session:
        _state(session, lock=True)
        kinds = {kind for kind, _, _ in plan.changes}
        heads = {
            (h.kind, h.entry_id): h
            for h in session.scalars(select(KbEntry).where(KbEntry.kind.in_(kinds)))
        }
        number = _new_revision(
            session,
            actor,
            "awards",
            f"public contract awards from {', '.join(p.name for p in files)}"[:500],
            len(plan.changes),
        )

        def tick(done: int, total: int) -> None:
            if progress is not None:
                progress("writing", done, total)

        _write_versions(session, heads, [(k, i, 0, d) for k, i, d in plan.changes], number, tick)
        audit.record(
            session,
            actor,
            "awards.import",
            target_kind="kb_revision",
            target_id=number,
            detail={
                "imported": summary.imported,
                "updated": summary.updated,
                "suppliers_added": summary.suppliers_added,
                "files": [str(p) for p in files][:50],
            },
        )
    summary.revision = number
    return summary


def import_awards_to_folder(
    folder: Path,
    paths: Sequence[Path],
    progress: Progress | None = None,
    today: date | None = None,
) -> AwardsSummary:
    """Import award files into a knowledge-base folder's ``awards/`` and ``suppliers/`` files
    (the cyclic garbage collector held off meanwhile, as for ``import_awards``)."""
    files = _check_paths(paths)
    held = load_knowledge_base(folder)  # the folder must be a sound knowledge base first
    with paused_gc():
        return _import_awards_to_folder(folder, files, held, progress, today)


def _import_awards_to_folder(
    folder: Path,
    files: list[Path],
    held: KnowledgeBase,
    progress: Progress | None,
    today: date | None,
) -> AwardsSummary:
    rules = load_market_rules(folder)
    tally = Tally()
    processes, releases = read_processes(files, rules, today or date.today(), tally, progress)
    plan = plan_import(processes, held, rules, tally)
    summary = _finish(plan, tally, releases)
    _write_files(folder, plan.changes, progress)
    summary.files_written = len(plan.changes)
    return summary


def _write_files(
    folder: Path, changes: list[tuple[str, str, dict[str, Any]]], progress: Progress | None
) -> None:
    for kind in {kind for kind, _, _ in changes}:
        (folder / kind).mkdir(exist_ok=True)
    for done, (kind, ref, data) in enumerate(changes, start=1):
        write_yaml_atomic(folder / kind / f"{ref}.yaml", data)
        if progress is not None and (done % 1000 == 0 or done == len(changes)):
            progress("writing files", done, len(changes))


# --- the curator's review of suppliers found in awards ---------------------------------------

Decision = Literal["confirm", "merge", "reject"]
STATUS = {"confirm": "confirmed", "merge": "merged", "reject": "rejected"}


def reviewed_supplier(
    kb: KnowledgeBase,
    supplier: str,
    decision: Decision,
    vendor: str | None = None,
    note: str | None = None,
) -> AwardSupplier:
    """The supplier entry after a curator's decision: confirmed as a real supplier, merged into
    a vendor (the same company: its awards then count for the vendor) or rejected (not a
    supplier: its awards count for no one)."""
    found = next((s for s in kb.suppliers if s.id == supplier), None)
    if found is None:
        raise NotFoundError(f"no supplier '{supplier}' from public awards")
    if decision == "merge":
        if vendor is None:
            raise InputError.single("review", "vendor", "name the vendor to merge into")
        if all(v.id != vendor for v in kb.vendors):
            raise InputError.single("review", "vendor", f"no vendor '{vendor}'")
    elif vendor is not None:
        raise InputError.single("review", "vendor", "a vendor is named only to merge into")
    return found.model_copy(
        update={
            "status": STATUS[decision],
            "merged_into": vendor if decision == "merge" else None,
            "note": note or found.note,
        }
    )


def review_supplier(
    db: Database,
    actor: Principal,
    supplier: str,
    decision: Decision,
    vendor: str | None = None,
    note: str | None = None,
) -> int:
    """Record a curator's decision on a supplier in the store, as a new revision (its number)."""
    require(actor, Action.kb_review)
    entry = AwardSupplier.model_validate(
        _dump(reviewed_supplier(live_knowledge_base(db).kb, supplier, decision, vendor, note))
    )
    with db.write() as session:
        _state(session, lock=True)
        heads = {
            (h.kind, h.entry_id): h
            for h in session.scalars(
                select(KbEntry).where(KbEntry.kind == "suppliers", KbEntry.entry_id == supplier)
            )
        }
        number = _new_revision(session, actor, "review", f"supplier {supplier}: {decision}", 1)
        _write_versions(session, heads, [("suppliers", supplier, 0, _dump(entry))], number, None)
        audit.record(
            session,
            actor,
            f"awards.supplier.{decision}",
            target_kind="supplier",
            target_id=supplier,
            detail={"vendor": vendor},
        )
    return number


def review_supplier_in_folder(
    folder: Path, supplier: str, decision: Decision, vendor: str | None = None
) -> AwardSupplier:
    """Record a curator's decision on a supplier in a knowledge-base folder's file."""
    entry = reviewed_supplier(load_knowledge_base(folder), supplier, decision, vendor)
    write_yaml_atomic(folder / "suppliers" / f"{supplier}.yaml", _dump(entry))
    return entry


def suppliers_to_review(
    kb: KnowledgeBase, status: str | None = "not_reviewed"
) -> list[AwardSupplier]:
    """Suppliers from public awards, those with ``status`` (all for none), by name."""
    return sorted(
        (s for s in kb.suppliers if status is None or s.status == status), key=lambda s: s.name
    )


def process_id(ocid: str) -> str:
    """The knowledge-base id of a process with this OCID."""
    return kb_id(ocid)


__all__ = [
    "MERGE_RULES",
    "AwardsSummary",
    "import_awards",
    "import_awards_to_folder",
    "review_supplier",
    "review_supplier_in_folder",
    "reviewed_supplier",
    "suppliers_to_review",
]
