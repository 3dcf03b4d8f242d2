"""Moodle XML out: the round-trip format.

Export writes every type Moodle holds (multichoice, truefalse, matching, core ordering,
shortanswer) and carries what Moodle has no field for in ``ims:...`` tags, the idnumber and,
for the bank's header (sources, cases, topics, authors...), a JSON comment after ``<quiz>``.
Our own re-import (:mod:`quiz.interop.moodle_read`) reads them back, so bank -> XML -> bank is
the identity but for ``patterns``.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

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
from quiz.interop.moodle_texts import HEADER_MARK, general_feedback, moodle_percent, prompt_text
from quiz.interop.report import InteropWarning
from quiz.interop.tags import MOODLE_TAG_MAX, ims_tags


def _category_path(parts: list[str]) -> str:
    # Moodle writes a "/" inside a category name as "//".
    return "/".join(part.replace("/", "//") for part in parts)


def _text_element(parent: ET.Element, name: str, text: str, fmt: str | None) -> ET.Element:
    element = ET.SubElement(parent, name, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _feedback(parent: ET.Element, text: str | None) -> None:
    _text_element(parent, "feedback", text or "", "markdown")


def _header(bank: Bank) -> str:
    header = msgspec.to_builtins(bank)
    del header["questions"]
    text = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    # "--" may not appear in an XML comment; "\u002d" is "-" to a JSON reader.
    return " " + HEADER_MARK + text.replace("--", "-\\u002d") + " "


def export_moodle_xml(bank: Bank) -> tuple[str, list[InteropWarning]]:
    """``bank`` as a Moodle XML question file, and what Moodle will not hold as we do."""
    warnings: list[InteropWarning] = []
    root = ET.Element("quiz")
    root.append(ET.Comment(_header(bank)))
    top = ET.SubElement(root, "question", {"type": "category"})
    _text_element(top, "category", _category_path(["$course$", "top", bank.title]), None)
    _text_element(top, "info", bank.description, "markdown")
    ET.SubElement(top, "idnumber").text = bank.id
    current_topic: str | None = None
    for question in bank.questions:
        if question.topic != current_topic:
            current_topic = question.topic
            topic = bank.topic(question.topic) if question.topic in bank.topics else None
            title = topic.title if topic else question.topic
            category = ET.SubElement(root, "question", {"type": "category"})
            path = _category_path(["$course$", "top", bank.title, title])
            _text_element(category, "category", path, None)
            _text_element(category, "info", topic.description if topic else "", "markdown")
            ET.SubElement(category, "idnumber").text = f"{bank.id}/{question.topic}"
        root.append(_question_element(bank, question, warnings))
    ET.indent(root, space="  ")
    text = ET.tostring(root, encoding="unicode", xml_declaration=False)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n", warnings


def _question_element(bank: Bank, question: Question, warnings: list[InteropWarning]) -> ET.Element:
    def warn(code: str, message: str) -> None:
        warnings.append(InteropWarning(bank.id, code, message, question=question.id))

    kinds = {
        SingleChoice: "multichoice",
        MultipleChoice: "multichoice",
        TrueFalse: "truefalse",
        Matching: "matching",
        Ordering: "ordering",
        ShortAnswer: "shortanswer",
    }
    element = ET.Element("question", {"type": kinds[type(question)]})
    _text_element(element, "name", question.id, None)
    _text_element(element, "questiontext", prompt_text(bank, question), "markdown")
    _text_element(element, "generalfeedback", general_feedback(bank, question), "markdown")
    ET.SubElement(element, "defaultgrade").text = "1"
    ET.SubElement(element, "penalty").text = "0.3333333"
    ET.SubElement(element, "hidden").text = "0"
    ET.SubElement(element, "idnumber").text = question.id
    if isinstance(question, SingleChoice | MultipleChoice):
        _choices(element, question)
    elif isinstance(question, TrueFalse):
        for value, why in ((True, question.why_true), (False, question.why_false)):
            fraction = "100" if value == question.answer else "0"
            answer = ET.SubElement(
                element, "answer", {"fraction": fraction, "format": "moodle_auto_format"}
            )
            ET.SubElement(answer, "text").text = "true" if value else "false"
            _feedback(answer, why)
    elif isinstance(question, Matching):
        ET.SubElement(element, "shuffleanswers").text = "true" if question.shuffle else "false"
        for left, right in question.pairs:
            sub = _text_element(element, "subquestion", left, "plain_text")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = right
        for distractor in question.distractors:
            sub = _text_element(element, "subquestion", "", "plain_text")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = distractor
        if len(question.pairs) + len(question.distractors) < 3:
            warn(
                "moodle-matching-too-small",
                "Moodle's edit form wants at least 3 answers (pairs plus distractors); the "
                "import works, but editing the question in Moodle will ask for another",
            )
    elif isinstance(question, Ordering):
        for option, setting in (
            ("layouttype", "VERTICAL"),
            ("selecttype", "ALL"),
            ("selectcount", str(len(question.items))),
            ("gradingtype", "ABSOLUTE_POSITION"),
            ("showgrading", "SHOW"),
            ("numberingstyle", "none"),
        ):
            ET.SubElement(element, option).text = setting
        for position, item in enumerate(question.items, start=1):
            answer = ET.SubElement(
                element, "answer", {"fraction": str(position), "format": "plain_text"}
            )
            ET.SubElement(answer, "text").text = item
        warn(
            "moodle-ordering-grading",
            "Moodle grades ordering by absolute position with partial credit per item, "
            "which differs from ims-quiz's grading",
        )
    elif isinstance(question, ShortAnswer):
        ET.SubElement(element, "usecase").text = "0"
        for accepted in question.answers:
            answer = ET.SubElement(element, "answer", {"fraction": "100", "format": "plain_text"})
            ET.SubElement(answer, "text").text = accepted
            _feedback(answer, None)
        if question.patterns:
            warn(
                "patterns-lost",
                f"Moodle's shortanswer cannot express regular expressions: "
                f"{len(question.patterns)} pattern(s) dropped",
            )
        if not question.answers:
            warn("moodle-no-answers", "no plain answers: Moodle will refuse the question")
        if any("*" in accepted for accepted in question.answers):
            warn("moodle-wildcard", "Moodle reads '*' in a shortanswer answer as a wildcard")
    tags = ims_tags(question)
    tags_element = ET.SubElement(element, "tags")
    for tag in tags:
        ET.SubElement(ET.SubElement(tags_element, "tag"), "text").text = tag
        if len(tag) > MOODLE_TAG_MAX:
            warn(
                "moodle-tag-too-long",
                f"tag '{tag[:40]}…' is longer than Moodle's {MOODLE_TAG_MAX} characters; "
                "Moodle will cut it",
            )
    return element


def _choices(element: ET.Element, question: SingleChoice | MultipleChoice) -> None:
    ET.SubElement(element, "single").text = (
        "true" if isinstance(question, SingleChoice) else "false"
    )
    ET.SubElement(element, "shuffleanswers").text = "true" if question.shuffle else "false"
    ET.SubElement(element, "answernumbering").text = "abc"
    ET.SubElement(element, "showstandardinstruction").text = "0"
    right = sum(choice.correct for choice in question.choices) or 1
    for choice in question.choices:
        if isinstance(question, SingleChoice):
            fraction = "100" if choice.correct else "0"
        else:
            fraction = moodle_percent(1 / right if choice.correct else -1 / right)
        answer = ET.SubElement(element, "answer", {"fraction": fraction, "format": "plain_text"})
        ET.SubElement(answer, "text").text = choice.text
        _feedback(answer, choice.why)
