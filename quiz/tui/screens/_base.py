"""What the app's question and full screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.screen import Screen

if TYPE_CHECKING:
    from quiz.domain.model import Case
    from quiz.tui.app import IMSQuizApp


def case_title(case: Case) -> Text:
    """The line above a case's vignette (bank text, never markup)."""
    return Text(f"Case: {case.title}", style="bold")


class QuizScreen(Screen[None]):
    """A full screen of the trainer; :attr:`quiz` is the app, with its own type."""

    @property
    def quiz(self) -> IMSQuizApp:
        """The trainer app (``self.app``, typed)."""
        return cast("IMSQuizApp", self.app)
