"""SQLite specifics of the progress store: recognising a file before touching it, WAL, the busy
timeout, and ``BEGIN IMMEDIATE`` for writers."""

from __future__ import annotations

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.engine import URL

from quiz.progress import StoreError

BUSY_TIMEOUT_MS = 10_000
"""How long a SQLite writer waits for another app's transaction before giving up."""

SQLITE_HEADER = b"SQLite format 3\x00"

WRITE_OPTION = "ims_quiz_write"
"""The execution option that marks a connection's transaction as a write (``BEGIN IMMEDIATE``)."""


def sqlite_file_of(url: URL) -> Path | None:
    """The file of a SQLite URL; ``None`` for other databases and in-memory SQLite."""
    if url.get_backend_name() != "sqlite":
        return None
    database = url.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database).expanduser()


def check_sqlite_file(path: Path) -> None:
    """Refuse a path that is not a SQLite file, before SQLite (or anything) can touch it."""
    if path.is_dir():
        raise StoreError(f"the progress database {path} is a folder, not a file")
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            reason = error.strerror or error
            raise StoreError(f"cannot create the folder for {path}: {reason}") from None
        return
    except OSError as error:
        reason = error.strerror or error
        raise StoreError(f"cannot read the progress database {path}: {reason}") from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            f"{path} is not an ims-quiz progress database (not a SQLite file). It was left "
            "untouched: move it away, or choose another file with --db or IMS_QUIZ_DB."
        )


def configure_sqlite(engine: Engine) -> None:
    """Busy timeout and foreign keys on every connection; ``BEGIN IMMEDIATE`` for writes.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's ``begin`` event
    decides how each transaction starts. A writer that starts with a plain ``BEGIN`` and then
    writes can fail at once with "database is locked" when another app wrote in between; one
    that starts with ``BEGIN IMMEDIATE`` waits its turn (up to the busy timeout) instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        dbapi_connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        dbapi_connection.execute("PRAGMA foreign_keys = ON")
        # FULL: a committed answer survives a power loss too, not only a crash.
        dbapi_connection.execute("PRAGMA synchronous = FULL")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def write_problem(path: Path) -> str | None:
    """Why the database at ``path`` cannot be written, if its folder or file system says so.

    SQLite writes beside the file too (its ``-wal`` and ``-shm`` files), so the folder must be
    writable as well as the file.
    """
    folder = path.parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return f"the file system holding {folder} is mounted read-only"
    except OSError:
        return None
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"the folder {folder} is read-only for you (SQLite writes its -wal and -shm there)"
    if path.exists() and not os.access(path, os.W_OK):
        return f"the file {path} is read-only for you"
    return None


BACKUP_FOLDER = "backups"
"""Backups live in this folder beside the database file."""

BACKUPS_KEPT = 7


def now_utc() -> datetime:
    return datetime.now(UTC)


def backup_folder(path: Path) -> Path:
    return path.parent / BACKUP_FOLDER


def _backups(path: Path) -> list[Path]:
    folder = backup_folder(path)
    if not folder.is_dir():
        return []
    prefix = f"{path.stem}-"
    return sorted(
        p
        for p in folder.iterdir()
        if p.name.startswith(prefix) and p.suffix == (path.suffix or ".sqlite3")
    )


def backed_up_on(path: Path, day: datetime) -> bool:
    """Whether a backup of ``path`` was made on ``day`` (UTC)."""
    stamp = f"{path.stem}-{day:%Y%m%d}-"
    return any(p.name.startswith(stamp) for p in _backups(path))


def back_up(path: Path, label: str, now: datetime) -> Path:
    """Copy the database at ``path`` with SQLite's online backup into :data:`BACKUP_FOLDER`.

    The copy is a consistent snapshot even while other apps write; it is written under a
    temporary name and renamed when complete, and only the newest :data:`BACKUPS_KEPT` are kept.

    Raises:
        OSError, sqlite3.Error: The copy could not be made.
    """
    folder = backup_folder(path)
    folder.mkdir(exist_ok=True)
    name = f"{path.stem}-{now:%Y%m%d-%H%M%S}-{label}{path.suffix or '.sqlite3'}"
    target = folder / name
    temp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        source = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            copy = sqlite3.connect(temp)
            try:
                source.backup(copy)
            finally:
                copy.close()
        finally:
            source.close()
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
    for old in _backups(path)[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target
