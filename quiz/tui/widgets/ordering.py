"""Answers to ``ordering`` questions: put the items in the right order."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from quiz.domain.grading import Grade, OrderingResponse, Response
from quiz.domain.model import Ordering
from quiz.domain.session import SessionItem
from quiz.tui.widgets._row import AnswerRow, Cell
from quiz.tui.widgets.answer import CURSOR_BINDINGS, RIGHT, WRONG, AnswerWidget, digit_bindings


class OrderRow(AnswerRow):
    """A position, the item there, and (once revealed) the verdict and the correct item.

    The header row (position -1) titles the two columns of the key.
    """

    def __init__(self, position: int, *, header: bool = False) -> None:
        super().__init__(position, classes="-header" if header else None)
        self._item = Text()
        self._key: tuple[Text, Text, str] | None = None

    def show_item(self, text: str) -> None:
        """Show ``text`` as the item at this position."""
        self._item = Text(text)
        self.refresh(layout=True)

    def show_key(self, yours: Text, correct: Text, verdict: str = "") -> None:
        """Show the trainee's item beside the correct one, with ``verdict`` between."""
        self._key = (yours, correct, verdict)
        self.refresh(layout=True)

    def cells(self) -> list[Cell]:
        header = self.has_class("-header")
        label = "" if header else f"{self.position + 1:>2}."
        cells = [Cell(Text(label, style=self.muted()), 4)]
        if self._key is None:
            return [*cells, Cell(self._item)]
        yours, correct, verdict = self._key
        verdict_style = self.style_of("answer--right" if verdict == RIGHT else "answer--wrong")
        if not header:  # the header's titles take the row's own (muted, bold) style
            correct = Text.assemble(correct, style=self.style_of("answer--right"))
        verdict_cell = Cell(Text(verdict, style=verdict_style), 2)
        return [*cells, verdict_cell, Cell(yours), Cell(Text(), 2), Cell(correct)]


