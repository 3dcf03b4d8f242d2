"""Bank -> Moodle XML -> bank is the identity on every field but ``patterns``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from quiz import paths
from quiz.banks.loader import load_bank_file
from quiz.domain.model import Bank
from quiz.interop.moodle_read import import_moodle_xml
from quiz.interop.moodle_texts import MOODLE_GRADES
from quiz.interop.moodle_write import export_moodle_xml
from quiz.interop.yamlwrite import bank_yaml
from tests.interop.strategies import banks, without_patterns

SHIPPED = sorted(paths.shipped_bank_dir().glob("*.yaml"))
ROUND_TRIPS = settings(
    max_examples=int(os.environ.get("IMS_QUIZ_FUZZ_EXAMPLES", "40")),
    deadline=None,
    # filter_too_much: distinct option texts and unique ids are drawn by rejection, and
    # Hypothesis's small early examples collide often; the examples that pass are what count.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.filter_too_much,
    ],
)


def _through_xml(bank: Bank) -> Bank:
    xml, _ = export_moodle_xml(bank)
    return import_moodle_xml(xml.encode("utf-8"), "bank.xml").bank


def _shipped(path: Path) -> Bank:
    loaded = load_bank_file(path)
    assert loaded.ok and loaded.bank is not None
    return loaded.bank


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_banks_round_trip(path: Path) -> None:
    bank = _shipped(path)
    assert _through_xml(bank) == without_patterns(bank)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_shipped_banks_survive_the_yaml_writer(path: Path, tmp_path: Path) -> None:
    bank = _shipped(path)
    written = tmp_path / "bank.yaml"
    written.write_text(bank_yaml(_through_xml(bank)), encoding="utf-8")
    loaded = load_bank_file(written)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    assert loaded.bank == without_patterns(bank)


@ROUND_TRIPS
@given(banks())
def test_generated_banks_round_trip(bank: Bank) -> None:
    assert _through_xml(bank) == without_patterns(bank)


@ROUND_TRIPS
@given(banks())
def test_generated_banks_read_back_from_the_written_yaml(tmp_path: Path, bank: Bank) -> None:
    written = tmp_path / "bank.yaml"
    written.write_text(bank_yaml(bank), encoding="utf-8")
    loaded = load_bank_file(written)
    assert loaded.ok, [d.format() for d in loaded.diagnostics]
    assert loaded.bank == bank


def test_patterns_are_reported_lost() -> None:
    bank = _shipped(paths.shipped_bank_dir() / "point-selection.yaml")
    _, warnings = export_moodle_xml(bank)
    with_patterns = {q.id for q in bank.questions if getattr(q, "patterns", None)}
    lost = {w.question for w in warnings if w.code == "patterns-lost"}
    assert lost == with_patterns


@pytest.mark.parametrize("path", SHIPPED, ids=lambda path: path.stem)
def test_every_fraction_is_a_grade_moodle_allows(path: Path) -> None:
    xml, _ = export_moodle_xml(_shipped(path))
    allowed = {round(grade * 100, 5) for grade in MOODLE_GRADES}
    for question in re.findall(r'<question type="multichoice">.*?</question>', xml, re.DOTALL):
        for fraction in re.findall(r'<answer fraction="([^"]+)"', question):
            assert round(abs(float(fraction)), 5) in allowed, fraction


def test_ordering_always_names_selecttype_all_and_selectcount() -> None:
    bank = _shipped(paths.shipped_bank_dir() / "point-selection.yaml")
    xml, _ = export_moodle_xml(bank)
    orderings = re.findall(r'<question type="ordering">.*?</question>', xml, re.DOTALL)
    assert orderings, "the shipped bank has ordering questions"
    for question in orderings:
        items = len(re.findall(r"<answer ", question))
        assert "<selecttype>ALL</selecttype>" in question
        assert f"<selectcount>{items}</selectcount>" in question


def test_through_moodle_without_the_header_the_questions_still_come_back() -> None:
    """Moodle keeps tags, idnumbers and texts but drops XML comments (our bank header)."""
    bank = _shipped(paths.shipped_bank_dir() / "needling-safety.yaml")
    xml, _ = export_moodle_xml(bank)
    stripped = re.sub(r"<!--.*?-->", "", xml, flags=re.DOTALL)
    back = import_moodle_xml(stripped.encode(), "moodle.xml").bank
    expected = without_patterns(bank)
    assert back.id == bank.id
    assert [q.id for q in back.questions] == [q.id for q in expected.questions]
    assert back.questions == expected.questions
    assert set(back.cases) == {q.case for q in bank.questions if q.case}
    for key in back.sources:
        assert bank.source(key).citation == back.source(key).citation


def test_bank_id_option_wins_over_the_header() -> None:
    bank = _shipped(paths.shipped_bank_dir() / "ims-vs-tcm.yaml")
    xml, _ = export_moodle_xml(bank)
    assert import_moodle_xml(xml.encode(), "x.xml", bank_id="tcm-copy").bank.id == "tcm-copy"


def test_a_reference_line_lost_in_moodle_becomes_a_marked_source() -> None:
    bank = _shipped(paths.shipped_bank_dir() / "needling-safety.yaml")
    xml, _ = export_moodle_xml(bank)
    stripped = re.sub(r"<!--.*?-->", "", xml, flags=re.DOTALL)
    stripped = stripped.replace("**References**", "References")  # edited in Moodle
    result = import_moodle_xml(stripped.encode(), "moodle.xml")
    lost = [key for key, value in result.bank.sources.items() if str(value).startswith("TODO")]
    assert lost and any("lost their citation" in item for item in result.placeholders)
