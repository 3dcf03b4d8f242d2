"""Bank text as plain text for table cells and exports: a prompt's first line, a response in
the question's own words. Never markup; the output makes it inert (quiz.domain.text)."""

from __future__ import annotations

import re
from typing import Final

from quiz.domain.grading import (
    ChoiceResponse,
    MatchingResponse,
    OrderingResponse,
    Response,
    TextResponse,
    TrueFalseResponse,
)
from quiz.domain.model import (
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)

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


def response_text(question: Question, response: Response) -> str:
    """What ``response`` chose, in the question's own words: option texts, not indices.

    Choices are listed in file order, ordering items in the trainee's order, matching as
    ``left → right`` (``—`` for no choice). A response that no longer fits an edited question
    (an index out of range, another type) gives ``""``.
    """
    try:
        match question, response:
            case SingleChoice() | MultipleChoice(), ChoiceResponse():
                return " | ".join(question.choices[i].text for i in sorted(response.selected))
            case TrueFalse(), TrueFalseResponse():
                return "true" if response.value else "false"
            case Matching(), MatchingResponse():
                return "; ".join(
                    f"{left} → {right if right is not None else '—'}"
                    for (left, _), right in zip(question.pairs, response.matches, strict=True)
                )
            case Ordering(), OrderingResponse():
                return " | ".join(question.items[i] for i in response.order)
            case ShortAnswer(), TextResponse():
                return response.text
    except (IndexError, ValueError):
        pass
    return ""
