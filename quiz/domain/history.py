"""What a profile's answers add up to: per-question records, open flags, the daily new limit,
and the numbers that Home, Progress and ``ims-quiz stats`` show.

Pure functions over the store's plain records, with the time and the time zone passed in. The
rules:

- **Flags**: a flag stays open until the question is answered right in a later session.
- **New today**: a question counts against today's new limit when its first attempt ever was
  in a review session today (local calendar day in the given time zone).
- **Daily limit**: review introduces ``max(0, new_per_day - new_today)`` new questions more
  today; Home's "new available" is that, capped by the questions never scheduled.
- **Due today**: a question is due today when its FSRS card is due before tomorrow's local
  midnight (overdue ones included), so Home's count is what review serves when started now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING

import msgspec

from quiz.domain.keys import question_key
from quiz.domain.model import Bank
from quiz.domain.session import Attempt, Mode
from quiz.domain.stats import (
    DayStat,
    Mastery,
    QuestionRecord,
    daily_history,
    day_start,
    due_forecast,
    local_day,
    new_limit,
    root_mastery,
    streak_days,
    topic_mastery,
)

if TYPE_CHECKING:
    from quiz.domain.scheduling import Card


class History(msgspec.Struct, frozen=True):
    """A profile's history as planning and the statistics read it."""

    attempts: list[Attempt]
    """Every attempt, oldest first."""
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
    due_today: int
    """Questions FSRS wants back by the end of today (overdue included)."""
    new_available: int
    """New questions review mode would still introduce today (the daily limit applies)."""
    streak_days: int
    unsafe_picks: int
    """Attempts in which an unsafe option was picked."""
    topics: list[Mastery]
    questions_total: int


class Progress(msgspec.Struct, frozen=True):
    """Everything the progress screen and ``ims-quiz stats`` show."""

    summary: Summary
    history: list[DayStat]
    """One entry per day with attempts, oldest first."""
    topics: list[Mastery]
    roots: list[Mastery]
    """Every spinal root, C1 to S5 (:data:`~quiz.domain.stats.SPINAL_ROOTS`); attempts may be 0."""
    unsafe: list[tuple[str, str, datetime]]
    """(question key, unsafe option text, when), oldest first."""
    forecast: list[tuple[date, int]]
    """Questions due on each of the next 14 days; today includes overdue ones."""


def open_flags(flags: Iterable[tuple[int, str]], attempts: Iterable[Attempt]) -> set[str]:
    """Keys of the questions flagged and not answered right in any later session.

    Args:
        flags: (session id, question key) of every flag the profile set.
        attempts: The profile's attempts.
    """
    last_right_session: dict[str, int] = {}
    for attempt in attempts:
        if attempt.correct and attempt.session_id is not None:
            key = attempt.key
            last_right_session[key] = max(last_right_session.get(key, 0), attempt.session_id)
    return {key for session_id, key in flags if last_right_session.get(key, 0) <= session_id}


def new_started_today(attempts: Iterable[Attempt], now: datetime, tz: tzinfo | None) -> int:
    """Questions whose first attempt was in a review session on ``now``'s local day."""
    first: dict[str, Attempt] = {}
    for attempt in attempts:
        first.setdefault(attempt.key, attempt)
    today = local_day(now, tz)
    return sum(
        attempt.mode is Mode.REVIEW and local_day(attempt.answered_at, tz) == today
        for attempt in first.values()
    )


def read_history(
    attempts: list[Attempt],
    cards: Mapping[str, Card],
    flags: Iterable[tuple[int, str]],
    now: datetime,
    tz: tzinfo | None,
) -> History:
    """The profile's :class:`History` from what the store keeps.

    Args:
        attempts: Every attempt of the profile, oldest first.
        cards: The profile's FSRS cards by question key.
        flags: (session id, question key) of every flag the profile set.
        now: The current time (mastery fades with it; "today" is its local day).
        tz: The time zone days follow; ``None`` is the computer's.
    """
    # fsrs loads with the first history read, not with the service (see quiz.service).
    from quiz.domain.scheduling import question_mastery

    latest: dict[str, Attempt] = {}
    counts: dict[str, int] = {}
    for attempt in attempts:
        latest[attempt.key] = attempt
        counts[attempt.key] = counts.get(attempt.key, 0) + 1
    flagged = open_flags(flags, attempts)
    records: dict[str, QuestionRecord] = {}
    for key in latest.keys() | cards.keys() | flagged:
        last = latest.get(key)
        card = cards.get(key)
        records[key] = QuestionRecord(
            attempts=counts.get(key, 0),
            last_score=last.score if last else 0.0,
            last_correct=last.correct if last else False,
            last_answered_at=last.answered_at if last else None,
            due=card.due if card else None,
            mastery=question_mastery(card, last.score, now) if last else 0.0,
            flagged=key in flagged,
        )
    return History(attempts, records, new_started_today(attempts, now, tz))


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
) -> Summary:
    """Home's numbers: totals, what is due today, the new questions left today, the streak."""
    keys = library_keys(banks)
    records, attempts = history.records, history.attempts
    tomorrow = day_start(local_day(now, tz) + timedelta(days=1), tz)
    due_today = sum(
        1 for key in keys if (r := records.get(key)) and r.due is not None and r.due < tomorrow
    )
    unseen = sum(1 for key in keys if key not in records or records[key].due is None)
    correct = sum(a.correct for a in attempts)
    return Summary(
        profile=profile,
        attempts=len(attempts),
        accuracy=correct / len(attempts) if attempts else None,
        due_today=due_today,
        new_available=min(unseen, new_limit(new_per_day, history.new_today)),
        streak_days=streak_days(
            (local_day(a.answered_at, tz) for a in attempts), local_day(now, tz)
        ),
        unsafe_picks=sum(a.unsafe for a in attempts),
        topics=topic_mastery(banks, records),
        questions_total=len(keys),
    )


def progress_report(
    summary: Summary,
    history: History,
    banks: Sequence[Bank],
    *,
    now: datetime,
    tz: tzinfo | None,
) -> Progress:
    """The progress screen's contents, around ``summary`` (from :func:`summarise`)."""
    keys = library_keys(banks)
    attempts, records = history.attempts, history.records
    return Progress(
        summary=summary,
        history=daily_history(((a.answered_at, a.correct) for a in attempts), tz),
        topics=summary.topics,
        roots=root_mastery(banks, records),
        unsafe=[
            (attempt.key, text, attempt.answered_at)
            for attempt in attempts
            for text in attempt.unsafe_choices
        ],
        forecast=due_forecast(
            (r.due for key, r in records.items() if key in keys and r.due is not None),
            now,
            tz=tz,
        ),
    )
