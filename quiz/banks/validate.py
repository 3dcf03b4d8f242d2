"""Turning parsed YAML into a :class:`~quiz.domain.model.Bank`, with every problem located.

Validation works question by question, so one run reports every broken question, not just the
first: the bank header and each question are checked for shape (unknown and missing keys, with
a did-you-mean), converted with msgspec (types and single-field constraints from the model), and
then checked for the rules that span fields (answer keys, references, duplicates).
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
import typing
from collections.abc import Callable, Iterable
from typing import Any, Final

import msgspec
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from quiz.banks.diagnostics import WARNING_CODES, Diagnostic, Severity, SkippedQuestion, clip
from quiz.banks.yamlread import ParsedYaml, Path
from quiz.domain.grading import pattern_problem
from quiz.domain.model import (
    FORMAT_VERSION,
    QUESTION_CLASSES,
    Bank,
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.domain.text import ZERO_WIDTH, visible


class _Report:
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


class Validated(msgspec.Struct):
    """What validating one file found."""

    bank: Bank | None
    """The bank with its valid questions, or ``None`` when the bank itself is unusable: an
    error outside every question (YAML, ``format``, the bank's own keys), or no valid question
    left."""
    diagnostics: list[Diagnostic]
    """Every diagnostic (errors and warnings), in file order."""
    skipped: list[SkippedQuestion]
    """The questions left out of ``bank`` for their errors, in file order."""


def validate_bank(path: str, parsed: ParsedYaml) -> Validated:
    """Check one parsed bank file; see :class:`Validated` for what comes back."""
    report = _Report(path, parsed)
    questions = _Items(parsed, ("questions",))  # measured lazily: most banks have no diagnostic
    for problem in parsed.problems:
        severity = Severity.WARNING if problem.code in WARNING_CODES else Severity.ERROR
        index = questions.index_at(problem.line, problem.column)
        report.items.append(
            Diagnostic(
                path,
                problem.line,
                problem.column,
                severity,
                problem.code,
                visible(problem.message),
                _question_id(parsed, index),
            )
        )
    header, indexed = _validate(report, parsed.data)
    report.items.sort(key=lambda d: (d.line, d.column))
    owners = [questions.index_at(d.line, d.column) for d in report.items]
    if header is None or any(
        d.severity is Severity.ERROR and owner is None
        for d, owner in zip(report.items, owners, strict=True)
    ):
        return Validated(None, report.items, [])
    broken = {
        owner
        for d, owner in zip(report.items, owners, strict=True)
        if owner is not None and d.severity is Severity.ERROR
    }
    skipped = [
        SkippedQuestion(
            index,
            _question_id(parsed, index),
            questions.line(index),
            [d for d, owner in zip(report.items, owners, strict=True) if owner == index],
        )
        for index in sorted(broken)
    ]
    kept = [question for index, question in indexed if index not in broken]
    if broken and not kept:
        return Validated(None, report.items, skipped)
    return Validated(msgspec.structs.replace(header, questions=kept), report.items, skipped)


def _never_drop_silently(
    report: _Report, raw: list[Any], indexed: list[tuple[int, Question]]
) -> None:
    """A question that did not convert must have an error of its own; a defence should a
    check above ever leave one out (it would vanish from the bank without a word)."""
    if len(indexed) == len(raw):
        return
    questions = _Items(report.parsed, ("questions",))
    converted = {index for index, _ in indexed}
    with_errors = {
        questions.index_at(d.line, d.column) for d in report.items if d.severity is Severity.ERROR
    }
    with_errors.update(
        questions.index_at(p.line, p.column)
        for p in report.parsed.problems
        if p.code not in WARNING_CODES
    )
    for index in range(len(raw)):
        if index not in converted and index not in with_errors:
            report.add(
                "invalid-value",
                "this question cannot be read as written",
                ("questions", index),
                question=_question_id(report.parsed, index),
            )


class _Items:
    """Finds which item of a sequence (the questions) a line:column falls in, by bisection."""

    def __init__(self, parsed: ParsedYaml, path: Path) -> None:
        self.parsed = parsed
        self.path = path
        self.starts: list[tuple[int, int]] = []
        self.ends: list[tuple[int, int]] = []
        self.measured = False

    def _measure(self) -> None:
        node = self.parsed.node_at(self.path)
        items = node.value if isinstance(node, SequenceNode) else []
        self.starts = [(item.start_mark.line + 1, item.start_mark.column + 1) for item in items]
        self.ends = [(item.end_mark.line + 1, item.end_mark.column + 1) for item in items]
        self.measured = True

    def index_at(self, line: int, column: int) -> int | None:
        if not self.measured:
            self._measure()
        where = (line, column)
        index = bisect.bisect_right(self.starts, where) - 1
        if index < 0 or not where < self.ends[index]:
            return None
        return index

    def line(self, index: int) -> int:
        if not self.measured:
            self._measure()
        return self.starts[index][0]


def _question_id(parsed: ParsedYaml, index: int | None) -> str | None:
    """The id of question ``index``, if it has one that is text (any control character in it
    shown as an escape: ids in diagnostics are for people to read)."""
    if index is None:
        return None
    questions = parsed.data.get("questions") if isinstance(parsed.data, dict) else None
    if not isinstance(questions, list) or index >= len(questions):
        return None
    question = questions[index]
    question_id = question.get("id") if isinstance(question, dict) else None
    return visible(question_id) if isinstance(question_id, str) else None


def _validate(report: _Report, data: Any) -> tuple[Bank | None, list[tuple[int, Question]]]:
    """The bank's header (without questions, ``None`` if unusable) and each valid question."""
    if not isinstance(data, dict):
        report.add(
            "not-mapping",
            f"the top level must be a mapping of keys (format, id, title, ...), not {_kind(data)}",
            (),
        )
        return None, []
    version = data.get("format")
    if version != FORMAT_VERSION or isinstance(version, bool):
        if "format" not in data:
            report.add("unsupported-format", "missing `format: 1` at the top of the bank", ())
        else:
            report.add(
                "unsupported-format",
                f"format {clip(repr(version))} is not supported; write `format: 1` "
                "(this version of ims-quiz reads format 1)",
                ("format",),
            )
        return None, []

    header = _convert_header(report, data)
    raw_questions = data.get("questions")
    indexed: list[tuple[int, Question]] = []
    if isinstance(raw_questions, list):
        indexed = _convert_questions(report, raw_questions)
        _check_references(report, data, raw_questions)
        _never_drop_silently(report, raw_questions, indexed)
    return header, indexed


# --- shape: unknown and missing keys -------------------------------------------------------


def _did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.7)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _unknown_field(key: str, known: Iterable[str]) -> str:
    if key == "<<":
        return "YAML merge keys (`<<: *anchor`) are not supported; write the keys out"
    return f"unknown field '{clip(key)}'{_did_you_mean(key, known)}"


