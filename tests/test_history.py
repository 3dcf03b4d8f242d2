"""The history rules (quiz.domain.history): flags, new today, the daily limit, what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from quiz.domain.grading import TrueFalseResponse
from quiz.domain.history import (
    new_started_today,
    open_flags,
    read_history,
    summarise,
)
from quiz.domain.scheduling import Rating, new_card, review, review_attempt
from quiz.domain.session import Attempt, Mode
from quiz.domain.stats import new_limit
from tests.engine_helpers import T0, bank_from_yaml

BANK = bank_from_yaml()
KEYS = [f"{BANK.id}/{q.id}" for q in BANK.questions]


def attempt(
    key: str,
    at: datetime,
    *,
    correct: bool = True,
    session_id: int | None = 1,
    mode: Mode = Mode.PRACTICE,
) -> Attempt:
    bank_id, _, question_id = key.partition("/")
    return Attempt(
        bank_id=bank_id,
        question_id=question_id,
        content_hash="0" * 16,
        mode=mode,
        response=TrueFalseResponse(correct),
        score=1.0 if correct else 0.0,
        correct=correct,
        unsafe=False,
        unsafe_choices=(),
        seconds=10.0,
        answered_at=at,
        session_id=session_id,
    )


def test_a_flag_stays_open_until_answered_right_in_a_later_session() -> None:
    flags = [(2, "b/q"), (2, "b/r"), (2, "b/s"), (5, "b/t")]
    attempts = [
        attempt("b/q", T0, session_id=3),  # right later: closed
        attempt("b/r", T0, session_id=2),  # right in the same session: still open
        attempt("b/s", T0, session_id=4, correct=False),  # wrong later: still open
        attempt("b/t", T0, session_id=None),  # right outside any session: still open
    ]
    assert open_flags(flags, attempts) == {"b/r", "b/s", "b/t"}


def test_new_today_counts_first_attempts_in_review_on_the_local_day() -> None:
    tz = timezone(timedelta(hours=-5))  # noon UTC is 07:00 local; local midnight is 05:00 UTC
    attempts = [
        attempt("b/a", T0, mode=Mode.REVIEW),
        attempt("b/b", T0 - timedelta(hours=7.5), mode=Mode.REVIEW),  # 23:30 local, yesterday
        attempt("b/c", T0 - timedelta(hours=6), mode=Mode.PRACTICE),  # first seen in practice
        attempt("b/c", T0, mode=Mode.REVIEW),
        attempt("b/d", T0 - timedelta(hours=6.5), mode=Mode.REVIEW),  # 00:30 local, today
    ]
    assert new_started_today(attempts, T0, tz) == 2
    assert new_started_today(attempts, T0, UTC) == 3


def test_the_daily_limit_never_goes_below_zero() -> None:
    assert [new_limit(20, used) for used in (0, 19, 20, 25)] == [20, 1, 0, 0]


def test_records_and_summary_follow_the_injected_time() -> None:
    done = [attempt(KEYS[0], T0 - timedelta(days=3), mode=Mode.REVIEW)]
    done.append(attempt(KEYS[1], T0, mode=Mode.REVIEW, correct=False))
    card, _ = review(new_card(KEYS[0], done[0].answered_at), Rating.Good, done[0].answered_at, 10)
    wrong, _ = review(new_card(KEYS[1], T0), Rating.Again, T0, 10)
    history = read_history(done, {KEYS[0]: card, KEYS[1]: wrong}, [(1, KEYS[2])], T0, UTC)
    assert set(history.records) == {KEYS[0], KEYS[1], KEYS[2]}
    assert history.records[KEYS[2]].flagged and history.records[KEYS[2]].attempts == 0
    assert history.records[KEYS[1]].due == wrong.due and history.new_today == 1
    summary = summarise("ann", history, [BANK], now=T0, tz=UTC, new_per_day=2)
    due = sum(c.due < datetime(2026, 3, 3, tzinfo=UTC) for c in (card, wrong))
    assert (summary.attempts, summary.accuracy, summary.due_today) == (2, 0.5, due)
    assert summary.new_available == 1  # 2 a day, 1 started today
    assert summary.questions_total == len(KEYS) and summary.streak_days == 1
    tomorrow = summarise("ann", history, [BANK], now=T0 + timedelta(days=1), tz=UTC, new_per_day=2)
    assert tomorrow.new_available == 1 and tomorrow.streak_days == 1  # new_today is the caller's


def test_an_answer_reviews_its_card_in_one_function() -> None:
    first = attempt(KEYS[0], T0)
    card, log = review_attempt(None, first, Rating.Good)
    assert (card, log) == review(new_card(KEYS[0], T0), Rating.Good, T0, first.seconds)
    later = attempt(KEYS[0], card.due)
    again, _ = review_attempt(card, later, Rating.Again)
    assert again.card_id == card.card_id and again.last_review == card.due
