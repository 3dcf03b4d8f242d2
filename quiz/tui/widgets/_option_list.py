"""A list of lettered options with a cursor: the shared body of choice and true/false answers."""

from __future__ import annotations

import msgspec
from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from quiz.domain.grading import Grade, Response
from quiz.domain.session import SessionItem
from quiz.tui.widgets._row import AnswerRow, Cell
from quiz.tui.widgets.answer import (
    CURSOR_BINDINGS,
    PICKED_MANY,
    PICKED_ONE,
    RIGHT,
    UNPICKED_MANY,
    UNPICKED_ONE,
    WRONG,
    AnswerWidget,
    digit_bindings,
    letter_bindings,
    option_letter,
    why_text,
)


class OptionKey(msgspec.Struct, frozen=True):
    """What the key says about one option, against the graded answer."""

    correct: bool
    picked: bool
    unsafe: bool = False
    why: str | None = None


class OptionRow(AnswerRow):
    """One option: its letter, a pick box, the verdict once revealed, and the text with its why."""

    def __init__(self, position: int, text: str, *, box: str) -> None:
        super().__init__(position)
        self._text = text
        self._box = box
        self._key: OptionKey | None = None
        self.struck = False
        """Whether the trainee struck the option out (drawn crossed out, until revealed)."""

    def show_struck(self, struck: bool) -> None:
        """Cross the option out, or no longer."""
        self.struck = struck
        self.refresh()

    def show_pick(self, picked: bool, box: str, *, update: bool = True) -> None:
        """Show whether the option is picked, with ``box`` as the mark."""
        self.set_class(picked, "-selected", update=update)
        self._box = box
        self.refresh()

    def show_key(self, key: OptionKey) -> None:
        """Show the verdict and the why of this option."""
        wrong = key.picked and not key.correct
        self.set_class(key.correct, "-correct", update=False)
        self.set_class(wrong, "-wrong", update=False)
        self.set_class(key.unsafe, "-unsafe", update=False)
        self.set_class(key.unsafe and key.picked, "-unsafe-pick", update=False)
        self._key = key
        self.refresh(layout=True)

    def cells(self) -> list[Cell]:
        strong = Style(bold=True) if self.has_class("-selected") else Style()
        muted = self.muted()
        cells = [
            Cell(Text(option_letter(self.position), style=muted), 3),
            Cell(Text(self._box, style=strong), 4),
        ]
        key = self._key
        if self.struck and key is None:
            strong = Style(strike=True, dim=True)
        body = Text.assemble((self._text, strong))
        if key is not None:
            if key.correct:
                verdict = Text(RIGHT, style=self.style_of("answer--right"))
            elif key.picked:
                verdict = Text(WRONG, style=self.style_of("answer--wrong"))
            else:
                verdict = Text()
            cells.append(Cell(verdict, 2))
            why = why_text(
                key.why, unsafe=key.unsafe, muted=muted, warning=self.style_of("answer--warning")
            )
            if why:
                body.append("\n")
                body.append_text(why)
                body.append("\n")
        cells.append(Cell(body))
        return cells