def _report_unknown_key(
    report: _Report, key: str, known: Iterable[str], where: Path, question: str | None
) -> None:
    report.add(
        "unknown-field",
        _unknown_field(key, known) + _flow_comma_hint(report.parsed, where),
        where,
        question=question,
        key=True,
    )


def _flow_comma_hint(parsed: ParsedYaml, where: Path) -> str:
    """For ``{text: A, why: Plantarflexors, S1.}``: the comma ended the text, and ``S1.`` became
    a key of its own. Suggest quoting the text, as it was meant."""
    mapping = parsed.parent_mapping(where)
    if not isinstance(mapping, MappingNode) or not mapping.flow_style:
        return ""
    pairs = mapping.value
    for position, (key_node, value_node) in enumerate(pairs):
        if not (isinstance(key_node, ScalarNode) and key_node.value == where[-1]):
            continue
        if position == 0 or not (isinstance(value_node, ScalarNode) and value_node.value == ""):
            return ""
        before_key, before_value = pairs[position - 1]
        if not isinstance(before_value, ScalarNode) or before_value.style not in (None, ""):
            return ""
        text = f"{before_value.value}, {key_node.value}"
        return (
            f"; in {{...}} a comma ends the value, so '{clip(key_node.value)}' became a key: "
            f"if it belongs to the text before it, quote that text: "
            f'{clip(str(before_key.value))}: "{clip(text)}"'
        )
    return ""


_ShapeCheck = Callable[[_Report, Any, Path, str | None], Any]


def _check_shape(
    report: _Report, value: Any, annotation: Any, where: Path, question: str | None
) -> Any:
    """Report unknown and missing keys of every Struct inside ``value``.

    Returns ``value`` with unknown keys removed, so that conversion can go on to report type
    errors in the same run.
    """
    check = _shape_check(annotation)
    return value if check is None else check(report, value, where, question)


