"""Answers to ``single`` (one best answer) and ``multiple`` (select all that apply) questions."""

from __future__ import annotations

from quiz.domain.grading import ChoiceResponse, Response
from quiz.domain.model import MultipleChoice, SingleChoice
from quiz.domain.session import SessionItem
from quiz.tui.widgets._option_list import OptionKey, OptionListAnswer


class ChoiceAnswer(OptionListAnswer):
    """Lettered choices in the session's display order.

    ``single``: picking an option selects it alone. ``multiple``: space or the option's key
    toggles it. Keys: ``1``-``8`` / ``a``-``h`` pick, ``up``/``down`` (``k``/``j``) move the
    cursor, ``space`` picks the cursor's option.
    """

    @property
    def question(self) -> SingleChoice | MultipleChoice:
        """The question being answered."""
        return self._question

    def __init__(
        self,
        item: SessionItem,
        *,
        response: Response | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        question = item.question
        if not isinstance(question, SingleChoice | MultipleChoice):
            raise TypeError(f"a choice answer cannot answer a {question.kind!r} question")
        self._question = question
        self.multiple = question.kind == "multiple"
        self._order: tuple[int, ...] = item.choice_order or tuple(range(len(question.choices)))
        super().__init__(item, response=response, id=id, classes=classes)
        self.add_class("-multiple" if self.multiple else "-single", update=False)

    def _option_texts(self) -> list[str]:
        return [self.question.choices[index].text for index in self._order]

    def _positions_of(self, response: Response | None) -> set[int]:
        if not isinstance(response, ChoiceResponse):
            return set()
        return {
            position for position, index in enumerate(self._order) if index in response.selected
        }

    def _response_of(self, positions: set[int]) -> Response | None:
        return ChoiceResponse(selected=frozenset(self._order[position] for position in positions))

    def _option_keys(self, response: Response | None) -> list[OptionKey]:
        picked = response.selected if isinstance(response, ChoiceResponse) else frozenset()
        keys = []
        for index in self._order:
            choice = self.question.choices[index]
            keys.append(
                OptionKey(
                    correct=choice.correct,
                    picked=index in picked,
                    unsafe=choice.unsafe,
                    why=choice.why,
                )
            )
        return keys
