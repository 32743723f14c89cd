"""Load a knowledge-base folder, validate every entry and resolve every reference.

All problems in one run, each as ``file:line: field: message``. The same loader serves the
CLI, the app, the store's import and the tests.
"""

from __future__ import annotations

import gc
import threading
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from advisor.errors import InputError, Problem, field_path, problems_from_validation
from advisor.kb import BUNDLED_KB_DIR
from advisor.kb.models import (
    AwardedProcess,
    AwardSupplier,
    Barrier,
    Body,
    CaseStudy,
    DeliveryModel,
    KnowledgeBase,
    Layer,
    Mitigation,
    Opportunity,
    ProcurementRoute,
    ReportRecommendation,
    TechnologyArea,
    Touchpoint,
    Vendor,
)
from advisor.yamlio import YamlDocument, read_yaml

__all__ = ["BUNDLED_KB_DIR"]  # defined in advisor.kb; re-exported where it always was

LIST_FILES: dict[str, type[BaseModel]] = {
    "barriers": Barrier,
    "delivery_models": DeliveryModel,
    "layers": Layer,
    "technology_areas": TechnologyArea,
    "bodies": Body,
    "touchpoints": Touchpoint,
    "opportunities": Opportunity,
    "mitigations": Mitigation,
    "procurement_routes": ProcurementRoute,
    "recommendations": ReportRecommendation,
}
"""``<kind>.yaml`` files: a YAML list of entries of one model."""

FOLDERS: dict[str, type[BaseModel]] = {
    "vendors": Vendor,
    "case_studies": CaseStudy,
    "awards": AwardedProcess,
    "suppliers": AwardSupplier,
}
"""``<kind>/<id>.yaml`` folders: one entry per file, the file stem is the id."""

OTHER_FILES = frozenset({"questionnaire.yaml", "scoring.yaml", "matching.yaml", "market.yaml"})
"""Files in the folder that other loaders read (question bank, scoring and matching rules)."""


ANY = "*"
"""Marks a kind whose entries could not be read at all (so its ids are unknown)."""


