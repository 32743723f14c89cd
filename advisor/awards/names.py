"""Matching the buyers and suppliers of awards to the bodies, vendors and suppliers on file.

By identifier first (a PPON, a Companies House number or another scheme id, written
``SCHEME-ID`` as OCDS does), then by the normalised name: lower case, '&' as 'and', punctuation
and the company-name endings of ``market.yaml`` ('ltd', 'limited', 'plc') set aside. A public
body may also match on its place name alone ('Camden' for 'London Borough of Camden'), with a
lower confidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from advisor.kb.market_rules import NameMatching

_PUNCT = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def _plain(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    text = _PUNCT.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def normalised_name(name: str, rules: NameMatching) -> str:
    """A company name for comparison: 'BYTES SOFTWARE SERVICES LIMITED' -> 'bytes software
    services'. Endings are set aside from the end only, so 'The Rain Gods' keeps its words."""
    return _normalised(name, tuple(rules.endings))


@lru_cache(maxsize=200_000)
def _normalised(name: str, ending_words: tuple[str, ...]) -> str:
    words = _plain(name).split()
    endings = {_plain(e) for e in ending_words}
    while len(words) > 1 and words[-1] in endings:
        words.pop()
    if len(words) > 1 and words[0] == "the":
        words.pop(0)
    return " ".join(words)


def place_name(name: str, rules: NameMatching) -> str:
    """A public body's name without the words of local government: 'London Borough of
    Camden' -> 'camden'; empty when nothing is left."""
    text = f" {_plain(name)} "
    for words in sorted((_plain(w) for w in rules.place_words), key=len, reverse=True):
        text = text.replace(f" {words} ", " ")
    return _SPACES.sub(" ", text).strip()


def normalised_identifier(identifier: str) -> str:
    """'gb-coh-01616977 ' -> 'GB-COH-01616977'."""
    return _SPACES.sub("", identifier).upper()


@dataclass(frozen=True)
class Match:
    ref: str
    kind: str
    by: str
    confidence: float


@dataclass
class NameIndex:
    """Ids of one kind of entry by identifier, by normalised name and (bodies) by place."""

    kind: str
    rules: NameMatching
    by_identifier: dict[str, str] = field(default_factory=dict)
    by_name: dict[str, str] = field(default_factory=dict)
    by_place: dict[str, str] = field(default_factory=dict)

    def add(self, ref: str, name: str, identifiers: Iterable[str], *, places: bool = False) -> None:
        for identifier in identifiers:
            self.by_identifier.setdefault(normalised_identifier(identifier), ref)
        key = normalised_name(name, self.rules)
        if key:
            self.by_name.setdefault(key, ref)
        if places:
            place = place_name(name, self.rules)
            if place:
                self.by_place.setdefault(place, ref)

    def find(self, name: str, identifier: str | None) -> Match | None:
        if identifier:
            ref = self.by_identifier.get(normalised_identifier(identifier))
            if ref is not None:
                return Match(ref, self.kind, "identifier", 1.0)
        ref = self.by_name.get(normalised_name(name, self.rules))
        if ref is not None:
            return Match(ref, self.kind, "name", self.rules.exact_confidence)
        if self.by_place:
            place = place_name(name, self.rules)
            ref = self.by_place.get(place) if place else None
            if ref is not None:
                return Match(ref, self.kind, "name", self.rules.loose_confidence)
        return None


def supplier_id(name: str, rules: NameMatching, taken: set[str]) -> str:
    """A knowledge-base id for a new supplier, from its normalised name, unique in ``taken``."""
    base = re.sub(r"[^a-z0-9]+", "_", normalised_name(name, rules)).strip("_")[:60] or "supplier"
    if not base[0].isalnum():
        base = f"s_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate
