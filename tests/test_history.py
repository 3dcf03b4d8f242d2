"""The history rules (quiz.domain.history): flags, new today, the daily limit, what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from quiz.domain.grading import TrueFalseResponse
from quiz.domain.history import (
    new_started_today,
    open_flags,
    read_history,
    summarise,
    tally_after,
    tally_attempts,
)
from quiz.domain.scheduling import Rating, new_card, review, review_attempt
from quiz.domain.session import Attempt, Mode
from quiz.domain.stats import DayStat, new_limit
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
    assert open_flags(flags, tally_attempts(attempts)) == {"b/r", "b/s", "b/t"}


def test_new_today_counts_first_attempts_in_review_on_the_local_day() -> None:
    tz = timezone(timedelta(hours=-5))  # noon UTC is 07:00 local; local midnight is 05:00 UTC
    attempts = [
        attempt("b/a", T0, mode=Mode.REVIEW),
        attempt("b/b", T0 - timedelta(hours=7.5), mode=Mode.REVIEW),  # 23:30 local, yesterday
        attempt("b/c", T0 - timedelta(hours=6), mode=Mode.PRACTICE),  # first seen in practice
        attempt("b/c", T0, mode=Mode.REVIEW),
        attempt("b/d", T0 - timedelta(hours=6.5), mode=Mode.REVIEW),  # 00:30 local, today
    ]
    assert new_started_today(tally_attempts(attempts), T0, tz) == 2
    assert new_started_today(tally_attempts(attempts), T0, UTC) == 3


def test_the_daily_limit_never_goes_below_zero() -> None:
    assert [new_limit(20, used) for used in (0, 19, 20, 25)] == [20, 1, 0, 0]


def test_records_and_summary_follow_the_injected_time() -> None:
    done = [attempt(KEYS[0], T0 - timedelta(days=3), mode=Mode.REVIEW)]
    done.append(attempt(KEYS[1], T0, mode=Mode.REVIEW, correct=False))
    card, _ = review(new_card(KEYS[0], done[0].answered_at), Rating.Good, done[0].answered_at, 10)
    wrong, _ = review(new_card(KEYS[1], T0), Rating.Again, T0, 10)
    days = [DayStat(T0.date() - timedelta(days=3), 1, 1), DayStat(T0.date(), 1, 0)]
    cards = {KEYS[0]: card, KEYS[1]: wrong}
    history = read_history(tally_attempts(done), cards, [(1, KEYS[2])], days, T0, UTC)
    assert set(history.records) == {KEYS[0], KEYS[1], KEYS[2]}
    assert history.records[KEYS[2]].flagged and history.records[KEYS[2]].attempts == 0
    assert history.records[KEYS[1]].due == wrong.due and history.new_today == 1
    summary = summarise("ann", history, [BANK], now=T0, tz=UTC, new_per_day=2)
    due = sum(c.due <= T0 + timedelta(minutes=20) for c in (card, wrong))
    assert due == 2  # a step passed days ago, and one that comes within the learn-ahead limit
    assert (summary.attempts, summary.accuracy, summary.due_now) == (2, 0.5, due)
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


def test_a_tally_adds_up_its_attempts_one_by_one() -> None:
    first = attempt(KEYS[0], T0, correct=False, session_id=4, mode=Mode.REVIEW)
    tally = tally_after(None, first)
    assert (tally.attempts, tally.correct, tally.last_right_session) == (1, 0, None)
    assert (tally.first_mode, tally.first_answered_at) == (Mode.REVIEW, T0)
    later = T0 + timedelta(hours=1)
    tally = tally_after(tally, attempt(KEYS[0], later, session_id=6))
    tally = tally_after(tally, attempt(KEYS[0], later, session_id=5))  # an older session, resumed
    tally = tally_after(tally, attempt(KEYS[0], later, correct=False, session_id=7))
    assert (tally.attempts, tally.correct, tally.last_right_session) == (4, 2, 6)
    assert (tally.last_correct, tally.last_score, tally.last_answered_at) == (False, 0.0, later)
    assert tally.first_mode is Mode.REVIEW and tally.first_answered_at == T0
