"""Answers to ``true_false`` questions."""

from __future__ import annotations

from quiz.domain.grading import Response, TrueFalseResponse
from quiz.domain.model import TrueFalse
from quiz.tui.widgets._option_list import OptionKey, OptionListAnswer

_VALUES = (True, False)
"""The display order: true first."""


class TrueFalseAnswer(OptionListAnswer):
    """Two options, True and False. Keys: ``1``/``a`` true, ``2``/``b`` false, or cursor + space.

    Once revealed, ``why_true`` shows under True and ``why_false`` under False.
    """

    @property
    def question(self) -> TrueFalse:
        """The question being answered."""
        return self.item.question  # type: ignore[return-value]

    def _option_texts(self) -> list[str]:
        return ["True", "False"]

    def _positions_of(self, response: Response | None) -> set[int]:
        if not isinstance(response, TrueFalseResponse):
            return set()
        return {_VALUES.index(response.value)}

    def _response_of(self, positions: set[int]) -> Response | None:
        (position,) = positions
        return TrueFalseResponse(value=_VALUES[position])

    def _option_keys(self, response: Response | None) -> list[OptionKey]:
        picked = response.value if isinstance(response, TrueFalseResponse) else None
        whys = {True: self.question.why_true, False: self.question.why_false}
        return [
            OptionKey(
                correct=value == self.question.answer, picked=value == picked, why=whys[value]
            )
            for value in _VALUES
        ]
