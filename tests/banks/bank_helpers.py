"""Helpers shared by the bank loader tests: a small valid bank and ways to load text."""

from __future__ import annotations

from pathlib import Path

from quiz.banks.diagnostics import Diagnostic, Severity
from quiz.banks.loader import LoadedBank, load_bank_file

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "banks"
BROKEN = FIXTURES / "broken"
REPO = Path(__file__).resolve().parents[2]

VALID_BANK = """\
format: 1
id: tiny
title: A tiny bank
topics:
  myotomes: Myotomes
sources:
  moore: Moore KL, Dalley AF, Agur AMR. Clinically Oriented Anatomy.
questions:
  - id: c5-key
    type: single
    topic: myotomes
    difficulty: 1
    prompt: Which movement tests the C5 myotome?
    choices:
      - text: Shoulder abduction
        correct: true
        why: Deltoid, the key C5 muscle.
      - text: Finger abduction
        why: That tests T1.
    explanation: C5 is shoulder abduction.
    refs: [moore]
  - id: many-roots
    type: true_false
    topic: myotomes
    difficulty: 1
    prompt: Most limb muscles receive fibres from more than one root.
    answer: true
    why_true: Most muscles take two or three roots.
    why_false: It is true.
    explanation: Multisegmental supply.
    refs: [moore]
"""
"""Two questions, no warnings. Line 9 is the first question's ``- id:``."""


def write_bank(folder: Path, name: str, content: str | bytes) -> Path:
    """Write ``content`` (text as UTF-8, bytes as they are) to ``folder/name``."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8", newline="")
    return path


def load_text(folder: Path, content: str | bytes, name: str = "bank.yaml") -> LoadedBank:
    """Load ``content`` as a bank file, without a cache."""
    return load_bank_file(write_bank(folder, name, content))


def brief(diagnostics: list[Diagnostic]) -> list[tuple[str, int, int, str | None]]:
    """``(code, line, column, question)`` of each diagnostic, for exact comparisons."""
    return [(d.code, d.line, d.column, d.question) for d in diagnostics]


def codes(loaded: LoadedBank) -> list[str]:
    """The codes of ``loaded``'s diagnostics, in order."""
    return [d.code for d in loaded.diagnostics]


def assert_refused(loaded: LoadedBank, code: str) -> Diagnostic:
    """``loaded`` is unusable and its first error has ``code``; returns that diagnostic."""
    assert loaded.bank is None and not loaded.ok, loaded
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    assert errors, loaded.diagnostics
    assert errors[0].code == code, [d.format() for d in loaded.diagnostics]
    return errors[0]
