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


def _num(reason: Reason, key: str) -> float:
    value = reason.figures.get(key, 0)
    return float(value) if isinstance(value, int | float) else 0.0


def _names(reason: Reason, key: str) -> list[str]:
    value = reason.figures.get(key, [])
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


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


# --- gaps -------------------------------------------------------------------------------------


@words("goal_names_entry")
def _goal_names_entry(r: Reason) -> str:
    return f"your goal names {_f(r, 'entry')}"


@words("goal_like_entry")
def _goal_like_entry(r: Reason) -> str:
    return f"your goal reads like {_f(r, 'entry')}"


@words("gap_level")
def _gap_level(r: Reason) -> str:
    return f"you are at level {_f(r, 'level')} of 5 ({lower_first(_f(r, 'level_name'))})"


@words("goal_needs_area")
def _goal_needs_area(r: Reason) -> str:
    target = _f(r, "target") if r.figures.get("target_is_case") else lower_first(_f(r, "target"))
    if r.figures.get("named"):
        return f"your goal, {target}, needs it"
    return f"your goal \u201c{_f(r, 'goal')}\u201d needs it, through {target}"


@words("goal_words_area")
def _goal_words_area(r: Reason) -> str:
    return f"{_goal_said(r)} is about {lower_first(_f(r, 'area'))}"


@words("model_leans_on_area")
def _model_leans_on_area(r: Reason) -> str:
    return f"{lower_first(_f(r, 'model'))}, the delivery model that fits you best, leans on it"


# --- confidence and cautions -------------------------------------------------------------------


@words("confidence_stated")
def _confidence_stated(r: Reason) -> str:
    return (
        "the figures were set by hand, not worked out from answers, so the advice is as sure "
        "as they are"
    )


@words("confidence_counts")
def _confidence_counts(r: Reason) -> str:
    answered = int(_num(r, "answered"))
    unknown = int(_num(r, "unknown"))
    said = f"the advice rests on {answered} answer{'s' if answered != 1 else ''}"
    if unknown:
        said += (
            f"; {unknown} question{'s were' if unknown != 1 else ' was'} answered "
            f"\u201cdon't know\u201d ({percent(_num(r, 'share'))})"
        )
    return said


@words("confidence_thin")
def _confidence_thin(r: Reason) -> str:
    names = [lower_first(n) for n in _names(r, "figures")]
    if len(names) > 4:
        return (
            f"{len(names)} of the area levels and barriers rest on one answer or none, so "
            "treat them as a first reading"
        )
    verb, them = ("rests", "it") if len(names) == 1 else ("rest", "them")
    return f"{join_words(names)} {verb} on one answer or none, so treat {them} as a first reading"


@words("confidence_low_means")
def _confidence_low_means(r: Reason) -> str:
    return (
        "so little is known yet that the first step is to find out; the vendors listed are a "
        "starting list to explore, not a recommendation"
    )


@words("budget_short_of_model")
def _budget_short_of_model(r: Reason) -> str:
    said = (
        f"your budget of \u00a3{int(_num(r, 'budget')):,} is below the \u00a3"
        f"{int(_num(r, 'usual_minimum')):,} a {lower_first(_f(r, 'model'))} usually needs"
    )
    if "instead" in r.figures:
        return said + f"; it can fund a {lower_first(_f(r, 'instead'))} approach to start with"
    return said + (
        "; it can fund a discovery or a small pilot while you seek more money or a partner"
    )


# --- roadmap ----------------------------------------------------------------------------------


@words("find_out")
def _find_out(r: Reason) -> str:
    return f"find out: {_f(r, 'question')}"


@words("reassess_when_known")
def _reassess_when_known(r: Reason) -> str:
    return "answer the open questions and run the assessment again before choosing suppliers"


@words("ease_barrier")
def _ease_barrier(r: Reason) -> str:
    return f"ease the {lower_first(_f(r, 'barrier'))} barrier: {lower_first(_f(r, 'mitigation'))}"


@words("estimate_spend")
def _estimate_spend(r: Reason) -> str:
    return "estimate the likely whole-life spend, so that the buying route can be chosen"


@words("talk_to_peers")
def _talk_to_peers(r: Reason) -> str:
    return f"talk to {join_words(_names(r, 'peers'))} about what they learned"


@words("review_case")
def _review_case(r: Reason) -> str:
    return f"review the case study {_f(r, 'case')} with your team"


@words("agree_route")
def _agree_route(r: Reason) -> str:
    return f"agree the buying route: {_f(r, 'route')}"