class OptionListAnswer(AnswerWidget):
    """Lettered options with a cursor; one pick, or many when :attr:`multiple`.

    Subclasses say what the options are (:meth:`_option_texts`), how a response maps onto their
    display positions and back, and what the key says about each option.
    """

    DEFAULT_CSS = """
    OptionListAnswer {
        & OptionRow.-cursor {
            background: $block-cursor-blurred-background;
        }
        &:focus OptionRow.-cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        & OptionRow.-correct.-selected {
            background: $success 15%;
        }
        & OptionRow.-wrong { background: $error 15%; }
        & OptionRow.-unsafe-pick { background: $warning 25%; }
    }
    """

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("space", "pick_cursor", "Pick", show=False),
        Binding("x", "strike", "Strike out", show=False),
        *digit_bindings("pick", "Pick"),
        *letter_bindings("pick", "Pick"),
    ]

    ANSWER_ACTIONS = AnswerWidget.ANSWER_ACTIONS | {"pick_cursor", "strike"}

    key_as_answer: bool = False
    """The response revealed is the key itself (the bank's keys shown), not a trainee's: the
    legend names the filled boxes so."""

    multiple: bool = False
    """Whether the trainee may pick several options (space and the pick keys toggle)."""

    def __init__(
        self,
        item: SessionItem,
        *,
        response: Response | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(item, response=response, id=id, classes=classes)
        self.cursor = 0
        """Display position of the cursor."""
        self.selected: set[int] = set()
        """Display positions of the picked options."""
        self._rows: list[OptionRow] = []
        self._hint = Static(classes="answer--hint")
        if response is not None:
            self.selected = self._positions_of(response)
            if self.selected:
                self.cursor = min(self.selected)

    # --- what subclasses define ------------------------------------------------------------------

    def _option_texts(self) -> list[str]:
        """The options' texts, in display order."""
        raise NotImplementedError

    def _positions_of(self, response: Response | None) -> set[int]:
        """The display positions that ``response`` picks."""
        raise NotImplementedError

    def _response_of(self, positions: set[int]) -> Response | None:
        """The response that picking ``positions`` gives (``None`` for no pick)."""
        raise NotImplementedError

    def _option_keys(self, response: Response | None) -> list[OptionKey]:
        """The key of every option, in display order, against ``response``."""
        raise NotImplementedError

    # --- the widget ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._hint.update(self._hint_content())
        yield self._hint
        for position, text in enumerate(self._option_texts()):
            row = OptionRow(position, text, box=self._box(position in self.selected))
            # Not mounted yet: no restyle now, the mount styles the rows.
            row.set_class(position in self.selected, "-selected", update=False)
            row.set_class(position == self.cursor, "-cursor", update=False)
            row.struck = position in self.struck
            self._rows.append(row)
            yield row

    def _hint_content(self) -> Content:
        count = len(self._rows) or len(self._option_texts())
        keys = f"1-{count} or A-{option_letter(count - 1)}"
        if self.multiple:
            return Content(f"Select all that apply: {keys} or space toggles, ↑↓ move, x strikes")
        return Content(f"Pick one: {keys}, or ↑↓ and space; x strikes out")

    def _box(self, picked: bool) -> str:
        if self.multiple:
            return PICKED_MANY if picked else UNPICKED_MANY
        return PICKED_ONE if picked else UNPICKED_ONE

    def response(self) -> Response | None:
        return self._response_of(self.selected) if self.selected else None

    def _pick_limit(self) -> int:
        return len(self._rows)

    def take_shown(self) -> None:
        if not self.selected and not self.revealed and self._rows:
            self._choose(self.cursor)

    def _move_cursor(self, position: int) -> None:
        if not self._rows:
            return
        position = max(0, min(position, len(self._rows) - 1))
        self._rows[self.cursor].remove_class("-cursor")
        self.cursor = position
        row = self._rows[position]
        row.add_class("-cursor")
        row.scroll_visible(animate=False)

    def action_strike(self) -> None:
        """Strike the option under the cursor out, or back in (picking it also brings it back)."""
        self.struck ^= {self.cursor}
        self._rows[self.cursor].show_struck(self.cursor in self.struck)

    def _choose(self, position: int) -> None:
        if position in self.struck:
            self.struck.discard(position)
            self._rows[position].show_struck(False)
        if self.multiple:
            self.selected ^= {position}
        elif self.selected == {position}:
            return
        else:
            self.selected = {position}
        self._show_selection()
        self._post_changed()

    def _show_selection(self, *, update: bool = True) -> None:
        for position, row in enumerate(self._rows):
            picked = position in self.selected
            row.show_pick(picked, self._box(picked), update=update)

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up (-1) or down (1)."""
        self._move_cursor(self.cursor + delta)

    def action_cursor_to(self, position: int) -> None:
        """Move the cursor to ``position`` (-1: the last option)."""
        self._move_cursor(position if position >= 0 else len(self._rows) - 1)

    def action_pick(self, number: int) -> None:
        """Pick (or toggle) option ``number``, counted from 1."""
        self._move_cursor(number - 1)
        self._choose(number - 1)

    def action_pick_cursor(self) -> None:
        """Pick (or toggle) the option under the cursor."""
        self._choose(self.cursor)

    @on(AnswerRow.Pressed)
    def _clicked(self, event: AnswerRow.Pressed) -> None:
        event.stop()
        if self.locked:
            return
        self.focus()
        self._move_cursor(event.row.position)
        self._choose(event.row.position)

    def _show_key(self, grade: Grade, response: Response | None) -> None:
        self.selected = self._positions_of(response)
        self._show_selection(update=False)
        for row in self._rows:
            row.remove_class("-cursor", update=False)
        for row, key in zip(self._rows, self._option_keys(response), strict=True):
            row.show_key(key)
        self._hint.update(
            legend(answered=response is not None, unsafe=grade.unsafe, key=self.key_as_answer)
        )


def legend(*, answered: bool, unsafe: bool = False, key: bool = False) -> Content:
    """The line that explains the marks of a revealed answer (``key``: the answer shown is
    the key's own)."""
    parts: list[str | tuple[str, str]] = []
    if not answered:
        parts.append(("No answer given.  ", "bold"))
    parts += [
        (RIGHT, "bold $text-success"),
        " correct   ",
        (WRONG, "bold $text-error"),
        " wrong pick   ",
        ("●", "bold"),
        " the key's pick" if key else " your answer",
    ]
    if unsafe:
        parts += [
            "\n",
            ("UNSAFE: you picked an option that could cause harm.", "bold $text-warning"),
        ]
    return Content.assemble(*parts)
