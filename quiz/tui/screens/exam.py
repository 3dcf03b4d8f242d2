"""The exam: answers kept without feedback, n/p to move, a navigator, a timer, and submit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding

from quiz.tui.screens.question import (
    CERTAINTY,
    FLAG,
    LEAVE,
    QUIT_UNSHOWN,
    REPORT,
    QuestionScreen,
)

if TYPE_CHECKING:
    from textual.worker import Worker

    from quiz.domain.grading import Response
    from quiz.service import ActiveSession, Answer
    from quiz.tui.screens.dialogs import ConfirmDialog

_MOVES = Binding.Group("next / previous question (answers are kept)", compact=True)

# Next, Prev, Flag, Overview and Submit are tab, control keys and esc: on a short-answer
# question every printable key is typed into the answer, and a-h/1-9 pick options on the others,
# so only these mean the same on every question. Tab is free to take: an exam question has one
# thing to focus, its answer. n, p and s stay as aliases where nothing is typed (DESIGN.md
# names them); the key bar shows the keys that always work.
NEXT = Binding("tab,n", "move(1)", "Next", group=_MOVES)
PREV = Binding("shift+tab,p", "move(-1)", "Prev", key_display="⇧tab", group=_MOVES)
OVERVIEW = Binding(
    "ctrl+o",
    "navigator",
    "Overview",
    tooltip="overview of all questions: answered, flagged, open",
)
SUBMIT = Binding(
    "ctrl+s,s",
    "finish_exam",
    "Submit",
    tooltip="submit the exam (always asks first, naming what is open or flagged)",
)


class ExamScreen(QuestionScreen):
    """Enter saves the answer and goes on; feedback waits for the results."""

    BINDINGS = [
        Binding("enter", "submit", "Save"),
        *CERTAINTY,
        NEXT,
        PREV,
        FLAG,
        OVERVIEW,
        SUBMIT,
        # Not in the key bar, which must fit 80 columns with Help; esc is "back" everywhere.
        replace(LEAVE, show=False, tooltip="leave the exam (answers are saved; Home resumes it)"),
        REPORT,
        QUIT_UNSHOWN,
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
        saved = self.session.answers.get(self.index)
        if saved is not None and saved.certainty is not None:
            marks.append(f"said {saved.certainty.label}  ", style="italic")
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
        """Save the answer shown, then run ``then`` on the UI thread.

        An answer is saved again on leaving it even when unchanged: the question's time is the
        total over all its visits. It keeps the certainty said last (not sure before any).
        """
        response = self._answer.response()
        if response is None:
            then()
            return
        saved = self.session.answers.get(self.index)
        self._then = then
        self._keep_answer(response, saved.certainty if saved else None)

    def action_change_answer(self) -> None:
        self._then = None  # the answer stays unsaved, and the exam on this question
        super().action_change_answer()

    def _answer_kept(self, answer: Answer) -> None:
        self._update_status()  # the answered count, whether the exam moves on or not
        then, self._then = self._then, None
        if then is not None:
            then()

    def work_failed(self, worker: Worker[object]) -> None:
        self._then = None  # the answer was not saved: stay on it
        super().work_failed(worker)

    def action_submit(self) -> None:
        """Save the answer shown (the highlighted option if none is picked) and go on."""
        if self.busy:
            return
        self._answer.take_shown()
        unmatched = self._answer.unmatched()
        response = self._answer.response()
        if self.session.asks_certainty and response is not None:
            self._then = lambda: self._go(self.index + 1)
            self._ask_certainty(response)
            return
        if unmatched:
            self.notify(f"Saved. Not matched yet: {'; '.join(unmatched)}.", timeout=4, markup=False)
        self._save_then(lambda: self._go(self.index + 1))

    def _go(self, index: int) -> None:
        if 0 <= index < len(self.session.items):
            self.show_question(index)
        elif index >= len(self.session.items):
            self._update_status()
            self.notify(
                f"That was the last question. {key_hint(SUBMIT)} submits, "
                f"{key_hint(OVERVIEW)} shows the overview."
            )

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
        """Submit, always after asking; the question names what is open or flagged."""

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._finish()

        if not self.busy:
            self._save_then(lambda: self._open(self._submit_dialog(), confirmed))

    def _submit_dialog(self) -> ConfirmDialog:
        from quiz.tui.screens.dialogs import ConfirmDialog

        session = self.session
        unanswered = [i for i in range(len(session.items)) if i not in session.answers]
        partly = sorted(i for i, a in session.answers.items() if is_partial(a.response))
        lines = ["Submit the exam? Answers cannot be changed after."]
        if unanswered:
            lines.append(f"Unanswered (count as wrong): {numbers(unanswered)}")
        if partly:
            lines.append(f"Partly answered: {numbers(partly)}")
        if session.flagged:
            lines.append(f"Flagged: {numbers(sorted(session.flagged))}")
        if not (unanswered or partly or session.flagged):
            lines.append(f"All {len(session.items)} questions are answered; none is flagged.")
        return ConfirmDialog("\n".join(lines), yes="Submit", no="Keep going")

    # --- quitting --------------------------------------------------------------------------------

    def before_quit(self, quit: Callable[[], object]) -> None:
        """A timed exam asks before the app quits: its clock keeps running meanwhile."""
        from quiz.tui.screens.dialogs import ConfirmDialog

        remaining = self._remaining()
        if remaining is None or self.session.finished:
            self._save_then(quit)
            return
        if isinstance(self.app.screen, ConfirmDialog):
            return  # asked already, or another question is open

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._save_then(quit)

        minutes, seconds = divmod(max(0, int(remaining)), 60)
        self.app.push_screen(
            ConfirmDialog(
                f"Quit during a timed exam? Its clock keeps running while you are away "
                f"({minutes:02d}:{seconds:02d} left now). Your answers are saved.",
                yes="Quit",
                no="Stay",
            ),
            confirmed,
        )


def key_hint(binding: Binding) -> str:
    """A binding's first key as the key bar writes it (``^s``)."""
    from quiz.tui.keys import key_name

    first = binding.key.split(",")[0]
    return "^" + first[5:] if first.startswith("ctrl+") else key_name(first)


def is_partial(response: Response) -> bool:
    """Whether a saved answer leaves part of its question open (a matching row unmatched)."""
    from quiz.domain.grading import MatchingResponse

    return isinstance(response, MatchingResponse) and None in response.matches


def numbers(indices: Iterable[int], *, most: int = 12) -> str:
    """Question numbers (from 1) for a dialog: ``2, 5, 9``, cut after ``most``."""
    shown = [str(index + 1) for index in indices]
    if len(shown) <= most:
        return ", ".join(shown)
    return f"{', '.join(shown[:most])} … ({len(shown)} in all)"
