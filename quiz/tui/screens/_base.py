"""What the app's full screens share."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from quiz.tui.app import IMSQuizApp


class QuizScreen(Screen[None]):
    """A full screen of the trainer; :attr:`quiz` is the app, with its own type."""

    @property
    def quiz(self) -> IMSQuizApp:
        """The trainer app (``self.app``, typed)."""
        return cast("IMSQuizApp", self.app)
