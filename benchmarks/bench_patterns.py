"""Grading ``short`` answers against patterns, against the 50 ms budget (DESIGN, issue 15).

Three parts:

* ``re`` against RE2 on the pattern that froze the trainer, ``^(\\w+\\s*)+$``, for growing
  answers that end in punctuation: ``re`` doubles with each letter, RE2 stays flat.
* The worst case within the bounds: patterns built to make RE2 as slow as it gets (every
  instruction live at every byte) that still pass the validator (at most ``MAX_PATTERN_SIZE``
  instructions), against answers of ``MAX_PATTERN_ANSWER`` characters in 1- to 4-byte UTF-8.
  Each is the best of a few runs of ``short_answer_accepted``, as the TUI calls it.
* The bound itself: ``MAX_PATTERN_SIZE`` instructions x 4 bytes x ``MAX_PATTERN_ANSWER``
  characters RE2 steps at most, times the cost of one step, calibrated on a case outside the
  bounds that forces RE2 off its DFA onto its step-by-step simulation.

Run it with::

    .venv/bin/python benchmarks/bench_patterns.py [--runs N]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable

import re2

from quiz.domain.grading import (
    _OPTIONS,
    MAX_PATTERN_ANSWER,
    MAX_PATTERN_SIZE,
    _compiled,
    pattern_problem,
    short_answer_accepted,
)
from quiz.domain.model import ShortAnswer

BUDGET_SECONDS = 0.050
CATASTROPHIC = r"^(\w+\s*)+$"

# Patterns that keep many RE2 threads alive at once, sized up to the bound (each is checked).
_DOTS = (MAX_PATTERN_SIZE - 10) // 9  # `.?` is 9 instructions
HEAVY = [
    f"(?:.?){{{_DOTS}}}",
    f"(?:.?){{{_DOTS}}}z",
    f"(?:.?){{{_DOTS // 2}}}(?:.?){{{_DOTS // 2}}}",
    f"(?:.?.?){{{_DOTS // 2}}}",
    r"(?:\pL?){4}",
    r"(?:[\pL\pN]?\s?){2}(?:.?){200}",
    f"(?:.*.?){{{_DOTS}}}",
    f"(?s)(?:.{{0,{_DOTS}}})",
    r"(?:.{0,100}\s){4}",
    r"^(\w+\s*)+$",
]
# Answers: each character width of UTF-8, alone or ending in a "z".
ANSWERS = {
    f"{name}{ending}": (char * MAX_PATTERN_ANSWER)[: MAX_PATTERN_ANSWER - len(ending)] + ending
    for name, char in (("ascii", "a"), ("latin-1", "é"), ("cjk", "漢"), ("emoji", "😀"))
    for ending in ("", "z", "!")
}


def best(runs: int, call: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs

    print(f"re vs RE2 on {CATASTROPHIC!r}, an answer of n letters then '!':")
    backtracking = re.compile(CATASTROPHIC, re.IGNORECASE)
    linear = _compiled(CATASTROPHIC)
    for letters in (16, 18, 20, 22):
        text = "a" * letters + "!"
        slow = best(1, lambda t=text: backtracking.fullmatch(t))
        fast = best(runs, lambda t=text: linear.fullmatch(t.encode()))
        print(
            f"  n={letters}: re {slow * 1000:9.2f} ms  RE2 {fast * 1000:7.4f} ms"
            f"  re/RE2 {slow / fast:12,.0f}x"
        )
    print("  (re doubles with every letter: a 60-letter answer would take centuries)")

    print(
        f"\nworst case within the bounds: patterns <= {MAX_PATTERN_SIZE:,} instructions, "
        f"answers of {MAX_PATTERN_ANSWER} characters; budget {BUDGET_SECONDS * 1000:.0f} ms"
    )
    worst = 0.0
    for pattern in HEAVY:
        problem = pattern_problem(pattern)
        if problem is not None:
            print(f"  {pattern!r:45} refused by the validator: {problem[:60]}...")
            continue
        size = _compiled(pattern)._regexp.ProgramSize()
        question = ShortAnswer(
            id="q", topic="t", prompt="P", refs=["s"], difficulty=1, patterns=[pattern]
        )
        for name, text in ANSWERS.items():
            seconds = best(runs, lambda t=text, q=question: short_answer_accepted(q, t))
            worst = max(worst, seconds)
            print(
                f"  {pattern!r:45} {size:6,} instr  {name:16} {seconds * 1000:7.3f} ms"
                f"  {seconds / BUDGET_SECONDS:6.3f}x budget"
            )
    print(f"\nworst measured: {worst * 1000:.3f} ms = {worst / BUDGET_SECONDS:.3f}x the budget")

    # The bound does not rest on the cases above. RE2 runs a DFA while its cache lasts and falls
    # back to a simulation that takes at most one step per instruction per byte; calibrate that
    # step on a case outside the bounds (which forces the fallback), then apply it to the bound.
    outside = re2.compile("(?:.?){1000}", _OPTIONS)
    text = ("😀" * 2 * MAX_PATTERN_ANSWER).encode()
    seconds = best(runs, lambda: outside.fullmatch(text))
    per_step = seconds / (outside._regexp.ProgramSize() * len(text))
    steps = MAX_PATTERN_SIZE * 4 * MAX_PATTERN_ANSWER  # UTF-8: at most 4 bytes a character
    bound = steps * per_step
    print(
        f"bound: {MAX_PATTERN_SIZE:,} instructions x {4 * MAX_PATTERN_ANSWER} bytes = {steps:,}"
        f" steps x {per_step * 1e9:.2f} ns (calibrated) = {bound * 1000:.2f} ms"
        f" = {bound / BUDGET_SECONDS:.3f}x the budget"
    )


if __name__ == "__main__":
    main()
