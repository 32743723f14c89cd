"""The knowledge base in the store: numbered revisions, entry history, proposals and review.

Every change makes a new revision (1, 2, 3...) and a new version of each entry it touches;
old versions are never changed or deleted, so any revision can be read back. Revision
numbers are handed out under a lock on the one ``kb_state`` row, so they follow commit
order on every database and replica.

API (``actor`` is the acting ``Principal``):

- ``import_knowledge_base(db, actor, directory, comment=None, progress=None, replace=False)``:
  load and validate a YAML folder (``advisor.kb.loader``; its shape as ``advisor kb validate``
  checks it, so an empty or wrong folder is refused) and make the store match it in one new
  revision: new and changed entries get a new version, entries missing from the folder are
  marked removed. An import that would remove more than half of the live entries is refused
  unless ``replace``. Nothing changes (and no revision is made) when the folder equals the live
  knowledge base. The question bank and rule files beside it are checked together
  (``advisor.kb.rule_files``; one the folder lacks is the bundled one) and kept as text.
- ``ensure_seeded(db, directory)``: on an empty store, import the folder (first start).
- ``export_knowledge_base(db, actor, directory, revision=None)``: write the live (or an
  older) revision back as YAML into a new sibling folder, then swap it in whole for
  ``directory`` (an interruption leaves the old folder or the new one, never a mix); files
  there that are not knowledge-base data (notes, hidden files) are carried over.
- ``live_revision(db)``: the live revision number (a cheap query: call it on each rerun).
- ``live_knowledge_base(db) -> LiveKnowledgeBase``: the live ``KnowledgeBase`` and its
  revision, built once per revision per process and then shared: do not mutate it. A process
  that calls this picks up approvals made anywhere without a restart. What is built is kept
  in the on-disk knowledge-base cache (``advisor.kb.cache``) under a digest of the live
  entries as stored (their text, version, revision and place) and of the code, so the next
  process to read the same entries reads it back instead of validating them all again; any
  other revision of them, or another database's, has another digest.
- ``knowledge_base_at(db, revision)``: the knowledge base as it was at a revision.
- ``live_file_text(db, name)``: a stored rule file (e.g. ``questionnaire.yaml``).
- ``rule_file_texts_at(db, revision)``: every stored rule file as it was at a revision.
- ``get_entry(db, kind, entry_id)``: the live entry and its version (carry the version
  into a proposal); ``entry_history(db, kind, entry_id)``; ``list_revisions(db)``.
- ``propose_change(db, actor, kind, entry_id, data, base_version, comment=None)``: a vendor
  proposes a new version of its own entry (a curator, of any entry). The data is validated
  now (``InputError`` naming each field) and a diff against the live entry is kept.
- ``list_proposals(db, actor, status=None)``, ``get_proposal(db, actor, proposal_id)``.
- ``approve_proposal(db, actor, proposal_id, comment=None)``: a curator makes the proposal
  live as a new revision; ``ConflictError`` naming the entry's current version if the entry
  changed since the proposal was based on it (the proposal stays in the queue).
- ``reject_proposal(db, actor, proposal_id, comment)``.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError
from sqlalchemy import Text, and_, cast, func, insert, select, update
from sqlalchemy.orm import Session

from advisor.errors import InputError, Problem
from advisor.folders import new_folder_beside, swap_in
from advisor.kb import cache
from advisor.kb.loader import (
    BUNDLED_KB_DIR,
    FOLDERS,
    LIST_FILES,
    OTHER_FILES,
    Located,
    check_references,
    load_knowledge_base_result,
    paused_gc,
)
from advisor.kb.models import KnowledgeBase
from advisor.kb.rule_files import rule_files_result
from advisor.kb.validation import folder_problems
from advisor.services import audit
from advisor.services.errors import ConflictError, NotFoundError
from advisor.services.permissions import OPERATOR, Action, Principal, require
from advisor.store.database import Database
from advisor.store.models import (
    KbEntry,
    KbEntryVersion,
    KbProposal,
    KbRevision,
    KbState,
    utcnow,
)
from advisor.yamlio import (
    MAX_YAML_BYTES,
    YamlDocument,
    dump_yaml,
    read_bytes_capped,
    write_text_atomic,
    write_yaml_atomic,
)

FILES_KIND = "files"
"""Rule files kept as text beside the entries (question bank, scoring, matching)."""
ENTRY_MODELS: dict[str, type[BaseModel]] = {**LIST_FILES, **FOLDERS}
PROPOSED, APPROVED, REJECTED = "proposed", "approved", "rejected"
Progress = Callable[[int, int], None]
"""Called with (done, total) while a long import or export runs."""
LIVE_KB_CACHE = "store-kb"
"""The name the live knowledge base is filed under in the on-disk cache."""


@dataclass(frozen=True)
class LiveKnowledgeBase:
    revision: int
    kb: KnowledgeBase


@dataclass(frozen=True)
class ImportResult:
    revision: int | None
    """The new revision, or none when the folder equals the live knowledge base."""
    added: int
    changed: int
    removed: int
    unchanged: int


@dataclass(frozen=True)
class ExportResult:
    revision: int
    files_written: int
    files_removed: int


@dataclass(frozen=True)
class EntryView:
    kind: str
    entry_id: str
    version: int
    revision: int
    data: dict[str, Any] | None
    """None when the entry was removed in this version."""


@dataclass(frozen=True)
class RevisionView:
    id: int
    kind: str
    author: str
    comment: str | None
    changes: int
    created_at: datetime


@dataclass(frozen=True)
class ProposalView:
    id: int
    kind: str
    entry_id: str
    organisation_id: str | None
    base_version: int
    data: dict[str, Any]
    diff: str
    comment: str | None
    status: str
    author: str
    created_at: datetime
    reviewed_at: datetime | None
    review_comment: str | None
    revision_id: int | None


def _file_of(kind: str, entry_id: str) -> str:
    return f"{kind}/{entry_id}.yaml" if kind in FOLDERS else f"{kind}.yaml"


def _field(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validate_entry(kind: str, entry_id: str, data: Any) -> dict[str, Any]:
    """The entry's data as stored (validated, JSON types, only the fields given)."""
    model = ENTRY_MODELS.get(kind)
    if model is None:
        raise InputError.single("proposal", "kind", f"must be one of: {', '.join(ENTRY_MODELS)}")
    file = _file_of(kind, entry_id)
    try:
        entry = model.model_validate(data)
    except ValidationError as err:
        problems = []
        for e in err.errors():
            msg = {"extra_forbidden": "unknown field", "missing": "required field is missing"}
            loc = tuple(p for p in e["loc"] if isinstance(p, str | int))
            problems.append(
                Problem(file, None, _field(loc) or "(entry)", msg.get(e["type"], e["msg"]))
            )
        raise InputError(problems) from None
    if str(getattr(entry, "id", "")) != entry_id:
        raise InputError.single(file, "id", f"must equal the entry id '{entry_id}'")
    return entry.model_dump(mode="json", exclude_unset=True)


