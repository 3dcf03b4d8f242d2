"""Database failures as :class:`~quiz.progress.StoreError` messages for the user, and the helpers
that turn a row that cannot be read, or an insert that gave no id, into one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy import CursorResult
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from quiz.progress import StoreError, postgres
from quiz.progress.sqlite import write_problem

T = TypeVar("T")


def message(
    error: BaseException,
    doing: str,
    *,
    where: str,
    url: URL,
    on_postgres: bool,
    sqlite_file: Path | None,
) -> str:
    """What went wrong with the database, for the user: which one, and what to check."""
    reason = reason_of(error) if isinstance(error, SQLAlchemyError) else str(error)
    reason = reason.strip()
    if on_postgres:
        server = postgres.server_of(url)
        if "lock timeout" in reason:
            return (
                f"the progress database on the {server} is busy: another app held a lock "
                f"for over {postgres.LOCK_TIMEOUT_MS // 1000} s ({reason}). Try again."
            )
        if "statement timeout" in reason:
            return (
                f"the {server} did not answer within "
                f"{postgres.STATEMENT_TIMEOUT_MS // 1000} s ({reason}). Try again."
            )
        invalidated = getattr(error, "connection_invalidated", False)
        if (
            invalidated
            or isinstance(error, sa.exc.InterfaceError)
            or postgres.is_connection_problem(reason)
        ):
            return f"cannot reach the {server}: {reason}. {postgres.CONNECTION_HINT}"
        return f"the progress database on the {server} {doing}: {reason}"
    if doing == "failed":
        head = f"the progress database {where} failed"
    else:
        head = f"{doing} the progress database {where}"
    if sqlite_file is not None and any(
        words in reason for words in ("readonly", "read-only", "unable to open")
    ):
        problem = write_problem(sqlite_file)
        if problem is not None:
            problem = problem[0].upper() + problem[1:]
            return f"{head}: {reason}. {problem}: choose another place with --db or IMS_QUIZ_DB"
    return f"{head}: {reason}"


def decoded(where: str, table: str, row: Any, convert: Callable[[Any], T]) -> T:
    """``convert(row)``; a row it cannot read is a :class:`StoreError` naming the row."""
    try:
        return convert(row)
    except Exception as error:  # any decoder's error: JSON, msgspec, a bad enum value, ...
        keys = [f"{name} {row[name]!r}" for name in ("id", "bank_id", "question_id") if name in row]
        raise StoreError(
            f"the progress database {where} has an unreadable row in {table} "
            f"({', '.join(keys) or 'no key'}): {type(error).__name__}: {error}"
        ) from None


def new_id(result: CursorResult[Any]) -> int:
    """The primary key that the one-row ``INSERT`` behind ``result`` gave its row."""
    key = result.inserted_primary_key
    if key is None:  # only for statements that are not single-row inserts
        raise StoreError("the progress database returned no id for a new row")
    return int(key[0])


def reason_of(error: BaseException) -> str:
    """The driver's own words for ``error`` when SQLAlchemy wraps one, else ``str(error)``."""
    original = getattr(error, "orig", None)
    return str(original) if original is not None else str(error)
