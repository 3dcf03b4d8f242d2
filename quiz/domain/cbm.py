"""Certainty-based marking (Gardner-Medwin's scheme, as Moodle's CBM behaviours use it).

Before the feedback the trainee says how sure they are that the answer is right. The mark of one
answer then depends on both (:func:`cbm_mark`):

=============  ==========  ==========
certainty      right       wrong
=============  ==========  ==========
1 not sure     1           0
2 fairly sure  2           -2
3 sure         3           -6
=============  ==========  ==========

Partial credit scales the right mark (a score of 0.5 said fairly sure marks 1); a score at or
below :data:`MARK_TOLERANCE` takes the wrong mark. No certainty given counts as *not sure*, as in
Moodle. Each level is the best bet over a range of the chance of being right
(:data:`OPTIMAL_RANGE`): below 67% *not sure* pays most, from 67% to 80% *fairly sure*, above
80% *sure*. :func:`cbm_report` is Moodle's summary of a set of answers: accuracy, the average
CBM mark, the CBM bonus, and the calibration of each level against its optimal range.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import IntEnum
from typing import Final

import msgspec


class Certainty(IntEnum):
    """How sure the trainee said they were, before the feedback."""

    NOT_SURE = 1
    FAIRLY_SURE = 2
    SURE = 3

    @property
    def label(self) -> str:
        """``"not sure"``, ``"fairly sure"`` or ``"sure"``."""
        return _LABELS[self]


_LABELS: Final = {
    Certainty.NOT_SURE: "not sure",
    Certainty.FAIRLY_SURE: "fairly sure",
    Certainty.SURE: "sure",
}

DEFAULT_CERTAINTY: Final = Certainty.NOT_SURE
"""What an answer given without a certainty counts as (Moodle's default)."""

RIGHT_MARK: Final[dict[Certainty, int]] = {
    Certainty.NOT_SURE: 1,
    Certainty.FAIRLY_SURE: 2,
    Certainty.SURE: 3,
}
WRONG_MARK: Final[dict[Certainty, int]] = {
    Certainty.NOT_SURE: 0,
    Certainty.FAIRLY_SURE: -2,
    Certainty.SURE: -6,
}
OPTIMAL_RANGE: Final[dict[Certainty, tuple[float, float]]] = {
    Certainty.NOT_SURE: (0.0, 2 / 3),
    Certainty.FAIRLY_SURE: (2 / 3, 0.8),
    Certainty.SURE: (0.8, 1.0),
}
"""The chances of being right over which each level's expected mark is the highest: the break
-even points of 1p = 2p - 2(1 - p) and 2p - 2(1 - p) = 3p - 6(1 - p)."""

MARK_TOLERANCE: Final = 5e-8
"""A score at or below this is wrong (Moodle's ``question_utils::MARK_TOLERANCE``)."""

BONUS_FACTOR: Final = 0.1
"""Moodle's empirical weight of the CBM bonus (it roughly maximises the reliability of accuracy
plus bonus; Gardner-Medwin, IUPS 2013)."""


def cbm_mark(score: float, certainty: Certainty | None) -> float:
    """The CBM mark of an answer that scored ``score`` (0 to 1) said with ``certainty``."""
    level = DEFAULT_CERTAINTY if certainty is None else certainty
    if score <= MARK_TOLERANCE:
        return float(WRONG_MARK[level])
    return RIGHT_MARK[level] * score


def confident_error(score: float, certainty: Certainty | None) -> bool:
    """A wrong answer said fairly sure or sure: one that loses marks under CBM."""
    return certainty is not None and certainty > Certainty.NOT_SURE and score <= MARK_TOLERANCE


def expected_mark(accuracy: float) -> float:
    """The best average mark a trainee right ``accuracy`` of the time can expect, choosing the
    level that pays most at that accuracy every time."""
    return max(
        accuracy * RIGHT_MARK[level] + (1 - accuracy) * WRONG_MARK[level] for level in Certainty
    )


def cbm_bonus(average_mark: float, accuracy: float) -> float:
    """Moodle's CBM bonus: 0.1 x (the average mark - the best mark expected at that accuracy).

    Positive when the trainee told reliable answers from unreliable ones better than a constant
    certainty would have; negative for misplaced confidence.
    """
    return BONUS_FACTOR * (average_mark - expected_mark(accuracy))


class CalibrationRow(msgspec.Struct, frozen=True):
    """The answers given at one certainty level."""

    certainty: Certainty
    responses: int
    accuracy: float | None
    """Mean score of those answers; ``None`` without any."""
    optimal_low: float
    optimal_high: float
    judgement: str
    """``"ok"``, ``"overconfident"``, ``"slightly overconfident"``, ``"underconfident"``,
    ``"slightly underconfident"``, or ``"no answers"``."""


class LevelTotals(msgspec.Struct, frozen=True):
    """Sums over the answers given at one certainty level: all a report needs (a store can
    add them up in SQL)."""

    responses: int = 0
    score_sum: float = 0.0
    wrong: int = 0
    """Answers scoring at or below :data:`MARK_TOLERANCE` (they take the wrong mark)."""
    unsafe: int = 0
    """Answers that picked an unsafe option."""

    def mark_sum(self, certainty: Certainty) -> float:
        """The sum of the CBM marks of these answers (:func:`cbm_mark`, summed)."""
        return RIGHT_MARK[certainty] * self.score_sum + WRONG_MARK[certainty] * self.wrong


def level_totals(
    answers: Iterable[tuple[float, Certainty | None, bool]],
) -> dict[Certainty, LevelTotals]:
    """:class:`LevelTotals` per level of ``answers`` (score, certainty, unsafe pick); no
    certainty counts as *not sure*."""
    sums = {level: [0, 0.0, 0, 0] for level in Certainty}
    for score, certainty, unsafe in answers:
        row = sums[DEFAULT_CERTAINTY if certainty is None else certainty]
        row[0] += 1
        row[2] += score <= MARK_TOLERANCE
        # a wrong answer adds no score: the wrong mark replaces it
        row[1] += score if score > MARK_TOLERANCE else 0.0
        row[3] += unsafe
    return {
        level: LevelTotals(int(n), float(total), int(wrong), int(unsafe))
        for level, (n, total, wrong, unsafe) in sums.items()
    }


class CbmReport(msgspec.Struct, frozen=True):
    """Moodle's CBM summary of a set of answers given with a certainty."""

    responses: int
    accuracy: float
    """Mean score (0 to 1)."""
    average_mark: float
    """Mean CBM mark (-6 to 3)."""
    bonus: float
    accuracy_and_bonus: float
    calibration: tuple[CalibrationRow, ...]
    """One row per level, not sure first."""
    confident_errors: int
    """Wrong answers said fairly sure or sure."""
    confident_unsafe: int
    """Unsafe picks said fairly sure or sure: the most dangerous answers a trainee gives."""


def judgement(accuracy: float, responses: int, certainty: Certainty) -> str:
    """Moodle's verdict on one level: accuracy below its optimal range is overconfidence, above
    it underconfidence; "slightly" when ``(distance ** 2) x responses`` is at most 0.5 (Moodle's
    rough indicator of significance)."""
    low, high = OPTIMAL_RANGE[certainty]
    if accuracy < low - 5e-7:
        strong = (accuracy - low) ** 2 * responses > 0.5
        return "overconfident" if strong else "slightly overconfident"
    if accuracy > high + 5e-7:
        strong = (accuracy - high) ** 2 * responses > 0.5
        return "underconfident" if strong else "slightly underconfident"
    return "ok"


def cbm_report(
    answers: Iterable[tuple[float, Certainty | None, bool]],
) -> CbmReport | None:
    """The CBM summary of ``answers`` (score, certainty, unsafe pick); ``None`` without any.

    An answer without a certainty counts as *not sure* (callers leave out answers given with
    certainty-based marking off).
    """
    return report_from_totals(level_totals(answers))


def report_from_totals(totals: Mapping[Certainty, LevelTotals]) -> CbmReport | None:
    """The CBM summary of answers added up per level (see :class:`LevelTotals`); ``None``
    without any answer."""
    levels = {level: totals.get(level, LevelTotals()) for level in Certainty}
    responses = sum(row.responses for row in levels.values())
    if responses == 0:
        return None
    accuracy = sum(row.score_sum for row in levels.values()) / responses
    average = sum(row.mark_sum(level) for level, row in levels.items()) / responses
    bonus = cbm_bonus(average, accuracy)
    calibration = []
    for level, row in levels.items():
        low, high = OPTIMAL_RANGE[level]
        level_accuracy = row.score_sum / row.responses if row.responses else None
        calibration.append(
            CalibrationRow(
                certainty=level,
                responses=row.responses,
                accuracy=level_accuracy,
                optimal_low=low,
                optimal_high=high,
                judgement="no answers"
                if level_accuracy is None
                else judgement(level_accuracy, row.responses, level),
            )
        )
    confident = [row for level, row in levels.items() if level > Certainty.NOT_SURE]
    return CbmReport(
        responses=responses,
        accuracy=accuracy,
        average_mark=average,
        bonus=bonus,
        accuracy_and_bonus=accuracy + bonus,
        calibration=tuple(calibration),
        confident_errors=sum(row.wrong for row in confident),
        confident_unsafe=sum(row.unsafe for row in confident),
    )


CALIBRATION_HEADINGS: Final = ("Said", "Answers", "Accuracy", "Best range", "Judgement")
"""The calibration table's columns, as results, Progress and ``ims-quiz stats`` show them."""


def calibration_cells(row: CalibrationRow) -> tuple[str, str, str, str, str]:
    """One calibration row as text: ``("sure", "5", "80%", "80-100%", "ok")``."""
    accuracy = "-" if row.accuracy is None else f"{row.accuracy:.0%}"
    best = f"{row.optimal_low:.0%}-{row.optimal_high:.0%}"
    return (row.certainty.label, str(row.responses), accuracy, best, row.judgement)


def summary_line(report: CbmReport) -> str:
    """``"Accuracy 70% · average mark 0.90 · bonus +1.0% · accuracy+bonus 71.0%"``
    (Moodle shows the bonus, like the accuracy, as a percentage)."""
    return (
        f"Accuracy {report.accuracy:.0%} · average mark {report.average_mark:.2f} · "
        f"bonus {report.bonus:+.1%} · accuracy+bonus {report.accuracy_and_bonus:.1%}"
    )
