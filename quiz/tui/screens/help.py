"""The key map."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quiz.tui.keys import KeyLine, binding_for, key_lines

# The answer widgets' keys come from generated bindings (a binding per digit and letter, one per
# direction), which read best summed up in words; what the screens bind is read from them.
PICKING = (
    KeyLine("1-9  a-h", "pick option 1-9 / A-H, and nothing else"),
    KeyLine("↑ ↓  k j", "move the cursor"),
    KeyLine("space", "toggle (select all that apply) or pick"),
    KeyLine("x", "strike the highlighted option out while you think, or back in"),
    KeyLine("enter", "nothing picked: takes the highlighted one"),
)
ARRANGING = (
    KeyLine("matching", "↑ ↓ row, 1-9 assign a right-hand item, backspace clears"),
    KeyLine("ordering", "shift+↑ ↓ or [ ] move, 1-9 put it there; enter: this order"),
    KeyLine("short", "type; enter submits; ctrl, tab and esc keys still work"),
)


def key_map() -> list[tuple[str, list[KeyLine]]]:
    """Every key, grouped by where it works, read from the app's and the screens' bindings."""
    from quiz.tui.app import IMSQuizApp
    from quiz.tui.screens.exam import ExamScreen
    from quiz.tui.screens.home import HomeScreen
    from quiz.tui.screens.practice import PracticeScreen
    from quiz.tui.screens.results import ResultsScreen
    from quiz.tui.screens.setup import SetupScreen
    from quiz.tui.widgets.tick_list import TickList

    everywhere = [
        *key_lines([binding_for(IMSQuizApp.BINDINGS, action) for action in ("help", "quit")]),
        KeyLine(
            IMSQuizApp.COMMAND_PALETTE_BINDING,
            "command palette: this screen's actions, theme, and more",
        ),
        KeyLine("esc", "back / leave"),
    ]
    answering = [*PICKING, *key_lines(PracticeScreen.BINDINGS), *ARRANGING]
    exams = [line for line in key_lines(ExamScreen.BINDINGS) if line not in answering]
    results = [
        KeyLine("enter", "look back at the highlighted question, every explanation shown"),
        *key_lines(ResultsScreen.BINDINGS),
    ]
    setup = [
        KeyLine("space", "tick or untick the highlighted line"),
        *key_lines(TickList.BINDINGS),
        *key_lines(SetupScreen.BINDINGS),
    ]
    return [
        ("Everywhere", everywhere),
        ("Home", key_lines(HomeScreen.BINDINGS)),
        ("Answering", answering),
        ("Exams", exams),
        ("Results", results),
        ("Session setup", setup),
    ]


class HelpScreen(ModalScreen[None]):
    """Every key, grouped by where it works."""

    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close")]

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold cyan", no_wrap=True)
        table.add_column()
        for section, keys in key_map():
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
