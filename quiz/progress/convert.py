"""Converters between database rows and domain objects, and the store's own records.

Rows are plain mappings here (SQLAlchemy's ``RowMapping`` or a dict), so this module needs no
SQLAlchemy import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Final, TypeVar

import msgspec

from quiz.domain.grading import Response
from quiz.domain.history import QuestionTally
from quiz.domain.scheduling import Card, ReviewLog
from quiz.domain.session import ATTEMPT_FIELDS, Attempt, Mode, SessionPlan
from quiz.domain.stats import DayStat
from quiz.progress import StoreError

T = TypeVar("T")

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


class StoredHistory(msgspec.Struct, frozen=True):
    """What the screens read of a profile's history, in one transaction: tallies, cards, flags
    and days, never the attempts themselves (see :meth:`Store.history`)."""

    questions: dict[str, QuestionTally]
    cards: dict[str, Card]
    flags: list[tuple[int, str]]
    """(session id, question key) of every flag the profile set."""
    days: list[DayStat]
    unsafe: list[tuple[str, str, datetime]] | None
    """The latest unsafe picks (question key, option text, when), oldest first, when asked
    for."""


_ATTEMPT_COLUMNS = tuple(name for name in ATTEMPT_FIELDS if name not in ("id", "profile"))
"""The ``attempts`` columns written from an attempt's own fields (``profile_id`` is added)."""


def from_stored(data: Any, kind: type[T], what: str) -> T:
    """``data`` (JSON or a row's values) as ``kind``, by msgspec's rules.

    Raises:
        StoreError: ``data`` does not fit; ``what`` names it in the message.
    """
    try:
        return msgspec.convert(data, kind)
    except msgspec.ValidationError as error:
        raise StoreError(f"the progress database holds a malformed {what}: {error}") from None


def response_json(response: Response) -> Any:
    """``response`` as the JSON the store keeps: ``{"kind": "choice", "selected": [0, 2]}``."""
    return msgspec.to_builtins(response, order="deterministic")


def response_from_json(data: Any) -> Response:
    """The response that :func:`response_json` stored as ``data``."""
    return from_stored(data, Response, "response")  # type: ignore[arg-type]


_ADDED_AFTER_V1: Final = ("types", "unused", "incorrect", "flagged", "certainty")
"""Plan fields added after the first release: written only when set, so that a plan that does
not use them is stored exactly as before (older versions ignore the keys they do not know)."""


def _plan_json(plan: SessionPlan) -> dict[str, Any]:
    data: dict[str, Any] = msgspec.to_builtins(plan)
    for name in _ADDED_AFTER_V1:
        if data[name] == msgspec.to_builtins(getattr(_DEFAULT_PLAN, name)):
            del data[name]
    return data


_DEFAULT_PLAN: Final = SessionPlan(Mode.PRACTICE)


def session_row(
    profile_id: int, plan: SessionPlan, item_keys: list[str], started_at: datetime
) -> dict[str, Any]:
    """A ``sessions`` row; ``plan.seed`` must be set."""
    if plan.seed is None:
        raise ValueError("a stored session needs the seed it was planned with")
    return {
        "profile_id": profile_id,
        "mode": plan.mode.value,
        "plan": _plan_json(plan),
        "seed": plan.seed,
        "item_keys": list(item_keys),
        "started_at": started_at,
    }


def session_from_row(row: Row) -> StoredSession:
    return StoredSession(
        id=row["id"],
        profile_id=row["profile_id"],
        # The seed column is the truth; older plans may lack keys (they take the defaults).
        plan=from_stored({**row["plan"], "seed": row["seed"]}, SessionPlan, "session plan"),
        item_keys=tuple(row["item_keys"]),
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        abandoned_at=row["abandoned_at"],
    )


def attempt_row(attempt: Attempt, profile_id: int) -> dict[str, Any]:
    """An ``attempts`` row (without ``id``, which the database assigns)."""
    values = msgspec.to_builtins(attempt, builtin_types=(datetime,), order="deterministic")
    return {"profile_id": profile_id, **{name: values[name] for name in _ATTEMPT_COLUMNS}}


def attempt_from_row(row: Row, profile: str = "") -> Attempt:
    values = {name: row[name] for name in _ATTEMPT_COLUMNS}
    values["unsafe_choices"] = values["unsafe_choices"] or ()
    return from_stored({**values, "id": row["id"], "profile": profile}, Attempt, "attempt")


_TALLY_COLUMNS = (
    "attempts",
    "correct",
    "unsafe",
    "last_score",
    "last_correct",
    "last_answered_at",
    "last_right_session",
    "first_mode",
    "first_answered_at",
)
"""The ``question_stats`` columns besides the key, one per field of a tally."""


def tally_row(tally: QuestionTally) -> dict[str, Any]:
    """The ``question_stats`` values of ``tally`` (without the key columns)."""
    return {name: getattr(tally, name) for name in _TALLY_COLUMNS} | {
        "first_mode": tally.first_mode.value
    }


def tally_from_row(row: Row) -> QuestionTally:
    return from_stored(
        {name: row[name] for name in _TALLY_COLUMNS}, QuestionTally, "question tally"
    )


def card_row(card: Card) -> dict[str, Any]:
    return {"card": card.to_dict(), "due": card.due}


def card_from_row(row: Row) -> Card:
    return Card.from_dict(row["card"])


def review_log_row(
    log: ReviewLog, attempt: Attempt, profile_id: int, attempt_id: int, desired_retention: float
) -> dict[str, Any]:
    """A ``review_logs`` row for the review that ``attempt`` made, aiming at
    ``desired_retention``."""
    return {
        "profile_id": profile_id,
        "attempt_id": attempt_id,
        "bank_id": attempt.bank_id,
        "question_id": attempt.question_id,
        "card_id": log.card_id,
        "rating": int(log.rating),
        "reviewed_at": log.review_datetime,
        "duration_ms": log.review_duration,
        "desired_retention": desired_retention,
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
