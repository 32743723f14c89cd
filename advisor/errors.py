"""Errors that reach a user as a plain message (CLI exit 2, inline in the app)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One problem with user input: where it is and what is wrong."""

    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.field or '(file)'}: {self.message}"


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
