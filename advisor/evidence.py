"""What a figure or a reason rests on: the answers behind it, as data.

``AnswerRef`` lives here (not in ``advisor.recommendation``) because the profile carries answer
references too, and the recommendation contains the profile.
"""

from __future__ import annotations

from pydantic import Field

from advisor.base import Line, Note, StrictModel


class AnswerRef(StrictModel):
    """One answer a figure or a reason rests on."""

    question: Line
    """The question's id (for machines; never shown to people)."""
    text: Note
    """The question as asked."""
    answer: Note
    """The answer as the person chose or wrote it."""
    note: Note | None = None
    """A note or evidence the person gave with the answer."""
    unknown: bool = False
    """True for a "don't know" answer."""
    options: list[Line] = Field(default_factory=list, max_length=200)
    """The option ids chosen (for machines: rules on answers read these); empty for numbers,
    free text and "don't know"."""


__all__ = ["AnswerRef"]
