"""Answers to ``matching`` questions: a right-hand option for every left-hand item."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from quiz.domain.grading import Grade, MatchingResponse, Response
from quiz.domain.model import Matching
from quiz.domain.session import SessionItem
from quiz.domain.text import visible
from quiz.tui.widgets._row import AnswerRow, Cell
from quiz.tui.widgets.answer import CURSOR_BINDINGS, RIGHT, WRONG, AnswerWidget, digit_bindings

NO_MATCH = "—"


class MatchRow(AnswerRow):
    """A left-hand item, an arrow, and the option matched to it (and the key, once revealed)."""

    def __init__(self, position: int, left: str) -> None:
        super().__init__(position)
        self._left = left
        self._choice = Text(NO_MATCH, style="dim")
        self._key: tuple[bool, str] | None = None
        """Once revealed: whether the match is right, and the correct option."""

    def show_choice(self, number: int | None, text: str | None) -> None:
        """Show the option matched to this row (its number and text), or none."""
        if text is None:
            self._choice = Text(NO_MATCH, style="dim")
        elif number is None:
            self._choice = Text(text)
        else:
            self._choice = Text.assemble((f"{number} ", "dim"), text)
        self.refresh(layout=True)

    def show_key(self, chosen: str | None, correct: str) -> None:
        """Mark the match right or wrong; when wrong, show the correct option below."""
        right = chosen == correct
        self.set_class(right, "-right", update=False)
        self.set_class(not right, "-wrong", update=False)
        self._choice = Text(chosen) if chosen is not None else Text("no answer", style="dim")
        self._key = (right, correct)
        self.refresh(layout=True)

    def cells(self) -> list[Cell]:
        cells = [Cell(Text(self._left)), Cell(Text(" →", style=self.muted()), 3)]
        if self._key is None:
            return [*cells, Cell(self._choice)]
        right, correct = self._key
        right_style = self.style_of("answer--right")
        body = self._choice.copy()
        if not right:
            body.append("\n")
            body.append_text(Text.assemble(f"{RIGHT} ", correct, style=right_style))
        if right:
            verdict = Text(RIGHT, style=right_style)
        else:
            verdict = Text(WRONG, style=self.style_of("answer--wrong"))
        return [*cells, Cell(verdict, 2), Cell(body)]


class RightOption(Static):
    """A numbered right-hand option."""

    DEFAULT_CSS = """
    RightOption {
        height: auto;
        &.-used { color: $text-muted; }
    }
    """

    class Pressed(Message):
        """The option was clicked."""

        def __init__(self, option: RightOption) -> None:
            self.option = option
            super().__init__()

    def __init__(self, number: int, text: str) -> None:
        super().__init__(Content.assemble((f"{number:>2} ", "dim"), visible(text)))
        self.number = number

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self))


class MatchingAnswer(AnswerWidget):
    """Left items in file order, each matched to one of the numbered right-hand options.

    Keys: ``up``/``down`` (``k``/``j``) choose the row; ``1``-``9`` match that option to the row
    and go to the next row; ``left``/``right`` cycle the row's option (reaches options beyond 9);
    ``backspace``/``delete`` clear the row.
    """

    EMPTY_HINT = "Match at least one row first: ↑↓ choose a row, 1-9 assign an item."

    DEFAULT_CSS = """
    MatchingAnswer {
        & MatchRow.-cursor { background: $block-cursor-blurred-background; }
        &:focus MatchRow.-cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & MatchRow.-right { background: $success 15%; }
        & MatchRow.-wrong { background: $error 15%; }
        & .match--options { height: auto; }
        & .match--options-title { color: $text-muted; text-style: bold; margin-top: 1; }
        &.-revealed .match--options { display: none; }
    }
    """

    BINDINGS = [
        *CURSOR_BINDINGS,
        *digit_bindings("pick", "Match"),
        Binding("left", "cycle(-1)", "Previous option", show=False),
        Binding("right", "cycle(1)", "Next option", show=False),
        Binding("backspace,delete", "clear", "Clear", show=False),
    ]
    ANSWER_ACTIONS = AnswerWidget.ANSWER_ACTIONS | {"cycle", "clear"}

    @property
    def question(self) -> Matching:
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
        question: Matching = item.question  # type: ignore[assignment]
        rights = item.right_options or (
            *(right for _, right in question.pairs),
            *question.distractors,
        )
        # Two pairs may share a right-hand item; it is one option.
        self.options: tuple[str, ...] = tuple(dict.fromkeys(rights))
        """The right-hand options in display order; option N is ``options[N - 1]``."""
        self.matches: list[str | None] = [None] * len(question.pairs)
        """The option matched to each left item (file order), or ``None``."""
        self.cursor = 0
        if isinstance(response, MatchingResponse):
            self._restore(response)
        self._hint = Static(classes="answer--hint")
        self._rows = [MatchRow(position, left) for position, (left, _) in enumerate(question.pairs)]
        self._options = [RightOption(number, text) for number, text in enumerate(self.options, 1)]

    def _restore(self, response: MatchingResponse) -> None:
        for position, match in enumerate(response.matches[: len(self.matches)]):
            self.matches[position] = match

    def compose(self) -> ComposeResult:
        yield self._hint
        yield from self._rows
        with Vertical(classes="match--options"):
            yield Static(Content("Options"), classes="match--options-title")
            yield from self._options
        self._show_matches()
        self._rows[self.cursor].add_class("-cursor", update=False)  # not mounted yet

    def response(self) -> Response | None:
        if all(match is None for match in self.matches):
            return None
        return MatchingResponse(matches=tuple(self.matches))

    def _pick_limit(self) -> int:
        return len(self.options)

    def unmatched(self) -> list[str]:
        if all(match is None for match in self.matches):
            return []
        return [
            visible(left)
            for (left, _), match in zip(self.question.pairs, self.matches, strict=True)
            if match is None
        ]

    def _show_hint(self) -> None:
        keys = f"1-{min(len(self.options), 9)}"
        hint = Content(f"Match each item: ↑↓ row, {keys} pick, ←→ cycle, backspace clears")
        unmatched = self.unmatched()
        if unmatched:
            hint = Content.assemble(hint, "\n", ("Not matched yet: ", "bold"), "; ".join(unmatched))
        self._hint.update(hint)

    def _show_matches(self) -> None:
        if not self.revealed:
            self._show_hint()
        for row, match in zip(self._rows, self.matches, strict=True):
            number = self.options.index(match) + 1 if match in self.options else None
            row.show_choice(number, match)
        used = set(self.matches)
        for option, text in zip(self._options, self.options, strict=True):
            option.set_class(text in used, "-used", update=self.is_mounted)

    def _move_cursor(self, position: int) -> None:
        position = max(0, min(position, len(self._rows) - 1))
        self._rows[self.cursor].remove_class("-cursor")
        self.cursor = position
        self._rows[position].add_class("-cursor")
        self._rows[position].scroll_visible(animate=False)

    def _set_match(self, text: str | None) -> None:
        if self.matches[self.cursor] == text:
            return
        self.matches[self.cursor] = text
        self._show_matches()
        self._post_changed()

    def action_cursor(self, delta: int) -> None:
        """Move to the previous (-1) or next (1) left item."""
        self._move_cursor(self.cursor + delta)

    def action_cursor_to(self, position: int) -> None:
        """Move to the left item at ``position`` (-1: the last)."""
        self._move_cursor(position if position >= 0 else len(self._rows) - 1)

    def action_pick(self, number: int) -> None:
        """Match option ``number`` (from 1) to the current item and go to the next item."""
        self._set_match(self.options[number - 1])
        self._move_cursor(self.cursor + 1)

    def action_cycle(self, delta: int) -> None:
        """Match the previous (-1) or next (1) option to the current item."""
        current = self.matches[self.cursor]
        if current in self.options:
            index = (self.options.index(current) + delta) % len(self.options)
        else:
            index = 0 if delta > 0 else len(self.options) - 1
        self._set_match(self.options[index])

    def action_clear(self) -> None:
        """Clear the current item's match."""
        self._set_match(None)

    @on(AnswerRow.Pressed)
    def _row_clicked(self, event: AnswerRow.Pressed) -> None:
        event.stop()
        if not self.locked:
            self.focus()
            self._move_cursor(event.row.position)

    @on(RightOption.Pressed)
    def _option_clicked(self, event: RightOption.Pressed) -> None:
        event.stop()
        if not self.locked:
            self.focus()
            self.action_pick(event.option.number)

    def _show_key(self, grade: Grade, response: Response | None) -> None:
        chosen = response.matches if isinstance(response, MatchingResponse) else ()
        self._rows[self.cursor].remove_class("-cursor", update=False)
        for position, (row, (_, correct)) in enumerate(
            zip(self._rows, self.question.pairs, strict=True)
        ):
            row.show_key(chosen[position] if position < len(chosen) else None, correct)
        right = sum(row.has_class("-right") for row in self._rows)
        parts: list[str | tuple[str, str]] = []
        if response is None:
            parts.append(("No answer given.  ", "bold"))
        parts += [
            f"{right} of {len(self._rows)} matched.  ",
            (RIGHT, "bold $text-success"),
            " right   ",
            (WRONG, "bold $text-error"),
            " wrong, the correct option below",
        ]
        self._hint.update(Content.assemble(*parts))
