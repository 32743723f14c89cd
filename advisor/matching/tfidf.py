"""TF-IDF text likeness in plain Python and numpy: what goal and need matching compare texts by.

The weighting is the classic one (the same as scikit-learn's ``TfidfVectorizer`` with
``sublinear_tf=True`` and its defaults): a term counts ``1 + log(count)`` in a text, times its
smoothed inverse document frequency ``log((1 + n) / (1 + df)) + 1`` over the texts the
vocabulary was fitted on, and each text's vector has unit length, so the dot product of two
vectors is their cosine likeness. Terms not in the fitted vocabulary are ignored.

A few hundred short texts and a catalogue's offerings need nothing heavier: the vectors are
kept as three flat arrays (row, column, value), and a query's likeness to every row is one
``numpy.bincount``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

Analyser = Callable[[str], list[str]]

_SPACES = re.compile(r"\s\s+")


def char_wb_grams(text: str, low: int = 3, high: int = 5) -> list[str]:
    """Character n-grams of ``low`` to ``high`` letters inside words, each word padded with a
    space on both sides (a word shorter than ``low`` counts once, whole)."""
    grams: list[str] = []
    add = grams.append
    for word in _SPACES.sub(" ", text).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            offset = 0
            add(padded[:n])
            while offset + n < size:
                offset += 1
                add(padded[offset : offset + n])
            if offset == 0:  # the whole word already: longer grams would repeat it
                break
    return grams


@dataclass(frozen=True)
class SparseRows:
    """Unit-length TF-IDF vectors of several texts, as (row, column, value) triples."""

    rows: np.ndarray
    cols: np.ndarray
    values: np.ndarray
    count: int
    """How many texts (rows), those with no known term included."""

    def dot(self, query: np.ndarray) -> np.ndarray:
        """The likeness of every row to a dense ``query`` vector (one float per row)."""
        if self.count == 0:
            return np.zeros(0)
        return np.bincount(
            self.rows, weights=self.values * query[self.cols], minlength=self.count
        ).astype(self.values.dtype)


@dataclass(frozen=True)
class Vectoriser:
    """A vocabulary and its inverse document frequencies, fitted on some texts."""

    analyse: Analyser
    vocabulary: dict[str, int]
    idf: np.ndarray
    dtype: type[np.floating]

    @classmethod
    def fit(
        cls, texts: Iterable[str], analyse: Analyser, dtype: type[np.floating] = np.float64
    ) -> Vectoriser:
        """Learn the vocabulary (every term, in sorted order) and each term's idf."""
        counts: Counter[str] = Counter()
        n = 0
        for text in texts:
            counts.update(set(analyse(text)))
            n += 1
        terms = sorted(counts)
        df = np.array([counts[t] for t in terms], dtype=dtype)
        idf = (np.log((n + 1) / (df + 1)) + 1.0).astype(dtype)
        return cls(analyse, {t: i for i, t in enumerate(terms)}, idf, dtype)

    def _weights(self, text: str) -> tuple[list[int], np.ndarray]:
        known = self.vocabulary
        counts = Counter(t for t in self.analyse(text) if t in known)
        cols = [known[t] for t in counts]
        tf = np.array([1.0 + math.log(c) for c in counts.values()], dtype=self.dtype)
        weights = tf * self.idf[cols] if cols else tf
        norm = float(np.sqrt(np.dot(weights, weights)))
        return cols, (weights / norm if norm > 0 else weights).astype(self.dtype)

    def transform(self, texts: Sequence[str]) -> SparseRows:
        """The unit-length vectors of ``texts``."""
        rows: list[np.ndarray] = []
        cols: list[int] = []
        values: list[np.ndarray] = []
        for row, text in enumerate(texts):
            c, w = self._weights(text)
            rows.append(np.full(len(c), row, dtype=np.int64))
            cols.extend(c)
            values.append(w)
        return SparseRows(
            rows=np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64),
            cols=np.array(cols, dtype=np.int64),
            values=np.concatenate(values) if values else np.zeros(0, dtype=self.dtype),
            count=len(texts),
        )

    def vector(self, text: str) -> np.ndarray:
        """The unit-length vector of one text, dense (one value per vocabulary term)."""
        dense = np.zeros(len(self.vocabulary), dtype=self.dtype)
        cols, weights = self._weights(text)
        dense[cols] = weights
        return dense
