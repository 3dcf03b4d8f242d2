"""Grading rules for every question type, as tables, plus properties that hold for any response."""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.domain.grading import (
    ChoiceResponse,
    Grade,
    MatchingResponse,
    OrderingResponse,
    Response,
    TextResponse,
    TrueFalseResponse,
    grade_response,
    near_miss,
    normalize_answer,
    ordering_score,
)
from quiz.domain.model import (
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

COMMON = {"topic": "t", "prompt": "?", "refs": ["s"], "difficulty": 1}


def single(correct: int = 1, unsafe: tuple[int, ...] = (), size: int = 4) -> SingleChoice:
    return SingleChoice(
        id="q",
        choices=[
            Choice(text=f"c{i}", correct=i == correct, unsafe=i in unsafe) for i in range(size)
        ],
        **COMMON,
    )


def multiple(flags: str, unsafe: tuple[int, ...] = ()) -> MultipleChoice:
    """``flags`` like "yyn": y marks a correct choice."""
    return MultipleChoice(
        id="q",
        choices=[
            Choice(text=f"c{i}", correct=flag == "y", unsafe=i in unsafe)
            for i, flag in enumerate(flags)
        ],
        **COMMON,
    )


def picks(*indices: int) -> ChoiceResponse:
    return ChoiceResponse(frozenset(indices))


@pytest.mark.parametrize(
    ("selected", "score"),
    [((1,), 1.0), ((0,), 0.0), ((), 0.0), ((1, 2), 0.0), ((0, 1, 2, 3), 0.0)],
)
def test_single_is_all_or_nothing(selected: tuple[int, ...], score: float) -> None:
    grade = grade_response(single(correct=1), picks(*selected))
    assert grade.score == score
    assert grade.correct is (score == 1.0)


@pytest.mark.parametrize(
    ("flags", "selected", "score"),
    [
        ("yyyn", (0, 1, 2), 1.0),
        ("yyyn", (0, 1), 2 / 3),
        ("yyyn", (0,), 1 / 3),
        ("yyyn", (0, 1, 2, 3), 2 / 3),  # every option: one wrong tick cancels a right one
        ("yynn", (0, 1, 2, 3), 0.0),
        ("yynn", (0, 2), 0.0),
        ("yynn", (2, 3), 0.0),  # floored at 0, never negative
        ("yynn", (), 0.0),
        ("yyyy", (0, 1, 2, 3), 1.0),  # ticking everything is right when everything is correct
        ("ynnn", (0,), 1.0),
    ],
)
def test_multiple_partial_credit(flags: str, selected: tuple[int, ...], score: float) -> None:
    grade = grade_response(multiple(flags), picks(*selected))
    assert grade.score == pytest.approx(score)
    assert grade.correct is (score == 1.0)


def test_unsafe_picks_are_recorded_apart_from_the_score() -> None:
    question = multiple("yynn", unsafe=(2, 3))
    grade = grade_response(question, picks(0, 1, 3))
    assert grade == Grade(score=pytest.approx(0.5), correct=False, unsafe=True, unsafe_choices=(3,))
    assert grade_response(question, picks(0, 1)).unsafe is False
    assert grade_response(single(correct=0, unsafe=(2,)), picks(2)).unsafe_choices == (2,)


@pytest.mark.parametrize(
    ("answer", "value", "score"), [(True, True, 1.0), (True, False, 0.0), (False, False, 1.0)]
)
def test_true_false(answer: bool, value: bool, score: float) -> None:
    question = TrueFalse(id="q", answer=answer, **COMMON)
    assert grade_response(question, TrueFalseResponse(value)).score == score


MATCHING = Matching(
    id="q",
    pairs=[("C5", "Shoulder abduction"), ("C7", "Elbow extension"), ("T1", "Finger abduction")],
    distractors=["Hip adduction"],
    **COMMON,
)


@pytest.mark.parametrize(
    ("matches", "score"),
    [
        (("Shoulder abduction", "Elbow extension", "Finger abduction"), 1.0),
        (("Shoulder abduction", "Finger abduction", "Elbow extension"), 1 / 3),
        (("Shoulder abduction", "Elbow extension", "Hip adduction"), 2 / 3),
        (("Shoulder abduction", None, None), 1 / 3),
        ((None, None, None), 0.0),
    ],
)
def test_matching_scores_the_fraction_of_pairs(
    matches: tuple[str | None, ...], score: float
) -> None:
    assert grade_response(MATCHING, MatchingResponse(matches)).score == pytest.approx(score)


def test_matching_needs_one_match_per_pair() -> None:
    with pytest.raises(ValueError, match="expected 3 matches"):
        grade_response(MATCHING, MatchingResponse(("Shoulder abduction",)))


@pytest.mark.parametrize(
    ("order", "score"),
    [
        ((0, 1, 2, 3, 4), 1.0),
        ((1, 0, 2, 3, 4), 0.8),  # one swap of neighbours
        ((1, 2, 3, 4, 0), 0.2),  # first item moved to the end: 6 of 10 pairs right
        ((4, 3, 2, 1, 0), 0.0),  # reversed
        ((0, 1, 2, 4, 3), 0.8),
    ],
)
def test_ordering_gives_partial_credit_for_mostly_right_orders(
    order: tuple[int, ...], score: float
) -> None:
    question = Ordering(id="q", items=["a", "b", "c", "d", "e"], **COMMON)
    assert grade_response(question, OrderingResponse(order)).score == pytest.approx(score)


def test_ordering_of_two_is_all_or_nothing() -> None:
    assert ordering_score((0, 1), 2) == 1.0
    assert ordering_score((1, 0), 2) == 0.0


@pytest.mark.parametrize("order", [(0, 1), (0, 0, 1), (0, 1, 3)])
def test_ordering_must_be_a_permutation(order: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match="each of the 3 items"):
        ordering_score(order, 3)


SHORT = ShortAnswer(
    id="q",
    answers=["C7", "Lateral epicondyle"],
    patterns=[r"c\s*7 root", r"seven"],
    **COMMON,
)


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("C7", True),
        ("c7", True),
        (" c 7 ", True),
        ("C-7.", True),
        ("lateral  EPICONDYLE!", True),
        ("Ｃ７", True),  # full-width characters (NFKC)
        ("C7 root", True),  # pattern
        ("c  7   ROOT", True),  # pattern, whitespace collapsed, case ignored
        ("SEVEN", True),
        ("the c7 root", False),  # patterns match the whole answer
        ("sevenfold", False),
        ("C6", False),
        ("", False),
        ("  ...  ", False),
    ],
)
def test_short_answer(text: str, right: bool) -> None:
    assert grade_response(SHORT, TextResponse(text)).correct is right


