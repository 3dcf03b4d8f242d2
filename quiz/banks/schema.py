"""The JSON Schema of bank format v1, generated from the model.

Editors with the YAML language server use it for autocompletion and inline checks. The shipped
copy (``bank.schema.json`` beside this module) is this function's output; a test keeps the two
equal, so the schema is never maintained by hand.

msgspec writes JSON Schema 2020-12, but the YAML language server (VS Code's YAML extension and
every editor that runs it) implements draft 7: it ignores ``prefixItems`` and applies
``items: false`` to every element, so each ``[left, right]`` pair of a matching question would
be flagged. The schema is therefore rewritten as draft 7, which every validator reads.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from quiz.domain.model import Bank

SCHEMA_FILE = Path(__file__).resolve().parent / "bank.schema.json"


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of one bank file."""
    generated = _as_draft7(msgspec.json.schema(Bank))
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "ims-quiz question bank, format 1",
        **generated,
    }


def _as_draft7(node: Any) -> Any:
    """``node`` with the 2020-12 keywords msgspec uses replaced by their draft 7 forms."""
    if isinstance(node, list):
        return [_as_draft7(item) for item in node]
    if isinstance(node, str) and node.startswith("#/$defs/"):
        return "#/definitions/" + node.removeprefix("#/$defs/")  # in $ref and discriminator
    if not isinstance(node, dict):
        return node
    converted: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$defs":
            converted["definitions"] = _as_draft7(value)
        elif key == "prefixItems":
            converted["items"] = _as_draft7(value)  # a list of schemas: a tuple, in draft 7
        elif key == "items" and "prefixItems" in node:
            converted["additionalItems"] = _as_draft7(value)
        else:
            converted[key] = _as_draft7(value)
    return converted


def schema_text() -> str:
    """The schema as the text written to ``bank.schema.json`` and printed by ``ims-quiz schema``."""
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
