"""Diagnostics: what is wrong with a bank, and exactly where."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Final

import msgspec

from quiz.domain.text import visible

MAX_FILE_BYTES: Final = 32 * 1024 * 1024
"""Banks larger than this are refused before parsing (10,000 questions take about 10 MB)."""


class YamlProblem(Exception):
    """The file cannot be read as YAML data at all; carries a located diagnostic's parts.

    Raised by :mod:`quiz.banks.yamlread` (and by :func:`check_size`); it lives here so that a
    start-up served from the parse cache need not import the YAML reader.
    """

    def __init__(
        self,
        code: str,
        message: str,
        line: int = 0,
        column: int = 0,
        *,
        also: Sequence[YamlProblem] = (),
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.line = line
        self.column = column
        self.also: Sequence[YamlProblem] = also
        """Problems found before this one stopped the reading (characters a bank may not hold),
        reported with it."""

    def every(self) -> list[YamlProblem]:
        """The problems found earlier and this one, in file order."""
        return sorted([*self.also, self], key=lambda p: (p.line, p.column))


def check_size(size: int) -> None:
    """Refuse a file of ``size`` bytes if it is over the cap, before it is read or parsed.

    Raises:
        YamlProblem: ``file-too-large``.
    """
    if size > MAX_FILE_BYTES:
        raise YamlProblem(
            "file-too-large",
            f"file is {size / 1e6:.1f} MB; banks are limited to "
            f"{MAX_FILE_BYTES / (1024 * 1024):g} MiB (split it into several banks)",
        )


class Severity(StrEnum):
    """How bad a diagnostic is. Warnings become errors under ``--strict``."""

    ERROR = "error"
    WARNING = "warning"


class Diagnostic(msgspec.Struct, frozen=True, omit_defaults=True):
    """One problem in one bank file.

    ``line`` and ``column`` are 1-based, as editors count; 0 means the whole file (a file that
    cannot be read, say), and :meth:`format` then shows the path alone.

    ``message`` quotes bank text through :func:`clip` and ``question`` is shown through
    :func:`~quiz.domain.text.visible`, so neither carries a control character; :meth:`format`
    escapes the path too, which may come from anywhere (``path`` itself stays exact).
    """

    path: str
    line: int
    column: int
    severity: Severity
    code: str
    message: str
    question: str | None = None

    def format(self) -> str:
        """``path:line:col: error[code]: message``, the form editors and CI parse."""
        where = f" (question '{visible(self.question)}')" if self.question else ""
        at = f":{self.line}:{self.column}" if self.line > 0 else ""
        return (
            f"{visible(self.path)}{at}: "
            f"{self.severity.value}[{self.code}]: {visible(self.message)}{where}"
        )

    def promoted(self) -> Diagnostic:
        """This diagnostic as an error (for ``--strict``)."""
        return msgspec.structs.replace(self, severity=Severity.ERROR)


class SkippedQuestion(msgspec.Struct, frozen=True):
    """A question left out of a bank that loaded without it, and why.

    A bank whose own keys are sound loads with its valid questions; each question with an error
    is skipped and listed here, with every diagnostic about it (its errors and any warnings).
    """

    index: int
    """Where the question is in the file's ``questions`` list, counting from 0."""
    id: str | None
    """The question's id as written (any control character in it shown as an escape, as by
    :func:`~quiz.domain.text.visible`), or ``None`` when it has no id that is text."""
    line: int
    """The line the question starts on."""
    diagnostics: list[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        """The diagnostics that made the question be skipped."""
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]


def clip(text: str, limit: int = 60) -> str:
    """``text`` quoted for a message: any control character shown as an escape (``\\x1b``),
    and shortened so that a huge value cannot flood the output."""
    text = visible(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


WARNING_CODES: Final = frozenset(
    {"missing-why", "empty-explanation", "unused-source", "zero-width-text"}
)
"""The codes that are warnings; every other code is an error."""

CODES: Final[dict[str, str]] = {
    # The file as a whole
    "file-unreadable": "The file cannot be read (missing, a folder, or no permission).",
    "file-too-large": "The file is larger than the size cap (see docs/authoring.md).",
    "encoding": "The file is not valid UTF-8.",
    "empty-file": "The file holds no YAML document.",
    "yaml-syntax": "The YAML itself is malformed (indentation, tabs, unclosed quotes...).",
    "multiple-documents": "The file holds more than one YAML document.",
    "too-deep": "Nesting is deeper than the loader accepts, or an alias contains itself.",
    "alias-bomb": "Anchors and aliases expand to an unreasonably large document.",
    "forbidden-tag": "A YAML tag such as !!python/object; banks are plain data.",
    "not-mapping": "The top level (or another part) is not a mapping of keys to values.",
    "duplicate-key": "The same key appears twice in one mapping.",
    "control-character": "A terminal or bidi control character (U+001B...) in the bank's text.",
    "zero-width-id": "An invisible (zero-width) character in an id or a key.",
    "unsupported-format": "`format` is missing or not a version this program reads.",
    # Structure and types
    "unknown-field": "A key the format does not define (often a typo).",
    "missing-field": "A required key is absent.",
    "wrong-type": "A value of the wrong type, e.g. text where a number belongs.",
    "invalid-value": "A value outside what the field accepts (pattern, length, range).",
    "invalid-id": "An id that is not lowercase letters and digits joined by dashes.",
    "unknown-type": "A question `type` that is not one of the six types.",
    "difficulty-range": "`difficulty` is not 1, 2 or 3.",
    # Identity and references
    "duplicate-id": "Two questions of one bank share an id.",
    "duplicate-bank-id": "Two loaded banks share an id.",
    "unknown-topic": "A question names a topic the bank does not define.",
    "unknown-source": "A question cites a source key the bank does not define.",
    "unknown-case": "A question names a case the bank does not define.",
    "missing-refs": "A question cites no source.",
    # Answer keys
    "correct-count": "`single` without exactly one correct choice, or `multiple` with none.",
    "choice-count": "Fewer than 2 or more than 8 choices.",
    "duplicate-option": "Two options (choices, matching items, ordering items) with the same text.",
    "too-few-pairs": "`matching` with fewer than 2 pairs.",
    "too-few-items": "`ordering` with fewer than 2 items.",
    "no-answers": "`short` with neither answers nor patterns.",
    "bad-pattern": "A `short` pattern that is not a valid regular expression.",
    # Warnings (errors under --strict)
    "missing-why": "An option without a `why` (or true_false without why_true/why_false).",
    "empty-explanation": "A question without an explanation.",
    "unused-source": "A source that no question cites.",
    "zero-width-text": "An invisible (zero-width) character in text.",
}
"""Every diagnostic code with a one-line meaning; docs/authoring.md explains each in full."""
