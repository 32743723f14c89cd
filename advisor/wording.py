"""Small rules of wording shared by every text the advisor writes for people."""

from __future__ import annotations


def lower_first(text: str) -> str:
    """A name or sentence read mid-sentence: ``Knowledge`` -> ``knowledge``.

    An acronym stays as it is (``IT resources``), but a one-letter word does not count as
    one (``A shared hub`` -> ``a shared hub``).
    """
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first.isupper():
        return text
    return text[:1].lower() + text[1:]
