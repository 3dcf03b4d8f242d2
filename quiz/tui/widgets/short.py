"""Answers to ``short`` questions: a typed answer."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import Input, Static

from quiz.domain.grading import Grade, Response, TextResponse, near_miss
from quiz.domain.model import ShortAnswer
from quiz.domain.session import SessionItem
from quiz.domain.text import visible
from quiz.tui.widgets.answer import RIGHT, WRONG, AnswerWidget


class AnswerLine(Input):
    """The short answer's input line. Enter is the screen's key, as on every other question.

    The input's own enter posted a message that reached the screen only after the keys typed
    next were handled, so a certainty digit typed at once after enter went into the text and
    was lost. Enter goes straight to the screen's binding now, in the order typed; and from
    enter until the screen reads the answer, printable keys are passed on to the screen's
    keys (the certainty digits) instead of being typed.
    """

    handing_in = False
    """Enter was pressed; the screen has not read the answer yet."""

    passed_on = ""
    """What was passed on meanwhile: typed after all if the answer was empty (:meth:`read`)."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return False  # enter falls through to the screen
        return super().check_action(action, parameters)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            self.handing_in = True
        elif self.handing_in and event.is_printable and event.character is not None:
            event.prevent_default()  # not typed (Input's own handler is skipped): on it goes
            self.passed_on += event.character

    def read(self) -> str:
        """The answer's text, for the screen, which takes the keys after enter from here on.
        Enter on an empty line hands nothing in (no certainty is asked), so the keys passed on
        after it are typed after all."""
        passed_on, self.passed_on, self.handing_in = self.passed_on, "", False
        if not self.value.strip() and passed_on:
            self.insert_text_at_cursor(passed_on)
            return ""
        return self.value


class ShortAnswerInput(AnswerWidget, can_focus=False):
    """An input line; enter is left to the screen, as with every answer widget.

    The widget itself takes no focus: :meth:`focus` focuses the input, and Tab reaches it too.
    Once revealed the input is disabled.
    """

    EMPTY_HINT = "Type an answer first."

    DEFAULT_CSS = """
    ShortAnswerInput {
        & > Input { margin-bottom: 1; }
        & > .short--verdict { height: auto; text-style: bold; display: none; }
        & > .short--verdict.-right { color: $text-success; }
        & > .short--verdict.-wrong { color: $text-error; }
        & > .short--accepted { height: auto; display: none; }
        & > .short--near-miss { height: auto; color: $text-warning; margin-bottom: 1; }
        &.-revealed > .short--verdict, &.-revealed > .short--accepted { display: block; }
        &.-revealed > .short--near-miss { display: none; }
        &.-revealed > .answer--hint { display: none; }
    }
    """

    @property
    def question(self) -> ShortAnswer:
        """The question being answered."""
        return self.item.question  # type: ignore[return-value]

    def __init__(
        self,
        item: SessionItem,
        *,
        response: Response | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(item, response=response, id=id, classes=classes)
        self._restored = response.text if isinstance(response, TextResponse) else ""
        # The value is set in compose: setting it needs a running app.
        self.input = AnswerLine(placeholder="Type your answer", select_on_focus=False)
        """The text input."""
        self._locked_text = ""
        self._verdict = Static(classes="short--verdict")
        self._accepted = Static(classes="short--accepted")
        self._near_miss: Static | None = None
        self.offered: str | None = None
        """The accepted answer the text typed is a near miss of, offered before it is
        submitted (``None``: nothing offered; editing the text takes the offer back)."""
        self.near_miss_accepted = False
        """The trainee accepted the offered near miss as right."""

    def compose(self) -> ComposeResult:
        if self._restored:
            self._set_text(self._restored)
        # The key bar says "f1 Help" here, "? Help" elsewhere: ? is text in the input.
        hint = "Type your answer, then press enter. Here ? is text: f1 is help."
        yield Static(Content(hint), classes="answer--hint")
        yield self.input
        yield self._verdict
        yield self._accepted

    def focus(self, scroll_visible: bool = True) -> ShortAnswerInput:
        """Focus the input."""
        self.input.focus(scroll_visible)
        return self

    def _set_text(self, text: str) -> None:
        with self.input.prevent(Input.Changed):
            self.input.value = text
        self._restored = ""

    def response(self) -> Response | None:
        text = self.input.read() or self._restored
        if not text.strip():
            return None
        return TextResponse(text=text, near_miss_accepted=self.near_miss_accepted)

    def offer_near_miss(self, answer: str) -> None:
        """Say that the text typed is one edit from ``answer``, and how to accept it."""
        self.offered = answer
        line = Content.assemble(
            "Near miss: one letter from the accepted answer ",
            (visible(answer), "bold"),
            ".\nctrl+y accepts it as right; enter submits it as typed.",
        )
        if self._near_miss is None:
            self._near_miss = Static(line, classes="short--near-miss")
            self.mount(self._near_miss, after=self.input)
        else:
            self._near_miss.update(line)
            self._near_miss.display = True

    def _withdraw_offer(self) -> None:
        self.offered = None
        self.near_miss_accepted = False
        if self._near_miss is not None:
            self._near_miss.display = False

    def freeze(self, frozen: bool) -> None:
        """Freeze the text while the answer waits for its certainty: the input lets go of the
        focus (a focused input takes every digit, the certainty keys too) and takes it back
        after."""
        super().freeze(frozen)
        self._locked_text = self.input.value
        if frozen:
            if self.input.has_focus:
                self.screen.set_focus(None, scroll_visible=False)
        elif not self.revealed:
            self.input.focus(scroll_visible=False)

    @on(Input.Changed)
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.frozen:
            self._set_text(self._locked_text)  # typed while the certainty is asked: undone
            return
        self._withdraw_offer()
        self._post_changed()

    def _show_key(self, grade: Grade, response: Response | None) -> None:
        text = response.text if isinstance(response, TextResponse) else ""
        self._set_text(text)
        self.input.disabled = True
        accepted_miss = isinstance(response, TextResponse) and response.near_miss_accepted
        if not text.strip():
            verdict = Content(f"{WRONG} No answer given.")
        elif grade.correct and accepted_miss:
            verdict = Content(f"{RIGHT} Accepted as a near miss (you accepted it).")
        elif grade.correct:
            verdict = Content(f"{RIGHT} Accepted.")
        elif near_miss(self.question, text) is not None:
            verdict = Content(f"{WRONG} Not accepted: a near miss, one letter from an answer.")
        else:
            verdict = Content(f"{WRONG} Not accepted.")
        self._verdict.update(verdict)
        self._verdict.set_class(grade.correct, "-right", update=False)
        self._verdict.set_class(not grade.correct, "-wrong", update=False)
        self._accepted.update(accepted_content(self.question))


def accepted_content(question: ShortAnswer) -> Content:
    """The accepted answers, one per line. The author's patterns are never shown: a regular
    expression is no answer a trainee can read (``c\\s*7 root``), and it may give away more
    than the answer."""
    lines: list[Content] = []
    if question.answers:
        lines.append(Content.styled("Accepted answers:", "dim"))
        lines.extend(
            Content.assemble((f"  {RIGHT} ", "$text-success"), visible(answer))
            for answer in question.answers
        )
        if question.patterns:
            lines.append(Content.styled("  (and answers worded like these)", "dim"))
    elif question.patterns:
        lines.append(Content.styled("Accepted: answers the bank's rule recognises.", "dim"))
    return Content("\n").join(lines)
