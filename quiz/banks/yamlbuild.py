"""The node builder: a YAML node tree turned into plain dicts, lists and scalars.

It enforces the limits on depth and on alias expansion, refuses tags that are not YAML's core
ones, and reads each plain scalar as the field it is written in expects
(:mod:`quiz.banks.shapes`). The tag constants it shares with the loader are here too.
"""

from __future__ import annotations

from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.banks.diagnostics import YamlProblem, clip
from quiz.banks.shapes import ANY, Scalar, Shape

MAX_NODE_DEPTH: Final = 64
"""Deepest nesting accepted while building data; a bank needs fewer than ten levels."""

MAX_EXPANSION_FACTOR: Final = 10
MAX_EXPANSION_SLACK: Final = 10_000
"""Aliases may repeat a node, but the document with every alias expanded (counting each value
and each character of text) may not exceed this many times the file's length, plus some slack:
this stops "billion laughs" documents and a long text repeated thousands of times."""

STR = "tag:yaml.org,2002:str"
SEQ = "tag:yaml.org,2002:seq"
MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS: Final = frozenset(
    {
        STR,
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)
_constructor = yaml.SafeLoader("")  # used only for its int/float/bool scalar converters

IMPLICIT: Final = "?"
"""Prefix of the tag a plain scalar gets from its spelling (``?tag:yaml.org,2002:bool``), so
that the builder can tell ``no`` (text or false, as the field decides) from ``!!bool no``."""

MAX_NUMBER_CHARS: Final = 100
"""Longer plain scalars that look like numbers stay text: converting them is slow (YAML 1.1
base-60 numbers such as ``1:2:3:...``) or refused by Python (ints over 4,300 digits)."""

_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"


_TRUE: Final = frozenset({"true", "True", "TRUE", "yes", "Yes", "YES"})
_FALSE: Final = frozenset({"false", "False", "FALSE", "no", "No", "NO"})
_I_NULL: Final = IMPLICIT + _NULL
_I_BOOL: Final = IMPLICIT + _BOOL
_I_INT: Final = IMPLICIT + _INT
_I_FLOAT: Final = IMPLICIT + _FLOAT


class Builder:
    """Turns a node tree into dicts, lists and scalars, enforcing the limits above.

    One walk builds the data and measures how large it would be with every alias expanded
    (a scalar weighs one plus its length). A node reached again through an alias is built once
    and shared, as PyYAML does, so an alias bomb is refused before it costs memory.

    Each node is built with the :class:`~quiz.banks.shapes.Shape` of the place it is written
    in, which decides how a plain scalar is read: text in a text field, true/false in a
    true/false field, a number in a number field.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.expanded = 0
        self.built: dict[int, tuple[Any, int, Shape]] = {}
        self.problems: list[YamlProblem] = []

    def build(self, root: Node, shape: Shape = ANY) -> Any:
        return self._value(root, 0, shape)

    def _value(self, node: Node, depth: int, shape: Shape) -> Any:
        if node.__class__ is ScalarNode:
            value = node.value
            self.expanded += 1 + len(value)
            tag = node.tag
            if tag == STR:
                return value
            if tag[0] == IMPLICIT:
                return self._plain(node, tag, shape.scalar)
            return self._scalar(node, tag)
        known = self.built.get(id(node))
        # A shared node is built again if an alias uses it where another shape is expected.
        if known is not None and known[2] is shape:
            data, size, _ = known
            if size < 0:
                raise self._located(
                    node, "too-deep", "an alias refers to the collection that contains it"
                )
            self.expanded += size
            if self.expanded > self.budget:
                raise self._bomb(node)
            return data
        if depth >= MAX_NODE_DEPTH:
            raise self._located(node, "too-deep", f"nested more than {MAX_NODE_DEPTH} levels deep")
        if known is not None and known[1] < 0:
            raise self._located(
                node, "too-deep", "an alias refers to the collection that contains it"
            )
        self.built[id(node)] = (None, -1, shape)
        start = self.expanded
        self.expanded += 1
        depth += 1
        result: Any
        if isinstance(node, SequenceNode):
            if node.tag != SEQ:
                self._forbidden(node)
                result = None
            else:
                items = shape.items
                value_of = self._value
                result = [value_of(child, depth, items) for child in node.value]
        elif node.tag != MAP or not isinstance(node, MappingNode):
            self._forbidden(node)
            result = None
        else:
            result = self._mapping(node, depth, shape)
        self.built[id(node)] = (result, self.expanded - start, shape)
        if self.expanded > self.budget:
            raise self._bomb(node)
        return result

    def _mapping(self, node: MappingNode, depth: int, shape: Shape) -> dict[str, Any]:
        result: dict[str, Any] = {}
        fields = shape.fields
        values = shape.values
        field_shape = None if fields is None else fields.get
        value_of = self._value  # looked up once: this loop runs for every key of the bank
        for key_node, value_node in node.value:
            if key_node.__class__ is not ScalarNode:
                if key_node.tag not in (SEQ, MAP):
                    self._forbidden(key_node)
                else:
                    self._problem(
                        key_node, "wrong-type", "a key must be plain text, not a list or mapping"
                    )
                continue
            tag = key_node.tag
            if tag != STR and tag[0] != IMPLICIT and tag not in _SCALAR_TAGS:
                self._forbidden(key_node)
                continue
            key = key_node.value
            self.expanded += 1 + len(key)
            if key in result:
                self._problem(
                    key_node,
                    "duplicate-key",
                    f"key '{clip(key)}' appears twice in the same mapping; "
                    "only the last one counts",
                )
            if value_node.__class__ is ScalarNode and value_node.tag == STR:
                # Text read as text wherever it is: the common case, with no shape to look up.
                text = value_node.value
                self.expanded += 1 + len(text)
                result[key] = text
                continue
            child = values if field_shape is None else field_shape(key, ANY)
            result[key] = value_of(value_node, depth, child)
        return result

    def _plain(self, node: ScalarNode, tag: str, kind: Scalar) -> Any:
        """A plain scalar whose spelling looks like null, true/false, a number or a date."""
        if tag == _I_NULL:
            return None
        value = node.value
        if kind is Scalar.TEXT:
            return value
        if kind is Scalar.BOOL:
            if tag == _I_BOOL:
                if value in _TRUE:
                    return True
                if value in _FALSE:
                    return False
            return value  # on, off, 1: not true/false here; the validator says what is wanted
        if kind is Scalar.NUMBER:
            return self._scalar(node, tag[1:]) if tag in (_I_INT, _I_FLOAT) else value
        if tag in (_I_BOOL, _I_INT, _I_FLOAT):
            return self._scalar(node, tag[1:])
        return value  # dates, `=` and `<<` stay text

    def _scalar(self, node: ScalarNode, tag: str) -> Any:
        if tag not in _SCALAR_TAGS:
            return self._forbidden(node)
        if tag == _NULL:
            return None
        if tag == "tag:yaml.org,2002:timestamp" or len(node.value) > MAX_NUMBER_CHARS:
            return node.value  # dates stay text: "2026-11-24"
        try:
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(node)
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            return _constructor.construct_yaml_float(node)
        except (ArithmeticError, LookupError, ValueError, TypeError):
            # Only an explicit tag (`!!int abc`) gets here; implicit ones matched a pattern.
            kind = {_BOOL: "true or false", _INT: "a whole number"}.get(tag, "a number")
            self._problem(
                node, "wrong-type", f"'{clip(node.value)}' is tagged as {kind} but is not one"
            )
            return node.value

    def _located(self, node: Node, code: str, message: str) -> YamlProblem:
        mark = node.start_mark
        return YamlProblem(code, message, mark.line + 1, mark.column + 1)

    def _bomb(self, node: Node) -> YamlProblem:
        return self._located(
            node,
            "alias-bomb",
            f"aliases expand this document to more than {self.budget:,} values and characters, "
            "ten times what is written; banks may not use aliases this way",
        )

    def _problem(self, node: Node, code: str, message: str) -> None:
        self.problems.append(self._located(node, code, message))

    def _forbidden(self, node: Node) -> None:
        tag = clip(node.tag.replace("tag:yaml.org,2002:", "!!"))
        self._problem(
            node,
            "forbidden-tag",
            f"YAML tag '{tag}' is not allowed; banks hold plain text, numbers, lists and mappings",
        )
