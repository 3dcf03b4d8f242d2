"""What every question screen shares: the status line, the question, its answer widget, and the
work of keeping answers, flags and the end of the session.

Two screens build on it: :class:`~quiz.tui.screens.practice.PracticeScreen` (practice, review,
weak areas, mistakes: feedback after each answer) and
:class:`~quiz.tui.screens.exam.ExamScreen` (answers kept silently, a navigator, a timer).
:func:`question_screen_for` picks one for a session.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from rich.table import Table
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Static
from textual.worker import Worker

from quiz.domain.cbm import RIGHT_MARK, WRONG_MARK, Certainty
from quiz.domain.session import Mode
from quiz.domain.text import visible
from quiz.tui.screens._base import QuizScreen, case_title
from quiz.tui.widgets.answer import AnswerWidget, answer_widget_for
from quiz.tui.widgets.bank_text import BankMarkdown
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

    from quiz.domain.grading import Response
    from quiz.domain.model import Case
    from quiz.domain.session import SessionItem
    from quiz.service import ActiveSession, Answer, SessionResult, Trainer

T = TypeVar("T")

FLAG = Binding("ctrl+f", "flag", "Flag", tooltip="flag or unflag for later")
_SURE = Binding.Group(
    "after enter, how sure you are: 1 not sure, 2 fairly sure, 3 sure (enter: not sure)",
    compact=True,
)
CERTAINTY = [
    # Not priority bindings: Textual checks those as a key arrives, before the keys typed
    # ahead of it are handled, so a burst such as "d enter 2" found no prompt yet for its "2",
    # which then fell through to the frozen answer and was lost. These are checked in the
    # order typed, after the answer widget's: its pick keys are off while the answer is frozen
    # for its certainty (and a short answer's input lets go of the focus), so the digits reach
    # these, which work only while the prompt is up (check_action).
    Binding("1", "certainty(1)", "Not sure", group=_SURE),
    Binding("2", "certainty(2)", "Fairly sure", group=_SURE),
    Binding("3", "certainty(3)", "Sure", group=_SURE),
    Binding("enter", "certainty(1)", "Not sure", show=False),
    Binding(
        "escape",
        "change_answer",
        "Change answer",
        tooltip="while asked how sure you are: back to the answer",
    ),
]
"""The certainty prompt's keys (sessions with certainty-based marking)."""
LEAVE = Binding("escape", "leave", "Leave")
REPORT = Binding(
    "ctrl+r", "report", "Report", show=False, tooltip="report a problem with this question"
)
"""Out of the key bar (80 columns, and a footer key more to build on every question); the help
screen and the command palette name it."""
QUIT_UNSHOWN = Binding("ctrl+q", "app.quit", "Quit", show=False, priority=True)
"""The app's quit key, out of the exam's key bar (which must fit 80 columns with Help); the help
screen and the command palette still name it."""
"""Keys of every question screen; each screen lists them among its BINDINGS, in footer order.

While a question is answered, ``a``-``h`` and ``1``-``9`` pick options and nothing else, and a
short answer takes every printable key: the screens' own keys are control keys, tab and esc,
which work on every question, typing included (see DESIGN.md, "Keys")."""


HOLD_FRAMES = 0.25
"""At most this many seconds without a frame while the next question is swapped in."""


