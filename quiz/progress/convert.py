"""Converters between database rows and domain objects, and the store's own records.

Rows are plain mappings here (SQLAlchemy's ``RowMapping`` or a dict), so this module needs no
SQLAlchemy import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import msgspec

from quiz.domain.grading import response_from_dict, response_to_dict
from quiz.domain.scheduling import Card, ReviewLog
from quiz.domain.session import Attempt, Mode, SessionPlan

Row = Mapping[Any, Any]
"""A row by column name: SQLAlchemy's ``RowMapping`` (which also takes ``Column`` keys) or a
plain dict."""


class StoredSession(msgspec.Struct, frozen=True):
    """A session as stored: enough to rebuild it exactly (plan with seed, item keys in order)."""

    id: int
    profile_id: int
    plan: SessionPlan
    item_keys: tuple[str, ...]
    started_at: datetime
    finished_at: datetime | None
    abandoned_at: datetime | None

    @property
    def mode(self) -> Mode:
        return self.plan.mode

    @property
    def open(self) -> bool:
        """Neither finished nor abandoned."""
        return self.finished_at is None and self.abandoned_at is None


def session_row(
    profile_id: int, plan: SessionPlan, item_keys: list[str], started_at: datetime
) -> dict[str, Any]:
    """A ``sessions`` row; ``plan.seed`` must be set."""
    if plan.seed is None:
        raise ValueError("a stored session needs the seed it was planned with")
    return {
        "profile_id": profile_id,
        "mode": plan.mode.value,
        "plan": plan.to_dict(),
        "seed": plan.seed,
        "item_keys": list(item_keys),
        "started_at": started_at,
    }


def session_from_row(row: Row) -> StoredSession:
    return StoredSession(
        id=row["id"],
        profile_id=row["profile_id"],
        plan=SessionPlan.from_dict({**row["plan"], "seed": row["seed"]}),
        item_keys=tuple(row["item_keys"]),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        abandoned_at=row["abandoned_at"],
    )


def attempt_row(attempt: Attempt, profile_id: int) -> dict[str, Any]:
    return {
        "profile_id": profile_id,
        "session_id": attempt.session_id,
        "bank_id": attempt.bank_id,
        "question_id": attempt.question_id,
        "content_hash": attempt.content_hash,
        "mode": attempt.mode.value,
        "response": response_to_dict(attempt.response),
        "score": attempt.score,
        "correct": attempt.correct,
        "unsafe": attempt.unsafe,
        "unsafe_choices": list(attempt.unsafe_choices),
        "seconds": attempt.seconds,
        "answered_at": attempt.answered_at,
    }


def attempt_from_row(row: Row, profile: str = "") -> Attempt:
    return Attempt(
        bank_id=row["bank_id"],
        question_id=row["question_id"],
        content_hash=row["content_hash"],
        mode=Mode(row["mode"]),
        response=response_from_dict(row["response"]),
        score=float(row["score"]),
        correct=bool(row["correct"]),
        unsafe=bool(row["unsafe"]),
        unsafe_choices=tuple(row["unsafe_choices"] or ()),
        seconds=float(row["seconds"]),
        answered_at=row["answered_at"],
        session_id=row["session_id"],
        profile=profile,
        id=row["id"],
    )


def card_row(card: Card) -> dict[str, Any]:
    return {"card": card.to_dict(), "due": card.due}


def card_from_row(row: Row) -> Card:
    return Card.from_dict(row["card"])


def review_log_row(
    log: ReviewLog, attempt: Attempt, profile_id: int, attempt_id: int
) -> dict[str, Any]:
    """A ``review_logs`` row for the review that ``attempt`` made."""
    return {
        "profile_id": profile_id,
        "attempt_id": attempt_id,
        "bank_id": attempt.bank_id,
        "question_id": attempt.question_id,
        "card_id": log.card_id,
        "rating": int(log.rating),
        "reviewed_at": log.review_datetime,
        "duration_ms": log.review_duration,
    }


def review_log_from_row(row: Row) -> ReviewLog:
    return ReviewLog.from_dict(
        {
            "card_id": row["card_id"],
            "rating": row["rating"],
            "review_datetime": row["reviewed_at"].isoformat(),
            "review_duration": row["duration_ms"],
        }
    )
