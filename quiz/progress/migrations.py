"""Ordered schema migrations.

A database records its schema version in ``ims_quiz_schema``; opening it runs every later step,
in order, in one transaction, so a failed upgrade leaves the database as it was. Each step is
frozen once released: it spells out its own tables instead of reusing
:mod:`quiz.progress.schema`, which always describes the latest version. A new database is
built by running every step from version 0. :func:`recognise_and_migrate` is what opening a
database runs: it refuses another program's database before any step.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    insert,
    inspect,
    select,
    text,
    update,
)

from quiz.progress import StoreError
from quiz.progress.schema import VERSION_TABLE, schema_version


def _initial_schema(connection: Connection) -> None:
    """Version 1: profiles, sessions, attempts, FSRS cards and review logs."""
    frozen = MetaData()
    Table(
        "profiles",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("name", String(200), nullable=False, unique=True),
        Column("created_at", DateTime, nullable=False),
    )
    Table(
        "sessions",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
        Column("mode", String(20), nullable=False),
        Column("plan", JSON, nullable=False),
        Column("seed", BigInteger, nullable=False),
        Column("item_keys", JSON, nullable=False),
        Column("started_at", DateTime, nullable=False),
        Column("finished_at", DateTime),
        Column("abandoned_at", DateTime),
        Index("ix_sessions_profile", "profile_id", "id"),
    )
    Table(
        "attempts",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
        Column("session_id", Integer, ForeignKey("sessions.id")),
        Column("bank_id", String(200), nullable=False),
        Column("question_id", String(200), nullable=False),
        Column("content_hash", String(64), nullable=False),
        Column("mode", String(20), nullable=False),
        Column("response", JSON, nullable=False),
        Column("score", Float, nullable=False),
        Column("correct", Boolean, nullable=False),
        Column("unsafe", Boolean, nullable=False),
        Column("seconds", Float, nullable=False),
        Column("answered_at", DateTime, nullable=False),
        Index("ix_attempts_question", "profile_id", "bank_id", "question_id"),
        Index("ix_attempts_session", "session_id"),
    )
    Table(
        "cards",
        frozen,
        Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
        Column("bank_id", String(200), primary_key=True),
        Column("question_id", String(200), primary_key=True),
        Column("card", JSON, nullable=False),
        Column("due", DateTime, nullable=False),
        Index("ix_cards_due", "profile_id", "due"),
    )
    Table(
        "review_logs",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
        Column("attempt_id", Integer, ForeignKey("attempts.id")),
        Column("bank_id", String(200), nullable=False),
        Column("question_id", String(200), nullable=False),
        Column("card_id", BigInteger, nullable=False),
        Column("rating", Integer, nullable=False),
        Column("reviewed_at", DateTime, nullable=False),
        Column("duration_ms", Integer),
    )
    frozen.create_all(connection)


def _exam_answers_and_flags(connection: Connection) -> None:
    """Version 2: exam answers saved before submission, flags, unsafe option texts."""
    json_type = JSON().compile(dialect=connection.dialect)
    connection.execute(
        text(f"ALTER TABLE attempts ADD COLUMN unsafe_choices {json_type} NOT NULL DEFAULT '[]'")
    )
    frozen = MetaData()
    Table("sessions", frozen, Column("id", Integer, primary_key=True))
    Table(
        "exam_answers",
        frozen,
        Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
        Column("bank_id", String(200), primary_key=True),
        Column("question_id", String(200), primary_key=True),
        Column("response", JSON, nullable=False),
        Column("seconds", Float, nullable=False),
        Column("saved_at", DateTime, nullable=False),
    )
    Table(
        "flags",
        frozen,
        Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
        Column("bank_id", String(200), primary_key=True),
        Column("question_id", String(200), primary_key=True),
        Column("flagged_at", DateTime, nullable=False),
    )
    frozen.create_all(connection, tables=[frozen.tables["exam_answers"], frozen.tables["flags"]])


def _problem_reports(connection: Connection) -> None:
    """Version 3: trainees' problem reports on questions."""
    frozen = MetaData()
    Table("profiles", frozen, Column("id", Integer, primary_key=True))
    Table(
        "reports",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
        Column("bank_id", String(200), nullable=False),
        Column("question_id", String(200), nullable=False),
        Column("content_hash", String(64), nullable=False),
        Column("note", String(1000), nullable=False),
        Column("reported_at", DateTime, nullable=False),
        Index("ix_reports_question", "bank_id", "question_id"),
    )
    frozen.create_all(connection, tables=[frozen.tables["reports"]])