@functools.cache
def _shape_check(annotation: Any) -> _ShapeCheck | None:
    """A checker for values of ``annotation``, or ``None`` when it holds no Struct to check.

    Built once per annotation: walking the model's type hints for every question would cost
    more than validating the questions.
    """
    annotation = _strip_annotated(annotation)
    origin = typing.get_origin(annotation)
    if isinstance(annotation, type) and issubclass(annotation, msgspec.Struct):
        return _struct_check(annotation)
    if origin is list:
        (item_type,) = typing.get_args(annotation)
        item_check = _shape_check(item_type)
        if item_check is None:
            return None

        def check_list(report: _Report, value: Any, where: Path, question: str | None) -> Any:
            if not isinstance(value, list):
                return value
            return [item_check(report, item, (*where, i), question) for i, item in enumerate(value)]

        return check_list
    if origin is dict:
        _, item_type = typing.get_args(annotation)
        value_check = _shape_check(item_type)
        if value_check is None:
            return None

        def check_dict(report: _Report, value: Any, where: Path, question: str | None) -> Any:
            if not isinstance(value, dict):
                return value
            return {k: value_check(report, v, (*where, k), question) for k, v in value.items()}

        return check_dict
    if origin in (typing.Union, _UnionType):
        for member in typing.get_args(annotation):
            if isinstance(member, type) and issubclass(member, msgspec.Struct):
                return _struct_check(member)  # a union holds at most one Struct in this model
    return None


def _struct_check(cls: type[msgspec.Struct]) -> _ShapeCheck:
    fields = msgspec.structs.fields(cls)
    tag_field = cls.__struct_config__.tag_field
    allowed = frozenset(f.name for f in fields) | ({tag_field} if tag_field else set())
    required = [f.name for f in fields if f.required]
    nested = {f.name: check for f in fields if (check := _shape_check(f.type)) is not None}
    names = [f.name for f in fields]

    def check_struct(report: _Report, value: Any, where: Path, question: str | None) -> Any:
        if not isinstance(value, dict):
            return value
        keys = value.keys()
        for name in required:
            if name not in value:
                report.add(
                    "missing-field", f"missing required field '{name}'", where, question=question
                )
        if keys <= allowed and not (nested and not keys.isdisjoint(nested)):
            return value  # the common case: nothing unknown, nothing nested to look into
        cleaned: dict[str, Any] = {}
        for key, item in value.items():
            if key not in allowed:
                _report_unknown_key(report, key, names, (*where, key), question)
                continue
            check = nested.get(key)
            cleaned[key] = item if check is None else check(report, item, (*where, key), question)
        return cleaned

    return check_struct


_UnionType = type(int | str)


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


# --- conversion: types and single-field constraints -----------------------------------------

_MSGSPEC_PATH = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]")


def _report_validation_error(report: _Report, text: str, where: Path, question: str | None) -> None:
    message, _, located = text.partition(" - at `")
    steps: list[str | int] = list(where)
    for name, index in _MSGSPEC_PATH.findall(located.rstrip("`")[1:]):
        steps.append(name if name else int(index))
    field = next((s for s in reversed(steps) if isinstance(s, str)), "")
    code, friendly = _classify(message, field)
    label = _label(steps)
    report.add(code, f"{label}: {friendly}" if label else friendly, tuple(steps), question=question)


def _classify(message: str, field: str) -> tuple[str, str]:
    """Map a msgspec message to a diagnostic code and wording an author understands."""
    lowered = message[0].lower() + message[1:] if message else message
    if message.startswith("Object missing required field"):
        return "missing-field", lowered
    if message.startswith("Object contains unknown field"):
        return "unknown-field", lowered
    if field == "difficulty" and ("<=" in message or ">=" in message):
        return "difficulty-range", "difficulty must be 1 (recall), 2 (application) or 3 (reasoning)"
    if field == "id" and "regex" in message:
        return "invalid-id", (
            "ids are lowercase letters and digits joined by dashes, e.g. 'c5-myotome'"
        )
    if field == "roots" and "regex" in message:
        return "invalid-value", "a spinal root is written C1-C8, T1-T12, L1-L5 or S1-S5"
    if field == "choices" and "length" in message:
        return "choice-count", "a question needs between 2 and 8 choices"
    if field == "pairs" and "length >=" in message:
        return "too-few-pairs", "matching needs at least 2 pairs"
    if field == "items" and "length >=" in message:
        return "too-few-items", "ordering needs at least 2 items"
    if message.startswith("Expected `") and ", got `" in message:
        expected, _, got = message.removeprefix("Expected ").partition(", got ")
        wanted, found = _type_words(expected), _type_words(got)
        hint = ""
        if wanted == "true or false" and found == "text":
            hint = " (write true or false, or yes or no, without quotes)"
        elif wanted in ("a whole number", "a number") and found == "text":
            hint = " (write the number without quotes)"
        return "wrong-type", f"expected {wanted}, got {found}{hint}"
    return "invalid-value", lowered