class OrderingAnswer(AnswerWidget):
    """The items in the session's shuffled order, rearranged with the keyboard.

    Keys: ``up``/``down`` (``k``/``j``) move the cursor; ``shift+up``/``shift+down`` or ``[``/``]``
    move the cursor's item; ``1``-``9`` move it to that position; ``space`` grabs it so that
    ``up``/``down`` carry it, and drops it again.

    :meth:`response` is ``None`` until the trainee moves an item, grabs one (space) or presses
    enter, so a question merely looked at (or skipped in an exam) is not answered; enter hands in
    the order shown.
    """

    EMPTY_HINT = "Move an item first (shift+↑↓ or 1-9), or press enter to keep this order."

    DEFAULT_CSS = """
    OrderingAnswer {
        & OrderRow.-cursor { background: $block-cursor-blurred-background; }
        &:focus OrderRow.-cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
        }
        &:focus OrderRow.-cursor.-grabbed, & OrderRow.-grabbed {
            background: $accent 60%;
            text-style: bold;
        }
        & OrderRow.-header { display: none; color: $text-muted; text-style: bold; }
        &.-revealed OrderRow.-header { display: block; }
        & OrderRow.-wrong { background: $error 15%; }
        & OrderRow.-right { background: $success 15%; }
    }
    """

    BINDINGS = [
        *CURSOR_BINDINGS,
        Binding("shift+up,left_square_bracket", "move(-1)", "Move up", show=False),
        Binding("shift+down,right_square_bracket", "move(1)", "Move down", show=False),
        Binding("space", "grab", "Grab", show=False),
        *digit_bindings("pick", "Move to"),
    ]
    ANSWER_ACTIONS = AnswerWidget.ANSWER_ACTIONS | {"move", "grab"}

    @property
    def question(self) -> Ordering:
        """The question being answered."""
        return self._question

    def __init__(
        self,
        item: SessionItem,
        *,
        response: Response | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        question = item.question
        if not isinstance(question, Ordering):
            raise TypeError(f"an ordering answer cannot answer a {question.kind!r} question")
        self._question = question
        super().__init__(item, response=response, id=id, classes=classes)
        count = len(question.items)
        self.order: list[int] = list(item.choice_order or range(count))
        """Indices into ``question.items``, in the order shown."""
        self.touched = False
        """Whether the trainee has arranged (or confirmed) the order."""
        if isinstance(response, OrderingResponse) and sorted(response.order) == list(range(count)):
            self.order = list(response.order)
            self.touched = True
        self.cursor = 0
        self.grabbed = False
        self._hint = Static(classes="answer--hint")
        self._header = OrderRow(-1, header=True)
        self._rows = [OrderRow(position) for position in range(count)]

    def compose(self) -> ComposeResult:
        self._show_hint()
        yield self._hint
        yield self._header
        yield from self._rows
        self._show_order()
        self._rows[0].add_class("-cursor", update=False)  # not mounted yet: no restyle now

    def _show_hint(self) -> None:
        if self.grabbed:
            hint = "Carrying the item: ↑↓ move it, space drops it"
        else:
            count = min(len(self._rows), 9)
            hint = f"↑↓ select, shift+↑↓ or [ ] move, 1-{count} move to, space grabs, ⏎ keeps"
        self._hint.update(Content(hint))

    def response(self) -> Response | None:
        return OrderingResponse(order=tuple(self.order)) if self.touched else None

    def _pick_limit(self) -> int:
        return len(self._rows)

    def take_shown(self) -> None:
        if not self.touched and not self.revealed:
            self.touched = True
            self._post_changed()

    def _show_order(self) -> None:
        for row, index in zip(self._rows, self.order, strict=True):
            row.show_item(self.question.items[index])

    def _move_cursor(self, position: int) -> None:
        position = max(0, min(position, len(self._rows) - 1))
        self._rows[self.cursor].remove_class("-cursor", "-grabbed")
        self.cursor = position
        row = self._rows[position]
        row.add_class("-cursor")
        row.set_class(self.grabbed, "-grabbed")
        row.scroll_visible(animate=False)

    def _move_item(self, target: int) -> None:
        """Move the cursor's item to position ``target``; the cursor follows it."""
        target = max(0, min(target, len(self.order) - 1))
        self.touched = True
        if target != self.cursor:
            self.order.insert(target, self.order.pop(self.cursor))
            self._show_order()
            self._move_cursor(target)
        self._post_changed()

    def action_cursor(self, delta: int) -> None:
        """Move the cursor up (-1) or down (1); with an item grabbed, carry it."""
        if self.grabbed:
            self._move_item(self.cursor + delta)
        else:
            self._move_cursor(self.cursor + delta)

    def action_cursor_to(self, position: int) -> None:
        """Move the cursor to ``position`` (-1: the last); with an item grabbed, carry it."""
        position = position if position >= 0 else len(self._rows) - 1
        if self.grabbed:
            self._move_item(position)
        else:
            self._move_cursor(position)

    def action_move(self, delta: int) -> None:
        """Move the cursor's item up (-1) or down (1)."""
        self._move_item(self.cursor + delta)

    def action_pick(self, number: int) -> None:
        """Move the cursor's item to position ``number`` (from 1)."""
        self._move_item(number - 1)

    def action_grab(self) -> None:
        """Grab the cursor's item, or drop it."""
        self.grabbed = not self.grabbed
        self._rows[self.cursor].set_class(self.grabbed, "-grabbed")
        self._show_hint()
        if not self.touched:
            self.touched = True
            self._post_changed()

    @on(AnswerRow.Pressed)
    def _row_clicked(self, event: AnswerRow.Pressed) -> None:
        event.stop()
        if self.locked or event.row.position < 0:
            return
        self.focus()
        if self.grabbed:
            self._move_item(event.row.position)
        else:
            self._move_cursor(event.row.position)

    def _show_key(self, grade: Grade, response: Response | None) -> None:
        items = self.question.items
        yours = list(response.order) if isinstance(response, OrderingResponse) else None
        self.grabbed = False
        self._rows[self.cursor].remove_class("-cursor", "-grabbed", update=False)
        self._header.show_key(Text("Your order"), Text("Correct order"))
        for position, row in enumerate(self._rows):
            correct = Text(items[position])
            if yours is None or position >= len(yours):
                row.show_key(Text("—", style="dim"), correct)
                continue
            right = yours[position] == position
            row.set_class(right, "-right", update=False)
            row.set_class(not right, "-wrong", update=False)
            row.show_key(Text(items[yours[position]]), correct, RIGHT if right else WRONG)
        in_place = sum(row.has_class("-right") for row in self._rows)
        parts: list[str | tuple[str, str]] = []
        if yours is None:
            parts.append(("No answer given.  ", "bold"))
        else:
            parts.append(f"{in_place} of {len(self._rows)} in place.  ")
        parts += [
            (RIGHT, "bold $text-success"),
            " in place   ",
            (WRONG, "bold $text-error"),
            " out of place",
        ]
        self._hint.update(Content.assemble(*parts))
