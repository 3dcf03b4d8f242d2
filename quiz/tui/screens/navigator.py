"""The exam navigator: every question as a numbered cell, answered, flagged or not yet."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quiz.service import ActiveSession

MAX_COLUMNS = 10
CELL_WIDTH = 6
"""A cell's button (at least 5 wide) and the gutter after it."""


class NavigatorScreen(ModalScreen[int | None]):
    """Pick a question to go to; dismisses with its index, or ``None``."""

    DEFAULT_CSS = """
    #navigator-grid {
        grid-size: 10;
        grid-gutter: 0 1;
        height: auto;
        max-height: 14;
    }
    #navigator-grid Button { min-width: 5; width: 100%; }
    #navigator-grid Button.answered { background: $success-darken-1; }
    #navigator-grid Button.flagged { background: $warning-darken-1; }
    """

    BINDINGS = [
        Binding("escape,ctrl+o", "close", "Back"),
        Binding("left", "step(-1, 0)", show=False),
        Binding("right", "step(1, 0)", show=False),
        Binding("up", "step(0, -1)", show=False),
        Binding("down", "step(0, 1)", show=False),
        Binding("home", "step_to(0)", show=False),
        Binding("end", "step_to(-1)", show=False),
    ]

    def __init__(self, session: ActiveSession, current: int) -> None:
        super().__init__()
        self.session = session
        self.current = current

    def compose(self) -> ComposeResult:
        answered = len(self.session.answers)
        total = len(self.session.items)
        legend = Text.assemble(
            ("Questions  ", "bold"),
            (f"{answered}/{total} answered   ", ""),
            ("■ answered  ", "green"),
            ("■ flagged  ", "yellow"),
            ("□ not yet", "dim"),
        )
        with Vertical(classes="dialog", id="navigator"):
            yield Static(legend, classes="dialog-title")
            with Grid(id="navigator-grid"):
                for index in range(total):
                    classes = []
                    if index in self.session.answers:
                        classes.append("answered")
                    if index in self.session.flagged:
                        classes.append("flagged")
                    label = f"{index + 1}{'⚑' if index in self.session.flagged else ''}"
                    yield Button(label, id=f"q{index}", classes=" ".join(classes) or "open")
            yield Static(
                Text("arrows move · enter goes there · esc back", style="dim"),
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self._fit_columns(self.app.size.width)
        self.query_one(f"#q{self.current}", Button).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._fit_columns(event.size.width)

    def _fit_columns(self, terminal_width: int) -> None:
        # Fewer columns on a narrow terminal: a grid cell squeezed to no width at all makes the
        # layout raise (the dialog is 90% wide, at most 100, less its border and padding).
        inner = min(100, terminal_width * 9 // 10) - 6
        columns = max(1, min(MAX_COLUMNS, (inner + 1) // CELL_WIDTH))
        self.query_one("#navigator-grid", Grid).styles.grid_size_columns = columns

    def _focused_index(self) -> int:
        focused = self.focused
        if isinstance(focused, Button) and focused.id and focused.id.startswith("q"):
            return int(focused.id[1:])
        return self.current

    def action_step(self, columns: int, rows: int) -> None:
        """Move the focus in the grid: ``columns`` left or right (across rows), ``rows`` up or
        down; a move past the first or last question stays where it is."""
        grid = self.query_one("#navigator-grid", Grid)
        width = grid.styles.grid_size_columns or MAX_COLUMNS
        target = self._focused_index() + columns + rows * width
        if 0 <= target < len(self.session.items):
            self.query_one(f"#q{target}", Button).focus()

    def action_step_to(self, index: int) -> None:
        """Focus the first question (0) or the last (-1)."""
        self.query_one(f"#q{index % len(self.session.items)}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(int((event.button.id or "q0")[1:]))

    def action_close(self) -> None:
        """Back to the question."""
        self.dismiss(None)
