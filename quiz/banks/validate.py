"""Turning parsed YAML into a :class:`~quiz.domain.model.Bank`, with every problem located.

Validation works question by question, so one run reports every broken question, not just the
first: the bank header and each question are checked for shape (unknown and missing keys, with
a did-you-mean), converted with msgspec (types and single-field constraints from the model), and
then checked for the rules that span fields (answer keys, references, duplicates).

This module holds the driver: the bank's header, each question's type, and which questions are
skipped. The checks live beside it: :mod:`quiz.banks.shapecheck` (unknown and missing keys),
:mod:`quiz.banks.convert` (types and single-field constraints), :mod:`quiz.banks.rules` (the
rules that span fields), all reporting to a :class:`~quiz.banks.report.Report`.
"""

from __future__ import annotations

import bisect
from typing import Any, Final

import msgspec
from yaml.nodes import SequenceNode

from quiz.banks.convert import report_all, report_validation_error
from quiz.banks.diagnostics import WARNING_CODES, Diagnostic, Severity, SkippedQuestion, clip
from quiz.banks.report import Report
from quiz.banks.rules import check_answer_key, check_references
from quiz.banks.shapecheck import check_shape, did_you_mean, report_unknown_key, unknown_field
from quiz.banks.yamlread import ParsedYaml, Path
from quiz.domain.model import FORMAT_VERSION, QUESTION_CLASSES, Bank, Question
from quiz.domain.text import visible


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
    report = Report(path, parsed)
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
    report: Report, raw: list[Any], indexed: list[tuple[int, Question]]
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


def _validate(report: Report, data: Any) -> tuple[Bank | None, list[tuple[int, Question]]]:
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
        check_references(report, data, raw_questions)
        _never_drop_silently(report, raw_questions, indexed)
    return header, indexed


def _header_fields() -> dict[str, Any]:
    return {f.name: f.type for f in msgspec.structs.fields(Bank) if f.name != "questions"}


def _convert_header(report: Report, data: dict[str, Any]) -> Bank | None:
    header_types = _header_fields()
    known = {**header_types, "questions": None}
    ok = True
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            message = f"top level: {unknown_field(key, known)}"
            report.add("unknown-field", message, (key,), key=True)
            ok = False
            continue
        if key == "questions":
            if not isinstance(value, list):
                report.add("wrong-type", f"questions must be a list, not {_kind(value)}", (key,))
                ok = False
            continue
        annotation = header_types[key]
        value = check_shape(report, value, annotation, (key,), None)
        if report_all(report, value, annotation, (key,), None):
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


def _convert_questions(report: Report, raw_questions: list[Any]) -> list[tuple[int, Question]]:
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
                    f"'{clip(kind)}'{did_you_mean(kind, QUESTION_CLASSES)}"
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
                    report_unknown_key(report, key, _QUESTION_KEYS, (*where, key), question_id)
            continue
        reported, silenced = len(report.items), report.silenced
        cleaned = check_shape(report, raw, QUESTION_CLASSES[kind], where, question_id)
        try:
            question = msgspec.convert(cleaned, Question, str_keys=True)
        except msgspec.ValidationError as error:
            report_all(report, cleaned, QUESTION_CLASSES[kind], where, question_id)
            if len(report.items) == reported and report.silenced == silenced:
                # Never drop a question silently: report the error as msgspec words it.
                report_validation_error(report, str(error), where, question_id)
        else:
            check_answer_key(report, question, where)
            questions.append((index, question))
    return questions


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
