"""The read side of the progress store: profiles, sessions, exam drafts, flags, and the history
of attempts, FSRS cards and review logs, and the per-question and per-day tallies that screens
read instead of the attempts.

Each function runs in the caller's transaction (``connection``); ``where`` names the database
in the :class:`~quiz.progress.StoreError` raised for a row that cannot be decoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection, select

from quiz.domain.cbm import MARK_TOLERANCE, Certainty, LevelTotals
from quiz.domain.grading import Response
from quiz.domain.history import QuestionTally
from quiz.domain.keys import question_key
from quiz.domain.reports import ProblemReport
from quiz.domain.scheduling import Card, ReviewLog
from quiz.domain.session import Attempt
from quiz.domain.stats import DayStat
from quiz.progress import StoreError
from quiz.progress.convert import (
    StoredSession,
    attempt_from_row,
    card_from_row,
    from_stored,
    response_from_json,
    review_log_from_row,
    session_from_row,
    tally_from_row,
)
from quiz.progress.errors import decoded
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
    schema_version,
    sessions,
)


def version(connection: Connection) -> int:
    """The schema version the database is at."""
    return int(connection.execute(select(schema_version.c.version)).scalar_one())


def profile_id(connection: Connection, name: str) -> int | None:
    """The id of profile ``name``, or ``None`` if there is none."""
    found = connection.execute(select(profiles.c.id).where(profiles.c.name == name)).scalar()
    return None if found is None else int(found)


def session(connection: Connection, where: str, session_id: int) -> StoredSession | None:
    """The session ``session_id``, or ``None``."""
    row = connection.execute(select(sessions).where(sessions.c.id == session_id)).mappings().first()
    return decoded(where, "sessions", row, session_from_row) if row else None


def _unfinished(profile_id: int, limit: int) -> Any:
    return (
        select(sessions)
        .where(
            sessions.c.profile_id == profile_id,
            sessions.c.finished_at.is_(None),
            sessions.c.abandoned_at.is_(None),
        )
        .order_by(sessions.c.id.desc())
        .limit(limit)
    )


def unfinished_sessions(connection: Connection, profile_id: int, limit: int) -> list[StoredSession]:
    """The profile's sessions that are neither finished nor abandoned, newest first."""
    rows = connection.execute(_unfinished(profile_id, limit)).mappings().all()
    return [session_from_row(row) for row in rows]


def unfinished_session(connection: Connection, where: str, profile_id: int) -> StoredSession | None:
    """The newest session of the profile that is neither finished nor abandoned."""
    row = connection.execute(_unfinished(profile_id, 1)).mappings().first()
    return decoded(where, "sessions", row, session_from_row) if row else None


class Draft(NamedTuple):
    """An exam answer saved before the exam is submitted."""

    response: Response
    seconds: float
    """Time on the question over all its visits."""
    certainty: int | None


def drafts(connection: Connection, session_id: int) -> dict[str, Draft]:
    """The saved exam answers of a session by question key."""
    query = select(exam_answers).where(exam_answers.c.session_id == session_id)
    rows = connection.execute(query).mappings().all()
    return {
        question_key(row["bank_id"], row["question_id"]): Draft(
            response_from_json(row["response"]), row["seconds"], row["certainty"]
        )
        for row in rows
    }


def session_flags(connection: Connection, session_id: int) -> set[str]:
    """Keys of the questions flagged in a session."""
    query = select(flags.c.bank_id, flags.c.question_id).where(flags.c.session_id == session_id)
    return {question_key(bank, question) for bank, question in connection.execute(query)}


def profile_flags(connection: Connection, profile_id: int) -> list[tuple[int, str]]:
    """Every flag of a profile: (session id, question key)."""
    query = (
        select(flags.c.session_id, flags.c.bank_id, flags.c.question_id)
        .join(sessions, sessions.c.id == flags.c.session_id)
        .where(sessions.c.profile_id == profile_id)
    )
    return [(sid, question_key(bank, q)) for sid, bank, q in connection.execute(query)]


def attempts_of(
    connection: Connection,
    where: str,
    profile_id: int | None,
    session_id: int | None,
    skipped: list[str] | None,
) -> Iterator[Attempt]:
    """Attempts, oldest first, as they are read (see :meth:`Store.attempts`)."""
    query = select(attempts, profiles.c.name.label("profile")).join(
        profiles, profiles.c.id == attempts.c.profile_id
    )
    if profile_id is not None:
        query = query.where(attempts.c.profile_id == profile_id)
    if session_id is not None:
        query = query.where(attempts.c.session_id == session_id)
    # rows in batches, decoded as they come: never the whole result set and its
    # attempts in memory at once
    result = connection.execute(query.order_by(attempts.c.id).execution_options(yield_per=2000))
    try:
        for row in result.mappings():
            try:
                yield decoded(where, "attempts", row, _attempt_of)
            except StoreError as error:
                if skipped is None:
                    raise
                skipped.append(str(error))
    finally:
        result.close()


