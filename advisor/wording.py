"""Small rules of wording shared by every text the advisor writes for people."""

from __future__ import annotations

from collections.abc import Sequence


def lower_first(text: str) -> str:
    """A name or sentence read mid-sentence: ``Knowledge`` -> ``knowledge``.

    An acronym stays as it is (``IT resources``), but a one-letter word does not count as
    one (``A shared hub`` -> ``a shared hub``). A name whose second word is capitalised too
    is a proper name and stays as it is (``Blue Badge validation``, ``Open Identity Exchange``).
    """
    words = text.split(" ", 2)
    first = words[0]
    if len(first) > 1 and first.isupper():
        return text
    second = words[1] if len(words) > 1 else ""
    if second[:1].isupper() and second[1:2].islower():
        return text
    return text[:1].lower() + text[1:]


def upper_first(text: str) -> str:
    """A phrase that starts a sentence: only its first letter changes."""
    return text[:1].upper() + text[1:]


def join_words(items: Sequence[str], word: str = "and", sep: str = ", ") -> str:
    """``a, b and c``; with ``sep="; "`` (for clauses that hold commas) ``a; b; and c``."""
    if len(items) < 2:
        return "".join(items)
    last = f" {word} " if sep == ", " else f"{sep.rstrip()} {word} "
    return sep.join(items[:-1]) + last + items[-1]
