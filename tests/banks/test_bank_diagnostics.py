"""Every diagnostic code has a broken bank under tests/fixtures/banks/broken/ that produces it.

Each fixture is named after its code, is broken in exactly one way, and gives exactly one
diagnostic, at an exact line and column, naming the question where there is one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bank_helpers import BROKEN, REPO, brief, load_text

from quiz.banks.diagnostics import CODES, WARNING_CODES, Severity
from quiz.banks.loader import find_bank_files, load_bank_file, load_library

# code: (line, column, question id or None). Line 0 means the file as a whole.
EXPECTED: dict[str, tuple[int, int, str | None]] = {
    "file-unreadable": (0, 0, None),
    "file-too-large": (0, 0, None),
    "encoding": (4, 11, None),
    "empty-file": (0, 0, None),
    "yaml-syntax": (14, 13, None),
    "multiple-documents": (20, 1, None),
    "too-deep": (4, 1007, None),
    "alias-bomb": (6, 4, None),
    "forbidden-tag": (14, 11, "q1"),
    "not-mapping": (2, 1, None),
    "duplicate-key": (14, 5, "q1"),
    "control-character": (14, 31, "q1"),
    "zero-width-id": (10, 10, "q\u200b1"),
    "unsupported-format": (2, 9, None),
    "unknown-field": (14, 5, "q1"),
    "missing-field": (10, 5, "q1"),
    "wrong-type": (15, 13, "q1"),
    "invalid-value": (19, 23, "q1"),
    "invalid-id": (10, 9, "Q 1"),
    "unknown-type": (11, 11, "q1"),
    "difficulty-range": (13, 17, "q1"),
    "duplicate-id": (20, 9, "q1"),
    "duplicate-bank-id": (3, 5, None),
    "unknown-topic": (12, 12, "q1"),
    "unknown-source": (19, 19, "q1"),
    "unknown-case": (14, 11, "q1"),
    "missing-refs": (19, 11, "q1"),
    "correct-count": (16, 7, "c5-key"),
    "choice-count": (16, 7, "c5-key"),
    "duplicate-option": (23, 9, "c5-key"),
    "too-few-pairs": (16, 7, "match-one"),
    "too-few-items": (15, 12, "order-one"),
    "no-answers": (10, 5, "short-none"),
    "bad-pattern": (16, 16, "short-pattern"),
    "missing-why": (19, 9, "c5-key"),
    "empty-explanation": (10, 5, "q1"),
    "unused-source": (8, 3, None),
    "zero-width-text": (18, 32, "q1"),
}

WARNINGS = WARNING_CODES


def fixture_path(code: str) -> Path:
    """The fixture for ``code``: a file, or (for codes that span banks) a folder."""
    folder = BROKEN / code
    return folder if folder.is_dir() and not folder.suffix else BROKEN / f"{code}.yaml"


def test_every_code_has_an_expectation_and_a_fixture() -> None:
    assert set(EXPECTED) == set(CODES)
    for code in CODES:
        assert fixture_path(code).exists(), f"no fixture for {code}"
    fixtures = {path.name.removesuffix(".yaml") for path in BROKEN.iterdir()}
    assert fixtures == set(CODES), "a fixture that is not named after a code"


def test_every_code_is_documented_in_the_authoring_guide() -> None:
    guide = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#### `([a-z-]+)`", guide, re.MULTILINE))
    assert headings == set(CODES), "docs/authoring.md needs one '#### `code`' section per code"


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_fixture_gives_exactly_its_diagnostic(code: str, request: pytest.FixtureRequest) -> None:
    if code == "file-too-large":
        request.getfixturevalue("small_size_cap")  # the fixture is small; lower the cap under it
    path = fixture_path(code)
    if path.is_dir() and not path.suffix:
        library = load_library(find_bank_files([path]))
        diagnostics = library.diagnostics
        assert len(library.banks) == 1, "the first of the twins still loads"
    else:
        loaded = load_bank_file(path)
        diagnostics = loaded.diagnostics
        assert loaded.ok is (code in WARNINGS)
    line, column, question = EXPECTED[code]
    assert brief(diagnostics) == [(code, line, column, question)], [d.format() for d in diagnostics]
    expected_severity = Severity.WARNING if code in WARNINGS else Severity.ERROR
    assert diagnostics[0].severity is expected_severity
    assert diagnostics[0].message


def test_diagnostic_format_is_path_line_col_severity_code_message_question() -> None:
    diagnostic = load_bank_file(fixture_path("unknown-topic")).diagnostics[0]
    assert diagnostic.format() == (
        f"{fixture_path('unknown-topic')}:12:12: error[unknown-topic]: topic 'myotome' is not "
        "defined under topics (did you mean 'myotomes'?) (question 'q1')"
    )
    without_question = load_bank_file(fixture_path("unused-source")).diagnostics[0]
    pattern = r".+:8:3: warning\[unused-source\]: .+'who1999'.+"
    assert re.fullmatch(pattern, without_question.format())
    assert "(question" not in without_question.format()


def test_did_you_mean_for_a_misspelt_field(tmp_path: Path) -> None:
    text = (BROKEN / "unknown-field.yaml").read_text().replace("tag: [deltoid]", "explaination: x")
    message = load_text(tmp_path, text).diagnostics[0].message
    assert "unknown field 'explaination'" in message and "did you mean 'explanation'?" in message


SEVERAL_BROKEN = """\
format: 1
id: several
title: Several broken questions
topics:
  myotomes: Myotomes
