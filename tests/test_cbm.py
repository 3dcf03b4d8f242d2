"""Certainty-based marking against worked examples (Moodle's question_cbm_test and by hand)."""

from __future__ import annotations

import pytest

from quiz.domain.cbm import (
    OPTIMAL_RANGE,
    Certainty,
    cbm_bonus,
    cbm_mark,
    cbm_report,
    confident_error,
    judgement,
    level_totals,
    report_from_totals,
)

LOW, MED, HIGH = Certainty.NOT_SURE, Certainty.FAIRLY_SURE, Certainty.SURE


@pytest.mark.parametrize(
    ("score", "certainty", "mark"),
    [
        # Moodle's question_cbm_test::test_adjust_fraction
        (1.0, LOW, 1.0),
        (1.0, MED, 2.0),
        (1.0, HIGH, 3.0),
        (0.0, LOW, 0.0),
        (0.0, MED, -2.0),
        (0.0, HIGH, -6.0),
        (0.5, LOW, 0.5),
        (0.5, MED, 1.0),
        (0.5, HIGH, 1.5),
        # no certainty: not sure
        (1.0, None, 1.0),
        (0.0, None, 0.0),
        # at or below the tolerance it is wrong, just above it scales the right mark
        (4e-8, HIGH, -6.0),
        (1e-7, HIGH, 3e-7),
    ],
)
def test_cbm_mark(score: float, certainty: Certainty | None, mark: float) -> None:
    assert cbm_mark(score, certainty) == pytest.approx(mark)


def test_the_optimal_ranges_meet_at_the_break_even_points() -> None:
    # at 2/3 "not sure" and "fairly sure" expect the same mark; at 0.8 "fairly" and "sure"
    p = 2 / 3
    assert cbm_mark(1, LOW) * p == pytest.approx(cbm_mark(1, MED) * p + cbm_mark(0, MED) * (1 - p))
    p = 0.8
    assert cbm_mark(1, MED) * p + cbm_mark(0, MED) * (1 - p) == pytest.approx(
        cbm_mark(1, HIGH) * p + cbm_mark(0, HIGH) * (1 - p)
    )
    assert OPTIMAL_RANGE[MED] == (pytest.approx(2 / 3), 0.8)


def test_confident_errors_are_wrong_answers_said_fairly_sure_or_sure() -> None:
    assert confident_error(0.0, HIGH) and confident_error(0.0, MED)
    assert not confident_error(0.0, LOW) and not confident_error(0.0, None)
    assert not confident_error(0.5, HIGH)  # partly right is no error under CBM


def test_a_worked_session() -> None:
    # Ten answers: sure 4 right 1 wrong (one of them an unsafe pick); fairly sure 2 right 1
    # wrong; not sure 1 right 1 wrong.
    answers = [
        *[(1.0, HIGH, False)] * 4,
        (0.0, HIGH, True),
        *[(1.0, MED, False)] * 2,
        (0.0, MED, False),
        (1.0, LOW, False),
        (0.0, LOW, False),
    ]
    report = cbm_report(answers)
    assert report is not None
    assert report.responses == 10
    assert report.accuracy == pytest.approx(0.7)
    # marks: 4*3 - 6 + 2*2 - 2 + 1 + 0 = 9
    assert report.average_mark == pytest.approx(0.9)
    # at 70% the best constant certainty is "fairly sure": 0.7*2 - 0.3*2 = 0.8
    assert report.bonus == pytest.approx(0.1 * (0.9 - 0.8))
    assert report.accuracy_and_bonus == pytest.approx(0.71)
    assert report.confident_errors == 2
    assert report.confident_unsafe == 1
    by_level = {row.certainty: row for row in report.calibration}
    assert [row.certainty for row in report.calibration] == [LOW, MED, HIGH]
    assert by_level[HIGH].responses == 5 and by_level[HIGH].accuracy == pytest.approx(0.8)
    assert by_level[HIGH].judgement == "ok"  # 80% is inside 80-100%
    assert by_level[MED].accuracy == pytest.approx(2 / 3)
    assert by_level[MED].judgement == "ok"
    assert by_level[LOW].accuracy == pytest.approx(0.5)
    assert by_level[LOW].judgement == "ok"


def test_a_session_of_one_level_leaves_the_others_without_answers() -> None:
    report = cbm_report([(1.0, HIGH, False)])
    assert report is not None
    assert [row.judgement for row in report.calibration] == ["no answers", "no answers", "ok"]
    assert report.average_mark == 3.0
    assert report.bonus == pytest.approx(0.0)  # at 100% "sure" is the constant best
    assert cbm_report([]) is None


@pytest.mark.parametrize(
    ("accuracy", "responses", "certainty", "verdict"),
    [
        (0.5, 10, HIGH, "overconfident"),  # (0.5-0.8)^2 * 10 = 0.9 > 0.5
        (0.7, 10, HIGH, "slightly overconfident"),  # 0.01 * 10 = 0.1
        (1.0, 20, LOW, "underconfident"),  # (1-2/3)^2 * 20 = 2.2
        (0.9, 3, MED, "slightly underconfident"),  # 0.01 * 3
        (0.75, 3, MED, "ok"),
    ],
)
def test_judgement_follows_moodle(
    accuracy: float, responses: int, certainty: Certainty, verdict: str
) -> None:
    assert judgement(accuracy, responses, certainty) == verdict


def test_a_bonus_is_negative_for_misplaced_confidence() -> None:
    # always sure at 50%: mark 0.5*3 - 0.5*6 = -1.5; the best constant at 50% is not sure (0.5)
    assert cbm_bonus(-1.5, 0.5) == pytest.approx(-0.2)


def test_totals_give_the_same_report_as_the_answers() -> None:
    answers = [(0.5, MED, False), (0.0, HIGH, True), (1.0, None, False), (0.25, HIGH, False)]
    assert report_from_totals(level_totals(answers)) == cbm_report(answers)
