"""Safe YAML reading with line numbers, and atomic YAML writing.

Every YAML file the advisor reads goes through ``read_yaml``: a safe loader, no aliases (so no
alias bombs), a size cap, and a map from each value's path to its line for error messages.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from advisor.errors import InputError, Problem, field_path

MAX_YAML_BYTES = 5_000_000

Loc = tuple[str | int, ...]

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class YamlDocument:
    """A parsed YAML file; ``line_of`` finds the line (1-based) of any value by its path."""

    path: str
    data: Any
    root: yaml.Node | None = field(default=None, repr=False)
    text: str | None = field(default=None, repr=False)
    """Kept for files read by the JSON fast path: composed into ``root`` only if needed."""

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """Line of the deepest known prefix of ``loc`` (pydantic error locations work here)."""
        if self.root is None and self.text is not None:
            loader = _Loader(self.text)
            try:
                self.root = loader.get_single_node()
            except (yaml.YAMLError, RecursionError, UnicodeError):  # JSON YAML cannot read
                self.text = None
            finally:
                loader.dispose()
        node = self.root
        if node is None:
            return None
        line = node.start_mark.line + 1
        for part in loc:
            nxt: yaml.Node | None = None
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode) and key_node.value == str(part):
                        line = key_node.start_mark.line + 1
                        nxt = value_node
                        break
            elif (
                isinstance(node, yaml.SequenceNode)
                and isinstance(part, int)
                and 0 <= part < len(node.value)
            ):
                nxt = node.value[part]
                line = nxt.start_mark.line + 1
            if nxt is None:
                return line
            node = nxt
        return line


_YAML_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = frozenset(
    _YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
)
"""The only tags a file may use: plain text, numbers, yes/no, empty, dates, mappings and lists
(``!!binary``, ``!!set``, ``!!omap``, ``!!pairs``, merge keys and local tags are refused)."""

MAX_NUMBER_CHARS = 100
"""Longest number written in a file, in characters (a 5,000-digit integer is refused)."""


def _check_nodes(root: yaml.Node, loader: yaml.SafeLoader) -> None:
    """Refuse aliases (a reused node), duplicate mapping keys, tags other than the plain ones,
    over-long numbers and impossible dates, in one walk, naming the field of each."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, Loc]] = [(root, ())]
    while stack:
        node, loc = stack.pop()
        if id(node) in seen:
            raise InputError.single("", "(file)", "YAML aliases are not allowed", _line(node))
        seen.add(id(node))
        _check_tag(node, loc, loader)
        if isinstance(node, yaml.MappingNode):
            keys: set[str] = set()
            for key_node, value_node in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise InputError.single(
                        "", "(key)", "mapping keys must be plain text", _line(key_node)
                    )
                key_loc = (*loc, key_node.value)
                _check_tag(key_node, key_loc, loader)
                if key_node.value in keys:
                    raise InputError.single(
                        "", field_path(key_loc), "duplicate key", _line(key_node)
                    )
                keys.add(key_node.value)
                stack.append((value_node, key_loc))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, (*loc, i)) for i, item in enumerate(node.value))


def _check_tag(node: yaml.Node, loc: Loc, loader: yaml.SafeLoader) -> None:
    where = field_path(loc) or "(file)"
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace(_YAML_TAG, "!!")
        raise InputError.single(
            "",
            where,
            f"the YAML tag {tag} is not allowed: write plain text, numbers, lists and mappings",
            _line(node),
        )
    if not isinstance(node, yaml.ScalarNode):
        return
    if node.tag in (_YAML_TAG + "int", _YAML_TAG + "float") and len(node.value) > MAX_NUMBER_CHARS:
        raise InputError.single(
            "", where, f"number is too long (more than {MAX_NUMBER_CHARS} characters)", _line(node)
        )
    if node.tag == _YAML_TAG + "timestamp":
        try:
            loader.construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:
            raise InputError.single(
                "", where, f"{node.value} is not a valid date ({exc})", _line(node)
            ) from None


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _json_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a duplicate key: the YAML path will say which, and where
        raise _DuplicateKeyError("duplicate key")
    return out


class _DuplicateKeyError(ValueError):
    pass


def _parse_json_form(text: str, path: str) -> YamlDocument | None:
    """Files written as JSON (a subset of YAML, as ``kb synth`` writes) parse ten times faster.

    Anything the JSON parser refuses goes through the YAML parser, which gives the line.
    """
    try:
        data = json.loads(text, object_pairs_hook=_json_pairs)
    except (ValueError, RecursionError):
        return None
    if _SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(data, text, path)
    return YamlDocument(path=path, data=data, text=text)


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _refuse_lone_surrogates(data: Any, text: str, path: str) -> None:
    """JSON lets ``\\ud800`` (half a surrogate pair) through; it is not text: refuse it."""
    stack: list[tuple[Any, Loc]] = [(data, ())]
    while stack:
        value, loc = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                stack.append((key, loc))
                stack.append((item, (*loc, key)))
        elif isinstance(value, list):
            stack.extend((item, (*loc, i)) for i, item in enumerate(value))
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                found = _LONE_SURROGATE_ESCAPE.search(text)
                line = text.count("\n", 0, found.start()) + 1 if found else None
                raise InputError.single(
                    path,
                    field_path(loc) or "(file)",
                    "invalid \\u escape: half a surrogate pair is not a character",
                    line,
                ) from None


