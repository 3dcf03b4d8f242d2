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

This module holds the pre-parse checks (size, encoding, nesting), the loader and the parse
itself, and :class:`ParsedYaml`; the node builder and scalar typing are in
:mod:`quiz.banks.yamlbuild`, and the search for hidden characters in :mod:`quiz.banks.yamlchars`.
"""

from __future__ import annotations

import codecs
import re
from typing import Any, Final

import msgspec
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from quiz.banks.diagnostics import YamlProblem, check_size
from quiz.banks.shapes import BANK, Shape
from quiz.banks.yamlbuild import (
    IMPLICIT,
    MAP,
    MAX_EXPANSION_FACTOR,
    MAX_EXPANSION_SLACK,
    SEQ,
    STR,
    Builder,
)
from quiz.banks.yamlchars import ESCAPE, HIDDEN, hidden_characters, line_column, stand_in
from quiz.domain.text import FORBIDDEN, ZERO_WIDTH

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only where PyYAML was built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_TEXT_NESTING: Final = 1000
"""Guard before parsing: libyaml's composer recurses per level and crashes the whole process
(a segfault, not an exception) on flow nesting tens of thousands of levels deep."""

Path = tuple[str | int, ...]

# PyYAML's implicit resolvers by a scalar's first character ("" for the empty scalar).
_RESOLVERS: Final = {
    first: tuple((IMPLICIT + tag, pattern) for tag, pattern in resolvers)
    for first, resolvers in _Loader.yaml_implicit_resolvers.items()
}
assert None not in _RESOLVERS and not _Loader.yaml_path_resolvers  # as resolve() below assumes


class _BankLoader(_Loader):
    """The safe loader with a faster tag resolver, which marks the tags it guesses.

    A plain scalar's tag as YAML 1.1 guesses it from the spelling gets the ``?`` prefix
    (:data:`~quiz.banks.yamlbuild.IMPLICIT`), so that the builder can read it as its field expects.

    libyaml's composer calls back into Python to resolve every node's tag; PyYAML's general
    resolver (path resolvers, a wildcard list built per call) costs a tenth of the parse.
    """

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                for tag, pattern in _RESOLVERS.get(value[:1], ()):
                    if pattern.match(value):
                        return tag
            return STR
        return SEQ if kind is SequenceNode else MAP

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


_OTHER_BOMS: Final = (
    (codecs.BOM_UTF32_LE, "UTF-32"),  # before UTF-16 LE: its mark starts with that one's
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode(raw: bytes) -> str:
    """UTF-8 text of a bank file, without a byte-order mark and with LF line ends only."""
    for mark, name in _OTHER_BOMS:
        if raw.startswith(mark):
            raise YamlProblem(
                "encoding",
                f"the file is saved as {name} (it starts with a {name} byte-order mark); "
                "bank files are UTF-8: save it as UTF-8",
                1,
                1,
            )
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
                    line, column = line_column(text, match.start())
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
    first = None if text.isascii() else HIDDEN.search(text)
    if first is not None and FORBIDDEN.search(text, first.start()) is not None:
        text, problems = stand_in(text)
    try:
        root = _compose(text)
    except YamlProblem as problem:
        if problems or problem.code != "yaml-syntax" or FORBIDDEN.search(text) is None:
            problem.also = problems
            raise
        # An ASCII control character: libyaml refused it; say what it is, and read on.
        text, problems = stand_in(text)
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
    builder = Builder(MAX_EXPANSION_FACTOR * len(text) + MAX_EXPANSION_SLACK)
    try:
        data = builder.build(root, shape)
    except YamlProblem as problem:
        problem.also = problems
        raise
    if ("\\" in text and ESCAPE.search(text) is not None) or (
        first is not None and ZERO_WIDTH.search(text, first.start()) is not None
    ):
        problems.extend(hidden_characters(text, root))
    return ParsedYaml(data, root, (*problems, *builder.problems))


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


def _byte_position(text: str, position: int | None) -> tuple[int, int]:
    if position is None:
        return 0, 0
    # libyaml counts bytes of the UTF-8 encoding; columns are counted in characters.
    characters = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
    return line_column(text, characters)
