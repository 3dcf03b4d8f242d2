"""Session planning: filters, seeds, cases, shuffling and the choice of questions in each mode."""

from __future__ import annotations

from datetime import timedelta

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.domain.grading import (
    ChoiceResponse,
    MatchingResponse,
    OrderingResponse,
    grade_response,
)
from quiz.domain.model import Matching, MultipleChoice, Ordering, SingleChoice, Source
from quiz.domain.planning import plan_session, select_questions, take_with_cases
from quiz.domain.session import (
    Mode,
    Reference,
    SessionPlan,
    make_item,
    preview_item,
    session_items,
)
from quiz.domain.stats import QuestionRecord
from tests.engine_helpers import T0, bank_from_yaml

BANK = bank_from_yaml()
BANKS = [BANK]
ALL_KEYS = [f"ims-test/{q.id}" for q in BANK.questions]
DESK = ["ims-test/elbow-root", "ims-test/desk-segment", "ims-test/desk-paraspinal"]
RUNNER = ["ims-test/knee-root", "ims-test/knee-apex"]


def keys(
    plan: SessionPlan, records: dict[str, QuestionRecord] | None = None, **options: object
) -> list[str]:
    return [item.key for item in plan_session(plan, BANKS, records, now=T0, **options)]  # type: ignore[arg-type]


def test_the_same_seed_gives_the_same_session() -> None:
    plan = SessionPlan(Mode.PRACTICE, count=6, seed=42)
    first = plan_session(plan, BANKS, now=T0)
    assert plan_session(plan, BANKS, now=T0) == first
    others = {tuple(keys(SessionPlan(Mode.PRACTICE, count=6, seed=seed))) for seed in range(10)}
    assert len(others) > 1


def test_a_plan_needs_a_seed() -> None:
    with pytest.raises(ValueError, match="seed"):
        plan_session(SessionPlan(Mode.PRACTICE), BANKS, now=T0)


@pytest.mark.parametrize("seed", range(25))
def test_case_questions_stay_together_in_file_order(seed: int) -> None:
    chosen = keys(SessionPlan(Mode.EXAM, count=len(ALL_KEYS), seed=seed))
    assert sorted(chosen) == sorted(ALL_KEYS)
    for case in (DESK, RUNNER):
        start = chosen.index(case[0])
        assert chosen[start : start + len(case)] == case


@pytest.mark.parametrize("seed", range(25))
@pytest.mark.parametrize("count", [1, 2, 4, 5])
def test_count_is_met_exactly_and_cases_are_not_split_when_they_fit(seed: int, count: int) -> None:
    chosen = keys(SessionPlan(Mode.PRACTICE, count=count, seed=seed))
    assert len(chosen) == count
    assert len(set(chosen)) == count
    for case in (DESK, RUNNER):
        present = [key for key in chosen if key in case]
        if present:
            # a case is either whole, or cut short only at its end, and always contiguous
            assert present == case[: len(present)]
            start = chosen.index(present[0])
            assert chosen[start : start + len(present)] == present


def test_take_with_cases_skips_a_case_that_does_not_fit_and_fills_with_the_first_skipped() -> None:
    candidates = {c.key: c for c in select_questions(SessionPlan(Mode.PRACTICE), BANKS)}
    ordered = [
        candidates[key]
        for key in [
            "ims-test/desk-paraspinal",
            "ims-test/c5-myotome",
            "ims-test/knee-apex",
            "ims-test/elbow-root",
            "ims-test/knee-root",
            "ims-test/desk-segment",
        ]
    ]

    def taken(count: int) -> list[str]:
        return [c.key for c in take_with_cases(ordered, count)]

    assert taken(2) == ["ims-test/c5-myotome", "ims-test/elbow-root"]
    assert taken(3) == DESK
    assert taken(4) == [*DESK, "ims-test/c5-myotome"]
    assert taken(5) == [*DESK, "ims-test/c5-myotome", "ims-test/knee-root"]
    assert taken(10) == [*DESK, "ims-test/c5-myotome", *RUNNER]
    assert taken(0) == []