class QuestionScreen(QuizScreen):
    """One session's questions, one at a time. Subclasses decide what enter does, what the
    status line adds, and what happens once an answer is kept."""

    class QuestionShown(Message):
        """A question is on screen in full (its Markdown and answer widget drawn)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class AnswerKept(Message, bubble=False):
        """The session kept ``answer`` (graded, and stored with the trainee's progress)."""

        def __init__(self, answer: Answer) -> None:
            super().__init__()
            self.answer = answer

    class FlagKept(Message, bubble=False):
        """A question's flag was stored."""

    class SessionFinished(Message, bubble=False):
        """The session is closed and scored."""

        def __init__(self, result: SessionResult) -> None:
            super().__init__()
            self.result = result

    AUTO_FOCUS = ""
    """None (Textual's default) would inherit the app's ``"*"`` and focus the scrolling body
    first; :meth:`_present` focuses the answer widget, and each focus change restyles the
    whole question."""

    def __init__(self, session: ActiveSession) -> None:
        super().__init__()
        self.session = session
        self.index = self._first_unanswered()
        self.revealed = False
        """Whether the key of the question shown is revealed (only practice reveals it)."""
        self.busy = False
        """Whether an answer or the end of the session is being kept; keys wait meanwhile."""
        self.shown_at = time.monotonic()
        self._answer = self._new_answer_widget(self.index)
        """The answer widget of the question shown."""
        self._struck: dict[int, set[int]] = {}
        """Options struck out on questions left unsubmitted (an exam's), by item."""
        self.asking: Response | None = None
        """The answer waiting for its certainty while the certainty prompt is up."""
        self._said: Text | None = None
        """What the prompt's lines say once the answer said with a certainty is kept."""
        self._holds: list[AbstractContextManager[None]] = []
        """The app's frames, held while the next question is swapped in (see _hold_frames)."""

    def compose(self) -> ComposeResult:
        # The first question is composed in place, not mounted after, so that it is whole in
        # the screen's first frame; and only what it shows is built: the case (if it has one)
        # and the feedback panel come when first needed.
        item = self.session.items[self.index]
        yield Static(id="status")
        with VerticalScroll(id="question-body"):
            if item.case is not None:
                yield from self._case_widgets(item.case)
            yield BankMarkdown(item.question.prompt, id="prompt")
            yield self._answer
        if self.session.asks_certainty:
            prompt = Static(certainty_prompt(), id="certainty-prompt")
            prompt.display = False
            yield prompt
        yield Footer()

    def on_mount(self) -> None:
        self._present(self.index, [])

    async def _on_resize(self, event: events.Resize) -> None:
        if event.size == self._compositor.size:
            # Textual hands the screen on top a Resize at start-up, once the terminal's size is
            # read, though the screen is laid out at that size already (its compositor's size).
            # Laying the question out again for it cost the first question a tenth of its time.
            # (Screens with breakpoints, such as home, need that first Resize for their classes.)
            event.stop()
            event.prevent_default()

    # --- what subclasses decide ------------------------------------------------------------------

    def _index_when_all_answered(self) -> int:
        """Where a session whose every question is answered opens."""
        return 0

    def _shown_response(self, index: int) -> Response | None:
        """The answer item ``index``'s widget starts with (none: a fresh question)."""
        return None

    def _status_marks(self) -> Text:
        """The right-hand end of the status line."""
        marks = Text(no_wrap=True, justify="right")
        if self.index in self.session.flagged:
            marks.append("⚑ flagged  ", style="bold yellow")
        return marks

    def _drawn(self, index: int) -> None:
        """Item ``index`` is drawn in full; the trainee is reading it."""

    def _answer_kept(self, answer: Answer) -> None:
        """The answer saved by :meth:`_keep_answer` is kept."""

    def action_submit(self) -> None:
        """Enter, or enter inside an answer widget: hand in the answer shown."""
        raise NotImplementedError

    def _save_then(self, then: Callable[[], object]) -> None:
        """Run ``then`` once nothing the trainee answered is left unsaved (answers that are
        submitted one by one are saved as they are submitted)."""
        then()

    # --- showing ---------------------------------------------------------------------------------

    def _first_unanswered(self) -> int:
        for index in range(len(self.session.items)):
            if index not in self.session.answers:
                return index
        return self._index_when_all_answered()

    def _case_widgets(self, case: Case) -> tuple[Static, BankMarkdown]:
        """The case's title and vignette, above the questions that share it."""
        title = Static(case_title(case), id="case-title", classes="case-title")
        return title, BankMarkdown(case.vignette, id="vignette")

    def _new_answer_widget(self, index: int) -> AnswerWidget:
        """Item ``index``'s answer widget, showing :meth:`_shown_response`."""
        return answer_widget_for(self.session.items[index], self._shown_response(index))

    def show_question(self, index: int) -> None:
        """Show item ``index`` with a fresh answer widget (restored from a saved answer)."""
        item = self.session.items[index]
        body = self.query_one("#question-body", VerticalScroll)
        prompt = self.query_one("#prompt", BankMarkdown)
        drawn: list[Awaitable[object]] = [prompt.update(item.question.prompt)]
        shown = self.query("#case-title, #vignette")
        if item.case is None:
            shown.set(display=False)
        elif not shown:
            drawn.append(body.mount(*self._case_widgets(item.case), before=prompt))
        elif item.case is not self.session.items[self.index].case:  # the same case: as it is
            self.query_one("#case-title", Static).update(case_title(item.case))
            drawn.append(self.query_one("#vignette", BankMarkdown).update(item.case.vignette))
            shown.set(display=True)
        # Let go of the focus first: removing the focused widget would hand it to the body, and
        # each focus change restyles the whole question (a good part of the time to show it).
        self.set_focus(None, scroll_visible=False)
        if self._answer.struck and not self._answer.revealed:
            self._struck[self.index] = self._answer.struck
        self._answer.remove()
        self._answer = self._new_answer_widget(index)
        self._answer.struck = self._struck.pop(index, set())
        drawn.append(body.mount(self._answer, after=prompt))
        self._hide_feedback()
        if self.session.asks_certainty:
            self.query_one("#certainty-prompt", Static).display = False
        body.scroll_home(animate=False)
        self._hold_frames()
        self._present(index, drawn)

    def _hold_frames(self) -> None:
        """Draw no frame until the question's parts are mounted (:meth:`_when_drawn` lets go),
        or for :data:`HOLD_FRAMES` seconds at most: one layout and one frame show the next
        question, where each part mounted would otherwise bring a frame of its own, each one
        laying out and rendering the whole screen."""
        hold = self.app.batch_update()
        hold.__enter__()
        self._holds.append(hold)
        # The app's timer: this screen's would stop with it, and the hold would last forever.
        self.app.set_timer(HOLD_FRAMES, partial(self._release_frames, hold))

    def _release_frames(self, hold: AbstractContextManager[None] | None = None) -> None:
        """Frames again, from now: ``hold`` is let go, or every hold when ``None`` (a hold let go
        already is not let go again)."""
        held = [hold] if hold in self._holds else [] if hold is not None else self._holds[:]
        for each in held:
            self._holds.remove(each)
            each.__exit__(None, None, None)
        if held and self.is_attached:
            self.refresh()  # what changed meanwhile is drawn

    def on_unmount(self) -> None:
        self._release_frames()  # the screen went before the question's parts were mounted

    def _hide_feedback(self) -> None:
        """Before the next question: hide what was shown about the last one."""

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
        try:
            for part in drawn:
                await part
        finally:
            self._release_frames()
        self.call_after_refresh(self._shown, index)

    def _shown(self, index: int) -> None:
        if index != self.index or not self.is_attached:  # another question, or the screen left
            return
        if self.focused is None and not self.revealed:
            # a short answer's input asked for the focus before it was mounted
            self._answer.focus(scroll_visible=False)
        self._drawn(index)
        self.post_message(self.QuestionShown(index))

    def _update_status(self) -> None:
        item = self.session.items[self.index]
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(f" {self.session.plan.mode.label} ", style="bold reverse")
        left.append(f"  {self.index + 1}/{len(self.session.items)}  ", style="bold")
        left.append(visible(item.topic_title), style="italic")
        left.append(f" · d{item.question.difficulty}", style="dim")
        status = Table.grid(expand=True)
        status.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        status.add_column(no_wrap=True, justify="right")
        status.add_row(left, self._status_marks())
        self.query_one("#status", Static).update(status)

    # --- keeping answers, flags and the result ---------------------------------------------------

    def _hand_in(self, response: Response) -> None:
        """Keep ``response``, after asking how sure the trainee is if the session asks."""
        if self.session.asks_certainty:
            self._ask_certainty(response)
        else:
            self._keep_answer(response)

    def _keep_answer(self, response: Response, certainty: Certainty | None = None) -> None:
        """Grade and store ``response`` to the question shown, said with ``certainty`` (in a
        worker); then :meth:`_answer_kept`."""
        self.busy = True
        now = time.monotonic()
        seconds, self.shown_at = now - self.shown_at, now  # an exam adds up its visits
        self._store_answer(self.index, response, seconds, certainty)

    @work(thread=True, exit_on_error=False, group="answers")
    def _store_answer(
        self, index: int, response: Response, seconds: float, certainty: Certainty | None
    ) -> None:
        answer = self.session.answer(index, response, seconds, certainty)
        self.post_message(self.AnswerKept(answer))

    # --- certainty -------------------------------------------------------------------------------

    def _ask_certainty(self, response: Response) -> None:
        """Show the certainty prompt for ``response``; the answer is locked until a key."""
        self.asking = response
        self._answer.freeze(True)
        prompt = self.query_one("#certainty-prompt", Static)
        prompt.update(certainty_prompt())
        prompt.display = True
        self.refresh_bindings()

    def _close_certainty(self) -> None:
        self.asking = None
        self.query_one("#certainty-prompt", Static).display = False
        self._answer.freeze(False)

    def action_certainty(self, level: int) -> None:
        """Hand in the answer, said with certainty ``level`` (1 not sure, 2 fairly, 3 sure)."""
        response = self.asking
        if response is None or self.busy:
            return
        certainty = Certainty(level)
        self.asking = None  # the answer stays frozen: the feedback locks it anyway (practice),
        # and letting a short answer's input take the focus back would cost the feedback time
        # Nothing changes on screen until the feedback: the prompt's lines say what was said
        # from the frame after it (see _on_answer_kept), and the key bar follows then too.
        # Hiding the prompt, or redrawing anything now, would cost the feedback a frame.
        self._said = certainty_said(certainty, exam=self.session.plan.mode is Mode.EXAM)
        self._keep_answer(response, certainty)

    def action_change_answer(self) -> None:
        """Close the certainty prompt and go back to the answer."""
        self._close_certainty()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the certainty prompt is up only its keys (and the app's) work."""
        if action in ("certainty", "change_answer"):
            return self.asking is not None
        if self.asking is not None:
            return False
        return True

    @on(AnswerKept)
    def _on_answer_kept(self, message: AnswerKept) -> None:
        self.busy = False
        self._answer_kept(message.answer)
        self._thaw()
        said, self._said = self._said, None
        if said is not None and self.asking is None:
            self.call_after_refresh(self._show_said, said)

    def _show_said(self, said: Text) -> None:
        prompt = self.query_one("#certainty-prompt", Static)
        if prompt.display and self.asking is None:  # still the question it was said for
            prompt.update(said)

    def _thaw(self) -> None:
        """Let an answer frozen for its certainty change again, unless its key is shown."""
        if self._answer.frozen and not self._answer.revealed and self.asking is None:
            self._answer.freeze(False)

    def work_failed(self, worker: Worker[object]) -> None:
        self.busy = False  # the error is on screen; the trainee may try again
        self._said = None
        self._thaw()
        self.refresh_bindings()

    def action_flag(self) -> None:
        """Flag or unflag this question for later (kept with your progress)."""
        self._store_flag(self.index, self.index not in self.session.flagged)

    @work(thread=True, exit_on_error=False, group="flags")
    def _store_flag(self, index: int, flagged: bool) -> None:
        self.session.set_flag(index, flagged)
        self.post_message(self.FlagKept())

    @on(FlagKept)
    def _on_flag_kept(self) -> None:
        self._update_status()

    def action_report(self) -> None:
        """Report a problem with the question shown (on the question or its feedback)."""
        from quiz.tui.screens.dialogs import ReportDialog

        trainer = self.quiz.trainer
        if trainer is None:
            self.quiz.notify_not_ready()
            return
        item = self.session.items[self.index]

        def written(note: str | None) -> None:
            if note:
                self._store_report(trainer, item, note)

        self._open(ReportDialog(item.question.id), written)

    @work(thread=True, exit_on_error=False, group="reports")
    def _store_report(self, trainer: Trainer, item: SessionItem, note: str) -> None:
        trainer.report_problem(item, note)
        self.app.call_from_thread(
            self.notify, "Reported: thank you. Instructors see it in `ims-quiz reports`."
        )

    def _finish(self) -> None:
        """Close the session (in a worker) and show its results."""
        if self.session.finished:
            return
        self.busy = True
        self._close_session()

    @work(thread=True, exit_on_error=False, group="answers")
    def _close_session(self) -> None:
        self.post_message(self.SessionFinished(self.session.finish()))

    @on(SessionFinished)
    def _show_results(self, message: SessionFinished) -> None:
        from quiz.tui.screens.results import ResultsScreen

        # Time can run out under a dialog (the navigator, help): close it, then replace this
        # screen, so that leaving the results goes home rather than back to a finished exam.
        while self.app.screen is not self:
            self.app.pop_screen()
        self.app.switch_screen(ResultsScreen(self.session, message.result))

    # --- leaving ---------------------------------------------------------------------------------

    def _open(self, dialog: Screen[T], chosen: Callable[[T | None], None]) -> None:
        """Push ``dialog`` over this screen, unless another one got there first (keys pressed
        while an answer was being saved would otherwise stack dialogs on dialogs)."""
        if self.app.screen is self:
            self.app.push_screen(dialog, chosen)

    def action_leave(self) -> None:
        """Leave the session; everything answered is saved and it can be resumed."""
        from quiz.tui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._save_then(self.quiz.go_home)

        self._open(
            ConfirmDialog(
                "Leave this session? Your answers are saved: Home lists it under "
                "Unfinished sessions, and u there resumes it.",
                yes="Leave",
                no="Stay",
            ),
            confirmed,
        )


def certainty_prompt() -> Text:
    """The prompt under an answer that waits for its certainty, with the marks at stake."""
    text = Text(no_wrap=False)
    text.append(" How sure are you? ", style="bold reverse")
    for level in Certainty:
        marks = f"{RIGHT_MARK[level]:+d}/{WRONG_MARK[level]:+d}".replace("+0", "0")
        text.append(f"  {int(level)} ", style="bold")
        text.append(level.label)
        text.append(f" ({marks})", style="dim")
    text.append("\n enter: not sure · esc: change the answer · marks if right/wrong", style="dim")
    return text


def certainty_said(certainty: Certainty, *, exam: bool) -> Text:
    """What the prompt's place shows once the certainty is given (two lines, as the prompt)."""
    text = Text(no_wrap=False)
    text.append(" You said ", style="bold reverse")
    text.append(f"  {certainty.label}", style="bold")
    marks = f"{RIGHT_MARK[certainty]:+d} if right, {WRONG_MARK[certainty]:+d} if wrong"
    text.append(f" ({marks.replace('+0', '0')})", style="dim")
    again = "the answer can change until the exam is submitted" if exam else "ctrl+z takes it back"
    text.append(f"\n {again}", style="dim")
    return text


def question_screen_for(session: ActiveSession) -> QuestionScreen:
    """The screen that runs ``session``: an exam's, or practice's for every other mode."""
    if session.plan.mode is Mode.EXAM:
        from quiz.tui.screens.exam import ExamScreen

        return ExamScreen(session)
    from quiz.tui.screens.practice import PracticeScreen

    return PracticeScreen(session)
