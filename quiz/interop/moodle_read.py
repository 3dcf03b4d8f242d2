"""Moodle XML in: a whole file to a bank.

Import reads XML from strangers as data: defusedxml refuses DTDs, entities and external
references; the size is capped; malformed XML is one located :class:`ImportProblem`. Our own
export comes back exactly (its header comment holds what Moodle has no field for); a file that
went through Moodle keeps the tags but loses the comment: its sources are rebuilt from the
references in each general feedback. Each question is read by :mod:`quiz.interop.moodle_questions`.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any, Final

import msgspec

from quiz.domain.model import Bank, Question, Topic
from quiz.interop.common import IdMaker, is_identifier, slug
from quiz.interop.moodle_questions import (
    Importer,
    build_question,
    inner_text,
    question_tags,
    topic_key,
)
from quiz.interop.moodle_texts import HEADER_MARK, rebuild_from_texts, split_category, strip_exact
from quiz.interop.report import ImportProblem, ImportResult, check_import_size

# --- reading XML safely --------------------------------------------------------------------------


def _parse(data: bytes, source: str) -> tuple[ET.Element, dict[ET.Element, int], str | None]:
    """The root, each element's line, and the header comment's text if there is one."""
    import defusedxml
    from defusedxml.ElementTree import DefusedXMLParser

    lines: dict[ET.Element, int] = {}
    comments: list[str] = []

    class Builder(ET.TreeBuilder):
        def comment(self, text: str | None) -> ET.Element:
            if text and not comments and text.lstrip().startswith(HEADER_MARK):
                comments.append(text)
            return super().comment(text)

    class LocatingParser(DefusedXMLParser):
        def _start(self, tag: str, attributes: Any) -> ET.Element:
            element: ET.Element = super()._start(tag, attributes)
            lines[element] = self.parser.CurrentLineNumber
            return element

    # A Moodle file has no DTD: refusing any DTD refuses entity bombs and external entities.
    parser = LocatingParser(
        target=Builder(), forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    try:
        parser.feed(data)
        root: ET.Element = parser.close()
    except defusedxml.DefusedXmlException as error:
        raise ImportProblem(
            source,
            "xml-forbidden",
            f"refused: the file declares {type(error).__name__.removesuffix('Forbidden')} "
            "(a DTD, entities or external references); Moodle question files have none",
        ) from None
    except SyntaxError as error:  # ParseError, from whichever ElementTree module defusedxml uses
        line, column = getattr(error, "position", (0, 0))
        message = str(error).split(":")[0] if str(error) else "malformed XML"
        raise ImportProblem(source, "xml-syntax", message, line, column + 1) from None
    except LookupError as error:  # the XML declaration names an encoding Python does not know
        raise ImportProblem(
            source, "xml-encoding", f"the XML declaration names {error}; save it as UTF-8", 1, 1
        ) from None
    return root, lines, comments[0] if comments else None


def _decode_header(comment: str | None) -> dict[str, Any] | None:
    if comment is None:
        return None
    try:
        value = json.loads(comment.strip().removeprefix(HEADER_MARK.strip()))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- import --------------------------------------------------------------------------------------

_SKIPPED_KINDS: Final = {"multianswer": "cloze"}
_SUPPORTED: Final = {"multichoice", "truefalse", "matching", "ordering", "shortanswer"}


def import_moodle_xml(data: bytes, source: str, *, bank_id: str | None = None) -> ImportResult:
    """A bank from the bytes of a Moodle XML file named ``source`` (for messages).

    Raises:
        ImportProblem: the file is too large, malformed, or declares a DTD or entities.
    """
    check_import_size(source, len(data))
    root, lines, comment = _parse(data, source)
    if root.tag != "quiz":
        raise ImportProblem(
            source,
            "not-moodle-xml",
            f"the top element is <{root.tag}>, not <quiz>: not a Moodle XML question file",
            lines.get(root, 0),
        )
    header = _decode_header(comment)
    importer = Importer(source, lines)
    ids = IdMaker()
    categories: dict[str, tuple[list[str], str, str]] = {}  # topic id -> path, title, info
    current: tuple[list[str], str] | None = None  # path, idnumber of the current category
    questions: list[Question] = []
    top_info = ""
    top_idnumber = ""
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            path = split_category(inner_text(element.find("category")))
            idnumber = inner_text(element.find("idnumber")).strip()
            named = f"category {'/'.join(path) or 'top'}"
            info = importer.text_of(element.find("info"), named)
            current = (path, idnumber)
            if len(path) <= 1 and not top_idnumber:
                top_info, top_idnumber = info, idnumber
            if path:  # a top category may hold questions of its own: it is a topic too
                categories.setdefault(topic_key(path, idnumber), (path, path[-1], info))
            continue
        name = inner_text(element.find("name")).strip()
        if kind not in _SUPPORTED:
            shown = _SKIPPED_KINDS.get(kind, kind or "untyped")
            importer.skipped[shown] += 1
            importer.warn(
                element,
                name or None,
                "skipped-type",
                f"Moodle question type '{shown}' has no ims-quiz equivalent; skipped",
            )
            continue
        tags = question_tags(element)
        question = build_question(importer, element, kind, name, tags, current, ids)
        if question is not None:
            questions.append(question)
    header_bank = _bank_from_header(header, importer, root) if header is not None else None
    if header_bank is not None:
        # Our own export, comment intact: undo exactly what the exporter added to the texts.
        restored = [strip_exact(header_bank, question) for question in questions]
        bank = msgspec.structs.replace(
            header_bank, id=bank_id or header_bank.id, questions=restored
        )
        return ImportResult(bank, importer.sorted_warnings(), dict(importer.skipped))
    # Through Moodle (or from elsewhere): rebuild cases and sources from the texts.
    questions, cases, sources, todo = rebuild_from_texts(questions, "Moodle XML")
    topics = _topics(categories, questions)
    stem = re.sub(r"\.[^./]*$", "", source.replace("\\", "/").rsplit("/", 1)[-1])
    titles = {path[0] for path, _, _ in categories.values() if len(path) > 1}
    title = titles.pop() if len(titles) == 1 else stem or "Imported bank"
    if not questions:
        importer.warn(root, "(the whole file)", "no-questions", "no question ims-quiz can hold")
    bank = Bank(
        format=1,
        id=bank_id or (top_idnumber if is_identifier(top_idnumber) else slug(stem, "imported")),
        title=title,
        description=top_info if is_identifier(top_idnumber) else "",
        topics=topics or {"imported": Topic(title="Imported")},
        sources=sources,
        cases=cases,
        questions=questions,
    )
    return ImportResult(bank, importer.sorted_warnings(), dict(importer.skipped), todo)


def _topics(
    categories: dict[str, tuple[list[str], str, str]], questions: list[Question]
) -> dict[str, Topic | str]:
    used = {question.topic for question in questions}
    topics: dict[str, Topic | str] = {}
    for key, (path, _title, info) in categories.items():
        if key not in used:
            continue
        title = " / ".join(path[1:]) if len(path) > 1 else path[-1]
        topics[key] = Topic(title=title, description=info) if info else title
    for question in questions:
        if question.topic not in topics:
            topics[question.topic] = question.topic.replace("-", " ").capitalize()
    return topics


def _bank_from_header(header: dict[str, Any], importer: Importer, root: ET.Element) -> Bank | None:
    header = dict(header, questions=[])
    try:
        bank = msgspec.convert(header, Bank)
    except msgspec.ValidationError as error:
        importer.warn(
            root,
            "(the bank header)",
            "header-unreadable",
            f"the ims-quiz header is unusable ({error}); ignored",
        )
        return None
    return bank