@pytest.mark.parametrize(
    ("plan", "expected"),
    [
        (
            SessionPlan(Mode.PRACTICE, topics=("safety",)),
            {"clean-technique", "end-order", "knee-apex"},
        ),
        (
            SessionPlan(Mode.PRACTICE, topics=("ims-test/safety",)),
            {"clean-technique", "end-order", "knee-apex"},
        ),
        (SessionPlan(Mode.PRACTICE, topics=("other-bank/safety",)), set()),
        (SessionPlan(Mode.PRACTICE, tags=("theory",)), {"supersensitivity", "spondylosis"}),
        (SessionPlan(Mode.PRACTICE, difficulties=(3,)), {"desk-segment"}),
        (SessionPlan(Mode.PRACTICE, roots=("C7",)), {"myotome-match", "elbow-root"}),
        (SessionPlan(Mode.PRACTICE, roots=("C6", "L4")), {"desk-segment", "knee-root"}),
        (SessionPlan(Mode.PRACTICE, bank_ids=("nope",)), set()),
        (
            SessionPlan(Mode.PRACTICE, topics=("model",), difficulties=(1,)),
            {"supersensitivity", "spondylosis"},
        ),
        (
            SessionPlan(
                Mode.PRACTICE, question_keys=("ims-test/knee-root", "ims-test/gone", "x/c5-myotome")
            ),
            {"knee-root"},
        ),
    ],
)
def test_filters(plan: SessionPlan, expected: set[str]) -> None:
    assert {c.question.id for c in select_questions(plan, BANKS)} == expected


def test_type_filter_takes_the_types_as_banks_write_them() -> None:
    plan = SessionPlan(Mode.PRACTICE, types=("short", "matching"))
    assert {c.question.id for c in select_questions(plan, BANKS)} == {"elbow-root", "myotome-match"}
    plan = SessionPlan(Mode.PRACTICE, types=("true_false",), tags=("theory",))
    assert {c.question.id for c in select_questions(plan, BANKS)} == {"spondylosis"}


HISTORY = {
    "ims-test/c5-myotome": QuestionRecord(attempts=2, last_correct=True),
    "ims-test/knee-root": QuestionRecord(attempts=1, last_correct=False, last_score=0.5),
    "ims-test/knee-apex": QuestionRecord(attempts=1, last_correct=False, flagged=True),
    "ims-test/end-order": QuestionRecord(attempts=0, flagged=True),  # flagged, never answered
}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"incorrect": True}, {"knee-root", "knee-apex"}),
        ({"flagged": True}, {"knee-apex", "end-order"}),
        ({"incorrect": True, "flagged": True}, {"knee-apex"}),
        ({"unused": True, "flagged": True}, {"end-order"}),
        ({"unused": True, "incorrect": True}, set()),
    ],
)
def test_history_filters_read_the_records(filters: dict[str, bool], expected: set[str]) -> None:
    plan = SessionPlan(Mode.PRACTICE, **filters)  # type: ignore[arg-type]
    assert plan.filters_history
    assert {c.question.id for c in select_questions(plan, BANKS, HISTORY)} == expected


def test_unused_keeps_every_question_never_answered() -> None:
    plan = SessionPlan(Mode.PRACTICE, unused=True)
    chosen = {c.key for c in select_questions(plan, BANKS, HISTORY)}
    assert chosen == set(ALL_KEYS) - {
        "ims-test/c5-myotome",
        "ims-test/knee-root",
        "ims-test/knee-apex",
    }
    # without records every question is unused, and none was answered wrong
    assert len(select_questions(plan, BANKS)) == len(ALL_KEYS)
    assert select_questions(SessionPlan(Mode.PRACTICE, incorrect=True), BANKS) == []
    assert not SessionPlan(Mode.PRACTICE).filters_history


def test_history_filters_apply_to_a_planned_session() -> None:
    plan = SessionPlan(Mode.EXAM, incorrect=True, count=20, seed=5)
    assert sorted(keys(plan, HISTORY)) == ["ims-test/knee-apex", "ims-test/knee-root"]


def test_filters_apply_to_the_session() -> None:
    chosen = keys(SessionPlan(Mode.PRACTICE, topics=("safety",), count=20, seed=3))
    assert sorted(chosen) == [
        "ims-test/clean-technique",
        "ims-test/end-order",
        "ims-test/knee-apex",
    ]


def test_plan_round_trips_through_a_dict() -> None:
    plan = SessionPlan(
        Mode.EXAM,
        bank_ids=("a",),
        topics=("t",),
        tags=("x",),
        difficulties=(1, 3),
        roots=("C5",),
        types=("single",),
        incorrect=True,
        flagged=True,
        count=7,
        seed=99,
        minutes=15,
        question_keys=("a/q1", "a/q2"),
    )
    assert msgspec.convert(msgspec.to_builtins(plan), SessionPlan) == plan
    assert msgspec.to_builtins(plan)["mode"] == "exam"
    assert msgspec.convert({"mode": "review"}, SessionPlan) == SessionPlan(Mode.REVIEW)


