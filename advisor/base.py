"""The one strict base model every advisor model derives from, and the text types they share.

Every free-text field is one of ``Text``, ``Name``, ``Line`` or ``Note``: the rule on what text
may hold (no control characters, something visible, a length limit) lives here, in
``text_problem``, and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=80)]
"""A stable identifier: lower case letters, digits and underscores."""

MAX_TEXT = 4000
"""Longest free text (a description, a note, a free-text answer)."""
MAX_NAME = 200
"""Longest name or other one-line text (an organisation's name, a region, a respondent)."""

_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")
"""Characters that are letters or symbols to Unicode but show nothing (Hangul fillers, the
blank Braille pattern, the Mongolian vowel separator, the combining grapheme joiner)."""


_DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates: they reorder what is shown after them, so a name can
read differently from what it holds (U+202E turns "cod.exe" around). The plain marks (U+200E,
U+200F) only nudge neutral characters and stay allowed."""


def _visible(ch: str) -> bool:
    category = unicodedata.category(ch)
    return not (
        ch.isspace() or category[0] in "CZ" or category in ("Mn", "Me") or ch in _BLANK_LOOKING
    )


_ASCII_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""ASCII control characters other than the tab and the newline."""
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ASCII_VISIBLE = re.compile(r"[!-~]")
"""ASCII characters that show: all the printable ones but the space."""


def text_problem(value: str, *, multiline: bool, required: bool = True) -> str | None:
    """Why ``value`` is not acceptable free text, or none if it is.

    Refused: control characters (ESC, BEL, CR, backspace, DEL, C1 ...; a tab and a newline only
    where the text may run over several lines), text-direction overrides, embeddings and
    isolates, line and paragraph separators in one-line text,
    lone surrogates, and text with nothing visible in it (only spaces, zero-width or other
    invisible characters). Empty text is refused only when ``required``.
    """
    if value.isascii():  # nearly all text: two regular-expression searches, not a loop
        return _ascii_text_problem(value, multiline=multiline, required=required)
    return _text_problem_by_character(value, multiline=multiline, required=required)


def _ascii_text_problem(value: str, *, multiline: bool, required: bool) -> str | None:
    """``text_problem`` for ASCII text: its only controls are C0 and DEL, its only blank is the
    space, and every other character shows."""
    control = (_ASCII_CONTROL_MULTILINE if multiline else _ASCII_CONTROL).search(value)
    if control:
        return f"contains a control character (U+{ord(control.group()):04X}); remove it"
    if (value or required) and not _ASCII_VISIBLE.search(value):
        return "has no visible characters"
    return None


def _text_problem_by_character(value: str, *, multiline: bool, required: bool) -> str | None:
    """``text_problem`` for any text, one character at a time."""
    for ch in value:
        category = unicodedata.category(ch)
        if category == "Cc":
            if multiline and ch in "\t\n":
                continue
            return f"contains a control character (U+{ord(ch):04X}); remove it"
        if ch in _DIRECTION_CONTROLS:
            return f"contains a text-direction control (U+{ord(ch):04X}); remove it"
        if category == "Cs":
            return f"contains an invalid character (U+{ord(ch):04X}, half a surrogate pair)"
        if not multiline and category in ("Zl", "Zp"):
            return f"contains a line break (U+{ord(ch):04X}); keep it on one line"
    if (value or required) and not any(_visible(ch) for ch in value):
        return "has no visible characters"
    return None


def checked_text(*, multiline: bool, required: bool) -> AfterValidator:
    """The validator behind the text types, for a text field with its own length limit."""

    def check(value: str) -> str:
        problem = text_problem(value, multiline=multiline, required=required)
        if problem:
            raise ValueError(problem)
        return value

    return AfterValidator(check)


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT),
    checked_text(multiline=True, required=True),
]
"""Non-empty free text, possibly over several lines."""

Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME),
    checked_text(multiline=False, required=True),
]
"""A non-empty name on one line."""

Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_NAME),
    checked_text(multiline=False, required=False),
]
"""Optional short text on one line (a region, a respondent, a unit)."""

Note = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=MAX_TEXT),
    checked_text(multiline=True, required=False),
]
"""Optional free text, possibly over several lines (a remark, evidence)."""


class StrictModel(BaseModel):
    """Unknown keys are errors and assignments are validated.

    A model's validator is built on its first use rather than when its class is made
    (``defer_build``): a command pays only for the models it reads. The docstrings under
    fields describe them in ``advisor kb schema``, which reads them itself
    (``advisor.kb.schema``) so that no other command parses source for them.
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        defer_build=True,
        frozen=False,
        str_strip_whitespace=True,
    )
