"""Moodle XML in and out: the round-trip format.

Export writes every type Moodle holds (multichoice, truefalse, matching, core ordering,
shortanswer) and carries what Moodle has no field for in ``ims:...`` tags, the idnumber and,
for the bank's header (sources, cases, topics, authors...), a JSON comment after ``<quiz>``.
Our own re-import reads them back, so bank -> XML -> bank is the identity but for ``patterns``.
A file that went through Moodle keeps the tags but loses the comment: its sources are rebuilt
from the references in each general feedback.

Import reads XML from strangers as data: defusedxml refuses DTDs, entities and external
references; the size is capped; malformed XML is one located :class:`ImportProblem`.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any, Final

import msgspec

from quiz.domain.model import (
    Bank,
    Case,
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    Source,
    Topic,
    TrueFalse,
)
from quiz.interop.common import (
    PLACEHOLDER_DIFFICULTY,
    PLACEHOLDER_SOURCE,
    UNSET_DIFFICULTY_TAG,
    IdMaker,
    is_identifier,
    placeholder_sources,
    slug,
)
from quiz.interop.report import ImportProblem, ImportResult, InteropWarning, check_import_size
from quiz.interop.tags import MOODLE_TAG_MAX, ims_tags, read_tags

# --- shared vocabulary ---------------------------------------------------------------------------

REFERENCES_HEADING: Final = "**References**"
HEADER_MARK: Final = "ims-quiz-bank "
"""Starts the XML comment that carries the bank's header as JSON."""

MOODLE_GRADES: Final = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333, 0.3, 0.25, 0.2,
    0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip
"""The grades Moodle's question forms accept (question_bank::fraction_options_full), as
fractions; an import with any other value is refused or rounded by Moodle."""


def moodle_percent(fraction: float) -> str:
    """``fraction`` (-1..1) as the percentage of the nearest grade Moodle allows: ``33.33333``."""
    nearest = min(MOODLE_GRADES, key=lambda grade: abs(grade - abs(fraction)))
    value = f"{nearest * 100:.5f}".rstrip("0").rstrip(".")
    return value if fraction >= 0 or nearest == 0 else f"-{value}"


def _category_path(parts: list[str]) -> str:
    # Moodle writes a "/" inside a category name as "//".
    return "/".join(part.replace("/", "//") for part in parts)


def split_category(path: str) -> list[str]:
    parts = [part.replace("\0", "/") for part in path.replace("//", "\0").split("/")]
    parts = [part.strip() for part in parts if part.strip()]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]  # $course$, $system$, $module$, $cat1$...
    if parts and parts[0] == "top":
        parts = parts[1:]  # Moodle 3.5+ writes the context's top category
    return parts


# --- export ------------------------------------------------------------------------------------


def _text_element(parent: ET.Element, name: str, text: str, fmt: str | None) -> ET.Element:
    element = ET.SubElement(parent, name, {"format": fmt} if fmt else {})
    ET.SubElement(element, "text").text = text
    return element


def _feedback(parent: ET.Element, text: str | None) -> None:
    _text_element(parent, "feedback", text or "", "markdown")


def general_feedback(bank: Bank, question: Question) -> str:
    lines = []
    for key in question.refs:
        source = bank.source(key) if key in bank.sources else Source(citation=key)
        lines.append(f"- {source.citation}" + (f" <{source.url}>" if source.url else ""))
    if not lines:
        return question.explanation
    references = f"{REFERENCES_HEADING}\n\n" + "\n".join(lines)
    return f"{question.explanation}\n\n{references}" if question.explanation else references


def prompt_text(bank: Bank, question: Question) -> str:
    if question.case is None or question.case not in bank.cases:
        return question.prompt
    case = bank.cases[question.case]
    return f"**{case.title}**\n\n{case.vignette.rstrip()}\n\n---\n\n{question.prompt}"


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
    return root, lines, comments[0] if comments else None


def _decode_header(comment: str | None) -> dict[str, Any] | None:
    if comment is None:
        return None
    try:
        value = json.loads(comment.strip().removeprefix(HEADER_MARK.strip()))
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


# --- HTML to Markdown ----------------------------------------------------------------------------


class _HtmlToMarkdown(HTMLParser):
    """The little HTML Moodle's editors write, as Markdown; anything else as its text."""

    _INLINE: Final = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []
        self.images = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"):
            self.out.append("\n\n")
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
            self.out.append("\n")
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                marker = f"{self.lists[-1][0]}. "
            self.out.append("\n" + marker)
        elif tag in ("img", "video", "audio", "object", "embed", "iframe"):
            self.images += 1
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self.out)
        joined = re.sub(r"[ \t]+\n", "\n", joined)
        return re.sub(r"\n{3,}", "\n\n", joined).strip()


_HAS_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def html_to_markdown(text: str) -> tuple[str, bool, int]:
    """``text`` (Moodle HTML) as Markdown: the text, whether markup was converted, images dropped.

    Text with no tags is only unescaped (``&amp;`` to ``&``).
    """
    if not _HAS_TAG.search(text):
        return html.unescape(text).strip(), False, 0
    converter = _HtmlToMarkdown()
    converter.feed(text)
    converter.close()
    return converter.text(), True, converter.images