sources:
  moore: Moore KL. Clinically Oriented Anatomy.
questions:
  - id: fine
    type: true_false
    topic: myotomes
    difficulty: 1
    prompt: A fine question.
    answer: true
    why_true: Yes.
    why_false: No.
    explanation: It is fine.
    refs: [moore]
  - id: two-correct
    type: single
    topic: myotomes
    difficulty: 1
    prompt: Pick one.
    choices:
      - {text: A, correct: true, why: a}
      - {text: B, correct: true, why: b}
    explanation: x
    refs: [moore]
  - id: bad-topic
    type: true_false
    topic: myotome
    difficulty: 1
    prompt: P.
    answer: false
    why_true: a
    why_false: b
    explanation: x
    refs: [moore]
  - id: too-hard
    type: ordering
    topic: myotomes
    difficulty: 5
    prompt: Order them.
    items: [a, b]
    explanation: x
    refs: [moore]
  - id: typo
    type: short
    topic: myotomes
    difficulty: 1
    prompt: Which root?
    answers: [C7]
    tag: [roots]
    explanation: x
    refs: [moore]
  - not a question
  - id: no-pairs
    type: matching
    topic: myotomes
    difficulty: 1
    prompt: Match.
    pairs: [[a, b]]
    explanation: x
    refs: [moore]
  - id: fine
    type: true_false
    topic: myotomes
    difficulty: 1
    prompt: Same id as the first.
    answer: true
    why_true: Yes.
    why_false: No.
    explanation: x
    refs: [moore]
"""


def test_several_broken_questions_give_one_diagnostic_each_in_one_run(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, SEVERAL_BROKEN)
    # The bank loads with its one valid question; the others are listed with their errors.
    assert loaded.bank is not None and [q.id for q in loaded.bank.questions] == ["fine"]
    assert [(q.index, q.id, q.line) for q in loaded.skipped_questions] == [
        (1, "two-correct", 19),
        (2, "bad-topic", 29),
        (3, "too-hard", 39),
        (4, "typo", 47),
        (5, None, 56),
        (6, "no-pairs", 57),
        (7, "fine", 65),
    ]
    assert brief(loaded.diagnostics) == [
        ("correct-count", 25, 7, "two-correct"),
        ("unknown-topic", 31, 12, "bad-topic"),
        ("difficulty-range", 42, 17, "too-hard"),
        ("unknown-field", 53, 5, "typo"),
        ("not-mapping", 56, 5, None),
        ("too-few-pairs", 62, 12, "no-pairs"),
        ("duplicate-id", 65, 9, "fine"),
    ], [d.format() for d in loaded.diagnostics]