@words("confirm_goals")
def _confirm_goals(r: Reason) -> str:
    return "confirm the goals and owners of the first service"


@words("raise_area")
def _raise_area(r: Reason) -> str:
    said = f"raise {lower_first(_f(r, 'area'))} to level {_f(r, 'level')}"
    if "looks_like" in r.figures:
        said += f" ({lower_first(_f(r, 'looks_like')).rstrip('.')})"
    if "vendor" in r.figures:
        said += f", for example with {_f(r, 'vendor')}"
    return said


@words("first_service")
def _first_service(r: Reason) -> str:
    if "goal" in r.figures:
        return f"launch a first service on the shared platform: {_f(r, 'goal')}"
    return "launch a first service on the shared platform"


@words("reuse_platform")
def _reuse_platform(r: Reason) -> str:
    return "reuse the platform and its data for a second and third service or department"


@words("open_platform")
def _open_platform(r: Reason) -> str:
    return "open the platform to neighbouring bodies and businesses"


@words("reassess")
def _reassess(r: Reason) -> str:
    return "run the assessment again and compare with this one"


@words("find_out_first")
def _find_out_first(r: Reason) -> str:
    return "too much is unknown to choose technology or suppliers yet: find out first"


@words("clear_barriers_first")
def _clear_barriers_first(r: Reason) -> str:
    return "clear the worst barriers and unknowns before spending on technology"


@words("foundation_first")
def _foundation_first(r: Reason) -> str:
    return "start with the infrastructure and data layers every later service reuses"


@words("reuse_not_rebuild")
def _reuse_not_rebuild(r: Reason) -> str:
    return "each new service reuses the platform rather than building its own stack"


@words("report_recommendation")
def _report_recommendation(r: Reason) -> str:
    return f"{_f(r, 'title')} (a recommendation of the report)"


@words("platform_reuse_pays")
def _platform_reuse_pays(r: Reason) -> str:
    return "reusable horizontal platforms let later services start faster"


# --- case studies, peers and vendors ----------------------------------------------------------


def _goal_said(r: Reason) -> str:
    """A goal given as an entry's name reads 'your goal (hospitals)'; one in the body's own
    words is quoted."""
    if r.figures.get("named"):
        return f"your goal ({lower_first(_f(r, 'goal'))})"
    return f"your goal \u201c{_f(r, 'goal')}\u201d"


@words("case_answers_need")
def _case_answers_need(r: Reason) -> str:
    via = r.figures.get("via")
    if via == "named":
        return "your goal names this case"
    if via == "touchpoint":
        if r.figures.get("named") and _f(r, "target") == _f(r, "goal"):
            return f"it involves {lower_first(_f(r, 'target'))}, one of your goals"
        return f"it involves {lower_first(_f(r, 'target'))}, which {_goal_said(r)} is about"
    if via == "opportunity":
        if r.figures.get("named") and _f(r, "target") == _f(r, "goal"):
            return f"it realises {lower_first(_f(r, 'target'))}, one of your goals"
        return (
            f"it realises {lower_first(_f(r, 'target'))}, the opportunity {_goal_said(r)} matches"
        )
    if via == "area":
        return f"it centred on {lower_first(_f(r, 'target'))}, which {_goal_said(r)} is about"
    return f"what it did matches {_goal_said(r)}"


@words("case_fits_model")
def _case_fits_model(r: Reason) -> str:
    return (
        f"it was run as {_with_article(lower_first(_f(r, 'model')))}, a model that fits you at "
        f"{percent(_num(r, 'fit'))}"
    )