# --- import --------------------------------------------------------------------------------------

_SKIPPED_KINDS: Final = {"multianswer": "cloze"}
_SUPPORTED: Final = {"multichoice", "truefalse", "matching", "ordering", "shortanswer"}


class _Importer:
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
    importer = _Importer(source, lines)
    ids = IdMaker()
    categories: dict[str, tuple[list[str], str, str]] = {}  # topic id -> path, title, info
    current: tuple[list[str], str] | None = None  # path, idnumber of the current category
    questions: list[Question] = []
    top_info = ""
    top_idnumber = ""
    for element in root.findall("question"):
        kind = element.get("type", "")
        if kind == "category":
            path = split_category(_inner_text(element.find("category")))
            idnumber = _inner_text(element.find("idnumber")).strip()
            named = f"category {'/'.join(path) or 'top'}"
            info = importer.text_of(element.find("info"), named)
            current = (path, idnumber)
            if len(path) <= 1 and not top_idnumber:
                top_info, top_idnumber = info, idnumber
            if path:  # a top category may hold questions of its own: it is a topic too
                categories.setdefault(_topic_key(path, idnumber), (path, path[-1], info))
            continue
        name = _inner_text(element.find("name")).strip()
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
        tags = _question_tags(element)
        question = _build_question(importer, element, kind, name, tags, current, ids)
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


def _inner_text(element: ET.Element | None) -> str:
    if element is None:
        return ""
    inner = element.find("text")
    return (inner.text if inner is not None else element.text) or ""


def _topic_key(path: list[str], idnumber: str) -> str:
    # Our own export: "<bank-id>/<topic-id>"; anything else: the path below the bank's title.
    if "/" in idnumber:
        _, _, topic = idnumber.rpartition("/")
        if is_identifier(topic):
            return topic
    return slug("-".join(path[1:] if len(path) > 1 else path), "imported")


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


def _question_tags(element: ET.Element) -> list[str]:
    tags = element.find("tags")
    if tags is None:
        return []
    return [_inner_text(tag).strip() for tag in tags.findall("tag") if _inner_text(tag).strip()]


def _fraction(element: ET.Element) -> float:
    try:
        return float(element.get("fraction", "0")) / 100
    except ValueError:
        return 0.0


def _build_question(
    importer: _Importer,
    element: ET.Element,
    kind: str,
    name: str,
    tags: list[str],
    current: tuple[list[str], str] | None,
    ids: IdMaker,
) -> Question | None:
    fields = read_tags(tags)
    ours = fields.ours
    wanted = fields.id or _inner_text(element.find("idnumber")).strip() or name
    qid = ids.make(wanted, f"question-{len(ids.used) + 1}")
    shown = name or qid

    def warn(code: str, message: str, at: ET.Element = element) -> None:
        importer.warn(at, shown, code, message)

    if current is not None and current[0]:
        topic = _topic_key(current[0], current[1])
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
        if _inner_text(hint).strip():
            warn("hint-dropped", "hints (shown between tries) are not carried", hint)
    for combined in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
        part = element.find(combined)
        if part is not None and _inner_text(part).strip():
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


def strip_exact(bank: Bank, question: Question) -> Question:
    """``question`` with the case vignette and the references the exporter added taken off."""
    added = prompt_text(bank, msgspec.structs.replace(question, prompt=""))
    prompt = question.prompt
    if added and prompt.startswith(added):
        prompt = prompt[len(added) :]
    references = general_feedback(bank, msgspec.structs.replace(question, explanation=""))
    # GIFT trims the end of the feedback, and with it trailing space of the last citation.
    explanation, references = question.explanation, references.rstrip()
    written = explanation.rstrip()
    if references and written == references:
        explanation = ""
    elif references and written.endswith("\n\n" + references):
        explanation = written[: -len(references) - 2]
    return msgspec.structs.replace(question, prompt=prompt, explanation=explanation)


def strip_guessed(question: Question) -> tuple[Question, Case | None, dict[str, Source | str]]:
    """``question`` with a case vignette and a references list, as the exporter writes them,
    taken off its texts: the case and the sources they name."""
    prompt, case = _split_case(question.prompt) if question.case else (question.prompt, None)
    sources: dict[str, Source | str] = {}
    explanation = question.explanation
    if question.refs != [PLACEHOLDER_SOURCE]:
        explanation, citations = _split_references(explanation)
        sources = dict(zip(question.refs, citations, strict=False))
    changed = msgspec.structs.replace(question, prompt=prompt, explanation=explanation)
    return changed, case, sources


