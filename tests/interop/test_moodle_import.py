"""Moodle XML written by hand from Moodle's documentation: types, categories and warnings."""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.model import Matching, MultipleChoice, ShortAnswer, SingleChoice, TrueFalse
from quiz.interop import ImportResult
from quiz.interop.common import PLACEHOLDER_SOURCE, PLACEHOLDER_TODO, UNSET_DIFFICULTY_TAG
from quiz.interop.htmltext import html_to_markdown
from quiz.interop.moodle_read import import_moodle_xml

FIXTURE = Path(__file__).parent / "fixtures" / "moodle_by_hand.xml"


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_moodle_xml(FIXTURE.read_bytes(), str(FIXTURE))


def _codes(result: ImportResult, question: str) -> set[str]:
    return {w.code for w in result.warnings if w.question == question}


def test_types_ids_and_order(result: ImportResult) -> None:
    kinds = [(q.id, type(q)) for q in result.bank.questions]
    assert kinds == [
        ("delt-1", SingleChoice),
        ("rotator-cuff", MultipleChoice),
        ("lateral-epicondyle", TrueFalse),
        ("nerve-to-biceps", ShortAnswer),
        ("roots-and-muscles", Matching),
    ]


def test_skipped_types_are_counted(result: ImportResult) -> None:
    assert result.skipped == {"essay": 1, "numerical": 1, "description": 1, "cloze": 1}
    skipped = [w for w in result.warnings if w.code == "skipped-type"]
    assert {w.question for w in skipped} == {
        "Describe IMS",
        "How many roots",
        "Section intro",
        "Cloze",
    }


def test_nested_categories_become_topics_under_the_bank_title(result: ImportResult) -> None:
    bank = result.bank
    assert bank.title == "Upper limb"
    assert list(bank.topics) == ["shoulder", "elbow"]
    assert bank.topic("shoulder").description == "Rotator cuff and deltoid."
    assert [q.topic for q in bank.questions] == ["shoulder", "shoulder", "elbow", "elbow", "elbow"]


def test_html_becomes_markdown_and_files_are_dropped(result: ImportResult) -> None:
    first = result.bank.questions[0]
    assert first.prompt == "Which root mainly supplies the **deltoid**?"
    assert first.explanation == "The axillary nerve (C5, C6)."
    codes = _codes(result, "Deltoid supply")
    assert {"html-converted", "file-dropped", "hint-dropped", "combined-feedback-dropped"} <= codes


def test_partial_credit_single_keeps_the_full_mark_answer(result: ImportResult) -> None:
    first = result.bank.questions[0]
    assert isinstance(first, SingleChoice)
    assert [c.correct for c in first.choices] == [True, False, False]
    assert first.choices[1].why == "Partly."
    assert first.choices[2].why is None
    assert "partial-credit-dropped" in _codes(result, "Deltoid supply")


def test_multiple_right_answers_and_shuffle(result: ImportResult) -> None:
    cuff = result.bank.questions[1]
    assert isinstance(cuff, MultipleChoice)
    assert [c.correct for c in cuff.choices] == [True, True, False]
    assert cuff.shuffle is False


def test_true_false_feedback(result: ImportResult) -> None:
    statement = result.bank.questions[2]
    assert isinstance(statement, TrueFalse)
    assert statement.answer is True
    assert statement.why_true == "Right: the common extensor origin."
    assert statement.why_false == "They do."


def test_shortanswer_wildcards_and_partial_answers(result: ImportResult) -> None:
    short = result.bank.questions[3]
    assert isinstance(short, ShortAnswer)
    assert short.answers == ["musculocutaneous"]
    assert short.patterns == ["musculocutaneous\\ n.*"]
    codes = _codes(result, "Nerve to biceps")
    assert {"wildcard-pattern", "partial-credit-dropped"} <= codes


def test_matching_with_a_distractor(result: ImportResult) -> None:
    matching = result.bank.questions[4]
    assert isinstance(matching, Matching)
    assert matching.pairs == [("Deltoid", "C5"), ("Triceps", "C7")]
    assert matching.distractors == ["L4"]


def test_placeholders_for_what_moodle_lacks(result: ImportResult) -> None:
    bank = result.bank
    assert all(q.refs == [PLACEHOLDER_SOURCE] for q in bank.questions)
    assert all(UNSET_DIFFICULTY_TAG in q.tags for q in bank.questions)
    assert PLACEHOLDER_TODO in bank.sources and result.placeholders


def test_every_warning_names_its_question_and_line(result: ImportResult) -> None:
    lines = FIXTURE.read_text().splitlines()
    for warning in result.warnings:
        assert warning.question, warning
        assert warning.line >= 1, warning
        assert warning.format().startswith(f"{FIXTURE}:{warning.line}: warning[")
        assert lines[warning.line - 1].strip(), warning


def test_html_lists_and_entities() -> None:
    text, converted, images = html_to_markdown(
        "<p>Roots:</p><ul><li>C5</li><li>C6 &amp; C7</li></ul><ol><li>first</li></ol>"
    )
    assert converted and images == 0
    assert text == "Roots:\n\n- C5\n- C6 & C7\n\n1. first"
    assert html_to_markdown("A &lt; B") == ("A < B", False, 0)