def _with_article(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


@words("case_shares_gap")
def _case_shares_gap(r: Reason) -> str:
    return (
        f"it built up {lower_first(_f(r, 'area'))}, one of your top gaps "
        f"(you are at level {_f(r, 'level')} of 5)"
    )


@words("case_overcame_barrier")
def _case_overcame_barrier(r: Reason) -> str:
    return (
        f"it overcame the {lower_first(_f(r, 'barrier'))} barrier, "
        f"{SEVERITY_WORDS.get(int(_num(r, 'severity')), 'present')} for you"
    )


@words("same_kind")
def _same_kind(r: Reason) -> str:
    return f"a {_f(r, 'kind')}, like you"


@words("same_data_use")
def _same_data_use(r: Reason) -> str:
    if r.figures.get("data_use") == "expose":
        return "like you, it opens its data to others"
    return "like you, it keeps its data for its own services"


@words("same_region")
def _same_region(r: Reason) -> str:
    return f"in your region ({_f(r, 'region')})"


@words("peer_in_case")
def _peer_in_case(r: Reason) -> str:
    role = "led" if r.figures.get("led") else "was a partner in"
    like = percent(_num(r, "likeness"))
    return f"it {role} {_f(r, 'case')}, a case study {like} like yours"


@words("outreach_partner")
def _outreach_partner(r: Reason) -> str:
    return "a possible partner for extending your service to other bodies"


@words("offering_answers_need")
def _offering_answers_need(r: Reason) -> str:
    if "area" in r.figures:
        return (
            f"it offers {_f(r, 'offering')}, centred on {lower_first(_f(r, 'area'))}, which "
            f"{_goal_said(r)} is about"
        )
    return f"it offers {_f(r, 'offering')}, which does what {_goal_said(r)} describes"


@words("case_partner_answers_need")
def _case_partner_answers_need(r: Reason) -> str:
    return f"it took part in {_f(r, 'case')}, which answers {_goal_said(r)}"


@words("proven_in_case")
def _proven_in_case(r: Reason) -> str:
    return (
        f"it took part in {_f(r, 'case')}, a case study {percent(_num(r, 'likeness'))} like yours"
    )


@words("covers_gap")
def _covers_gap(r: Reason) -> str:
    return (
        f"it offers {_f(r, 'offering')}, which covers {lower_first(_f(r, 'area'))}, one of your "
        "top gaps "
        f"(you are at level {_f(r, 'level')} of 5)"
    )


@words("fits_best_model")
def _fits_best_model(r: Reason) -> str:
    return (
        f"it offers {_f(r, 'offering')}, which suits "
        f"{_with_article(lower_first(_f(r, 'model')))}, the model that fits you best"
    )


@words("eases_barrier")
def _eases_barrier(r: Reason) -> str:
    sev = SEVERITY_WORDS.get(int(_num(r, "severity")), "present")
    return (
        f"it offers {_f(r, 'offering')}, which helps with the {lower_first(_f(r, 'barrier'))} "
        "barrier, "
        f"{sev} for you"
    )


@words("sme_preferred")
def _sme_preferred(r: Reason) -> str:
    return "a small or medium-sized company, as you prefer"


@words("sme_place")
def _sme_place(r: Reason) -> str:
    return "given a place on the list because you prefer small and medium-sized companies"


@words("framework_unknown")
def _framework_unknown(r: Reason) -> str:
    wanted = _names(r, "wanted") or ["your framework"]
    return (
        f"check whether it is on {join_words(wanted, 'or')}: "
        "the knowledge base does not record its frameworks"
    )


@words("on_framework")
def _on_framework(r: Reason) -> str:
    return f"you can buy from it through {_f(r, 'framework')}"


@words("serves_region")
def _serves_region(r: Reason) -> str:
    return f"it works in your region (it serves {_f(r, 'regions')})"


@words("not_on_framework")
def _not_on_framework(r: Reason) -> str:
    wanted = _names(r, "wanted")
    said = join_words(wanted, "or")
    which = "the frameworks" if len(wanted) > 1 else "the framework"
    on = _f(r, "on")
    return f"not on {said}, {which} you buy through" + (f" (it sells through {on})" if on else "")


@words("over_budget")
def _over_budget(r: Reason) -> str:
    return (
        f"its cheapest offering for your gaps starts at \u00a3{int(_num(r, 'cheapest')):,}, "
        f"above your budget of \u00a3{int(_num(r, 'budget')):,}"
    )


@words("near_tie")
def _near_tie(r: Reason) -> str:
    return (
        "it scores almost the same as the last vendor on the shortlist; the order among near "
        "ties carries no meaning"
    )


@words("scored_below")
def _scored_below(r: Reason) -> str:
    return f"scored {_f(r, 'score')}, below the last on the shortlist ({_f(r, 'cutoff')})"


@words("lacks")
def _lacks(r: Reason) -> str:
    return f"nothing recorded for {_f(r, 'what')}"


SEVERITY_WORDS = {0: "no concern", 1: "minor", 2: "moderate", 3: "serious", 4: "blocking"}
"""Barrier severity 0-4 in words."""


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


# --- app and command line ---------------------------------------------------------------------

COMPONENT_NAMES = {
    "gap_coverage": "your top gaps",
    "model_fit": "your best-fit delivery model",
    "barrier_fit": "your worst barriers",
    "proven": "case studies like yours",
    "need": "your stated goals",
    "sme": "your preference for SMEs",
    "framework": "the frameworks you buy through",
    "region": "your region",
}
"""What each vendor scoring component is about, in words (near misses and sensitivity say them)."""

CONFIDENCE_HEADINGS = {
    "good": "Enough is known to act on this advice",
    "fair": "Read this advice with care: parts of it rest on few answers",
    "low": (
        "So little is known that the first step is finding out; the vendors are a starting "
        "list to explore, not a recommendation"
    ),
    "stated": "This advice is as sure as the figures written by hand",
}
"""How sure the advice is, as the heading the app and the command line put above the reasons."""


def confidence_note(level: str, reasons: Iterable[Reason]) -> tuple[str, list[str]]:
    """A heading for how sure the advice is, and the reasons behind it that it does not repeat."""
    rest = [r for r in reasons if not (level == "low" and r.kind == "confidence_low_means")]
    return CONFIDENCE_HEADINGS.get(level, CONFIDENCE_HEADINGS["fair"]), say_all(rest)


def sensitivity_said(stable: bool, changed_by: Iterable[str]) -> str:
    """Whether the top three vendors hold when each scoring weight moves by a tenth."""
    if stable:
        return "The top three vendors stay the same when any one weight moves by a tenth"
    names = [COMPONENT_NAMES.get(key, "another factor") for key in changed_by]
    said = "The top three vendors change when some weights move by a tenth"
    return f"{said}: the weight given to {join_words(names, 'or')}" if names else said


# --- report -----------------------------------------------------------------------------------


@words("mitigation_eases")
def _mitigation_eases(r: Reason) -> str:
    sev = SEVERITY_WORDS.get(int(_num(r, "severity")), "present")
    return f"it eases the {lower_first(_f(r, 'barrier'))} barrier, {sev} for you"


@words("mitigation_fits_model")
def _mitigation_fits_model(r: Reason) -> str:
    return f"it suits a {lower_first(_f(r, 'model'))}, the delivery model that fits you best"


@words("mitigation_needs_gap_area")
def _mitigation_needs_gap_area(r: Reason) -> str:
    return (
        f"it builds up {lower_first(_f(r, 'area'))}, one of your top gaps "
        f"(you are at level {_f(r, 'level')} of 5)"
    )


@words("mitigation_shown_in_case")
def _mitigation_shown_in_case(r: Reason) -> str:
    return f"{_f(r, 'case')}, a case study like yours, shows it at work"


@words("heard")
def _heard(r: Reason) -> str:
    """One answer as the report lists it under 'What we heard': the question, then the answer."""
    said = []
    for a in r.answers:
        text = f"{a.text} \u2013 {a.answer}"
        if a.note:
            text += f" (your note: {a.note})"
        said.append(text)
    return join_words(said, sep="; ")


@words("area_unanswered")
def _area_unanswered(r: Reason) -> str:
    return "no answer about this area is known yet, so it shows level 1 until they are found out"


@words("area_capped")
def _area_capped(r: Reason) -> str:
    why = (
        "it rests on one answer only"
        if r.figures.get("cap") == "one_answer"
        else "most of this area's answers are not known"
    )
    return f"shown at level {_f(r, 'now')}, not {_f(r, 'was')}: {why}"


_MANY = 5
"""How many names a list in one sentence gives before saying how many more there are."""


def _some(names: list[str]) -> str:
    if len(names) <= _MANY:
        return join_words(names)
    return join_words([*names[: _MANY - 1], f"{len(names) - _MANY + 1} more"])


@words("goals_need_area")
def _goals_need_area(r: Reason) -> str:
    """Every goal that needs an area, in one sentence."""
    names = [lower_first(n) for n in _names(r, "goals")]
    if len(names) == 1:
        return f"your goal needs it: {names[0]}"
    return f"your goals need it: {_some(names)}"


@words("covers_gaps")
def _covers_gaps(r: Reason) -> str:
    """One offering covering several top gaps, in one sentence."""
    areas = [
        f"{lower_first(a)} (level {lv})"
        for a, lv in zip(_names(r, "areas"), _names(r, "levels"), strict=False)
    ]
    return f"it offers {_f(r, 'offering')}, which covers {join_words(areas)}, among your top gaps"


@words("tie")
def _tie(r: Reason) -> str:
    """Items whose scores tie: their order carries no meaning."""
    names = _names(r, "names")
    return f"{join_words(names)} score almost the same: treat them as equals"


@words("starting_list")
def _starting_list(r: Reason) -> str:
    return "read the vendors as a starting list to explore, not a recommendation"


@words("first_stage_finding_out")
def _first_stage_finding_out(r: Reason) -> str:
    return f"the first stage ({_f(r, 'months')}) is finding out what is not known yet"


# --- links of the knowledge graph ------------------------------------------------------------


# --- market evidence from public contract awards ---------------------------------------------


def _award_said(r: Reason) -> str:
    """'Camden bought Resident data platform from Meeco Ltd in April 2025 for £1.2m'."""
    said = f"{_f(r, 'buyer')} bought \u201c{_f(r, 'title')}\u201d"
    if r.figures.get("withheld") and not _names(r, "suppliers"):
        said += " from a supplier the notice withholds"
    elif _names(r, "suppliers"):
        said += f" from {_f(r, 'suppliers')}"
    if _f(r, "awarded"):
        said += f" in {_month(_f(r, 'awarded'))}"
    if _f(r, "value"):
        said += f" for {_f(r, 'value')}"
    if _f(r, "framework"):
        said += f" through {_f(r, 'framework')}"
    return said


def _month(iso: str) -> str:
    from datetime import date

    day = date.fromisoformat(iso)
    return day.strftime("%B %Y")


@words("peer_bought")
def _peer_bought(r: Reason) -> str:
    said = _award_said(r)
    if _f(r, "ends"):
        runs = "ran" if r.figures.get("ended") else "runs"
        said += f"; the contract {runs} to {_month(_f(r, 'ends'))}"
    return said


@words("contract_ends_soon")
def _contract_ends_soon(r: Reason) -> str:
    return (
        f"{_f(r, 'buyer')}'s contract for \u201c{_f(r, 'title')}\u201d ends in "
        f"{_month(_f(r, 'ends'))}: a chance to talk to them before they buy again"
    )


_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}


