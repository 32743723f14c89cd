"""The one place where reasons become plain English.

Scoring and matching attach ``Reason`` objects (data: a kind, a graph path, the answers, the
rule, the figures) to everything they rank or list. This module words them. The PDF, the HTML
report, the app and the CLI all call ``say`` or ``say_all``, so they use the same words, and no
code anywhere takes generated sentences apart again.

Each reason kind has one wording function, registered with ``@words("kind")``. A kind with no
wording is a programming error and fails loudly in tests, never with a raw id in front of a
reader.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from advisor.recommendation import Reason
from advisor.wording import join_words, lower_first, upper_first

Wording = Callable[[Reason], str]
KINDS: dict[str, Wording] = {}
"""Reason kind -> the function that words it."""


def words(kind: str) -> Callable[[Wording], Wording]:
    """Register the wording of one reason kind."""

    def register(fn: Wording) -> Wording:
        if kind in KINDS:
            raise ValueError(f"reason kind {kind!r} is worded twice")
        KINDS[kind] = fn
        return fn

    return register


def say(reason: Reason) -> str:
    """One reason as one plain sentence (first letter upper case, no final full stop)."""
    try:
        fn = KINDS[reason.kind]
    except KeyError:
        raise KeyError(f"no wording for reason kind {reason.kind!r}") from None
    return upper_first(fn(reason))


def say_all(reasons: Iterable[Reason]) -> list[str]:
    """Every reason worded, in order, without repeating a sentence."""
    out: list[str] = []
    for r in reasons:
        text = say(r)
        if text not in out:
            out.append(text)
    return out


def _f(reason: Reason, key: str) -> str:
    value = reason.figures.get(key, "")
    if isinstance(value, list):
        return join_words([str(v) for v in value])
    return str(value)


def percent(value: float) -> str:
    """A 0-1 figure as a whole percentage: ``0.456`` -> ``46%``."""
    return f"{round(value * 100)}%"


# --- general ----------------------------------------------------------------------------------


@words("statement")
def _statement(r: Reason) -> str:
    """A sentence kept as data in the knowledge base (a rule's own reason text)."""
    return _f(r, "text")


@words("answer")
def _answer(r: Reason) -> str:
    """An answer a figure rests on: 'You answered "Stopped at least one" to: In the last...'."""
    parts = []
    for a in r.answers:
        said = f"you answered \u201c{a.answer}\u201d to \u201c{a.text}\u201d"
        if a.note:
            said += f" (your note: {a.note})"
        parts.append(said)
    return join_words(parts, sep="; ") if parts else _f(r, "text")


__all__ = ["KINDS", "lower_first", "percent", "say", "say_all", "words"]
