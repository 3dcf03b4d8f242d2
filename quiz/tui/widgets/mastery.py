"""Mastery shown as labelled bars, the way the home and progress screens present it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quiz.service import Mastery
from quiz.tui.widgets.bank_text import bank_text


def mastery_style(mastery: float, attempts: int) -> str:
    """A colour that reads at a glance: grey unseen, red weak, yellow middling, green strong."""
    if attempts == 0:
        return "dim"
    if mastery < 0.4:
        return "red"
    if mastery < 0.75:
        return "yellow"
    return "green"


def bar(fraction: float, width: int, style: str = "") -> Text:
    """A bar of ``width`` cells filled to ``fraction`` (0..1)."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Text("█" * filled + "░" * (width - filled), style=style)


class MasteryBars(Static):
    """One row per topic (or root): title, bar, percentage and attempt count."""

    DEFAULT_CSS = """
    MasteryBars { height: auto; }
    """

    def __init__(self, rows: Sequence[Mastery] = (), *, empty: str = "", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.empty = empty
        self.rows: Sequence[Mastery] = rows

    def on_mount(self) -> None:
        self.show(self.rows)

    def show(self, rows: Sequence[Mastery]) -> None:
        """Replace the rows shown."""
        self.rows = rows
        if not rows:
            self.update(Text(self.empty, style="dim"))
            return
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
        table.add_column(width=12, no_wrap=True)
        table.add_column(width=4, justify="right", no_wrap=True)
        table.add_column(width=5, justify="right", no_wrap=True, style="dim")
        for row in rows:
            style = mastery_style(row.mastery, row.attempts)
            percent = f"{row.mastery:.0%}" if row.attempts else "–"
            table.add_row(
                bank_text(row.title),
                bar(row.mastery if row.attempts else 0.0, 12, style),
                Text(percent, style=style),
                Text(f"{row.attempts}"),
            )
        self.update(table)
