"""Settings: new questions per day, desired retention (with the due forecast it gives), and
certainty-based marking on or off; saved in the trainee's preferences file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Header, Input, Label, Select, Sparkline, Static, Switch
from textual.worker import get_current_worker

from quiz import preferences
from quiz.tui.screens._base import QuizScreen
from quiz.tui.widgets.footer import Footer

if TYPE_CHECKING:
    from quiz.service import Trainer

FORECAST_DAYS = 30

RETENTIONS: tuple[float, ...] = tuple(
    round(preferences.RETENTION_RANGE[0] + step / 100, 2)
    for step in range(
        round((preferences.RETENTION_RANGE[1] - preferences.RETENTION_RANGE[0]) * 100) + 1
    )
)
"""The retentions offered, 80% to 97% by whole percents."""


def forecast_caption(forecast: Sequence[tuple[date, int]], retention: float) -> Text:
    """What the forecast adds up to, in words."""
    total = sum(count for _, count in forecast)
    if not total:
        return Text(f"Nothing due in the next {FORECAST_DAYS} days.", style="dim")
    day, peak = max(forecast, key=lambda entry: entry[1])
    return Text(
        f"At {retention:.0%}: {total} review(s) in the next {len(forecast)} days; "
        f"busiest {day:%a %d %b} ({peak})",
        style="dim",
    )


class SettingsScreen(QuizScreen):
    """The trainee's settings; ctrl+s saves them, esc goes back without saving."""

    class ForecastLoaded(Message, bubble=False):
        """The due forecast for a retention, read from the store."""

        def __init__(self, retention: float, forecast: list[tuple[date, int]]) -> None:
            super().__init__()
            self.retention = retention
            self.forecast = forecast

    DEFAULT_CSS = """
    #settings-body { padding: 0 2; }
    .setting { height: auto; margin-top: 1; }
    .setting Label { width: 26; padding-top: 1; }
    .setting .hint { width: 1fr; padding: 1 0 0 1; color: $text-muted; }
    #new-per-day { width: 12; }
    #retention { width: 14; }
    #forecast { height: 3; margin-top: 1; }
    #save-row { height: auto; margin-top: 1; }
    """

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="back without saving"),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="save the settings"),
    ]

    def compose(self) -> ComposeResult:
        saved = preferences.load()
        low, high = preferences.NEW_PER_DAY_RANGE
        retention = min(RETENTIONS, key=lambda value: abs(value - saved.desired_retention))
        yield Header()
        with VerticalScroll(id="settings-body"):
            yield Static(Text("Settings", style="bold"), classes="section-title")
            with Horizontal(classes="setting"):
                yield Label("New questions per day")
                yield Input(str(saved.new_per_day), type="integer", id="new-per-day")
                yield Static(
                    f"review introduces at most this many a day ({low}-{high})", classes="hint"
                )
            with Horizontal(classes="setting"):
                yield Label("Desired retention")
                yield Select(
                    [(f"{value:.0%}", value) for value in RETENTIONS],
                    value=retention,
                    allow_blank=False,
                    id="retention",
                )
                yield Static("higher: recalled more often, reviewed sooner", classes="hint")
            yield Static(
                f"Due per day over the next {FORECAST_DAYS} days, at the retention chosen",
                classes="section-title",
            )
            yield Sparkline([], id="forecast")
            yield Static(id="forecast-caption")
            with Horizontal(classes="setting"):
                yield Label("Ask how sure I am")
                yield Switch(saved.certainty, id="certainty")
                yield Static(
                    "certainty-based marking, before each answer's feedback", classes="hint"
                )
            with Horizontal(id="save-row"):
                yield Button("Save", variant="primary", id="save")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new-per-day", Input).focus()
        self._reforecast()

    @on(Select.Changed, "#retention")
    def _retention_changed(self) -> None:
        self._reforecast()

    def _retention(self) -> float:
        value = self.query_one("#retention", Select).value
        return value if isinstance(value, float) else preferences.Preferences().desired_retention

    def _reforecast(self) -> None:
        trainer = self.quiz.trainer
        if trainer is None:
            self.query_one("#forecast-caption", Static).update(
                Text(self.quiz.load_error or "Still loading…", style="dim")
            )
            return
        self._load_forecast(trainer, self._retention())

    @work(thread=True, exclusive=True, exit_on_error=False, group="forecast")
    def _load_forecast(self, trainer: Trainer, retention: float) -> None:
        forecast = trainer.forecast(retention, FORECAST_DAYS)
        if not get_current_worker().is_cancelled:  # a newer choice replaced this one
            self.post_message(self.ForecastLoaded(retention, forecast))

    @on(ForecastLoaded)
    def _show_forecast(self, message: ForecastLoaded) -> None:
        sparkline = self.query_one("#forecast", Sparkline)
        sparkline.data = [float(count) for _, count in message.forecast]
        sparkline.display = any(count for _, count in message.forecast)
        self.query_one("#forecast-caption", Static).update(
            forecast_caption(message.forecast, message.retention)
        )

    @on(Button.Pressed, "#save")
    def _save_pressed(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        """Check and save the settings; the open trainer uses them at once."""
        low, high = preferences.NEW_PER_DAY_RANGE
        text = self.query_one("#new-per-day", Input).value.strip()
        if not text.lstrip("-").isdigit() or not low <= int(text) <= high:
            self.notify(
                f"New questions per day must be a whole number from {low} to {high}.",
                severity="error",
                markup=False,
            )
            self.query_one("#new-per-day", Input).focus()
            return
        new_per_day, retention = int(text), self._retention()
        certainty = self.query_one("#certainty", Switch).value
        preferences.save(new_per_day=new_per_day, desired_retention=retention, certainty=certainty)
        trainer = self.quiz.trainer
        if trainer is not None:
            trainer.new_per_day = new_per_day
            trainer.desired_retention = retention
        self.notify("Settings saved.", markup=False)
        self.app.pop_screen()

    def action_close(self) -> None:
        """Back, without saving."""
        self.app.pop_screen()
