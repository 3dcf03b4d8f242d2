"""Bank Markdown as short plain text, for table cells and exports (never as markup)."""

from __future__ import annotations

import re
from typing import Final

_EMPHASIS: Final = re.compile(r"(\*\*|\*|`|(?<!\w)__|(?<!\w)_)(?=\S)(.+?)(?<=\S)\1(?!\w)")
"""Markdown emphasis and code spans: ``**bold**``, ``*it*``, ``_it_``, ```code```."""


def first_line(markdown: str, limit: int = 60) -> str:
    """The first non-empty line of ``markdown`` as plain text, shortened to ``limit`` characters.

    Emphasis and code marks are dropped; anything else (``[L4]``, ``snake_case``) is kept as
    written. The text is not made inert here: the output does that (see quiz.domain.text).
    """
    line = next((part.strip() for part in markdown.splitlines() if part.strip()), "")
    line = _EMPHASIS.sub(r"\2", line)
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
