"""Reading bank YAML safely, keeping the way back to line and column.

PyYAML's C composer (libyaml) builds the node tree; this module turns nodes into plain Python
data itself instead of using a constructor, for three reasons:

* nothing but plain data can come out: a node whose tag is not one of YAML's core scalar and
  collection tags (``!!python/object``, ``!custom``...) is a diagnostic, and no tag ever runs code;
* every mapping key is kept as the text the author typed, so ``on:`` or ``no:`` stay keys and
  unquoted dates stay strings (YAML 1.1 would turn them into ``True`` and ``datetime.date``);
* duplicate keys, alias bombs and recursive aliases are caught instead of silently accepted.

The node tree is kept so that a diagnostic about ``questions[3].choices[1].why`` can be turned
into the line and column of that value only when a diagnostic needs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - only where PyYAML was built without libyaml
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

MAX_FILE_BYTES: Final = 32 * 1024 * 1024
"""Banks larger than this are refused before parsing (10,000 questions take about 10 MB)."""

MAX_TEXT_NESTING: Final = 1000
"""Guard before parsing: libyaml's composer recurses per level and crashes the whole process
(a segfault, not an exception) on flow nesting tens of thousands of levels deep."""

MAX_NODE_DEPTH: Final = 64
"""Deepest nesting accepted while building data; a bank needs fewer than ten levels."""

MAX_EXPANSION_FACTOR: Final = 10
MAX_EXPANSION_SLACK: Final = 10_000
"""Aliases may repeat a node, but the expanded document may not exceed this many times the
written one (plus some slack), which stops "billion laughs" documents."""

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


class YamlProblem(Exception):
    """The file cannot be turned into data; carries a located diagnostic's parts."""

    def __init__(self, code: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class ParsedYaml:
    """Plain data from one YAML document, plus its node tree for locating diagnostics."""

    data: Any
    root: Node
    problems: tuple[YamlProblem, ...] = ()
    """Non-fatal problems (duplicate keys, forbidden tags): the data is usable around them."""

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
    """UTF-8 text of a bank file, without a byte-order mark and with LF line ends."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        raise YamlProblem(
            "encoding",
            f"not valid UTF-8: byte 0x{raw[error.start]:02x} cannot start a character; "
            "save the file as UTF-8",
            line,
            column,
        ) from None
    return text.replace("\r\n", "\n") if "\r" in text else text


def _check_text_nesting(text: str) -> None:
    """Refuse text nested so deep that libyaml itself would crash on it."""
    if text.count("[") + text.count("{") > MAX_TEXT_NESTING:
        depth = 0
        line = 1
        line_start = 0
        for match in re.finditer(r"[\[\]{}\n]", text):
            char = match.group()
            if char == "\n":
                line += 1
                line_start = match.end()
            elif char in "[{":
                depth += 1
                if depth > MAX_TEXT_NESTING:
                    raise YamlProblem(
                        "too-deep",
                        f"brackets nested more than {MAX_TEXT_NESTING} levels deep",
                        line,
                        match.start() - line_start + 1,
                    )
            else:
                depth = max(0, depth - 1)
    block = re.search(
        r"^(?:[ \t]{%d,}|(?:[ \t]*[-?][ \t]+){%d,})" % (MAX_TEXT_NESTING, MAX_TEXT_NESTING // 2),
        text,
        re.MULTILINE,
    )
    if block:
        line = text.count("\n", 0, block.start()) + 1
        raise YamlProblem(
            "too-deep", f"indentation nested more than {MAX_TEXT_NESTING} levels deep", line, 1
        )


def parse(raw: bytes) -> ParsedYaml:
    """Parse one bank file's bytes into plain data.

    Raises:
        YamlProblem: for anything that stops the file from being read as data at all.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            "file-too-large",
            f"file is {len(raw) / 1e6:.1f} MB; banks are limited to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MiB (split it into several banks)",
        )
    text = decode(raw)
    _check_text_nesting(text)
    loader = _Loader(text)
    try:
        root = _single_node(loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = _syntax_message(error)
        raise YamlProblem(
            "yaml-syntax", message, mark.line + 1 if mark else 0, mark.column + 1 if mark else 0
        ) from None
    except yaml.YAMLError as error:
        # Reader errors (control characters and the like) carry a position, not a mark.
        line, column = _position(text, getattr(error, "position", None))
        raise YamlProblem("yaml-syntax", _first_line(str(error)), line, column) from None
    finally:
        loader.dispose()
    if root is None:
        raise YamlProblem("empty-file", "the file is empty; start from `ims-quiz new-bank`")
    builder = _Builder()
    data = builder.build(root)
    return ParsedYaml(data, root, tuple(builder.problems))


def _single_node(loader: Any) -> Node | None:
    if not loader.check_node():
        return None
    root = loader.get_node()
    if loader.check_node():
        extra = loader.get_node()
        mark = extra.start_mark
        raise YamlProblem(
            "multiple-documents",
            "a second YAML document starts here (`---`); one file holds one bank",
            mark.line + 1,
            mark.column + 1,
        )
    return root


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or "invalid YAML"
    if error.context:
        problem = f"{error.context}: {problem}"
    if "'\\t'" in problem or "\\t" in problem:
        problem += " (YAML does not allow tabs for indentation; use spaces)"
    return problem


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "invalid YAML"


def _position(text: str, position: int | None) -> tuple[int, int]:
    if position is None:
        return 0, 0
    line = text.count("\n", 0, position) + 1
    return line, position - (text.rfind("\n", 0, position) + 1) + 1


class _Builder:
    """Turns a node tree into dicts, lists and scalars, enforcing the limits above."""

    def __init__(self) -> None:
        self.sizes: dict[int, int] = {}
        self.problems: list[YamlProblem] = []

    def build(self, root: Node) -> Any:
        written = self._count_written(root)
        expanded = self._expanded_size(root, 0)
        if expanded > written * MAX_EXPANSION_FACTOR + MAX_EXPANSION_SLACK:
            mark = root.start_mark
            raise YamlProblem(
                "alias-bomb",
                f"aliases expand this document to {expanded:,} values from {written:,} written; "
                "banks may not use aliases this way",
                mark.line + 1,
                mark.column + 1,
            )
        return self._value(root)

    def _count_written(self, root: Node) -> int:
        seen: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, SequenceNode):
                stack.extend(node.value)
            elif isinstance(node, MappingNode):
                for key_node, value_node in node.value:
                    stack.append(key_node)
                    stack.append(value_node)
        return len(seen)

    def _expanded_size(self, node: Node, depth: int) -> int:
        known = self.sizes.get(id(node))
        if known is not None:
            return known
        if depth > MAX_NODE_DEPTH:
            mark = node.start_mark
            raise YamlProblem(
                "too-deep",
                f"nested more than {MAX_NODE_DEPTH} levels deep (or an alias that contains itself)",
                mark.line + 1,
                mark.column + 1,
            )
        size = 1
        if isinstance(node, SequenceNode):
            for child in node.value:
                size += self._expanded_size(child, depth + 1)
        elif isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                size += 1 + self._expanded_size(value_node, depth + 1)
        self.sizes[id(node)] = size
        return size

    def _value(self, node: Node) -> Any:
        if isinstance(node, ScalarNode):
            tag = node.tag
            if tag == _STR:
                return node.value
            if tag not in _SCALAR_TAGS:
                return self._forbidden(node)
            if tag == "tag:yaml.org,2002:timestamp":
                return node.value  # dates stay text: "2026-11-24"
            if tag == "tag:yaml.org,2002:null":
                return None
            if tag == "tag:yaml.org,2002:bool":
                return _constructor.construct_yaml_bool(node)
            if tag == "tag:yaml.org,2002:int":
                return _constructor.construct_yaml_int(node)
            return _constructor.construct_yaml_float(node)
        if isinstance(node, SequenceNode):
            if node.tag != _SEQ:
                return self._forbidden(node)
            return [self._value(child) for child in node.value]
        if node.tag != _MAP:
            return self._forbidden(node)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                self._problem(key_node, "wrong-type", "a key must be plain text, not a list or mapping")
                continue
            key = key_node.value
            if key in result:
                self._problem(
                    key_node,
                    "duplicate-key",
                    f"key '{key}' appears twice in the same mapping; only the last one counts",
                )
            result[key] = self._value(value_node)
        return result

    def _problem(self, node: Node, code: str, message: str) -> None:
        mark = node.start_mark
        self.problems.append(YamlProblem(code, message, mark.line + 1, mark.column + 1))

    def _forbidden(self, node: Node) -> None:
        self._problem(
            node,
            "forbidden-tag",
            f"YAML tag '{node.tag}' is not allowed; banks hold plain text, numbers, lists and "
            "mappings",
        )
