"""Mastery shown as labelled bars, the way the home and progress screens present it."""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from rich.text import Text
from textual.widgets import Static

from quiz.domain.stats import mastery_level
from quiz.service import Mastery
from quiz.tui.widgets.bank_text import bank_text

BAR_WIDTH = 10

_STYLES = {"unseen": "dim", "weak": "red", "fair": "yellow", "strong": "green"}


def mastery_style(mastery: Mastery) -> str:
    """A colour that reads at a glance (:func:`~quiz.domain.stats.mastery_level`): grey unseen,
    red weak, yellow fair, green strong."""
    return _STYLES[mastery_level(mastery)]


def bar(fraction: float, width: int, style: str = "") -> Text:
    """A bar of ``width`` cells filled to ``fraction`` (0..1)."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return Text("█" * filled + "░" * (width - filled), style=style)


class MasteryBars(Static):
    """One row per topic (or root) under labelled columns: title, how well the seen questions
    are held (bar and percentage, coloured by it), coverage (seen of all) and answers."""

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
        table.add_column(width=BAR_WIDTH, no_wrap=True)
        table.add_column(width=4, justify="right", no_wrap=True)
        table.add_column(width=5, justify="right", no_wrap=True)
        table.add_column(width=7, justify="right", no_wrap=True, style="dim")
        heading = "dim italic"
        table.add_row(
            Text("topic", style=heading),
            Text("held", style=heading),
            Text(""),
            Text("seen", style=heading),
            Text("answers", style=heading),
        )
        for row in rows:
            style = mastery_style(row)
            percent = f"{row.held:.0%}" if row.seen else "–"
            table.add_row(
                bank_text(row.title),
                bar(row.held if row.seen else 0.0, BAR_WIDTH, style),
                Text(percent, style=style),
                Text(f"{row.seen}/{row.questions}"),
                Text(f"{row.attempts}"),
            )
        self.update(table)
