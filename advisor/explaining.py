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


# --- delivery models and barriers ---------------------------------------------------------------


@words("model_rule")
def _model_rule(r: Reason) -> str:
    """A delivery-model rule that gave points: its own words, 'Partly: ...' for part credit."""
    text = _f(r, "text")
    credit = r.figures.get("credit", 1)
    if "adds" in r.figures or not isinstance(credit, int | float) or credit >= 1:
        return text
    said = f"partly: {lower_first(text)}"
    if r.figures.get("answer"):
        said += f" (you answered \u201c{_f(r, 'answer')}\u201d)"
    return said


@words("model_nothing")
def _model_nothing(r: Reason) -> str:
    return "nothing in the assessment points to this model yet"


def _how_many(n: int) -> str:
    return "one answer only" if n == 1 else f"{n} of your answers"


@words("figure_basis")
def _figure_basis(r: Reason) -> str:
    """How many answers a figure (a fit, a severity, a level) rests on, and how many unknown."""
    what = _f(r, "what") or "figure"
    answered = r.figures.get("answered", 0)
    unknown = r.figures.get("unknown", 0)
    answered = answered if isinstance(answered, int) else 0
    unknown = unknown if isinstance(unknown, int) else 0
    if not answered and r.figures.get("by_hand"):
        return f"this {what} comes from the profile as written, not from answers"
    said = (
        f"this {what} rests on {_how_many(answered)}"
        if answered
        else f"no answer bears on this {what} yet"
    )
    if unknown:
        noun = "answer was" if unknown == 1 else "answers were"
        said += f"; {unknown} {noun} \u201cdon't know\u201d, to find out"
    return said


@words("barrier_severity")
def _barrier_severity(r: Reason) -> str:
    return (
        f"the {lower_first(_f(r, 'name'))} barrier is {_f(r, 'label')} ({_f(r, 'severity')} of 4)"
    )


@words("one_answer_cap")
def _one_answer_cap(r: Reason) -> str:
    return (
        f"shown as {_f(r, 'now')}, not {_f(r, 'was')}: it rests on one answer only, too little"
        f" to call it {_f(r, 'was')}"
    )


@words("set_by_hand")
def _set_by_hand(r: Reason) -> str:
    return f"this {_f(r, 'what') or 'figure'} was set by hand, not from answers"


@words("silo")
def _silo(r: Reason) -> str:
    """The departmental silo warning, with the signs behind it and the way out."""
    signs = r.figures.get("signs", [])
    found = join_words([lower_first(s) for s in signs]) if isinstance(signs, list) else ""
    return (
        "this assessment describes a departmental silo"
        + (f" ({found})" if found else "")
        + "; the report does not recommend this pattern, and its way out is a reusable"
        " horizontal platform that departments share (see the strategic platform among the"
        " delivery models)"
    )


__all__ = ["KINDS", "lower_first", "percent", "say", "say_all", "words"]