_gc_lock = threading.Lock()
_gc_holds = 0
_gc_was_enabled = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Hold off the cyclic garbage collector while a knowledge base or its graph is built.

    Building one allocates millions of objects that all stay alive (nothing is garbage), and
    each allocation burst set off a collection that walked every object made so far: more than
    half the time of loading a large catalogue. Reference counting still frees what is dropped;
    the collector runs again when the outermost pause (of any thread) ends. What was made
    meanwhile then goes straight to the oldest generation (``gc.freeze`` and ``gc.unfreeze``:
    a list splice) rather than being walked by the young collections first, about a second
    at 20,000 vendors; the next full collection looks at it as at everything else.
    """
    global _gc_holds, _gc_was_enabled
    with _gc_lock:
        if _gc_holds == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_holds += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_holds -= 1
            if _gc_holds == 0 and _gc_was_enabled:
                if gc.get_freeze_count() == 0:  # nothing frozen on purpose: keep it that way
                    gc.freeze()
                    gc.unfreeze()
                gc.enable()


@dataclass(frozen=True)
class Located:
    """Where an entry came from, to point errors at it."""

    doc: YamlDocument
    prefix: tuple[str | int, ...]

    def line(self, *loc: str | int) -> int | None:
        return self.doc.line_of((*self.prefix, *loc))


@dataclass
class LoadResult:
    """A knowledge base (possibly partial) and every problem found while loading it."""

    kb: KnowledgeBase
    problems: list[Problem]
    locations: dict[tuple[str, str], Located]
    """(kind, id) -> where the entry was defined."""


@dataclass
class _FileLines(YamlDocument):
    """A file whose entry was read and validated: its text (or parsed YAML) is let go, and is
    read again only if a line in it is asked for (a later problem with the entry)."""

    reread: bool = False

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        if not self.reread:
            self.reread = True
            try:
                again = read_yaml(self.path)
            except InputError:
                return None
            self.root, self.text = again.root, again.text
        return super().line_of(loc)


def _read(path: Path, problems: list[Problem]) -> YamlDocument | None:
    try:
        return read_yaml(path)
    except InputError as exc:
        problems.extend(exc.problems)
        return None


def _load_entries(
    root: Path, problems: list[Problem], broken: dict[str, set[str]]
) -> Iterator[tuple[str, Any, Located]]:
    """Every entry's kind, data and place, one file at a time (a file's data is dropped once
    its entry is validated, so a large catalogue is never held twice)."""
    for kind in LIST_FILES:
        path = root / f"{kind}.yaml"
        if not path.exists():
            continue
        doc = _read(path, problems)
        if doc is None:
            broken[kind].add(ANY)
            continue
        if doc.data is None:
            continue
        if not isinstance(doc.data, list):
            problems.append(Problem(str(path), 1, "(file)", "expected a list of entries"))
            continue
        items, doc.data = doc.data, None  # lines come from the document, not the data
        for i, item in enumerate(items):
            yield kind, item, Located(doc, (i,))
    for kind in FOLDERS:
        folder = root / kind
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml"), key=lambda p: p.name):
            doc = _read(path, problems)
            if doc is None:
                broken[kind].add(path.stem)
                if kind == "vendors":
                    broken["offerings"].add(ANY)
                continue
            if not isinstance(doc.data, dict):
                broken[kind].add(path.stem)
                problems.append(Problem(str(path), 1, "(file)", "expected one mapping (one entry)"))
                continue
            if doc.data.get("id") != path.stem:
                problems.append(
                    Problem(
                        str(path),
                        doc.line_of(("id",)),
                        "id",
                        f"must equal the file name '{path.stem}'",
                    )
                )
            data, doc.data = doc.data, None
            yield kind, data, Located(doc, ())


def load_knowledge_base_result(root: Path | str) -> LoadResult:
    """Load and check a knowledge-base folder, collecting every problem."""
    root = Path(root)
    if not root.is_dir():
        raise InputError.single(str(root), "(folder)", "knowledge-base folder not found")
    with paused_gc():
        return _load_result(root)


def _load_result(root: Path) -> LoadResult:
    problems: list[Problem] = []
    # ids of entries that failed to load: references to them are not reported again
    broken: dict[str, set[str]] = defaultdict(set)
    entries: dict[str, list[Any]] = defaultdict(list)
    locations: dict[tuple[str, str], Located] = {}
    models = {**LIST_FILES, **FOLDERS}
    for kind, data, where in _load_entries(root, problems, broken):
        model = models[kind]
        try:
            if where.doc.text is not None and not where.prefix:
                # a whole file in JSON form: pydantic parses and validates it in one pass
                entry = model.model_validate_json(where.doc.text)
            else:
                entry = model.model_validate(data)
        except ValidationError as err:
            problems.extend(
                problems_from_validation(err, where.doc.path, where.doc.line_of, where.prefix)
            )
            if isinstance(data, dict) and isinstance(data.get("id"), str):
                broken[kind].add(data["id"])
                if kind == "vendors":
                    broken["offerings"].update(_offering_ids(data))
            continue
        key = (kind, str(entry.id))  # type: ignore[attr-defined]
        if key in locations:
            first = locations[key]
            problems.append(
                Problem(
                    where.doc.path,
                    where.line("id"),
                    "id",
                    f"duplicate id '{key[1]}' (first at {first.doc.path}:{first.line('id')})",
                )
            )
            continue
        if not where.prefix:  # one entry per file: its text is not held for the whole load
            where = Located(_FileLines(path=where.doc.path, data=None), ())
        locations[key] = where
        entries[kind].append(entry)
    # entries are validated one by one above: build the container without doing it again
    kb = KnowledgeBase.model_construct(
        None, **{k: entries.get(k, []) for k in KnowledgeBase.model_fields}
    )
    problems.extend(check_references(kb, locations, broken))
    problems.sort(key=lambda p: (p.file, p.line or 0, p.field))
    return LoadResult(kb=kb, problems=problems, locations=locations)


def _offering_ids(data: dict[str, Any]) -> set[str]:
    offerings = data.get("offerings")
    if not isinstance(offerings, list):
        return set()
    return {o["id"] for o in offerings if isinstance(o, dict) and isinstance(o.get("id"), str)}


def check_references(
    kb: KnowledgeBase,
    locations: dict[tuple[str, str], Located],
    broken: dict[str, set[str]] | None = None,
) -> list[Problem]:
    """Every id an entry names must exist; offering ids are unique across vendors.

    References to entries in ``broken`` (which failed to load) are not reported again.
    """
    broken = broken or {}
    problems: list[Problem] = []
    ids = {
        "bodies": {b.id for b in kb.bodies},
        "vendors": {v.id for v in kb.vendors},
        "touchpoints": {t.id for t in kb.touchpoints},
        "opportunities": {o.id for o in kb.opportunities},
        "case_studies": {c.id for c in kb.case_studies},
    }
    offering_vendor: dict[str, str] = {}
    for vendor in kb.vendors:
        where = locations[("vendors", vendor.id)]
        for i, off in enumerate(vendor.offerings):
            if off.id in offering_vendor:
                problems.append(
                    Problem(
                        where.doc.path,
                        where.line("offerings", i, "id"),
                        f"offerings[{i}].id",
                        f"duplicate offering id '{off.id}' (also in {offering_vendor[off.id]})",
                    )
                )
            else:
                offering_vendor[off.id] = vendor.id

    def need(
        kind: str, entry_id: str, field: tuple[str | int, ...], target: str, value: str
    ) -> None:
        known = offering_vendor if target == "offerings" else ids[target]
        gone = broken.get(target, set())
        if value not in known and value not in gone and ANY not in gone:
            where = locations[(kind, entry_id)]
            label = target.removesuffix("s").replace("_studie", "_study").replace("bodie", "body")
            problems.append(
                Problem(
                    where.doc.path,
                    where.line(*field),
                    field_path(field),
                    f"unknown {label} '{value}'",
                )
            )

    for cs in kb.case_studies:
        for fname, target in (
            ("lead_bodies", "bodies"),
            ("partners", "bodies"),
            ("vendors", "vendors"),
            ("offerings", "offerings"),
            ("touchpoints", "touchpoints"),
            ("opportunities", "opportunities"),
        ):
            for i, value in enumerate(getattr(cs, fname)):
                need("case_studies", cs.id, (fname, i), target, value)
        for i, fund in enumerate(cs.funding):
            for j, funder in enumerate(fund.funders):
                need("case_studies", cs.id, ("funding", i, "funders", j), "bodies", funder)
        for i, off_id in enumerate(cs.offerings):
            owner = offering_vendor.get(off_id)
            if owner is not None and owner not in cs.vendors:
                where = locations[("case_studies", cs.id)]
                problems.append(
                    Problem(
                        where.doc.path,
                        where.line("offerings", i),
                        f"offerings[{i}]",
                        f"offering '{off_id}' belongs to vendor '{owner}', which is not in vendors",
                    )
                )
    for opp in kb.opportunities:
        for i, tp in enumerate(opp.touchpoints):
            need("opportunities", opp.id, ("touchpoints", i), "touchpoints", tp)
    for mit in kb.mitigations:
        for i, cs_id in enumerate(mit.case_studies):
            need("mitigations", mit.id, ("case_studies", i), "case_studies", cs_id)
    return problems


def load_knowledge_base(root: Path | str = BUNDLED_KB_DIR) -> KnowledgeBase:
    """Load a knowledge base; raise InputError listing every problem if there is any."""
    result = load_knowledge_base_result(root)
    if result.problems:
        raise InputError(result.problems)
    return result.kb


def count_by_kind(kb: KnowledgeBase) -> dict[str, int]:
    """Number of entries of each kind (offerings counted across vendors)."""
    counts = {name: len(getattr(kb, name)) for name in KnowledgeBase.model_fields}
    counts["offerings"] = sum(len(v.offerings) for v in kb.vendors)
    return counts
