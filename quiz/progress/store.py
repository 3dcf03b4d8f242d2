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
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import datetime
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy import Connection, CursorResult, Engine, delete, insert, select, update
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from quiz.domain.grading import Response
from quiz.domain.keys import question_key
from quiz.domain.scheduling import Card, Rating, ReviewLog, review_attempt
from quiz.domain.session import Attempt, SessionPlan
from quiz.progress import StoreError, postgres
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
from quiz.progress.migrations import LATEST_VERSION, current_version, recognise_and_migrate
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
    BUSY_TIMEOUT_MS,
    WRITE_OPTION,
    back_up,
    backed_up_on,
    check_sqlite_file,
    configure_sqlite,
    sqlite_file_of,
    write_problem,
)
from quiz.progress.sqlite import now_utc as sqlite_now

T = TypeVar("T")


class Store:
    """One progress database. Use :meth:`open`; safe to share between threads."""

    def __init__(self, engine: Engine, where: str, url: URL | None = None) -> None:
        self._engine = engine
        self.where = where
        """The database, as shown in messages (a file path, or the URL without password)."""
        self._url = url if url is not None else engine.url
        self._postgres = engine.dialect.name == "postgresql"
        self._upserts = engine.dialect.name in ("postgresql", "sqlite")
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
                reason = _reason(error)
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
        reason = _reason(error) if isinstance(error, SQLAlchemyError) else str(error)
        reason = reason.strip()
        if self._postgres:
            server = postgres.server_of(self._url)
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
            head = f"the progress database {self.where} failed"
        else:
            head = f"{doing} the progress database {self.where}"
        if self._sqlite_file is not None and any(
            words in reason for words in ("readonly", "read-only", "unable to open")
        ):
            problem = write_problem(self._sqlite_file)
            if problem is not None:
                problem = problem[0].upper() + problem[1:]
                return f"{head}: {reason}. {problem}: choose another place with --db or IMS_QUIZ_DB"
        return f"{head}: {reason}"

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
            reason = _reason(error)
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
        if version > LATEST_VERSION:
            return  # refused by recognise_and_migrate, untouched
        try:
            back_up(self._sqlite_file, f"before-v{LATEST_VERSION}", sqlite_now())
        except (OSError, sqlite3.Error) as error:
            raise StoreError(
                f"cannot back up {self.where} before upgrading its schema (version {version} to "
                f"{LATEST_VERSION}): {error}. It was left untouched."
            ) from None

    def _back_up_daily(self) -> None:
        """At most once a day, copy the SQLite file aside; a failure costs only the copy."""
        if self._sqlite_file is None:
            return
        now = sqlite_now()
        try:
            if not backed_up_on(self._sqlite_file, now):
                back_up(self._sqlite_file, "daily", now)
        except (OSError, sqlite3.Error):
            pass  # a read-only folder, a full disk: the database itself is fine

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
            if self._upserts:
                # another app may be making it right now: whoever comes second inserts nothing
                connection.execute(
                    self._insert(profiles)
                    .values(name=name, created_at=now)
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                found = connection.execute(query).scalar_one()
            else:
                found = connection.execute(query).scalar()
                if found is None:
                    found = _new_id(
                        connection.execute(insert(profiles).values(name=name, created_at=now))
                    )
        return int(found)

    def _insert(self, table: sa.Table) -> Any:
        """An ``INSERT`` that can say ``ON CONFLICT`` (PostgreSQL and SQLite)."""
        if self._postgres:
            return pg_dialect.insert(table)
        return sqlite_dialect.insert(table)

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
        return _decoded(self.where, "sessions", row, session_from_row) if row else None

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
        return _decoded(self.where, "sessions", row, session_from_row) if row else None

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
            if self._postgres:
                # SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL's do not
                # wait for each other, so this profile's answers are recorded one app at a time.
                postgres.lock_profile(connection, profile_id)
            for attempt, rating in graded:
                attempt_id = _new_id(
                    connection.execute(insert(attempts).values(attempt_row(attempt, profile_id)))
                )
                card, log = self._review_card(connection, profile_id, attempt, rating)
                connection.execute(
                    insert(review_logs).values(review_log_row(log, attempt, profile_id, attempt_id))
                )
            if finish_session is not None:
                connection.execute(
                    update(sessions)
                    .where(sessions.c.id == finish_session)
                    .values(finished_at=finished_at)
                )
                # the submitted answers are attempts now: the exam's drafts are done with
                connection.execute(
                    delete(exam_answers).where(exam_answers.c.session_id == finish_session)
                )

    def _review_card(
        self, connection: Connection, profile_id: int, attempt: Attempt, rating: Rating
    ) -> tuple[Card, ReviewLog]:
        """Review the question's card in ``connection``'s transaction, reading it locked.

        The card row is read ``FOR UPDATE`` (PostgreSQL; SQLite's writer already holds the
        file), and a new card is inserted with ``ON CONFLICT DO NOTHING``: if another app
        created it meanwhile, its card is read again, locked, and reviewed instead.
        """
        where = (
            cards.c.profile_id == profile_id,
            cards.c.bank_id == attempt.bank_id,
            cards.c.question_id == attempt.question_id,
        )
        locked = select(cards).where(*where).with_for_update()
        row = connection.execute(locked).mappings().first()
        if row is None:
            card, log = review_attempt(None, attempt, rating)
            values = {
                "profile_id": profile_id,
                "bank_id": attempt.bank_id,
                "question_id": attempt.question_id,
                **card_row(card),
            }
            if not self._upserts:
                connection.execute(insert(cards).values(values))
                return card, log
            inserted = connection.execute(
                self._insert(cards)
                .values(values)
                .on_conflict_do_nothing(index_elements=["profile_id", "bank_id", "question_id"])
                .returning(cards.c.profile_id)
            ).first()
            if inserted is not None:
                return card, log
            row = connection.execute(locked).mappings().one()
        card, log = review_attempt(
            _decoded(self.where, "cards", row, card_from_row), attempt, rating
        )
        connection.execute(update(cards).where(*where).values(card_row(card)))
        return card, log

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
            if self._upserts:
                connection.execute(
                    self._insert(exam_answers)
                    .values(
                        session_id=session_id, bank_id=bank_id, question_id=question_id, **values
                    )
                    .on_conflict_do_update(
                        index_elements=["session_id", "bank_id", "question_id"], set_=values
                    )
                )
            elif (
                connection.execute(update(exam_answers).where(*where).values(values)).rowcount == 0
            ):
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
            if flagged and self._upserts:
                connection.execute(
                    self._insert(flags)
                    .values(
                        session_id=session_id,
                        bank_id=bank_id,
                        question_id=question_id,
                        flagged_at=at,
                    )
                    .on_conflict_do_update(
                        index_elements=["session_id", "bank_id", "question_id"],
                        set_={"flagged_at": at},
                    )
                )
                return
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
        query = select(attempts, profiles.c.name.label("profile")).join(
            profiles, profiles.c.id == attempts.c.profile_id
        )
        if profile_id is not None:
            query = query.where(attempts.c.profile_id == profile_id)
        if session_id is not None:
            query = query.where(attempts.c.session_id == session_id)
        found = []
        with self._transaction() as connection:
            # rows in batches, decoded as they come: never the whole result set and its
            # attempts in memory at once
            result = connection.execute(
                query.order_by(attempts.c.id).execution_options(yield_per=2000)
            )
            try:
                for row in result.mappings():
                    try:
                        found.append(_decoded(self.where, "attempts", row, _attempt_of))
                    except StoreError as error:
                        if skipped is None:
                            raise
                        skipped.append(str(error))
            finally:
                result.close()
        return found

    def cards(self, profile_id: int) -> dict[str, Card]:
        """The profile's FSRS cards by question key."""
        query = select(cards).where(cards.c.profile_id == profile_id)
        with self._transaction() as connection:
            rows = connection.execute(query).mappings().all()
        return {
            question_key(row["bank_id"], row["question_id"]): _decoded(
                self.where, "cards", row, card_from_row
            )
            for row in rows
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
            (
                question_key(row["bank_id"], row["question_id"]),
                _decoded(self.where, "review_logs", row, review_log_from_row),
            )
            for row in rows
        ]

    # --- checking ---------------------------------------------------------------------------

    def check(self) -> CheckReport:
        """As Anki's Check Database: SQLite's integrity check, every card equal to the replay
        of its review logs, and no orphan rows. Only reads."""
        with self._transaction() as connection:
            integrity: list[str] = []
            if self._engine.dialect.name == "sqlite":
                found = [str(r[0]) for r in connection.exec_driver_sql("PRAGMA integrity_check")]
                integrity = [] if found == ["ok"] else found
            orphans = {
                name: int(connection.exec_driver_sql(sql).scalar_one())
                for name, sql in _ORPHANS.items()
            }
            replayed = _replayed(connection, self.where)
            differing = []
            for row in connection.execute(select(cards)).mappings():
                ident = (row["profile_id"], row["bank_id"], row["question_id"])
                card = _decoded(self.where, "cards", row, card_from_row)
                expected = replayed.get(ident)
                if expected is None or expected.to_dict() != card.to_dict():
                    differing.append((ident[0], question_key(ident[1], ident[2])))
        return CheckReport(integrity, sorted(differing), orphans)

    def rebuild_cards(self) -> int:
        """Rebuild every card that has review logs from their replay; returns how many changed.

        A SQLite file is backed up first (see :func:`~quiz.progress.sqlite.back_up`).
        """
        if self._sqlite_file is not None:
            try:
                back_up(self._sqlite_file, "before-repair", sqlite_now())
            except (OSError, sqlite3.Error) as error:
                raise StoreError(
                    f"cannot back up {self.where} before repairing it: {error}. Nothing was "
                    "changed."
                ) from None
        changed = 0
        with self._transaction(write=True) as connection:
            replayed = _replayed(connection, self.where)
            stored = {
                (row["profile_id"], row["bank_id"], row["question_id"]): row["card"]
                for row in connection.execute(
                    select(cards.c.profile_id, cards.c.bank_id, cards.c.question_id, cards.c.card)
                ).mappings()
            }
            for (profile_id, bank_id, question_id), card in replayed.items():
                if stored.get((profile_id, bank_id, question_id)) == card.to_dict():
                    continue
                changed += 1
                where = (
                    cards.c.profile_id == profile_id,
                    cards.c.bank_id == bank_id,
                    cards.c.question_id == question_id,
                )
                if (profile_id, bank_id, question_id) in stored:
                    connection.execute(update(cards).where(*where).values(card_row(card)))
                else:
                    connection.execute(
                        insert(cards).values(
                            profile_id=profile_id,
                            bank_id=bank_id,
                            question_id=question_id,
                            **card_row(card),
                        )
                    )
        return changed


class CheckReport(NamedTuple):
    """What :meth:`Store.check` found; empty lists mean a healthy database."""

    integrity: list[str]
    """SQLite's ``PRAGMA integrity_check`` problems (none on other databases)."""
    differing_cards: list[tuple[int, str]]
    """(profile id, question key) of cards that differ from the replay of their review logs."""
    orphans: dict[str, int]
    """Rows whose parent row is missing, by what they are."""

    @property
    def ok(self) -> bool:
        return not (self.integrity or self.differing_cards or any(self.orphans.values()))


_ORPHANS = {
    "attempts without a profile": "SELECT count(*) FROM attempts a WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = a.profile_id)",
    "attempts of a missing session": "SELECT count(*) FROM attempts a WHERE a.session_id IS NOT "
    "NULL AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.id = a.session_id)",
    "sessions without a profile": "SELECT count(*) FROM sessions s WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = s.profile_id)",
    "review logs of a missing attempt": "SELECT count(*) FROM review_logs r WHERE r.attempt_id IS "
    "NOT NULL AND NOT EXISTS (SELECT 1 FROM attempts a WHERE a.id = r.attempt_id)",
    "cards without a profile": "SELECT count(*) FROM cards c WHERE NOT EXISTS "
    "(SELECT 1 FROM profiles p WHERE p.id = c.profile_id)",
    "exam answers of a missing session": "SELECT count(*) FROM exam_answers e WHERE NOT EXISTS "
    "(SELECT 1 FROM sessions s WHERE s.id = e.session_id)",
    "flags of a missing session": "SELECT count(*) FROM flags f WHERE NOT EXISTS "
    "(SELECT 1 FROM sessions s WHERE s.id = f.session_id)",
}


def _replayed(connection: Connection, where: str) -> dict[tuple[int, str, str], Card]:
    """Every card as the replay of its review logs (in commit order) makes it."""
    from quiz.domain.scheduling import new_card, review

    replayed: dict[tuple[int, str, str], Card] = {}
    query = select(review_logs).order_by(review_logs.c.id)
    for row in connection.execute(query).mappings():
        log = _decoded(where, "review_logs", row, review_log_from_row)
        ident = (row["profile_id"], row["bank_id"], row["question_id"])
        card = replayed.get(ident) or new_card(
            question_key(row["bank_id"], row["question_id"]), log.review_datetime
        )
        replayed[ident], _ = review(
            card, log.rating, log.review_datetime, (log.review_duration or 0) / 1000
        )
    return replayed


def _attempt_of(row: Any) -> Attempt:
    return attempt_from_row(row, row["profile"])


def _decoded(where: str, table: str, row: Any, convert: Callable[[Any], T]) -> T:
    """``convert(row)``; a row it cannot read is a :class:`StoreError` naming the row."""
    try:
        return convert(row)
    except Exception as error:  # any decoder's error: JSON, msgspec, a bad enum value, ...
        keys = [f"{name} {row[name]!r}" for name in ("id", "bank_id", "question_id") if name in row]
        raise StoreError(
            f"the progress database {where} has an unreadable row in {table} "
            f"({', '.join(keys) or 'no key'}): {type(error).__name__}: {error}"
        ) from None


def _new_id(result: CursorResult[Any]) -> int:
    """The primary key that the one-row ``INSERT`` behind ``result`` gave its row."""
    key = result.inserted_primary_key
    if key is None:  # only for statements that are not single-row inserts
        raise StoreError("the progress database returned no id for a new row")
    return int(key[0])


def _reason(error: BaseException) -> str:
    original = getattr(error, "orig", None)
    return str(original) if original is not None else str(error)
