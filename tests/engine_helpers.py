"""Banks, libraries and clocks shared by the engine, store and service tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import msgspec
import yaml

from quiz.banks.loader import Library, load_library
from quiz.domain.grading import (
    ChoiceResponse,
    MatchingResponse,
    OrderingResponse,
    Response,
    TextResponse,
    TrueFalseResponse,
    key_response,
)
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

BANK_YAML = """\
format: 1
id: ims-test
title: IMS test bank
topics:
  myotomes: Myotomes
  safety: Needling safety
  model: The neuropathic model
sources:
  gunn: Gunn CC. The Gunn Approach to the Treatment of Chronic Pain. 1996.
cases:
  desk-worker:
    title: A desk worker
    vignette: A 45-year-old office worker has lateral elbow pain.
  runner:
    title: A runner
    vignette: A 30-year-old runner has anterior knee pain.
questions:
  - id: c5-myotome
    type: single
    topic: myotomes
    difficulty: 1
    anatomy: {roots: [C5]}
    prompt: Key movement of C5?
    choices:
      - {text: Shoulder abduction, correct: true, why: Deltoid.}
      - {text: Finger abduction, why: T1.}
      - {text: Elbow extension, why: C7.}
      - {text: Wrist extension, why: C6.}
    refs: [gunn]
    explanation: Deltoid.
  - id: clean-technique
    type: multiple
    topic: safety
    difficulty: 1
    prompt: Clean needle technique?
    choices:
      - {text: Single use, correct: true, why: a}
      - {text: Sharps container, correct: true, why: b}
      - {text: Recap the needle, unsafe: true, why: c}
      - {text: Reuse after wiping, unsafe: true, why: d}
    refs: [gunn]
    explanation: x
  - id: multi-roots
    type: true_false
    topic: myotomes
    difficulty: 1
    prompt: Most limb muscles take more than one root.
    answer: true
    refs: [gunn]
    explanation: x
  - id: myotome-match
    type: matching
    topic: myotomes
    difficulty: 2
    anatomy: {roots: [C5, C7, T1]}
    prompt: Match root to movement.
    pairs:
      - [C5, Shoulder abduction]
      - [C7, Elbow extension]
      - [T1, Finger abduction]
    distractors: [Hip adduction]
    refs: [gunn]
    explanation: x
  - id: end-order
    type: ordering
    topic: safety
    difficulty: 2
    prompt: Order the end of a procedure.
    items: [Withdraw, Dispose, Record, Wash hands]
    refs: [gunn]
    explanation: x
  - id: elbow-root
    type: short
    topic: myotomes
    difficulty: 2
    case: desk-worker
    anatomy: {roots: [C7]}
    prompt: Key root for elbow extension?
    answers: [C7]
    patterns: ['c\\s*7 root']
    refs: [gunn]
    explanation: x
  - id: desk-segment
    type: single
    topic: model
    difficulty: 3
    case: desk-worker
    anatomy: {roots: [C5, C6]}
    prompt: Which segment to examine first?
    choices:
      - {text: C5-C6, correct: true, why: a}
      - {text: L4-L5, why: b}
    refs: [gunn]
    explanation: x
  - id: desk-paraspinal
    type: true_false
    topic: model
    difficulty: 2
    case: desk-worker
    prompt: Needle the paraspinal muscles at the segment.
    answer: true
    refs: [gunn]
    explanation: x
  - id: knee-root
    type: single
    topic: model
    difficulty: 2
    case: runner
    anatomy: {roots: [L3, L4]}
    shuffle: false
    prompt: Which roots supply the quadriceps?
    choices:
      - {text: L2-L4, correct: true, why: a}
      - {text: S1-S2, why: b}
      - {text: None of the above, why: c}
    refs: [gunn]
    explanation: x
  - id: knee-apex
    type: single
    topic: safety
    difficulty: 2
    case: runner
    prompt: Where is pneumothorax a risk?
    choices:
      - {text: Over the lung apex, correct: true, why: a}
      - {text: Over the patella, why: b}
    refs: [gunn]
    explanation: x
  - id: supersensitivity
    type: single
    topic: model
    difficulty: 1
    tags: [theory]
    prompt: Cannon's law describes?
    choices:
      - {text: Denervation supersensitivity, correct: true, why: a}
      - {text: Referred pain, why: b}
    refs: [gunn]
    explanation: x
  - id: spondylosis
    type: true_false
    topic: model
    difficulty: 1
    tags: [theory]
    prompt: Spondylosis can cause neuropathy.
    answer: true
    refs: [gunn]
    explanation: x
"""

T0 = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
"""A Monday noon, UTC: the tests' "now"."""


def bank_from_yaml(text: str = BANK_YAML) -> Bank:
    """A bank straight from YAML text (no loader diagnostics)."""
    return msgspec.convert(yaml.safe_load(text), Bank)


def write_bank(folder: Path, text: str = BANK_YAML, name: str = "ims-test.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def library_in(folder: Path, text: str = BANK_YAML) -> Library:
    """A library of the test bank, loaded from ``folder`` through the real loader."""
    library = load_library([write_bank(folder, text)])
    assert library.banks, library.diagnostics
    return library


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def right(question: Question) -> Response:
    """A fully right response to ``question`` (the key's)."""
    response = key_response(question)
    assert response is not None, question
    return response


def wrong(question: Question) -> Response:
    """A response to ``question`` that scores 0."""
    match question:
        case SingleChoice() | MultipleChoice():
            return ChoiceResponse(
                frozenset(i for i, c in enumerate(question.choices) if not c.correct)
            )
        case TrueFalse():
            return TrueFalseResponse(not question.answer)
        case Matching():
            return MatchingResponse((None,) * len(question.pairs))
        case Ordering():
            return OrderingResponse(tuple(reversed(range(len(question.items)))))
        case ShortAnswer():
            return TextResponse("no idea")
    raise AssertionError(question)