_TYPE_WORDS = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "null": "nothing",
    "array": "a list",
    "object": "a mapping",
}


def _type_words(msgspec_types: str) -> str:
    """```str | null``` -> ``text or nothing``: msgspec's type names in an author's words."""
    names = [name.strip() for name in msgspec_types.strip("`").split("|")]
    return " or ".join(_TYPE_WORDS.get(name, name) for name in names)


def _label(steps: Iterable[str | int]) -> str:
    label = ""
    for step in steps:
        label += f"[{step}]" if isinstance(step, int) else (f".{step}" if label else step)
    return label


def _report_all(
    report: _Report, value: Any, annotation: Any, where: Path, question: str | None
) -> bool:
    """Convert ``value`` to ``annotation``, reporting every error inside it, not just the first.

    msgspec stops at the first error; this converts field by field and item by item where the
    first attempt fails, so eight bad ``why``s give eight diagnostics. Returns whether ``value``
    converts.
    """
    try:
        msgspec.convert(value, annotation, str_keys=True)
        return True
    except msgspec.ValidationError as error:
        message = str(error)
    reported, silenced = len(report.items), report.silenced
    inner = _strip_annotated(annotation)
    origin = typing.get_origin(inner)
    if origin in (typing.Union, _UnionType) and isinstance(value, dict):
        structs = [m for m in typing.get_args(inner) if _is_struct(m)]
        inner = structs[0] if structs else inner
    if _is_struct(inner) and isinstance(value, dict):
        for field in msgspec.structs.fields(inner):
            if field.name in value:
                _report_all(report, value[field.name], field.type, (*where, field.name), question)
    elif origin is list and isinstance(value, list):
        (item_type,) = typing.get_args(inner)
        for index, item in enumerate(value):
            _report_all(report, item, item_type, (*where, index), question)
        if len(report.items) > reported:
            # The items are reported; the list's own limits (2 to 8 choices) are checked apart.
            _report_list_limits(report, value, annotation, where, question)
    elif origin is dict and isinstance(value, dict):
        _, item_type = typing.get_args(inner)
        for key, item in value.items():
            _report_all(report, item, item_type, (*where, key), question)
    if len(report.items) == reported and report.silenced == silenced:
        if _said_elsewhere(message, value, where):
            report.silenced += 1
        else:
            _report_validation_error(report, message, where, question)
    return False


def _said_elsewhere(message: str, value: Any, where: Path) -> bool:
    """Whether another check reports this msgspec error already, as an error: missing and
    unknown keys (the shape check), or an id that fails its pattern for a zero-width character
    in it (the reader's ``zero-width-id``)."""
    if message.startswith(("Object missing required field", "Object contains unknown field")):
        return True
    return (
        bool(where)
        and where[-1] == "id"
        and isinstance(value, str)
        and "regex" in message
        and ZERO_WIDTH.search(value) is not None
    )


def _report_list_limits(
    report: _Report, value: list[Any], annotation: Any, where: Path, question: str | None
) -> None:
    metas = [
        meta
        for meta in typing.get_args(annotation)[1:]
        if typing.get_origin(annotation) is typing.Annotated and isinstance(meta, msgspec.Meta)
    ]
    if metas:
        try:
            msgspec.convert(value, typing.Annotated[list[Any], *metas])
        except msgspec.ValidationError as error:
            _report_validation_error(report, str(error), where, question)


def _is_struct(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, msgspec.Struct)


def _header_fields() -> dict[str, Any]:
    return {f.name: f.type for f in msgspec.structs.fields(Bank) if f.name != "questions"}


def _convert_header(report: _Report, data: dict[str, Any]) -> Bank | None:
    header_types = _header_fields()
    known = {**header_types, "questions": None}
    ok = True
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            message = f"top level: {_unknown_field(key, known)}"
            report.add("unknown-field", message, (key,), key=True)
            ok = False
            continue
        if key == "questions":
            if not isinstance(value, list):
                report.add("wrong-type", f"questions must be a list, not {_kind(value)}", (key,))
                ok = False
            continue
        annotation = header_types[key]
        value = _check_shape(report, value, annotation, (key,), None)
        if _report_all(report, value, annotation, (key,), None):
            values[key] = msgspec.convert(value, annotation, str_keys=True)
        else:
            ok = False
    for name, field in ((f.name, f) for f in msgspec.structs.fields(Bank)):
        if field.required and name not in data:
            report.add("missing-field", f"missing required top-level field '{name}'", ())
            ok = False
    if not ok:
        return None
    return Bank(**values, questions=[])