def question_tallies(
    connection: Connection, where: str, profile_id: int
) -> dict[str, QuestionTally]:
    """The profile's per-question tallies by question key."""
    query = select(question_stats).where(question_stats.c.profile_id == profile_id)
    return {
        question_key(row["bank_id"], row["question_id"]): decoded(
            where, "question_stats", row, tally_from_row
        )
        for row in connection.execute(query).mappings()
    }


def days_of(connection: Connection, profile_id: int) -> list[DayStat]:
    """The profile's attempts per local day, oldest first."""
    query = (
        select(
            day_stats.c.day,
            day_stats.c.attempts,
            day_stats.c.correct,
            day_stats.c.due_reviews,
            day_stats.c.due_right,
        )
        .where(day_stats.c.profile_id == profile_id)
        .order_by(day_stats.c.day)
    )
    return [DayStat(*row) for row in connection.execute(query)]


def unsafe_picks(
    connection: Connection, where: str, profile_id: int, latest: int
) -> list[tuple[str, str, datetime]]:
    """The unsafe options picked in the profile's ``latest`` attempts with an unsafe pick:
    (question key, option text, when), oldest first. Only those attempts are read (by
    ``ix_attempts_unsafe``); how many there are in all is in the tallies."""
    query = (
        select(
            attempts.c.bank_id,
            attempts.c.question_id,
            attempts.c.unsafe_choices,
            attempts.c.answered_at,
        )
        .where(attempts.c.profile_id == profile_id, attempts.c.unsafe.is_(True))
        .order_by(attempts.c.id.desc())
        .limit(latest)
    )
    picks: list[tuple[str, str, datetime]] = []
    for row in reversed(connection.execute(query).mappings().all()):
        texts = decoded(where, "attempts", row, _unsafe_texts)
        key = question_key(row["bank_id"], row["question_id"])
        picks.extend((key, text, row["answered_at"]) for text in texts)
    return picks


def _unsafe_texts(row: Any) -> list[str]:
    return from_stored(row["unsafe_choices"] or [], list[str], "unsafe option list")


def _attempt_of(row: Any) -> Attempt:
    return attempt_from_row(row, row["profile"])


def cards_of(connection: Connection, where: str, profile_id: int) -> dict[str, Card]:
    """The profile's FSRS cards by question key."""
    query = select(cards).where(cards.c.profile_id == profile_id)
    rows = connection.execute(query).mappings().all()
    return {
        question_key(row["bank_id"], row["question_id"]): decoded(
            where, "cards", row, card_from_row
        )
        for row in rows
    }


def review_logs_of(
    connection: Connection, where: str, profile_id: int
) -> list[tuple[str, ReviewLog]]:
    """The profile's FSRS review logs, oldest first, with their question keys."""
    query = (
        select(review_logs).where(review_logs.c.profile_id == profile_id).order_by(review_logs.c.id)
    )
    rows = connection.execute(query).mappings().all()
    return [
        (
            question_key(row["bank_id"], row["question_id"]),
            decoded(where, "review_logs", row, review_log_from_row),
        )
        for row in rows
    ]


def reports_of(connection: Connection) -> list[ProblemReport]:
    """Every problem report, of every profile, oldest first."""
    query = (
        select(reports, profiles.c.name)
        .join(profiles, profiles.c.id == reports.c.profile_id)
        .order_by(reports.c.reported_at, reports.c.id)
    )
    return [
        ProblemReport(
            id=row.id,
            profile=row.name,
            bank_id=row.bank_id,
            question_id=row.question_id,
            content_hash=row.content_hash,
            note=row.note,
            reported_at=row.reported_at,
        )
        for row in connection.execute(query)
    ]


def certainty_totals(connection: Connection, profile_id: int) -> dict[Certainty, LevelTotals]:
    """The profile's answers given with a certainty, added up per level in SQL (see
    :class:`~quiz.domain.cbm.LevelTotals`); levels without answers are left out."""
    wrong = attempts.c.score <= MARK_TOLERANCE
    query = (
        select(
            attempts.c.certainty,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(sa.case((wrong, 0.0), else_=attempts.c.score)), 0.0),
            sa.func.coalesce(sa.func.sum(sa.case((wrong, 1), else_=0)), 0),
            sa.func.coalesce(sa.func.sum(sa.case((attempts.c.unsafe, 1), else_=0)), 0),
        )
        .where(attempts.c.profile_id == profile_id, attempts.c.certainty.is_not(None))
        .group_by(attempts.c.certainty)
    )
    totals = {}
    for level, responses, score_sum, wrong_count, unsafe in connection.execute(query):
        if level in set(Certainty):  # a hand-edited row with another number is no level
            totals[Certainty(level)] = LevelTotals(
                int(responses), float(score_sum), int(wrong_count), int(unsafe)
            )
    return totals
