"""What a form says about a bad field: what is wrong and what to do, in the field's own words.

A form's checks are the models' own (pydantic); this module words each of their errors for a
person filling in the form, under the label the form shows, instead of pydantic's text
("String should have at least 1 character", "relative URL without a base").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from advisor.errors import Loc, field_path
from advisor.wording import upper_first

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class FieldProblem:
    """One bad field: its path in the data (``offerings[0].name``), its label and the message."""

    field: str
    label: str
    message: str
    kind: str = "value_error"
    """pydantic's error type (``string_too_long`` ...), for a form that shows some at once."""

    def __str__(self) -> str:
        return f"{self.label}: {self.message}"


def _count(value: object) -> int:
    return len(value) if isinstance(value, str | list | tuple | dict) else 0


def _ctx(error: ErrorDetails, key: str) -> Any:
    return (error.get("ctx") or {}).get(key)


def _message(error: ErrorDetails) -> str:
    """The error in plain words: what is wrong, then what to do."""
    kind = error["type"]
    given = error.get("input")
    if kind in ("missing", "string_too_short") or (kind == "too_short" and isinstance(given, str)):
        return "this is empty: please fill it in"
    if kind == "string_too_long":
        most = int(_ctx(error, "max_length") or 0)
        return (
            f"this is {_count(given):,} characters long and can hold at most {most:,}: "
            "please shorten it"
        )
    if kind == "too_short":
        least = int(_ctx(error, "min_length") or 1)
        return "please choose at least one" if least == 1 else f"please give at least {least}"
    if kind == "too_long":
        most = int(_ctx(error, "max_length") or 0)
        return f"{_count(given)} given, at most {most} allowed: please remove some"
    if kind.startswith("url_"):
        return "type the full web address, starting with https:// (e.g. https://www.example.com)"
    if kind == "string_pattern_mismatch":
        return "use only lower-case letters, digits and underscores"
    if kind == "greater_than_equal":
        return f"this must be {_ctx(error, 'ge')} or more"
    if kind == "greater_than":
        return f"this must be more than {_ctx(error, 'gt')}"
    if kind == "less_than_equal":
        return f"this must be {_ctx(error, 'le')} or less"
    if kind == "less_than":
        return f"this must be less than {_ctx(error, 'lt')}"
    if kind.startswith(("int_", "float_", "decimal_")):
        return "type a whole number"
    if kind in ("enum", "literal_error"):
        return "please choose one of the options offered"
    if kind.startswith("date"):
        return "type a date as year-month-day, e.g. 2026-12-01"
    if kind == "extra_forbidden":
        return "this form does not take this field"
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    return "this value is not accepted: please check it"


def form_problems(
    err: ValidationError, label_of: Callable[[Loc], str], prefix: Loc = ()
) -> list[FieldProblem]:
    """One problem per error of a form's model, each under the label the form shows.

    ``label_of`` turns an error's location (``("offerings", 0, "name")``) into that label; the
    location ``()`` is the form as a whole (a check across fields).
    """
    out = []
    for error in err.errors():
        loc = tuple(p for p in error["loc"] if isinstance(p, str | int))
        out.append(
            FieldProblem(
                field_path((*prefix, *loc)),
                label_of((*prefix, *loc)),
                upper_first(_message(error)),
                error["type"],
            )
        )
    return out


def by_field(problems: list[FieldProblem]) -> Mapping[str, FieldProblem]:
    """The first problem of each field, keyed by its path (for showing under each input)."""
    out: dict[str, FieldProblem] = {}
    for p in problems:
        out.setdefault(p.field, p)
    return out


def check_form(
    model: type[M], data: Mapping[str, Any], label_of: Callable[[Loc], str]
) -> tuple[M | None, list[FieldProblem]]:
    """The form's data validated by its model: the model, or every problem in the form's words."""
    try:
        return model.model_validate(dict(data)), []
    except ValidationError as err:
        return None, form_problems(err, label_of)
