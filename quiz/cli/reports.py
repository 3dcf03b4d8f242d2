"""The shapes of the CLI's JSON output, as msgspec Structs printed through ``to_builtins``.

Imported by the commands that print JSON or tables, not with :mod:`quiz.cli`, so that starting
the trainer does not pay for them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import msgspec

from quiz.domain.cbm import CbmReport
from quiz.domain.stats import DayStat, Mastery

if TYPE_CHECKING:
    from quiz.service import Progress


class ValidationReport(msgspec.Struct):
    """What ``validate --format json`` prints (documented in docs/authoring.md)."""

    files: list[str]
    banks: int
    questions: int
    errors: int
    warnings: int
    diagnostics: list[dict[str, Any]]
    """Every field of each diagnostic, ``question`` included (``null`` outside a question)."""


class BankRow(msgspec.Struct):
    """One usable bank, as ``banks`` lists it."""

    id: str
    title: str
    questions: int
    topics: int
    path: str
    topic_ids: list[str] = []
    """The bank's topic ids in file order, as ``--topic`` takes them (alone or as
    ``bank-id/topic-id``)."""


class SkippedBank(msgspec.Struct):
    """One bank file skipped as broken: how many errors, and the first."""

    path: str
    errors: int
    first: str


class SkippedQuestionRow(msgspec.Struct):
    """One question left out of a bank that loaded without it: where, and its first error."""

    bank: str
    question: str | None
    line: int
    errors: int
    first: str


class BanksReport(msgspec.Struct):
    """What ``banks --json`` prints."""

    banks: list[BankRow]
    skipped: list[SkippedBank]
    skipped_questions: list[SkippedQuestionRow]
    searched: list[str]
    user_bank_dir: str


class UnsafePick(msgspec.Struct):
    question: str
    option: str
    when: datetime


class DueDay(msgspec.Struct):
    day: date
    due: int


class StatsReport(msgspec.Struct):
    """What ``stats --json`` prints."""

    profile: str
    attempts: int
    accuracy: float | None
    due_now: int
    """Questions due now: what a review started now serves before new ones."""
    new_available: int
    streak_days: int
    unsafe_picks: int
    questions_total: int
    due_reviews: int
    """Answers given to questions that were due."""
    measured_retention: float | None
    """Share of those answered fully right (``null`` before the first)."""
    desired_retention: float
    """The retention FSRS schedules for."""
    topics: list[Mastery]
    roots: list[Mastery]
    unsafe: list[UnsafePick]
    history: list[DayStat]
    forecast: list[DueDay]
    cbm: CbmReport | None = None
    """Certainty-based marking over the answers given with a certainty: accuracy, the average
    CBM mark, the bonus and the calibration per level (``certainty`` 1 not sure to 3 sure)."""

    @classmethod
    def of(cls, progress: Progress, cbm: CbmReport | None = None) -> StatsReport:
        summary = progress.summary
        return cls(
            profile=summary.profile,
            attempts=summary.attempts,
            accuracy=summary.accuracy,
            due_now=summary.due_now,
            new_available=summary.new_available,
            streak_days=summary.streak_days,
            unsafe_picks=summary.unsafe_picks,
            questions_total=summary.questions_total,
            due_reviews=summary.due_reviews,
            measured_retention=summary.measured_retention,
            desired_retention=summary.desired_retention,
            topics=progress.topics,
            roots=progress.roots,
            unsafe=[UnsafePick(key, option, when) for key, option, when in progress.unsafe],
            history=progress.history,
            forecast=[DueDay(day, due) for day, due in progress.forecast],
            cbm=cbm,
        )
