"""Session setup: which banks, topics, difficulties, types, roots and tags, which questions of
the trainee's history (unused, incorrect last time, flagged), how many, and for how long."""

from __future__ import annotations

from collections.abc import Mapping

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
from quiz.domain.model import QUESTION_TYPES
from quiz.domain.planning import select_questions
from quiz.domain.session import Mode, SessionPlan
from quiz.domain.stats import SPINAL_ROOTS, QuestionRecord
from quiz.tui.widgets.bank_text import bank_text
from quiz.tui.widgets.tick_list import TickList

DIFFICULTIES = ((1, "1 recall"), (2, "2 application"), (3, "3 clinical reasoning"))
TYPE_LABELS = {
    "single": "single",
    "multiple": "select all",
    "true_false": "true/false",
    "matching": "matching",
    "ordering": "ordering",
    "short": "short",
}
HISTORY_FILTERS = (
    ("unused", "unused only"),
    ("incorrect", "incorrect last time"),
    ("flagged", "flagged"),
)


class SetupScreen(ModalScreen[SessionPlan | None]):
    """Choose what a session covers; dismisses with the plan, or ``None`` when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", tooltip="close the form, starting nothing"),
        Binding("ctrl+s", "start", "Start", priority=True, tooltip="start the session"),
    ]

    def __init__(
        self,
        mode: Mode,
        library: Library,
        records: Mapping[str, QuestionRecord] | None = None,
    ) -> None:
        """``records``: the profile's history by question key, which the unused, incorrect and
        flagged filters read (``None``: no history, every question unused)."""
        super().__init__()
        self.mode = mode
        self.library = library
        self.records = records or {}
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
                with Horizontal(classes="setup-lists setup-filters"):
                    with Vertical():
                        yield Label("Difficulty")
                        yield TickList[int](
                            *((Text(label), level, False) for level, label in DIFFICULTIES),
                            id="difficulty",
                        )
                    with Vertical():
                        yield Label("Only")
                        yield TickList[str](
                            *((Text(label), name, False) for name, label in HISTORY_FILTERS),
                            id="only",
                        )
                with Horizontal(classes="setup-lists setup-filters"):
                    with Vertical():
                        yield Label("Types")
                        yield TickList[str](
                            *((Text(TYPE_LABELS[kind]), kind, False) for kind in self._types()),
                            id="types",
                        )
                    # A list with nothing to tick is left out: no empty tab stop.
                    if roots := self._roots():
                        with Vertical():
                            yield Label("Spinal roots")
                            yield TickList[str](
                                *((Text(root), root, False) for root in roots), id="roots"
                            )
                    if tags := self._tags():
                        with Vertical():
                            yield Label("Tags")
                            yield TickList[str](
                                *((bank_text(tag), tag, False) for tag in tags), id="tags"
                            )
                yield Label(
                    "Lists with nothing ticked take everything; ctrl+a ticks all or none.",
                    classes="dialog-hint",
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

    def _types(self) -> list[str]:
        """The question types the library has, in the format's order."""
        present = {q.kind for bank in self.library.usable() for q in bank.questions}
        return [kind for kind in QUESTION_TYPES if kind in present]

    def _roots(self) -> list[str]:
        """The spinal roots the library's questions name, cranio-caudal."""
        present = {
            root
            for bank in self.library.usable()
            for q in bank.questions
            for root in (q.anatomy.roots if q.anatomy else ())
        }
        return [root for root in SPINAL_ROOTS if root in present]

    def _tags(self) -> list[str]:
        """Every tag of the library's questions, alphabetically."""
        return sorted(
            {tag for bank in self.library.usable() for q in bank.questions for tag in q.tags}
        )

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
        only = set(self.query_one("#only", SelectionList).selected)
        plan = SessionPlan(
            mode=self.mode,
            bank_ids=banks,
            topics=tuple(sorted(self._topics_ticked & shown)),
            difficulties=() if len(difficulties) == len(DIFFICULTIES) else difficulties,
            types=self._ticked("types"),
            roots=self._ticked("roots"),
            tags=self._ticked("tags"),
            unused="unused" in only,
            incorrect="incorrect" in only,
            flagged="flagged" in only,
            count=count,
            seed=int(seed_text) if seed_text else None,
            minutes=minutes or None,
            certainty=self.query_one("#certainty", Checkbox).value
            if self.mode is Mode.EXAM
            else None,
        )
        matching = len(select_questions(plan, self.library.usable(), self.records))
        if not matching:
            self._problem(
                "No question matches all of these choices: tick more topics, difficulties, "
                "types, roots or tags, or fewer boxes under Only."
            )
            return
        if matching < count and plan.mode in (Mode.PRACTICE, Mode.EXAM):
            self._problem(
                f"Only {matching} question(s) match these choices. The count is now {matching}: "
                "press Start again, or change the choices."
            )
            self.query_one("#count", Input).value = str(matching)
            return
        self.dismiss(plan)

    def _ticked(self, list_id: str) -> tuple[str, ...]:
        """The ticked values of a filter list, in the list's order (none ticked, or no such
        list: no filter)."""
        found = self.query(f"#{list_id}")
        if not found:
            return ()
        ticks = found.only_one(SelectionList)
        selected = set(ticks.selected)
        options = (ticks.get_option_at_index(i).value for i in range(ticks.option_count))
        return tuple(str(value) for value in options if value in selected)

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
