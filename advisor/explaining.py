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


# --- procurement routes -----------------------------------------------------------------------

_ROUTE_BUYERS = {
    "sub_central": "councils and other sub-central bodies",
    "central": "central government",
}
"""Buyer kinds of the procurement rules, as a board would say them."""


def _route_gbp(reason: Reason, key: str) -> str:
    value = reason.figures.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return ""
    return f"£{int(value):,}"


def _route_day(iso: str) -> str:
    from datetime import date

    day = date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _route_months(reason: Reason, key: str) -> str:
    value = reason.figures.get(key)
    if isinstance(value, bool) or not isinstance(value, int):
        return ""
    if value % 12 == 0:
        years = value // 12
        return f"{value} months ({years} year{'s' if years != 1 else ''})"
    return f"{value} months"


def _route_basis(reason: Reason) -> str:
    """Why the need is taken to last as long as it does (empty for the usual term)."""
    basis = reason.figures.get("basis")
    if basis == "strategic_platform":
        return (
            "a strategic project best delivered as a strategic platform is a multi-year partnership"
        )
    if basis == "large_budget":
        return (
            f"a likely spend of {_route_gbp(reason, 'long_budget') or 'a million pounds'}"
            " or more means a multi-year partnership"
        )
    return ""


def _route_need(reason: Reason) -> str:
    text = f"the {_route_months(reason, 'need')} your need is likely to last"
    basis = _route_basis(reason)
    return f"{text} ({basis})" if basis else text


@words("route_rule")
def _route_rule(r: Reason) -> str:
    """The route's own rule, as the knowledge base words it."""
    return _f(r, "text")


@words("route_in_force")
def _route_in_force(r: Reason) -> str:
    """'In force until 28 October 2026', or the date it is next checked by."""
    day = _route_day(_f(r, "until"))
    if r.figures.get("review"):
        return f"in force, and due to be checked again by {day}"
    return f"in force until {day}"


@words("spend_unknown")
def _spend_unknown(r: Reason) -> str:
    """No budget: the likely spend decides the procedure, so it comes first."""
    head = "no budget was given, so find out the likely whole-life spend first"
    threshold = _route_gbp(r, "threshold")
    if not threshold:
        return f"{head}: it decides which procedures apply"
    buyers = _ROUTE_BUYERS.get(_f(r, "buyer"), "your kind of body")
    return (
        f"{head}: from {threshold} (VAT included) {buyers} must run a Procurement Act "
        "procedure or buy through a framework"
    )


@words("spend_range")
def _spend_range(r: Reason) -> str:
    """The value range a below-threshold route holds for, when no budget was given."""
    low = _route_gbp(r, "min")
    high = _route_gbp(r, "max")
    if high:
        return f"this route holds only for a spend of {low} to {high}"
    return f"this route holds only for a spend of {low} or more"


@words("above_threshold")
def _above_threshold(r: Reason) -> str:
    buyers = _ROUTE_BUYERS.get(_f(r, "buyer"), "your kind of body")
    return (
        f"your likely spend of {_route_gbp(r, 'budget')} is at or above the "
        f"{_route_gbp(r, 'threshold')} threshold for {buyers}, so a Procurement Act "
        "procedure applies unless you buy through a framework"
    )


@words("below_threshold")
def _below_threshold(r: Reason) -> str:
    buyers = _ROUTE_BUYERS.get(_f(r, "buyer"), "your kind of body")
    return (
        f"your likely spend of {_route_gbp(r, 'budget')} is below the "
        f"{_route_gbp(r, 'threshold')} threshold for {buyers}, so the full Procurement Act "
        "procedures are not needed"
    )


@words("procedure_fits_need")
def _procedure_fits_need(r: Reason) -> str:
    """Which procedure suits the kind of project."""
    if r.figures.get("procedure") == "open":
        return "a tactical change to an existing service suits a single-stage open competition"
    what = "a strategic project" if r.figures.get("basis") == "strategic" else "a new service"
    return (
        f"{what} suits the competitive flexible procedure, which allows shortlisting, "
        "negotiation or dialogue"
    )


@words("vendors_on_framework")
def _vendors_on_framework(r: Reason) -> str:
    """How many shortlisted vendors can be bought through the route's framework."""
    on = r.figures.get("on", 0)
    names = _f(r, "vendors")
    verb = "is" if on == 1 else "are"
    text = f"{on} of your {_f(r, 'of')} shortlisted vendors {verb} on {_f(r, 'framework')}"
    if not names:
        return text
    return f"{text}: {names}" if on == 1 else f"{text}, among them {names}"


@words("vendors_not_on_framework")
def _vendors_not_on_framework(r: Reason) -> str:
    return f"none of your shortlisted vendors is known to be on {_f(r, 'framework')}"


@words("route_suits_gap")
def _route_suits_gap(r: Reason) -> str:
    return f"it suits {lower_first(_f(r, 'area'))}, one of your top gaps"


@words("term_fits")
def _term_fits(r: Reason) -> str:
    """The route's longest call-off covers the need."""
    return f"its call-offs can run up to {_route_months(r, 'max')}, enough for {_route_need(r)}"


@words("term_unstated")
def _term_unstated(r: Reason) -> str:
    """The route's longest call-off is not known: check it before relying on it."""
    return f"our sources do not state its longest call-off: check that it covers {_route_need(r)}"


@words("term_too_short")
def _term_too_short(r: Reason) -> str:
    """Routes left out because the need outlasts their longest call-off."""
    value = r.figures.get("routes", [])
    names = [str(v) for v in value] if isinstance(value, list) else [str(value)]
    one = len(names) == 1
    return (
        f"{join_words(names)} {'is' if one else 'are'} not offered: {'its' if one else 'their'} "
        f"call-offs run at most {_route_months(r, 'max')}, shorter than {_route_need(r)}"
    )


__all__ = ["KINDS", "lower_first", "percent", "say", "say_all", "words"]
