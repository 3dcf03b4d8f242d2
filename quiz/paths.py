"""Where ims-quiz keeps its files.

Config, data and cache follow the operating system's conventions (platformdirs). Setting
``IMS_QUIZ_HOME`` puts all three under one root, which is what the tests do so that they never
touch a real user's files.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "ims-quiz"
HOME_ENV = "IMS_QUIZ_HOME"
BANKS_ENV = "IMS_QUIZ_BANKS"
DB_ENV = "IMS_QUIZ_DB"
PROFILE_ENV = "IMS_QUIZ_PROFILE"


def _home() -> Path | None:
    value = os.environ.get(HOME_ENV)
    return Path(value).expanduser() if value else None


def config_dir() -> Path:
    """Directory for settings (theme and the like)."""
    home = _home()
    return home / "config" if home else Path(platformdirs.user_config_dir(APP_NAME))


def data_dir() -> Path:
    """Directory for the progress database and the user's own bank folder."""
    home = _home()
    return home / "data" if home else Path(platformdirs.user_data_dir(APP_NAME))


def cache_dir() -> Path:
    """Directory for the bank parse cache; safe to delete at any time."""
    home = _home()
    return home / "cache" if home else Path(platformdirs.user_cache_dir(APP_NAME))


def user_bank_dir() -> Path:
    """The ``banks/`` folder in the data dir, searched for banks on every start."""
    return data_dir() / "banks"


def shipped_bank_dir() -> Path:
    """The banks that ship with the package.

    A wheel carries them inside the package (``quiz/_shipped_banks``); a source checkout or an
    editable install reads the repository's ``question_banks/`` folder.
    """
    package = Path(__file__).resolve().parent
    installed = package / "_shipped_banks"
    return installed if installed.is_dir() else package.parent / "question_banks"


def env_bank_dirs() -> list[Path]:
    """Folders listed in ``IMS_QUIZ_BANKS`` (an OS path list)."""
    value = os.environ.get(BANKS_ENV, "")
    return [Path(part).expanduser() for part in value.split(os.pathsep) if part.strip()]