NEAR = ShortAnswer(
    id="q", answers=["Pneumothorax", "C7", "T12 root", "Lateral epicondyle"], **COMMON
)


@pytest.mark.parametrize(
    ("text", "missed"),
    [
        ("pnemothorax", "Pneumothorax"),  # a letter left out
        ("pneumothoraxx", "Pneumothorax"),  # one too many
        ("pnuemothorax", "Pneumothorax"),  # neighbours swapped: one edit, not two
        ("pneumothorux", "Pneumothorax"),  # one wrong
        ("Lateral epicondile", "Lateral epicondyle"),
        ("pneumothorax", None),  # right: no near miss
        ("pnmothorx", None),  # two edits
        ("C6", None),  # short answers have none: another root, not a typo
        ("T11 root", None),  # the digits differ
        ("T12 rot", "T12 root"),
        ("", None),
    ],
)
def test_near_miss(text: str, missed: str | None) -> None:
    assert near_miss(NEAR, text) == missed


def test_a_near_miss_counts_only_when_the_trainee_accepts_it() -> None:
    assert grade_response(NEAR, TextResponse("pnemothorax")).score == 0.0
    accepted = TextResponse("pnemothorax", near_miss_accepted=True)
    assert grade_response(NEAR, accepted).correct
    # accepting what is no near miss changes nothing: a response cannot claim its way in
    assert not grade_response(NEAR, TextResponse("C6", near_miss_accepted=True)).correct
    # the response keeps the acceptance; older stored responses read as not accepted
    stored = msgspec.to_builtins(accepted)
    assert stored == {"kind": "text", "text": "pnemothorax", "near_miss_accepted": True}
    assert msgspec.to_builtins(TextResponse("x")) == {"kind": "text", "text": "x"}
    assert msgspec.convert({"kind": "text", "text": "x"}, Response) == TextResponse("x")