def _entries_from_kb(kb: KnowledgeBase) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    out: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for kind in ENTRY_MODELS:
        for position, entry in enumerate(getattr(kb, kind)):
            out[(kind, str(entry.id))] = (
                position,
                entry.model_dump(mode="json", exclude_unset=True),
            )
    return out


def _kb_from_rows(rows: list[tuple[str, str, int, dict[str, Any] | None]]) -> KnowledgeBase:
    grouped: dict[str, list[tuple[int, str, dict[str, Any]]]] = {k: [] for k in ENTRY_MODELS}
    for kind, entry_id, position, data in rows:
        if data is not None and kind in grouped:
            grouped[kind].append((position, entry_id, data))
    return KnowledgeBase.model_validate(
        {
            kind: [d for _, _, d in sorted(items, key=lambda t: (t[0], t[1]))]
            for kind, items in grouped.items()
        }
    )


_ADAPTERS: dict[str, TypeAdapter[list[Any]]] = {}


def _list_adapter(kind: str) -> TypeAdapter[list[Any]]:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        list_of: Any = list  # a list of the kind's model, made at run time
        adapter = _ADAPTERS[kind] = TypeAdapter(list_of[ENTRY_MODELS[kind]])
    return adapter


StoredRow = tuple[str, str, int, int, int, str | None]
"""An entry as stored: kind, id, version, revision, position and its data as JSON text."""


