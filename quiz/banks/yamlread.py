"""Reading bank YAML safely, keeping the way back to line and column.

PyYAML's C composer (libyaml) builds the node tree; this module turns nodes into plain Python
data itself instead of using a constructor, for three reasons:

* nothing but plain data can come out: a node whose tag is not one of YAML's core scalar and
  collection tags (``!!python/object``, ``!custom``...) is a diagnostic, and no tag ever runs code;
* every mapping key is kept as the text the author typed, so ``on:`` or ``no:`` stay keys and
  unquoted dates stay strings (YAML 1.1 would turn them into ``True`` and ``datetime.date``);
* every plain scalar is read as the model's field there expects (:mod:`quiz.banks.shapes`):
  ``why: no`` is the text "no" and ``version: 1.10`` the text "1.10", as YAML 1.2 and the
  editor read them, while ``correct: yes`` is true and ``difficulty: 2`` a number;
* duplicate keys, alias bombs and recursive aliases are caught instead of silently accepted;
* characters a bank may not hold (:data:`quiz.domain.text.FORBIDDEN`, typed or written as a
  double-quoted escape) and zero-width ones are reported at their line and column.

The node tree is kept so that a diagnostic about ``questions[3].choices[1].why`` can be turned
into the line and column of that value only when a diagnostic needs it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Any, Final

import msgspec
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.banks.diagnostics import YamlProblem, check_size, clip
from quiz.banks.shapes import ANY, BANK, Scalar, Shape
from quiz.domain.text import FORBIDDEN, ZERO_WIDTH, codepoint

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only where PyYAML was built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_TEXT_NESTING: Final = 1000
"""Guard before parsing: libyaml's composer recurses per level and crashes the whole process
(a segfault, not an exception) on flow nesting tens of thousands of levels deep."""

MAX_NODE_DEPTH: Final = 64
"""Deepest nesting accepted while building data; a bank needs fewer than ten levels."""

MAX_EXPANSION_FACTOR: Final = 10
MAX_EXPANSION_SLACK: Final = 10_000
"""Aliases may repeat a node, but the document with every alias expanded (counting each value
and each character of text) may not exceed this many times the file's length, plus some slack:
this stops "billion laughs" documents and a long text repeated thousands of times."""

Path = tuple[str | int, ...]

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALAR_TAGS: Final = frozenset(
    {
        _STR,
        "tag:yaml.org,2002:null",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
        "tag:yaml.org,2002:timestamp",
    }
)
_constructor = yaml.SafeLoader("")  # used only for its int/float/bool scalar converters

_IMPLICIT: Final = "?"
"""Prefix of the tag a plain scalar gets from its spelling (``?tag:yaml.org,2002:bool``), so
that the builder can tell ``no`` (text or false, as the field decides) from ``!!bool no``."""

# PyYAML's implicit resolvers by a scalar's first character ("" for the empty scalar).
_RESOLVERS: Final = {
    first: tuple((_IMPLICIT + tag, pattern) for tag, pattern in resolvers)
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
assert None not in _RESOLVERS and not _Loader.yaml_path_resolvers  # as resolve() below assumes


class _BankLoader(_Loader):
    """The safe loader with a faster tag resolver, which marks the tags it guesses.

    A plain scalar's tag as YAML 1.1 guesses it from the spelling gets the ``?`` prefix
    (:data:`_IMPLICIT`), so that the builder can read it as its field expects.

    libyaml's composer calls back into Python to resolve every node's tag; PyYAML's general
    resolver (path resolvers, a wildcard list built per call) costs a tenth of the parse.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in _RESOLVERS.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        """No path resolvers: nothing to track."""

    def ascend_resolver(self) -> None:
        """No path resolvers: nothing to track."""


class ParsedYaml(msgspec.Struct, frozen=True):
    """Plain data from one YAML document, plus its node tree for locating diagnostics."""

    data: Any
    root: Node
    problems: tuple[YamlProblem, ...] = ()
    """Non-fatal problems (duplicate keys, forbidden tags, control and zero-width characters):
    the data is usable around them, and the validator decides what they cost."""

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """Line and column (1-based) of the value at ``path``, or of its key if ``key``.

        When the path leads somewhere that does not exist (a missing field, say) the nearest
        existing ancestor is returned, which is where the author has to add it.
        """
        node = self.root
        key_node: Node | None = None
        for step in path:
            child, child_key = _child(node, step)
            if child is None:
                break
            node, key_node = child, child_key
        else:
            if key and key_node is not None:
                node = key_node
        mark = node.start_mark
        return mark.line + 1, mark.column + 1

    def node_at(self, path: Path) -> Node | None:
        """The node of the value at ``path``, or ``None`` when there is none."""
        node: Node | None = self.root
        for step in path:
            if node is None:
                return None
            node, _ = _child(node, step)
        return node

    def parent_mapping(self, path: Path) -> MappingNode | None:
        """The mapping node that holds the key at the end of ``path``, if any."""
        parent = self.node_at(path[:-1])
        return parent if isinstance(parent, MappingNode) else None

    def index_at(self, path: Path, line: int, column: int) -> int | None:
        """Index of the item of the sequence at ``path`` that spans ``line``:``column``."""
        node = self.node_at(path)
        if not isinstance(node, SequenceNode):
            return None
        where = (line - 1, column - 1)
        for index, item in enumerate(node.value):
            start, end = item.start_mark, item.end_mark
            if (start.line, start.column) <= where < (end.line, end.column):
                return index
        return None


