"""The exam: answers kept without feedback, n/p to move, a navigator, a timer, and submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from quiz.tui.screens.question import FLAG, LEAVE, QuestionScreen

if TYPE_CHECKING:
    from textual.worker import Worker

    from quiz.domain.grading import Response
    from quiz.service import ActiveSession, Answer

_MOVES = Binding.Group("next / previous question (answers are kept)")


class ExamScreen(QuestionScreen):
    """Enter saves the answer and goes on; feedback waits for the results."""

    BINDINGS = [
        Binding("enter", "submit", "Save"),
        FLAG,
        Binding("n", "move(1)", "Next", group=_MOVES),
        Binding("p", "move(-1)", "Prev", group=_MOVES),
        Binding(
            "g",
            "navigator",
            "Overview",
            tooltip="overview of all questions: answered, flagged, open",
        ),
        Binding(
            "s",
            "finish_exam",
            "Finish",
            tooltip="submit the exam (asks first if some are unanswered)",
        ),
        LEAVE,
    ]

    def __init__(self, session: ActiveSession) -> None:
        super().__init__(session)
        self._then: Callable[[], object] | None = None
        """What to do once the answer being saved is kept (see :meth:`_save_then`)."""

    def on_mount(self) -> None:
        # Textual runs this before the base class's on_mount, which shows the question.
        if self.session.deadline is not None:
            self.set_interval(1.0, self._tick)

    def _shown_response(self, index: int) -> Response | None:
        saved = self.session.answers.get(index)
        return saved.response if saved else None

    def _status_marks(self) -> Text:
        marks = super()._status_marks()
        marks.append(f"{len(self.session.answers)}/{len(self.session.items)} answered", style="dim")
        remaining = self._remaining()
        if remaining is not None:
            minutes, seconds = divmod(max(0, int(remaining)), 60)
            style = "bold red" if remaining < 60 else "bold"
            marks.append(f"  ⏱ {minutes:02d}:{seconds:02d}", style=style)
        return marks

    # --- the timer -------------------------------------------------------------------------------

    def _remaining(self) -> float | None:
        deadline = self.session.deadline
        if deadline is None:
            return None
        return (deadline - self.quiz.now()).total_seconds()

    def _tick(self) -> None:
        remaining = self._remaining()
        self._update_status()
        if remaining is not None and remaining <= 0 and not self.busy:
            self.notify("Time is up: the exam was submitted.", severity="warning", timeout=6)
            self._save_then(self._finish)

    # --- saving and moving -----------------------------------------------------------------------

    def _save_then(self, then: Callable[[], object]) -> None:
        """Save the answer shown if it changed, then run ``then`` on the UI thread."""
        response = self._answer.response()
        saved = self.session.answers.get(self.index)
        if response is None or (saved is not None and saved.response == response):
            then()
            return
        self._then = then
        self._keep_answer(response)

    def _answer_kept(self, answer: Answer) -> None:
        then, self._then = self._then, None
        if then is not None:
            then()

    def work_failed(self, worker: Worker[object]) -> None:
        self._then = None  # the answer was not saved: stay on it
        super().work_failed(worker)

    def action_submit(self) -> None:
        """Save the answer and go to the next question."""
        if not self.busy:
            self._save_then(lambda: self._go(self.index + 1))

    def _go(self, index: int) -> None:
        if 0 <= index < len(self.session.items):
            self.show_question(index)
        elif index >= len(self.session.items):
            self._update_status()
            self.notify("That was the last question. Press s to submit, g for the overview.")

    def action_move(self, step: int) -> None:
        """Go to the next or previous question, keeping the answer given."""
        if not self.busy:
            self._save_then(lambda: self._go(self.index + step))

    def action_navigator(self) -> None:
        """The grid of all questions (answered, flagged, unanswered)."""
        from quiz.tui.screens.navigator import NavigatorScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self._go(index)

        if not self.busy:
            self._save_then(lambda: self._open(NavigatorScreen(self.session, self.index), chosen))

    def action_finish_exam(self) -> None:
        """Submit, after confirming when questions are unanswered."""
        from quiz.tui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._finish()

        def ask() -> None:
            missing = len(self.session.items) - len(self.session.answers)
            if missing:
                self._open(
                    ConfirmDialog(
                        f"{missing} question(s) are unanswered and will count as wrong. "
                        "Submit the exam now?",
                        yes="Submit",
                        no="Keep going",
                    ),
                    confirmed,
                )
            else:
                self._finish()

        if not self.busy:
            self._save_then(ask)
