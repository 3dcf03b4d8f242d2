"""The question screen: one question at a time, feedback in practice, a navigator in exams."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Markdown, Static

from quiz.domain.session import Mode
from quiz.tui.screens._base import QuizScreen, case_title
from quiz.tui.widgets.answer import AnswerWidget, answer_widget_for
from quiz.tui.widgets.feedback import FeedbackPanel
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

    from quiz.domain.grading import Response
    from quiz.domain.model import Case
    from quiz.service import ActiveSession, Answer, SessionResult

T = TypeVar("T")

MODE_NAMES = {
    Mode.PRACTICE: "Practice",
    Mode.EXAM: "Exam",
    Mode.REVIEW: "Review",
    Mode.WEAK: "Weak areas",
    Mode.MISTAKES: "Mistakes",
}


class SessionScreen(QuizScreen):
    """Runs one session: practice-like modes reveal feedback after each answer; exams do not."""

    class QuestionShown(Message):
        """A question is on screen in full (its Markdown and answer widget drawn)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    AUTO_FOCUS = None
    """show_question focuses the answer widget. Textual's default would focus the scrolling
    body first, and each focus change restyles the whole question."""

    BINDINGS = [
        Binding("enter", "submit", "Submit"),
        Binding("enter", "save_next", "Save"),
        Binding("enter", "next", "Next"),
        Binding("f,ctrl+f", "flag", "Flag"),
        Binding("n", "move(1)", "Next"),
        Binding("p", "move(-1)", "Prev"),
        Binding("g", "navigator", "Overview"),
        Binding("s", "finish_exam", "Finish"),
        Binding("escape", "leave", "Leave"),
    ]

    def __init__(self, session: ActiveSession) -> None:
        super().__init__()
        self.session = session
        self.is_exam = session.plan.mode is Mode.EXAM
        self.index = self._first_unanswered()
        self.revealed = False
        self.busy = False
        self._prepared: int | None = None
        """The item whose explanation the hidden feedback panel holds."""
        self.shown_at = time.monotonic()
        self._answer = self._new_answer_widget(self.index)
        """The answer widget of the question shown."""

    def compose(self) -> ComposeResult:
        # The first question is composed in place, not mounted after, so that it is whole in
        # the screen's first frame; and only what it shows is built: the case (if it has one)
        # and the feedback panel come when first needed.
        item = self.session.items[self.index]
        yield Static(id="status")
        with VerticalScroll(id="question-body"):
            if item.case is not None:
                yield from self._case_widgets(item.case)
            yield Markdown(item.question.prompt, id="prompt")
            yield self._answer
        yield Footer()

    def on_mount(self) -> None:
        if self.session.deadline is not None:
            self.set_interval(1.0, self._tick)
        self._present(self.index, [])

    # --- showing ---------------------------------------------------------------------------------

    def _first_unanswered(self) -> int:
        for index in range(len(self.session.items)):
            if index not in self.session.answers:
                return index
        return 0 if self.is_exam else max(0, len(self.session.items) - 1)

    def _case_widgets(self, case: Case) -> tuple[Static, Markdown]:
        """The case's title and vignette, above the questions that share it."""
        title = Static(case_title(case), id="case-title", classes="case-title")
        return title, Markdown(case.vignette, id="vignette")

    def _new_answer_widget(self, index: int) -> AnswerWidget:
        """Item ``index``'s answer widget; an exam shows the answer saved for it."""
        saved = self.session.answers.get(index)
        return answer_widget_for(
            self.session.items[index], saved.response if saved and self.is_exam else None
        )

    def show_question(self, index: int) -> None:
        """Show item ``index`` with a fresh answer widget (restored from a saved answer)."""
        item = self.session.items[index]
        body = self.query_one("#question-body", VerticalScroll)
        prompt = self.query_one("#prompt", Markdown)
        drawn: list[Awaitable[object]] = [prompt.update(item.question.prompt)]
        shown = self.query("#case-title, #vignette")
        if item.case is None:
            shown.set(display=False)
        elif not shown:
            drawn.append(body.mount(*self._case_widgets(item.case), before=prompt))
        else:
            self.query_one("#case-title", Static).update(case_title(item.case))
            drawn.append(self.query_one("#vignette", Markdown).update(item.case.vignette))
            shown.set(display=True)
        # Let go of the focus first: removing the focused widget would hand it to the body, and
        # each focus change restyles the whole question (a good part of the time to show it).
        self.set_focus(None, scroll_visible=False)
        self._answer.remove()
        self._answer = self._new_answer_widget(index)
        drawn.append(body.mount(self._answer, after=prompt))
        if (feedback := self._feedback()) is not None:
            feedback.display = False
        body.scroll_home(animate=False)
        self._present(index, drawn)

    def _present(self, index: int, drawn: list[Awaitable[object]]) -> None:
        """Item ``index`` is in place, its parts mounted or being mounted (``drawn``): focus its
        answer widget and start its clock."""
        self.index = index
        self.revealed = False
        self._answer.focus()
        self.shown_at = time.monotonic()
        self._update_status()
        self.refresh_bindings()
        self._when_drawn(index, drawn)

    @work(exclusive=True, group="drawn")
    async def _when_drawn(self, index: int, drawn: list[Awaitable[object]]) -> None:
        """Once the question's parts are mounted and drawn, say so (see :meth:`_shown`)."""
        for part in drawn:
            await part
        self.call_after_refresh(self._shown, index)

    def _shown(self, index: int) -> None:
        if index != self.index:
            return
        if not self.is_exam:
            # The hidden feedback mounts its Markdown now, while the trainee reads, so that
            # the feedback shows at once after the answer key.
            self._prepare_feedback(index)
        self.post_message(self.QuestionShown(index))

    def _feedback(self) -> FeedbackPanel | None:
        panels = self.query(FeedbackPanel)
        return panels.first() if panels else None

    def _prepare_feedback(self, index: int) -> FeedbackPanel:
        """The feedback panel, holding item ``index``'s explanation (mounted hidden if new)."""
        feedback = self._feedback()
        item = self.session.items[index]
        if feedback is None:
            feedback = FeedbackPanel(item, self.quiz.bank_for(item), id="feedback")
            feedback.display = False
            self.query_one("#question-body", VerticalScroll).mount(feedback)
        elif self._prepared != index:
            feedback.prepare(item, self.quiz.bank_for(item))
        self._prepared = index
        return feedback

    def _update_status(self) -> None:
        item = self.session.items[self.index]
        total = len(self.session.items)
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(f" {MODE_NAMES[self.session.plan.mode]} ", style="bold reverse")
        left.append(f"  {self.index + 1}/{total}  ", style="bold")
        left.append(item.topic_title, style="italic")
        left.append(f" · d{item.question.difficulty}", style="dim")
        right = Text(no_wrap=True, justify="right")
        if self.index in self.session.flagged:
            right.append("⚑ flagged  ", style="bold yellow")
        if self.is_exam:
            right.append(f"{len(self.session.answers)}/{total} answered", style="dim")
        remaining = self._remaining()
        if remaining is not None:
            minutes, seconds = divmod(max(0, int(remaining)), 60)
            style = "bold red" if remaining < 60 else "bold"
            right.append(f"  ⏱ {minutes:02d}:{seconds:02d}", style=style)
        status = Table.grid(expand=True)
        status.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        status.add_column(no_wrap=True, justify="right")
        status.add_row(left, right)
        self.query_one("#status", Static).update(status)

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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("move", "navigator", "finish_exam"):
            return self.is_exam
        if action == "save_next":
            return self.is_exam
        if action == "submit":
            return not self.is_exam and not self.revealed
        if action == "next":
            return self.revealed
        return True

    # --- answering -------------------------------------------------------------------------------

    @on(AnswerWidget.Submitted)
    def _widget_submitted(self) -> None:
        self.action_submit()

    def action_save_next(self) -> None:
        """Exam: save the answer and go to the next question."""
        if not self.busy:
            self._save_then(lambda: self._go(self.index + 1))

    def action_submit(self) -> None:
        """Practice-like modes: grade the answer and reveal the key (exam: save and go on)."""
        if self.busy:
            return
        if self.is_exam:
            self.action_save_next()
            return
        widget = self._answer
        response = widget.response()
        if response is None:
            self.notify(widget.EMPTY_HINT, timeout=3)
            return
        self._record(response)

    def _record(self, response: Response) -> None:
        self.busy = True
        seconds = time.monotonic() - self.shown_at
        index = self.index

        self.quiz.run_in_thread(
            lambda: self.session.answer(index, response, seconds),
            self._answered,
            failed=self._not_busy,
            node=self,
        )

    def _not_busy(self) -> None:
        self.busy = False

    def _answered(self, answer: Answer) -> None:
        self.busy = False
        self._reveal(answer)

    def _reveal(self, answer: Answer) -> None:
        if answer.index != self.index:
            return
        self._answer.reveal(answer.grade, answer.response)
        feedback = self._prepare_feedback(self.index)  # normally prepared already
        feedback.show_grade(answer.grade)
        feedback.display = True
        self.revealed = True
        # The focus stays on the answer widget, whose keys are off now: arrows fall through to
        # the scrolling body, enter to "next". Moving it would restyle the whole question twice
        # (blur, focus), a large part of the keypress-to-feedback time. A short answer's input
        # is disabled and lets go of the focus; the body takes it then.
        if self.focused is None:
            self.query_one("#question-body", VerticalScroll).focus()
        # The keys work at once (check_action reads self.revealed); the footer, which Textual
        # rebuilds on refresh_bindings, follows a frame after the feedback instead of delaying it.
        self.call_after_refresh(self.refresh_bindings)

    def action_next(self) -> None:
        """After feedback: the next question, or the results after the last."""
        if self.busy:
            return
        if self.index + 1 < len(self.session.items):
            self.show_question(self.index + 1)
        else:
            self._finish()

    # --- exam ------------------------------------------------------------------------------------

    def _save_then(self, then: Callable[[], object]) -> None:
        """Exam: save the current answer if it changed, then run ``then`` on the UI thread."""
        if not self.is_exam or self.revealed:
            then()
            return
        response = self._answer.response()
        saved = self.session.answers.get(self.index)
        if response is None or (saved is not None and saved.response == response):
            then()
            return
        self.busy = True
        seconds = time.monotonic() - self.shown_at
        index = self.index

        def saved(_: Answer) -> None:
            self.busy = False
            then()

        self.quiz.run_in_thread(
            lambda: self.session.answer(index, response, seconds),
            saved,
            failed=self._not_busy,
            node=self,
        )

    def _go(self, index: int) -> None:
        if 0 <= index < len(self.session.items):
            self.show_question(index)
        elif index >= len(self.session.items):
            self._update_status()
            self.notify("That was the last question. Press s to submit, g for the overview.")

    def action_move(self, step: int) -> None:
        """Exam: go to the next or previous question, keeping the answer given."""
        if not self.busy:
            self._save_then(lambda: self._go(self.index + step))

    def action_navigator(self) -> None:
        """Exam: the grid of all questions (answered, flagged, unanswered)."""
        from quiz.tui.screens.navigator import NavigatorScreen

        def chosen(index: int | None) -> None:
            if index is not None:
                self._go(index)

        if not self.busy:
            self._save_then(lambda: self._open(NavigatorScreen(self.session, self.index), chosen))

    def action_finish_exam(self) -> None:
        """Exam: submit, after confirming when questions are unanswered."""
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

    def _open(self, dialog: Screen[T], chosen: Callable[[T | None], None]) -> None:
        """Push ``dialog`` over this screen, unless another one got there first (keys pressed
        while an answer was being saved would otherwise stack dialogs on dialogs)."""
        if self.app.screen is self:
            self.app.push_screen(dialog, chosen)

    # --- ending ----------------------------------------------------------------------------------

    def _finish(self) -> None:
        if self.session.finished:
            return
        self.busy = True

        self.quiz.run_in_thread(
            self.session.finish, self._show_results, failed=self._not_busy, node=self
        )

    def _show_results(self, result: SessionResult) -> None:
        from quiz.tui.screens.results import ResultsScreen

        # Time can run out under a dialog (the navigator, help): close it, then replace this
        # screen, so that leaving the results goes home rather than back to a finished exam.
        while self.app.screen is not self:
            self.app.pop_screen()
        self.app.switch_screen(ResultsScreen(self.session, result))

    def action_flag(self) -> None:
        """Flag or unflag this question for later (kept with your progress)."""
        index = self.index
        flagged = index not in self.session.flagged

        self.quiz.run_in_thread(
            lambda: self.session.set_flag(index, flagged),
            lambda _: self._update_status(),
            node=self,
        )

    def action_leave(self) -> None:
        """Leave the session; everything answered is saved and it can be resumed."""
        from quiz.tui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._save_then(self.quiz.go_home)

        self._open(
            ConfirmDialog(
                "Leave this session? Your answers are saved; Home offers to resume it.",
                yes="Leave",
                no="Stay",
            ),
            confirmed,
        )
