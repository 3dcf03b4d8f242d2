"""Session setup: which banks, topics and difficulties, how many questions, and for how long."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, SelectionList, Static

from quiz.banks.loader import Library
from quiz.domain.session import Mode, SessionPlan
from quiz.tui.widgets.bank_text import bank_text

DIFFICULTIES = ((1, "1 recall"), (2, "2 application"), (3, "3 clinical reasoning"))


class SetupScreen(ModalScreen[SessionPlan | None]):
    """Choose what a session covers; dismisses with the plan, or ``None`` when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+s", "start", "Start", priority=True),
    ]

    def __init__(self, mode: Mode, library: Library) -> None:
        super().__init__()
        self.mode = mode
        self.library = library

    def compose(self) -> ComposeResult:
        banks = self.library.usable()
        with Vertical(id="setup", classes="dialog"):
            yield Static(
                Text(f"{self.mode.label}: {self.mode.blurb}", style="bold"), classes="dialog-title"
            )
            with VerticalScroll():
                with Horizontal(classes="setup-lists"):
                    with Vertical():
                        yield Label("Banks")
                        yield SelectionList[str](
                            *((bank_text(bank.title), bank.id, True) for bank in banks), id="banks"
                        )
                    with Vertical():
                        yield Label("Topics (none ticked = all)")
                        yield SelectionList[str](
                            *(
                                (bank_text(bank.topic(key).title), key, False)
                                for bank in banks
                                for key in bank.topics
                            ),
                            id="topics",
                        )
                yield Label("Difficulty")
                yield SelectionList[int](
                    *((Text(label), level, True) for level, label in DIFFICULTIES),
                    id="difficulty",
                )
                with Horizontal(classes="setup-numbers"):
                    with Vertical():
                        yield Label("Questions")
                        yield Input(str(self.mode.default_count), type="integer", id="count")
                    if self.mode is Mode.EXAM:
                        with Vertical():
                            yield Label("Minutes (0 = untimed)")
                            yield Input("20", type="integer", id="minutes")
                    with Vertical():
                        yield Label("Seed (optional)")
                        yield Input(placeholder="random", type="integer", id="seed")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()

    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def action_start(self) -> None:
        """Check the form and dismiss with the plan."""
        banks = tuple(self.query_one("#banks", SelectionList).selected)
        if not banks:
            self.notify("Tick at least one bank.", severity="warning")
            return
        difficulties = tuple(sorted(self.query_one("#difficulty", SelectionList).selected))
        if not difficulties:
            self.notify("Tick at least one difficulty.", severity="warning")
            return
        count = self._number("count", minimum=1)
        if count is None:
            return
        minutes = self._number("minutes", minimum=0) if self.mode is Mode.EXAM else 0
        if minutes is None:
            return
        seed_text = self.query_one("#seed", Input).value.strip()
        self.dismiss(
            SessionPlan(
                mode=self.mode,
                bank_ids=banks,
                topics=tuple(self.query_one("#topics", SelectionList).selected),
                difficulties=() if len(difficulties) == len(DIFFICULTIES) else difficulties,
                count=count,
                seed=int(seed_text) if seed_text else None,
                minutes=minutes or None,
            )
        )

    def _number(self, field: str, *, minimum: int) -> int | None:
        widget = self.query_one(f"#{field}", Input)
        try:
            value = int(widget.value)
        except ValueError:
            value = minimum - 1
        if value < minimum or value > 1000:
            self.notify(
                f"{field.capitalize()}: enter a whole number from {minimum} to 1000.",
                severity="warning",
            )
            widget.focus()
            return None
        return value

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)
