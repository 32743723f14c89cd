"""JSON Schema of every knowledge-base file kind (``advisor kb schema``).

A model's field descriptions are the docstrings written under its fields in the source. They
are read here, when a schema is asked for, rather than when each model class is made, so that
commands that never print a schema do not pay for reading the source of every model.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from functools import cache
from itertools import pairwise
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from advisor.kb.loader import FOLDERS, LIST_FILES
from advisor.kb.market_rules import MARKET, MarketRules
from advisor.kb.rule_files import RULE_FILE_MODELS


@cache
def _own_field_docstrings(cls: type) -> dict[str, str]:
    """Docstrings written directly under the annotated fields of one class's own body."""
    try:
        source = textwrap.dedent(inspect.getsource(cls))
    except (OSError, TypeError):
        return {}
    body = ast.parse(source).body
    if not body or not isinstance(body[0], ast.ClassDef):
        return {}
    found: dict[str, str] = {}
    statements = body[0].body
    for field, after in pairwise(statements):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
            and isinstance(after.value.value, str)
        ):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def field_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """Every field's docstring, a subclass's own taking precedence over its bases'."""
    docs: dict[str, str] = {}
    for cls in reversed(model.__mro__):
        if issubclass(cls, BaseModel) and cls is not BaseModel:
            docs.update(_own_field_docstrings(cls))
    return docs


class DocumentedSchema(GenerateJsonSchema):
    """Pydantic's JSON Schema, with each field described by its docstring when it has no
    description of its own."""

    def model_schema(self, schema: core_schema.ModelSchema) -> JsonSchemaValue:
        json_schema = super().model_schema(schema)
        model = schema["cls"]
        properties = json_schema.get("properties", {})
        for name, doc in field_docstrings(model).items():
            field = model.model_fields.get(name)
            if field is None:
                continue
            key = field.alias if field.alias and self.by_alias else name
            if key in properties and "description" not in properties[key]:
                properties[key]["description"] = doc
        return json_schema


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """One model's JSON Schema with its fields described."""
    return model.model_json_schema(schema_generator=DocumentedSchema)


def knowledge_base_schema() -> dict[str, Any]:
    """One schema per file kind: list files are arrays of their model, folder files one object,
    and the rule files (question bank, scoring, matching and market rules) one object each."""
    files: dict[str, Any] = {}
    for kind, model in LIST_FILES.items():
        files[f"{kind}.yaml"] = {"type": "array", "items": model_schema(model)}
    for kind, model in FOLDERS.items():
        files[f"{kind}/<id>.yaml"] = model_schema(model)
    for name, model in RULE_FILE_MODELS.items():
        files[name] = model_schema(model)
    files[MARKET] = model_schema(MarketRules)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "files": files}
