"""Practice, review, weak areas and mistakes: the key and every why after each answer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message

from quiz.domain.grading import TextResponse, near_miss
from quiz.tui.screens.question import CERTAINTY, FLAG, LEAVE, REPORT, QuestionScreen
from quiz.tui.widgets.feedback import FeedbackPanel, verdict_banner
from quiz.tui.widgets.short import ShortAnswerInput

if TYPE_CHECKING:
    from quiz.domain.grading import Response
    from quiz.service import ActiveSession, Answer

UNDO = Binding(
    "ctrl+z",
    "undo",
    "Undo",
    tooltip="take back the last answer (card and schedule too) and answer it again",
)


class PracticeScreen(QuestionScreen):
    """Enter grades the answer and shows the feedback; enter on the feedback goes on."""

    BINDINGS = [
        Binding("enter", "submit", "Submit", tooltip="submit; on feedback: next question"),
        Binding("enter", "next", "Next"),
        Binding("ctrl+y", "accept_near_miss", "Accept", tooltip="accept a near miss as right"),
        *CERTAINTY,
        UNDO,
        FLAG,
        REPORT,
        LEAVE,
    ]

    def __init__(self, session: ActiveSession) -> None:
        self._taken_back: Answer | None = None
        """The answer undo took back, shown again in its question's widget (set first: the
        base class builds the first answer widget)."""
        super().__init__(session)
        self._prepared: int | None = None
        """The item whose explanation the hidden feedback panel holds."""

    def _index_when_all_answered(self) -> int:
        return max(0, len(self.session.items) - 1)

    def _status_marks(self) -> Text:
        marks = super()._status_marks()
        answer = self.session.answers.get(self.index)
        if self.revealed and answer is not None:
            marks.append_text(verdict_banner(answer.grade, answer.certainty))
            marks.append(" ")
        return marks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        allowed = super().check_action(action, parameters)
        if not allowed:
            return allowed
        if action == "submit":
            return not self.revealed
        if action == "next":
            return self.revealed
        if action == "accept_near_miss":
            widget = self._answer
            return (
                isinstance(widget, ShortAnswerInput)
                and widget.offered is not None
                and (not self.revealed)
            )
        if action == "undo":
            return self.session.can_undo
        return True

    # --- the feedback ----------------------------------------------------------------------------

    def _drawn(self, index: int) -> None:
        # The hidden feedback mounts its Markdown now, while the trainee reads, so that the
        # feedback shows at once after the answer key.
        self._prepare_feedback(index)

    def _feedback(self) -> FeedbackPanel | None:
        panels = self.query(FeedbackPanel)
        return panels.first() if panels else None

    def _hide_feedback(self) -> None:
        if (feedback := self._feedback()) is not None:
            feedback.display = False

    def _prepare_feedback(self, index: int) -> FeedbackPanel:
        """The feedback panel, holding item ``index``'s explanation (mounted hidden if new)."""
        feedback = self._feedback()
        item = self.session.items[index]
        if feedback is None:
            feedback = FeedbackPanel(item, id="feedback")
            feedback.display = False
            self.query_one("#question-body", VerticalScroll).mount(feedback)
        elif self._prepared != index:
            feedback.prepare(item)
        self._prepared = index
        return feedback

    # --- answering -------------------------------------------------------------------------------

    def action_submit(self) -> None:
        """Grade the answer and reveal the key."""
        if self.busy:
            return
        widget = self._answer
        widget.take_shown()
        response = widget.response()
        if response is None:
            self.notify(widget.EMPTY_HINT, timeout=3)
            return
        if isinstance(widget, ShortAnswerInput) and isinstance(response, TextResponse):
            if widget.offered is None and (missed := near_miss(widget.question, response.text)):
                # Before it is kept: the trainee says whether it was a slip of the keyboard.
                widget.offer_near_miss(missed)
                self.refresh_bindings()
                return
        unmatched = widget.unmatched()
        if not unmatched:
            self._hand_in(response)
            return
        from quiz.tui.screens.dialogs import ConfirmDialog

        def confirmed(yes: bool | None) -> None:
            if yes and self._answer is widget and not self.busy:
                self._hand_in(response)

        self._open(
            ConfirmDialog(
                f"Not matched yet: {'; '.join(unmatched)}. Submit anyway? "
                "Rows left empty count as wrong.",
                yes="Submit",
                no="Keep matching",
            ),
            confirmed,
        )

    def action_accept_near_miss(self) -> None:
        """Accept the near miss offered for the short answer typed as right, and submit it."""
        widget = self._answer
        if self.busy or not isinstance(widget, ShortAnswerInput) or widget.offered is None:
            return
        widget.near_miss_accepted = True
        self.action_submit()

    def _answer_kept(self, answer: Answer) -> None:
        if answer.index != self.index:
            return
        self._answer.reveal(answer.grade, answer.response)
        feedback = self._prepare_feedback(self.index)  # normally prepared already
        feedback.show_grade(answer.grade, answer.certainty)
        feedback.display = True
        self.revealed = True
        self._update_status()  # the verdict, on screen however far down the feedback starts
        # The focus stays on the answer widget, whose keys are off now: arrows fall through to
        # the scrolling body, enter to "next". Moving it would restyle the whole question twice
        # (blur, focus), a large part of the keypress-to-feedback time. A short answer's input
        # is disabled and lets go of the focus; the body takes it then.
        if self.focused is None:
            self.query_one("#question-body", VerticalScroll).focus()
        # The keys work at once (check_action reads self.revealed); the footer, which Textual
        # rebuilds on refresh_bindings, follows a frame after the feedback instead of delaying it.
        self.call_after_refresh(self.refresh_bindings)

    def action_undo(self) -> None:
        """Take back the last answer of this session, card and review log included, and show
        its question again."""
        if not self.busy:
            self.busy = True
            self._take_back()

    @work(thread=True, exit_on_error=False, group="answers")
    def _take_back(self) -> None:
        self.post_message(self.TakenBack(self.session.undo()))

    class TakenBack(Message, bubble=False):
        """``answer`` was taken back."""

        def __init__(self, answer: Answer) -> None:
            super().__init__()
            self.answer = answer

    @on(TakenBack)
    def _on_taken_back(self, message: TakenBack) -> None:
        self.busy = False
        self._taken_back = message.answer
        self.show_question(message.answer.index)
        self.notify("Answer taken back: answer this question again.", timeout=3)

    def _shown_response(self, index: int) -> Response | None:
        # undo shows the question with the answer it took back, to change or hand in again
        taken, self._taken_back = self._taken_back, None
        return taken.response if taken is not None and taken.index == index else None

    def action_next(self) -> None:
        """After feedback: the next question, or the results after the last."""
        if self.busy:
            return
        if self.index + 1 < len(self.session.items):
            self.show_question(self.index + 1)
        else:
            self._finish()