def _question_and_day_stats(connection: Connection) -> None:
    """Version 4: per-question and per-day tallies of the attempts, kept as answers are
    recorded, an index for the unsafe picks, and the desired retention of each review log;
    the tallies are filled from the attempts.

    Days are the computer's local days here (later answers use the recording app's time
    zone). Whether a past answer reviewed a due card is not known from the attempts alone, so
    the measured retention counts the reviews recorded from this version on.
    """
    frozen = MetaData()
    Table("profiles", frozen, Column("id", Integer, primary_key=True))
    attempts = Table(
        "attempts",
        frozen,
        Column("id", Integer, primary_key=True),
        Column("profile_id", Integer),
        Column("session_id", Integer),
        Column("bank_id", String(200)),
        Column("question_id", String(200)),
        Column("mode", String(20)),
        Column("score", Float),
        Column("correct", Boolean),
        Column("unsafe", Boolean),
        Column("answered_at", DateTime),
    )
    question_stats = Table(
        "question_stats",
        frozen,
        Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
        Column("bank_id", String(200), primary_key=True),
        Column("question_id", String(200), primary_key=True),
        Column("attempts", Integer, nullable=False),
        Column("correct", Integer, nullable=False),
        Column("unsafe", Integer, nullable=False),
        Column("last_score", Float, nullable=False),
        Column("last_correct", Boolean, nullable=False),
        Column("last_answered_at", DateTime, nullable=False),
        Column("last_right_session", Integer),
        Column("first_mode", String(20), nullable=False),
        Column("first_answered_at", DateTime, nullable=False),
    )
    day_stats = Table(
        "day_stats",
        frozen,
        Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
        Column("day", Date, primary_key=True),
        Column("attempts", Integer, nullable=False),
        Column("correct", Integer, nullable=False),
        Column("due_reviews", Integer, nullable=False),
        Column("due_right", Integer, nullable=False),
    )
    frozen.create_all(connection, tables=[question_stats, day_stats])
    float_type = Float().compile(dialect=connection.dialect)
    connection.execute(text(f"ALTER TABLE review_logs ADD COLUMN desired_retention {float_type}"))
    Index("ix_attempts_unsafe", attempts.c.profile_id, attempts.c.unsafe).create(connection)
    questions: dict[tuple[int, str, str], dict[str, Any]] = {}
    days: dict[tuple[int, date], dict[str, Any]] = {}
    result = connection.execute(
        select(attempts).order_by(attempts.c.id).execution_options(yield_per=2000)
    )
    for row in result.mappings():
        key = (row["profile_id"], row["bank_id"], row["question_id"])
        right_session = row["session_id"] if row["correct"] else None
        tally = questions.get(key)
        if tally is None:
            tally = questions[key] = {
                "profile_id": key[0],
                "bank_id": key[1],
                "question_id": key[2],
                "attempts": 0,
                "correct": 0,
                "unsafe": 0,
                "last_right_session": None,
                "first_mode": row["mode"],
                "first_answered_at": row["answered_at"],
            }
        tally["attempts"] += 1
        tally["correct"] += bool(row["correct"])
        tally["unsafe"] += bool(row["unsafe"])
        tally["last_score"] = row["score"]
        tally["last_correct"] = bool(row["correct"])
        tally["last_answered_at"] = row["answered_at"]
        if right_session is not None:
            tally["last_right_session"] = max(tally["last_right_session"] or 0, right_session)
        day = row["answered_at"].replace(tzinfo=UTC).astimezone().date()
        counts = days.setdefault(
            (key[0], day),
            {"profile_id": key[0], "day": day, "attempts": 0, "correct": 0},
        )
        counts["attempts"] += 1
        counts["correct"] += bool(row["correct"])
    if questions:
        connection.execute(insert(question_stats), list(questions.values()))
    if days:
        connection.execute(
            insert(day_stats), [{**d, "due_reviews": 0, "due_right": 0} for d in days.values()]
        )


def _certainty(connection: Connection) -> None:
    """Version 5: the certainty said with an answer (NULL: certainty-based marking was off)."""
    connection.execute(text("ALTER TABLE attempts ADD COLUMN certainty INTEGER"))
    connection.execute(text("ALTER TABLE exam_answers ADD COLUMN certainty INTEGER"))
    # covers the calibration's sums per level (stats, Progress) without reading the rows
    connection.execute(
        text(
            "CREATE INDEX ix_attempts_certainty ON attempts (profile_id, certainty, score, unsafe)"
        )
    )


MIGRATIONS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _initial_schema),
    (2, _exam_answers_and_flags),
    (3, _problem_reports),
    (4, _question_and_day_stats),
    (5, _certainty),
)
"""(version reached, step), in order."""

LATEST_VERSION = MIGRATIONS[-1][0]


def migrate(connection: Connection, current: int) -> int:
    """Run every step after version ``current`` inside the caller's transaction.

    Returns:
        The version the database is at now (:data:`LATEST_VERSION`).
    """
    for version, step in MIGRATIONS:
        if version > current:
            step(connection)
            connection.execute(update(schema_version).values(version=version))
            current = version
    return current


def current_version(connection: Connection) -> int | None:
    """The schema version recorded, read only; ``None`` without (one row of) a version table."""
    if VERSION_TABLE not in inspect(connection).get_table_names():
        return None
    versions = connection.execute(select(schema_version.c.version)).scalars().all()
    return int(versions[0]) if len(versions) == 1 else None


def recognise_and_migrate(connection: Connection, where: str) -> None:
    """Check that ``connection``'s database is ims-quiz's (or empty) and bring it up to date.

    Runs in the caller's transaction; ``where`` names the database in messages.

    Raises:
        StoreError: Another program's database, a damaged version table, or a version newer
            than this one knows. Nothing has been written then.
    """
    tables = set(inspect(connection).get_table_names())
    if VERSION_TABLE in tables:
        versions = connection.execute(select(schema_version.c.version)).scalars().all()
        if len(versions) != 1:
            raise StoreError(
                f"{where} has a damaged schema version table ({len(versions)} rows). "
                "It was left untouched."
            )
        version = versions[0]
    elif tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise StoreError(
            f"{where} is another program's database (tables: {shown}), not an "
            "ims-quiz progress database. It was left untouched: choose another file with "
            "--db or IMS_QUIZ_DB."
        )
    else:
        schema_version.create(connection)
        connection.execute(insert(schema_version).values(version=0))
        version = 0
    if version > LATEST_VERSION:
        raise StoreError(
            f"{where} was written by a newer ims-quiz (schema version {version}; this "
            f"version knows up to {LATEST_VERSION}). Upgrade ims-quiz to open it."
        )
    migrate(connection, version)
