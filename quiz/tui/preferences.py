"""Small user preferences (the theme) kept in the config dir as JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from quiz import paths


def _file() -> Path:
    return paths.config_dir() / "preferences.json"


def load() -> dict[str, Any]:
    """Saved preferences; an unreadable or malformed file counts as none saved."""
    try:
        value = msgspec.json.decode(_file().read_bytes())
    except (OSError, msgspec.DecodeError):
        return {}
    return value if isinstance(value, dict) else {}


def save(**changes: Any) -> None:
    """Merge ``changes`` into the saved preferences; failure to write is not an error."""
    merged = {**load(), **changes}
    try:
        _file().parent.mkdir(parents=True, exist_ok=True)
        _file().write_bytes(msgspec.json.format(msgspec.json.encode(merged), indent=2))
    except OSError:
        pass
