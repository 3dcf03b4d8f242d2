"""The trainee's preferences, kept in the config dir as JSON: one file for the TUI and the CLI.

Every field has a default, and a value that is missing, of the wrong type or out of range counts
as not set, so a hand-edited or damaged file never stops the app.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Final

import msgspec

from quiz import paths
from quiz.domain.planning import DEFAULT_NEW_PER_DAY
from quiz.domain.stats import DEFAULT_RETENTION

RETENTION_RANGE: Final = (0.80, 0.97)
"""The desired retention a trainee may choose (FSRS's target probability of recall)."""
NEW_PER_DAY_RANGE: Final = (0, 9999)


class Preferences(msgspec.Struct, kw_only=True):
    """What the trainee chose; the defaults are what a new trainee gets."""

    theme: str | None = None
    """The Textual theme's name."""
    new_per_day: int = DEFAULT_NEW_PER_DAY
    """New questions a review introduces per day."""
    desired_retention: float = DEFAULT_RETENTION
    """FSRS's target probability of recall when a card comes due."""
    certainty: bool = True
    """Ask how sure the trainee is before feedback (certainty-based marking)."""


_CHECKS: Final[dict[str, Any]] = {
    "theme": lambda value: isinstance(value, str),
    "new_per_day": lambda value: (
        isinstance(value, int)
        and not isinstance(value, bool)
        and NEW_PER_DAY_RANGE[0] <= value <= NEW_PER_DAY_RANGE[1]
    ),
    "desired_retention": lambda value: (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and RETENTION_RANGE[0] <= value <= RETENTION_RANGE[1]
    ),
    "certainty": lambda value: isinstance(value, bool),
}


def _file() -> Path:
    return paths.config_dir() / "preferences.json"


def _saved() -> dict[str, Any]:
    try:
        value = msgspec.json.decode(_file().read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def load() -> Preferences:
    """The saved preferences; a field that is unreadable or out of range keeps its default."""
    saved = _saved()
    valid = {name: saved[name] for name, check in _CHECKS.items() if name in saved}
    return Preferences(**{name: value for name, value in valid.items() if _CHECKS[name](value)})


def save(**changes: Any) -> None:
    """Merge ``changes`` into the saved file, replacing it in one step; failure is not an error.

    Keys this version does not know are kept, so an older and a newer ims-quiz can share a file.
    """
    unknown = set(changes) - set(_CHECKS)
    if unknown:
        raise TypeError(f"unknown preferences: {', '.join(sorted(unknown))}")
    merged = {**_saved(), **changes}
    target = _file()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".preferences.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(msgspec.json.format(msgspec.json.encode(merged), indent=2))
            os.replace(temp, target)
        except OSError:
            Path(temp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
