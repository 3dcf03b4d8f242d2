"""The shipped banks meet CONTENT.md's blueprint and leave a test-wise guess no shortcut.

The figures come from tests/banks/content_balance.py, which an author can run on a bank
(``python -m tests.banks.content_balance FILE``) before this test holds the bank to them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.domain.model import Bank
from tests.banks.content_balance import SHIPPED, balance, load

# bank id: (questions, cases) at least, as CONTENT.md's blueprint v2 sets them.
BLUEPRINT = {
    "ims-foundations": (120, 4),
    "point-selection": (150, 12),
    "ims-vs-tcm": (90, 3),
    "needling-safety": (90, 5),
    "clinical-cases": (80, 16),
}
TOTAL = 530
FILES = sorted(SHIPPED.glob("*.yaml"))
TAGS = {
    # body regions
    "neck", "shoulder", "elbow", "wrist-hand", "thoracic", "low-back", "hip", "knee", "ankle-foot",
    # themes across the banks
    "pneumothorax", "consent", "evidence", "red-flags",
}  # fmt: skip
"""The shipped banks' tags (the setup form's Tags list, ``--tag``): one vocabulary for all five,
so that a drill on ``shoulder`` or ``pneumothorax`` finds every bank's questions on it."""


def _banks() -> dict[str, Bank]:
    return {bank.id: bank for bank in map(load, FILES)}


def test_the_blueprint_banks_are_all_shipped_and_big_enough() -> None:
    banks = _banks()
    assert set(banks) == set(BLUEPRINT)
    for bank_id, (questions, cases) in BLUEPRINT.items():
        bank = banks[bank_id]
        assert len(bank.questions) >= questions, bank_id
        assert len(bank.cases) >= cases, bank_id
    assert sum(len(bank.questions) for bank in banks.values()) >= TOTAL


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_a_quarter_is_clinical_reasoning_and_every_bank_was_reviewed(path: Path) -> None:
    bank = load(path)
    hard = sum(question.difficulty == 3 for question in bank.questions) / len(bank.questions)
    assert hard >= (0.5 if bank.id == "clinical-cases" else 0.25), f"{hard:.0%} difficulty 3"
    assert bank.reviewed, "a second read by someone who did not write the bank"


def test_the_shipped_banks_tag_from_one_vocabulary_and_every_tag_spans_banks_or_is_used() -> None:
    used: dict[str, set[str]] = {}
    for bank in _banks().values():
        for question in bank.questions:
            assert set(question.tags) <= TAGS, f"{bank.id}/{question.id}: {question.tags}"
            assert len(question.tags) <= 3, f"{bank.id}/{question.id}"
            for tag in question.tags:
                used.setdefault(tag, set()).add(bank.id)
    assert set(used) == TAGS  # each tag in the vocabulary has questions to drill
    assert all(len(banks) >= 2 for banks in used.values()), used


def test_every_clinical_case_is_followed_through_in_four_to_six_questions() -> None:
    bank = _banks()["clinical-cases"]
    per_case = {case_id: 0 for case_id in bank.cases}
    for question in bank.questions:
        assert question.case in per_case, f"{question.id} belongs to no case"
        per_case[question.case] += 1
    assert all(4 <= count <= 6 for count in per_case.values()), per_case


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.stem)
def test_neither_option_length_nor_ticking_more_beats_knowledge(path: Path) -> None:
    assert balance(load(path)).problems() == []


def test_the_balance_measure_catches_a_bank_that_favours_the_short_key(tmp_path: Path) -> None:
    options = "\n".join(
        f"""      - text: {text}
        correct: {str(correct).lower()}
        why: Because."""
        for text, correct in (("Yes", True), ("A much longer option", False),
                              ("Another longer option", False), ("A third long option", False))
    )  # fmt: skip
    questions = "".join(
        f"""  - id: q{number}
    type: single
    topic: t
    difficulty: 1
    prompt: Which one?
    choices:
{options}
    explanation: The short one.
    refs: [s]
"""
        for number in range(3)
    )
    select_all = """  - id: all
    type: multiple
    topic: t
    difficulty: 1
    prompt: Which apply?
    choices:
      - {text: One, correct: true, why: Yes.}
      - {text: Two, correct: true, why: Yes.}
    explanation: Both.
    refs: [s]
"""
    path = tmp_path / "skewed.yaml"
    path.write_text(
        f"format: 1\nid: skewed\ntitle: Skewed\ntopics:\n  t: T\nsources:\n  s: A source.\n"
        f"questions:\n{questions}{select_all}",
        encoding="utf-8",
    )
    figures = balance(load(path))
    assert (figures.longest, figures.shortest, figures.correct_share) == (0.0, 1.0, 1.0)
    problems = figures.problems()
    assert len(problems) == 4, problems  # longest, shortest, select-all share, every option
    assert any("every option of all is correct" in problem for problem in problems)
