"""What the importers share: ids from free text, and the placeholders for what a format lacks."""

from __future__ import annotations

import re
import unicodedata
from typing import Final

from quiz.domain.model import ID_PATTERN, Source

PLACEHOLDER_SOURCE: Final = "todo-source"
"""The source key imported questions cite when the file carries no references."""
PLACEHOLDER_TODO: Final = "todo-after-import"
"""A source that nothing cites, so that ``validate --strict`` points at it (``unused-source``)
with the list of what is left to do; the author deletes it when done."""
UNSET_DIFFICULTY_TAG: Final = "difficulty-unset"
"""Tag on imported questions whose difficulty (2) is a placeholder."""
PLACEHOLDER_DIFFICULTY: Final = 2

_ID = re.compile(ID_PATTERN)


def is_identifier(text: str) -> bool:
    """True when ``text`` is a valid bank or question id."""
    return _ID.fullmatch(text) is not None


def slug(text: str, fallback: str) -> str:
    """``text`` as an id: ASCII lowercase letters and digits joined by dashes, at most 60."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    value = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return value or fallback


class IdMaker:
    """Unique ids within one bank: the second ``anatomy`` becomes ``anatomy-2``."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, wanted: str, fallback: str) -> str:
        base = wanted if is_identifier(wanted) else slug(wanted, fallback)
        candidate, number = base, 2
        while candidate in self.used:
            candidate, number = f"{base}-{number}", number + 1
        self.used.add(candidate)
        return candidate


def placeholder_sources(kind: str, todo: list[str]) -> dict[str, Source | str]:
    """The placeholder source that refs cite, and the uncited to-do note ``--strict`` flags."""
    note = "; ".join(todo) if todo else "check the imported questions"
    return {
        PLACEHOLDER_SOURCE: (
            f"TODO(import): {kind} has no references. Add the real sources and cite their keys "
            f"in refs instead of {PLACEHOLDER_SOURCE}."
        ),
        PLACEHOLDER_TODO: f"TODO(import): {note}. Delete this entry when done.",
    }
