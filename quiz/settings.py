"""What the user chose on the command line or in the environment, in one place."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import msgspec

from quiz import paths


def default_profile() -> str:
    """``IMS_QUIZ_PROFILE``, else the operating-system user name."""
    configured = os.environ.get(paths.PROFILE_ENV, "").strip()
    if configured:
        return configured
    try:
        return getpass.getuser() or "trainee"
    except (KeyError, OSError):  # no user name in some containers
        return "trainee"


class Settings(msgspec.Struct):
    """Options shared by every command (``--profile``, ``--db``, ``--bank-dir``)."""

    profile: str = msgspec.field(default_factory=default_profile)
    db_url: str | None = None
    """A SQLAlchemy URL or a file path; ``None`` means ``IMS_QUIZ_DB`` or the default file."""
    bank_dirs: list[Path] = msgspec.field(default_factory=list)
    """Extra bank folders from ``--bank-dir``, searched after the standard ones."""

    def database_url(self) -> str:
        """The database to use: ``--db``, else ``IMS_QUIZ_DB``, else SQLite in the data dir."""
        value = self.db_url or os.environ.get(paths.DB_ENV, "").strip()
        if not value:
            return f"sqlite:///{paths.data_dir() / 'progress.sqlite3'}"
        if "://" in value:
            return value
        return f"sqlite:///{Path(value).expanduser().resolve()}"