# --- shuffling ------------------------------------------------------------------------------------


def test_items_are_shuffled_per_seed_and_stable() -> None:
    question = next(q for q in BANK.questions if q.id == "c5-myotome")
    orders = {make_item(BANK, question, seed).choice_order for seed in range(30)}
    assert len(orders) > 5
    assert make_item(BANK, question, 5) == make_item(BANK, question, 5)
    assert all(sorted(order) == [0, 1, 2, 3] for order in orders)


def test_shuffle_false_keeps_file_order() -> None:
    question = next(q for q in BANK.questions if q.id == "knee-root")
    assert {make_item(BANK, question, seed).choice_order for seed in range(20)} == {(0, 1, 2)}


def test_matching_options_hold_every_right_item_and_distractor() -> None:
    question = next(q for q in BANK.questions if isinstance(q, Matching))
    item = make_item(BANK, question, 1)
    assert sorted(item.right_options) == sorted(
        ["Shoulder abduction", "Elbow extension", "Finger abduction", "Hip adduction"]
    )
    unshuffled = make_item(BANK, type(question)(**{**_fields(question), "shuffle": False}), 1)
    assert list(unshuffled.right_options) == sorted(unshuffled.right_options, key=str.casefold)


def test_ordering_is_never_shown_in_the_correct_order() -> None:
    two = Ordering(
        id="two",
        topic="safety",
        prompt="?",
        refs=["gunn"],
        difficulty=1,
        items=["a", "b"],
        shuffle=False,
    )
    for seed in range(20):
        assert make_item(BANK, two, seed).choice_order == (1, 0)
    question = next(q for q in BANK.questions if isinstance(q, Ordering))
    assert all(make_item(BANK, question, seed).choice_order != (0, 1, 2, 3) for seed in range(50))


def test_item_carries_case_and_topic_title() -> None:
    question = next(q for q in BANK.questions if q.id == "elbow-root")
    item = preview_item(BANK, question)
    assert item.case is not None and item.case.title == "A desk worker"
    assert item.topic_title == "Myotomes"
    assert item.key == "ims-test/elbow-root"


def test_session_items_rebuild_a_session_and_skip_missing_questions() -> None:
    plan = SessionPlan(Mode.PRACTICE, count=8, seed=11)
    items = plan_session(plan, BANKS, now=T0)
    keys_ = [item.key for item in items]
    assert session_items(keys_, BANKS, 11) == items
    assert session_items(["gone/q", *keys_[:2], "ims-test/deleted"], BANKS, 11) == items[:2]


def _fields(question: object) -> dict[str, object]:
    return {name: getattr(question, name) for name in question.__struct_fields__}  # type: ignore[attr-defined]


@given(seed=st.integers(0, 2**31), index=st.integers(0, len(BANK.questions) - 1))
def test_a_shuffle_keeps_the_key(seed: int, index: int) -> None:
    """Answering the displayed correct options scores 1 whatever the shuffle."""
    question = BANK.questions[index]
    item = make_item(BANK, question, seed)
    match question:
        case SingleChoice() | MultipleChoice():
            assert sorted(item.choice_order) == list(range(len(question.choices)))
            shown = [question.choices[i] for i in item.choice_order]
            picked = frozenset(item.choice_order[pos] for pos, c in enumerate(shown) if c.correct)
            assert grade_response(question, ChoiceResponse(picked)).correct
        case Ordering():
            assert sorted(item.choice_order) == list(range(len(question.items)))
            assert grade_response(
                question, OrderingResponse(tuple(sorted(item.choice_order)))
            ).correct
        case Matching():
            by_text = {text: text for text in item.right_options}
            matches = tuple(by_text[right] for _, right in question.pairs)
            assert grade_response(question, MatchingResponse(matches)).correct


# --- modes ----------------------------------------------------------------------------------------


def record(**fields: object) -> QuestionRecord:
    return QuestionRecord(**fields)  # type: ignore[arg-type]


def test_review_serves_due_questions_first_most_overdue_first_then_new_in_file_order() -> None:
    records = {
        "ims-test/c5-myotome": record(attempts=1, last_correct=True, due=T0 - timedelta(hours=1)),
        "ims-test/multi-roots": record(attempts=1, last_correct=True, due=T0 - timedelta(days=2)),
        "ims-test/clean-technique": record(
            attempts=1, last_correct=True, due=T0 + timedelta(days=1)
        ),
    }
    chosen = keys(SessionPlan(Mode.REVIEW, count=5, seed=1), records, new_per_day=2)
    assert chosen == [
        "ims-test/multi-roots",
        "ims-test/c5-myotome",
        "ims-test/myotome-match",
        "ims-test/end-order",
    ]