def rebuild_from_texts(
    questions: list[Question], kind: str
) -> tuple[list[Question], dict[str, Case], dict[str, Source | str], list[str]]:
    """Questions imported without our bank header: the case vignettes and reference lists the
    exporter wrote are taken off their texts and become the cases and sources; placeholders
    fill what is missing, and the to-do list says what they are."""
    cases: dict[str, Case] = {}
    sources: dict[str, Source | str] = {}
    restored: list[Question] = []
    for question in questions:
        question, case, found = strip_guessed(question)
        if case is not None and question.case is not None:
            cases.setdefault(question.case, case)
        for key, source_value in found.items():
            sources.setdefault(key, source_value)
        restored.append(question)
    todo: list[str] = []
    lost = [
        key
        for question in restored
        for key in question.refs
        if key != PLACEHOLDER_SOURCE and key not in sources
    ]
    for key in dict.fromkeys(lost):
        sources[key] = f"TODO(import): the citation of '{key}' was not in the file"
    if lost:
        todo.append(f"{len(set(lost))} source(s) lost their citation (they start with TODO)")
    placeholder_refs = sum(question.refs == [PLACEHOLDER_SOURCE] for question in restored)
    if placeholder_refs:
        todo.append(f"{placeholder_refs} question(s) cite the placeholder '{PLACEHOLDER_SOURCE}'")
    unset = sum(UNSET_DIFFICULTY_TAG in question.tags for question in restored)
    if unset:
        todo.append(
            f"{unset} question(s) tagged '{UNSET_DIFFICULTY_TAG}' have a placeholder "
            f"difficulty {PLACEHOLDER_DIFFICULTY}"
        )
    if todo or not sources:
        sources |= placeholder_sources(kind, todo)
    return restored, cases, sources, todo


def _split_references(feedback: str) -> tuple[str, list[Source | str]]:
    if feedback.startswith(REFERENCES_HEADING + "\n\n"):
        explanation, listing = "", feedback[len(REFERENCES_HEADING) + 2 :]
    else:
        explanation, mark, listing = feedback.rpartition(f"\n\n{REFERENCES_HEADING}\n\n")
        if not mark:
            return feedback, []
    citations: list[Source | str] = []
    for line in listing.split("\n"):
        entry = line.removeprefix("- ")
        match = re.fullmatch(r"(.*) <([^<>\s]+)>", entry)
        citations.append(Source(citation=match[1], url=match[2]) if match else entry)
    return explanation, citations


def _split_case(prompt: str) -> tuple[str, Case | None]:
    match = re.match(r"\*\*(.+?)\*\*\n\n(.*?)\n\n---\n\n", prompt, re.DOTALL)
    if match is None:
        return prompt, None
    vignette = match[2] + "\n"
    return prompt[match.end() :], Case(title=match[1], vignette=vignette)


def _answers(element: ET.Element) -> list[ET.Element]:
    return element.findall("answer")


def _multichoice(
    importer: _Importer, element: ET.Element, shown: str, unsafe: set[int], common: dict[str, Any]
) -> Question | None:
    single = (_inner_text(element.find("single")) or "true").strip().lower() in ("true", "1")
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
    importer: _Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    answer_value: bool | None = None
    whys: dict[bool, str | None] = {True: None, False: None}
    for answer in _answers(element):
        word = _inner_text(answer).strip().lower()
        value = word in ("true", "1", "yes")
        whys[value] = importer.text_of(answer.find("feedback"), shown) or None
        if _fraction(answer) >= 0.999:
            answer_value = value
    if answer_value is None:
        importer.warn(element, shown, "no-answer", "no answer has 100%; skipped")
        return None
    return TrueFalse(**common, answer=answer_value, why_true=whys[True], why_false=whys[False])


def _matching(
    importer: _Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    pairs: list[tuple[str, str]] = []
    distractors: list[str] = []
    for sub in element.findall("subquestion"):
        left = importer.text_of(sub, shown, markdown=False)
        right = _inner_text(sub.find("answer"))
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
    importer: _Importer, element: ET.Element, shown: str, common: dict[str, Any]
) -> Question | None:
    answers = _answers(element)
    ranked = sorted(enumerate(answers), key=lambda pair: (_fraction(pair[1]), pair[0]))
    items = [importer.text_of(answer, shown, markdown=False) for _, answer in ranked]
    items = [item for item in items if item]
    select = _inner_text(element.find("selecttype")).strip().upper()
    if select and select not in ("ALL", "0"):
        importer.warn(
            element, shown, "ordering-subset", "Moodle showed a subset of items; all are kept"
        )
    if len(items) < 2:
        importer.warn(element, shown, "too-few-items", f"{len(items)} item(s); skipped")
        return None
    return Ordering(**common, items=items)


def _shortanswer(
    importer: _Importer, element: ET.Element, shown: str, common: dict[str, Any], *, ours: bool
) -> Question | None:
    answers: list[str] = []
    patterns: list[str] = []
    for answer in _answers(element):
        text = _inner_text(answer)
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
    if (_inner_text(element.find("usecase")).strip() or "0") not in ("0", "false"):
        importer.warn(
            element, shown, "case-sensitive-dropped", "Moodle compared case; ims-quiz ignores it"
        )
    if not answers and not patterns:
        importer.warn(element, shown, "no-answers", "no answer with 100%; skipped")
        return None
    return ShortAnswer(**common, answers=answers, patterns=patterns)


def _bank_from_header(header: dict[str, Any], importer: _Importer, root: ET.Element) -> Bank | None:
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
