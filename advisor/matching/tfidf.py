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

from advisor.matching.postings import union

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
    """Unit-length TF-IDF vectors of several texts: each row's (column, value) pairs in the
    order the text gave them (``starts`` marks where each row begins), and for each column
    the rows that hold it (``postings``), so a query reads only the rows sharing a term."""

    starts: np.ndarray
    """Offsets of each row's first pair, and the total at the end (``count + 1`` values)."""
    cols: np.ndarray
    values: np.ndarray
    post_starts: np.ndarray
    """Offsets into ``postings`` of each column's rows (``vocabulary size + 1`` values)."""
    postings: np.ndarray

    @property
    def count(self) -> int:
        """How many texts (rows), those with no known term included."""
        return len(self.starts) - 1

    def dot(self, query: np.ndarray) -> np.ndarray:
        """The likeness of every row to a dense ``query`` vector (one float per row)."""
        rows = np.repeat(np.arange(self.count), np.diff(self.starts))
        return np.bincount(
            rows, weights=self.values * query[self.cols], minlength=self.count
        ).astype(self.values.dtype)

    def dot_sharing(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows that share a term with ``query`` (sorted) and their likeness to it; every
        other row's likeness is 0. Each likeness is summed in the same order as ``dot``."""
        terms = np.flatnonzero(query)
        if terms.size == 0 or self.count == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=self.values.dtype)
        rows = union([self.postings[self.post_starts[t] : self.post_starts[t + 1]] for t in terms])
        if rows.size == 0:
            return rows.astype(np.int64), np.zeros(0, dtype=self.values.dtype)
        first, lengths = self.starts[rows], np.diff(self.starts)[rows]
        group = np.repeat(np.arange(rows.size), lengths)
        pairs = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        at = first[group] + pairs
        sims = np.bincount(group, weights=self.values[at] * query[self.cols[at]])
        return rows.astype(np.int64), sims.astype(self.values.dtype)

    @classmethod
    def build(
        cls, row_cols: list[list[int]], values: np.ndarray, width: int, dtype: type
    ) -> SparseRows:
        """From each row's columns and all rows' values one after another."""
        lengths = np.array([len(c) for c in row_cols], dtype=np.int64)
        starts = np.zeros(len(row_cols) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        cols = np.fromiter(
            (c for row in row_cols for c in row), dtype=np.int32, count=int(starts[-1])
        )
        rows = np.repeat(np.arange(len(row_cols), dtype=np.int32), lengths)
        order = np.argsort(cols, kind="stable")
        post_starts = np.zeros(width + 1, dtype=np.int64)
        np.cumsum(np.bincount(cols, minlength=width), out=post_starts[1:])
        return cls(
            starts=starts,
            cols=cols,
            values=values.astype(dtype),
            post_starts=post_starts,
            postings=rows[order],
        )


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
        """The unit-length vectors of ``texts`` (weighed and scaled all at once, in numpy)."""
        known = self.vocabulary
        row_cols: list[list[int]] = []
        counts: list[int] = []
        for text in texts:
            found = Counter(t for t in self.analyse(text) if t in known)
            row_cols.append([known[t] for t in found])
            counts.extend(found.values())
        lengths = np.array([len(c) for c in row_cols], dtype=np.int64)
        cols = np.fromiter(
            (c for row in row_cols for c in row), dtype=np.int64, count=int(lengths.sum())
        )
        tf = (1.0 + np.log(np.array(counts, dtype=np.float64))).astype(self.dtype)
        weights = tf * self.idf[cols]
        rows = np.repeat(np.arange(len(row_cols)), lengths)
        norms = np.sqrt(np.bincount(rows, weights=weights.astype(np.float64) ** 2))
        scale = np.where(norms > 0, norms, 1.0).astype(self.dtype)
        return SparseRows.build(row_cols, weights / scale[rows], len(known), self.dtype)

    def vector(self, text: str) -> np.ndarray:
        """The unit-length vector of one text, dense (one value per vocabulary term)."""
        dense = np.zeros(len(self.vocabulary), dtype=self.dtype)
        cols, weights = self._weights(text)
        dense[cols] = weights
        return dense
