"""Trainee responses and how each question type is graded.

Every grade is a score from 0 to 1; a response is correct only when it scores exactly 1. The
rules, one per question type (also in ``docs/grading.md``):

``single``
    1 when exactly the correct choice is selected, else 0.
``multiple``
    ``(right picks - wrong picks) / number of correct choices``, floored at 0. Each wrong tick
    cancels a right one, so ticking every option scores 1 only when every option is correct.
``true_false``
    1 when the value matches the answer, else 0.
``matching``
    The fraction of pairs whose left item was matched to its own right-hand item.
``ordering``
    Kendall's tau between the trainee's order and the correct one, floored at 0: the share of
    item pairs in the right relative order minus the share in the wrong one. One swap of
    neighbours in five items scores 0.8; a reversed order, or any order with more pairs wrong
    than right, scores 0.
``short``
    1 when the text equals an accepted answer after normalising both (Unicode NFKC, case folded,
    punctuation and whitespace removed), or when a pattern matches the whole answer
    (``re.fullmatch`` with ``re.IGNORECASE``, whitespace runs collapsed, ends stripped). An
    empty answer is always wrong.

Picking a choice marked ``unsafe`` is recorded in :attr:`Grade.unsafe` whatever the score, so
progress can count harmful picks apart from plain errors.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from itertools import combinations
from typing import Any

import msgspec

from quiz.domain.model import (
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)


class ChoiceResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="choice"):
    """The choices ticked in a ``single`` or ``multiple`` question."""

    selected: frozenset[int]
    """Indices into ``question.choices`` in file order (not display order)."""


class TrueFalseResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="true_false"):
    """The value given for a ``true_false`` statement."""

    value: bool


class MatchingResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="matching"):
    """The right-hand text chosen for each pair of a ``matching`` question."""

    matches: tuple[str | None, ...]
    """One entry per pair, in file order; ``None`` where nothing was chosen."""


class OrderingResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="ordering"):
    """The trainee's order of an ``ordering`` question's items."""

    order: tuple[int, ...]
    """Indices into ``question.items``, in the order the trainee put them."""


class TextResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="text"):
    """The text typed for a ``short`` question."""

    text: str


Response = ChoiceResponse | TrueFalseResponse | MatchingResponse | OrderingResponse | TextResponse
"""A tagged union: ``msgspec.to_builtins(response, order="deterministic")`` gives
``{"kind": "choice", "selected": [0, 2]}`` (the shape the progress store keeps), and
``msgspec.convert(data, Response)`` reads it back."""


class Grade(msgspec.Struct, frozen=True):
    """The outcome of one response."""

    score: float
    """From 0 to 1."""
    correct: bool
    """True only when ``score == 1``."""
    unsafe: bool
    """An option marked ``unsafe`` (harmful to a patient) was picked."""
    unsafe_choices: tuple[int, ...] = ()
    """The unsafe choices picked: indices into ``question.choices``."""


def grade_response(question: Question, response: Response) -> Grade:
    """Grade ``response`` to ``question`` by the rules in this module's docstring.

    Raises:
        ValueError: The response does not fit the question (wrong kind of response, an index
            out of range, an ordering that is not a permutation of the items).
    """
    match question, response:
        case SingleChoice(), ChoiceResponse():
            _check_choices(question.choices, response.selected)
            correct = {i for i, choice in enumerate(question.choices) if choice.correct}
            return _choice_grade(question, response, 1.0 if response.selected == correct else 0.0)
        case MultipleChoice(), ChoiceResponse():
            _check_choices(question.choices, response.selected)
            correct = {i for i, choice in enumerate(question.choices) if choice.correct}
            right = len(response.selected & correct)
            wrong = len(response.selected - correct)
            return _choice_grade(question, response, max(0.0, (right - wrong) / len(correct)))
        case TrueFalse(), TrueFalseResponse():
            return _grade(1.0 if response.value == question.answer else 0.0)
        case Matching(), MatchingResponse():
            return _grade(_matching_score(question, response))
        case Ordering(), OrderingResponse():
            return _grade(ordering_score(response.order, len(question.items)))
        case ShortAnswer(), TextResponse():
            return _grade(1.0 if short_answer_accepted(question, response.text) else 0.0)
    raise ValueError(f"a {type(response).__name__} does not answer a {question.kind} question")


def _grade(score: float) -> Grade:
    return Grade(score=score, correct=score == 1.0, unsafe=False)


def _choice_grade(
    question: SingleChoice | MultipleChoice, response: ChoiceResponse, score: float
) -> Grade:
    unsafe = tuple(sorted(i for i in response.selected if question.choices[i].unsafe))
    return Grade(score=score, correct=score == 1.0, unsafe=bool(unsafe), unsafe_choices=unsafe)


def _check_choices(choices: list[Any], selected: frozenset[int]) -> None:
    if any(not 0 <= index < len(choices) for index in selected):
        raise ValueError(f"choice index out of range 0..{len(choices) - 1}: {sorted(selected)}")


def _matching_score(question: Matching, response: MatchingResponse) -> float:
    if len(response.matches) != len(question.pairs):
        raise ValueError(f"expected {len(question.pairs)} matches, got {len(response.matches)}")
    right = sum(
        chosen == pair[1] for chosen, pair in zip(response.matches, question.pairs, strict=True)
    )
    return right / len(question.pairs)


def ordering_score(order: tuple[int, ...], size: int) -> float:
    """Kendall's tau of ``order`` against ``0, 1, ..., size - 1``, floored at 0.

    Raises:
        ValueError: ``order`` is not a permutation of ``range(size)``.
    """
    if sorted(order) != list(range(size)):
        raise ValueError(f"an ordering must use each of the {size} items once: {order}")
    pairs = size * (size - 1) // 2
    # combinations() keeps the trainee's order, so a pair is concordant when a < b.
    concordant = sum(a < b for a, b in combinations(order, 2))
    discordant = pairs - concordant
    return max(0.0, (concordant - discordant) / pairs)


def normalize_answer(text: str) -> str:
    """``text`` as short answers are compared: NFKC, case folded, no punctuation or spaces."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(
        char
        for char in folded
        if not char.isspace() and not unicodedata.category(char).startswith("P")
    )


def short_answer_accepted(question: ShortAnswer, text: str) -> bool:
    """True when ``text`` equals an accepted answer or fully matches a pattern."""
    normalized = normalize_answer(text)
    if not normalized:
        return False
    if any(normalized == normalize_answer(answer) for answer in question.answers):
        return True
    collapsed = " ".join(text.split())
    return any(
        pattern.fullmatch(collapsed)
        for pattern in map(_compiled, question.patterns)
        if pattern is not None
    )


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> re.Pattern[str] | None:
    # The validator rejects bad patterns; a bank loaded another way must still not crash grading.
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error:
        return None
