"""GIFT out and in: shipped banks travel, and a file written from the GIFT docs imports."""

from __future__ import annotations

import os
from pathlib import Path

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings

from quiz import paths
from quiz.banks.loader import load_bank_file
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
from quiz.interop import ImportResult
from quiz.interop.gift_read import import_gift
from quiz.interop.gift_write import escape, export_gift
from tests.interop.strategies import banks

FIXTURE = Path(__file__).parent / "fixtures" / "gift_by_hand.gift"
SHIPPED = sorted(paths.shipped_bank_dir().glob("*.yaml"))


def _trimmed(question: Question) -> Question:
    """What GIFT keeps of ``question``: Moodle trims texts, and patterns are lost."""

    def trim(value: object) -> object:
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, list | tuple):
            return type(value)(trim(item) for item in value)
        if isinstance(value, msgspec.Struct):
            return msgspec.structs.replace(
                value, **{f: trim(getattr(value, f)) for f in value.__struct_fields__}
            )
        return value

    if isinstance(question, ShortAnswer):
        question = msgspec.structs.replace(question, patterns=[])
    trimmed = trim(question)
    assert isinstance(trimmed, type(question))
    return trimmed


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_banks_come_back_from_gift(path: Path) -> None:
    bank = load_bank_file(path).bank
    assert isinstance(bank, Bank)
    text, _ = export_gift(bank)
    back = import_gift(text.encode(), "bank.gift")
    assert back.warnings == []
    assert [_trimmed(q) for q in back.bank.questions] == [_trimmed(q) for q in bank.questions]
    assert back.bank.sources == bank.sources and back.bank.topics == bank.topics


def test_escapes_round_trip() -> None:
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


def test_export_uses_gift_conventions() -> None:
    bank = load_bank_file(paths.shipped_bank_dir() / "point-selection.yaml").bank
    assert bank is not None
    text, warnings = export_gift(bank)
    assert "$CATEGORY: $course$/top/Point selection in IMS/" in text
    assert "// [id:" in text and "// [tag:ims:difficulty:" in text
    assert "{>" in text and " ALL VERTICAL " in text
    assert any(w.code == "patterns-lost" for w in warnings)
    assert "\nTRUE" in text or "\nFALSE" in text  # in capitals


@pytest.fixture(scope="module")
def result() -> ImportResult:
    return import_gift(FIXTURE.read_bytes(), str(FIXTURE))


def test_types_in_moodles_order(result: ImportResult) -> None:
    kinds = [(q.id, type(q)) for q in result.bank.questions]
    assert kinds == [
        ("c5-root", SingleChoice),
        ("escapes", TrueFalse),
        ("mid-gap", ShortAnswer),
        ("pairs", Matching),
        ("select-all", MultipleChoice),
        ("order", Ordering),
        ("weighted-short", ShortAnswer),
    ]
    assert result.skipped == {"essay": 1, "numerical": 1, "description": 1, "malformed": 1}


def test_details(result: ImportResult) -> None:
    first, tf, gap, pairs, select, order, short = result.bank.questions
    assert isinstance(first, SingleChoice)
    assert first.prompt == "Which root supplies the **deltoid**?"
    assert first.explanation == "The axillary nerve comes from C5 and C6."
    assert [c.correct for c in first.choices] == [True, False, False]
    assert first.choices[0].why == "Yes, with some C6."
    assert first.tags[0] == "shoulder" and first.topic == "cervical-roots"
    assert result.bank.title == "Neck"
    assert isinstance(tf, TrueFalse) and tf.answer is True
    assert tf.prompt == "What is 2 = 2 {really}?"
    assert (tf.why_true, tf.why_false) == ("Right.", "Think again.")
    assert (
        isinstance(gap, ShortAnswer) and gap.prompt == "The deltoid is supplied by the _____ nerve."
    )
    assert gap.answers == ["axillary", "axillary nerve"]
    assert isinstance(pairs, Matching) and pairs.distractors == ["S1"]
    assert isinstance(select, MultipleChoice)
    assert [c.correct for c in select.choices] == [True, True, False]
    assert select.prompt == "Select the **rotator cuff** muscles."
    assert isinstance(order, Ordering) and order.items == ["C5", "C6", "C7"]
    assert isinstance(short, ShortAnswer) and short.answers == ["musculocutaneous"]


def test_warnings_are_located(result: ImportResult) -> None:
    lines = FIXTURE.read_text().splitlines()
    by_code = {(w.code, w.question): w.line for w in result.warnings}
    assert lines[by_code[("gift-syntax", "Broken")] - 1].startswith("::Broken::")
    assert ("partial-credit-dropped", "C5 root") in by_code
    assert ("html-converted", "Select all") in by_code
    for warning in result.warnings:
        assert warning.line >= 1 and warning.question


def test_written_yaml_validates(result: ImportResult, tmp_path: Path) -> None:
    from quiz.interop.yamlwrite import bank_yaml

    written = tmp_path / "gift.yaml"
    written.write_text(bank_yaml(result.bank))
    loaded = load_bank_file(written)
    assert loaded.ok, [d.format() for d in loaded.errors]


def test_not_utf8_is_a_located_problem() -> None:
    from quiz.interop import ImportProblem

    with pytest.raises(ImportProblem) as caught:
        import_gift(b"::a::ok {T}\n\n::b::\xff {T}", "latin.gift")
    assert caught.value.line == 3


@settings(
    max_examples=int(os.environ.get("IMS_QUIZ_FUZZ_EXAMPLES", "40")),
    deadline=None,
    # filter_too_much: distinct option texts and unique ids are drawn by rejection (as in
    # test_moodle_roundtrip.py).
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(banks())
def test_generated_banks_come_back_from_gift_but_for_trimmed_text(bank: Bank) -> None:
    text, warnings = export_gift(bank)
    back = import_gift(text.encode(), "bank.gift").bank
    unsure = {w.question for w in warnings if w.code == "gift-ambiguous"}
    expected = [_trimmed(q) for q in bank.questions if q.id not in unsure]
    assert [_trimmed(q) for q in back.questions if q.id not in unsure] == expected
