r"""Trainee responses and how each question type is graded.

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
    (a full match, ignoring case, with whitespace runs collapsed and ends stripped). An empty
    answer is always wrong.

    A *near miss* is one edit (an insertion, deletion, substitution or swap of neighbours,
    Damerau-Levenshtein, by rapidfuzz) from an accepted answer of at least
    :data:`NEAR_MISS_MIN_LENGTH` characters, with the same digits: "pnemothorax" for
    "pneumothorax", never "C6" for "C7". It scores 0, unless the trainee accepted it
    (:attr:`TextResponse.near_miss_accepted`, which the response keeps): then it scores 1.

    Patterns are matched by RE2 (google-re2), in time linear in the answer: no pattern can make
    grading hang, as backtracking engines such as ``re`` do on ``^(\w+\s*)+$``. RE2 has no
    backreferences or lookaround (:func:`pattern_problem` explains such a pattern), and its
    ``\w``, ``\d``, ``\s`` and ``\b`` are ASCII-only (``\pL`` is any letter). Two bounds make the
    worst case small whatever the pattern: a pattern may compile to at most
    :data:`MAX_PATTERN_SIZE` RE2 instructions, and an answer longer than
    :data:`MAX_PATTERN_ANSWER` characters is matched against the accepted answers only.

Picking a choice marked ``unsafe`` is recorded in :attr:`Grade.unsafe` whatever the score, so
progress can count harmful picks apart from plain errors.
"""

from __future__ import annotations

import re
import unicodedata
import warnings
from functools import lru_cache
from itertools import combinations
from typing import Any, Final

import msgspec
import re2

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


class TextResponse(msgspec.Struct, frozen=True, tag_field="kind", tag="text", omit_defaults=True):
    """The text typed for a ``short`` question."""

    text: str
    near_miss_accepted: bool = False
    """The trainee accepted ``text`` as a near miss of an accepted answer (see the module
    docstring); it counts as right only if it is one."""


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
            accepted = short_answer_accepted(question, response.text) or (
                response.near_miss_accepted and near_miss(question, response.text) is not None
            )
            return _grade(1.0 if accepted else 0.0)
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
    if len(collapsed) > MAX_PATTERN_ANSWER:
        return False
    # As UTF-8 bytes: RE2 matches bytes, and a lone surrogate (which no keyboard types, but a
    # bank or a paste might hold) must not crash grading.
    answer = collapsed.encode("utf-8", "replace")
    return any(
        pattern.fullmatch(answer) is not None
        for pattern in map(_compiled, question.patterns)
        if pattern is not None
    )


def key_response(question: Question) -> Response | None:
    """The response the key gives, which scores 1 (the bank browser shows it): ``None`` for a
    ``short`` question with patterns but no accepted answer to type."""
    match question:
        case SingleChoice() | MultipleChoice():
            return ChoiceResponse(frozenset(i for i, c in enumerate(question.choices) if c.correct))
        case TrueFalse():
            return TrueFalseResponse(question.answer)
        case Matching():
            return MatchingResponse(tuple(right for _, right in question.pairs))
        case Ordering():
            return OrderingResponse(tuple(range(len(question.items))))
        case ShortAnswer():
            return TextResponse(question.answers[0]) if question.answers else None
    raise ValueError(f"no key for a {question.kind} question")


NEAR_MISS_MIN_LENGTH: Final = 5
"""Accepted answers shorter than this (after normalising) have no near misses: one edit of
"C7" or "L4" is another root, not a typo."""


def near_miss(question: ShortAnswer, text: str) -> str | None:
    """The accepted answer that ``text`` misses by one edit (see the module docstring), or
    ``None``: no near miss, or ``text`` is accepted as it is."""
    from rapidfuzz.distance import DamerauLevenshtein

    typed = normalize_answer(text)
    if not typed or short_answer_accepted(question, text):
        return None
    for answer in question.answers:
        target = normalize_answer(answer)
        if len(target) < NEAR_MISS_MIN_LENGTH or _digits(target) != _digits(typed):
            continue
        if DamerauLevenshtein.distance(typed, target, score_cutoff=1) <= 1:
            return answer
    return None


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


MAX_PATTERN_SIZE: Final = 5_000
"""The most RE2 instructions a pattern may compile to.

RE2's time per answer character grows with the size of the compiled program (at most one step
per instruction per byte), so this and :data:`MAX_PATTERN_ANSWER` bound every match. Patterns
authors write are tens of instructions; a large Unicode class counts more (``\\pL`` alone is
about 1,200 when case is ignored).
"""

MAX_PATTERN_ANSWER: Final = 200
"""The longest answer, in characters after collapsing spaces, that is matched against patterns."""


