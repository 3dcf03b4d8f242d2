"""What an import or export reports: located warnings, and the error that stops an import."""

from __future__ import annotations

from typing import Final

import msgspec

from quiz.domain.model import Bank
from quiz.domain.text import visible

MAX_IMPORT_BYTES: Final = 64 * 1024 * 1024
"""Files larger than this are refused before they are read: Moodle XML spends about three times
the bytes of the same bank in YAML, whose own cap is 32 MiB."""


class InteropWarning(msgspec.Struct, frozen=True, omit_defaults=True):
    """One thing that could not be carried from one format to the other.

    ``source`` is the file (or the bank id, on export); ``line`` is 1-based, 0 when the format
    gives no line; ``question`` names the question in the source (its id, or Moodle's name).
    """

    source: str
    code: str
    message: str
    line: int = 0
    question: str | None = None

    def format(self) -> str:
        """``source:line: warning[code]: message (question 'x')``, every part made inert."""
        where = f"{self.source}:{self.line}" if self.line else self.source
        named = f" (question '{self.question}')" if self.question else ""
        return visible(f"{where}: warning[{self.code}]: {self.message}{named}")


class ImportProblem(Exception):
    """The file cannot be imported at all (malformed, too large, hostile): a located message."""

    def __init__(self, source: str, code: str, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.source = source
        self.code = code
        self.message = message
        self.line = line
        self.column = column

    def format(self) -> str:
        """``source:line:col: error[code]: message``, made inert."""
        where = f"{self.source}:{self.line}:{self.column}" if self.line else self.source
        return visible(f"{where}: error[{self.code}]: {self.message}")


class ImportResult(msgspec.Struct):
    """An imported bank and what could not be carried into it.

    ``placeholders`` says, in words, what the author still has to fill in (references and
    difficulty that the source format has no field for).
    """

    bank: Bank
    warnings: list[InteropWarning] = msgspec.field(default_factory=list)
    skipped: dict[str, int] = msgspec.field(default_factory=dict)
    placeholders: list[str] = msgspec.field(default_factory=list)


def check_import_size(source: str, size: int) -> None:
    """Refuse a file over :data:`MAX_IMPORT_BYTES` before reading it.

    Raises:
        ImportProblem: ``file-too-large``.
    """
    if size > MAX_IMPORT_BYTES:
        raise ImportProblem(
            source,
            "file-too-large",
            f"file is {size / 1e6:.1f} MB; imports are limited to "
            f"{MAX_IMPORT_BYTES // (1024 * 1024)} MiB",
        )
