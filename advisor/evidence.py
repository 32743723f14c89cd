"""What a figure or a reason rests on: the answers behind it, as data.

``AnswerRef`` lives here (not in ``advisor.recommendation``) because the profile carries answer
references too, and the recommendation contains the profile.
"""

from __future__ import annotations

from pydantic import Field

from advisor.base import StrictModel


class AnswerRef(StrictModel):
    """One answer a figure or a reason rests on."""

    question: str
    """The question's id (for machines; never shown to people)."""
    text: str
    """The question as asked."""
    answer: str
    """The answer as the person chose or wrote it."""
    note: str | None = None
    """A note or evidence the person gave with the answer."""
    unknown: bool = False
    """True for a "don't know" answer."""
    options: list[str] = Field(default_factory=list)
    """The option ids chosen (for machines: rules on answers read these); empty for numbers,
    free text and "don't know"."""


__all__ = ["AnswerRef"]
