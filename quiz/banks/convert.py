"""Conversion of validation: types and single-field constraints, checked by msgspec.

msgspec stops at the first error; :func:`report_all` converts field by field and item by item
where that fails, so every error inside a value is reported, each worded for an author.
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable
from typing import Any

import msgspec

from quiz.banks.report import Report
from quiz.banks.shapecheck import UnionType, strip_annotated
from quiz.banks.yamlread import Path
from quiz.domain.text import ZERO_WIDTH

_MSGSPEC_PATH = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def report_validation_error(report: Report, text: str, where: Path, question: str | None) -> None:
    message, _, located = text.partition(" - at `")
    steps: list[str | int] = list(where)
    for name, index in _MSGSPEC_PATH.findall(located.rstrip("`")[1:]):
        steps.append(name if name else int(index))
    field = next((s for s in reversed(steps) if isinstance(s, str)), "")
    code, friendly = _classify(message, field)
    label = _label(steps)
    report.add(code, f"{label}: {friendly}" if label else friendly, tuple(steps), question=question)


def _classify(message: str, field: str) -> tuple[str, str]:
    """Map a msgspec message to a diagnostic code and wording an author understands."""
    lowered = message[0].lower() + message[1:] if message else message
    if message.startswith("Object missing required field"):
        return "missing-field", lowered
    if message.startswith("Object contains unknown field"):
        return "unknown-field", lowered
    if field == "difficulty" and ("<=" in message or ">=" in message):
        return "difficulty-range", "difficulty must be 1 (recall), 2 (application) or 3 (reasoning)"
    if field == "id" and "regex" in message:
        return "invalid-id", (
            "ids are lowercase letters and digits joined by dashes, e.g. 'c5-myotome'"
        )
    if field == "roots" and "regex" in message:
        return "invalid-value", "a spinal root is written C1-C8, T1-T12, L1-L5 or S1-S5"
    if field == "choices" and "length" in message:
        return "choice-count", "a question needs between 2 and 8 choices"
    if field == "pairs" and "length >=" in message:
        return "too-few-pairs", "matching needs at least 2 pairs"
    if field == "items" and "length >=" in message:
        return "too-few-items", "ordering needs at least 2 items"
    if message.startswith("Expected `") and ", got `" in message:
        expected, _, got = message.removeprefix("Expected ").partition(", got ")
        wanted, found = _type_words(expected), _type_words(got)
        hint = ""
        if wanted == "true or false" and found == "text":
            hint = " (write true or false, or yes or no, without quotes)"
        elif wanted in ("a whole number", "a number") and found == "text":
            hint = " (write the number without quotes)"
        return "wrong-type", f"expected {wanted}, got {found}{hint}"
    return "invalid-value", lowered


_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "nothing",
    "array": "a list",
    "object": "a mapping",
}


def _type_words(msgspec_types: str) -> str:
    """```str | null``` -> ``text or nothing``: msgspec's type names in an author's words."""
    names = [name.strip() for name in msgspec_types.strip("`").split("|")]
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _label(steps: Iterable[str | int]) -> str:
    label = ""
    for step in steps:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else step)
    return label


def report_all(
    report: Report, value: Any, annotation: Any, where: Path, question: str | None
) -> bool:
    """Convert ``value`` to ``annotation``, reporting every error inside it, not just the first.

    msgspec stops at the first error; this converts field by field and item by item where the
    first attempt fails, so eight bad ``why``s give eight diagnostics. Returns whether ``value``
    converts.
    """
    try:
        msgspec.convert(value, annotation, str_keys=True)
        return True
    except msgspec.ValidationError as error:
        message = str(error)
    reported, silenced = len(report.items), report.silenced
    inner = strip_annotated(annotation)
    origin = typing.get_origin(inner)
    if origin in (typing.Union, UnionType) and isinstance(value, dict):
        structs = [m for m in typing.get_args(inner) if _is_struct(m)]
        inner = structs[0] if structs else inner
    if _is_struct(inner) and isinstance(value, dict):
        for field in msgspec.structs.fields(inner):
            if field.name in value:
                report_all(report, value[field.name], field.type, (*where, field.name), question)
    elif origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(inner)
        for index, item in enumerate(value):
            report_all(report, item, item_type, (*where, index), question)
        if len(report.items) > reported:
            # The items are reported; the list's own limits (2 to 8 choices) are checked apart.
            _report_list_limits(report, value, annotation, where, question)
    elif origin is dict and isinstance(value, dict):
        _, item_type = typing.get_args(inner)
        for key, item in value.items():
            report_all(report, item, item_type, (*where, key), question)
    if len(report.items) == reported and report.silenced == silenced:
        if _said_elsewhere(message, value, where):
            report.silenced += 1
        else:
            report_validation_error(report, message, where, question)
    return False


def _said_elsewhere(message: str, value: Any, where: Path) -> bool:
    """Whether another check reports this msgspec error already, as an error: missing and
    unknown keys (the shape check), or an id that fails its pattern for a zero-width character
    in it (the reader's ``zero-width-id``)."""
    if message.startswith(("Object missing required field", "Object contains unknown field")):
        return True
    return (
        bool(where)
        and where[-1] == "id"
        and isinstance(value, str)
        and "regex" in message
        and ZERO_WIDTH.search(value) is not None
    )


def _report_list_limits(
    report: Report, value: list[Any], annotation: Any, where: Path, question: str | None
) -> None:
    metas = [
        meta
        for meta in typing.get_args(annotation)[1:]
        if typing.get_origin(annotation) is typing.Annotated and isinstance(meta, msgspec.Meta)
    ]
    if metas:
        try:
            msgspec.convert(value, typing.Annotated[list[Any], *metas])
        except msgspec.ValidationError as error:
            report_validation_error(report, str(error), where, question)


def _is_struct(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)
