"""The releases of one process compiled into one record, with the OCP's ``ocdsmerge``.

Most processes need no real merge: a single release, or releases that agree wherever they
overlap (a tender release and an award release repeating the same buyer, the award release's
parties adding the supplier to the buyer already listed). For those the compiled release is
known without running ``ocdsmerge``'s flatten and unflatten: ``plain_compiled`` gives it only
when it can show it equals what ``ocdsmerge`` gives, and ``compiled_release`` falls back to
``ocdsmerge`` for everything else.

What ``ocdsmerge`` (0.8, with the merge rules of ``MERGE_RULES``) does to releases, and so what
``plain_compiled`` checks for:

- the top-level ``id``, ``date`` and ``tag`` are dropped and the compiled release gets
  ``tag: ["compiled"]``, ``id: "<ocid>-<date>"`` and ``date`` of the newest release;
- a ``null`` anywhere is dropped (and deletes an older release's value), and so are empty
  objects and arrays: refused here (not *plain*);
- objects in an array are merged by their ``id`` (the position of its first appearance, the
  newest release's fields); an object without ``id`` is never merged, so it is repeated once for
  each release holding it: refused here when the value holds such objects and appears in more
  than one release; ids that are not strings or whole numbers, or two objects of one array with
  the same id (as text), are refused too;
- an array holding anything that is not an object is one value, replaced whole;
- everything else is replaced by the newest release's value.

So when every top-level field is plain and either appears in one release, or is the same in all
the releases that hold it, or is an array of objects with ids whose objects are the same
wherever they appear, the compiled release is those values, the newest for each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ocdsmerge

MERGE_RULES: dict[tuple[str, ...], str] = {
    ("id",): "omitWhenMerged",
    ("date",): "omitWhenMerged",
    ("tag",): "omitWhenMerged",
}
"""The OCDS 1.1 release schema's merge rules for the fields kept (``ocdsmerge`` reads them
from the schema; giving them here means no schema is fetched from the network)."""

_OMITTED = frozenset(("id", "date", "tag"))
_ID_TYPES = (str, int)


_SCALAR_TYPES = frozenset((str, int, float, bool))


def _plain(value: Any, repeated: bool) -> bool:
    """Whether ``ocdsmerge`` gives ``value`` back unchanged when it merges it with itself
    (``repeated``: the value appears in more than one release) or alone."""
    kind = type(value)
    if kind in _SCALAR_TYPES:
        return True
    if kind is dict:
        if not value:
            return False
        for item in value.values():
            if type(item) not in _SCALAR_TYPES and not _plain(item, repeated):
                return False
        return True
    if kind is list:
        if not value:
            return False
        for item in value:
            if not isinstance(item, dict):
                return True  # an array of values: replaced whole, as it is
        ids: set[str] = set()
        for item in value:
            if "id" in item:
                ident = item["id"]
                if type(ident) not in _ID_TYPES:
                    return False
                text = str(ident)
                if text in ids:
                    return False
                ids.add(text)
            elif repeated:
                return False
            if not _plain(item, repeated):
                return False
        return True
    return value is not None


def _merged_by_id(values: list[Any]) -> list[dict[str, Any]] | None:
    """An array of objects with ids from several releases, oldest first, when every object is
    the same wherever it appears (none when a real merge is needed)."""
    merged: dict[str, dict[str, Any]] = {}
    seen_in: dict[str, int] = {}
    for value in values:
        if type(value) is not list:
            return None
        for item in value:
            if type(item) is not dict or "id" not in item:
                return None
            ident = item["id"]
            text = str(ident)
            before = merged.get(text)
            if before is not None:
                if type(before["id"]) is not type(ident) or before != item:
                    return None
                seen_in[text] += 1
            else:
                seen_in[text] = 1
            merged[text] = item
    for text, count in seen_in.items():
        if count > 1 and not _plain(merged[text], True):
            return None
    return list(merged.values())


def plain_compiled(ordered: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The compiled release of releases in ``ocdsmerge``'s order (by ``date``), when it needs
    no real merge (see the module's notes); none otherwise."""
    newest = ordered[-1]
    compiled: dict[str, Any] = {
        "tag": ["compiled"],
        "id": f"{newest.get('ocid')}-{newest.get('date')}",
        "date": newest.get("date"),
    }
    values: dict[str, list[Any]] = {}
    for release in ordered:
        for key, value in release.items():
            if key not in _OMITTED:
                values.setdefault(key, []).append(value)
    for key, held in values.items():
        value = held[-1]
        if len(held) == 1:
            if not _plain(value, False):
                return None
            compiled[key] = value
        elif all(v == value for v in held):
            # plain when repeated is plain alone too
            if not all(_plain(v, True) for v in held):
                return None
            compiled[key] = value
        else:
            if not all(_plain(v, False) for v in held):
                return None
            merged = _merged_by_id(held)
            if merged is None:
                return None
            compiled[key] = merged
    return compiled


def compiled_release(
    releases: list[dict[str, Any]], merger: ocdsmerge.Merger
) -> dict[str, Any] | None:
    """The compiled release of one process's releases (each a dict with a string ``date``):
    without ``ocdsmerge`` where no real merge is needed, with it otherwise; none when they
    cannot be merged (``ocdsmerge`` refuses notices that disagree on whether a field holds an
    object, a list or a value, and ids that are not plain values)."""
    from ocdsmerge.exceptions import OCDSMergeError
    from ocdsmerge.util import sorted_releases

    plain = plain_compiled(sorted_releases(releases))
    if plain is not None:
        return plain
    try:
        merged: dict[str, Any] = merger.create_compiled_release(releases)
    except (OCDSMergeError, TypeError, ValueError, KeyError):
        # its own refusals, and what its flattening raises on ids that are lists or objects
        return None
    return merged


def new_merger() -> ocdsmerge.Merger:
    """An ``ocdsmerge`` merger with the merge rules of the fields the import keeps."""
    import ocdsmerge

    return ocdsmerge.Merger(merge_rules=MERGE_RULES)
