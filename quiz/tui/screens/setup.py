"""Session setup: which banks, topics and difficulties, how many questions, and for how long."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, SelectionList, Static
from textual.widgets.selection_list import Selection

from quiz.banks.loader import Library
from quiz.domain.keys import topic_key
from quiz.domain.planning import select_questions
from quiz.domain.session import Mode, SessionPlan
from quiz.service import needs_history
from quiz.tui.widgets.bank_text import bank_text
from quiz.tui.widgets.tick_list import TickList

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
        self._topics_ticked: set[str] = set()
        """Ticked topics (``bank/topic``), kept while their bank is unticked: ticking the bank
        again shows them ticked."""

    def compose(self) -> ComposeResult:
        banks = self.library.usable()
        with Vertical(id="setup", classes="dialog"):
            yield Static(
                Text(f"{self.mode.label}: {self.mode.blurb}", style="bold"), classes="dialog-title"
            )
            # Not a tab stop of its own: it would take the focus and show nothing.
            with VerticalScroll(can_focus=False):
                with Horizontal(classes="setup-lists"):
                    with Vertical():
                        yield Label("Banks")
                        yield TickList[str](
                            *((bank_text(bank.title), bank.id, True) for bank in banks), id="banks"
                        )
                    with Vertical():
                        yield Label("Topics (none ticked = all)")
                        yield TickList[str](*self._topic_selections(), id="topics")
                yield Label("Difficulty (none ticked = all)")
                yield TickList[int](
                    *((Text(label), level, False) for level, label in DIFFICULTIES),
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
                if self.mode is Mode.EXAM:
                    yield Checkbox(
                        "Ask how sure I am of each answer (certainty-based marking)",
                        value=False,
                        id="certainty",
                    )
            yield Static(id="setup-problem")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Start", variant="primary", id="start")
                yield Button("Cancel", id="cancel")

    def _topic_selections(self, bank_ids: set[str] | None = None) -> list[tuple[Text, str, bool]]:
        """A line per topic of the ``bank_ids`` banks (all: every bank), bank by bank, naming
        its bank and valued ``bank/topic``: two banks may each have a topic ``evidence``, and
        they differ."""
        selections = []
        for bank in self.library.usable():
            if bank_ids is not None and bank.id not in bank_ids:
                continue
            for key in bank.topics:
                # The topic first, which a narrow list must not cut; its bank after, dim.
                label = Text.assemble(
                    bank_text(bank.topic(key).title), (" · ", "dim"), bank_text(bank.title, "dim")
                )
                value = topic_key(bank.id, key)
                selections.append((label, value, value in self._topics_ticked))
        return selections

    def on_mount(self) -> None:
        self.query_one("#start", Button).focus()
        self.query_one("#setup-problem", Static).display = False

    @on(SelectionList.SelectedChanged, "#banks")
    def _banks_changed(self) -> None:
        self._remember_topic_ticks()
        topics = self.query_one("#topics", SelectionList)
        ticked = set(self.query_one("#banks", SelectionList).selected)
        with topics.prevent(SelectionList.SelectedChanged):
            topics.clear_options()
            topics.add_options(self._topic_selections(ticked))

    def _remember_topic_ticks(self) -> None:
        """Keep the ticks of the topics shown; those of unticked banks' topics stay as they were."""
        topics = self.query_one("#topics", SelectionList)
        shown = {str(option.value) for option in self._topic_options()}
        self._topics_ticked = (self._topics_ticked - shown) | set(topics.selected)

    def _topic_options(self) -> list[Selection[str]]:
        topics = self.query_one("#topics", SelectionList)
        return [topics.get_option_at_index(i) for i in range(topics.option_count)]

    def _problem(self, message: str | None) -> None:
        """Say what is wrong inside the dialog (``None``: nothing)."""
        problem = self.query_one("#setup-problem", Static)
        problem.update(Text(message or "", style="bold"))
        problem.display = message is not None

    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def action_start(self) -> None:
        """Check the form; dismiss with the plan, or say inside the dialog what to change."""
        banks = tuple(self.query_one("#banks", SelectionList).selected)
        if not banks:
            self._problem("Tick at least one bank.")
            return
        difficulties = tuple(sorted(self.query_one("#difficulty", SelectionList).selected))
        count = self._number("count", minimum=1)
        if count is None:
            return
        minutes = self._number("minutes", minimum=0) if self.mode is Mode.EXAM else 0
        if minutes is None:
            return
        seed_text = self.query_one("#seed", Input).value.strip()
        self._remember_topic_ticks()
        shown = {str(option.value) for option in self._topic_options()}
        plan = SessionPlan(
            mode=self.mode,
            bank_ids=banks,
            topics=tuple(sorted(self._topics_ticked & shown)),
            difficulties=() if len(difficulties) == len(DIFFICULTIES) else difficulties,
            count=count,
            seed=int(seed_text) if seed_text else None,
            minutes=minutes or None,
            certainty=self.query_one("#certainty", Checkbox).value
            if self.mode is Mode.EXAM
            else None,
        )
        matching = len(select_questions(plan, self.library.usable()))
        if not matching:
            self._problem("No question matches these choices: tick more topics or difficulties.")
            return
        if matching < count and not needs_history(self.mode):
            self._problem(
                f"Only {matching} question(s) match these choices. The count is now {matching}: "
                "press Start again, or change the choices."
            )
            self.query_one("#count", Input).value = str(matching)
            return
        self.dismiss(plan)

    def _number(self, field: str, *, minimum: int) -> int | None:
        widget = self.query_one(f"#{field}", Input)
        try:
            value = int(widget.value)
        except ValueError:
            value = minimum - 1
        if value < minimum or value > 1000:
            self._problem(f"{field.capitalize()}: enter a whole number from {minimum} to 1000.")
            widget.focus()
            return None
        return value

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without starting."""
        self.dismiss(None)
