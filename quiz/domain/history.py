"""What a profile's answers add up to: per-question records, open flags, the daily new limit,
and the numbers that Home, Progress and ``ims-quiz stats`` show.

Pure functions over the store's plain records, with the time and the time zone passed in. The
rules:

- **Flags**: a flag stays open until the question is answered right in a later session.
- **New today**: a question counts against today's new limit when its first attempt ever was
  in a review session today (local calendar day in the given time zone).
- **Daily limit**: review introduces ``max(0, new_per_day - new_today)`` new questions more
  today; Home's "new available" is that, capped by the questions never scheduled.
- **Due now**: a question is due when its FSRS card is due now or within the learn-ahead
  limit (:func:`~quiz.domain.stats.due_now`), so Home's count is what review serves when
  started now.
- **Days**: the store counts each attempt on the local day it was answered, in the time zone
  of the app that recorded it (:class:`~quiz.domain.stats.DayStat`); streaks and the daily
  history read those days.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

import msgspec

from quiz.domain.keys import question_key
from quiz.domain.model import Bank
from quiz.domain.planning import queue_size
from quiz.domain.session import Attempt, Mode
from quiz.domain.stats import (
    DEFAULT_RETENTION,
    DayStat,
    Mastery,
    QuestionRecord,
    due_forecast,
    due_now,
    local_day,
    new_limit,
    root_mastery,
    streak_days,
    topic_mastery,
)

if TYPE_CHECKING:
    from quiz.domain.scheduling import Card


class QuestionTally(msgspec.Struct, frozen=True):
    """What one profile's attempts at one question add up to, as the store keeps it: updated
    by :func:`tally_after` as each attempt is recorded, so no screen reads the whole history."""

    attempts: int
    correct: int
    """Attempts fully right."""
    unsafe: int
    """Attempts in which an unsafe option was picked."""
    last_score: float
    last_correct: bool
    last_answered_at: datetime
    last_right_session: int | None
    """The newest session in which it was answered fully right (flags close after it)."""
    first_mode: Mode
    first_answered_at: datetime


def tally_after(tally: QuestionTally | None, attempt: Attempt) -> QuestionTally:
    """``tally`` (``None`` before the first attempt) once ``attempt`` is added to it."""
    right_session = attempt.session_id if attempt.correct else None
    if tally is None:
        return QuestionTally(
            attempts=1,
            correct=int(attempt.correct),
            unsafe=int(attempt.unsafe),
            last_score=attempt.score,
            last_correct=attempt.correct,
            last_answered_at=attempt.answered_at,
            last_right_session=right_session,
            first_mode=attempt.mode,
            first_answered_at=attempt.answered_at,
        )
    if right_session is not None and tally.last_right_session is not None:
        right_session = max(right_session, tally.last_right_session)
    return msgspec.structs.replace(
        tally,
        attempts=tally.attempts + 1,
        correct=tally.correct + attempt.correct,
        unsafe=tally.unsafe + attempt.unsafe,
        last_score=attempt.score,
        last_correct=attempt.correct,
        last_answered_at=attempt.answered_at,
        last_right_session=(tally.last_right_session if right_session is None else right_session),
    )


def tally_attempts(attempts: Iterable[Attempt]) -> dict[str, QuestionTally]:
    """The tally of every question of ``attempts`` (oldest first), by question key."""
    tallies: dict[str, QuestionTally] = {}
    for attempt in attempts:
        tallies[attempt.key] = tally_after(tallies.get(attempt.key), attempt)
    return tallies


class History(msgspec.Struct, frozen=True):
    """A profile's history as planning and the statistics read it."""

    questions: dict[str, QuestionTally]
    """The tally of every question with an attempt, by key."""
    days: list[DayStat]
    """One entry per local day with attempts, oldest first."""
    records: dict[str, QuestionRecord]
    """One record per question key with an attempt, a card or an open flag."""
    new_today: int
    """New questions started today (see the module docstring)."""


class Summary(msgspec.Struct, frozen=True):
    """The home screen's numbers for one profile."""

    profile: str
    attempts: int
    accuracy: float | None
    """Share of attempts fully right; ``None`` before the first attempt."""
    due_now: int
    """Questions due now (:func:`~quiz.domain.stats.due_now`): what a review started now
    serves before any new question."""
    new_available: int
    """New questions review mode would still introduce today (the daily limit applies)."""
    streak_days: int
    unsafe_picks: int
    """Attempts in which an unsafe option was picked."""
    topics: list[Mastery]
    questions_total: int
    due_reviews: int = 0
    """Answers given to questions that were due: the measured retention's denominator."""
    measured_retention: float | None = None
    """Share of those answered fully right; ``None`` before the first due review."""
    desired_retention: float = DEFAULT_RETENTION
    """The retention FSRS schedules for (the trainee's setting)."""
    weak_queue: int = 0
    """Questions a weak-areas session would serve now."""
    mistakes_queue: int = 0
    """Questions a mistakes session would serve now."""


class Progress(msgspec.Struct, frozen=True):
    """Everything the progress screen and ``ims-quiz stats`` show."""

    summary: Summary
    history: list[DayStat]
    """One entry per day with attempts, oldest first."""
    topics: list[Mastery]
    roots: list[Mastery]
    """Every spinal root, C1 to S5 (:data:`~quiz.domain.stats.SPINAL_ROOTS`); attempts may be 0."""
    unsafe: list[tuple[str, str, datetime]]
    """(question key, unsafe option text, when) of the latest attempts with an unsafe pick,
    oldest first (``summary.unsafe_picks`` counts them all)."""
    forecast: list[tuple[date, int]]
    """Questions due on each of the next 14 days; today includes overdue ones."""