def _options() -> Any:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # RE2 would print each rejected pattern to stderr
    return options


_OPTIONS: Final = _options()

# A construct RE2 does not have: RE2's message about it, a text the pattern must contain (RE2's
# message for `(?P=name)` is that for any bad `(?P`), and what to write instead.
_UNSUPPORTED: Final = (
    (r"invalid escape sequence: \\[1-9]", "", "backreferences (\\1)", "spell the text out"),
    (
        r"invalid perl operator: \(\?P",
        "(?P=",
        "named backreferences ((?P=name))",
        "spell the text out",
    ),
    (
        r"invalid perl operator: \(\?<?[=!]",
        "",
        "lookahead or lookbehind ((?=, (?!, (?<=, (?<!)",
        "write the accepted forms out as alternatives, or list them in answers",
    ),
    (
        r"invalid perl operator: \(\?>",
        "",
        "atomic groups ((?>...))",
        "write a plain group; RE2 never backtracks, so none is needed",
    ),
    (
        r"bad repetition operator: .+\+$",
        "",
        "possessive quantifiers (*+, ++, ?+)",
        "drop the last +; RE2 never backtracks, so none is needed",
    ),
    (r"invalid perl operator: \(\?#", "", "comments ((?#...))", "remove the comment"),
    (
        r"invalid perl operator: \(\?\(",
        "",
        "conditionals ((?(1)...|...))",
        "write the alternatives out with |",
    ),
    (
        r"invalid perl operator: \(\?[a-zA-Z-]",
        "",
        "an inline flag other than i, m, s and U",
        "remove it (case is ignored anyway)",
    ),
    (r"invalid escape sequence: \\Z", "", "\\Z", "write $ (or \\z) for the end"),
)

# RE2's messages for plain syntax errors, which Python's `re` describes with a position.
_SYNTAX: Final = (
    "missing ",
    "unexpected )",
    "trailing \\",
    "no argument for repetition operator",
    "bad repetition operator",
    "invalid escape sequence",
    "invalid character class:",
    "invalid named capture group",
    "invalid perl operator",
)


def pattern_problem(pattern: str) -> str | None:
    """What is wrong with ``pattern`` as a ``short`` answer pattern, or None when nothing is.

    The text continues "pattern '...' ", as the validator prints it: "is not a valid regular
    expression: ..." for a syntax error (described as Python's ``re`` describes it, with its
    position), "uses lookahead or lookbehind ..., which ..." for a construct RE2 does not have
    (RE2 is what makes matching linear-time), "is too large ..." past :data:`MAX_PATTERN_SIZE`.
    """
    try:
        compiled = re2.compile(pattern, _OPTIONS)
    except UnicodeEncodeError:
        return "is not valid Unicode text (it holds a lone surrogate, such as \\udc80)"
    except re2.error as error:
        reason = _re2_reason(error)
        for message, needs, construct, instead in _UNSUPPORTED:
            if re.match(message, reason) and needs in pattern:
                return f"uses {construct}, which patterns cannot use ({_WHY_RE2}): {instead}"
        if reason.startswith("invalid repetition size"):
            return f"repeats something more than 1000 times, the most RE2 allows ({reason})"
        if reason.startswith("pattern too large"):
            return _too_large()
        python = _python_error(pattern) if reason.startswith(_SYNTAX) else None
        if python:
            return f"is not a valid regular expression: {python}"
        return f"is not a regular expression RE2 accepts ({_WHY_RE2}): {reason}"
    if compiled._regexp.ProgramSize() > MAX_PATTERN_SIZE:
        return _too_large()
    return None


def _python_error(pattern: str) -> str | None:
    """Python's description of the syntax error in ``pattern``, if it finds one."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # FutureWarning on `[[`: not the author's concern here
        try:
            re.compile(pattern)
        except re.error as error:
            return str(error)
        except (RecursionError, OverflowError, ValueError):
            return None
    return None


_WHY_RE2: Final = "they are matched by RE2, in linear time, so that no answer can hang grading"


def _re2_reason(error: Exception) -> str:
    reason = error.args[0] if error.args else ""
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def _too_large() -> str:
    return (
        f"is too large: it compiles to more than {MAX_PATTERN_SIZE:,} RE2 instructions, which "
        "could make grading slow (a Unicode class such as \\pL repeated with {n}, or a very long "
        "alternation, does that); make it simpler or move the alternatives to answers"
    )


@lru_cache(maxsize=1024)
def _compiled(pattern: str) -> Any | None:
    """The RE2 program of ``pattern``, compiled once; None for a pattern the validator rejects.

    A bank loaded some other way than through the validator must still not crash or slow grading.
    """
    if pattern_problem(pattern) is not None:
        return None
    return re2.compile(pattern, _OPTIONS)