_QUESTION_KEYS: Final = sorted(
    {"type"}
    | {field.name for cls in QUESTION_CLASSES.values() for field in msgspec.structs.fields(cls)}
)


def _convert_questions(report: _Report, raw_questions: list[Any]) -> list[tuple[int, Question]]:
    """Each valid question with its index in the file."""
    questions: list[tuple[int, Question]] = []
    for index, raw in enumerate(raw_questions):
        where: Path = ("questions", index)
        if not isinstance(raw, dict):
            report.add(
                "not-mapping", f"question {index + 1} must be a mapping, not {_kind(raw)}", where
            )
            continue
        question_id = raw.get("id") if isinstance(raw.get("id"), str) else None
        kind = raw.get("type")
        if kind is None or not isinstance(kind, str) or kind not in QUESTION_CLASSES:
            if kind is None:
                report.add(
                    "missing-field",
                    f"missing 'type' (one of: {', '.join(QUESTION_CLASSES)})",
                    where,
                    question=question_id,
                )
            else:
                wrote = (
                    f"'{clip(kind)}'{_did_you_mean(kind, QUESTION_CLASSES)}"
                    if isinstance(kind, str)
                    else _kind(kind)
                )
                report.add(
                    "unknown-type",
                    f"unknown question type {wrote}; types are {', '.join(QUESTION_CLASSES)}",
                    (*where, "type"),
                    question=question_id,
                )
            # Without a type, at least the keys no type has (`tpye:`) can be named.
            for key in raw:
                if key not in _QUESTION_KEYS:
                    _report_unknown_key(report, key, _QUESTION_KEYS, (*where, key), question_id)
            continue
        reported, silenced = len(report.items), report.silenced
        cleaned = _check_shape(report, raw, QUESTION_CLASSES[kind], where, question_id)
        try:
            question = msgspec.convert(cleaned, Question, str_keys=True)
        except msgspec.ValidationError as error:
            _report_all(report, cleaned, QUESTION_CLASSES[kind], where, question_id)
            if len(report.items) == reported and report.silenced == silenced:
                # Never drop a question silently: report the error as msgspec words it.
                _report_validation_error(report, str(error), where, question_id)
        else:
            _check_answer_key(report, question, where)
            questions.append((index, question))
    return questions


# --- rules that span fields -------------------------------------------------------------------


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _duplicates(report: _Report, texts: Iterable[tuple[str, Path]], what: str, qid: str) -> None:
    """Report each ``(text, where)`` whose text (ignoring case and spacing) came before."""
    seen: set[str] = set()
    for text, where in texts:
        key = _normal(text)
        if key in seen:
            report.add(
                "duplicate-option",
                f"{what} '{clip(text)}' appears more than once",
                where,
                question=qid,
            )
        seen.add(key)


def _check_answer_key(report: _Report, question: Question, where: Path) -> None:
    qid = question.id
    if not question.explanation.strip():
        report.warn(
            "empty-explanation",
            "no explanation: say why the answer is right and teach the principle",
            where,
            question=qid,
        )
    if not question.refs:
        report.add(
            "missing-refs", "cite at least one source key in refs", (*where, "refs"), question=qid
        )
    if isinstance(question, SingleChoice | MultipleChoice):
        _check_choices(report, question, where)
    elif isinstance(question, TrueFalse):
        missing = [name for name in ("why_true", "why_false") if not getattr(question, name)]
        if missing:
            report.warn(
                "missing-why",
                f"add {' and '.join(missing)} so either answer gets an explanation",
                where,
                question=qid,
            )
    elif isinstance(question, Matching):
        pairs = [(*where, "pairs", index) for index in range(len(question.pairs))]
        lefts = [(left, (*at, 0)) for (left, _), at in zip(question.pairs, pairs, strict=True)]
        _duplicates(report, lefts, "left item", qid)
        rights = [(right, (*at, 1)) for (_, right), at in zip(question.pairs, pairs, strict=True)]
        extras = [(text, (*where, "distractors", i)) for i, text in enumerate(question.distractors)]
        _duplicates(report, rights + extras, "right-hand item", qid)
    elif isinstance(question, Ordering):
        items = [(item, (*where, "items", index)) for index, item in enumerate(question.items)]
        _duplicates(report, items, "item", qid)
    elif isinstance(question, ShortAnswer):
        if not question.answers and not question.patterns:
            report.add(
                "no-answers",
                "a short-answer question needs at least one entry in answers or patterns",
                where,
                question=qid,
            )
        for index, pattern in enumerate(question.patterns):
            if problem := pattern_problem(pattern):
                report.add(
                    "bad-pattern",
                    f"pattern {pattern!r} {problem}",
                    (*where, "patterns", index),
                    question=qid,
                )


def _check_choices(report: _Report, question: SingleChoice | MultipleChoice, where: Path) -> None:
    qid = question.id
    choices: list[Choice] = question.choices
    correct = sum(choice.correct for choice in choices)
    if isinstance(question, SingleChoice) and correct != 1:
        report.add(
            "correct-count",
            f"a single-answer question needs exactly one choice with correct: true, found {correct}"
            + ("; use type: multiple for several" if correct > 1 else ""),
            (*where, "choices"),
            question=qid,
        )
    if isinstance(question, MultipleChoice) and correct == 0:
        report.add(
            "correct-count",
            "a select-all question needs at least one choice with correct: true",
            (*where, "choices"),
            question=qid,
        )
    texts = [(c.text, (*where, "choices", index)) for index, c in enumerate(choices)]
    _duplicates(report, texts, "choice", qid)
    for index, choice in enumerate(choices):
        if not (choice.why or "").strip():
            report.warn(
                "missing-why",
                f"choice {index + 1} ('{clip(choice.text, 40)}') has no why",
                (*where, "choices", index),
                question=qid,
            )


def _defined(data: dict[str, Any], name: str, default: Any = None) -> dict[str, Any] | None:
    """The keys the bank defines under ``name``, or ``None`` when they cannot be known."""
    value = data.get(name, default)
    return value if isinstance(value, dict) else None


def _check_references(report: _Report, data: dict[str, Any], raw_questions: list[Any]) -> None:
    """Ids, topics, sources and cases of every question, including those that failed to convert
    for another reason: a type error elsewhere in a question, or in the bank's own keys, must
    not hide these. A reference to a mapping that is itself broken (``topics: 3``) is not
    checked: that mapping's own error is reported."""
    topics = _defined(data, "topics")
    sources = _defined(data, "sources")
    cases = _defined(data, "cases", {})
    seen: dict[str, int] = {}
    cited: set[str] = set()
    for index, raw in enumerate(raw_questions):
        if not isinstance(raw, dict):
            continue
        where: Path = ("questions", index)
        qid = raw.get("id")
        if isinstance(qid, str):
            if qid in seen:
                first_line, _ = report.parsed.locate(("questions", seen[qid]))
                report.add(
                    "duplicate-id",
                    f"id '{clip(qid)}' is already used by the question at line {first_line}",
                    (*where, "id"),
                    question=qid,
                )
            else:
                seen[qid] = index
        else:
            qid = None
        topic = raw.get("topic")
        if isinstance(topic, str) and topics is not None and topic not in topics:
            report.add(
                "unknown-topic",
                f"topic '{clip(topic)}' is not defined under topics{_did_you_mean(topic, topics)}",
                (*where, "topic"),
                question=qid,
            )
        refs = raw.get("refs")
        for ref_index, ref in enumerate(refs if isinstance(refs, list) else ()):
            if not isinstance(ref, str):
                continue
            cited.add(ref)
            if sources is not None and ref not in sources:
                report.add(
                    "unknown-source",
                    f"source '{clip(ref)}' is not defined under sources"
                    f"{_did_you_mean(ref, sources)}",
                    (*where, "refs", ref_index),
                    question=qid,
                )
        case = raw.get("case")
        if isinstance(case, str) and cases is not None and case not in cases:
            report.add(
                "unknown-case",
                f"case '{clip(case)}' is not defined under cases{_did_you_mean(case, cases)}",
                (*where, "case"),
                question=qid,
            )
    for key in sources or ():
        if key not in cited:
            report.add(
                "unused-source",
                f"source '{clip(key)}' is never cited by a question",
                ("sources", key),
                key=True,
                severity=Severity.WARNING,
            )


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    return f"a {type(value).__name__}"