def test_review_respects_the_daily_new_limit() -> None:
    plan = SessionPlan(Mode.REVIEW, count=50, seed=1)
    assert len(keys(plan, {}, new_per_day=20, new_today=0)) == len(ALL_KEYS)
    assert len(keys(plan, {}, new_per_day=20, new_today=16)) == 4
    assert keys(plan, {}, new_per_day=20, new_today=20) == []
    assert keys(plan, {}, new_per_day=20, new_today=25) == []


def test_mistakes_serves_wrong_or_flagged_questions_only() -> None:
    records = {
        "ims-test/c5-myotome": record(attempts=2, last_correct=False, last_score=0.0),
        "ims-test/clean-technique": record(attempts=1, last_correct=False, last_score=0.5),
        "ims-test/multi-roots": record(attempts=1, last_correct=True, last_score=1.0),
        "ims-test/end-order": record(attempts=1, last_correct=True, last_score=1.0, flagged=True),
        "ims-test/knee-apex": record(flagged=True),
    }
    chosen = keys(SessionPlan(Mode.MISTAKES, count=20, seed=5), records)
    assert sorted(chosen) == sorted(
        [
            "ims-test/c5-myotome",
            "ims-test/clean-technique",
            "ims-test/end-order",
            "ims-test/knee-apex",
        ]
    )
    assert keys(SessionPlan(Mode.MISTAKES, count=20, seed=5), {}) == []


def test_weak_serves_the_lowest_mastery_topics_first() -> None:
    # model: 6 questions, safety: 3, myotomes: 4. Make safety strong, model weakest.
    strong = record(attempts=1, last_correct=True, last_score=1.0, mastery=1.0)
    weak = record(attempts=1, last_correct=False, last_score=0.0, mastery=0.0)
    records = {
        "ims-test/clean-technique": strong,
        "ims-test/end-order": strong,
        "ims-test/knee-apex": strong,
        "ims-test/c5-myotome": strong,
        "ims-test/multi-roots": strong,
        "ims-test/supersensitivity": weak,
    }
    chosen = keys(SessionPlan(Mode.WEAK, count=20, seed=2), records)
    topic_of = {f"ims-test/{q.id}": q.topic for q in BANK.questions}
    topics = list(dict.fromkeys(topic_of[key] for key in chosen))
    assert topics[0] == "model"
    assert set(topics) == {"model", "myotomes", "safety"}
    # within the weakest topic, the question answered wrong leads
    assert chosen[0] == "ims-test/supersensitivity"


def test_weak_needs_some_history() -> None:
    assert keys(SessionPlan(Mode.WEAK, count=20, seed=2), {}) == []


def test_every_mode_has_one_display_name_and_blurb() -> None:
    labels = {mode: mode.label for mode in Mode}
    assert labels[Mode.WEAK] == "Weak areas"
    assert len(set(labels.values())) == len(Mode)
    assert all(mode.blurb and mode.blurb == mode.blurb.strip() for mode in Mode)


def test_items_carry_their_references_resolved() -> None:
    bank = msgspec.structs.replace(
        BANK,
        sources={
            "gunn": "Gunn CC. The Gunn Approach to the Treatment of Chronic Pain. 1996.",
            "web": Source(citation="A web page", url="https://example.org/ims"),
        },
    )
    question = msgspec.structs.replace(BANK.questions[0], refs=["web", "gunn", "gone"])
    item = make_item(bank, question, seed=1)
    assert item.references == (
        Reference("web", "A web page", "https://example.org/ims"),
        Reference("gunn", "Gunn CC. The Gunn Approach to the Treatment of Chronic Pain. 1996."),
        Reference("gone", "gone"),
    )
    rebuilt = session_items([item.key], [bank], seed=1)
    assert [i.references for i in rebuilt] == [(Reference("gunn", BANK.source("gunn").citation),)]


def test_each_mode_has_its_default_count() -> None:
    assert {mode: mode.default_count for mode in Mode} == {
        Mode.PRACTICE: 10,
        Mode.EXAM: 20,
        Mode.REVIEW: 20,
        Mode.WEAK: 10,
        Mode.MISTAKES: 10,
    }
