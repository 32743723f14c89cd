"""Write a folder whole: build it beside its target, then swap it in.

A knowledge-base export or a synthetic knowledge base is written into a new hidden folder next
to the target and then put in the target's place, so a reader (or an interrupted run) sees the
old folder or the new one, never half of each. On Linux the swap is one ``renameat2`` call with
``RENAME_EXCHANGE``, so there is no moment with no folder at all; where the system or the file
system lacks it, two renames are used and the old folder is put back if the second fails.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import secrets
import shutil
import stat
from functools import cache
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def new_folder_beside(target: Path, label: str, mode: int | None = None) -> Path:
    """A new hidden folder next to ``target`` (its mode: ``mode``, else the umask's default)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    while True:
        path = target.parent / f".{target.name}.{label}-{secrets.token_hex(4)}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        if mode is not None:
            os.chmod(path, stat.S_IMODE(mode))
        return path


@cache
def _renameat2() -> ctypes._CFuncPtr | None:  # type: ignore[name-defined]
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        func = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    func.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    func.restype = ctypes.c_int
    return func


def exchange(first: Path, second: Path) -> bool:
    """Swap two existing paths in one step; False where the system cannot."""
    func = _renameat2()
    if func is None:
        return False
    done = func(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def swap_in(new: Path, directory: Path) -> None:
    """Put the folder ``new`` at ``directory``, replacing a folder there whole."""
    if not directory.exists():
        os.rename(new, directory)
        return
    if exchange(new, directory):
        shutil.rmtree(new, ignore_errors=True)  # ``new`` now holds the old folder
        return
    holder = new_folder_beside(directory, "old")
    old = holder / directory.name
    os.rename(directory, old)
    try:
        os.rename(new, directory)
    except BaseException:
        os.rename(old, directory)
        holder.rmdir()
        raise
    shutil.rmtree(holder, ignore_errors=True)