def _live_digest(rows: list[StoredRow]) -> str:
    """A content hash of the live entries as stored, and of the code that reads them."""
    digest = hashlib.sha256(f"{LIVE_KB_CACHE}\0{cache.code_version()}".encode())
    for kind, entry_id, version, revision, position, text in sorted(
        r for r in rows if r[0] in ENTRY_MODELS
    ):
        data = b"" if text is None else text.encode("utf-8")
        head = f"\0{kind}\0{entry_id}\0{version}\0{revision}\0{position}\0"
        digest.update(f"{head}{-1 if text is None else len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _kb_from_texts(rows: list[StoredRow]) -> KnowledgeBase:
    """The knowledge base of stored entries, each kind's JSON validated in one pass (the same
    knowledge base as ``_kb_from_rows`` gives for the same entries)."""
    grouped: dict[str, list[tuple[int, str, str]]] = {k: [] for k in ENTRY_MODELS}
    for kind, entry_id, _, _, position, text in rows:
        if text is not None and kind in grouped:
            grouped[kind].append((position, entry_id, text))
    lists: dict[str, list[Any]] = {}
    with paused_gc():
        for kind, items in grouped.items():
            items.sort(key=lambda t: (t[0], t[1]))
            lists[kind] = _list_adapter(kind).validate_json(f"[{','.join(t for *_, t in items)}]")
            items.clear()
    return KnowledgeBase.model_construct(None, **lists)


def _state(session: Session, lock: bool) -> KbState:
    query = select(KbState).where(KbState.id == 1)
    if lock:
        query = query.with_for_update()
    state = session.scalars(query).one_or_none()
    if state is None:
        raise RuntimeError("the store is not set up: run 'advisor db upgrade'")
    return state


def _new_revision(
    session: Session, actor: Principal, kind: str, comment: str | None, changes: int
) -> int:
    state = _state(session, lock=True)
    number = state.live_revision + 1
    session.add(
        KbRevision(
            id=number,
            kind=kind,
            author_id=actor.user_id,
            author_label=actor.label,
            comment=comment,
            changes=changes,
            created_at=utcnow(),
        )
    )
    session.execute(update(KbState).where(KbState.id == 1).values(live_revision=number))
    session.flush()
    return number


def live_revision(db: Database) -> int:
    """The live revision number (0 for an empty store)."""
    with db.read() as session:
        return int(session.scalar(select(KbState.live_revision).where(KbState.id == 1)) or 0)


def _live(session: Session, db: Database) -> LiveKnowledgeBase:
    current = int(session.scalar(select(KbState.live_revision).where(KbState.id == 1)) or 0)
    cached = db.cache.get("live_kb")
    if isinstance(cached, LiveKnowledgeBase) and cached.revision == current:
        return cached
    # one statement: a consistent snapshot even under READ COMMITTED; the data as stored
    # (JSON text), to hash and to validate without decoding it into Python first
    rows: list[StoredRow] = [
        (r.kind, r.entry_id, r.version, r.revision_id, r.position, r.text)
        for r in session.execute(
            select(
                KbEntry.kind,
                KbEntry.entry_id,
                KbEntry.version,
                KbEntry.revision_id,
                KbEntry.position,
                cast(KbEntry.data, Text).label("text"),
            )
        )
    ]
    revision = max((r[3] for r in rows), default=0)
    kb = cache.load_or_build(
        LIVE_KB_CACHE, _live_digest(rows), functools.partial(_kb_from_texts, rows), KnowledgeBase
    )
    live = LiveKnowledgeBase(revision=revision, kb=kb)
    if revision >= current:
        db.cache["live_kb"] = live
    return live


def live_knowledge_base(db: Database) -> LiveKnowledgeBase:
    """The live knowledge base and its revision; shared per process, never mutate it."""
    with db.read() as session:
        return _live(session, db)


def _rows_at(session: Session, revision: int) -> list[tuple[str, str, int, dict[str, Any] | None]]:
    latest = (
        select(
            KbEntryVersion.kind,
            KbEntryVersion.entry_id,
            func.max(KbEntryVersion.version).label("version"),
        )
        .where(KbEntryVersion.revision_id <= revision)
        .group_by(KbEntryVersion.kind, KbEntryVersion.entry_id)
        .subquery()
    )
    query = select(
        KbEntryVersion.kind, KbEntryVersion.entry_id, KbEntryVersion.position, KbEntryVersion.data
    ).join(
        latest,
        and_(
            KbEntryVersion.kind == latest.c.kind,
            KbEntryVersion.entry_id == latest.c.entry_id,
            KbEntryVersion.version == latest.c.version,
        ),
    )
    return [(r.kind, r.entry_id, r.position, r.data) for r in session.execute(query)]


def _check_revision(session: Session, revision: int) -> None:
    if session.get(KbRevision, revision) is None:
        raise InputError.single("knowledge base", "revision", f"no revision {revision}")


def knowledge_base_at(db: Database, revision: int) -> KnowledgeBase:
    """The knowledge base as it was at ``revision``."""
    with db.read() as session:
        _check_revision(session, revision)
        return _kb_from_rows(_rows_at(session, revision))


def live_file_text(db: Database, name: str) -> str | None:
    """The live text of a stored rule file (e.g. ``questionnaire.yaml``), if any."""
    with db.read() as session:
        entry = session.get(KbEntry, (FILES_KIND, name))
        if entry is None or entry.data is None:
            return None
        return str(entry.data["text"])


def rule_file_texts_at(db: Database, revision: int) -> dict[str, str]:
    """The stored rule files (name -> text) as they were at ``revision`` (removed ones left out)."""
    latest = (
        select(KbEntryVersion.entry_id, func.max(KbEntryVersion.version).label("version"))
        .where(KbEntryVersion.kind == FILES_KIND, KbEntryVersion.revision_id <= revision)
        .group_by(KbEntryVersion.entry_id)
        .subquery()
    )
    query = select(KbEntryVersion.entry_id, KbEntryVersion.data).join(
        latest,
        and_(
            KbEntryVersion.kind == FILES_KIND,
            KbEntryVersion.entry_id == latest.c.entry_id,
            KbEntryVersion.version == latest.c.version,
        ),
    )
    with db.read() as session:
        return {
            str(name): str(data["text"])
            for name, data in session.execute(query)
            if data is not None
        }


def _read_files(directory: Path) -> dict[tuple[str, str], tuple[int, dict[str, Any]]]:
    out: dict[tuple[str, str], tuple[int, dict[str, Any]]] = {}
    for name in sorted(OTHER_FILES):
        path = directory / name
        if path.is_file():
            try:
                text = read_bytes_capped(path, MAX_YAML_BYTES).decode("utf-8")
            except UnicodeDecodeError:
                raise InputError.single(str(path), "(file)", "file is not UTF-8 text") from None
            out[(FILES_KIND, name)] = (0, {"text": text})
    return out


def import_knowledge_base(
    db: Database,
    actor: Principal,
    directory: Path | str,
    comment: str | None = None,
    progress: Progress | None = None,
    *,
    only_if_empty: bool = False,
    replace: bool = False,
) -> ImportResult:
    """Make the store's knowledge base equal to a YAML folder, as one new revision.

    A folder that is not a knowledge base (empty, no vendors, stray data files) is refused, and
    so is an import that would remove more than half of the live entries, unless ``replace``.
    """
    require(actor, Action.kb_import)
    directory = Path(directory)
    result = load_knowledge_base_result(directory)  # raises when the folder is not there
    shape = folder_problems(directory)
    # the rule files must work together before they can go live (a missing one: the bundled)
    _, rule_problems = rule_files_result(directory, fallback=BUNDLED_KB_DIR)
    if result.problems or shape or rule_problems:
        raise InputError([*shape, *result.problems, *rule_problems])
    wanted = {**_entries_from_kb(result.kb), **_read_files(directory)}
    with db.write() as session:
        state = _state(session, lock=True)  # no approval may slip in between diff and write
        if only_if_empty and state.live_revision != 0:
            return ImportResult(None, 0, 0, 0, 0)
        heads = {(h.kind, h.entry_id): h for h in session.scalars(select(KbEntry))}
        changes: list[tuple[str, str, int, dict[str, Any] | None]] = []
        added = changed = removed = unchanged = 0
        for (kind, entry_id), (position, data) in wanted.items():
            head = heads.get((kind, entry_id))
            if head is None or head.data is None:
                added += 1
            elif head.data != data or head.position != position:
                changed += 1
            else:
                unchanged += 1
                continue
            changes.append((kind, entry_id, position, data))
        for (kind, entry_id), head in heads.items():
            if head.data is not None and (kind, entry_id) not in wanted:
                removed += 1
                changes.append((kind, entry_id, head.position, None))
        if not changes:
            return ImportResult(None, 0, 0, 0, unchanged)
        live = sum(1 for head in heads.values() if head.data is not None)
        if not replace and removed * 2 > live:
            raise InputError.single(
                str(directory),
                "(folder)",
                f"importing it would remove {removed} of the {live} entries of the live "
                "knowledge base; give --replace to import it all the same",
            )
        label = "seed" if only_if_empty else "import"
        number = _new_revision(
            session, actor, label, comment or f"{label} of {directory.name}", len(changes)
        )
        _write_versions(session, heads, changes, number, progress)
        audit.record(
            session,
            actor,
            f"kb.{label}",
            target_kind="kb_revision",
            target_id=number,
            detail={
                "added": added,
                "changed": changed,
                "removed": removed,
                "folder": str(directory),
            },
        )
    return ImportResult(number, added, changed, removed, unchanged)


def _write_versions(
    session: Session,
    heads: dict[tuple[str, str], KbEntry],
    changes: list[tuple[str, str, int, dict[str, Any] | None]],
    revision: int,
    progress: Progress | None,
) -> None:
    now = utcnow()
    total = len(changes)
    chunk = 500
    for start in range(0, total, chunk):
        versions = []
        new_heads = []
        for kind, entry_id, position, data in changes[start : start + chunk]:
            head = heads.get((kind, entry_id))
            version = 1 if head is None else head.version + 1
            versions.append(
                {
                    "kind": kind,
                    "entry_id": entry_id,
                    "version": version,
                    "revision_id": revision,
                    "position": position,
                    "data": data,
                }
            )
            if head is None:
                new_heads.append({**versions[-1], "updated_at": now})
            else:
                head.version, head.revision_id = version, revision
                head.position, head.data, head.updated_at = position, data, now
        session.execute(insert(KbEntryVersion), versions)
        if new_heads:
            session.execute(insert(KbEntry), new_heads)
        session.flush()
        if progress is not None:
            progress(min(start + chunk, total), total)


def ensure_seeded(db: Database, directory: Path | str) -> ImportResult:
    """First start: fill an empty store from a knowledge-base folder (no-op otherwise)."""
    return import_knowledge_base(db, OPERATOR, directory, "first start", only_if_empty=True)


def export_knowledge_base(
    db: Database,
    actor: Principal,
    directory: Path | str,
    revision: int | None = None,
    progress: Progress | None = None,
) -> ExportResult:
    """Write a revision (default: the live one) as a knowledge-base folder."""
    require(actor, Action.kb_export)
    directory = Path(directory)
    with db.read() as session:
        if revision is None:
            heads = session.execute(
                select(
                    KbEntry.kind,
                    KbEntry.entry_id,
                    KbEntry.position,
                    KbEntry.data,
                    KbEntry.revision_id,
                )
            ).all()
            number = max((r.revision_id for r in heads), default=0)
            rows = [(r.kind, r.entry_id, r.position, r.data) for r in heads]
        else:
            _check_revision(session, revision)
            number = revision
            rows = _rows_at(session, revision)
    if directory.is_symlink() or (directory.exists() and not directory.is_dir()):
        raise InputError.single(str(directory), "(folder)", "exists and is not a folder")
    grouped: dict[str, list[tuple[int, str, dict[str, Any]]]] = {}
    for kind, entry_id, position, data in rows:
        if data is not None:
            grouped.setdefault(kind, []).append((position, entry_id, data))
    total = sum(len(v) if k in FOLDERS or k == FILES_KIND else 1 for k, v in grouped.items())
    written = 0

    def tick() -> None:
        nonlocal written
        written += 1
        if progress is not None:
            progress(written, total)

    target = Path(os.path.abspath(directory))
    try:
        staging = new_folder_beside(
            target, "new", directory.stat().st_mode if directory.exists() else None
        )
    except OSError as exc:
        raise InputError.single(
            str(directory), "(folder)", f"cannot write beside it: {exc.strerror}"
        ) from None
    try:
        for kind, items in sorted(grouped.items()):
            items.sort(key=lambda t: (t[0], t[1]))
            if kind == FILES_KIND:
                for _, name, data in items:
                    write_text_atomic(staging / name, str(data["text"]))
                    tick()
            elif kind in FOLDERS:
                for _, entry_id, data in items:
                    write_yaml_atomic(staging / kind / f"{entry_id}.yaml", data)
                    tick()
            else:
                write_yaml_atomic(staging / f"{kind}.yaml", [d for _, _, d in items])
                tick()
        removed = _carry_over(target, staging) if target.exists() else 0
        swap_in(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ExportResult(revision=number, files_written=written, files_removed=removed)


def _carry_over(old: Path, new: Path) -> int:
    """Copy what an export does not write from ``old`` into ``new``: notes, hidden files and
    rule files the store lacks (as an export into the folder always left them). Returns the
    stale entry and list files of ``old`` that are not carried over (they would come back on
    the next import)."""
    stale = 0
    for path in old.iterdir():
        target = new / path.name
        if path.name in FOLDERS and path.is_dir() and not path.is_symlink():
            for inner in path.iterdir():
                if (target / inner.name).exists():
                    continue
                if inner.suffix == ".yaml" and not inner.name.startswith("."):
                    stale += 1
                    continue
                target.mkdir(exist_ok=True)
                _copy(inner, target / inner.name)
        elif target.exists():
            continue
        elif path.name in {f"{kind}.yaml" for kind in LIST_FILES}:
            stale += 1
        else:
            _copy(path, target)
    return stale


def _copy(source: Path, target: Path) -> None:
    if source.is_dir() and not source.is_symlink():
        shutil.copytree(source, target, symlinks=True)
    else:
        shutil.copy2(source, target, follow_symlinks=False)


def _entry_view(row: KbEntry | KbEntryVersion) -> EntryView:
    return EntryView(
        kind=row.kind,
        entry_id=row.entry_id,
        version=row.version,
        revision=row.revision_id,
        data=None if row.data is None else dict(row.data),
    )


def get_entry(db: Database, kind: str, entry_id: str) -> EntryView:
    """The live entry with its version (0 and no data if it never existed)."""
    with db.read() as session:
        head = session.get(KbEntry, (kind, entry_id))
        if head is None:
            return EntryView(kind, entry_id, 0, 0, None)
        return _entry_view(head)


def entry_history(db: Database, kind: str, entry_id: str) -> list[EntryView]:
    """Every version of an entry, oldest first."""
    with db.read() as session:
        rows = session.scalars(
            select(KbEntryVersion)
            .where(KbEntryVersion.kind == kind, KbEntryVersion.entry_id == entry_id)
            .order_by(KbEntryVersion.version)
        )
        return [_entry_view(r) for r in rows]


def list_revisions(db: Database, limit: int = 100) -> list[RevisionView]:
    """Newest revisions first."""
    with db.read() as session:
        rows = session.scalars(select(KbRevision).order_by(KbRevision.id.desc()).limit(limit))
        return [
            RevisionView(r.id, r.kind, r.author_label, r.comment, r.changes, r.created_at)
            for r in rows
        ]


def _proposal_view(p: KbProposal) -> ProposalView:
    return ProposalView(
        id=p.id,
        kind=p.kind,
        entry_id=p.entry_id,
        organisation_id=p.organisation_id,
        base_version=p.base_version,
        data=dict(p.data),
        diff=p.diff,
        comment=p.comment,
        status=p.status,
        author=p.author_label,
        created_at=p.created_at,
        reviewed_at=p.reviewed_at,
        review_comment=p.review_comment,
        revision_id=p.revision_id,
    )


def _check_references(kind: str, entry_id: str, data: dict[str, Any], live: KnowledgeBase) -> None:
    """The knowledge base with this entry in place must still have every reference resolve."""
    model = ENTRY_MODELS[kind]
    entry = model.model_validate(data)
    current = list(getattr(live, kind))
    replaced = [entry if str(e.id) == entry_id else e for e in current]
    if not any(str(e.id) == entry_id for e in current):
        replaced.append(entry)
    candidate = live.model_copy(update={kind: replaced})
    before = set(_reference_problems(live))
    new = [p for p in _reference_problems(candidate) if p not in before]
    if new:
        raise InputError(new)


def _reference_problems(kb: KnowledgeBase) -> list[Problem]:
    locations: dict[tuple[str, str], Located] = {}
    for kind in ENTRY_MODELS:
        for e in getattr(kb, kind):
            doc = YamlDocument(path=_file_of(kind, str(e.id)), data=None, root=None)
            locations[(kind, str(e.id))] = Located(doc, ())
    return check_references(kb, locations)


def propose_change(
    db: Database,
    actor: Principal,
    kind: str,
    entry_id: str,
    data: dict[str, Any],
    base_version: int,
    comment: str | None = None,
) -> ProposalView:
    """Propose a new version of an entry, based on the version the author loaded."""
    require(actor, Action.kb_propose, entry_id if kind == "vendors" else None)
    clean = _validate_entry(kind, entry_id, data)
    if comment is not None and len(comment) > 4000:
        raise InputError.single("proposal", "comment", "at most 4000 characters")
    with db.write() as session:
        head = session.get(KbEntry, (kind, entry_id))
        current = head.version if head is not None else 0
        if current != base_version:
            raise ConflictError(f"{kind} entry '{entry_id}'", base_version, current)
        _check_references(kind, entry_id, clean, _live(session, db).kb)
        old = dump_yaml(head.data) if head is not None and head.data is not None else ""
        name = _file_of(kind, entry_id)
        diff = "".join(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                dump_yaml(clean).splitlines(keepends=True),
                fromfile=f"{name} (version {current})",
                tofile=f"{name} (proposed)",
            )
        )
        proposal = KbProposal(
            kind=kind,
            entry_id=entry_id,
            organisation_id=entry_id if kind == "vendors" else None,
            base_version=base_version,
            data=clean,
            diff=diff,
            comment=comment,
            status=PROPOSED,
            author_id=actor.user_id,
            author_label=actor.label,
            created_at=utcnow(),
        )
        session.add(proposal)
        session.flush()
        audit.record(
            session,
            actor,
            "kb.propose",
            organisation_id=proposal.organisation_id,
            target_kind="kb_proposal",
            target_id=proposal.id,
            detail={"kind": kind, "entry_id": entry_id, "base_version": base_version},
        )
        return _proposal_view(proposal)


def list_proposals(db: Database, actor: Principal, status: str | None = None) -> list[ProposalView]:
    """Proposals newest first: a curator sees all, a vendor its own entry's."""
    query = select(KbProposal).order_by(KbProposal.id.desc())
    if actor.role.value == "curator":
        require(actor, Action.kb_proposals_view)
    else:
        own = sorted(o for o in actor.organisations)
        for org in own:
            require(actor, Action.kb_proposals_view, org)
        if not own:
            require(actor, Action.kb_proposals_view)
        query = query.where(KbProposal.organisation_id.in_(own))
    if status is not None:
        query = query.where(KbProposal.status == status)
    with db.read() as session:
        return [_proposal_view(p) for p in session.scalars(query)]


def get_proposal(db: Database, actor: Principal, proposal_id: int) -> ProposalView:
    """One proposal (its vendor or a curator)."""
    with db.read() as session:
        p = session.get(KbProposal, proposal_id)
        if p is None:
            raise NotFoundError(f"no proposal #{proposal_id}")
        require(actor, Action.kb_proposals_view, p.organisation_id)
        return _proposal_view(p)


def _open_proposal(session: Session, proposal_id: int) -> KbProposal:
    p = session.get(KbProposal, proposal_id)
    if p is None:
        raise NotFoundError(f"no proposal #{proposal_id}")
    if p.status != PROPOSED:
        raise InputError.single(f"proposal #{proposal_id}", "status", f"already {p.status}")
    return p


def approve_proposal(
    db: Database, actor: Principal, proposal_id: int, comment: str | None = None
) -> RevisionView:
    """Make a proposal live as a new revision."""
    require(actor, Action.kb_review)
    with db.write() as session:
        _state(session, lock=True)  # approvals take turns from here
        p = _open_proposal(session, proposal_id)
        head = session.get(KbEntry, (p.kind, p.entry_id))
        current = head.version if head is not None else 0
        if current != p.base_version:
            raise ConflictError(f"{p.kind} entry '{p.entry_id}'", p.base_version, current)
        _check_references(p.kind, p.entry_id, p.data, _live(session, db).kb)
        position = head.position if head is not None else _next_position(session, p.kind)
        note = comment or p.comment or f"proposal #{p.id}"
        number = _new_revision(session, actor, "approval", note, 1)
        heads = {(p.kind, p.entry_id): head} if head is not None else {}
        _write_versions(
            session, heads, [(p.kind, p.entry_id, position, dict(p.data))], number, None
        )
        now = utcnow()
        p.status, p.reviewer_id, p.reviewed_at = APPROVED, actor.user_id, now
        p.review_comment, p.revision_id = comment, number
        audit.record(
            session,
            actor,
            "kb.approve",
            organisation_id=p.organisation_id,
            target_kind="kb_proposal",
            target_id=p.id,
            detail={"revision": number, "kind": p.kind, "entry_id": p.entry_id},
        )
        return RevisionView(number, "approval", actor.label, note, 1, now)


def _next_position(session: Session, kind: str) -> int:
    top = session.scalar(select(func.max(KbEntry.position)).where(KbEntry.kind == kind))
    return 0 if top is None else int(top) + 1


def reject_proposal(db: Database, actor: Principal, proposal_id: int, comment: str) -> ProposalView:
    """Turn a proposal down, saying why."""
    require(actor, Action.kb_review)
    comment = (comment or "").strip()
    if not comment:
        raise InputError.single(f"proposal #{proposal_id}", "comment", "say why it is rejected")
    with db.write() as session:
        p = _open_proposal(session, proposal_id)
        p.status, p.reviewer_id, p.reviewed_at, p.review_comment = (
            REJECTED,
            actor.user_id,
            utcnow(),
            comment,
        )
        audit.record(
            session,
            actor,
            "kb.reject",
            organisation_id=p.organisation_id,
            target_kind="kb_proposal",
            target_id=p.id,
        )
        session.flush()
        return _proposal_view(p)
