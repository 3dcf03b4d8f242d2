"""Characters a bank may not hold, or should not, found in the YAML source and located.

Forbidden ones (:data:`quiz.domain.text.FORBIDDEN`) and zero-width ones
(:data:`quiz.domain.text.ZERO_WIDTH`) are reported at their line and column, whether typed or
written as a double-quoted escape.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Final

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.banks.diagnostics import YamlProblem
from quiz.domain.text import FORBIDDEN, ZERO_WIDTH, codepoint


def line_column(text: str, position: int) -> tuple[int, int]:
    """Line and column (1-based) of the character at offset ``position`` of ``text``."""
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def stand_in(text: str) -> tuple[str, list[YamlProblem]]:
    """Each character a bank may not hold, reported where it is, and the text with each one
    replaced by U+FFFD, so that reading it on reports every other mistake in the same run.

    libyaml refuses most of these outright, and would stop at the first.
    """
    problems = [
        _control_problem(text, match.start(), match.group()) for match in FORBIDDEN.finditer(text)
    ]
    return FORBIDDEN.sub("\ufffd", text), problems


def _character_name(character: str) -> str:
    name = unicodedata.name(character, "")
    if unicodedata.category(character) == "Cc":
        return "a control character"
    return f"{name.lower()}" if name else "an invisible character"


def _control_problem(text: str, offset: int, character: str, escape: bool = False) -> YamlProblem:
    line, column = line_column(text, offset)
    written = "the escape here writes" if escape else "this text holds"
    return YamlProblem(
        "control-character",
        f"{written} {codepoint(character)} ({_character_name(character)}), which may not appear "
        "in a bank: it could drive the terminal or hide what the text says; remove it",
        line,
        column,
    )


HIDDEN: Final = re.compile(f"{FORBIDDEN.pattern}|{ZERO_WIDTH.pattern}")
"""A character that may not appear (:data:`FORBIDDEN`) or should not (:data:`ZERO_WIDTH`)."""

ESCAPE: Final = re.compile(r"\\(?:[0abvfreN]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
"""A double-quoted escape that might write a forbidden or zero-width character."""

_IN_QUOTES: Final = re.compile(
    r"\\(?:x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|(.)", re.DOTALL
)
_SIMPLE_ESCAPES: Final = {
    "0": "\x00",
    "a": "\x07",
    "b": "\x08",
    "v": "\x0b",
    "f": "\x0c",
    "r": "\r",
    "e": "\x1b",
    "N": "\x85",
}
_ID_FIELDS: Final = frozenset({"id", "topic", "case", "refs"})
"""Fields whose values are ids or refer to one: an invisible character in them is an error."""


def hidden_characters(text: str, root: Node) -> list[YamlProblem]:
    """Characters written with escapes that may not appear, and zero-width ones, located.

    Only called when the text holds a zero-width character or an escape that could write one
    of these: a bank without either costs nothing here.
    """
    found: list[YamlProblem] = []
    for node, where in _scalars(root):
        value = node.value
        if FORBIDDEN.search(value) is None and ZERO_WIDTH.search(value) is None:
            continue
        start, end = node.start_mark.index, node.end_mark.index
        for offset, character, escaped in _characters_written(text, start, end, node.style):
            if FORBIDDEN.match(character):
                found.append(_control_problem(text, offset, character, escape=escaped))
            elif ZERO_WIDTH.match(character):
                found.append(_zero_width_problem(text, offset, character, where))
    return found


def _characters_written(
    text: str, start: int, end: int, style: str | None
) -> Iterator[tuple[int, str, bool]]:
    """``(offset, character, escaped)`` for each escape and each character of the scalar's
    source that could matter; escapes only in double quotes, where YAML has them."""
    if style != '"':
        for match in ZERO_WIDTH.finditer(text, start, end):
            yield match.start(), match.group(), False
        return
    for match in _IN_QUOTES.finditer(text, start, end):
        literal = match.group(1)
        if literal is not None:
            yield match.start(), literal, False
            continue
        escape = match.group()[1:]
        if escape[0] in "xuU" and len(escape) > 1:
            try:
                yield match.start(), chr(int(escape[1:], 16)), True
            except (ValueError, OverflowError):
                continue
        elif escape in _SIMPLE_ESCAPES:
            yield match.start(), _SIMPLE_ESCAPES[escape], True


def _zero_width_problem(text: str, offset: int, character: str, where: str) -> YamlProblem:
    line, column = line_column(text, offset)
    what = f"{codepoint(character)} ({_character_name(character)})"
    if where == "key" or where in _ID_FIELDS:
        place = "this key" if where == "key" else f"this {where}"
        return YamlProblem(
            "zero-width-id",
            f"{place} holds the invisible character {what}: two ids that look the same would "
            "differ; remove it",
            line,
            column,
        )
    return YamlProblem(
        "zero-width-text",
        f"this text holds the invisible character {what}; remove it unless it is meant "
        "(a joiner inside an emoji, say)",
        line,
        column,
    )


def _scalars(root: Node) -> Iterator[tuple[ScalarNode, str]]:
    """Every scalar node once, with ``"key"`` for keys or else the field it is the value of."""
    seen: set[int] = set()
    stack: list[tuple[Node, str]] = [(root, "")]
    while stack:
        node, field = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            yield node, field
        elif isinstance(node, SequenceNode):
            stack.extend((child, field) for child in node.value)
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                stack.append((key_node, "key"))
                name = key_node.value if isinstance(key_node, ScalarNode) else ""
                stack.append((value_node, name))
