"""The one strict base model every advisor model derives from."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

Id = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_]*$", max_length=80)]
"""A stable identifier: lower case letters, digits and underscores."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
"""Non-empty free text."""


class StrictModel(BaseModel):
    """Unknown keys are errors, assignments are validated, docstrings feed the JSON Schema."""

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        use_attribute_docstrings=True,
        frozen=False,
        str_strip_whitespace=True,
    )
