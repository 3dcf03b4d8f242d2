"""The JSON Schema of bank format v1, generated from the model.

Editors with the YAML language server use it for autocompletion and inline checks. The shipped
copy (``bank.schema.json`` beside this module) is this function's output; a test keeps the two
equal, so the schema is never maintained by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from quiz.domain.model import Bank

SCHEMA_FILE = Path(__file__).resolve().parent / "bank.schema.json"


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one bank file."""
    generated = msgspec.json.schema(Bank)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ims-quiz question bank, format 1",
        **generated,
    }


def schema_text() -> str:
    """The schema as the text written to ``bank.schema.json`` and printed by ``ims-quiz schema``."""
    return json.dumps(bank_schema(), indent=2, ensure_ascii=False) + "\n"
