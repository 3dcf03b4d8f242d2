"""``short`` answer patterns: RE2 semantics, bounded matching, and what is refused and why.

Grading time is bounded by construction, not by a timer: every pattern is an RE2 program (no
backtracking, at most one step per instruction per byte of the answer), no program the grader
uses is larger than ``MAX_PATTERN_SIZE`` instructions, and no answer matched against a pattern
is longer than ``MAX_PATTERN_ANSWER`` characters. The tests check each of those three facts; the
real timings are in ``benchmarks/bench_patterns.py``.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from quiz.domain.grading import (
    MAX_PATTERN_ANSWER,
    MAX_PATTERN_SIZE,
    TextResponse,
    _compiled,
    grade_response,
    pattern_problem,
    short_answer_accepted,
)
from quiz.domain.model import ShortAnswer

COMMON = {"topic": "t", "prompt": "P", "refs": ["s"], "difficulty": 1}
CATASTROPHIC = r"^(\w+\s*)+$"  # exponential in `re` on any sentence that ends in punctuation


def short(*patterns: str) -> ShortAnswer:
    return ShortAnswer(id="q", answers=["unused answer"], patterns=list(patterns), **COMMON)


def test_patterns_are_compiled_to_re2_programs_once() -> None:
    compiled = _compiled(CATASTROPHIC)
    assert isinstance(compiled, re2._Regexp)  # RE2: an automaton, never a backtracking search
    assert _compiled(CATASTROPHIC) is compiled  # compiled once, then cached


def test_the_catastrophic_pattern_grades_an_ordinary_sentence() -> None:
    sentence = "The needle goes straight into the sharps container, never recapped!"
    question = short(CATASTROPHIC)
    assert not short_answer_accepted(question, sentence)
    assert short_answer_accepted(question, "straight into the sharps container")


def test_grading_the_longest_answer_against_a_catastrophic_pattern_finishes() -> None:
    # With `re` this is about 2**60 steps: it would never finish. The timeout is generous: with
    # RE2 it is a few thousand steps, and the child takes as long as starting Python does.
    code = textwrap.dedent(
        f"""
        from quiz.domain.grading import TextResponse, grade_response, MAX_PATTERN_ANSWER
        from quiz.domain.model import ShortAnswer
        q = ShortAnswer(id="q", topic="t", prompt="P", refs=["s"], difficulty=1,
                        patterns=[{CATASTROPHIC!r}, r"(a|aa)*b", r"(x+x+)+y", r"(.*a){{20}}b"])
        for start in ("word ", "a", "x"):  # each ends in "!", so no pattern matches
            text = (start * MAX_PATTERN_ANSWER)[: MAX_PATTERN_ANSWER - 1] + "!"
            assert grade_response(q, TextResponse(text)).score == 0.0, text
        print("done")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "done"


def test_fullmatch_ignoring_case_on_the_collapsed_answer() -> None:
    question = short(r"c\s*7 root", r"(?i)^l\s*-?\s*5$", "straße")
    assert short_answer_accepted(question, "  C  7   ROOT ")
    assert short_answer_accepted(question, "L-5")
    assert not short_answer_accepted(question, "the c7 root")  # the whole answer must match
    assert not short_answer_accepted(question, "c7 root, I think")
    assert short_answer_accepted(question, "STRAẞE")  # Unicode case folding


def test_answers_longer_than_the_bound_are_not_matched_against_patterns() -> None:
    question = ShortAnswer(id="q", answers=["x" * 300], patterns=[".*"], **COMMON)
    assert short_answer_accepted(question, "y" * MAX_PATTERN_ANSWER)
    assert not short_answer_accepted(question, "y" * (MAX_PATTERN_ANSWER + 1))
    assert short_answer_accepted(question, "x" * 300)  # accepted answers have no such bound


def test_a_lone_surrogate_in_an_answer_does_not_crash_grading() -> None:
    assert grade_response(short("c7"), TextResponse("c7\udc80")).score == 0.0
    assert pattern_problem("c7\udc80") is not None


@pytest.mark.parametrize(
    ("pattern", "construct"),
    [
        (r"(ab)\1", "backreferences"),
        (r"(?P<root>c)(?P=root)", "named backreferences"),
        (r"c(?=7)", "lookahead or lookbehind"),
        (r"c(?!6)\d", "lookahead or lookbehind"),
        (r"(?<=c)7", "lookahead or lookbehind"),
        (r"(?<!t)7", "lookahead or lookbehind"),
        (r"(?>c7)", "atomic groups"),
        (r"c7++", "possessive quantifiers"),
        (r"(?#root)c7", "comments"),
        (r"(c)?(?(1)7|8)", "conditionals"),
        (r"(?x) c 7", "an inline flag"),
        (r"c7\Z", r"\Z"),
    ],
)
def test_constructs_re2_does_not_have_are_explained(pattern: str, construct: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None
    assert problem.startswith(f"uses {construct}")
    assert "linear time" in problem
    assert _compiled(pattern) is None  # a bank loaded around the validator still grades


@pytest.mark.parametrize(
    ("pattern", "start"),
    [
        ("^c(7$", "is not a valid regular expression: missing ), unterminated subpattern"),
        ("*c7", "is not a valid regular expression: nothing to repeat at position 0"),
        ("c7**", "is not a valid regular expression: multiple repeat"),
        (r"\p{Elvish}", "is not a regular expression RE2 accepts"),
        ("c{1001}", "repeats something more than 1000 times"),
        ("(c{100}){100}", "repeats something more than 1000 times"),
        (r"\pL{20}", "is too large"),
        (r"(?:[\pL\pN]\s?){10}", "is too large"),
    ],
)
def test_bad_and_oversized_patterns_are_refused(pattern: str, start: str) -> None:
    problem = pattern_problem(pattern)
    assert problem is not None and problem.startswith(start), problem


@pytest.mark.parametrize(
    "pattern",
    [
        r"^(spinal )?spondylos[ie]s$",
        r"(?i)^(ventral|anterior)( primary)?( ram(i|us))?$",
        r"^plunger(\W*type)?(\W*holder)?$",
        r"(?P<root>c)\s*7",
        CATASTROPHIC,
        r"\pL+",
    ],
)
def test_ordinary_patterns_are_accepted(pattern: str) -> None:
    assert pattern_problem(pattern) is None
    assert _compiled(pattern) is not None


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab()[]{}|*+?.^$\\-,:=!<>P#1wsdpL0123 ")), max_size=40)
)
def test_every_pattern_is_either_refused_or_a_small_re2_program(pattern: str) -> None:
    problem = pattern_problem(pattern)  # never raises
    compiled = _compiled(pattern)
    if problem is None:
        assert compiled is not None
        assert compiled._regexp.ProgramSize() <= MAX_PATTERN_SIZE
    else:
        assert compiled is None and problem.split()[0] in {"is", "uses", "repeats"}
