"""What is derived from a knowledge-base folder (its entries, graph and matching index), kept
on disk between runs so that the second run of a command reads it instead of rebuilding it.

A cached object is stored under a name and a digest: a content hash of every file in the
folder (and of the bundled rule files a folder may fall back on), of this package's own
source, and of the Python and library versions that shape a pickle. Any change to either
gives another digest, so a stale object is never read; older digests of the same name are
removed when a new one is written.

Only what this user wrote is ever unpickled: the cache folder must be a real folder owned by
this user that no one else may write (created 0700), and every file carries an HMAC-SHA256
of its content under a key kept in that folder (0600), checked before anything is unpickled.
A missing, corrupt, truncated, foreign or unreadable file is not an error: the object is
built as if there were no cache, and written afresh when the folder allows it.

The folder is ``ADVISOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/advisor``, else
``~/.cache/advisor``; ``ADVISOR_CACHE_DIR=off`` turns the cache off. It keeps at most
``MAX_FILES`` files and ``MAX_BYTES`` in all, letting the least recently used go.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TypeVar

from advisor.kb import BUNDLED_KB_DIR
from advisor.kb.loader import paused_gc

T = TypeVar("T")

CACHE_ENV = "ADVISOR_CACHE_DIR"
OFF = {"off", "0", "no", "none", ""}
KEY_FILE = "key"
KEY_BYTES = 32
MAC_BYTES = hashlib.sha256().digest_size
SHAPING_LIBRARIES = ("pydantic", "pydantic-core", "networkx", "numpy")
"""Libraries whose versions decide whether an old pickle still reads the same."""
PACKAGE_DIR = Path(__file__).resolve().parents[1]
MAX_FILES = 32
MAX_BYTES = 4 * 1024**3
"""The most cache files, and bytes in all, the folder keeps: the least recently used go."""


def cache_dir() -> Path | None:
    """The cache folder the environment names, or None when the cache is off."""
    named = os.environ.get(CACHE_ENV)
    if named is not None:
        return None if named.strip().lower() in OFF else Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "advisor"


def _private_folder(folder: Path) -> bool:
    """Create ``folder`` (0700) if needed; True only if it is ours and no one else may write."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.lstat()
    except OSError:
        return False
    return (
        stat.S_ISDIR(info.st_mode)
        and info.st_uid == os.geteuid()
        and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
    )


def _key(folder: Path) -> bytes | None:
    """The folder's HMAC key, made on first use; None if it is not ours alone."""
    path = folder / KEY_FILE
    with contextlib.suppress(FileExistsError, OSError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(secrets.token_bytes(KEY_BYTES))
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as key_file:
        info = os.fstat(key_file.fileno())
        if (
            not stat.S_ISREG(info.st_mode)
            or info.st_uid != os.geteuid()
            or info.st_mode & (stat.S_IRWXG | stat.S_IRWXO)
        ):
            return None
        key = key_file.read(KEY_BYTES + 1)
    return key if len(key) == KEY_BYTES else None


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of this package's source and of the versions that shape a pickle."""
    digest = hashlib.sha256(sys.version.encode())
    for name in SHAPING_LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(str(path.relative_to(PACKAGE_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def folder_digest(folder: Path, also: Iterable[Path] = ()) -> str:
    """A content hash of every file in ``folder`` and the files ``also`` names, with the code
    version: what a cached object built from that folder is filed under."""
    digest = hashlib.sha256(code_version().encode())
    for root, paths in ((folder, _files(folder)), (BUNDLED_KB_DIR, sorted(also))):
        for path in paths:
            data = path.read_bytes()
            name = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
            digest.update(f"\0{name}\0{len(data)}\0".encode())
            digest.update(data)
    return digest.hexdigest()


def bundled_rule_files() -> list[Path]:
    """The bundled top-level files a knowledge-base folder may fall back on."""
    return sorted(p for p in BUNDLED_KB_DIR.glob("*.yaml") if p.is_file())


def _read(path: Path, key: bytes) -> object:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as cached:
        info = os.fstat(cached.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
            raise ValueError("not a cache file of ours")
        blob = cached.read()
    mac, payload = memoryview(blob)[:MAC_BYTES], memoryview(blob)[MAC_BYTES:]
    if not hmac.compare_digest(mac, hmac.new(key, payload, hashlib.sha256).digest()):
        raise ValueError("cache file does not carry our signature")
    with paused_gc():  # millions of objects, all kept: no collection while they are made
        return pickle.loads(payload)  # noqa: S301  # signed by us: checked just above


def _write(folder: Path, path: Path, key: bytes, value: object) -> None:
    with paused_gc():  # the pickler keeps every object it wrote: no collection meanwhile
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    mac = hmac.new(key, payload, hashlib.sha256).digest()
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".writing-", suffix=".pickle")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(mac)
            out.write(payload)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load_or_build(name: str, digest: str, build: Callable[[], T], kind: type[T]) -> T:
    """The ``kind`` object filed under ``name`` and ``digest``, or ``build()`` (then filed).

    Nothing about the cache can fail the caller: any problem reading it means building, and
    any problem writing it means the next run builds again.
    """
    folder = cache_dir()
    if folder is None or not _private_folder(folder):
        return build()
    key = _key(folder)
    if key is None:
        return build()
    path = folder / f"{name}-{digest}.pickle"
    try:
        found = _read(path, key)
    except Exception:  # missing, corrupt, foreign or from other code: build instead
        found = None
    if isinstance(found, kind):
        with contextlib.suppress(OSError):
            os.utime(path)  # used now: the last to be let go when the folder is trimmed
        return found
    value = build()
    with contextlib.suppress(Exception):
        _write(folder, path, key, value)
        for old in folder.glob(f"{name}-*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
        trim(folder, keep=path)
    return value


def trim(folder: Path, keep: Path | None = None) -> list[Path]:
    """Remove the least recently used cache files beyond ``MAX_FILES`` files or ``MAX_BYTES``
    in all (never ``keep``, the one just written); the files removed.

    Each knowledge-base folder read has a cache file of its own, so without this a user who
    reads many folders (or a test run, one temporary folder each) would fill the disk.
    """
    files: list[tuple[float, int, Path]] = []
    for path in folder.glob("*.pickle"):
        if path.name.startswith("."):
            continue  # another process's file, still being written
        with contextlib.suppress(OSError):
            info = path.stat()
            files.append((info.st_mtime, info.st_size, path))
    files.sort(reverse=True)  # newest first
    kept_files, kept_bytes, removed = 0, 0, []
    for _mtime, size, path in files:
        within = kept_files < MAX_FILES and kept_bytes + size <= MAX_BYTES
        if within or path == keep:
            kept_files, kept_bytes = kept_files + 1, kept_bytes + size
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed
