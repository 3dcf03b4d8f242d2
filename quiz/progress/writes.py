"""The write path of the progress store: profiles, sessions, attempts with the review of their
FSRS cards under locks, exam drafts and flags.

Each function runs in the caller's write transaction (``connection``); the dialect is read from
the connection: PostgreSQL and SQLite insert new rows with ``ON CONFLICT``, and PostgreSQL
records a profile's answers under its advisory lock, reading cards ``FOR UPDATE``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from quiz.domain.grading import Response
from quiz.domain.history import tally_after, tally_attempts
from quiz.domain.reports import ProblemReport
from quiz.domain.scheduling import Card, Rating, ReviewLog, reschedules, review_attempt
from quiz.domain.session import Attempt
from quiz.domain.stats import DEFAULT_RETENTION, due_now, local_day
from quiz.progress import postgres
from quiz.progress.convert import (
    attempt_from_row,
    attempt_row,
    card_from_row,
    card_row,
    response_json,
    review_log_row,
    tally_from_row,
    tally_row,
)
from quiz.progress.errors import decoded, new_id
from quiz.progress.schema import (
    attempts,
    cards,
    day_stats,
    exam_answers,
    flags,
    profiles,
    question_stats,
    reports,
    review_logs,
    sessions,
)


def _on_postgres(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def _upserts(connection: Connection) -> bool:
    """Whether the database can say ``ON CONFLICT`` (PostgreSQL and SQLite)."""
    return connection.dialect.name in ("postgresql", "sqlite")


def _insert(connection: Connection, table: sa.Table) -> Any:
    """An ``INSERT`` that can say ``ON CONFLICT`` (PostgreSQL and SQLite)."""
    if _on_postgres(connection):
        return pg_dialect.insert(table)
    return sqlite_dialect.insert(table)


def create_profile(connection: Connection, name: str, now: datetime) -> int:
    """The id of profile ``name``, inserting it unless another app just did."""
    query = select(profiles.c.id).where(profiles.c.name == name)
    if _upserts(connection):
        # another app may be making it right now: whoever comes second inserts nothing
        connection.execute(
            _insert(connection, profiles)
            .values(name=name, created_at=now)
            .on_conflict_do_nothing(index_elements=["name"])
        )
        found = connection.execute(query).scalar_one()
    else:
        found = connection.execute(query).scalar()
        if found is None:
            found = new_id(connection.execute(insert(profiles).values(name=name, created_at=now)))
    return int(found)


def create_session(connection: Connection, row: dict[str, Any]) -> int:
    """Insert the session ``row``; returns its id."""
    return new_id(connection.execute(insert(sessions).values(row)))


def abandon_session(connection: Connection, session_id: int, at: datetime) -> None:
    """Mark an unfinished session abandoned (its answers stay recorded)."""
    connection.execute(
        update(sessions)
        .where(sessions.c.id == session_id, sessions.c.finished_at.is_(None))
        .values(abandoned_at=at)
    )


class Recorded(NamedTuple):
    """What recording one attempt did, enough to take it back (:func:`undo_attempt`)."""

    attempt_id: int
    rescheduled: bool
    """False when the trainee saw the question's key within
    :data:`~quiz.domain.scheduling.KEY_SEEN_WINDOW`: no card was reviewed, no log written."""
    card_before: Card | None
    """The card as it was before the review (``None``: the answer created it, or did not
    reschedule)."""
    day: date
    """The local day the attempt was counted on (``day_stats``)."""
    was_due: bool
    """Whether it was counted as a review of a due card on that day."""


def record_attempts(
    connection: Connection,
    where: str,
    profile_id: int,
    graded: Sequence[tuple[Attempt, Rating]],
    *,
    finish_session: int | None,
    finished_at: datetime | None,
    tz: tzinfo | None = None,
    desired_retention: float = DEFAULT_RETENTION,
) -> list[Recorded]:
    """Record attempts and review their FSRS cards (see :meth:`Store.record_attempts`)."""
    if _on_postgres(connection):
        # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL's do not
        # wait for each other, so this profile's answers are recorded one app at a time.
        postgres.lock_profile(connection, profile_id)
    recorded = []
    for attempt, rating in graded:
        attempt_id = new_id(
            connection.execute(insert(attempts).values(attempt_row(attempt, profile_id)))
        )
        # the key was shown with the question's latest attempt (feedback, or exam results)
        key_seen_at = _tally(connection, where, profile_id, attempt)
        day = local_day(attempt.answered_at, tz)
        # An answer within the window of its key is kept but reviews no card: the trainee
        # had just seen the key.
        if not reschedules(key_seen_at, attempt.answered_at):
            _count_day(connection, profile_id, attempt, day, was_due=False)
            recorded.append(Recorded(attempt_id, False, None, day, False))
            continue
        before, log, was_due = _review_card(
            connection, where, profile_id, attempt, rating, desired_retention
        )
        connection.execute(
            insert(review_logs).values(
                review_log_row(log, attempt, profile_id, attempt_id, desired_retention)
            )
        )
        _count_day(connection, profile_id, attempt, day, was_due)
        recorded.append(Recorded(attempt_id, True, before, day, was_due))
    if finish_session is not None:
        connection.execute(
            update(sessions).where(sessions.c.id == finish_session).values(finished_at=finished_at)
        )
        # the submitted answers are attempts now: the exam's drafts are done with
        connection.execute(delete(exam_answers).where(exam_answers.c.session_id == finish_session))
    return recorded


def undo_attempt(connection: Connection, where: str, profile_id: int, recorded: Recorded) -> bool:
    """Take back the attempt ``recorded`` describes: delete it and its review log, and put
    its card back as it was (deleted, if the attempt created it).

    Returns:
        False when the attempt is gone already (nothing was changed).
    """
    if _on_postgres(connection):
        postgres.lock_profile(connection, profile_id)
    row = (
        connection.execute(
            select(attempts.c.bank_id, attempts.c.question_id, attempts.c.correct).where(
                attempts.c.id == recorded.attempt_id, attempts.c.profile_id == profile_id
            )
        )
        .mappings()
        .first()
    )
    if row is None:
        return False
    connection.execute(delete(review_logs).where(review_logs.c.attempt_id == recorded.attempt_id))
    connection.execute(delete(attempts).where(attempts.c.id == recorded.attempt_id))
    _retally(connection, where, profile_id, row["bank_id"], row["question_id"])
    _uncount_day(connection, profile_id, recorded, right=bool(row["correct"]))
    if recorded.rescheduled:
        match = (
            cards.c.profile_id == profile_id,
            cards.c.bank_id == row["bank_id"],
            cards.c.question_id == row["question_id"],
        )
        if recorded.card_before is None:
            connection.execute(delete(cards).where(*match))
        else:
            connection.execute(update(cards).where(*match).values(card_row(recorded.card_before)))
    return True


def _retally(
    connection: Connection, where: str, profile_id: int, bank_id: str, question_id: str
) -> None:
    """Rebuild one question's tally from its attempts (after one was taken back)."""
    match = (
        question_stats.c.profile_id == profile_id,
        question_stats.c.bank_id == bank_id,
        question_stats.c.question_id == question_id,
    )
    query = (
        select(attempts)
        .where(
            attempts.c.profile_id == profile_id,
            attempts.c.bank_id == bank_id,
            attempts.c.question_id == question_id,
        )
        .order_by(attempts.c.id)
    )
    rows = connection.execute(query).mappings()
    tallied = tally_attempts(decoded(where, "attempts", row, attempt_from_row) for row in rows)
    connection.execute(delete(question_stats).where(*match))
    for tally in tallied.values():  # none, or the question's one
        connection.execute(
            insert(question_stats).values(
                profile_id=profile_id, bank_id=bank_id, question_id=question_id, **tally_row(tally)
            )
        )


def _uncount_day(connection: Connection, profile_id: int, recorded: Recorded, right: bool) -> None:
    """Take a recorded attempt back out of its day's counts."""
    due = int(recorded.was_due)
    connection.execute(
        update(day_stats)
        .where(day_stats.c.profile_id == profile_id, day_stats.c.day == recorded.day)
        .values(
            attempts=day_stats.c.attempts - 1,
            correct=day_stats.c.correct - int(right),
            due_reviews=day_stats.c.due_reviews - due,
            due_right=day_stats.c.due_right - int(due and right),
        )
    )
    connection.execute(
        delete(day_stats).where(
            day_stats.c.profile_id == profile_id,
            day_stats.c.day == recorded.day,
            day_stats.c.attempts <= 0,
        )
    )


def _tally(
    connection: Connection, where: str, profile_id: int, attempt: Attempt
) -> datetime | None:
    """Add ``attempt`` to its question's tally (the profile's writes are serialised: SQLite's
    writer holds the file, PostgreSQL's holds the profile's lock); returns when the question
    was last answered before it (``None``: never)."""
    match = (
        question_stats.c.profile_id == profile_id,
        question_stats.c.bank_id == attempt.bank_id,
        question_stats.c.question_id == attempt.question_id,
    )
    row = connection.execute(select(question_stats).where(*match)).mappings().first()
    if row is None:
        connection.execute(
            insert(question_stats).values(
                profile_id=profile_id,
                bank_id=attempt.bank_id,
                question_id=attempt.question_id,
                **tally_row(tally_after(None, attempt)),
            )
        )
        return None
    before = decoded(where, "question_stats", row, tally_from_row)
    connection.execute(
        update(question_stats).where(*match).values(tally_row(tally_after(before, attempt)))
    )
    return before.last_answered_at


def _count_day(
    connection: Connection, profile_id: int, attempt: Attempt, day: date, was_due: bool
) -> None:
    """Count ``attempt`` on the local ``day`` it was answered."""
    match = (day_stats.c.profile_id == profile_id, day_stats.c.day == day)
    right = int(attempt.correct)
    counted = connection.execute(
        update(day_stats)
        .where(*match)
        .values(
            attempts=day_stats.c.attempts + 1,
            correct=day_stats.c.correct + right,
            due_reviews=day_stats.c.due_reviews + int(was_due),
            due_right=day_stats.c.due_right + int(was_due and attempt.correct),
        )
    )
    if counted.rowcount == 0:
        connection.execute(
            insert(day_stats).values(
                profile_id=profile_id,
                day=day,
                attempts=1,
                correct=right,
                due_reviews=int(was_due),
                due_right=int(was_due and attempt.correct),
            )
        )


def _review_card(
    connection: Connection,
    where: str,
    profile_id: int,
    attempt: Attempt,
    rating: Rating,
    desired_retention: float,
) -> tuple[Card | None, ReviewLog, bool]:
    """Review the question's card in ``connection``'s transaction, reading it locked; returns
    the card as it was before (``None``: there was none), the review's log, and whether the
    card was due (:func:`~quiz.domain.stats.due_now`) when the attempt was answered.

    The card row is read ``FOR UPDATE`` (PostgreSQL; SQLite's writer already holds the
    file), and a new card is inserted with ``ON CONFLICT DO NOTHING``: if another app
    created it meanwhile, its card is read again, locked, and reviewed instead.
    """
    match = (
        cards.c.profile_id == profile_id,
        cards.c.bank_id == attempt.bank_id,
        cards.c.question_id == attempt.question_id,
    )
    locked = select(cards).where(*match).with_for_update()
    row = connection.execute(locked).mappings().first()
    if row is None:
        card, log = review_attempt(None, attempt, rating, desired_retention=desired_retention)
        values = {
            "profile_id": profile_id,
            "bank_id": attempt.bank_id,
            "question_id": attempt.question_id,
            **card_row(card),
        }
        if not _upserts(connection):
            connection.execute(insert(cards).values(values))
            return None, log, False
        inserted = connection.execute(
            _insert(connection, cards)
            .values(values)
            .on_conflict_do_nothing(index_elements=["profile_id", "bank_id", "question_id"])
            .returning(cards.c.profile_id)
        ).first()
        if inserted is not None:
            return None, log, False
        row = connection.execute(locked).mappings().one()
    before = decoded(where, "cards", row, card_from_row)
    card, log = review_attempt(before, attempt, rating, desired_retention=desired_retention)
    connection.execute(update(cards).where(*match).values(card_row(card)))
    return before, log, due_now(before.due, attempt.answered_at)


def save_draft(
    connection: Connection,
    session_id: int,
    bank_id: str,
    question_id: str,
    values: dict[str, Any],
) -> None:
    """Save (or replace) an exam answer's ``values`` (see :func:`draft_values`)."""
    match = (
        exam_answers.c.session_id == session_id,
        exam_answers.c.bank_id == bank_id,
        exam_answers.c.question_id == question_id,
    )
    if _upserts(connection):
        connection.execute(
            _insert(connection, exam_answers)
            .values(session_id=session_id, bank_id=bank_id, question_id=question_id, **values)
            .on_conflict_do_update(
                index_elements=["session_id", "bank_id", "question_id"], set_=values
            )
        )
    elif connection.execute(update(exam_answers).where(*match).values(values)).rowcount == 0:
        connection.execute(
            insert(exam_answers).values(
                session_id=session_id, bank_id=bank_id, question_id=question_id, **values
            )
        )


def draft_values(
    response: Response, seconds: float, saved_at: datetime, certainty: int | None = None
) -> dict[str, Any]:
    """The columns of an exam answer other than its key."""
    return {
        "response": response_json(response),
        "seconds": seconds,
        "saved_at": saved_at,
        "certainty": certainty,
    }


def set_flag(
    connection: Connection,
    session_id: int,
    bank_id: str,
    question_id: str,
    flagged: bool,
    at: datetime,
) -> None:
    """Flag or unflag a question within a session."""
    match = (
        flags.c.session_id == session_id,
        flags.c.bank_id == bank_id,
        flags.c.question_id == question_id,
    )
    if flagged and _upserts(connection):
        connection.execute(
            _insert(connection, flags)
            .values(session_id=session_id, bank_id=bank_id, question_id=question_id, flagged_at=at)
            .on_conflict_do_update(
                index_elements=["session_id", "bank_id", "question_id"],
                set_={"flagged_at": at},
            )
        )
        return
    connection.execute(delete(flags).where(*match))
    if flagged:
        connection.execute(
            insert(flags).values(
                session_id=session_id, bank_id=bank_id, question_id=question_id, flagged_at=at
            )
        )


def add_report(connection: Connection, profile_id: int, report: ProblemReport) -> int:
    """Insert a problem report of profile ``profile_id``; returns its id."""
    values = {
        "profile_id": profile_id,
        "bank_id": report.bank_id,
        "question_id": report.question_id,
        "content_hash": report.content_hash,
        "note": report.note,
        "reported_at": report.reported_at,
    }
    return new_id(connection.execute(insert(reports).values(values)))
