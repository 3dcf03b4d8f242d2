"""PostgreSQL specifics of the progress store: the psycopg 3 driver, timeouts that stand in for
SQLite's busy timeout, advisory locks, and messages for a server that cannot be reached.

SQLite serialises writers with ``BEGIN IMMEDIATE``; PostgreSQL runs them side by side, so the
store takes locks where a write depends on what it read:

- schema migrations run under a transaction-level advisory lock (:data:`MIGRATION_LOCK`), so
  apps starting together on an empty database build the schema once;
- recording answers takes a per-profile advisory lock and then the card rows ``FOR UPDATE``,
  so two apps on one profile review each card in turn and lose no review.

Every connection gets ``lock_timeout`` and ``statement_timeout``: a write that waits behind
another session's lock fails with a clear message instead of waiting forever.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import URL

from quiz.progress.sqlite import BUSY_TIMEOUT_MS

LOCK_TIMEOUT_MS = BUSY_TIMEOUT_MS
"""How long a statement waits for another session's lock (as SQLite's busy timeout)."""

STATEMENT_TIMEOUT_MS = 60_000
"""No statement of the store runs longer than this; a stuck server fails instead of hanging."""

CONNECT_TIMEOUT_S = 10
"""How long opening a connection to the server may take."""

MIGRATION_LOCK = 0x1A5_0001
"""The advisory lock key that serialises schema migrations (any constant ims-quiz owns)."""

PROFILE_LOCK_CLASS = 0x1A5
"""The first key of the two-key advisory lock taken per profile while recording answers."""


def is_postgres(url: URL) -> bool:
    return url.get_backend_name() == "postgresql"


def with_driver(url: URL) -> URL:
    """``postgresql://`` means psycopg 3 here (SQLAlchemy's default would be psycopg2)."""
    if url.drivername in ("postgresql", "postgres"):
        return url.set(drivername="postgresql+psycopg")
    return url


def engine_options(url: URL) -> dict[str, Any]:
    """Options for :func:`sqlalchemy.create_engine`: pre-ping and a connect timeout."""
    options: dict[str, Any] = {"pool_pre_ping": True}
    if url.get_dialect().driver == "psycopg" and "connect_timeout" not in url.query:
        options["connect_args"] = {"connect_timeout": CONNECT_TIMEOUT_S}
    return options


def configure_postgres(engine: Engine) -> None:
    """Lock and statement timeouts on every new connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            cursor.execute(f"SET statement_timeout = {STATEMENT_TIMEOUT_MS}")
            cursor.close()
        finally:
            dbapi_connection.autocommit = autocommit


def lock_migrations(connection: Connection) -> None:
    """Wait for (and hold until the transaction ends) the migration lock."""
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


def lock_profile(connection: Connection, profile_id: int) -> None:
    """Serialise this profile's answer recording until the transaction ends."""
    connection.execute(
        text("SELECT pg_advisory_xact_lock(:cls, :profile)"),
        {"cls": PROFILE_LOCK_CLASS, "profile": profile_id},
    )


def server_of(url: URL) -> str:
    """The server and database of ``url``, for messages."""
    host = url.host or "the local socket"
    port = f":{url.port}" if url.port else ""
    return f"PostgreSQL server {host}{port}, database {url.database or '(default)'}"


CONNECTION_HINT = (
    "Check that the server is running and reachable from this computer, and the host, port, "
    "user, password and database name in the URL (--db or IMS_QUIZ_DB)."
)


def is_connection_problem(reason: str) -> bool:
    lowered = reason.lower()
    return any(
        phrase in lowered
        for phrase in (
            "connection",
            "could not connect",
            "server closed",
            "authentication failed",
            'database "',
            'role "',
            "timeout expired",
            "could not translate host",
            "no route to host",
            "terminating",
            "the database system is",
        )
    )
