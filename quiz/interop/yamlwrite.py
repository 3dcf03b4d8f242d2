"""Writing a bank as readable format-v1 YAML: block scalars for multi-line text, keys in the
order docs/authoring.md teaches them, short lists of words on one line.

The output reads back (with the project's loader or any YAML 1.1/1.2 reader) to the same Bank:
PyYAML quotes every string that a YAML 1.1 reader would take for something else (``no``,
``1.10``, ``on``).
"""

from __future__ import annotations

from typing import Any

import msgspec
import yaml

from quiz.domain.model import Bank

_QUESTION_ORDER = ("id", "type", "topic", "difficulty", "case", "prompt")
_FLOW_LIMIT = 70


class _BankDumper(yaml.SafeDumper):
    """SafeDumper with block scalars for multi-line text and flow style for short word lists."""


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    # Not for text ending in a blank line: that needs keep chomping ("|+"), whose trailing blank
    # lines would swallow the blank line written between questions.
    style = "|" if "\n" in text.strip("\n") and not text.endswith("\n\n") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[Any]) -> yaml.SequenceNode:
    flat = all(isinstance(item, str) and "\n" not in item for item in items)
    short = flat and sum(len(item) + 2 for item in items) <= _FLOW_LIMIT
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=short)


_BankDumper.add_representer(str, _represent_text)
_BankDumper.add_representer(list, _represent_list)


def _question_mapping(question: dict[str, Any]) -> dict[str, Any]:
    first = {key: question[key] for key in _QUESTION_ORDER if key in question}
    return first | {key: value for key, value in question.items() if key not in first}


def bank_yaml(bank: Bank, *, header: str = "") -> str:
    """``bank`` as YAML text; ``header`` (comment lines, each starting ``#``) goes on top."""
    data = msgspec.to_builtins(bank)
    data["questions"] = [_question_mapping(question) for question in data["questions"]]
    text = yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=100)
    # A blank line before the questions and between them, as the shipped banks are written. At
    # the start of a line "- id:" is a question: text in block scalars is indented.
    text = text.replace("\nquestions:\n", "\n\nquestions:\n").replace("\n- id:", "\n\n- id:")
    prefix = header if not header or header.endswith("\n") else header + "\n"
    return prefix + text
