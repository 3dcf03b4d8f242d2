"""The validator explains a ``short`` pattern RE2 cannot run, at the pattern's own location."""

from __future__ import annotations

from pathlib import Path

import pytest
from bank_helpers import brief, load_text

BANK = """\
format: 1
id: patterns
title: Patterns
topics:
  t: T
sources:
  s: S.
questions:
  - id: root
    type: short
    topic: t
    difficulty: 1
    prompt: Which root?
    answers: [C7]
    patterns: ['^c\\s*7$', {pattern}]
    explanation: C7.
    refs: [s]
"""


@pytest.mark.parametrize(
    ("pattern", "says"),
    [
        (r"(c)\1", "uses backreferences (\\1)"),
        (r"c(?=7)", "uses lookahead or lookbehind"),
        (r"(?<!t)7", "uses lookahead or lookbehind"),
        (r"^c(7$", "is not a valid regular expression: missing ), unterminated subpattern"),
        (r"\pL{30}", "is too large"),
    ],
)
def test_a_pattern_re2_cannot_run_is_an_error_at_the_pattern(
    tmp_path: Path, pattern: str, says: str
) -> None:
    loaded = load_text(tmp_path, BANK.format(pattern=f"'{pattern}'"))
    assert brief(loaded.diagnostics) == [("bad-pattern", 15, 27, "root")]
    (diagnostic,) = loaded.diagnostics
    assert diagnostic.message.startswith(f"pattern {pattern!r} {says}")


def test_patterns_re2_runs_are_clean(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, BANK.format(pattern=r"'^(\w+\s*)+$'"))
    assert loaded.ok and loaded.diagnostics == []