def open_flags(
    flags: Iterable[tuple[int, str]], questions: Mapping[str, QuestionTally]
) -> set[str]:
    """Keys of the questions flagged and not answered right in any later session.

    Args:
        flags: (session id, question key) of every flag the profile set.
        questions: The profile's tallies by question key.
    """
    return {
        key
        for session_id, key in flags
        if (tally := questions.get(key)) is None
        or tally.last_right_session is None
        or tally.last_right_session <= session_id
    }


def new_started_today(
    questions: Mapping[str, QuestionTally], now: datetime, tz: tzinfo | None
) -> int:
    """Questions whose first attempt was in a review session on ``now``'s local day."""
    today = local_day(now, tz)
    return sum(
        tally.first_mode is Mode.REVIEW and local_day(tally.first_answered_at, tz) == today
        for tally in questions.values()
    )


def read_history(
    questions: Mapping[str, QuestionTally],
    cards: Mapping[str, Card],
    flags: Iterable[tuple[int, str]],
    days: list[DayStat],
    now: datetime,
    tz: tzinfo | None,
) -> History:
    """The profile's :class:`History` from what the store keeps.

    Args:
        questions: The profile's tallies by question key.
        cards: The profile's FSRS cards by question key.
        flags: (session id, question key) of every flag the profile set.
        days: The profile's attempts per local day, oldest first.
        now: The current time (mastery fades with it; "today" is its local day).
        tz: The time zone days follow; ``None`` is the computer's.
    """
    # fsrs loads with the first history read, not with the service (see quiz.service).
    from quiz.domain.scheduling import question_mastery

    flagged = open_flags(flags, questions)
    records: dict[str, QuestionRecord] = {}
    for key in questions.keys() | cards.keys() | flagged:
        tally = questions.get(key)
        card = cards.get(key)
        records[key] = QuestionRecord(
            attempts=tally.attempts if tally else 0,
            last_score=tally.last_score if tally else 0.0,
            last_correct=tally.last_correct if tally else False,
            last_answered_at=tally.last_answered_at if tally else None,
            due=card.due if card else None,
            mastery=question_mastery(card, tally.last_score, now) if tally else 0.0,
            flagged=key in flagged,
        )
    return History(dict(questions), days, records, new_started_today(questions, now, tz))


def library_keys(banks: Iterable[Bank]) -> set[str]:
    """The key of every question in ``banks``."""
    return {question_key(bank.id, q.id) for bank in banks for q in bank.questions}


def summarise(
    profile: str,
    history: History,
    banks: Sequence[Bank],
    *,
    now: datetime,
    tz: tzinfo | None,
    new_per_day: int,
    desired_retention: float = DEFAULT_RETENTION,
) -> Summary:
    """Home's numbers: totals, what is due now, the new questions left today, the streak."""
    keys = library_keys(banks)
    records, tallies = history.records, history.questions.values()
    due = sum(1 for key in keys if (r := records.get(key)) and due_now(r.due, now))
    unseen = sum(1 for key in keys if key not in records or records[key].due is None)
    attempts = sum(t.attempts for t in tallies)
    correct = sum(t.correct for t in tallies)
    due_reviews = sum(d.due_reviews for d in history.days)
    due_right = sum(d.due_right for d in history.days)
    queue = functools.partial(
        queue_size,
        banks=banks,
        records=records,
        now=now,
        new_today=history.new_today,
        new_per_day=new_per_day,
    )
    return Summary(
        profile=profile,
        attempts=attempts,
        accuracy=correct / attempts if attempts else None,
        due_now=due,
        new_available=min(unseen, new_limit(new_per_day, history.new_today)),
        streak_days=streak_days((d.day for d in history.days), local_day(now, tz)),
        unsafe_picks=sum(t.unsafe for t in tallies),
        topics=topic_mastery(banks, records),
        questions_total=len(keys),
        due_reviews=due_reviews,
        measured_retention=due_right / due_reviews if due_reviews else None,
        desired_retention=desired_retention,
        weak_queue=queue(Mode.WEAK),
        mistakes_queue=queue(Mode.MISTAKES),
    )


def progress_report(
    summary: Summary,
    history: History,
    banks: Sequence[Bank],
    unsafe: list[tuple[str, str, datetime]],
    *,
    now: datetime,
    tz: tzinfo | None,
) -> Progress:
    """The progress screen's contents, around ``summary`` (from :func:`summarise`).

    ``unsafe`` is the latest unsafe picks, (question key, option text, when), oldest first.
    """
    keys = library_keys(banks)
    records = history.records
    return Progress(
        summary=summary,
        history=history.days,
        topics=summary.topics,
        roots=root_mastery(banks, records),
        unsafe=unsafe,
        forecast=due_forecast(
            (r.due for key, r in records.items() if key in keys and r.due is not None),
            now,
            tz=tz,
        ),
    )


def retention_line(summary: Summary) -> str:
    """The measured retention next to the target, as Progress and ``stats`` show it."""
    target = f"target {summary.desired_retention:.0%}"
    if summary.measured_retention is None:
        return f"no due reviews yet ({target})"
    return (
        f"{summary.measured_retention:.0%} of {summary.due_reviews} due review(s) right ({target})"
    )
