"""The key map."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KEYS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("?  F1", "this help"),
            ("ctrl+q", "quit (answers are saved as you go)"),
            ("ctrl+p", "command palette: change theme, and more"),
            ("esc", "back / leave"),
        ),
    ),
    (
        "Home",
        (
            ("p e r w m", "practice, exam, review due, weak areas, mistakes"),
            ("b  g", "banks, progress"),
            ("t", "theme (your choice is remembered)"),
        ),
    ),
    (
        "Answering",
        (
            ("1-9  a-h", "pick option 1-9 / A-H"),
            ("↑ ↓  k j", "move the cursor"),
            ("space", "toggle (select all that apply) or pick"),
            ("enter", "submit; on feedback: next question"),
            ("f  ctrl+f", "flag for later (ctrl+f when a question has six or more options)"),
            ("matching", "↑ ↓ choose a row, 1-9 assign a right-hand item, backspace clears"),
            ("ordering", "shift+↑ ↓ or [ ] move the item, 1-9 put it at that position"),
            ("short", "type the answer, enter submits"),
        ),
    ),
    (
        "Exams",
        (
            ("n  p", "next / previous question (answers are kept)"),
            ("g", "overview of all questions: answered, flagged, open"),
            ("s", "submit the exam (asks first if some are unanswered)"),
        ),
    ),
    (
        "Results",
        (
            ("enter", "review the highlighted question with every explanation"),
            ("r", "retry the questions you got wrong"),
        ),
    ),
)


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, keys in KEYS:
            table.add_row(Text(section, style="bold underline"), "")
            for key, meaning in keys:
                table.add_row(key, meaning)
            table.add_row("", "")
        with Vertical(classes="dialog", id="help"):
            yield Static(Text("Keys", style="bold"), classes="dialog-title")
            with VerticalScroll():
                yield Static(table)
            yield Static(Text("esc to close", style="dim"), classes="dialog-hint")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss(None)