def parse_yaml(text: str, path: str = "<input>") -> YamlDocument:
    """Parse YAML text safely; raise InputError with file and line on any problem."""
    if len(text) > MAX_YAML_BYTES:
        raise InputError.single(path, "(file)", f"file is larger than {MAX_YAML_BYTES} bytes")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:  # text handed in (an upload), not read from a file
        raise InputError.single(
            path,
            "(file)",
            "not valid text: half a surrogate pair is not a character",
            text.count("\n", 0, exc.start) + 1,
        ) from None
    if text[:1] in ("{", "["):
        fast = _parse_json_form(text, path)
        if fast is not None:
            return fast
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            if root is None:
                return YamlDocument(path=path, data=None, root=None)
            _check_nodes(root, loader)
            data = loader.construct_document(root)
        finally:
            loader.dispose()
    except InputError as exc:
        raise InputError(
            [Problem(path, p.line, p.field, p.message) if not p.file else p for p in exc.problems]
        ) from None
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError.single(path, "(file)", f"not valid YAML: {exc.problem}", line) from None
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        raise InputError.single(path, "(file)", f"not valid YAML: {exc}") from None
    return YamlDocument(path=path, data=data, root=root)


def _kind_of(mode: int) -> str:
    """A special file's kind, in words."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes_capped(
    path: Path | str, cap: int, *, where: str | None = None, field: str = "(file)"
) -> bytes:
    """The bytes of a regular file of at most ``cap`` bytes, checked while reading.

    At most ``cap + 1`` bytes are read, so a huge (or sparse) file costs no memory; devices,
    named pipes, sockets and folders are refused without blocking on them. Every problem is an
    ``InputError`` naming ``where`` (default: the path) and ``field``.
    """
    p = Path(path)
    name = where if where is not None else str(p)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused just below
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise InputError.single(name, field, "is a folder, not a file") from None
    except OSError as exc:
        raise InputError.single(name, field, f"cannot read file: {exc.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError.single(
                name, field, f"is {_kind_of(mode)}: only regular files are read"
            )
        os.set_blocking(fd, True)
        try:
            # read what the file holds (and a byte more, to notice it growing) rather than
            # cap + 1 bytes: that allocates a cap-sized buffer for every file, however small
            want = min(os.fstat(fd).st_size, cap) + 1
            data = handle.read(want)
            if len(data) == want <= cap:  # it grew since: read on, up to the cap
                data += handle.read(cap + 1 - want)
        except OSError as exc:
            raise InputError.single(name, field, f"cannot read file: {exc.strerror}") from None
    if len(data) > cap:
        raise InputError.single(name, field, f"file is larger than {cap} bytes")
    return data


def read_yaml(path: Path | str) -> YamlDocument:
    """Read and parse a YAML file (see ``parse_yaml``); the size cap is checked while reading."""
    p = Path(path)
    raw = read_bytes_capped(p, MAX_YAML_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError.single(str(p), "(file)", "file is not UTF-8 text") from None
    return parse_yaml(text, str(p))


def dump_yaml(data: Any) -> str:
    """YAML text for plain data, keys in the given order, unicode kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


STDOUT = "-"
"""The output path that means standard output (``-o -``)."""


def check_output_path(path: Path | str) -> None:
    """Refuse an output path that is not a regular file or a new name.

    Output replaces a regular file atomically (see ``write_bytes_atomic``); renaming over a
    device, named pipe, socket, folder or symbolic link would replace that special file with a
    regular one, so they are refused (a symbolic link too: write to the file it points to).
    """
    target = Path(path)
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise InputError.single(str(target), "(output)", f"cannot write: {exc.strerror}") from None
    if not stat.S_ISREG(mode):
        raise InputError.single(
            str(target),
            "(output)",
            f"is {_kind_of(mode)}: output is written only to regular files (or - for "
            "standard output)",
        )


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write a file so that readers see the old content or the new, never half of it.

    Only a regular file or a new name is written (``check_output_path``); any other problem is
    an ``InputError`` naming the output path.
    """
    target = Path(path)
    check_output_path(target)
    tmp: str | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError.single(
            str(target), "(output)", f"cannot write a file in its folder: {exc.strerror or exc}"
        ) from None
    try:
        with contextlib.suppress(OSError):  # a replaced file keeps its permissions
            os.fchmod(fd, stat.S_IMODE(os.stat(target).st_mode))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        check_output_path(target)  # it may have changed while the data was written
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise InputError.single(
            str(target), "(output)", f"cannot write: {exc.strerror or exc}"
        ) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def write_text_atomic(path: Path | str, text: str) -> None:
    """Atomically write UTF-8 text (see ``write_bytes_atomic``)."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_yaml_atomic(path: Path | str, data: Any) -> None:
    """Atomically write plain data as YAML."""
    write_text_atomic(path, dump_yaml(data))
