"""Safe YAML reading with line numbers, and atomic YAML writing.

Every YAML file the advisor reads goes through ``read_yaml``: a safe loader, no aliases (so no
alias bombs), a size cap, and a map from each value's path to its line for error messages.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputError, Problem

MAX_YAML_BYTES = 5_000_000

Loc = tuple[str | int, ...]


@dataclass
class YamlDocument:
    """A parsed YAML file and the line (1-based) of each value, keyed by path."""

    path: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest known prefix of ``loc`` (pydantic error locations work here)."""
        parts = tuple(loc)
        while True:
            if parts in self.lines:
                return self.lines[parts]
            if not parts:
                return None
            parts = parts[:-1]


def _no_aliases(text: str, path: str) -> None:
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark else None
            raise InputError.single(path, "(file)", "YAML aliases are not allowed", line)


def _build(node: yaml.Node, loc: Loc, lines: dict[Loc, int], loader: yaml.SafeLoader) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | bool | float) or key is None:
                raise InputError.single(
                    "", str(key), "mapping keys must be plain text", key_node.start_mark.line + 1
                )
            if key in result:
                raise InputError.single(
                    "", str(key), "duplicate key", key_node.start_mark.line + 1
                )
            skey: str | int = key if isinstance(key, int) and not isinstance(key, bool) else str(key)
            result[skey] = _build(value_node, (*loc, skey), lines, loader)
            lines[(*loc, skey)] = key_node.start_mark.line + 1
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*loc, i), lines, loader) for i, item in enumerate(node.value)]
    return loader.construct_object(node, deep=True)


def parse_yaml(text: str, path: str = "<input>") -> YamlDocument:
    """Parse YAML text safely; raise InputError with file and line on any problem."""
    if len(text.encode("utf-8", errors="replace")) > MAX_YAML_BYTES:
        raise InputError.single(path, "(file)", f"file is larger than {MAX_YAML_BYTES} bytes")
    try:
        _no_aliases(text, path)
        loader = yaml.SafeLoader(text)
        try:
            node = loader.get_single_node()
            lines: dict[Loc, int] = {}
            data = None if node is None else _build(node, (), lines, loader)
        finally:
            loader.dispose()  # type: ignore[no-untyped-call]
    except InputError as exc:
        raise InputError(
            [
                Problem(path, p.line, p.field, p.message) if not p.file else p
                for p in exc.problems
            ]
        ) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError.single(path, "(file)", f"not valid YAML: {exc.problem}", line) from None
    except yaml.YAMLError as exc:
        raise InputError.single(path, "(file)", f"not valid YAML: {exc}") from None
    return YamlDocument(path=path, data=data, lines=lines)


def read_yaml(path: Path | str) -> YamlDocument:
    """Read and parse a YAML file (see ``parse_yaml``)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError.single(str(p), "(file)", f"cannot read file: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError.single(str(p), "(file)", "file is not UTF-8 text") from None
    return parse_yaml(text, str(p))


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, keys in the given order, unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def write_text_atomic(path: Path | str, text: str) -> None:
    """Write a file so that readers see the old content or the new, never half of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_yaml_atomic(path: Path | str, data: Any) -> None:
    """Atomically write plain data as YAML."""
    write_text_atomic(path, dump_yaml(data))
