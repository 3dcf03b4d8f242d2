"""Moodle XML in: one ``<question>`` element to a question of ours, with a warning for each
thing that could not be carried.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from typing import Any

import msgspec

from quiz.domain.model import (
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.interop.common import (
    PLACEHOLDER_DIFFICULTY,
    PLACEHOLDER_SOURCE,
    UNSET_DIFFICULTY_TAG,
    IdMaker,
    is_identifier,
    slug,
)
from quiz.interop.htmltext import html_to_markdown
from quiz.interop.report import InteropWarning
from quiz.interop.tags import read_tags


class Importer:
    def __init__(self, source: str, lines: dict[ET.Element, int]) -> None:
        self.source = source
        self.lines = lines
        self.warnings: list[InteropWarning] = []
        self.skipped: Counter[str] = Counter()

    def warn(self, element: ET.Element, question: str | None, code: str, message: str) -> None:
        self.warnings.append(
            InteropWarning(self.source, code, message, self.lines.get(element, 0), question)
        )

    def sorted_warnings(self) -> list[InteropWarning]:
        """The warnings in file order."""
        return sorted(self.warnings, key=lambda warning: warning.line)

    def text_of(
        self, element: ET.Element | None, question: str | None, *, markdown: bool = True
    ) -> str:
        """The text of a ``<name><text>...`` style element, converted from HTML if it is HTML."""
        if element is None:
            return ""
        inner = element.find("text")
        raw = (inner.text if inner is not None else element.text) or ""
        files = element.findall("file")
        if files or "@@PLUGINFILE@@" in raw:
            self.warn(
                element,
                question,
                "file-dropped",
                f"{max(len(files), 1)} embedded file(s) or image(s) in <{element.tag}> dropped",
            )
        fmt = element.get("format", "html")
        if fmt == "html":
            text, converted, images = html_to_markdown(raw)
            if converted:
                kind = "Markdown" if markdown else "plain text"
                self.warn(element, question, "html-converted", f"<{element.tag}> HTML to {kind}")
            if images and not files:
                self.warn(element, question, "file-dropped", f"{images} image(s) dropped")
            if not markdown:
                text = re.sub(r"\*\*|`", "", text)
            return text
        return raw


def inner_text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    inner = element.find("text")
    return (inner.text if inner is not None else element.text) or ""


def topic_key(path: list[str], idnumber: str) -> str:
    # Our own export: "<bank-id>/<topic-id>"; anything else: the path below the bank's title.
    if "/" in idnumber:
        _, _, topic = idnumber.rpartition("/")
        if is_identifier(topic):
            return topic
    return slug("-".join(path[1:] if len(path) > 1 else path), "imported")


def question_tags(element: ET.Element) -> list[str]:
    tags = element.find("tags")
    if tags is None:
        return []
    return [inner_text(tag).strip() for tag in tags.findall("tag") if inner_text(tag).strip()]


def _fraction(element: ET.Element) -> float:
    try:
        return float(element.get("fraction", "0")) / 100
    except ValueError:
        return 0.0


def build_question(
    importer: Importer,
    element: ET.Element,
    kind: str,
    name: str,
    tags: list[str],
    current: tuple[list[str], str] | None,
    ids: IdMaker,
) -> Question | None:
    fields = read_tags(tags)
    ours = fields.ours
    wanted = fields.id or inner_text(element.find("idnumber")).strip() or name
    qid = ids.make(wanted, f"question-{len(ids.used) + 1}")
    shown = name or qid

    def warn(code: str, message: str, at: ET.Element = element) -> None:
        importer.warn(at, shown, code, message)

    if current is not None and current[0]:
        topic = topic_key(current[0], current[1])
    else:
        topic = "imported"
    topic = fields.topic or topic
    prompt = importer.text_of(element.find("questiontext"), shown)
    feedback = importer.text_of(element.find("generalfeedback"), shown)
    plain_tags = fields.plain
    difficulty = fields.difficulty
    if difficulty is None:
        difficulty = PLACEHOLDER_DIFFICULTY
        plain_tags.append(UNSET_DIFFICULTY_TAG)
    shuffle = fields.shuffle
    if shuffle is None:
        shuffle_element = element.find("shuffleanswers")
        shuffle = shuffle_element is None or (shuffle_element.text or "").strip().lower() in (
            "1",
            "true",
        )
    if not prompt:
        warn("empty-prompt", "the question has no text; skipped")
        importer.skipped["empty"] += 1
        return None
    common: dict[str, Any] = {
        "id": qid,
        "topic": topic,
        "prompt": prompt,
        "explanation": feedback,  # references and case are split off once the header is known
        "refs": fields.refs or [PLACEHOLDER_SOURCE],
        "difficulty": difficulty,
        "tags": plain_tags,
        "case": fields.case,
        "anatomy": fields.anatomy,
        "shuffle": shuffle,
    }
    for old_image in (*element.findall("image"), *element.findall("image_base64")):
        if (old_image.text or "").strip():
            warn("file-dropped", f"<{old_image.tag}> (an image) dropped", old_image)
    for hint in element.findall("hint"):
        if inner_text(hint).strip():
            warn("hint-dropped", "hints (shown between tries) are not carried", hint)
    for combined in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        part = element.find(combined)
        if part is not None and inner_text(part).strip():
            warn("combined-feedback-dropped", f"<{combined}> is not carried", part)
    makers: dict[str, Callable[[], Question | None]] = {
        "multichoice": lambda: _multichoice(importer, element, shown, fields.unsafe, common),
        "truefalse": lambda: _truefalse(importer, element, shown, common),
        "matching": lambda: _matching(importer, element, shown, common),
        "ordering": lambda: _ordering(importer, element, shown, common),
        "shortanswer": lambda: _shortanswer(importer, element, shown, common, ours=ours),
    }
    question = makers[kind]()
    if question is None:
        importer.skipped["invalid"] += 1
    return question


def _answers(element: ET.Element) -> list[ET.Element]:
    return element.findall("answer")


def _multichoice(
    importer: Importer, element: ET.Element, shown: str, unsafe: set[int], common: dict[str, Any]
) -> Question | None:
    single = (inner_text(element.find("single")) or "true").strip().lower() in ("true", "1")
    answers = _answers(element)
    fractions = [_fraction(answer) for answer in answers]
    choices = []
    for number, (answer, fraction) in enumerate(zip(answers, fractions, strict=True), start=1):
        text = importer.text_of(answer, shown, markdown=False)
        why = importer.text_of(answer.find("feedback"), shown) or None
        correct = fraction >= 0.999 if single else fraction > 0
        choices.append(
            Choice(text=text or "(empty)", correct=correct, why=why, unsafe=number in unsafe)
        )
    if single:
        partial = [f for f in fractions if 0 < f < 0.999]
        if partial:
            importer.warn(
                element,
                shown,
                "partial-credit-dropped",
                f"{len(partial)} answer(s) with partial credit count as wrong in ims-quiz",
            )
        if not any(choice.correct for choice in choices) and fractions:
            best = max(range(len(fractions)), key=fractions.__getitem__)
            if fractions[best] > 0:
                choices[best] = msgspec.structs.replace(choices[best], correct=True)
    elif len({round(f, 3) for f in fractions if f > 0}) > 1:
        importer.warn(
            element,
            shown,
            "weights-dropped",
            "unequal weights of right answers are not carried: each counts the same",
        )
    if not 2 <= len(choices) <= 8:
        importer.warn(
            element, shown, "choice-count", f"{len(choices)} answers; ims-quiz takes 2 to 8"
        )
        if len(choices) < 2:
            return None
    cls = SingleChoice if single else MultipleChoice
    return cls(**common, choices=choices)


def _truefalse(
    importer: Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    answer_value: bool | None = None
    whys: dict[bool, str | None] = {True: None, False: None}
    for answer in _answers(element):
        word = inner_text(answer).strip().lower()
        value = word in ("true", "1", "yes")
        whys[value] = importer.text_of(answer.find("feedback"), shown) or None
        if _fraction(answer) >= 0.999:
            answer_value = value
    if answer_value is None:
        importer.warn(element, shown, "no-answer", "no answer has 100%; skipped")
        return None
    return TrueFalse(**common, answer=answer_value, why_true=whys[True], why_false=whys[False])


def _matching(
    importer: Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for sub in element.findall("subquestion"):
        left = importer.text_of(sub, shown, markdown=False)
        right = inner_text(sub.find("answer"))
        if not right:
            continue
        if left:
            pairs.append((left, right))
        else:
            distractors.append(right)
    if len(pairs) < 2:
        importer.warn(element, shown, "too-few-pairs", f"{len(pairs)} pair(s); skipped")
        return None
    return Matching(**common, pairs=pairs, distractors=distractors)


def _ordering(
    importer: Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    answers = _answers(element)
    ranked = sorted(enumerate(answers), key=lambda pair: (_fraction(pair[1]), pair[0]))
    items = [importer.text_of(answer, shown, markdown=False) for _, answer in ranked]
    items = [item for item in items if item]
    select = inner_text(element.find("selecttype")).strip().upper()
    if select and select not in ("ALL", "0"):
        importer.warn(
            element, shown, "ordering-subset", "Moodle showed a subset of items; all are kept"
        )
    if len(items) < 2:
        importer.warn(element, shown, "too-few-items", f"{len(items)} item(s); skipped")
        return None
    return Ordering(**common, items=items)


def _shortanswer(
    importer: Importer, element: ET.Element, shown: str, common: dict[str, Any], *, ours: bool
) -> Question | None:
    answers: list[str] = []
    patterns: list[str] = []
    for answer in _answers(element):
        text = inner_text(answer)
        fraction = _fraction(answer)
        if ours and fraction >= 0.999 and text:
            answers.append(text)  # our own export: exactly as written, no wildcard reading
            continue
        text = text.strip()
        if not text or fraction <= 0:
            continue
        if fraction < 0.999:
            importer.warn(
                answer,
                shown,
                "partial-credit-dropped",
                f"answer '{text[:40]}' gave {fraction:.0%}; ims-quiz has no partial credit for "
                "short answers, so it is dropped",
            )
            continue
        if "*" in text:
            pattern = ".*".join(re.escape(part) for part in text.split("*"))
            patterns.append(pattern)
            importer.warn(
                answer,
                shown,
                "wildcard-pattern",
                f"wildcard answer '{text[:40]}' became the pattern '{pattern[:60]}'",
            )
        else:
            answers.append(text)
    if (inner_text(element.find("usecase")).strip() or "0") not in ("0", "false"):
        importer.warn(
            element, shown, "case-sensitive-dropped", "Moodle compared case; ims-quiz ignores it"
        )
    if not answers and not patterns:
        importer.warn(element, shown, "no-answers", "no answer with 100%; skipped")
        return None
    return ShortAnswer(**common, answers=answers, patterns=patterns)
