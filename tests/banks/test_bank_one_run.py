"""Every mistake in one run, one bad question costing only itself, and bank text quoted inertly."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from bank_helpers import VALID_BANK, brief, load_text, write_bank
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.banks.cache import ParseCache
from quiz.banks.loader import find_bank_files, load_bank_file, load_library
from quiz.cli import main
from quiz.domain.text import FORBIDDEN, visible

SECOND = """\
  - id: second
    type: single
    topic: myotomes
    difficulty: 2
    prompt: Which root supplies the biceps reflex?
    choices:
      - {text: C5, correct: true, why: The biceps jerk is C5.}
      - {text: C7, why: That is the triceps jerk.}
    explanation: C5 to C6, mostly C5.
    refs: [moore]
"""


def with_questions(*questions: str) -> str:
    return VALID_BANK + "".join(questions)


# --- a type error does not hide the other checks ------------------------------------------------


def test_a_type_error_still_gets_its_reference_checks(tmp_path: Path) -> None:
    broken = (
        SECOND.replace("correct: true, why", "correct: maybe, why")
        .replace("topic: myotomes", "topic: myotome")
        .replace("difficulty: 2", "difficulty: 2\n    case: nobody")
        .replace("refs: [moore]", "refs: [moore, more]")
        .replace("id: second", "id: c5-key")
    )
    loaded = load_text(tmp_path, with_questions(broken))
    assert brief(loaded.diagnostics) == [
        ("duplicate-id", 32, 9, "c5-key"),
        ("unknown-topic", 34, 12, "c5-key"),
        ("unknown-case", 36, 11, "c5-key"),
        ("wrong-type", 39, 29, "c5-key"),
        ("unknown-source", 42, 19, "c5-key"),
    ], [d.format() for d in loaded.diagnostics]
    assert "did you mean 'myotomes'?" in loaded.diagnostics[1].message


def test_every_error_of_a_kind_in_a_question_is_reported(tmp_path: Path) -> None:
    choices = "".join(f"      - {{text: Option {n}, why: [{n}]}}\n" for n in range(8))
    question = SECOND.replace(
        "      - {text: C5, correct: true, why: The biceps jerk is C5.}\n"
        "      - {text: C7, why: That is the triceps jerk.}\n",
        "      - {text: C5, correct: true, why: The biceps jerk is C5.}\n" + choices[:-1] + "\n",
    )
    loaded = load_text(tmp_path, with_questions(question))
    wrong = [d for d in loaded.diagnostics if d.code == "wrong-type"]
    assert len(wrong) == 8, [d.format() for d in loaded.diagnostics]
    assert [d.line for d in wrong] == list(range(39, 47))
    assert all(d.question == "second" for d in wrong)


def test_too_many_choices_and_bad_items_are_both_reported(tmp_path: Path) -> None:
    choices = "".join(f"      - {{text: Option {n}, why: W{n}.}}\n" for n in range(8))
    question = SECOND.replace(
        "      - {text: C7, why: That is the triceps jerk.}\n",
        "      - {text: C7, why: That is the triceps jerk., unsafe: often}\n" + choices,
    )
    loaded = load_text(tmp_path, with_questions(question))
    assert [d.code for d in loaded.diagnostics] == ["choice-count", "wrong-type"]


def test_a_misspelt_type_key_is_named_besides_the_missing_type(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, with_questions(SECOND.replace("type: single", "tpye: single")))
    assert brief(loaded.diagnostics) == [
        ("missing-field", 32, 5, "second"),
        ("unknown-field", 33, 5, "second"),
    ]
    assert loaded.diagnostics[1].message == "unknown field 'tpye' (did you mean 'type'?)"


def test_a_comma_in_a_flow_mapping_gets_a_hint_to_quote(tmp_path: Path) -> None:
    question = SECOND.replace("why: That is the triceps jerk.", "why: Plantarflexors, S1.")
    loaded = load_text(tmp_path, with_questions(question))
    assert brief(loaded.diagnostics) == [("unknown-field", 39, 41, "second")]
    message = loaded.diagnostics[0].message
    assert message.startswith("unknown field 'S1.'")
    assert 'quote that text: why: "Plantarflexors, S1."' in message


def test_a_second_document_is_reported_at_its_marker(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, VALID_BANK + "\n# another bank\n--- # here\nformat: 1\n")
    assert brief(loaded.diagnostics) == [("multiple-documents", 34, 1, None)]


# --- one bad question costs only itself ----------------------------------------------------------


def test_a_bank_loads_without_its_broken_questions(tmp_path: Path) -> None:
    broken = SECOND.replace("topic: myotomes", "topic: myotome")
    loaded = load_text(tmp_path, with_questions(broken))
    assert loaded.bank is not None and not loaded.ok and loaded.usable
    assert [q.id for q in loaded.bank.questions] == ["c5-key", "many-roots"]
    (skipped,) = loaded.skipped_questions
    assert (skipped.index, skipped.id, skipped.line) == (2, "second", 32)
    assert [d.code for d in skipped.errors] == ["unknown-topic"]
    library = load_library([loaded.path])
    assert list(library.banks) == ["tiny"] and not library.skipped
    assert [(b.bank.id if b.bank else None, s.id) for b, s in library.skipped_questions] == [
        ("tiny", "second")
    ]


def test_validate_still_fails_for_a_skipped_question(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "bank.yaml", with_questions(SECOND.replace("C7", "C5")))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 1
    assert "error[duplicate-option]" in result.output
    assert result.output.strip().endswith("2 question(s): 1 error(s), 0 warning(s)")


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("title: A tiny bank", "title: A tiny bank\nlicence: CC-BY"), "unknown-field"),
        (("  moore: Moore KL", "  moore: [Moore KL"), "yaml-syntax"),
        (("id: tiny", "id: Tiny Bank"), "invalid-id"),
    ],
)
def test_an_error_outside_the_questions_costs_the_bank(
    tmp_path: Path, change: tuple[str, str], code: str
) -> None:
    loaded = load_text(tmp_path, VALID_BANK.replace(*change))
    assert loaded.bank is None and not loaded.skipped_questions
    assert code in [d.code for d in loaded.diagnostics]


def test_a_bank_whose_every_question_is_broken_is_skipped(tmp_path: Path) -> None:
    text = VALID_BANK.replace("topic: myotomes", "topic: nothing")
    loaded = load_text(tmp_path, text)
    assert loaded.bank is None
    assert [q.id for q in loaded.skipped_questions] == ["c5-key", "many-roots"]
    assert load_library([loaded.path]).skipped == [loaded]


def test_the_parse_cache_keeps_the_skipped_questions(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "bank.yaml", with_questions(SECOND.replace("C7", "C5")))
    cache = ParseCache(tmp_path / "cache")
    cold = load_bank_file(path, cache)
    warm = load_bank_file(path, cache)
    assert cold.skipped_questions and warm == cold
    assert warm.bank is not None and len(warm.bank.questions) == 2


# --- bank text in messages is quoted inertly ----------------------------------------------------


def test_messages_show_bank_text_with_escapes(tmp_path: Path) -> None:
    question = SECOND.replace("topic: myotomes", 'topic: "my\\e]0;x\\aotome\\u202e"')
    loaded = load_text(tmp_path, with_questions(question))
    codes = [d.code for d in loaded.diagnostics]
    assert codes.count("control-character") == 3 and "unknown-topic" in codes
    topic = next(d for d in loaded.diagnostics if d.code == "unknown-topic")
    assert "'my\\x1b]0;x\\x07otome\\u202e'" in topic.message
    for diagnostic in loaded.diagnostics:
        assert FORBIDDEN.search(diagnostic.format()) is None
        assert FORBIDDEN.search(diagnostic.message) is None


def test_file_names_are_shown_with_escapes_too(tmp_path: Path) -> None:
    path = tmp_path / "evil\x1b]0;x\x07.yaml"
    loaded = load_bank_file(path)
    assert FORBIDDEN.search(loaded.diagnostics[0].format()) is None
    assert "evil\\x1b]0;x\\x07.yaml" in loaded.diagnostics[0].format()


def test_a_missing_file_has_no_bogus_location(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such.yaml"
    result = CliRunner().invoke(main, ["validate", str(missing)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"{missing}: error[file-unreadable]: No such file or directory"
    )
    as_json = CliRunner().invoke(main, ["validate", "--format", "json", str(missing)])
    (diagnostic,) = json.loads(as_json.output)["diagnostics"]
    assert diagnostic["code"] == "file-unreadable" and diagnostic["path"] == str(missing)
    assert diagnostic["message"] == "No such file or directory"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores modes")
def test_an_unreadable_file_names_the_reason(tmp_path: Path) -> None:
    path = write_bank(tmp_path, "locked.yaml", VALID_BANK)
    path.chmod(0)
    try:
        library = load_library(find_bank_files([tmp_path]))
    finally:
        path.chmod(0o644)
    assert [(d.code, d.message) for d in library.diagnostics] == [
        ("file-unreadable", "Permission denied")
    ]


# --- any text in a text field: valid and inert, or a located diagnostic -------------------------


def _as_yaml_scalar(text: str, ascii_only: bool) -> str:
    # A JSON string is a YAML double-quoted scalar: escapes for some characters, raw others.
    return json.dumps(text, ensure_ascii=ascii_only)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    text=st.text(min_size=1, max_size=40),
    field=st.sampled_from(["prompt", "why", "text", "explanation", "title"]),
    ascii_only=st.booleans(),
)
def test_any_text_is_valid_and_inert_or_gets_a_located_diagnostic(
    tmp_path: Path, text: str, field: str, ascii_only: bool
) -> None:
    scalar = _as_yaml_scalar(text, ascii_only)
    target = {
        "prompt": "prompt: Which movement tests the C5 myotome?",
        "why": "why: That tests T1.",
        "text": "text: Finger abduction",
        "explanation": "explanation: C5 is shoulder abduction.",
        "title": "title: A tiny bank",
    }[field]
    key = target.split(":")[0]
    source = VALID_BANK.replace(target, f"{key}: {scalar}")
    path = write_bank(tmp_path, "bank.yaml", source.encode("utf-8", "surrogatepass"))
    loaded = load_bank_file(path)  # never raises
    for diagnostic in loaded.diagnostics:
        assert FORBIDDEN.search(diagnostic.format()) is None, diagnostic
    errors = loaded.errors
    if not errors:
        assert loaded.bank is not None
        values = [loaded.bank.title, *(q.prompt for q in loaded.bank.questions)]
        values += [q.explanation for q in loaded.bank.questions]
        choices = getattr(loaded.bank.questions[0], "choices", [])
        values += [c.text for c in choices] + [c.why or "" for c in choices]
        for value in values:
            assert FORBIDDEN.search(value) is None, value
            assert FORBIDDEN.search(visible(value)) is None
    else:
        assert all(d.line >= 1 for d in errors), [d.format() for d in errors]
        if FORBIDDEN.search(text):
            codes = {d.code for d in errors}
            assert codes & {"control-character", "yaml-syntax", "encoding"}, codes


# --- keys, line ends ---------------------------------------------------------------------------


def test_control_characters_in_keys(tmp_path: Path) -> None:
    text = VALID_BANK.replace("  myotomes: Myotomes", '  myotomes: Myotomes\n  "ok\\e[2J": Other')
    loaded = load_text(tmp_path, text)
    assert brief(loaded.diagnostics) == [("control-character", 6, 6, None)]
    assert loaded.bank is None  # the bank's own keys: the bank is skipped


def test_zero_width_characters_in_a_topic_key_and_its_uses(tmp_path: Path) -> None:
    text = VALID_BANK.replace("myotomes", "myo\u200btomes")
    loaded = load_text(tmp_path, text)
    assert [(d.code, d.line) for d in loaded.diagnostics] == [
        ("zero-width-id", 5),
        ("zero-width-id", 11),
        ("zero-width-id", 24),
    ]
    assert all(d.severity.value == "error" for d in loaded.diagnostics)


def test_old_mac_line_ends_are_line_ends(tmp_path: Path) -> None:
    text = VALID_BANK.replace("\n", "\r").replace("Which movement", "Which movement é")
    loaded = load_text(tmp_path, text)
    assert loaded.ok and not loaded.diagnostics, [d.format() for d in loaded.diagnostics]


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(text=st.text(min_size=1, max_size=20), ascii_only=st.booleans())
def test_any_key_or_id_is_valid_or_gets_a_located_diagnostic(
    tmp_path: Path, text: str, ascii_only: bool
) -> None:
    scalar = _as_yaml_scalar(text, ascii_only)
    source = VALID_BANK.replace("  myotomes: Myotomes", f"  {scalar}: Myotomes").replace(
        "id: many-roots", f"id: {scalar}"
    )
    path = write_bank(tmp_path, "bank.yaml", source.encode("utf-8", "surrogatepass"))
    loaded = load_bank_file(path)  # never raises
    for diagnostic in loaded.diagnostics:
        assert FORBIDDEN.search(diagnostic.format()) is None, diagnostic
        assert diagnostic.line >= 1, diagnostic.format()
    # A key nothing refers to, and an id that must match the id pattern: never quietly kept.
    assert loaded.errors or (loaded.bank is not None and text in loaded.bank.topics)
    if loaded.bank is not None:
        for key in loaded.bank.topics:
            assert FORBIDDEN.search(key) is None
        for question in loaded.bank.questions:
            assert FORBIDDEN.search(question.id) is None


RICH = """\
format: 1
id: rich
title: Rich
description: Every kind of text field.
version: "1"
authors: [Ann]
license: CC-BY-4.0
reviewed: [{by: Ann, "on": "2026-11-24"}]
topics:
  t: {title: Topic, description: About it.}
