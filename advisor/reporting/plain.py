"""Reasons in plain English for the printed report.

Matching explains each item with a walk along graph edges, such as
``gap: Application enablement (level 1) <-covers- Hub platform <-offers- BT``. The app and
the JSON export keep that form, so every link can be checked against the knowledge graph.
A board reads sentences, so the report turns each walk into one: ``It offers Hub platform,
which covers your gap in application enablement (level 1)``. Evidence lines of the form
``question_id (Question?): answer``, and find-out actions ending ``(question_id)``, lose the
id. Text in any other shape is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from advisor.matching.explain import EDGE_WORDS
from advisor.wording import join_words, lower_first, upper_first

VERBS: dict[str, str] = {
    "offers": "offers {o}",
    "covers": "covers {o}",
    "in layer": "sits in the {o} layer",
    "fits": "fits the {o} model",
    "addresses": "addresses the {o} barrier",
    "on": "is on {o}",
    "used in": "was used in {o}",
    "partner in": "was a partner in {o}",
    "led": "led {o}",
    "funded": "funded {o}",
    "overcame": "overcame the {o} barrier",
    "involves": "involves {o}",
    "realises": "realises {o}",
    "needs": "needs {o}",
    "faces": "faces the {o} barrier",
    "eases": "eases the {o} barrier",
    "shown in": "is shown in {o}",
    "helps with": "helps with {o}",
    "suits": "suits {o}",
    "uses": "uses {o}",
}
"""How each edge word of a walk reads in a sentence (subject first)."""
_COMMON_NOUNS = frozenset(
    {"covers", "in layer", "fits", "addresses", "overcame", "faces", "eases", "needs", "suits"}
    | {"helps with"}
)
"""Edges that end at an area, layer, model or barrier: their names read in lower case."""

_WORDS = "|".join(re.escape(w) for w in sorted(set(EDGE_WORDS.values()), key=len, reverse=True))
_ARROW = re.compile(rf" (?:-(?P<fwd>{_WORDS})->|<-(?P<back>{_WORDS})-) ")
_GAP = re.compile(r"^gap: (?P<name>.+?) \((?P<note>level \d)\)$")
_EVIDENCE = re.compile(
    r"^(?P<lead>[a-z ]+: )?[a-z][a-z0-9_]* \((?P<question>.+?\?)\): (?P<answer>.+)$", re.S
)
_FIND_OUT = re.compile(r"^(?P<said>Find out .+\?) \([a-z][a-z0-9]*_[a-z0-9_]+\)$", re.S)
_TRAILING_NOTE = re.compile(
    r" (?P<note>\((?:your [^()]*|similarity [^()]*|a case study like yours, [^()]*"
    r"|one of your top gaps|in your goals)\))$"
)
_NOTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\(your severity (\d)\)$"), r"(severity \1 of 4 for you)"),
    (re.compile(r"\(your fit (\d\.\d\d)\)$"), "(a {pct} fit for you)"),
    (re.compile(r"\(your best-fit model\)$"), "(your best fit)"),
    (re.compile(r"\(similarity (\d\.\d\d)\)$"), "({pct} like your plans)"),
    (re.compile(r"\(a case study like yours, (\d\.\d\d)\)$"), "(a case study {pct} like yours)"),
]


def _note(text: str) -> str:
    """Scores in a note read as percentages; severities say their scale."""
    for pattern, replacement in _NOTES:
        match = pattern.search(text)
        if match is None:
            continue
        if "{pct}" in replacement:
            pct = f"{round(float(match.group(1)) * 100)}%"
            return text[: match.start()] + replacement.format(pct=pct)
        return pattern.sub(replacement, text)
    return text


def _node(text: str) -> str:
    gap = _GAP.match(text)
    if gap is not None:
        return f"your gap in {lower_first(gap['name'])} ({gap['note']})"
    return text


def plain_reason(text: str, subject: str | None = None) -> str:
    """One reason as a sentence; ``subject`` (the item's own name) is said as "It"."""
    find_out = _FIND_OUT.match(text)
    if find_out is not None:  # "Find out [Area]: Question? (question_id)"
        return find_out["said"]
    evidence = _EVIDENCE.match(text)
    if evidence is not None:
        lead = upper_first(evidence["lead"] or "")
        return f"{lead}{evidence['question']} – {evidence['answer']}"
    parts = _ARROW.split(text)
    if len(parts) == 1:
        return text
    note = _TRAILING_NOTE.search(parts[-1])
    if note is not None:
        parts[-1] = parts[-1][: note.start()]
    # split() gives node, fwd, back, node, fwd, back, node ...
    nodes = parts[0::3]
    edges: list[tuple[str, str, str]] = []
    for i, (fwd, back) in enumerate(zip(parts[1::3], parts[2::3], strict=True)):
        left, right = nodes[i], nodes[i + 1]
        edges.append((left, fwd, right) if fwd else (right, back, left))
    if all(parts[2 + 3 * i] for i in range(len(edges))):  # an all-backward walk reads from its end
        edges.reverse()
    first = edges[0][0]
    prefix = ""
    if first.startswith("your goal") and ": " in first:  # "your goal 'x': Y -needs-> Z"
        prefix, first = first.split(": ", 1)
        prefix = upper_first(prefix) + ": "
    clauses = []
    previous_object: str | None = None
    for subj, word, obj in edges:
        if subj == edges[0][0]:
            subj = first
        template = VERBS.get(word, word + " {o}")
        said_obj = _node(obj)
        if word in _COMMON_NOUNS:
            said_obj = lower_first(said_obj)
        verb = template.format(o=said_obj)
        if previous_object is not None and subj == previous_object:
            clauses.append(f", which {verb}")
        else:
            said = "It" if subject is not None and subj == subject and not clauses else _node(subj)
            clauses.append(("; " if clauses else "") + f"{said} {verb}")
        previous_object = obj
    said_note = f" {_note(note['note'])}" if note is not None else ""
    return prefix + "".join(clauses) + said_note


def plain_reasons(texts: Iterable[str], subject: str | None = None) -> list[str]:
    """``plain_reason`` for each text, in order."""
    return [plain_reason(t, subject) for t in texts]


_OFFERS = re.compile(r"^(?P<head>It offers .+?), which (?P<tail>.+)$", re.S)
_COVERS = "covers your gap in "


def merged_reasons(texts: Iterable[str], subject: str | None = None) -> list[str]:
    """``plain_reasons``, with everything said of one offering said in one sentence.

    ``It offers X, which covers your gap in a (level 2)``, ``... in b (level 3)`` and
    ``It offers X, which fits the y model`` become ``It offers X, which covers your gaps in
    a (level 2) and b (level 3); and fits the y model``, in first-seen order.
    """
    order: list[str | tuple[str]] = []  # a sentence, or (offering head,) to fill in below
    tails: dict[str, list[str]] = {}
    for sentence in plain_reasons(texts, subject):
        match = _OFFERS.match(sentence)
        if match is None:
            order.append(sentence)
            continue
        head = match["head"]
        if head not in tails:
            tails[head] = []
            order.append((head,))
        tails[head].append(match["tail"])
    return [item if isinstance(item, str) else _which(item[0], tails[item[0]]) for item in order]


def _which(head: str, tails: list[str]) -> str:
    gaps = [t.removeprefix(_COVERS) for t in tails if t.startswith(_COVERS)]
    said = [f"covers your gap{'s' if len(gaps) > 1 else ''} in {join_words(gaps)}"] if gaps else []
    said += [t for t in tails if not t.startswith(_COVERS)]
    return f"{head}, which {join_words(said, sep='; ')}"
