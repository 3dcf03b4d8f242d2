"""What Moodle XML and GIFT share: the grades, category paths and the texts the exporters write.

Both exporters put a case's vignette before the prompt and a references list after the
explanation (:func:`prompt_text`, :func:`general_feedback`); both importers take them off again,
exactly when the bank header came back (:func:`strip_exact`), or by reading the texts when it
did not (:func:`rebuild_from_texts`).
"""

from __future__ import annotations

import re
from typing import Final

import msgspec

from quiz.domain.model import Bank, Case, Question, Source
from quiz.interop.common import (
    PLACEHOLDER_DIFFICULTY,
    PLACEHOLDER_SOURCE,
    UNSET_DIFFICULTY_TAG,
    placeholder_sources,
)

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


def split_category(path: str) -> list[str]:
    parts = [part.replace("\0", "/") for part in path.replace("//", "\0").split("/")]
    parts = [part.strip() for part in parts if part.strip()]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]  # $course$, $system$, $module$, $cat1$...
    if parts and parts[0] == "top":
        parts = parts[1:]  # Moodle 3.5+ writes the context's top category
    return parts


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
