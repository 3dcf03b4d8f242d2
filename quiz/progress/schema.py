"""The progress database's tables, as the latest schema version has them.

Queries use these definitions; :mod:`quiz.progress.migrations` builds them step by step, and a
test checks that both agree. Questions are keyed by bank id and question id, never by text, so
editing a question keeps its progress; ``content_hash`` records which version was answered.
Times are stored in UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
)

VERSION_TABLE = "ims_quiz_schema"
"""Its presence tells an ims-quiz database from another program's."""


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime, stored as naive UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing to store a naive datetime: {value!r}")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


metadata = MetaData()

schema_version = Table(
    VERSION_TABLE,
    metadata,
    Column("version", Integer, nullable=False),
)

profiles = Table(
    "profiles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", UTCDateTime, nullable=False),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
    Column("mode", String(20), nullable=False),
    Column("plan", JSON, nullable=False),
    Column("seed", BigInteger, nullable=False),
    Column("item_keys", JSON, nullable=False),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("abandoned_at", UTCDateTime),
    Index("ix_sessions_profile", "profile_id", "id"),
)

attempts = Table(
    "attempts",
    metadata,
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
    Column("unsafe_choices", JSON, nullable=False),
    Column("certainty", Integer),
    Column("seconds", Float, nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    Index("ix_attempts_question", "profile_id", "bank_id", "question_id"),
    Index("ix_attempts_session", "session_id"),
    Index("ix_attempts_unsafe", "profile_id", "unsafe"),
    Index("ix_attempts_certainty", "profile_id", "certainty", "score", "unsafe"),
)

cards = Table(
    "cards",
    metadata,
    Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
    Column("bank_id", String(200), primary_key=True),
    Column("question_id", String(200), primary_key=True),
    Column("card", JSON, nullable=False),
    Column("due", UTCDateTime, nullable=False),
    Index("ix_cards_due", "profile_id", "due"),
)

review_logs = Table(
    "review_logs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
    Column("attempt_id", Integer, ForeignKey("attempts.id")),
    Column("bank_id", String(200), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("card_id", BigInteger, nullable=False),
    Column("rating", Integer, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=False),
    Column("duration_ms", Integer),
    Column("desired_retention", Float),
)
"""One FSRS review per row; ``desired_retention`` is the target the review scheduled for
(``NULL`` in logs written before schema version 3: the default 0.90), so a replay of the logs
gives the card's due times back exactly."""

exam_answers = Table(
    "exam_answers",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("bank_id", String(200), primary_key=True),
    Column("question_id", String(200), primary_key=True),
    Column("response", JSON, nullable=False),
    Column("seconds", Float, nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("certainty", Integer),
)
"""Exam answers before the exam is submitted; they become attempts at the end."""

flags = Table(
    "flags",
    metadata,
    Column("session_id", Integer, ForeignKey("sessions.id"), primary_key=True),
    Column("bank_id", String(200), primary_key=True),
    Column("question_id", String(200), primary_key=True),
    Column("flagged_at", UTCDateTime, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("profile_id", Integer, ForeignKey("profiles.id"), nullable=False),
    Column("bank_id", String(200), nullable=False),
    Column("question_id", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("note", String(1000), nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
    Index("ix_reports_question", "bank_id", "question_id"),
)
"""Trainees' problem reports on questions (see :mod:`quiz.domain.reports`)."""

question_stats = Table(
    "question_stats",
    metadata,
    Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
    Column("bank_id", String(200), primary_key=True),
    Column("question_id", String(200), primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("unsafe", Integer, nullable=False),
    Column("last_score", Float, nullable=False),
    Column("last_correct", Boolean, nullable=False),
    Column("last_answered_at", UTCDateTime, nullable=False),
    Column("last_right_session", Integer),
    Column("first_mode", String(20), nullable=False),
    Column("first_answered_at", UTCDateTime, nullable=False),
)
"""Per profile and question, what its attempts add up to, kept as each attempt is recorded:
screens read these rows instead of the whole history. ``last_right_session`` is the newest
session with a right answer (flags stay open until one comes after them)."""

day_stats = Table(
    "day_stats",
    metadata,
    Column("profile_id", Integer, ForeignKey("profiles.id"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Column("due_reviews", Integer, nullable=False),
    Column("due_right", Integer, nullable=False),
)
"""Per profile and local calendar day (the recording app's time zone), attempts and right
answers, and the reviews of questions that were due (and how many were right), kept as each
attempt is recorded: streaks, the daily history and the measured retention read these."""
