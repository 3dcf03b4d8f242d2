"""Item analysis: facility, discrimination, distractors and flags from first tries."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import msgspec
import pytest
from click.testing import CliRunner

from quiz.cli import main
from quiz.domain.analysis import item_analysis
from quiz.domain.grading import ChoiceResponse, grade_response
from quiz.domain.model import Bank, SingleChoice, content_hash
from quiz.domain.session import Attempt, Mode
from tests.engine_helpers import bank_from_yaml, right, write_bank, wrong

BANK = bank_from_yaml()
START = datetime(2026, 11, 1, 9, tzinfo=UTC)


def attempt(bank: Bank, question_id: str, profile: str, response, minute: int = 0) -> Attempt:
    question = next(q for q in bank.questions if q.id == question_id)
    grade = grade_response(question, response)
    return Attempt(
        bank_id=bank.id,
        question_id=question_id,
        content_hash=content_hash(question),
        mode=Mode.PRACTICE,
        response=response,
        score=grade.score,
        correct=grade.correct,
        unsafe=grade.unsafe,
        unsafe_choices=(),
        seconds=10.0 + minute,
        answered_at=START + timedelta(minutes=minute),
        profile=profile,
    )


def question(question_id: str):
    return next(q for q in BANK.questions if q.id == question_id)


def by_key(results):
    return {item.key.split("/")[1]: item for item in results}


def test_only_first_tries_at_the_current_text_count() -> None:
    c5 = question("c5-myotome")
    older = msgspec.structs.replace(
        attempt(BANK, "c5-myotome", "ann", right(c5)), content_hash="0" * 16
    )
    attempts = [
        older,
        attempt(BANK, "c5-myotome", "ann", wrong(c5), 1),
        attempt(BANK, "c5-myotome", "ann", right(c5), 2),  # a retry after feedback
        attempt(BANK, "c5-myotome", "bob", right(c5), 3),
    ]
    item = by_key(item_analysis([BANK], attempts))["c5-myotome"]
    assert item.trainees == 2
    assert item.older_versions == 1
    assert item.facility == pytest.approx(0.5)


def test_discrimination_is_positive_when_stronger_trainees_get_it_right() -> None:
    questions = [q for q in BANK.questions if q.id != "c5-myotome"]
    attempts: list[Attempt] = []
    # Trainee i gets the first i other questions right; the strongest also get c5 right.
    for i in range(8):
        name = f"t{i}"
        for n, other in enumerate(questions):
            attempts.append(attempt(BANK, other.id, name, right(other) if n < i else wrong(other)))
        c5 = question("c5-myotome")
        attempts.append(attempt(BANK, "c5-myotome", name, right(c5) if i >= 4 else wrong(c5)))
    item = by_key(item_analysis([BANK], attempts))["c5-myotome"]
    assert item.discrimination is not None and item.discrimination > 0.5
    assert "negative discrimination: check the key" not in item.flags


def test_a_miskeyed_item_gets_negative_discrimination_and_a_flag() -> None:
    questions = [q for q in BANK.questions if q.id != "c5-myotome"]
    c5 = question("c5-myotome")
    attempts: list[Attempt] = []
    for i in range(8):
        name = f"t{i}"
        for n, other in enumerate(questions):
            attempts.append(attempt(BANK, other.id, name, right(other) if n < i else wrong(other)))
        # The weakest get it "right", the strongest pick the option that is really correct.
        attempts.append(attempt(BANK, "c5-myotome", name, right(c5) if i < 4 else wrong(c5)))
    item = by_key(item_analysis([BANK], attempts))["c5-myotome"]
    assert item.discrimination is not None and item.discrimination < 0
    assert "negative discrimination: check the key" in item.flags


def test_facility_flags_and_the_misleading_distractor() -> None:
    c5 = question("c5-myotome")
    assert isinstance(c5, SingleChoice)
    wrong_index = 1  # "Finger abduction"
    attempts = [
        attempt(BANK, "c5-myotome", f"t{i}", ChoiceResponse(frozenset({wrong_index})))
        for i in range(6)
    ] + [attempt(BANK, "c5-myotome", "t6", right(c5))]
    multi = question("multi-roots")
    attempts += [attempt(BANK, "multi-roots", f"t{i}", right(multi)) for i in range(6)]
    results = by_key(item_analysis([BANK], attempts))
    c5_stats = results["c5-myotome"]
    assert c5_stats.top_distractor == c5.choices[wrong_index].text
    assert c5_stats.top_distractor_share == pytest.approx(6 / 7)
    assert "misleading distractor" in c5_stats.flags
    assert "too hard" in c5_stats.flags
    assert "too easy" in results["multi-roots"].flags
    # Flagged items come first.
    ordered = item_analysis([BANK], attempts)
    assert ordered[0].flags and not ordered[-1].flags


def test_no_flags_below_the_minimum_number_of_trainees() -> None:
    c5 = question("c5-myotome")
    attempts = [attempt(BANK, "c5-myotome", "solo", wrong(c5))]
    item = by_key(item_analysis([BANK], attempts, min_trainees=5))["c5-myotome"]
    assert item.facility == 0.0
    assert item.flags == ()
    assert item.discrimination is None


def test_items_command_reports_every_question(tmp_path) -> None:
    folder = tmp_path / "banks"
    folder.mkdir()
    write_bank(folder)
    result = CliRunner().invoke(
        main, ["items", "--bank-dir", str(folder), "--bank", "ims-test", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {row["key"] for row in rows} == {f"ims-test/{q.id}" for q in BANK.questions}
    assert all(row["trainees"] == 0 for row in rows)
    bad = CliRunner().invoke(main, ["items", "--bank-dir", str(folder), "--bank", "nope"])
    assert bad.exit_code == 2
    assert "no bank nope" in bad.output


def test_items_alerts_filter_keeps_the_old_flagged_name_hidden(tmp_path) -> None:
    from click.testing import CliRunner

    from quiz.cli import main

    folder = tmp_path / "banks"
    write_bank(folder)
    args = ["items", "--bank-dir", str(folder), "--db", str(tmp_path / "p.sqlite3")]
    runner = CliRunner(env={"COLUMNS": "200"})
    everything = runner.invoke(main, args)
    assert everything.exit_code == 0 and "Key movement of C5?" in everything.output
    for name in ("--alerts", "--flagged"):
        result = runner.invoke(main, [*args, name])
        assert result.exit_code == 0 and "0 question(s)" in result.output
    assert "--alerts" in runner.invoke(main, ["items", "--help"]).output
    assert "--flagged" not in runner.invoke(main, ["items", "--help"]).output
