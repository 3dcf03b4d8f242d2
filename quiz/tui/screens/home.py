"""Home: who is training, what is due, mastery per topic, and every action one key away."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from quiz.domain.session import Mode
from quiz.domain.text import visible
from quiz.service import NoQuestions, needs_history
from quiz.tui.keys import binding_for, first_key
from quiz.tui.messages import ServicesReady
from quiz.tui.screens._base import QuizScreen
from quiz.tui.widgets.footer import Footer
from quiz.tui.widgets.mastery import MasteryBars

if TYPE_CHECKING:
    from quiz.domain.session import SessionPlan
    from quiz.domain.stats import QuestionRecord
    from quiz.service import ActiveSession, SessionInfo, Summary, Trainer

MENU: tuple[tuple[str, str, str], ...] = (
    ("p", "practice", "Practice"),
    ("e", "exam", "Exam"),
    ("r", "review", "Review due"),
    ("w", "weak", "Weak areas"),
    ("m", "mistakes", "Mistakes"),
    ("v", "review-setup", "Review…"),
    ("b", "banks", "Banks"),
    ("g", "progress", "Progress"),
    ("u", "unfinished", "Unfinished"),
    ("s", "settings", "Settings"),
)
"""Home's actions: key, what :meth:`HomeScreen.action_choose` is given, and the menu's label.

