"""The report a bank file's validation writes to: its diagnostics, each located.

:class:`Report` is shared by every check of :mod:`quiz.banks.validate`; it locates a path into
the data (``questions[3].choices[1].why``) at the line and column of that value, through the
YAML node tree.
"""

from __future__ import annotations

from quiz.banks.diagnostics import Diagnostic, Severity
from quiz.banks.yamlread import ParsedYaml, Path
from quiz.domain.text import visible


class Report:
    """Collects diagnostics for one file, locating each through the YAML node tree."""

    def __init__(self, path: str, parsed: ParsedYaml) -> None:
        self.path = path
        self.parsed = parsed
        self.items: list[Diagnostic] = []
        self.silenced = 0
        """How many errors were left unreported because another check reports them."""

    def add(
        self,
        code: str,
        message: str,
        where: Path,
        *,
        question: str | None = None,
        key: bool = False,
        severity: Severity = Severity.ERROR,
    ) -> None:
        line, column = self.parsed.locate(where, key=key)
        shown = None if question is None else visible(question)
        self.items.append(
            Diagnostic(self.path, line, column, severity, code, visible(message), shown)
        )

    def warn(self, code: str, message: str, where: Path, *, question: str | None = None) -> None:
        self.add(code, message, where, question=question, severity=Severity.WARNING)
