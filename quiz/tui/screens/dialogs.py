"""Small modal dialogs that dismiss with a typed result."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from quiz.domain.reports import NOTE_MAX
from quiz.domain.text import visible
from quiz.service import SessionInfo
from quiz.tui.widgets.bank_text import bank_text


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question; dismisses with ``True`` for yes."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", "No"),
        Binding("y", "answer(True)", "Yes"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, question: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes
        self.no_label = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog"):
            yield Static(Text(self.question), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.yes_label} (y)", variant="primary", id="yes")
                yield Button(f"{self.no_label} (n)", id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        """Dismiss with ``yes``."""
        self.dismiss(yes)


class ReportDialog(ModalScreen[str | None]):
    """ "Report a problem with this question": a short note; dismisses with it, or ``None``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question_id: str) -> None:
        super().__init__()
        self.question_id = question_id

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog", id="report"):
            yield Static(
                Text.assemble(
                    ("Report a problem with this question", "bold"),
                    "\n(id: ",
                    bank_text(self.question_id),
                    ")",
                ),
                classes="dialog-title",
            )
            yield Input(
                placeholder="What is wrong? (the key, the wording, safety...)",
                max_length=NOTE_MAX,
                id="report-note",
            )
            yield Static(
                Text("Enter sends it to the bank's instructors; esc cancels."),
                classes="dialog-hint",
            )
            yield Static(id="report-problem")

    def on_mount(self) -> None:
        self.query_one("#report-problem", Static).display = False

    @on(Input.Submitted)
    def _send(self, event: Input.Submitted) -> None:
        note = event.value.strip()
        if not note:
            problem = self.query_one("#report-problem", Static)
            problem.update(Text("Write a few words first: what is wrong?", style="bold"))
            problem.display = True
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        """Close without reporting."""
        self.dismiss(None)


class RetryDialog(ModalScreen[str | None]):
    """The progress store cannot be opened (a locked database, a server down): try again, or
    quit. Dismisses with ``"retry"`` or ``"quit"``; esc stays, with home saying what failed."""

    BINDINGS = [
        Binding("r", "choose('retry')", "Retry"),
        Binding("q", "choose('quit')", "Quit"),
        Binding("escape", "choose(None)", "Stay"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog", id="retry-dialog"):
            yield Static(Text("Progress cannot be opened", style="bold"), classes="dialog-title")
            yield Static(Text(visible(self.error)), classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Retry (r)", variant="primary", id="retry")
                yield Button("Quit (q)", id="quit")

    def on_mount(self) -> None:
        self.query_one("#retry", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_choose(self, choice: str | None) -> None:
        """Dismiss with ``choice``."""
        self.dismiss(choice)


def time_left(info: SessionInfo, now: datetime) -> str:
    """What is left of a timed exam's time, whose clock ran while it was left ("" untimed)."""
    if info.deadline is None:
        return ""
    if info.deadline <= now:
        return f"time ran out {info.deadline.astimezone().strftime('%a %d %b, %H:%M')}"
    return f"{int((info.deadline - now).total_seconds() // 60)} min left"


def session_line(info: SessionInfo, now: datetime) -> str:
    """One unfinished session in a line: mode, when it started, how far, time left."""
    started = info.started_at.astimezone().strftime("%d %b %H:%M")
    line = f"{info.mode.label} · {started} · {info.answered}/{info.total} answered"
    left = time_left(info, now)
    return f"{line} · {left}" if left else line


class UnfinishedDialog(ModalScreen[int | None]):
    """Pick one of several unfinished sessions; dismisses with its id, or ``None``."""

    DEFAULT_CSS = """
    #unfinished-list { height: auto; max-height: 12; }
    """

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, sessions: list[SessionInfo], now: datetime) -> None:
        super().__init__()
        self.sessions = sessions
        self.now = now

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unfinished-dialog"):
            yield Static(Text("Unfinished sessions", style="bold"), classes="dialog-title")
            yield OptionList(
                *(Option(session_line(s, self.now), id=str(s.id)) for s in self.sessions),
                id="unfinished-list",
            )
            yield Static(
                Text("enter: resume or abandon it · esc back", style="dim"), classes="dialog-hint"
            )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id) if event.option.id else None)

    def action_close(self) -> None:
        """Back home."""
        self.dismiss(None)


class ResumeDialog(ModalScreen[str | None]):
    """Offers an unfinished session: dismisses with "resume", "abandon" or ``None`` (later)."""

    BINDINGS = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("a", "choose('abandon')", "Abandon"),
        Binding("escape,l", "choose(None)", "Later"),
        Binding("left,right", "app.focus_next", show=False),
    ]

    def __init__(self, info: SessionInfo, now: datetime) -> None:
        super().__init__()
        self.info = info
        self.now = now

    def compose(self) -> ComposeResult:
        info = self.info
        started = info.started_at.astimezone().strftime("%a %d %b, %H:%M")
        text = Text.assemble(
            ("Unfinished session\n\n", "bold"),
            f"{info.mode.label} started {started}: {info.answered} of {info.total} answered.\n",
            self._time_left(),
            ("Everything you answered is saved.", "dim"),
        )
        with Vertical(classes="dialog small-dialog"):
            yield Static(text, classes="dialog-question")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume (r)", variant="primary", id="resume")
                yield Button("Abandon (a)", variant="error", id="abandon")
                yield Button("Later (l)", id="later")

    def _time_left(self) -> Text:
        """A timed exam's clock, which ran while it was left: what is left, or when it ran out."""
        deadline = self.info.deadline
        if deadline is None:
            return Text()
        if deadline <= self.now:
            return Text(
                f"Its {time_left(self.info, self.now)}: resuming submits it as it stands.\n",
                style="bold yellow",
            )
        minutes = int((deadline - self.now).total_seconds() // 60)
        return Text(f"{minutes} minute(s) of its time are left; the clock is running.\n")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(None if event.button.id == "later" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        """Dismiss with the choice."""
        self.dismiss(choice)