The one statement of these keys: home's bindings, its menu and the help screen's "Home" lines
are made from it (the menu ends with the app's help key). ``r`` starts the whole due queue at
once; ``v`` opens the review form, to choose banks or topics first."""

_SESSIONS = Binding.Group(", ".join(label.lower() for _, _, label in MENU[:5]), compact=True)
_SCREENS = Binding.Group(", ".join(label.lower() for _, _, label in MENU[5:]))


def _menu_binding(key: str, choice: str, label: str) -> Binding:
    group = _SESSIONS if choice in {mode.value for mode in Mode} else _SCREENS
    return Binding(key, f"choose('{choice}')", label, show=False, group=group)


SKIPPED_SHOWN = 5
"""Broken questions named on home; the Banks screen lists them all."""


class HomeScreen(QuizScreen):
    """The first screen: summary, mastery per topic and the action menu."""

    class SummaryLoaded(Message, bubble=False):
        """The trainee's summary, read from the store."""

        def __init__(self, summary: Summary, unfinished: list[SessionInfo]) -> None:
            super().__init__()
            self.summary = summary
            self.unfinished = unfinished

    class SessionStarted(Message, bubble=False):
        """A session was planned (or reopened) and is ready to show."""

        def __init__(self, session: ActiveSession) -> None:
            super().__init__()
            self.session = session

    class NothingToServe(Message, bubble=False):
        """A plan found no questions; ``why`` says what to change."""

        def __init__(self, why: str) -> None:
            super().__init__()
            self.why = why

    class SetupWanted(Message, bubble=False):
        """A session of ``mode`` would serve questions: open its setup form."""

        def __init__(self, mode: Mode, records: dict[str, QuestionRecord]) -> None:
            super().__init__()
            self.mode = mode
            self.records = records
            """The profile's history by question key, for the form's history filters."""

    class SessionAbandoned(Message, bubble=False):
        """An unfinished session was closed for good."""

    DEFAULT_CSS = """
    #home { height: 1fr; }
    #menu-column { width: 26; padding: 1 1 0 1; }
    #menu { height: auto; max-height: 100%; border: round $primary; }
    #overview { padding: 0 1 0 2; }
    #summary { margin-top: 1; }
    #skipped, #unfinished { margin-top: 1; }
    /* Under 60 columns (outside the 80x24 promise) the menu gives up its frame and margins,
       which left the summary 14 columns at 40. */
    HomeScreen.-narrow {
        & #menu-column { width: 19; padding: 0; }
        & #menu { border: none; }
        & #overview { padding: 0 0 0 1; }
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-normal")]

    BINDINGS = [
        *(_menu_binding(*action) for action in MENU),
        Binding("t", "app.change_theme", "Theme", tooltip="theme (your choice is remembered)"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.unfinished: list[SessionInfo] = []
        """The trainee's unfinished sessions, newest first, as last read with the summary."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="home"):
            with Vertical(id="menu-column"):
                yield OptionList(*self._menu(), id="menu")
            with VerticalScroll(id="overview"):
                yield Static(Text("Loading banks and progress…", style="dim"), id="summary")
                yield Static(id="unfinished")
                yield Static("Mastery by topic", classes="section-title")
                yield MasteryBars(empty="No topics yet.", id="topics")
                yield Static(id="skipped")
        yield Footer()

    def _menu(self) -> list[Option]:
        """A line for each home action, and one for help, in the order of :data:`MENU`."""
        help_key = binding_for(self.app.BINDINGS, "help")
        actions = [*MENU, (first_key(help_key), "help", help_key.description)]
        return [
            Option(Text.assemble((f" {key} ", "bold reverse"), f"  {label}"), id=choice)
            for key, choice, label in actions
        ]

    def on_mount(self) -> None:
        self.query_one("#menu", OptionList).focus()
        if self.quiz.trainer is not None or self.quiz.load_error:
            self.reload()

    def on_screen_resume(self) -> None:
        self.reload()

    def on_services_ready(self, _message: ServicesReady) -> None:
        self.reload()

    def reload(self) -> None:
        """Fetch the summary again (in a thread) and show it."""
        self._show_skipped()
        if self.quiz.load_error:
            self.query_one("#summary", Static).update(
                Text.assemble(
                    ("Progress cannot be opened\n", "bold red"), visible(self.quiz.load_error)
                )
            )
            return
        trainer = self.quiz.trainer
        if trainer is None:  # still loading, or opening the store again after a failure
            self.query_one("#summary", Static).update(
                Text("Loading banks and progress…", style="dim")
            )
            return

        self._load_summary(trainer)

    @work(thread=True, exclusive=True, exit_on_error=False, group="summary")
    def _load_summary(self, trainer: Trainer) -> None:
        summary = trainer.summary()
        unfinished = trainer.unfinished_sessions()
        if not get_current_worker().is_cancelled:  # a newer reload replaced this one
            self.post_message(self.SummaryLoaded(summary, unfinished))

    @on(SummaryLoaded)
    def _show_summary(self, message: SummaryLoaded) -> None:
        summary = message.summary
        accuracy = f"{summary.accuracy:.0%}" if summary.accuracy is not None else "–"
        lines = Text()
        lines.append(f"Profile  {summary.profile}\n", style="bold")
        lines.append(f"Due for review   {summary.due_now}\n")
        lines.append(f"New today        {summary.new_available}")
        lines.append(f"  (daily limit · {summary.questions_total} in all)\n", style="dim")
        lines.append(f"Weak areas       {summary.weak_queue} question(s)\n")
        lines.append(f"Mistakes         {summary.mistakes_queue} question(s)\n")
        lines.append(f"Streak           {summary.streak_days} day(s)\n")
        lines.append(f"Answered         {summary.attempts}  (accuracy {accuracy})\n")
        unsafe_style = "bold red" if summary.unsafe_picks else ""
        lines.append(f"Unsafe picks     {summary.unsafe_picks}", style=unsafe_style)
        self.query_one("#summary", Static).update(lines)
        self.query_one("#topics", MasteryBars).show(summary.topics)
        self._show_unfinished(message.unfinished)

    def _show_unfinished(self, unfinished: list[SessionInfo]) -> None:
        from quiz.tui.screens.dialogs import session_line

        self.unfinished = unfinished
        notice = self.query_one("#unfinished", Static)
        notice.display = bool(unfinished)
        if not unfinished:
            return
        key = next(key for key, choice, _ in MENU if choice == "unfinished")
        text = Text(f"Unfinished sessions ({key}: resume or abandon)\n", style="bold")
        now = self.quiz.now()
        for info in unfinished[:5]:
            text.append(f"• {session_line(info, now)}\n")
        if len(unfinished) > 5:
            text.append(f"  and {len(unfinished) - 5} more", style="dim")
        text.rstrip()
        notice.update(text)

    def _show_skipped(self) -> None:
        """Name the banks skipped as broken and the questions left out of the others."""
        library = self.quiz.library
        notice = self.query_one("#skipped", Static)
        if library is None or not (library.skipped or library.skipped_questions):
            notice.display = False
            return
        text = Text(style="bold yellow")  # the lines below are yellow on it, and bold too
        if library.skipped:
            text.append(f"{len(library.skipped)} bank(s) skipped as broken:\n")
            for loaded in library.skipped:
                first = loaded.errors[0].format() if loaded.errors else str(loaded.path)
                text.append(f"• {visible(first)}\n", style="yellow")
        if left_out := library.skipped_questions:
            text.append(
                f"{len(left_out)} broken question(s) left out of their banks:\n",
                style="bold yellow",
            )
            for _, question in left_out[:SKIPPED_SHOWN]:
                first = question.errors[0].format() if question.errors else f"line {question.line}"
                text.append(f"• {visible(first)}\n", style="yellow")
            if len(left_out) > SKIPPED_SHOWN:
                text.append(f"• … and {len(left_out) - SKIPPED_SHOWN} more\n", style="yellow")
        text.append("Press b for every problem.", style="dim")
        notice.update(text)
        notice.display = True

    @on(OptionList.OptionSelected, "#menu")
    def _menu_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_choose(event.option.id)

    def action_choose(self, action: str) -> None:
        """Run one of the home actions."""
        if action == "help":
            self.quiz.action_help()
        elif action == "banks":
            from quiz.tui.screens.banks import BanksScreen

            self.app.push_screen(BanksScreen())
        elif action == "unfinished":
            self._choose_unfinished()
        elif action == "progress":
            from quiz.tui.screens.progress import ProgressScreen

            self.app.push_screen(ProgressScreen())
        elif action == "settings":
            self.quiz.action_settings()
        elif action == "review":
            self._review_due()
        elif action == "review-setup":
            self._setup(Mode.REVIEW)
        else:
            self._setup(Mode(action))

    def _review_due(self) -> None:
        """Start the whole due queue at once: no form (``v`` has one, to choose banks)."""
        from quiz.domain.planning import whole_queue
        from quiz.domain.session import SessionPlan

        if self.quiz.library is None or self.quiz.trainer is None:
            self.quiz.notify_not_ready()
            return
        self.start_session(SessionPlan(Mode.REVIEW, count=whole_queue(self.quiz.library.usable())))

    def _choose_unfinished(self) -> None:
        from quiz.tui.screens.dialogs import UnfinishedDialog

        if not self.unfinished:
            self.notify("No unfinished session: every session was finished or abandoned.")
            return
        if len(self.unfinished) == 1:
            self.offer(self.unfinished[0])
            return
        by_id = {info.id: info for info in self.unfinished}

        def chosen(session_id: int | None) -> None:
            if session_id in by_id:
                self.offer(by_id[session_id])

        self.app.push_screen(UnfinishedDialog(self.unfinished, self.quiz.now()), chosen)

    def offer(self, info: SessionInfo) -> None:
        """Ask whether to resume the unfinished session ``info``, abandon it, or decide later."""
        from quiz.tui.screens.dialogs import ResumeDialog

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.resume_session(info.id)
            elif choice == "abandon":
                self.abandon_session(info.id)

        self.app.push_screen(ResumeDialog(info, self.quiz.now()), chosen)

    def _setup(self, mode: Mode) -> None:
        if self.quiz.library is None or self.quiz.trainer is None:
            self.quiz.notify_not_ready()
            return
        self._check_then_setup(self.quiz.trainer, mode)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _check_then_setup(self, trainer: Trainer, mode: Mode) -> None:
        """Read the history the form's filters need; review, weak and mistakes say at once,
        instead of after the form, when they would serve nothing."""
        from quiz.domain.session import SessionPlan

        plan = SessionPlan(mode=mode)
        if needs_history(plan):
            try:
                trainer.plan_session(plan)
            except NoQuestions as error:
                self.post_message(self.NothingToServe(str(error)))
                return
        self.post_message(self.SetupWanted(mode, trainer.question_records()))

    @on(SetupWanted)
    def _setup_wanted(self, message: SetupWanted) -> None:
        if self.app.screen is self:
            self._open_setup(message.mode, message.records)

    def _open_setup(self, mode: Mode, records: dict[str, QuestionRecord]) -> None:
        from quiz.tui.screens.setup import SetupScreen

        assert self.quiz.library is not None

        def chosen(plan: SessionPlan | None) -> None:
            if plan is not None:
                self.start_session(plan)

        self.app.push_screen(SetupScreen(mode, self.quiz.library, records), chosen)

    # --- sessions: home is beneath every session, and starts each --------------------------------

    def start_session(self, plan: SessionPlan) -> None:
        """Plan and open a session (in a worker); a plan with no questions is a notification."""
        if self.quiz.trainer is None:
            self.quiz.notify_not_ready()
            return
        self._plan_session(self.quiz.trainer, plan)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _plan_session(self, trainer: Trainer, plan: SessionPlan) -> None:
        try:
            session = trainer.start_session(plan)
        except NoQuestions as error:
            self.post_message(self.NothingToServe(str(error)))
            return
        self.post_message(self.SessionStarted(session))

    def resume_session(self, session_id: int) -> None:
        """Reopen an unfinished session where it was left."""
        assert self.quiz.trainer is not None
        self._reopen_session(self.quiz.trainer, session_id)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _reopen_session(self, trainer: Trainer, session_id: int) -> None:
        self.post_message(self.SessionStarted(trainer.resume_session(session_id)))

    def abandon_session(self, session_id: int) -> None:
        """Close an unfinished session for good (what was answered stays in the history)."""
        assert self.quiz.trainer is not None
        self._abandon_session(self.quiz.trainer, session_id)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _abandon_session(self, trainer: Trainer, session_id: int) -> None:
        trainer.abandon_session(session_id)
        self.post_message(self.SessionAbandoned())

    @on(SessionStarted)
    def _session_started(self, message: SessionStarted) -> None:
        from quiz.tui.screens.question import question_screen_for

        self.app.push_screen(question_screen_for(message.session))

    @on(NothingToServe)
    def _nothing_to_serve(self, message: NothingToServe) -> None:
        self.notify(message.why, severity="warning", timeout=6, markup=False)
        self.reload()

    @on(SessionAbandoned)
    def _session_abandoned(self) -> None:
        self.reload()
