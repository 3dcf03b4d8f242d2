"""The shape check of validation: unknown and missing keys, with a did-you-mean.

Every Struct inside a value is checked against the model's fields before conversion, and the
unknown keys are removed so that conversion can go on to report type errors in the same run.
The checkers are built once per annotation of the model.
"""

from __future__ import annotations

import difflib
import functools
import typing
from collections.abc import Callable, Iterable
from typing import Any

import msgspec
from yaml.nodes import MappingNode, ScalarNode

from quiz.banks.diagnostics import clip
from quiz.banks.report import Report
from quiz.banks.yamlread import ParsedYaml, Path


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""


def unknown_field(key: str, known: Iterable[str]) -> str:
    if key == "<<":
        return "YAML merge keys (`<<: *anchor`) are not supported; write the keys out"
    return f"unknown field '{clip(key)}'{did_you_mean(key, known)}"


def report_unknown_key(
    report: Report, key: str, known: Iterable[str], where: Path, question: str | None
) -> None:
    report.add(
        "unknown-field",
        unknown_field(key, known) + _flow_comma_hint(report.parsed, where),
        where,
        question=question,
        key=True,
    )


def _flow_comma_hint(parsed: ParsedYaml, where: Path) -> str:
    """For ``{text: A, why: Plantarflexors, S1.}``: the comma ended the text, and ``S1.`` became
    a key of its own. Suggest quoting the text, as it was meant."""
    mapping = parsed.parent_mapping(where)
    if not isinstance(mapping, MappingNode) or not mapping.flow_style:
        return ""
    pairs = mapping.value
    for position, (key_node, value_node) in enumerate(pairs):
        if not (isinstance(key_node, ScalarNode) and key_node.value == where[-1]):
            continue
        if position == 0 or not (isinstance(value_node, ScalarNode) and value_node.value == ""):
            return ""
        before_key, before_value = pairs[position - 1]
        if not isinstance(before_value, ScalarNode) or before_value.style not in (None, ""):
            return ""
        text = f"{before_value.value}, {key_node.value}"
        return (
            f"; in {{...}} a comma ends the value, so '{clip(key_node.value)}' became a key: "
            f"if it belongs to the text before it, quote that text: "
            f'{clip(str(before_key.value))}: "{clip(text)}"'
        )
    return ""


_ShapeCheck = Callable[[Report, Any, Path, str | None], Any]


def check_shape(
    report: Report, value: Any, annotation: Any, where: Path, question: str | None
) -> Any:
    """Report unknown and missing keys of every Struct inside ``value``.

    Returns ``value`` with unknown keys removed, so that conversion can go on to report type
    errors in the same run.
    """
    check = _shape_check(annotation)
    return value if check is None else check(report, value, where, question)


@functools.cache
def _shape_check(annotation: Any) -> _ShapeCheck | None:
    """A checker for values of ``annotation``, or ``None`` when it holds no Struct to check.

    Built once per annotation: walking the model's type hints for every question would cost
    more than validating the questions.
    """
    annotation = strip_annotated(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return _struct_check(annotation)
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        item_check = _shape_check(item_type)
        if item_check is None:
            return None

        def check_list(report: Report, value: Any, where: Path, question: str | None) -> Any:
            if not isinstance(value, list):
                return value
            return [item_check(report, item, (*where, i), question) for i, item in enumerate(value)]

        return check_list
    if origin is dict:
        _, item_type = typing.get_args(annotation)
        value_check = _shape_check(item_type)
        if value_check is None:
            return None

        def check_dict(report: Report, value: Any, where: Path, question: str | None) -> Any:
            if not isinstance(value, dict):
                return value
            return {k: value_check(report, v, (*where, k), question) for k, v in value.items()}

        return check_dict
    if origin in (typing.Union, UnionType):
        for member in typing.get_args(annotation):
            if isinstance(member, type) and issubclass(member, msgspec.Struct):
                return _struct_check(member)  # a union holds at most one Struct in this model
    return None


def _struct_check(cls: type[msgspec.Struct]) -> _ShapeCheck:
    fields = msgspec.structs.fields(cls)
    tag_field = cls.__struct_config__.tag_field
    allowed = frozenset(f.name for f in fields) | ({tag_field} if tag_field else set())
    required = [f.name for f in fields if f.required]
    nested = {f.name: check for f in fields if (check := _shape_check(f.type)) is not None}
    names = [f.name for f in fields]

    def check_struct(report: Report, value: Any, where: Path, question: str | None) -> Any:
        if not isinstance(value, dict):
            return value
        keys = value.keys()
        for name in required:
            if name not in value:
                report.add(
                    "missing-field", f"missing required field '{name}'", where, question=question
                )
        if keys <= allowed and not (nested and not keys.isdisjoint(nested)):
            return value  # the common case: nothing unknown, nothing nested to look into
        cleaned: dict[str, Any] = {}
        for key, item in value.items():
            if key not in allowed:
                report_unknown_key(report, key, names, (*where, key), question)
                continue
            check = nested.get(key)
            cleaned[key] = item if check is None else check(report, item, (*where, key), question)
        return cleaned

    return check_struct


UnionType = type(int | str)


def strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation
