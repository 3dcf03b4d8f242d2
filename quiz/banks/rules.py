"""The rules of validation that span fields: answer keys and references.

Each converted question's answer key is checked as its type needs (correct counts, duplicate
options, missing whys, patterns), and every question's ids, topics, sources and cases are
checked against what the bank defines.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from quiz.banks.diagnostics import Severity, clip
from quiz.banks.report import Report
from quiz.banks.shapecheck import did_you_mean
from quiz.banks.yamlread import Path
from quiz.domain.grading import pattern_problem
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


def _normal(text: str) -> str:
    return " ".join(text.casefold().split())


def _duplicates(report: Report, texts: Iterable[tuple[str, Path]], what: str, qid: str) -> None:
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


def check_answer_key(report: Report, question: Question, where: Path) -> None:
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


def _check_choices(report: Report, question: SingleChoice | MultipleChoice, where: Path) -> None:
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


def check_references(report: Report, data: dict[str, Any], raw_questions: list[Any]) -> None:
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
                f"topic '{clip(topic)}' is not defined under topics{did_you_mean(topic, topics)}",
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
                    f"{did_you_mean(ref, sources)}",
                    (*where, "refs", ref_index),
                    question=qid,
                )
        case = raw.get("case")
        if isinstance(case, str) and cases is not None and case not in cases:
            report.add(
                "unknown-case",
                f"case '{clip(case)}' is not defined under cases{did_you_mean(case, cases)}",
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