def _child(node: Node, step: str | int) -> tuple[Node | None, Node | None]:
    if isinstance(node, MappingNode) and isinstance(step, str):
        found: tuple[Node | None, Node | None] = (None, None)
        for key_node, value_node in node.value:
            if isinstance(key_node, ScalarNode) and key_node.value == step:
                found = (value_node, key_node)  # the last duplicate wins, as in the data
        return found
    if isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
        return node.value[step], None
    return None, None


def decode(raw: bytes) -> str:
    """UTF-8 text of a bank file, without a byte-order mark and with LF line ends only."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise YamlProblem(
            "encoding",
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} cannot start a character; "
            "save the file as UTF-8",
            line,
            column,
        ) from None
    # A lone CR (old Mac files) is a line break to YAML and to editors alike.
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_BRACKETS = re.compile(r"[\[\]{}]")
# Possessive quantifiers (Python 3.11+) keep this linear: a line of 499 "-  " must not make
# the engine try every way of splitting its spaces.
_DEEP_BLOCK = re.compile(
    rf"^(?:[ \t]{{{MAX_TEXT_NESTING},}}|(?:[ \t]*+[-?:][ \t]++){{{MAX_TEXT_NESTING // 2},}})",
    re.MULTILINE,
)


def _check_text_nesting(text: str) -> None:
    """Refuse text nested so deep that libyaml itself would crash on it.

    This looks at characters, not at YAML, so brackets inside quoted text count too: a real bank
    would need more than ``MAX_TEXT_NESTING`` unclosed ``[`` or ``{`` to be refused.
    """
    if text.count("[") + text.count("{") > MAX_TEXT_NESTING:
        depth = 0
        for index, char in enumerate(_BRACKETS.findall(text)):
            if char == "[" or char == "{":
                depth += 1
                if depth > MAX_TEXT_NESTING:
                    match = next(m for i, m in enumerate(_BRACKETS.finditer(text)) if i == index)
                    line, column = _position(text, match.start())
                    raise YamlProblem(
                        "too-deep",
                        f"brackets nested more than {MAX_TEXT_NESTING} levels deep",
                        line,
                        column,
                    )
            elif depth:
                depth -= 1
    block = _DEEP_BLOCK.search(text)
    if block:
        line = text.count("\n", 0, block.start()) + 1
        raise YamlProblem(
            "too-deep", f"indentation nested more than {MAX_TEXT_NESTING} levels deep", line, 1
        )


def parse(raw: bytes, shape: Shape = BANK) -> ParsedYaml:
    """Parse one bank file's bytes into plain data, each plain scalar read as ``shape`` expects.

    Raises:
        YamlProblem: for anything that stops the file from being read as data at all; when
            characters that may not appear in a bank were found first, they come along in its
            ``also``.
    """
    check_size(len(raw))
    text = decode(raw)
    _check_text_nesting(text)
    problems: list[YamlProblem] = []
    # ASCII text: libyaml itself refuses every control character, and there is no other
    # character to look for. Otherwise one pass finds the first of either kind, if any.
    first = None if text.isascii() else _HIDDEN.search(text)
    if first is not None and FORBIDDEN.search(text, first.start()) is not None:
        text, problems = _stand_in(text)
    try:
        root = _compose(text)
    except YamlProblem as problem:
        if problems or problem.code != "yaml-syntax" or FORBIDDEN.search(text) is None:
            problem.also = problems
            raise
        # An ASCII control character: libyaml refused it; say what it is, and read on.
        text, problems = _stand_in(text)
        try:
            root = _compose(text)
        except YamlProblem as again:
            again.also = problems
            raise
    if root is None:
        if problems:  # only comments, with characters a bank may not hold
            problems[0].also = problems[1:]
            raise problems[0]
        raise YamlProblem("empty-file", "the file is empty; start from `ims-quiz new-bank`")
    builder = _Builder(MAX_EXPANSION_FACTOR * len(text) + MAX_EXPANSION_SLACK)
    try:
        data = builder.build(root, shape)
    except YamlProblem as problem:
        problem.also = problems
        raise
    if ("\\" in text and _ESCAPE.search(text) is not None) or (
        first is not None and ZERO_WIDTH.search(text, first.start()) is not None
    ):
        problems.extend(_hidden_characters(text, root))
    return ParsedYaml(data, root, (*problems, *builder.problems))


def _stand_in(text: str) -> tuple[str, list[YamlProblem]]:
    """Each character a bank may not hold, reported where it is, and the text with each one
    replaced by U+FFFD, so that reading it on reports every other mistake in the same run.

    libyaml refuses most of these outright, and would stop at the first.
    """
    problems = [
        _control_problem(text, match.start(), match.group()) for match in FORBIDDEN.finditer(text)
    ]
    return FORBIDDEN.sub("\ufffd", text), problems


def _compose(text: str) -> Node | None:
    """The one document's node tree, or ``None`` for an empty file.

    Raises:
        YamlProblem: ``yaml-syntax`` or ``multiple-documents``.
    """
    loader = _BankLoader(text)
    try:
        return _single_node(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if error.context_mark is not None and "end of stream" in (error.problem or ""):
            mark = error.context_mark  # an unclosed quote or bracket: point at where it opens
        message = _syntax_message(error, text)
        raise YamlProblem(
            "yaml-syntax", message, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0
        ) from None
    except yaml.YAMLError as error:
        # Reader errors (control characters and the like) carry a byte offset, not a mark.
        line, column = _byte_position(text, getattr(error, "position", None))
        raise YamlProblem("yaml-syntax", _first_line(str(error)), line, column) from None
    finally:
        loader.dispose()


def _character_name(character: str) -> str:
    name = unicodedata.name(character, "")
    if unicodedata.category(character) == "Cc":
        return "a control character"
    return f"{name.lower()}" if name else "an invisible character"


def _control_problem(text: str, offset: int, character: str, escape: bool = False) -> YamlProblem:
    line, column = _position(text, offset)
    written = "the escape here writes" if escape else "this text holds"
    return YamlProblem(
        "control-character",
        f"{written} {codepoint(character)} ({_character_name(character)}), which may not appear "
        "in a bank: it could drive the terminal or hide what the text says; remove it",
        line,
        column,
    )


_HIDDEN: Final = re.compile(f"{FORBIDDEN.pattern}|{ZERO_WIDTH.pattern}")
"""A character that may not appear (:data:`FORBIDDEN`) or should not (:data:`ZERO_WIDTH`)."""

_ESCAPE: Final = re.compile(r"\\(?:[0abvfreN]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
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


def _hidden_characters(text: str, root: Node) -> list[YamlProblem]:
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
    line, column = _position(text, offset)
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


def _single_node(loader: Any) -> Node | None:
    if not loader.check_node():
        return None
    root: Node = loader.get_node()
    if not loader.check_event(yaml.StreamEndEvent):
        event = loader.peek_event()  # the second document's start: its `---` when written
        mark = event.start_mark
        raise YamlProblem(
            "multiple-documents",
            "a second YAML document starts here (`---`); one file holds one bank",
            mark.line + 1,
            mark.column + 1,
        )
    return root


def _syntax_message(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = error.problem or "invalid YAML"
    if problem == "second occurrence" and error.context_mark is not None:
        # libyaml words this as two halves of one sentence
        return (
            f"anchor defined a second time (first at line {error.context_mark.line + 1}); "
            "give each anchor its own name"
        )
    if "end of stream" in problem and error.context:
        if "quoted scalar" in error.context:
            return "the quote that opens here is never closed before the end of the file"
        opened = error.context.removeprefix("while scanning ").removeprefix("while parsing ")
        return f"{opened} that starts here is never closed before the end of the file"
    opened_at = error.context_mark
    if error.context and "flow" in error.context and opened_at is not None:
        bracket = "list" if "sequence" in error.context else "mapping"
        return (
            f"{problem} (in the {bracket} opened at line {opened_at.line + 1}, column "
            f"{opened_at.column + 1}: is a bracket or comma missing?)"
        )
    if error.context:
        problem = f"{error.context}: {problem}"
    mark = error.problem_mark
    at_tab = mark is not None and mark.index < len(text) and text[mark.index] == "\t"
    if at_tab or "tab" in problem:
        problem += " (YAML does not allow tabs for indentation; use spaces)"
    return problem


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid YAML"


def _position(text: str, position: int) -> tuple[int, int]:
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


def _byte_position(text: str, position: int | None) -> tuple[int, int]:
    if position is None:
        return 0, 0
    # libyaml counts bytes of the UTF-8 encoding; columns are counted in characters.
    characters = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    return _position(text, characters)


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
_I_NULL: Final = _IMPLICIT + _NULL
_I_BOOL: Final = _IMPLICIT + _BOOL
_I_INT: Final = _IMPLICIT + _INT
_I_FLOAT: Final = _IMPLICIT + _FLOAT


class _Builder:
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
            if tag == _STR:
                return value
            if tag[0] == _IMPLICIT:
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
            if node.tag != _SEQ:
                self._forbidden(node)
                result = None
            else:
                items = shape.items
                value_of = self._value
                result = [value_of(child, depth, items) for child in node.value]
        elif node.tag != _MAP or not isinstance(node, MappingNode):
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
                if key_node.tag not in (_SEQ, _MAP):
                    self._forbidden(key_node)
                else:
                    self._problem(
                        key_node, "wrong-type", "a key must be plain text, not a list or mapping"
                    )
                continue
            tag = key_node.tag
            if tag != _STR and tag[0] != _IMPLICIT and tag not in _SCALAR_TAGS:
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
            if value_node.__class__ is ScalarNode and value_node.tag == _STR:
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
