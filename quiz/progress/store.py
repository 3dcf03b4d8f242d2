"""The progress store: SQLAlchemy Core over SQLite by default, any SQLAlchemy URL otherwise.

Guarantees:

- Every write is one transaction, committed before the method returns: an answer survives a
  crash or ``kill -9`` the moment :meth:`Store.record_attempts` (or :meth:`Store.save_draft`)
  has returned.
- SQLite runs in WAL mode with a busy timeout, and write transactions start with
  ``BEGIN IMMEDIATE``, so two apps on one file both record instead of failing with "database
  is locked".
- A file that is not an ims-quiz database (not SQLite, or another program's) raises
  :class:`~quiz.progress.StoreError` and is never written to: nothing, not even WAL mode, is
  set before the file has been recognised.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, CursorResult, Engine, delete, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from quiz.domain.grading import Response
from quiz.domain.keys import question_key
from quiz.domain.scheduling import Card, Rating, ReviewLog, review_attempt
from quiz.domain.session import Attempt, SessionPlan
from quiz.progress import StoreError
from quiz.progress.convert import (
    StoredSession,
    attempt_from_row,
    attempt_row,
    card_from_row,
    card_row,
    response_from_json,
    response_json,
    review_log_from_row,
    review_log_row,
    session_from_row,
    session_row,
)
from quiz.progress.migrations import recognise_and_migrate
from quiz.progress.schema import (
    attempts,
    cards,
    exam_answers,
    flags,
    profiles,
    review_logs,
    schema_version,
    sessions,
)
from quiz.progress.sqlite import (
    WRITE_OPTION,
    check_sqlite_file,
    configure_sqlite,
    sqlite_file_of,
)


class Store:
    """One progress database. Use :meth:`open`; safe to share between threads."""

    def __init__(self, engine: Engine, where: str) -> None:
        self._engine = engine
        self.where = where
        """The database, as shown in messages (a file path, or the URL without password)."""
        # One shared connection (in-memory SQLite) takes one transaction at a time.
        shared = isinstance(engine.pool, StaticPool)
        self._one_at_a_time: AbstractContextManager[object] = (
            threading.Lock() if shared else nullcontext()
        )

    @classmethod
    def open(cls, url: str) -> Store:
        """Open the database at ``url``, creating or upgrading its schema.

        Raises:
            StoreError: The database cannot be opened, is not an ims-quiz database, or was
                written by a newer ims-quiz. The message says which, for the user.
        """
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise StoreError(f"{url!r} is not a database URL or file path") from None
        sqlite_file = sqlite_file_of(parsed)
        where = str(sqlite_file) if sqlite_file else parsed.render_as_string(hide_password=True)
        if sqlite_file is not None:
            check_sqlite_file(sqlite_file)
        options: dict[str, Any] = {}
        if parsed.get_backend_name() == "sqlite" and sqlite_file is None:
            # An in-memory database lives in one connection: share it between threads.
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        try:
            engine = sa.create_engine(parsed, **options)
        except (ArgumentError, NoSuchModuleError, ImportError) as error:
            raise StoreError(f"cannot use the progress database {where}: {error}") from None
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
        store = cls(engine, where)
        try:
            store._prepare()
            if sqlite_file is not None:
                # Only now that the file is known to be ours. WAL is a property of the file,
                # kept by every later connection.
                with engine.connect() as connection:
                    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
                        "PRAGMA journal_mode=WAL"
                    )
        except BaseException:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        """Close every pooled connection."""
        self._engine.dispose()

    # --- transactions ---------------------------------------------------------------------------

    @contextmanager
    def _transaction(self, *, write: bool = False) -> Iterator[Connection]:
        """A transaction, committed on success; database failures become :class:`StoreError`."""
        try:
            with self._one_at_a_time, self._engine.connect() as connection:
                if write:
                    connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    yield connection
        except SQLAlchemyError as error:
            raise StoreError(
                f"the progress database {self.where} failed: {_reason(error)}"
            ) from error

    def _prepare(self) -> None:
        """Recognise the database and bring its schema up to date, or refuse it."""
        try:
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    recognise_and_migrate(connection, self.where)
        except DatabaseError as error:
            reason = _reason(error)
            if "not a database" in reason or "malformed" in reason:
                raise StoreError(
                    f"{self.where} is not a readable ims-quiz progress database ({reason}). "
                    "It was left untouched: move it away, or choose another file with --db "
                    "or IMS_QUIZ_DB."
                ) from None
            raise StoreError(f"cannot open the progress database {self.where}: {reason}") from None
        except SQLAlchemyError as error:
            raise StoreError(
                f"cannot open the progress database {self.where}: {_reason(error)}"
            ) from None

    def schema_version(self) -> int:
        """The schema version the database is at."""
        with self._transaction() as connection:
            return int(connection.execute(select(schema_version.c.version)).scalar_one())

    # --- profiles -------------------------------------------------------------------------------

    def profile_id(self, name: str, now: datetime) -> int:
        """The id of profile ``name``, created if it is new."""
        query = select(profiles.c.id).where(profiles.c.name == name)
        with self._transaction() as connection:
            found = connection.execute(query).scalar()
        if found is not None:
            return int(found)
        with self._transaction(write=True) as connection:
            found = connection.execute(query).scalar()  # another app may have just made it
            if found is None:
                found = _new_id(
                    connection.execute(insert(profiles).values(name=name, created_at=now))
                )
        return int(found)

    # --- sessions -------------------------------------------------------------------------------

    def create_session(
        self, profile_id: int, plan: SessionPlan, item_keys: Sequence[str], started_at: datetime
    ) -> int:
        """Store a new session (``plan.seed`` must be set); returns its id."""
        row = session_row(profile_id, plan, list(item_keys), started_at)
        with self._transaction(write=True) as connection:
            return _new_id(connection.execute(insert(sessions).values(row)))

    def session(self, session_id: int) -> StoredSession | None:
        """The session ``session_id``, or ``None``."""
        with self._transaction() as connection:
            row = (
                connection.execute(select(sessions).where(sessions.c.id == session_id))
                .mappings()
                .first()
            )
        return session_from_row(row) if row else None

    def unfinished_sessions(self, profile_id: int, limit: int = 20) -> list[StoredSession]:
        """The profile's sessions that are neither finished nor abandoned, newest first."""
        query = (
            select(sessions)
            .where(
                sessions.c.profile_id == profile_id,
                sessions.c.finished_at.is_(None),
                sessions.c.abandoned_at.is_(None),
            )
            .order_by(sessions.c.id.desc())
            .limit(limit)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).mappings().all()
        return [session_from_row(row) for row in rows]

    def unfinished_session(self, profile_id: int) -> StoredSession | None:
        """The newest session of the profile that is neither finished nor abandoned."""
        query = (
            select(sessions)
            .where(
                sessions.c.profile_id == profile_id,
                sessions.c.finished_at.is_(None),
                sessions.c.abandoned_at.is_(None),
            )
            .order_by(sessions.c.id.desc())
            .limit(1)
        )
        with self._transaction() as connection:
            row = connection.execute(query).mappings().first()
        return session_from_row(row) if row else None

    def abandon_session(self, session_id: int, at: datetime) -> None:
        """Mark an unfinished session abandoned (its answers stay recorded)."""
        with self._transaction(write=True) as connection:
            connection.execute(
                update(sessions)
                .where(sessions.c.id == session_id, sessions.c.finished_at.is_(None))
                .values(abandoned_at=at)
            )

    # --- answers --------------------------------------------------------------------------------

    def record_attempts(
        self,
        profile_id: int,
        graded: Sequence[tuple[Attempt, Rating]],
        *,
        finish_session: int | None = None,
        finished_at: datetime | None = None,
    ) -> None:
        """Record attempts and review their FSRS cards, in one transaction.

        Each attempt reviews the question's card with its rating
        (:func:`~quiz.domain.scheduling.review_attempt`) and leaves a review log; the card is
        read and written in this transaction, so concurrent apps lose no review. With
        ``finish_session``, that session is marked finished at ``finished_at`` in the same
        transaction.
        """
        with self._transaction(write=True) as connection:
            for attempt, rating in graded:
                attempt_id = _new_id(
                    connection.execute(insert(attempts).values(attempt_row(attempt, profile_id)))
                )
                where = (
                    cards.c.profile_id == profile_id,
                    cards.c.bank_id == attempt.bank_id,
                    cards.c.question_id == attempt.question_id,
                )
                row = connection.execute(select(cards).where(*where)).mappings().first()
                card, log = review_attempt(card_from_row(row) if row else None, attempt, rating)
                if row:
                    connection.execute(update(cards).where(*where).values(card_row(card)))
                else:
                    connection.execute(
                        insert(cards).values(
                            profile_id=profile_id,
                            bank_id=attempt.bank_id,
                            question_id=attempt.question_id,
                            **card_row(card),
                        )
                    )
                connection.execute(
                    insert(review_logs).values(review_log_row(log, attempt, profile_id, attempt_id))
                )
            if finish_session is not None:
                connection.execute(
                    update(sessions)
                    .where(sessions.c.id == finish_session)
                    .values(finished_at=finished_at)
                )

    def save_draft(
        self,
        session_id: int,
        bank_id: str,
        question_id: str,
        response: Response,
        seconds: float,
        saved_at: datetime,
    ) -> None:
        """Save (or replace) an exam answer before the exam is submitted."""
        where = (
            exam_answers.c.session_id == session_id,
            exam_answers.c.bank_id == bank_id,
            exam_answers.c.question_id == question_id,
        )
        values = {"response": response_json(response), "seconds": seconds, "saved_at": saved_at}
        with self._transaction(write=True) as connection:
            if connection.execute(update(exam_answers).where(*where).values(values)).rowcount == 0:
                connection.execute(
                    insert(exam_answers).values(
                        session_id=session_id, bank_id=bank_id, question_id=question_id, **values
                    )
                )

    def drafts(self, session_id: int) -> dict[str, tuple[Response, float]]:
        """The saved exam answers of a session: question key -> (response, seconds)."""
        query = select(exam_answers).where(exam_answers.c.session_id == session_id)
        with self._transaction() as connection:
            rows = connection.execute(query).mappings().all()
        return {
            question_key(row["bank_id"], row["question_id"]): (
                response_from_json(row["response"]),
                row["seconds"],
            )
            for row in rows
        }

    def set_flag(
        self, session_id: int, bank_id: str, question_id: str, flagged: bool, at: datetime
    ) -> None:
        """Flag or unflag a question within a session."""
        where = (
            flags.c.session_id == session_id,
            flags.c.bank_id == bank_id,
            flags.c.question_id == question_id,
        )
        with self._transaction(write=True) as connection:
            connection.execute(delete(flags).where(*where))
            if flagged:
                connection.execute(
                    insert(flags).values(
                        session_id=session_id,
                        bank_id=bank_id,
                        question_id=question_id,
                        flagged_at=at,
                    )
                )

    def session_flags(self, session_id: int) -> set[str]:
        """Keys of the questions flagged in a session."""
        query = select(flags.c.bank_id, flags.c.question_id).where(flags.c.session_id == session_id)
        with self._transaction() as connection:
            return {question_key(bank, question) for bank, question in connection.execute(query)}

    def profile_flags(self, profile_id: int) -> list[tuple[int, str]]:
        """Every flag of a profile: (session id, question key)."""
        query = (
            select(flags.c.session_id, flags.c.bank_id, flags.c.question_id)
            .join(sessions, sessions.c.id == flags.c.session_id)
            .where(sessions.c.profile_id == profile_id)
        )
        with self._transaction() as connection:
            return [(sid, question_key(bank, q)) for sid, bank, q in connection.execute(query)]

    # --- history --------------------------------------------------------------------------------

    def attempts(
        self, profile_id: int | None = None, *, session_id: int | None = None
    ) -> list[Attempt]:
        """Attempts, oldest first: a profile's, a session's, or (neither given) every one."""
        query = select(attempts, profiles.c.name.label("profile")).join(
            profiles, profiles.c.id == attempts.c.profile_id
        )
        if profile_id is not None:
            query = query.where(attempts.c.profile_id == profile_id)
        if session_id is not None:
            query = query.where(attempts.c.session_id == session_id)
        with self._transaction() as connection:
            rows = connection.execute(query.order_by(attempts.c.id)).mappings().all()
        return [attempt_from_row(row, row["profile"]) for row in rows]

    def cards(self, profile_id: int) -> dict[str, Card]:
        """The profile's FSRS cards by question key."""
        query = select(cards).where(cards.c.profile_id == profile_id)
        with self._transaction() as connection:
            rows = connection.execute(query).mappings().all()
        return {
            question_key(row["bank_id"], row["question_id"]): card_from_row(row) for row in rows
        }

    def review_logs(self, profile_id: int) -> list[tuple[str, ReviewLog]]:
        """The profile's FSRS review logs, oldest first, with their question keys."""
        query = (
            select(review_logs)
            .where(review_logs.c.profile_id == profile_id)
            .order_by(review_logs.c.id)
        )
        with self._transaction() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            (question_key(row["bank_id"], row["question_id"]), review_log_from_row(row))
            for row in rows
        ]


def _new_id(result: CursorResult[Any]) -> int:
    """The primary key that the one-row ``INSERT`` behind ``result`` gave its row."""
    key = result.inserted_primary_key
    if key is None:  # only for statements that are not single-row inserts
        raise StoreError("the progress database returned no id for a new row")
    return int(key[0])


def _reason(error: SQLAlchemyError) -> str:
    original = getattr(error, "orig", None)
    return str(original) if original is not None else str(error)
