"""Stream OCDS releases out of a file, never holding the whole file in memory.

Three layouts are read, as Contracts Finder and Find a Tender publish them: a release package
(``{"releases": [...]}``), a record package (``{"records": [...]}``, each record's releases or,
failing those, its compiled release) and line-delimited JSON (one release, or one package, per
line). Package arrays are read with ``ijson``, one release at a time. Malformed JSON, or a file
that is none of these, raises ``InputError`` naming the file and the position.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from advisor.errors import InputError

FIRST_LINE_LIMIT = 1_000_000
"""A first line longer than this is read as a package, not as one release per line."""
NOT_OCDS = (
    "not OCDS: expected a release package (a 'releases' list), a record package "
    "(a 'records' list) or one release per line"
)


class _Counting:
    """A binary file that counts the bytes read, to say where a parse failed."""

    def __init__(self, raw: IO[bytes], tick: Callable[[int], None] | None) -> None:
        self.raw = raw
        self.done = 0
        self.tick = tick

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        self.done += len(data)
        if self.tick is not None:
            self.tick(self.done)
        return data


def _top_key(path: Path) -> str:
    """'releases' or 'records': the package list the file holds (InputError for neither)."""
    import ijson

    with path.open("rb") as raw:
        counting = _Counting(raw, None)
        try:
            for prefix, event, value in ijson.parse(counting):
                if prefix == "" and event not in ("start_map", "map_key", "end_map"):
                    raise InputError.single(str(path), "(file)", NOT_OCDS)
                if prefix == "" and event == "map_key" and value in ("releases", "records"):
                    return str(value)
        except ijson.JSONError as exc:
            raise _bad_json(path, counting.done, exc) from None
    raise InputError.single(str(path), "(file)", NOT_OCDS)


def _bad_json(path: Path, where: int, exc: Exception) -> InputError:
    detail = str(exc).splitlines()[0] if str(exc) else "malformed JSON"
    return InputError.single(
        str(path), "(file)", f"malformed JSON near byte {where}: {detail[:120]}"
    )


def _first_line(path: Path) -> bytes:
    with path.open("rb") as raw:
        return raw.readline(FIRST_LINE_LIMIT + 1)


def _is_line_delimited(path: Path) -> bool:
    line = _first_line(path).strip()
    if not line or len(line) > FIRST_LINE_LIMIT or not line.startswith(b"{"):
        return False
    try:
        first = json.loads(line)
    except ValueError:
        return False
    return isinstance(first, dict) and ("ocid" in first or _package_of(first) is not None)


def _package_of(obj: dict[str, Any]) -> str | None:
    for key in ("releases", "records"):
        if isinstance(obj.get(key), list):
            return key
    return None


def _from_record(record: Any) -> Iterator[Any]:
    if not isinstance(record, dict):
        yield record
        return
    releases = [r for r in record.get("releases") or [] if isinstance(r, dict) and "date" in r]
    if releases:
        yield from releases
    elif isinstance(record.get("compiledRelease"), dict):
        yield record["compiledRelease"]
    else:
        yield {"ocid": record.get("ocid")}


def read_releases(path: Path, progress: Callable[[int, int], None] | None = None) -> Iterator[Any]:
    """Every release in the file, one at a time (anything else in a list is yielded as is,
    for the caller to count as not a release). ``progress(bytes_read, size)`` as it goes."""
    import ijson

    if not path.is_file():
        raise InputError.single(str(path), "(file)", "file not found")
    size = path.stat().st_size
    if size == 0:
        raise InputError.single(str(path), "(file)", "empty file: " + NOT_OCDS)

    def tick(done: int) -> None:
        if progress is not None:
            progress(done, size)

    if _is_line_delimited(path):
        with path.open("rb") as raw:
            done = 0
            for number, line in enumerate(raw, start=1):
                done += len(line)
                tick(done)
                if not line.strip():
                    continue
                try:
                    obj = json.loads(line)
                except ValueError as exc:
                    raise InputError.single(
                        str(path), "(line)", f"malformed JSON: {str(exc)[:120]}", number
                    ) from None
                key = _package_of(obj) if isinstance(obj, dict) else None
                if key == "releases":
                    yield from obj["releases"]
                elif key == "records":
                    for record in obj["records"]:
                        yield from _from_record(record)
                else:
                    yield obj
        return
    key = _top_key(path)
    with path.open("rb") as raw:
        counting = _Counting(raw, tick)
        try:
            for item in ijson.items(counting, f"{key}.item", use_float=True):
                if key == "records":
                    yield from _from_record(item)
                else:
                    yield item
        except ijson.JSONError as exc:
            raise _bad_json(path, counting.done, exc) from None
