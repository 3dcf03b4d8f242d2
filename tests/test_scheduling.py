"""The FSRS rating rule, card handling, mastery, and the statistics built on them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from quiz.domain.cbm import Certainty
from quiz.domain.grading import ChoiceResponse, Grade
from quiz.domain.model import Anatomy
from quiz.domain.scheduling import (
    Card,
    Rating,
    State,
    card_id_for,
    graded_attempt,
    new_card,
    question_mastery,
    rating_for,
    reschedules,
    retrievability,
    review,
    scheduled_due,
)
from quiz.domain.session import Answer, Mode, make_item
from quiz.domain.stats import (
    SPINAL_REGIONS,
    SPINAL_ROOTS,
    QuestionRecord,
    day_start,
    due_forecast,
    local_day,
    mastery_level,
    root_mastery,
    streak_days,
    topic_mastery,
)
from tests.engine_helpers import T0, bank_from_yaml

BANK = bank_from_yaml()
SINGLE_RECALL = next(
    q for q in BANK.questions if q.id == "c5-myotome"
)  # single, difficulty 1: 20 s
RIGHT = Grade(1.0, True, False)
PARTIAL = Grade(0.5, False, False)
WRONG = Grade(0.0, False, False)


UNSAFE_PARTIAL = Grade(0.5, False, True, (2,))
UNSAFE_WRONG = Grade(0.0, False, True, (2,))
NOT_SURE, FAIRLY, SURE = Certainty.NOT_SURE, Certainty.FAIRLY_SURE, Certainty.SURE


@pytest.mark.parametrize(
    ("grade", "certainty", "rating"),
    [
        # wrong, or an unsafe pick: Again, however sure
        *((WRONG, level, Rating.Again) for level in (None, NOT_SURE, FAIRLY, SURE)),
        *((UNSAFE_PARTIAL, level, Rating.Again) for level in (None, NOT_SURE, FAIRLY, SURE)),
        *((UNSAFE_WRONG, level, Rating.Again) for level in (None, NOT_SURE, FAIRLY, SURE)),
        # partly right: Hard, however sure
        *((PARTIAL, level, Rating.Hard) for level in (None, NOT_SURE, FAIRLY, SURE)),
        # right: by certainty; with certainty off, Good and never Easy
        (RIGHT, NOT_SURE, Rating.Hard),
        (RIGHT, FAIRLY, Rating.Good),
        (RIGHT, SURE, Rating.Easy),
        (RIGHT, None, Rating.Good),
    ],
)
def test_rating_rule(grade: Grade, certainty: Certainty | None, rating: Rating) -> None:
    assert rating_for(grade, certainty) is rating


@pytest.mark.parametrize("seconds", [0.0, 1.0, 20.0, 600.0, 36000.0])
def test_time_never_decides_the_rating(seconds: float) -> None:
    item = make_item(BANK, SINGLE_RECALL, 1)
    answer = Answer(0, ChoiceResponse(frozenset({0})), RIGHT, seconds, None)
    attempt, rating = graded_attempt(
        item, answer, mode=Mode.PRACTICE, answered_at=T0, session_id=None
    )
    assert rating is Rating.Good
    assert attempt.seconds == seconds  # recorded all the same


@pytest.mark.parametrize(
    ("seen", "reschedules_"),
    [
        (None, True),
        (timedelta(seconds=0), False),
        (timedelta(minutes=1), False),
        (timedelta(minutes=9, seconds=59), False),
        (timedelta(minutes=10), True),
        (timedelta(days=2), True),
        (-timedelta(minutes=1), False),  # another app's clock a minute ahead
        (-timedelta(minutes=10), True),
    ],
)
def test_an_answer_soon_after_the_key_does_not_reschedule(
    seen: timedelta | None, reschedules_: bool
) -> None:
    answered_at = T0 + timedelta(hours=1)
    key_seen_at = None if seen is None else answered_at - seen
    assert reschedules(key_seen_at, answered_at) is reschedules_


def test_card_ids_are_stable_and_distinct() -> None:
    assert card_id_for("b/q") == card_id_for("b/q")
    assert card_id_for("b/q") != card_id_for("b/r")
    assert 0 <= card_id_for("b/q") < 2**63


def test_review_returns_a_new_card_and_a_log() -> None:
    card = new_card("b/q", T0)
    assert card.due == T0
    reviewed, log = review(card, Rating.Good, T0, seconds=12.5)
    assert card.last_review is None  # the original is untouched
    assert reviewed.last_review == T0 and reviewed.due > T0
    assert (log.card_id, log.rating, log.review_datetime, log.review_duration) == (
        card.card_id,
        Rating.Good,
        T0,
        12500,
    )


def test_reviews_are_deterministic_for_the_same_inputs() -> None:
    def run() -> Card:
        card = new_card("b/q", T0)
        moment = T0
        for rating in (Rating.Good, Rating.Good, Rating.Easy, Rating.Good, Rating.Good):
            card, _ = review(card, rating, moment, 5)
            moment = card.due
        return card

    assert run().to_dict() == run().to_dict()
    assert run().due - T0 > timedelta(days=20)


def test_cards_round_trip_through_dicts() -> None:
    card, _ = review(new_card("b/q", T0), Rating.Hard, T0, 3)
    assert Card.from_dict(card.to_dict()) == card


def test_a_wrong_answer_brings_the_question_back_sooner() -> None:
    good, _ = review(new_card("b/q", T0), Rating.Easy, T0, 3)
    again, _ = review(new_card("b/q", T0), Rating.Again, T0, 3)
    assert again.due < good.due


def test_question_mastery_is_retrievability_times_last_score() -> None:
    card, _ = review(new_card("b/q", T0), Rating.Good, T0, 10)
    assert question_mastery(None, 1.0, T0) == 0.0
    assert question_mastery(card, 1.0, T0) == pytest.approx(1.0)
    assert question_mastery(card, 0.5, T0) == pytest.approx(0.5)
    later = T0 + timedelta(days=10)
    faded = question_mastery(card, 1.0, later)
    assert faded == pytest.approx(retrievability(card, later))
    assert 0 < faded < 0.9


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        new_card("b/q", datetime(2026, 1, 1))


# --- stats ----------------------------------------------------------------------------------------


def test_topic_mastery_keeps_coverage_apart_from_how_well_the_seen_are_held() -> None:
    records = {
        "ims-test/clean-technique": QuestionRecord(attempts=2, mastery=1.0, last_correct=True),
        "ims-test/end-order": QuestionRecord(attempts=1, mastery=0.5),
    }
    by_key = {m.key: m for m in topic_mastery([BANK], records)}
    assert list(by_key) == ["ims-test/myotomes", "ims-test/safety", "ims-test/model"]
    safety = by_key["ims-test/safety"]  # 2 of 3 questions seen: (1 + 0.5) / 2 held
    assert (safety.title, safety.held, safety.seen, safety.questions, safety.attempts) == (
        "Needling safety",
        pytest.approx(0.75),
        2,
        3,
        3,
    )
    assert safety.coverage == pytest.approx(2 / 3) and safety.missed == 1
    model = by_key["ims-test/model"]
    assert (model.held, model.seen, model.attempts, mastery_level(model)) == (0.0, 0, 0, "unseen")


@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.integers(1, 5)),
        min_size=1,
        max_size=len(BANK.questions),
    )
)
def test_answering_everything_met_right_never_shows_weak(
    answers: list[tuple[float, int]],
) -> None:
    """Whatever the retrievability, and however few of a topic's questions were met: a topic
    or root whose seen questions were all last answered right is never *weak*."""
    keys = [f"{BANK.id}/{q.id}" for q in BANK.questions]
    records = {
        key: QuestionRecord(attempts=n, mastery=held, last_correct=True)
        for key, (held, n) in zip(keys, answers, strict=False)
    }
    for mastery in [*topic_mastery([BANK], records), *root_mastery([BANK], records)]:
        assert mastery_level(mastery) != "weak"
    wrong = {key: msgspec.structs.replace(r, last_correct=False) for key, r in records.items()}
    levels = {mastery_level(m) for m in topic_mastery([BANK], wrong)}
    if len(answers) == 1 and answers[0][0] < 0.4:
        assert "weak" in levels  # one question, met and missed, and barely held: weak


def test_one_list_of_roots_is_what_the_bank_format_accepts() -> None:
    assert len(SPINAL_ROOTS) == 8 + 12 + 5 + 5
    assert [region for region, _ in SPINAL_REGIONS] == ["Cervical", "Thoracic", "Lumbar", "Sacral"]
    anatomy = msgspec.json.Decoder(Anatomy)
    for root in SPINAL_ROOTS:
        assert anatomy.decode(msgspec.json.encode({"roots": [root]})).roots == [root]
    for outside in ("C0", "C9", "T13", "L6", "S6", "Co1"):
        with pytest.raises(msgspec.ValidationError):
            anatomy.decode(msgspec.json.encode({"roots": [outside]}))


def test_root_mastery_lists_every_root() -> None:
    records = {"ims-test/c5-myotome": QuestionRecord(attempts=1, mastery=1.0)}
    roots = root_mastery([BANK], records)
    assert [m.key for m in roots] == list(SPINAL_ROOTS)
    by_key = {m.key: m for m in roots}
    # C5 is named by c5-myotome, myotome-match and desk-segment
    c5 = by_key["C5"]
    assert (c5.held, c5.seen, c5.questions, c5.attempts) == (1.0, 1, 3, 1)
    assert by_key["C7"].seen == 0 and by_key["T7"].attempts == 0


def test_streak_counts_back_from_today_or_yesterday() -> None:
    today = date(2026, 3, 10)
    days = [today - timedelta(days=n) for n in (0, 1, 2, 4)]
    assert streak_days(days, today) == 3
    assert streak_days(days[1:], today) == 2  # nothing yet today: yesterday's streak still counts
    assert streak_days(days[2:], today) == 0
    assert streak_days([], today) == 0


def test_days_follow_the_time_zone() -> None:
    late = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    plus_two = timezone(timedelta(hours=2))
    assert local_day(late, UTC) == date(2026, 3, 2)
    assert local_day(late, plus_two) == date(2026, 3, 3)
    assert day_start(date(2026, 3, 3), plus_two) == datetime(2026, 3, 2, 22, 0, tzinfo=UTC)


def test_due_forecast_puts_overdue_questions_today() -> None:
    dues = [
        T0 - timedelta(days=3),
        T0 + timedelta(hours=1),
        T0 + timedelta(days=2),
        T0 + timedelta(days=30),
    ]
    forecast = due_forecast(dues, T0, days=4, tz=UTC)
    assert forecast == [
        (date(2026, 3, 2), 2),
        (date(2026, 3, 3), 0),
        (date(2026, 3, 4), 1),
        (date(2026, 3, 5), 0),
    ]


def test_desired_retention_reaches_the_scheduler_and_the_forecast() -> None:
    """A higher target brings a card in review back sooner; learning steps do not depend on
    it; and the forecast's "what if" due time is the due time a review at that target gives."""
    card, when = new_card("b/q", T0), T0
    for _ in range(4):  # through the learning steps, into review
        card, _ = review(card, Rating.Good, when, 10)
        when = card.due
    assert card.state is State.Review
    at = {r: review(card, Rating.Good, when, 10, desired_retention=r)[0] for r in (0.8, 0.97)}
    assert at[0.97].due < at[0.8].due
    for retention, reviewed in at.items():
        assert scheduled_due(reviewed, retention) == reviewed.due
    assert scheduled_due(at[0.8], 0.97) == at[0.97].due
    learning, _ = review(new_card("b/r", T0), Rating.Again, T0, 10)
    assert scheduled_due(learning, 0.97) == scheduled_due(learning, 0.8) == learning.due