def test_a_broken_pattern_is_ignored_not_fatal() -> None:
    question = ShortAnswer(id="q", answers=["x"], patterns=["(unclosed"], **COMMON)
    assert grade_response(question, TextResponse("(unclosed")).score == 0.0
    assert grade_response(question, TextResponse("X")).score == 1.0


def test_normalize_answer() -> None:
    assert normalize_answer("  Lateral Epi-condyle, (left)! ") == "lateralepicondyleleft"


def test_a_response_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="TextResponse does not answer a single question"):
        grade_response(single(), TextResponse("c1"))
    with pytest.raises(ValueError, match="out of range"):
        grade_response(single(size=3), picks(3))


@pytest.mark.parametrize(
    "response",
    [
        picks(2, 0),
        picks(),
        TrueFalseResponse(False),
        MatchingResponse(("a", None, "b")),
        OrderingResponse((2, 0, 1)),
        TextResponse("C7 — root"),
    ],
)
def test_responses_round_trip_through_builtins(response: object) -> None:
    data = msgspec.to_builtins(response, order="deterministic")
    assert msgspec.convert(data, Response) == response  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data", [{}, {"kind": "dance"}, {"kind": "choice"}, {"kind": "ordering", "order": 3}]
)
def test_malformed_response_dicts_are_refused(data: dict[str, object]) -> None:
    with pytest.raises(msgspec.ValidationError):
        msgspec.convert(data, Response)  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------------

flag_strings = st.text(alphabet="yn", min_size=2, max_size=8).filter(lambda flags: "y" in flags)


@given(flags=flag_strings, data=st.data())
def test_multiple_scores_stay_in_range(flags: str, data: st.DataObject) -> None:
    selected = data.draw(st.frozensets(st.integers(0, len(flags) - 1)))
    grade = grade_response(multiple(flags), ChoiceResponse(selected))
    assert 0.0 <= grade.score <= 1.0
    assert grade.correct is (grade.score == 1.0)


@given(flags=flag_strings)
def test_ticking_every_option_scores_1_only_when_all_are_correct(flags: str) -> None:
    grade = grade_response(multiple(flags), ChoiceResponse(frozenset(range(len(flags)))))
    assert (grade.score == 1.0) is ("n" not in flags)


@given(order=st.integers(2, 8).flatmap(lambda n: st.permutations(list(range(n)))))
def test_ordering_scores_stay_in_range(order: list[int]) -> None:
    score = ordering_score(tuple(order), len(order))
    assert 0.0 <= score <= 1.0
    assert (score == 1.0) is (order == sorted(order))


@given(
    chosen=st.lists(
        st.sampled_from(
            ["Shoulder abduction", "Elbow extension", "Finger abduction", "Hip adduction", None]
        ),
        min_size=3,
        max_size=3,
    )
)
def test_matching_scores_stay_in_range(chosen: list[str | None]) -> None:
    grade = grade_response(MATCHING, MatchingResponse(tuple(chosen)))
    assert 0.0 <= grade.score <= 1.0


@given(text=st.text(max_size=30))
def test_short_answers_never_crash_and_stay_in_range(text: str) -> None:
    assert grade_response(SHORT, TextResponse(text)).score in (0.0, 1.0)
