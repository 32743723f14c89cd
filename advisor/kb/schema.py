"""JSON Schema of every knowledge-base file kind (``advisor kb schema``)."""

from __future__ import annotations

from typing import Any

from advisor.kb.loader import FOLDERS, LIST_FILES
from advisor.kb.market_rules import MARKET, MarketRules
from advisor.kb.rule_files import rule_file_schemas


def knowledge_base_schema() -> dict[str, Any]:
    """One schema per file kind: list files are arrays of their model, folder files one object,
    and the rule files (question bank, scoring, matching and market rules) one object each."""
    files: dict[str, Any] = {}
    for kind, model in LIST_FILES.items():
        files[f"{kind}.yaml"] = {"type": "array", "items": model.model_json_schema()}
    for kind, model in FOLDERS.items():
        files[f"{kind}/<id>.yaml"] = model.model_json_schema()
    files.update(rule_file_schemas())
    files[MARKET] = MarketRules.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "files": files}
