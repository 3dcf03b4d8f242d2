"""Fuzzing the loader: whatever the file holds, the answer is a bank or located errors, never an
exception."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from bank_helpers import VALID_BANK
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.banks.diagnostics import CODES, Severity
from quiz.banks.loader import LoadedBank, load_bank_file
from quiz.banks.scaffold import scaffold
from quiz.banks.yamlread import parse
from quiz.domain.model import Bank
from quiz.domain.text import FORBIDDEN, visible

FUZZ = settings(
    # IMS_QUIZ_FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the suite fast.
    max_examples=int(os.environ.get("IMS_QUIZ_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FILE_LEVEL = {"file-unreadable", "file-too-large", "empty-file"}
"""The only codes that may point at the whole file (line 0) rather than a place in it."""


@pytest.fixture(scope="module")
def bank_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One file, rewritten by each example."""
    yield tmp_path_factory.mktemp("fuzz") / "fuzz.yaml"


def check(path: Path, content: bytes) -> LoadedBank:
    """Load ``content`` and check what every load must satisfy."""
    path.write_bytes(content)
    loaded = load_bank_file(path)  # must not raise
    errors = [d for d in loaded.diagnostics if d.severity is Severity.ERROR]
    if loaded.ok:
        assert isinstance(loaded.bank, Bank)
        assert not errors
    elif loaded.bank is not None:
        # Loaded without some questions: every error is one of theirs, and what is kept is sound.
        assert loaded.skipped_questions, "errors but nothing skipped"
        theirs = [d for skipped in loaded.skipped_questions for d in skipped.errors]
        assert sorted(theirs, key=str) == sorted(errors, key=str)
        assert loaded.bank.questions, "a bank with every question skipped is itself skipped"
        kept = {question.id for question in loaded.bank.questions}
        assert len(kept) == len(loaded.bank.questions)
        # No question vanishes without a word: each is kept or listed as skipped.
        raw = parse(content).data["questions"]
        assert len(loaded.bank.questions) + len(loaded.skipped_questions) == len(raw)
    else:
        assert errors, "refused without saying why"
    for diagnostic in loaded.diagnostics:
        assert diagnostic.code in CODES
        assert diagnostic.message
        assert FORBIDDEN.search(diagnostic.format()) is None, diagnostic
        assert diagnostic.line >= 1 or diagnostic.code in FILE_LEVEL, diagnostic
        assert diagnostic.format().startswith(f"{visible(str(path))}")
    return loaded


@FUZZ
@given(st.text())
def test_random_text(bank_file: Path, text: str) -> None:
    check(bank_file, text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary())
def test_random_bytes(bank_file: Path, raw: bytes) -> None:
    check(bank_file, raw)


YAML_TOKENS = [
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ", ",
    "&a ",
    "*a ",
    "&b ",
    "*b ",
    "!!python/object ",
    "!!int ",
    "!!str ",
    "!x ",
    "<<: ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "# c\n",
    "\n",
    "  ",
    "\t",
    "---\n",
    "...\n",
    "%YAML 1.1\n",
    "format",
    "id",
    "questions",
    "type",
    "single",
    "1",
    "yes",
    "1:2",
    "~",
    "\\",
    "\ufeff",
    "\r\n",
    "é",
]


@FUZZ
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join))
def test_random_yaml_like_text(bank_file: Path, text: str) -> None:
    check(bank_file, text.encode("utf-8"))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=20),
    st.sampled_from(["single", "multiple", "true_false", "matching", "ordering", "short", "q1"]),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(
            st.one_of(
                st.text(max_size=10),
                st.sampled_from(
                    [
                        "format",
                        "id",
                        "title",
                        "topics",
                        "sources",
                        "questions",
                        "type",
                        "choices",
                        "text",
                        "correct",
                        "refs",
                        "topic",
                    ]
                ),
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=30,
)


@FUZZ
@given(structures)
def test_random_structures(bank_file: Path, data: Any) -> None:
    check(bank_file, yaml.safe_dump(data, allow_unicode=True).encode("utf-8"))


@FUZZ
@given(
    st.dictionaries(
        st.sampled_from(
            [
                "id",
                "title",
                "topics",
                "sources",
                "questions",
                "cases",
                "reviewed",
                "authors",
                "version",
            ]
        ),
        structures,
        max_size=4,
    )
)
def test_random_structures_under_a_valid_format(bank_file: Path, data: dict[str, Any]) -> None:
    check(bank_file, yaml.safe_dump({"format": 1, **data}).encode("utf-8"))


BASES = [yaml.safe_load(VALID_BANK), yaml.safe_load(scaffold(Path("fuzz.yaml")))]


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*prefix, index))
    return found


@st.composite
def mutated_banks(draw: st.DrawFn) -> Any:
    """A valid bank with one to three places replaced by random values, or deleted."""
    bank = copy.deepcopy(draw(st.sampled_from(BASES)))
    for _ in range(draw(st.integers(1, 3))):
        paths = [path for path in _paths(bank) if path]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = bank
        for step in path[:-1]:
            parent = parent[step]
        if draw(st.booleans()):
            parent[path[-1]] = draw(structures)
        else:
            del parent[path[-1]]
    return bank


@FUZZ
@given(mutated_banks())
def test_mutated_valid_banks(bank_file: Path, bank: Any) -> None:
    loaded = check(bank_file, yaml.safe_dump(bank, allow_unicode=True).encode("utf-8"))
    for diagnostic in loaded.diagnostics:
        # inside questions, a diagnostic names its question whenever the question has an id
        if diagnostic.question is not None:
            assert isinstance(diagnostic.question, str)


def test_the_bases_are_valid(bank_file: Path) -> None:
    for base in BASES:
        loaded = check(bank_file, yaml.safe_dump(base).encode("utf-8"))
        assert loaded.ok and not loaded.diagnostics, loaded.diagnostics
