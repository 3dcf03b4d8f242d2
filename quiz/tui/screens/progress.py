"""Progress over weeks: activity, mastery per topic and per spinal root, unsafe picks, what is
due, and how well the trainee's certainty matches their answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Header, OptionList, Sparkline, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from quiz.domain.cbm import CALIBRATION_HEADINGS, calibration_cells, summary_line
from quiz.domain.history import retention_line
from quiz.domain.stats import SPINAL_REGIONS, SPINAL_ROOTS
from quiz.domain.text import visible
from quiz.tui.screens._base import QuizScreen
from quiz.tui.widgets.footer import Footer
from quiz.tui.widgets.mastery import MasteryBars, bar, mastery_style

if TYPE_CHECKING:
    from quiz.domain.cbm import CbmReport
    from quiz.service import DayStat, Mastery, Progress, Trainer

HISTORY_DAYS = 30


def daily_series(history: Sequence[DayStat], today: date, days: int = HISTORY_DAYS) -> list[int]:
    """Attempts per day for the last ``days`` days, oldest first, zero where nothing happened."""
    by_day = {stat.day: stat.attempts for stat in history}
    return [by_day.get(today - timedelta(days=offset), 0) for offset in range(days - 1, -1, -1)]


def root_map(roots: Sequence[Mastery]) -> Table:
    """The spine as rows of coloured cells, one per root, C1 to S2."""
    by_key = {root.key: root for root in roots}
    table = Table.grid(padding=(0, 1))
    table.add_column(width=9, style="bold")
    table.add_column()
    for label, keys in SPINAL_REGIONS:
        cells = Text()
        for key in keys:
            root = by_key.get(key)
            style = mastery_style(root) if root else "dim"
            cells.append(f" {key:<3}", style=f"reverse {style}" if style != "dim" else "dim")
            cells.append(" ")
        table.add_row(label, cells)
    legend = Text.assemble(
        ("  ", ""),
        (" weak ", "reverse red"),
        (" ", ""),
        (" fair/fading ", "reverse yellow"),
        (" ", ""),
        (" strong ", "reverse green"),
        ("  not practised", "dim"),
    )
    table.add_row("", legend)
    return table


def cbm_figures(report: CbmReport | None) -> Group | Text:
    """Confident errors and confident unsafe picks counted, the CBM figures, and the
    calibration table by certainty level."""
    if report is None:
        return Text("No answers with a certainty yet.", style="dim")
    counts = Text()
    counts.append(
        f"Confident unsafe picks {report.confident_unsafe}",
        style="bold red" if report.confident_unsafe else "green",
    )
    counts.append(" · ")
    counts.append(
        f"confident errors {report.confident_errors}",
        style="bold yellow" if report.confident_errors else "green",
    )
    counts.append(f" (of {report.responses} answers with a certainty)", style="dim")
    table = Table(box=None, padding=(0, 2, 0, 0), show_edge=False)
    for heading in CALIBRATION_HEADINGS:
        table.add_column(heading, header_style="bold")
    for row in report.calibration:
        table.add_row(*calibration_cells(row))
    return Group(counts, Text(summary_line(report), style="dim"), table)


class ProgressScreen(QuizScreen):
    """Everything the trainee has done, and what comes next."""

    class ProgressLoaded(Message, bubble=False):
        """The trainee's progress, read from the store."""

        def __init__(self, progress: Progress, cbm: CbmReport | None = None) -> None:
            super().__init__()
            self.progress = progress
            self.cbm = cbm

    DEFAULT_CSS = """
    #progress-body { padding: 0 2; }
    #history { height: 4; margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape,q", "close", "Back"),
        Binding("d", "drill", "Drill a root", tooltip="practise the questions of one spinal root"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._roots: dict[str, Mastery] = {}
        """Mastery by root, as last loaded."""

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="progress-body"):
            yield Static(id="progress-summary")
            yield Static(
                f"Questions answered per day, last {HISTORY_DAYS} days", classes="section-title"
            )
            yield Sparkline([], id="history")
            yield Static(id="history-caption", classes="caption")
            yield Static("Mastery by topic", classes="section-title")
            yield MasteryBars(empty="Answer some questions to see mastery grow.", id="topics")
            yield Static("Mastery by spinal root (d: drill one)", classes="section-title")
            yield Static(id="roots")
            yield Static("Due in the next 14 days", classes="section-title")
            yield Static(id="forecast")
            yield Static("Unsafe picks", classes="section-title")
            yield Static(id="unsafe")
            yield Static("How sure you were (certainty-based marking)", classes="section-title")
            yield Static(id="cbm")
        yield Footer()

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch progress in a thread and show it."""
        trainer = self.quiz.trainer
        if trainer is None:
            self.query_one("#progress-summary", Static).update(
                Text(self.quiz.load_error or "Still loading…", style="dim")
            )
            return

        self._load_progress(trainer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="progress")
    def _load_progress(self, trainer: Trainer) -> None:
        progress = trainer.progress()
        cbm = trainer.cbm_report()
        if not get_current_worker().is_cancelled:  # a newer reload replaced this one
            self.post_message(self.ProgressLoaded(progress, cbm))

    @on(ProgressLoaded)
    def _show(self, message: ProgressLoaded) -> None:
        progress = message.progress
        summary = progress.summary
        accuracy = f"{summary.accuracy:.0%}" if summary.accuracy is not None else "–"
        self.query_one("#progress-summary", Static).update(
            Text.assemble(
                (f"{summary.profile}", "bold"),
                f"   {summary.attempts} answers · accuracy {accuracy} · "
                f"streak {summary.streak_days} day(s) · {summary.due_now} due now\n",
                f"Retention {retention_line(summary)}",
            )
        )
        today = self.quiz.clock().date() if self.quiz.clock else date.today()
        series = daily_series(progress.history, today)
        sparkline = self.query_one("#history", Sparkline)
        sparkline.data = [float(value) for value in series]
        active = sum(1 for value in series if value)
        # With no answers the sparkline is a flat row of its lowest bar: say so in words.
        sparkline.display = active > 0
        caption = (
            f"{sum(series)} answers on {active} day(s); busiest day {max(series)}"
            if active
            else f"No answers yet in the last {HISTORY_DAYS} days."
        )
        self.query_one("#history-caption", Static).update(Text(caption, style="dim"))
        self.query_one("#topics", MasteryBars).show(progress.topics)
        self._roots = {root.key: root for root in progress.roots}
        self.query_one("#roots", Static).update(root_map(progress.roots))
        self.query_one("#forecast", Static).update(self._forecast(progress.forecast))
        self.query_one("#unsafe", Static).update(self._unsafe(progress))
        self.query_one("#cbm", Static).update(cbm_figures(message.cbm))

    def _forecast(self, forecast: Sequence[tuple[date, int]]) -> Table | Text:
        if not any(count for _, count in forecast):
            return Text("Nothing scheduled yet.", style="dim")
        peak = max(count for _, count in forecast) or 1
        table = Table.grid(padding=(0, 1))
        table.add_column(width=10)
        table.add_column(width=20)
        table.add_column(justify="right")
        for day, count in forecast:
            table.add_row(day.strftime("%a %d %b"), bar(count / peak, 20, "cyan"), str(count))
        return table

    def _unsafe(self, progress: Progress) -> Text:
        if not progress.unsafe:
            return Text("None. Keep it that way.", style="green")
        text = Text()
        for key, option, when in progress.unsafe[-20:]:
            text.append(f"{when.astimezone():%d %b %H:%M}  ", style="dim")
            text.append(visible(key), style="bold")
            text.append(f"  picked: {visible(option)}\n", style="red")
        return text

    def action_close(self) -> None:
        """Back to home."""
        self.app.pop_screen()

    def action_drill(self) -> None:
        """Pick a spinal root, then practise its questions (the root map made actionable)."""
        from quiz.domain.session import Mode, SessionPlan

        library = self.quiz.library
        if library is None:
            self.quiz.notify_not_ready()
            return
        counts: dict[str, int] = {}
        for bank in library.usable():
            for question in bank.questions:
                for root in question.anatomy.roots if question.anatomy else ():
                    counts[root] = counts.get(root, 0) + 1
        if not counts:
            self.notify("No question names a spinal root.")
            return

        def chosen(root: str | None) -> None:
            if root is not None:
                plan = SessionPlan(Mode.PRACTICE, roots=(root,), count=Mode.PRACTICE.default_count)
                self.quiz.go_home().start_session(plan)

        self.app.push_screen(RootDialog(counts, self._roots), chosen)


