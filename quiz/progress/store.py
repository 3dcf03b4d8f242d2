"""The progress store: SQLAlchemy Core over SQLite by default, any SQLAlchemy URL otherwise.

Guarantees:

- Every write is one transaction, committed before the method returns: an answer survives a
  crash or ``kill -9`` the moment :meth:`Store.record_attempts` (or :meth:`Store.save_draft`)
  has returned.
- SQLite runs in WAL mode with a busy timeout, and write transactions start with
  ``BEGIN IMMEDIATE``, so two apps on one file both record instead of failing with "database
  is locked".
- On PostgreSQL (psycopg 3; ``postgresql://`` URLs), migrations run under an advisory lock,
  recording answers locks the profile and its card rows, new rows are inserted with
  ``ON CONFLICT``, and lock/statement timeouts stand in for the busy timeout
  (:mod:`quiz.progress.postgres`). Connections are pinged before use, so a restarted server
  costs no answer.
- Opening takes no write lock when the schema is already up to date, so read-only commands
  work while another app is writing.
- A file that is not an ims-quiz database (not SQLite, or another program's) raises
  :class:`~quiz.progress.StoreError` and is never written to: nothing, not even WAL mode, is
  set before the file has been recognised.

The façade :class:`Store` owns the engine, the opening and the transactions; the work is done
by :mod:`~quiz.progress.writes` (the write path), :mod:`~quiz.progress.reads` (the reads),
:mod:`~quiz.progress.maintenance` (backups, check, rebuild) and :mod:`~quiz.progress.errors`
(the messages for database failures).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime, tzinfo
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from quiz.domain.cbm import Certainty, LevelTotals
from quiz.domain.grading import Response
from quiz.domain.reports import ProblemReport
from quiz.domain.scheduling import Card, Rating, ReviewLog
from quiz.domain.session import Attempt, SessionPlan
from quiz.domain.stats import DEFAULT_RETENTION
from quiz.progress import StoreError, maintenance, postgres, reads, writes
from quiz.progress.convert import StoredHistory, StoredSession, session_row
from quiz.progress.errors import message, reason_of
from quiz.progress.maintenance import CheckReport
from quiz.progress.migrations import LATEST_VERSION, current_version, recognise_and_migrate
from quiz.progress.sqlite import (
    BUSY_TIMEOUT_MS,
    WRITE_OPTION,
    check_sqlite_file,
    configure_sqlite,
    sqlite_file_of,
    write_problem,
)
from quiz.progress.sqlite import now_utc as sqlite_now
from quiz.progress.writes import Recorded

# CheckReport and write_problem are re-exported: callers and tests import them from here.
__all__ = ["CheckReport", "Recorded", "Store", "write_problem"]


class Store:
    """One progress database. Use :meth:`open`; safe to share between threads."""

    def __init__(self, engine: Engine, where: str, url: URL | None = None) -> None:
        self._engine = engine
        self.where = where
        """The database, as shown in messages (a file path, or the URL without password)."""
        self._url = url if url is not None else engine.url
        self._postgres = engine.dialect.name == "postgresql"
        self._sqlite_file = sqlite_file_of(self._url)
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
        except (ArgumentError, ValueError):
            raise StoreError(f"{url!r} is not a database URL or file path") from None
        sqlite_file = sqlite_file_of(parsed)
        options: dict[str, Any] = {}
        if postgres.is_postgres(parsed):
            parsed = postgres.with_driver(parsed)
            options = postgres.engine_options(parsed)
        where = str(sqlite_file) if sqlite_file else parsed.render_as_string(hide_password=True)
        if sqlite_file is not None:
            check_sqlite_file(sqlite_file)
        if parsed.get_backend_name() == "sqlite" and sqlite_file is None:
            # An in-memory database lives in one connection: share it between threads.
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        try:
            engine = sa.create_engine(parsed, **options)
        except (NoSuchModuleError, ImportError) as error:
            hint = ""
            if postgres.is_postgres(parsed):
                hint = " (PostgreSQL needs psycopg: pip install 'ims-quiz[postgres]')"
            raise StoreError(f"cannot use the progress database {where}: {error}{hint}") from None
        except ArgumentError as error:
            raise StoreError(f"cannot use the progress database {where}: {error}") from None
        if engine.dialect.name == "sqlite":
            configure_sqlite(engine)
        elif engine.dialect.name == "postgresql":
            postgres.configure_postgres(engine)
        store = cls(engine, where, parsed)
        try:
            store._prepare()
            if sqlite_file is not None:
                store._use_wal()
        except BaseException:
            engine.dispose()
            raise
        return store

    def _use_wal(self) -> None:
        """Switch the (recognised) file to WAL mode, which every later connection keeps.

        Changing the journal mode needs a moment without other connections' transactions; an
        app opening the file at the same time can make it fail with "database is locked", so
        it is retried within the busy timeout, and a failure is a :class:`StoreError`.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                with self._engine.connect() as connection:
                    raw = connection.connection.driver_connection
                    mode = raw.execute("PRAGMA journal_mode").fetchone()  # type: ignore[union-attr]
                    if mode is None or str(mode[0]).lower() != "wal":
                        raw.execute("PRAGMA journal_mode=WAL")  # type: ignore[union-attr]
                return
            except (sqlite3.Error, SQLAlchemyError) as error:
                reason = reason_of(error)
                if "locked" in reason or "busy" in reason:
                    if time.monotonic() < deadline:
                        time.sleep(0.05)
                        continue
                raise StoreError(self._message(error, "cannot open")) from None

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
            raise StoreError(self._message(error, "failed")) from error

    def _message(self, error: BaseException, doing: str) -> str:
        """What went wrong with the database, for the user: which one, and what to check."""
        return message(
            error,
            doing,
            where=self.where,
            url=self._url,
            on_postgres=self._postgres,
            sqlite_file=self._sqlite_file,
        )

    def _prepare(self) -> None:
        """Recognise the database and bring its schema up to date, or refuse it.

        A database already at the latest version is only read, so opening it takes no write
        lock. Otherwise the check runs again inside a write transaction (on PostgreSQL under
        the migration advisory lock), so that apps opening a new database together build its
        schema once.
        """
        try:
            with self._engine.connect() as connection:
                with connection.begin():
                    version = current_version(connection)
            if version == LATEST_VERSION:
                self._back_up_daily()
                return
            if self._sqlite_file is not None and version:
                self._back_up_before_upgrade(version)
            with self._engine.connect() as connection:
                connection.execution_options(**{WRITE_OPTION: True})
                with connection.begin():
                    if self._postgres:
                        postgres.lock_migrations(connection)
                    recognise_and_migrate(connection, self.where)
        except DatabaseError as error:
            reason = reason_of(error)
            if "not a database" in reason or "malformed" in reason:
                raise StoreError(
                    f"{self.where} is not a readable ims-quiz progress database ({reason}). "
                    "It was left untouched: move it away, or choose another file with --db "
                    "or IMS_QUIZ_DB."
                ) from None
            raise StoreError(self._message(error, "cannot open")) from None
        except SQLAlchemyError as error:
            raise StoreError(self._message(error, "cannot open")) from None
        except (sqlite3.Error, OSError) as error:  # from the driver, outside SQLAlchemy's wrapping
            raise StoreError(self._message(error, "cannot open")) from None

    def _back_up_before_upgrade(self, version: int) -> None:
        """Copy an existing SQLite file aside before its schema is upgraded, or refuse."""
        assert self._sqlite_file is not None
        maintenance.back_up_before_upgrade(self._sqlite_file, self.where, version, sqlite_now())

    def _back_up_daily(self) -> None:
        """At most once a day, copy the SQLite file aside; a failure costs only the copy."""
        if self._sqlite_file is None:
            return
        maintenance.back_up_daily(self._sqlite_file, sqlite_now())

    def schema_version(self) -> int:
        """The schema version the database is at."""
        with self._transaction() as connection:
            return reads.version(connection)

    # --- profiles -------------------------------------------------------------------------------

    def profile_id(self, name: str, now: datetime) -> int:
        """The id of profile ``name``, created if it is new."""
        with self._transaction() as connection:
            found = reads.profile_id(connection, name)
        if found is not None:
            return found
        with self._transaction(write=True) as connection:
            return writes.create_profile(connection, name, now)

    # --- sessions -------------------------------------------------------------------------------

    def create_session(
        self, profile_id: int, plan: SessionPlan, item_keys: Sequence[str], started_at: datetime
    ) -> int:
        """Store a new session (``plan.seed`` must be set); returns its id."""
        row = session_row(profile_id, plan, list(item_keys), started_at)
        with self._transaction(write=True) as connection:
            return writes.create_session(connection, row)

    def session(self, session_id: int) -> StoredSession | None:
        """The session ``session_id``, or ``None``."""
        with self._transaction() as connection:
            return reads.session(connection, self.where, session_id)

    def unfinished_sessions(self, profile_id: int, limit: int = 20) -> list[StoredSession]:
        """The profile's sessions that are neither finished nor abandoned, newest first."""
        with self._transaction() as connection:
            return reads.unfinished_sessions(connection, profile_id, limit)

    def unfinished_session(self, profile_id: int) -> StoredSession | None:
        """The newest session of the profile that is neither finished nor abandoned."""
        with self._transaction() as connection:
            return reads.unfinished_session(connection, self.where, profile_id)

    def abandon_session(self, session_id: int, at: datetime) -> None:
        """Mark an unfinished session abandoned (its answers stay recorded)."""
        with self._transaction(write=True) as connection:
            writes.abandon_session(connection, session_id, at)

    # --- answers --------------------------------------------------------------------------------

    def record_attempts(
        self,
        profile_id: int,
        graded: Sequence[tuple[Attempt, Rating]],
        *,
        finish_session: int | None = None,
        finished_at: datetime | None = None,
        tz: tzinfo | None = None,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> list[Recorded]:
        """Record attempts and review their FSRS cards, in one transaction.

        Each attempt reviews the question's card with its rating
        (:func:`~quiz.domain.scheduling.review_attempt`, aiming at ``desired_retention``) and
        leaves a review log; the card is read and written in this transaction, so concurrent
        apps lose no review. An attempt within :data:`~quiz.domain.scheduling.KEY_SEEN_WINDOW`
        of the question's previous one (whose key the trainee saw then) is recorded without a
        review. The question's tally and the day's counts (the local day in ``tz``, ``None``
        the computer's) are updated in it too. With ``finish_session``, that session is marked
        finished at ``finished_at`` in the same transaction.

        Returns:
            One :class:`~quiz.progress.writes.Recorded` per attempt, for :meth:`undo_attempt`.
        """
        with self._transaction(write=True) as connection:
            return writes.record_attempts(
                connection,
                self.where,
                profile_id,
                graded,
                finish_session=finish_session,
                finished_at=finished_at,
                tz=tz,
                desired_retention=desired_retention,
            )

    def undo_attempt(self, profile_id: int, recorded: Recorded) -> bool:
        """Take back a recorded attempt: it and its review log are deleted and its card is put
        back exactly as it was, in one transaction. False if the attempt was gone already."""
        with self._transaction(write=True) as connection:
            return writes.undo_attempt(connection, self.where, profile_id, recorded)

    def save_draft(
        self,
        session_id: int,
        bank_id: str,
        question_id: str,
        response: Response,
        seconds: float,
        saved_at: datetime,
        certainty: int | None = None,
    ) -> None:
        """Save (or replace) an exam answer before the exam is submitted."""
        values = writes.draft_values(response, seconds, saved_at, certainty)
        with self._transaction(write=True) as connection:
            writes.save_draft(connection, session_id, bank_id, question_id, values)

    def drafts(self, session_id: int) -> dict[str, reads.Draft]:
        """The saved exam answers of a session by question key."""
        with self._transaction() as connection:
            return reads.drafts(connection, session_id)

    def set_flag(
        self, session_id: int, bank_id: str, question_id: str, flagged: bool, at: datetime
    ) -> None:
        """Flag or unflag a question within a session."""
        with self._transaction(write=True) as connection:
            writes.set_flag(connection, session_id, bank_id, question_id, flagged, at)

    def session_flags(self, session_id: int) -> set[str]:
        """Keys of the questions flagged in a session."""
        with self._transaction() as connection:
            return reads.session_flags(connection, session_id)

    def profile_flags(self, profile_id: int) -> list[tuple[int, str]]:
        """Every flag of a profile: (session id, question key)."""
        with self._transaction() as connection:
            return reads.profile_flags(connection, profile_id)

    def add_report(self, profile_id: int, report: ProblemReport) -> int:
        """Store a problem report of profile ``profile_id``; returns its id."""
        with self._transaction(write=True) as connection:
            return writes.add_report(connection, profile_id, report)

    def reports(self) -> list[ProblemReport]:
        """Every profile's problem reports, oldest first."""
        with self._transaction() as connection:
            return reads.reports_of(connection)

    # --- history --------------------------------------------------------------------------------

    def attempts(
        self,
        profile_id: int | None = None,
        *,
        session_id: int | None = None,
        skipped: list[str] | None = None,
    ) -> list[Attempt]:
        """Attempts, oldest first: a profile's, a session's, or (neither given) every one.

        A row that cannot be decoded (damaged, or edited by hand) raises :class:`StoreError`;
        with ``skipped`` given, it is left out instead and described there (for export, which
        saves what can be read).
        """
        with self._transaction() as connection:
            return list(reads.attempts_of(connection, self.where, profile_id, session_id, skipped))

    def iter_attempts(
        self, profile_id: int | None = None, *, skipped: list[str] | None = None
    ) -> Iterator[Attempt]:
        """The attempts :meth:`attempts` returns, yielded as they are read (for export: a
        year of answers is never in memory at once). The read transaction stays open until
        the iterator is exhausted or closed."""
        with self._transaction() as connection:
            yield from reads.attempts_of(connection, self.where, profile_id, None, skipped)

    def history(self, profile_id: int, *, unsafe: int = 0) -> StoredHistory:
        """What the screens show of a profile's history, read in one transaction: the
        per-question tallies, the cards, the flags, the days, and the picks of the latest
        ``unsafe`` attempts with an unsafe pick. Costs the same for a year of answers as for
        a day's."""
        with self._transaction() as connection:
            return StoredHistory(
                questions=reads.question_tallies(connection, self.where, profile_id),
                cards=reads.cards_of(connection, self.where, profile_id),
                flags=reads.profile_flags(connection, profile_id),
                days=reads.days_of(connection, profile_id),
                unsafe=reads.unsafe_picks(connection, self.where, profile_id, unsafe)
                if unsafe
                else None,
            )

    def certainty_totals(self, profile_id: int) -> dict[Certainty, LevelTotals]:
        """The profile's answers given with a certainty, added up per level (one query)."""
        with self._transaction() as connection:
            return reads.certainty_totals(connection, profile_id)

    def cards(self, profile_id: int) -> dict[str, Card]:
        """The profile's FSRS cards by question key."""
        with self._transaction() as connection:
            return reads.cards_of(connection, self.where, profile_id)

    def review_logs(self, profile_id: int) -> list[tuple[str, ReviewLog]]:
        """The profile's FSRS review logs, oldest first, with their question keys."""
        with self._transaction() as connection:
            return reads.review_logs_of(connection, self.where, profile_id)

    # --- checking ---------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """As Anki's Check Database: SQLite's integrity check, every card equal to the replay
        of its review logs, and no orphan rows. Only reads."""
        with self._transaction() as connection:
            return maintenance.check(connection, self.where)

    def rebuild_cards(self) -> int:
        """Rebuild every card that has review logs from their replay; returns how many changed.

        A SQLite file is backed up first (see :func:`~quiz.progress.sqlite.back_up`).
        """
        if self._sqlite_file is not None:
            maintenance.back_up_before_repair(self._sqlite_file, self.where, sqlite_now())
        with self._transaction(write=True) as connection:
            return maintenance.rebuild_cards(connection, self.where)

    def rebuild_tallies(self) -> int:
        """Rebuild every per-question tally that differs from its attempts; returns how many
        changed. A SQLite file is backed up first."""
        if self._sqlite_file is not None:
            maintenance.back_up_before_repair(self._sqlite_file, self.where, sqlite_now())
        with self._transaction(write=True) as connection:
            return maintenance.rebuild_tallies(connection, self.where)
