"""Problem reports: a trainee's note that a question is wrong, unclear or unsafe.

A report names the question by bank id and question id and records the question's
:func:`~quiz.domain.model.content_hash` when it was reported. It is *open* while the question
still reads as it did then: once the author edits the question (its hash changes), or removes
it, the report is closed by that edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from enum import StrEnum
from typing import Final

import msgspec

from quiz.domain.keys import question_key
from quiz.domain.model import Bank, content_hash

NOTE_MAX: Final = 1000
"""The longest note a report keeps (characters)."""


class ReportState(StrEnum):
    """Where a report stands against the loaded banks."""

    OPEN = "open"
    """The question reads as it did when it was reported."""
    EDITED = "edited"
    """The question was edited since: the author has had a look."""
    GONE = "gone"
    """The question (or its bank) is no longer loaded."""


class ProblemReport(msgspec.Struct, frozen=True, kw_only=True):
    """One trainee's report on one question."""

    id: int | None = None
    """Set by the store."""
    profile: str = ""
    """The reporting profile's name (set by the store when reading)."""
    bank_id: str
    question_id: str
    content_hash: str
    """The question's content hash when it was reported."""
    note: str
    reported_at: datetime

    @property
    def key(self) -> str:
        """``bank-id/question-id``."""
        return question_key(self.bank_id, self.question_id)


def clean_note(note: str) -> str:
    """A note as stored: surrounding space trimmed, at most :data:`NOTE_MAX` characters.

    Raises:
        ValueError: The note is empty.
    """
    note = note.strip()
    if not note:
        raise ValueError("a problem report needs a note saying what is wrong")
    return note[:NOTE_MAX]


def current_hashes(banks: Iterable[Bank]) -> dict[str, str]:
    """Each loaded question's content hash, by question key."""
    return {
        question_key(bank.id, question.id): content_hash(question)
        for bank in banks
        for question in bank.questions
    }


def report_state(report: ProblemReport, hashes: Mapping[str, str]) -> ReportState:
    """Whether ``report`` is still open against ``hashes`` (:func:`current_hashes`)."""
    current = hashes.get(report.key)
    if current is None:
        return ReportState.GONE
    return ReportState.OPEN if current == report.content_hash else ReportState.EDITED


def open_report_counts(
    reports: Iterable[ProblemReport], hashes: Mapping[str, str]
) -> dict[str, int]:
    """How many open reports each question has, by question key (questions with none left out)."""
    counts: dict[str, int] = {}
    for report in reports:
        if report_state(report, hashes) is ReportState.OPEN:
            counts[report.key] = counts.get(report.key, 0) + 1
    return counts
