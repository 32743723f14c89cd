"""Errors that reach a user as a plain message (CLI exit 2, inline in the app)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from pydantic import ValidationError

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem with user input: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return printable(f"{where}: {self.field or '(file)'}: {self.message}")


def printable(text: str) -> str:
    """``text`` with every character a terminal would act on (ESC, BEL, CR, line breaks,
    zero-width and direction marks ...) written as an escape, so a message is shown as is."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


MAX_SHOWN_KEY = 60


def shown(text: str) -> str:
    """A value from the input as it is quoted in a message: escaped and cut short."""
    cut = text if len(text) <= MAX_SHOWN_KEY else text[:MAX_SHOWN_KEY] + "..."
    # quoted when it would blur the "file:line: field: message" shape (blank ends, a colon)
    return printable(cut) if cut and cut.strip() == cut and ":" not in cut else repr(cut)


@dataclass
class InputError(Exception):
    """Bad input from a user: always carries at least one Problem naming the field."""

    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(
        cls, file: str, field_name: str, message: str, line: int | None = None
    ) -> InputError:
        return cls([Problem(file=file, line=line, field=field_name, message=message)])


FRIENDLY_MESSAGES = {
    "extra_forbidden": "unknown field (Extra inputs are not permitted)",
    "missing": "required field is missing",
}
"""Plainer words for pydantic's commonest errors."""


def field_path(loc: Sequence[str | int]) -> str:
    """A location as a readable field path, e.g. ``sections[2].questions[0].id``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{shown(part)}" if out else shown(part)
    return out


def problems_from_validation(
    err: ValidationError,
    file: str,
    line_of: Callable[[Loc], int | None] | None = None,
    prefix: Loc = (),
) -> list[Problem]:
    """One Problem per pydantic error: the file, the line (when known) and the field."""
    problems = []
    for e in err.errors():
        loc = tuple(p for p in e["loc"] if isinstance(p, str | int))
        message = FRIENDLY_MESSAGES.get(e["type"], e["msg"]).removeprefix("Value error, ")
        line = line_of((*prefix, *loc)) if line_of is not None else None
        problems.append(Problem(file, line, field_path(loc) or "(file)", message))
    return problems