@words("public_track_record")
def _public_track_record(r: Reason) -> str:
    wins = int(_num(r, "wins"))
    counted = _COUNTS.get(wins, str(wins))
    noun = "contract" if wins == 1 else "contracts"
    years = _names(r, "years")
    when = ""
    if len(years) == 1:
        when = f" in {years[0]}"
    elif years:
        when = f" between {years[0]} and {years[-1]}"
    areas = join_words([lower_first(a) for a in _names(r, "areas")])
    said = f"won {counted} {_f(r, 'buyers')} {noun} for {areas}{when}"
    which = f"({_f(r, 'largest_title')}, {_f(r, 'largest_buyer')})"
    if _f(r, "largest"):
        said += f", the largest {_f(r, 'largest')} {which}" if wins > 1 else ""
        said += f", worth {_f(r, 'largest')} {which}" if wins == 1 else ""
    said = f"{_f(r, 'name')} {said} in public contract notices"
    if not r.figures.get("reviewed", True):
        said += " (a supplier from public awards, not yet reviewed)"
    return said


def link_forward(edge_type: str) -> str:
    """A link of the knowledge graph read from its start: Meeco *offers* its consent platform."""
    active = {
        "offers": "offers",
        "covers_area": "covers",
        "in_layer": "sits in",
        "fits_model": "fits",
        "addresses_barrier": "addresses",
        "on_framework": "is on",
        "used_in": "was used in",
        "partner_of": "was a partner in",
        "led": "led",
        "partner_in": "was a partner in",
        "funded": "funded",
        "overcomes_barrier": "overcame",
        "involves_touchpoint": "involves",
        "realises": "realises",
        "needs_area": "needs",
        "faces_barrier": "faces",
        "mitigates": "eases",
        "shown_in": "is shown working in",
        "helps_with": "helps with",
        "suits_area": "suits",
        "uses_framework": "buys through",
        "bought_from": "bought from",
    }
    return active.get(edge_type, "is linked to")


def link_back(edge_type: str) -> str:
    """A link read from its end: the consent platform *is offered by* Meeco."""
    passive = {
        "offers": "is offered by",
        "covers_area": "is covered by",
        "in_layer": "holds",
        "fits_model": "suits",
        "addresses_barrier": "is addressed by",
        "on_framework": "lists",
        "used_in": "used",
        "partner_of": "had as partner",
        "led": "was led by",
        "partner_in": "had as partner",
        "funded": "was funded by",
        "overcomes_barrier": "was overcome in",
        "involves_touchpoint": "is involved in",
        "realises": "is realised by",
        "needs_area": "is needed by",
        "faces_barrier": "is faced by",
        "mitigates": "is eased by",
        "shown_in": "shows",
        "helps_with": "is helped by",
        "suits_area": "is suited by",
        "uses_framework": "is used by",
        "bought_from": "sold to",
    }
    return passive.get(edge_type, "is linked from")


__all__ = [
    "KINDS",
    "link_back",
    "link_forward",
    "lower_first",
    "percent",
    "say",
    "say_all",
    "words",
]
