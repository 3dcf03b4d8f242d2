"""GIFT, Moodle's text format, in.

Import reads GIFT as Moodle does: paragraphs, comments, ``::name::``, ``[format]`` prefixes,
the answer block's type decided in Moodle's order (plugin ordering ``{>``, essay ``{}``,
numerical ``{#``, ``~`` multichoice, ``->`` matching, ``T``/``F`` true-false, else short
answer), ``%50%`` weights, ``#`` feedback and ``####`` general feedback. A malformed question
is skipped with a warning at its line.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any, Final

import msgspec

from quiz.domain.model import (
    Bank,
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    Topic,
    TrueFalse,
)
from quiz.interop.common import (
    PLACEHOLDER_DIFFICULTY,
    PLACEHOLDER_SOURCE,
    UNSET_DIFFICULTY_TAG,
    IdMaker,
    slug,
)
from quiz.interop.gift_write import HEADER_MARK
from quiz.interop.htmltext import html_to_markdown
from quiz.interop.moodle_texts import rebuild_from_texts, split_category, strip_exact
from quiz.interop.report import ImportProblem, ImportResult, InteropWarning, check_import_size
from quiz.interop.tags import read_tags

# Escapes become lone surrogates while the question is taken apart, and come back after: text
# decoded from UTF-8 can never hold one, so no character of the file is mistaken for an escape.
_ESCAPES: Final = {"\\\\": "\ud800", "\\~": "\ud801", "\\=": "\ud802", "\\#": "\ud803",
                   "\\{": "\ud804", "\\}": "\ud805", "\\:": "\ud806", "\\n": "\ud807"}  # fmt: skip
_RESTORE: Final = {value: key[1] if key != "\\n" else "\n" for key, value in _ESCAPES.items()}
_ESCAPE = re.compile(r"\\[\\~=#{}:n]")
_SENTINEL = re.compile("[\ud800-\ud807]")


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda match: _ESCAPES[match.group()], text)


def _restore(text: str) -> str:
    return _SENTINEL.sub(lambda match: _RESTORE[match.group()], text)


class _Chunk(msgspec.Struct):
    line: int
    text: str
    tags: list[str]
    idnumber: str | None


def _chunks(text: str) -> Iterator[_Chunk | str]:
    """Questions (paragraphs, with the tags of the comments above them), and header comments.

    As in Moodle, lines are trimmed, a blank line ends a question and a line starting with
    ``//`` is a comment; ``[id:...]`` and ``[tag:...]`` in comments go to the next question.
    """
    lines: list[str] = []
    tags: list[str] = []
    idnumber: str | None = None
    start = 0
    for number, raw in enumerate([*text.split("\n"), ""], start=1):
        line = raw.strip()
        if line.startswith(HEADER_MARK.strip()):
            yield line
        elif line.startswith("//"):
            for kind, value in re.findall(r"\[(id|tag):(.*?)\](?=\s*$|\s*//|\s*\[)", line):
                if kind == "id":
                    idnumber = value.strip()
                else:
                    tags.append(value.strip())
        elif line:
            if not lines:
                start = number
            lines.append(line)
        elif lines:
            yield _Chunk(start, "\n".join(lines), tags, idnumber)
            lines, tags, idnumber = [], [], None


class _GiftImporter:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[InteropWarning] = []
        self.skipped: Counter[str] = Counter()

    def warn(self, line: int, question: str | None, code: str, message: str) -> None:
        self.warnings.append(InteropWarning(self.source, code, message, line, question))


def import_gift(data: bytes, source: str, *, bank_id: str | None = None) -> ImportResult:
    """A bank from the bytes of a GIFT file named ``source`` (for messages).

    Raises:
        ImportProblem: the file is too large or not UTF-8.
    """
    check_import_size(source, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportProblem(source, "encoding", "the file is not UTF-8 text", line) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    importer = _GiftImporter(source)
    ids = IdMaker()
    category: list[str] = []
    categories: dict[str, list[str]] = {}
    questions: list[Question] = []
    header: dict[str, Any] | None = None
    for chunk in _chunks(text):
        if isinstance(chunk, str):
            try:
                value = json.loads(chunk[len(HEADER_MARK.strip()) :])
                header = value if isinstance(value, dict) else None
            except ValueError:
                header = None
            continue
        if chunk.text.startswith("$CATEGORY:"):
            category = split_category(chunk.text.removeprefix("$CATEGORY:").strip())
            continue
        question = _question(importer, chunk, category, categories, ids)
        if question is not None:
            questions.append(question)
    header_bank: Bank | None = None
    if header is not None:
        try:
            header_bank = msgspec.convert(dict(header, questions=[]), Bank)
        except msgspec.ValidationError:
            importer.warn(1, "(the bank header)", "header-unreadable", "ims-quiz header ignored")
    warnings = sorted(importer.warnings, key=lambda warning: warning.line)
    if header_bank is not None:
        restored = [strip_exact(header_bank, question) for question in questions]
        bank = msgspec.structs.replace(
            header_bank, id=bank_id or header_bank.id, questions=restored
        )
        return ImportResult(bank, warnings, dict(importer.skipped))
    questions, cases, sources, todo = rebuild_from_texts(questions, "GIFT")
    topics: dict[str, Topic | str] = {}
    for question in questions:
        path = categories.get(question.topic, [])
        topics.setdefault(
            question.topic, " / ".join(path[1:] or path) or question.topic.replace("-", " ")
        )
    stem = re.sub(r"\.[^./]*$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    titles = {path[0] for path in categories.values() if len(path) > 1}
    bank = Bank(
        format=1,
        id=bank_id or slug(stem, "imported"),
        title=titles.pop() if len(titles) == 1 else stem or "Imported bank",
        topics=topics or {"imported": Topic(title="Imported")},
        sources=sources,
        cases=cases,
        questions=questions,
    )
    return ImportResult(bank, warnings, dict(importer.skipped), todo)


def _text(raw: str, fmt: str, importer: _GiftImporter, line: int, name: str) -> str:
    text = _restore(raw).strip()
    if fmt == "html":
        text, converted, images = html_to_markdown(text)
        if converted:
            importer.warn(line, name, "html-converted", "HTML to Markdown")
        if images:
            importer.warn(line, name, "file-dropped", f"{images} image(s) dropped")
    return text


def _question(
    importer: _GiftImporter,
    chunk: _Chunk,
    category: list[str],
    categories: dict[str, list[str]],
    ids: IdMaker,
) -> Question | None:
    text = _protect(chunk.text)
    name = ""
    if text.startswith("::"):
        end = text.find("::", 2)
        if end < 0:
            importer.warn(chunk.line, None, "gift-syntax", "'::' opens a name that never closes")
            importer.skipped["malformed"] += 1
            return None
        name, text = _restore(text[2:end]).strip(), text[end + 2 :].lstrip()
    fmt = "moodle"
    if match := re.match(r"\[(html|markdown|plain|moodle)\]", text):
        fmt, text = match[1], text[match.end() :]
    shown = name or chunk.idnumber or text[:40]
    start = text.find("{")
    if start < 0:
        importer.skipped["description"] += 1
        importer.warn(chunk.line, shown, "skipped-type", "a description (no answers); skipped")
        return None
    end = text.find("}", start)
    if end < 0:
        importer.warn(
            chunk.line, shown, "gift-syntax", "'{' opens an answer block that never closes"
        )
        importer.skipped["malformed"] += 1
        return None
    before, block, after = text[:start], text[start + 1 : end].strip(), text[end + 1 :].strip()
    prompt_raw = before.rstrip() + (" _____ " + after if after else "")
    general = ""
    if "####" in block:
        block, _, general = block.partition("####")
        block = block.strip()
    fields = read_tags(chunk.tags)
    kind = _kind(block)
    if kind in ("essay", "numerical"):
        importer.skipped[kind] += 1
        importer.warn(chunk.line, shown, "skipped-type", f"a {kind} question; skipped")
        return None
    qid = ids.make(fields.id or chunk.idnumber or name, f"question-{len(ids.used) + 1}")
    topic = fields.topic or slug("-".join(category[1:] or category), "imported")
    categories.setdefault(topic, category)
    plain = list(fields.plain)
    difficulty = fields.difficulty
    if difficulty is None:
        difficulty, plain = PLACEHOLDER_DIFFICULTY, [*plain, UNSET_DIFFICULTY_TAG]
    common: dict[str, Any] = {
        "id": qid,
        "topic": topic,
        "prompt": _text(prompt_raw, fmt, importer, chunk.line, shown),
        "explanation": _text(general, fmt, importer, chunk.line, shown),
        "refs": fields.refs or [PLACEHOLDER_SOURCE],
        "difficulty": difficulty,
        "tags": plain,
        "case": fields.case,
        "anatomy": fields.anatomy,
        "shuffle": True if fields.shuffle is None else fields.shuffle,
    }
    if not common["prompt"]:
        importer.warn(chunk.line, shown, "gift-syntax", "the question has no text; skipped")
        importer.skipped["malformed"] += 1
        return None
    try:
        return _typed(kind, block, common, fields.unsafe, importer, chunk.line, shown, fmt)
    except _Malformed as problem:
        importer.warn(chunk.line, shown, "gift-syntax", str(problem))
        importer.skipped["malformed"] += 1
        return None


class _Malformed(Exception):
    pass


def _kind(block: str) -> str:
    if block.startswith(">"):
        return "ordering"  # qtype_ordering's plugin syntax, which Moodle tries first
    if block == "":
        return "essay"
    if block.startswith("#"):
        return "numerical"
    if "~" in block:
        return "multichoice"
    if "=" in block and "->" in block:
        return "matching"
    if block.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        return "truefalse"
    return "shortanswer"


def _answers(block: str) -> list[tuple[str, float | None, str, str | None]]:
    """``(mark, weight, text, feedback)`` for each ``=`` or ``~`` answer of ``block``."""
    parts = re.split(r"(?=[=~])", block)
    answers = []
    for part in parts:
        part = part.strip()
        if not part:
            continue
        mark, rest = part[0], part[1:]
        if mark not in "=~":
            raise _Malformed(f"text before the first answer: '{_restore(part)[:30]}'")
        weight: float | None = None
        if match := re.match(r"\s*%(-?\d+(?:\.\d+)?)%", rest):
            weight, rest = float(match[1]) / 100, rest[match.end() :]
        text, _, feedback = rest.partition("#")
        answers.append((mark, weight, text, feedback if _ else None))
    return answers


def _typed(
    kind: str,
    block: str,
    common: dict[str, Any],
    unsafe: set[int],
    importer: _GiftImporter,
    line: int,
    shown: str,
    fmt: str,
) -> Question:
    def clean(raw: str | None) -> str:
        return _text(raw or "", fmt, importer, line, shown)

    if kind == "ordering":
        rows = [row.strip() for row in block.split("\n")]
        settings = rows[0][1:].split()
        if settings[1:2] and settings[1].upper() not in ("ALL", "EXACT"):
            importer.warn(line, shown, "ordering-subset", "Moodle showed a subset; all are kept")
        items = [_restore(row) for row in rows[1:] if row]
        if len(items) < 2:
            raise _Malformed("an ordering question needs at least 2 items, one per line")
        return Ordering(**common, items=items)
    if kind == "truefalse":
        word, _, feedback = block.partition("#")
        wrong, _, right = feedback.partition("#")
        answer = word.strip() in ("T", "TRUE")
        why_right, why_wrong = clean(right) or None, clean(wrong) or None
        return TrueFalse(
            **common,
            answer=answer,
            why_true=why_right if answer else why_wrong,
            why_false=why_wrong if answer else why_right,
        )
    answers = _answers(block)
    if kind == "matching":
        pairs, distractors = [], []
        for _mark, _weight, text, _feedback in answers:
            left, arrow, right = text.partition("->")
            if not arrow:
                raise _Malformed(f"matching answer '{_restore(text)[:30]}' has no '->'")
            left_text, right_text = clean(left), clean(right)
            if left_text:
                pairs.append((left_text, right_text))
            elif right_text:
                distractors.append(right_text)
        if len(pairs) < 2:
            raise _Malformed("a matching question needs at least 2 pairs")
        return Matching(**common, pairs=pairs, distractors=distractors)
    if kind == "shortanswer":
        accepted = []
        for _mark, weight, text, _feedback in answers:
            if weight is not None and weight < 0.999:
                importer.warn(
                    line, shown, "partial-credit-dropped", f"answer '{clean(text)[:30]}' dropped"
                )
                continue
            accepted.append(clean(text))
        if not accepted:
            raise _Malformed("a short-answer question needs an answer with full marks")
        return ShortAnswer(**common, answers=accepted)
    choices = []
    has_equals = any(mark == "=" for mark, *_ in answers)
    for number, (mark, weight, answer_text, answer_feedback) in enumerate(answers, start=1):
        value = 1.0 if mark == "=" and weight is None else (weight or 0.0)
        correct = value >= 0.999 if has_equals else value > 0
        choices.append(
            Choice(
                text=clean(answer_text) or "(empty)",
                correct=correct,
                why=clean(answer_feedback) or None,
                unsafe=number in unsafe,
            )
        )
    if not 2 <= len(choices) <= 8:
        raise _Malformed(f"{len(choices)} answers; ims-quiz takes 2 to 8")
    if has_equals:
        partial = [w for _m, w, _t, _f in answers if w is not None and 0 < w < 0.999]
        if partial:
            importer.warn(line, shown, "partial-credit-dropped", "partial credit counts as wrong")
        if sum(choice.correct for choice in choices) == 1:
            return SingleChoice(**common, choices=choices)
    if not any(choice.correct for choice in choices):
        raise _Malformed("no answer is right ('=' or a positive weight)")
    return MultipleChoice(**common, choices=choices)


__all__ = ["import_gift"]
