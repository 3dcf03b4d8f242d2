"""One row of an answer widget (an option, a position, a pair), drawn as one widget.

A row is narrow fixed-width cells (a letter, a pick box, a verdict) and then text that wraps
under itself. Rows used to be a container of four to six Statics each: a question with six
options mounted over sixty widgets, and styling and laying them out took most of the time to
show a question. Drawn as one Rich grid per row, the same question needs about thirty.

Colours come from the answer widget's component classes (``answer--right`` and co., see
:class:`~quiz.tui.widgets.answer.AnswerWidget`), so they follow the theme; muted text is dim,
which Textual blends toward whatever background the row has. A row's background (cursor,
right, wrong) stays CSS on the row's classes. Bank text goes in as
:class:`rich.text.Text`, which is never parsed as markup.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.console import RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

from quiz.tui.widgets.bank_text import visible_text

MUTED = Style(dim=True)


class Cell(NamedTuple):
    """One cell of a row: ``width`` columns wide, or (``None``) a share of what is left."""

    text: Text
    width: int | None = None


class AnswerRow(Widget):
    """Base of the rows: subclasses say what their cells are (:meth:`cells`)."""

    DEFAULT_CSS = """
    AnswerRow { height: auto; }
    """

    class Pressed(Message):
        """The row was clicked."""

        def __init__(self, row: AnswerRow) -> None:
            self.row = row
            super().__init__()

    def __init__(self, position: int, *, classes: str | None = None) -> None:
        super().__init__(classes=classes)
        self.position = position

    def cells(self) -> list[Cell]:
        """The row's cells, left to right."""
        raise NotImplementedError

    def render(self) -> RenderableType:
        grid = Table.grid(expand=True)
        texts: list[Text] = []
        for cell in self.cells():
            if cell.width is None:
                # A word longer than the row (a 500-character one) folds onto the next lines
                # rather than being cut: it may be the very word that tells options apart.
                grid.add_column(ratio=1, overflow="fold")
            else:
                grid.add_column(width=cell.width, no_wrap=True)
            texts.append(visible_text(cell.text))  # bank text: controls as escapes
        grid.add_row(*texts)
        return grid

    def style_of(self, component: str) -> Style:
        """The answer widget's style for ``component`` (``answer--right``, ``answer--wrong``,
        ``answer--warning``)."""
        answer = self.parent
        if not isinstance(answer, Widget):
            return Style()
        return answer.get_component_rich_style(component, partial=True, default=Style())

    def muted(self) -> Style:
        """Secondary text (letters, whys); on the focused cursor row, the cursor's own colour."""
        answer = self.parent
        if self.has_class("-cursor") and isinstance(answer, Widget) and answer.has_focus:
            return Style()
        return MUTED

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(self.Pressed(self))