sources:
  s: {citation: A book., url: "https://example.org"}
cases:
  c: {title: A case, vignette: A patient.}
questions:
  - id: m
    type: matching
    topic: t
    case: c
    difficulty: 1
    prompt: Match.
    pairs: [[C5, Deltoid], [C7, Triceps]]
    distractors: [Soleus]
    tags: [roots]
    anatomy: {roots: [C5], muscles: [deltoid], regions: [shoulder]}
    explanation: Myotomes.
    refs: [s]
  - id: o
    type: ordering
    topic: t
    difficulty: 1
    prompt: Order.
    items: [C5, C6]
    explanation: Down.
    refs: [s]
  - id: a
    type: short
    topic: t
    difficulty: 1
    prompt: Root?
    answers: [C5]
    patterns: ['^c5$']
    explanation: C5.
    refs: [s]
"""

RICH_FIELDS = [
    "Every kind of text field.",
    "Ann]",
    "CC-BY-4.0",
    "About it.",
    "A book.",
    "A patient.",
    "Deltoid]",
    "Soleus]",
    "roots]",
    "deltoid]",
    "shoulder]",
    "Myotomes.",
    "C6]",
    "Root?",
    "C5]\n    patterns",
]


def test_the_rich_bank_is_valid(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, RICH)
    assert loaded.ok and not loaded.diagnostics, [d.format() for d in loaded.diagnostics]


@pytest.mark.parametrize("where", RICH_FIELDS)
def test_a_control_character_in_any_text_field_is_located(tmp_path: Path, where: str) -> None:
    assert RICH.count(where) == 1, where
    loaded = load_text(tmp_path, RICH.replace(where, "\x9b2J" + where, 1))
    line = RICH[: RICH.index(where)].count("\n") + 1
    assert [(d.code, d.line) for d in loaded.errors] == [("control-character", line)]
    assert "U+009B" in loaded.errors[0].message


def test_a_choice_without_text_is_reported_once(tmp_path: Path) -> None:
    question = SECOND.replace("{text: C7, why:", "{why:")
    loaded = load_text(tmp_path, with_questions(question))
    assert brief(loaded.diagnostics) == [("missing-field", 39, 9, "second")]
    assert loaded.diagnostics[0].message == "missing required field 'text'"


def test_an_error_in_the_bank_s_own_keys_does_not_hide_the_questions_mistakes(
    tmp_path: Path,
) -> None:
    text = VALID_BANK.replace("title: A tiny bank", "title: A tiny bank\nlicence: CC-BY")
    text = text.replace(
        "    topic: myotomes\n    difficulty: 1\n    prompt: Which",
        "    topic: myotome\n    difficulty: 1\n    prompt: Which",
    )
    loaded = load_text(tmp_path, text)
    assert [d.code for d in loaded.diagnostics] == ["unknown-field", "unknown-topic"]
    assert loaded.bank is None


def test_a_zero_width_character_in_a_root_is_a_warning_and_the_root_an_error(
    tmp_path: Path,
) -> None:
    text = RICH.replace("roots: [C5]", "roots: [C\u200b5]")
    loaded = load_text(tmp_path, text)
    assert [(d.code, d.severity.value) for d in loaded.diagnostics] == [
        ("invalid-value", "error"),
        ("zero-width-text", "warning"),
    ]
    assert [q.id for q in loaded.skipped_questions] == ["m"]


def test_no_question_is_ever_dropped_without_an_error(tmp_path: Path) -> None:
    # Whatever is wrong with a question, it is either kept or listed as skipped with an error.
    text = RICH.replace("id: o\n", "id: o\u200b\n")
    loaded = load_text(tmp_path, text)
    assert loaded.bank is not None
    kept = [q.id for q in loaded.bank.questions]
    skipped = [q for q in loaded.skipped_questions]
    assert kept == ["m", "a"] and [q.id for q in skipped] == ["o\u200b"]
    assert [d.code for d in skipped[0].errors] == ["zero-width-id"]


def test_control_characters_in_a_file_of_comments_are_each_reported(tmp_path: Path) -> None:
    loaded = load_text(tmp_path, "# one \x1b here\n# and \x07 here\n")
    assert brief(loaded.diagnostics) == [
        ("control-character", 1, 7, None),
        ("control-character", 2, 7, None),
    ]
