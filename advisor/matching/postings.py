"""Lists of positions (postings) and their union, the way a match finds its candidates."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def union(lists: Sequence[np.ndarray]) -> np.ndarray:
    """The sorted positions found in any of ``lists``, each once.

    Sorting what was found costs in proportion to the candidates, not to the catalogue (a
    hash-based ``numpy.unique`` costs several times more for the same answer).
    """
    if not lists:
        return np.zeros(0, dtype=np.int64)
    found = np.sort(np.concatenate(lists).astype(np.int64, copy=False))
    if found.size < 2:
        return found
    keep = np.empty(found.size, dtype=bool)
    keep[0] = True
    np.not_equal(found[1:], found[:-1], out=keep[1:])
    return found[keep]
