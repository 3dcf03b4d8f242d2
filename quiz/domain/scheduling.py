"""Spaced repetition: when each question comes back, and how well it is known.

The scheduler is the ``fsrs`` package (FSRS-6); this module only decides what to tell it. Every
question a profile has answered has one FSRS :class:`~fsrs.Card`; each answer reviews the card
with a :class:`~fsrs.Rating` and leaves a :class:`~fsrs.ReviewLog`, kept so that the scheduler's
parameters can be optimised on a trainee's own history later.

Rating rule (also in ``docs/grading.md``): the rating comes from recall, never from speed.

- **Again**: the score is 0, or an unsafe option was picked (whatever the partial score).
- **Hard**: partial credit (0 < score < 1), or right but said *not sure*.
- **Good**: right and said *fairly sure*, or right with certainty-based marking off.
- **Easy**: right and said *sure*; never without a certainty.

The time an answer took is recorded (in the attempt and the review log) but decides nothing.
An answer to a question whose key the trainee saw less than :data:`KEY_SEEN_WINDOW` ago (a
retry straight after the results, a repeat within a session) is graded and kept but reviews no
card (:func:`reschedules`): it shows the key was remembered for minutes, not learnt.

Mastery of one question is ``retrievability x last score``: FSRS's predicted chance of recalling
it now, times how well it was answered last time. It is 1 just after a right answer and fades as
the memory does; a wrong or partial answer caps it. Topics and roots aggregate it in
:mod:`quiz.domain.stats`.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import UTC, datetime, timedelta
from typing import Final

from fsrs import Card, Rating, ReviewLog, Scheduler, State

from quiz.domain.cbm import Certainty
from quiz.domain.grading import Grade
from quiz.domain.session import Answer, Attempt, Mode, SessionItem
from quiz.domain.stats import DEFAULT_RETENTION

__all__ = [
    "KEY_SEEN_WINDOW",
    "SCHEDULER",
    "Card",
    "Rating",
    "ReviewLog",
    "State",
    "card_id_for",
    "graded_attempt",
    "new_card",
    "question_mastery",
    "rating_for",
    "reschedules",
    "retrievability",
    "review",
    "review_attempt",
    "scheduled_due",
    "scheduler_for",
]


@functools.cache
def scheduler_for(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS-6 scheduler with its default parameters, aiming at ``desired_retention``.

    Fuzzing is off: it draws from the global ``random`` module, and schedules here must follow
    only from the clock and the answers (a bank of a few hundred questions gains little from
    spreading).
    """
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


SCHEDULER: Final = scheduler_for(DEFAULT_RETENTION)
"""The scheduler at the default retention (90%)."""

KEY_SEEN_WINDOW: Final = timedelta(minutes=10)
"""An answer this soon after the question's key was shown does not reschedule its card."""


def rating_for(grade: Grade, certainty: Certainty | None) -> Rating:
    """The FSRS rating for an answer graded ``grade`` and said with ``certainty`` (``None``:
    certainty-based marking was off), by the rule in this module's docstring."""
    if grade.score <= 0.0 or grade.unsafe:
        return Rating.Again
    if not grade.correct:
        return Rating.Hard
    match certainty:
        case None | Certainty.FAIRLY_SURE:
            return Rating.Good
        case Certainty.SURE:
            return Rating.Easy
        case Certainty.NOT_SURE:
            return Rating.Hard


def reschedules(key_seen_at: datetime | None, answered_at: datetime) -> bool:
    """Whether an answer at ``answered_at`` reviews the card, given when the trainee last saw
    the question's key (``None``: never): not within :data:`KEY_SEEN_WINDOW` of it.

    Either side of it: apps sharing a server may disagree on the time by a little, and an
    answer "before" a key another app recorded a minute later is no recall either.
    """
    return key_seen_at is None or abs(answered_at - key_seen_at) >= KEY_SEEN_WINDOW


def card_id_for(key: str) -> int:
    """A stable 63-bit card id for the question ``key`` (``bank-id/question-id``).

    ``fsrs`` would otherwise number cards by the wall clock, and sleep to keep them apart.
    """
    digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def new_card(key: str, now: datetime) -> Card:
    """A card for a question never reviewed before, due ``now``."""
    return Card(card_id=card_id_for(key), due=_utc(now))


def review(
    card: Card,
    rating: Rating,
    now: datetime,
    seconds: float,
    *,
    desired_retention: float = DEFAULT_RETENTION,
) -> tuple[Card, ReviewLog]:
    """Review ``card`` at ``now``: the updated copy of the card and the review's log entry.

    ``desired_retention`` is the trainee's target probability of recall when the card comes
    due again: a higher one brings it back sooner.
    """
    return scheduler_for(desired_retention).review_card(
        card, rating, review_datetime=_utc(now), review_duration=round(seconds * 1000)
    )


def scheduled_due(card: Card, desired_retention: float) -> datetime:
    """When ``card`` would be due had its last review aimed at ``desired_retention``.

    A card in review state comes back after FSRS's interval for its stability at that
    retention; cards still in (re)learning steps keep their due time, which the retention does
    not decide. This is what the Settings screen's forecast shows for a retention not chosen
    yet.
    """
    if card.state is not State.Review or card.stability is None or card.last_review is None:
        return card.due
    # fsrs computes the interval in a private method; it is the one its reviews use.
    days = scheduler_for(desired_retention)._next_interval(stability=card.stability)
    return card.last_review + timedelta(days=days)


def graded_attempt(
    item: SessionItem,
    answer: Answer,
    *,
    mode: Mode,
    answered_at: datetime,
    session_id: int | None,
) -> tuple[Attempt, Rating]:
    """The attempt that records ``answer`` to ``item``, and the rating it reviews its card with.

    The store records the pair with :func:`review_attempt`, in one transaction.
    """
    attempt = Attempt.of(item, answer, mode=mode, answered_at=answered_at, session_id=session_id)
    return attempt, rating_for(answer.grade, answer.certainty)


def review_attempt(
    card: Card | None,
    attempt: Attempt,
    rating: Rating,
    *,
    desired_retention: float = DEFAULT_RETENTION,
) -> tuple[Card, ReviewLog]:
    """The question's card after ``attempt`` (rated ``rating``), and the review's log entry.

    ``card`` is the card as it stands (``None`` before the question's first answer, which
    creates it). The one place an answer reviews a card: the store calls this inside the
    transaction that records the attempt, so two apps on one profile lose no review.
    """
    if card is None:
        card = new_card(attempt.key, attempt.answered_at)
    return review(
        card, rating, attempt.answered_at, attempt.seconds, desired_retention=desired_retention
    )


def retrievability(card: Card, now: datetime) -> float:
    """FSRS's predicted probability, 0 to 1, that the card is recalled at ``now``."""
    return float(SCHEDULER.get_card_retrievability(card, _utc(now)))


def question_mastery(card: Card | None, last_score: float, now: datetime) -> float:
    """How well one question is known now: retrievability times the last score (0 if unseen)."""
    if card is None:
        return 0.0
    return retrievability(card, now) * last_score


def _utc(moment: datetime) -> datetime:
    # fsrs insists on tzinfo being exactly timezone.utc.
    if moment.tzinfo is None:
        raise ValueError(f"a timezone-aware datetime is needed, got {moment!r}")
    return moment.astimezone(UTC)
