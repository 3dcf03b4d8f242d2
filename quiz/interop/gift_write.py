"""GIFT, Moodle's text format, out.

Export writes every type GIFT can hold: one question per paragraph, ``// [id:...]`` and
``// [tag:...]`` comments (which Moodle 4 reads into the idnumber and tags), ``$CATEGORY:`` per
topic, ``[markdown]`` text with GIFT's escapes (``\\n`` for a line break, since Moodle trims
each line and a blank line ends a question), and Moodle's ordering syntax ``{>N ALL ...}``.
The bank's header rides in a ``// ims-quiz-bank`` comment that :mod:`quiz.interop.gift_read`
reads back.
"""

from __future__ import annotations

import json
import re
from typing import Any, Final

import msgspec

from quiz.domain.model import (
    Bank,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.interop.moodle_texts import general_feedback, moodle_percent, prompt_text
from quiz.interop.report import InteropWarning
from quiz.interop.tags import ims_tags

HEADER_MARK: Final = "// ims-quiz-bank "
_SPECIAL: Final = "~=#{}:"


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and line breaks as ``\\n``."""
    out = text.replace("\\", "\\\\")
    for character in _SPECIAL:
        out = out.replace(character, "\\" + character)
    return out.replace("\r\n", "\n").replace("\n", "\\n")


def _category(bank: Bank, topic: str) -> str:
    title = bank.topic(topic).title if topic in bank.topics else topic
    parts = ["$course$", "top", bank.title, title]
    # One line, as GIFT reads it: line breaks in a title would end the category and start a
    # question. The header comment keeps the titles exactly for our own import.
    return "$CATEGORY: " + "/".join(" ".join(part.split()).replace("/", "//") for part in parts)


def _feedback(text: str | None) -> str:
    return f"#{escape(text)}" if text else ""


def export_gift(bank: Bank) -> tuple[str, list[InteropWarning]]:
    """``bank`` as GIFT text, and what GIFT cannot hold."""
    warnings: list[InteropWarning] = []
    header = msgspec.to_builtins(bank)
    del header["questions"]
    out = [
        f"// {bank.title} ({bank.id}), exported by ims-quiz",
        HEADER_MARK + json.dumps(header, ensure_ascii=False, separators=(",", ":")),
        "",
    ]
    current: str | None = None
    for question in bank.questions:

        def warn(code: str, message: str, question: Question = question) -> None:
            warnings.append(InteropWarning(bank.id, code, message, question=question.id))

        if question.topic != current:
            current = question.topic
            out += [_category(bank, question.topic), ""]
        out += [f"// [id:{question.id}]"]
        out += [f"// [tag:{tag}]" for tag in ims_tags(question)]
        head = f"::{escape(question.id)}::[markdown]{escape(prompt_text(bank, question))}"
        body = _answer_block(question, warn)
        general = general_feedback(bank, question)
        closing = f"####{escape(general)}\n}}" if general else "}"
        if isinstance(question, Ordering):  # qtype_ordering reads "{>" only when adjacent
            out += [head + "{" + body[0], *body[1:], closing, ""]
        else:
            out += [head + "{", *body, closing, ""]
    return "\n".join(out), warnings


_WEIGHT_LIKE = re.compile(r"\s*%-?\d+(?:\.\d+)?%")


def _ambiguities(question: Question) -> list[str]:
    """Texts GIFT cannot say unambiguously: it has no escape for ``%`` or ``->``."""
    texts: list[str] = []
    if isinstance(question, SingleChoice | MultipleChoice):
        texts = [choice.text for choice in question.choices]
    elif isinstance(question, ShortAnswer):
        texts = question.answers
        if any("->" in answer for answer in question.answers):
            return ["a short answer with '->' reads as matching"]
    elif isinstance(question, Matching):
        texts = [left for left, _ in question.pairs]
        if any("->" in left for left in texts):
            return ["a left item with '->' splits there"]
    return [f"'{text[:20]}' reads as a weight" for text in texts if _WEIGHT_LIKE.match(text)]


def _answer_block(question: Question, warn: Any) -> list[str]:
    for problem in _ambiguities(question):
        warn("gift-ambiguous", f"{problem}: Moodle will read it differently")
    if isinstance(question, SingleChoice):
        return [
            ("=" if c.correct else "~") + escape(c.text) + _feedback(c.why)
            for c in question.choices
        ]
    if isinstance(question, MultipleChoice):
        right = sum(c.correct for c in question.choices) or 1
        return [
            f"~%{moodle_percent(1 / right if c.correct else -1 / right)}%"
            + escape(c.text)
            + _feedback(c.why)
            for c in question.choices
        ]
    if isinstance(question, TrueFalse):
        # Moodle: the first feedback is for a wrong answer, the second for a right one.
        if question.answer:
            wrong_why, right_why = question.why_false or "", question.why_true or ""
        else:
            wrong_why, right_why = question.why_true or "", question.why_false or ""
        word = "TRUE" if question.answer else "FALSE"
        if wrong_why or right_why:
            word += f"#{escape(wrong_why)}#{escape(right_why)}"
        return [word]
    if isinstance(question, Matching):
        lines = [f"={escape(left)} -> {escape(right)}" for left, right in question.pairs]
        lines += [f"= -> {escape(extra)}" for extra in question.distractors]
        if len(question.pairs) < 3:
            warn("gift-matching-too-small", "Moodle's GIFT import wants at least 3 pairs")
        return lines
    if isinstance(question, Ordering):
        if any("\n" in item for item in question.items):
            warn("gift-ordering-line-break", "an ordering item's line break is written as \\n")
        warn(
            "moodle-ordering-grading",
            "Moodle grades ordering by absolute position with partial credit per item",
        )
        count = len(question.items)
        return [f">{count} ALL VERTICAL ABSOLUTE_POSITION SHOW"] + [
            escape(item) for item in question.items
        ]
    assert isinstance(question, ShortAnswer)
    if question.patterns:
        warn(
            "patterns-lost",
            f"GIFT cannot express regular expressions: {len(question.patterns)} pattern(s) dropped",
        )
    return [f"={escape(answer)}" for answer in question.answers]


__all__ = ["HEADER_MARK", "escape", "export_gift"]