class RootDialog(ModalScreen[str | None]):
    """The spinal roots that questions name, weakest first; dismisses with the one picked."""

    DEFAULT_CSS = """
    #root-list { height: auto; max-height: 12; }
    """

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, counts: dict[str, int], mastery: dict[str, Mastery]) -> None:
        super().__init__()
        known = [key for key in SPINAL_ROOTS if key in counts]

        def weakest_first(key: str) -> tuple[int, float]:
            root = mastery.get(key)
            practised = root is not None and root.seen > 0
            return (0 if practised else 1, root.held if root and practised else 0.0)

        self.roots = sorted(known, key=weakest_first)
        self.counts = counts
        self.mastery = mastery

    def compose(self) -> ComposeResult:
        options = []
        for key in self.roots:
            line = Text.assemble(
                (f"{visible(key):<4}", "bold"), f" {self.counts[key]:>3} question(s)  "
            )
            root = self.mastery.get(key)
            if root is not None and root.seen > 0:
                line.append(f"{root.held:.0%} held, {root.seen} seen", style=mastery_style(root))
            else:
                line.append("not practised", style="dim")
            options.append(Option(line, id=key))
        with Vertical(classes="dialog", id="root-dialog"):
            yield Static(
                Text("Drill a root: practise its questions", style="bold"), classes="dialog-title"
            )
            yield OptionList(*options, id="root-list")
            yield Static(Text("enter starts · esc back", style="dim"), classes="dialog-hint")

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        """Back to Progress."""
        self.dismiss(None)
