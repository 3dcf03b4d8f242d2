"""The JSON Schema of bank format v1, generated from the model.

Editors with the YAML language server use it for autocompletion and inline checks. The shipped
copy (``bank.schema.json`` beside this module) is this function's output; a test keeps the two
equal, so the schema is never maintained by hand.

msgspec writes JSON Schema 2020-12, but the YAML language server (VS Code's YAML extension and
every editor that runs it) implements draft 7: it ignores ``prefixItems`` and applies
``items: false`` to every element, so each ``[left, right]`` pair of a matching question would
be flagged. The schema is therefore rewritten as draft 7, which every validator reads.

Then it is shaped for the language server, which is what authors see (:func:`_for_editors`):

* A question's type is chosen with ``if``/``then`` on ``type``, which draft 7 validators and the
  language server both follow. msgspec's ``anyOf`` with an OpenAPI ``discriminator`` is ignored
  by the server, which then reported ``type: essay`` as 'Valid values: "single"' and completed
  only the types whose keys happened to fit. ``type`` is an ``enum`` of the six, each with a
  description, so the message and the completion list name all six.
* ``difficulty`` is an ``enum`` of 1, 2 and 3 (completion offers them, with their meaning), and
  ``refs`` needs one item, as the validator says.
* The server's own keywords ``enumDescriptions`` and ``markdownEnumDescriptions`` describe each
  value; other validators ignore keywords they do not know.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgspec

from quiz.domain.model import QUESTION_CLASSES, QUESTION_TYPES, Bank

SCHEMA_FILE = Path(__file__).resolve().parent / "bank.schema.json"


SCHEMA_NAME = "bank.schema.json"
"""The schema's file name; ``new-bank`` writes it beside each new bank, and modelines name it."""

TYPE_DESCRIPTIONS: dict[str, str] = {
    "single": "One best answer: `choices`, exactly one with `correct: true`.",
    "multiple": "Select all that apply: `choices`, one or more correct; partial credit.",
    "true_false": "A statement that is true or false: `answer`, with `why_true` and `why_false`.",
    "matching": "Match each left item to its right one: `pairs`, and optional `distractors`.",
    "ordering": "Put items in order: `items`, listed in the correct order.",
    "short": "A typed answer: `answers`, and optional `patterns`.",
}
TYPE_DESCRIPTION = (
    "The question type, which decides its answer keys: "
    + ", ".join(f"`{name}`" for name in QUESTION_TYPES)
    + "."
)
DIFFICULTIES = {1: "Recall", 2: "Application", 3: "Clinical reasoning"}


def bank_schema() -> dict[str, Any]:
    """The JSON Schema (draft 7) of one bank file."""
    generated = _for_editors(_as_draft7(msgspec.json.schema(Bank)))
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "ims-quiz question bank, format 1",
        **generated,
    }


def _for_editors(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with question types chosen by ``if``/``then`` and enums described (see above)."""
    definitions: dict[str, Any] = schema["definitions"]
    names = {tag: cls.__name__ for tag, cls in QUESTION_CLASSES.items()}
    # `type` itself is checked once, by Question: here it is only described.
    every_key: dict[str, Any] = {"type": {"description": TYPE_DESCRIPTION}}
    for tag, name in names.items():
        branch = definitions[name]
        branch["title"] = f"Question: {tag}"
        # Checked by Question's enum; an enum of one here would make the hover list only it.
        branch["properties"]["type"] = {"description": TYPE_DESCRIPTION}
        for key, value in branch["properties"].items():
            if key == "difficulty":
                value.pop("minimum", None)
                value.pop("maximum", None)
                value["enum"] = list(DIFFICULTIES)
                value["enumDescriptions"] = list(DIFFICULTIES.values())
                value["markdownEnumDescriptions"] = list(DIFFICULTIES.values())
            elif key == "refs":
                value["minItems"] = 1
            every_key.setdefault(key, value)
    definitions["Question"] = {
        "title": "Question",
        "description": "One question. Its `type` decides which answer keys it takes.",
        "type": "object",
        "properties": {"type": _type_property(list(QUESTION_TYPES))},
        "required": ["type"],
        "allOf": [
            *(
                {
                    "if": {"properties": {"type": {"const": tag}}, "required": ["type"]},
                    "then": {"$ref": f"#/definitions/{name}"},
                }
                for tag, name in names.items()
            ),
            {
                # No type, or an unknown one: the keys of every type are still completed and
                # described, and a misspelt key (`tpye`) is still flagged.
                "if": {
                    "properties": {"type": {"enum": list(QUESTION_TYPES)}},
                    "required": ["type"],
                },
                "else": {"properties": every_key, "additionalProperties": False},
            },
        ],
    }
    questions = definitions["Bank"]["properties"]["questions"]
    questions["items"] = {"$ref": "#/definitions/Question"}
    return schema


def _type_property(tags: list[str]) -> dict[str, Any]:
    return {
        "description": TYPE_DESCRIPTION if len(tags) > 1 else TYPE_DESCRIPTIONS[tags[0]],
        "type": "string",
        "enum": tags,
        "enumDescriptions": [TYPE_DESCRIPTIONS[tag] for tag in tags],
        "markdownEnumDescriptions": [TYPE_DESCRIPTIONS[tag] for tag in tags],
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
