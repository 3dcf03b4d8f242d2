"""The Textual application: screens, global keys, and sessions started and resumed.

The app stays thin. How it comes up (home at once, the banks and the store loaded behind it, or
a command-line session on screen before the store) is :mod:`quiz.tui.startup`'s. Screens talk
to the store only through :class:`quiz.service.Trainer`, always from their own worker threads.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.worker import Worker, WorkerState

from quiz.domain.text import visible
from quiz.service import NoQuestions
from quiz.settings import Settings
from quiz.tui import preferences
from quiz.tui.startup import ServicesOpened, Startup, UnfinishedFound

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from quiz.banks.loader import Library
    from quiz.domain.session import SessionPlan
    from quiz.service import ActiveSession, Trainer


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _quiet_about_cancelled_work(loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
    """The event loop's error handler: work cancelled because the app quit is not an error.

    Quitting while a Markdown widget is still parsing leaves a cancelled future nobody awaits;
    asyncio would print its traceback on the terminal after the app has gone.
    """
    if isinstance(context.get("exception"), asyncio.CancelledError):
        return
    loop.default_exception_handler(context)


class IMSQuizApp(App[None]):
    """The IMS trainer."""

    CSS_PATH = "app.tcss"
    TITLE = "IMS Quiz"
    SUB_TITLE = "Gunn intramuscular stimulation trainer"
    BINDINGS = [
        Binding(
            "ctrl+q", "quit", "Quit", priority=True, tooltip="quit (answers are saved as you go)"
        ),
        Binding("question_mark,f1", "help", "Help", tooltip="this help"),
    ]

    class SessionStarted(Message):
        """A session was planned (or reopened) and is ready to show."""

        def __init__(self, session: ActiveSession) -> None:
            super().__init__()
            self.session = session

    class NothingToServe(Message):
        """A plan found no questions; ``why`` says what to change."""

        def __init__(self, why: str) -> None:
            super().__init__()
            self.why = why

    class SessionAbandoned(Message):
        """An unfinished session was closed for good."""

    def __init__(
        self,
        settings: Settings,
        plan: SessionPlan | None = None,
        *,
        library: Library | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.start_plan = plan
        self.library: Library | None = library
        self.trainer: Trainer | None = None
        self.load_error: str | None = None
        self.clock = clock
        self.startup = Startup(self)

    def on_mount(self) -> None:
        # What exists now (modules, the banks) lives as long as the app: the cycle collector
        # need not walk it again and again. A full collection over it cost the first question
        # about 20 ms, and would cost any keypress it fell on as much.
        gc.freeze()
        asyncio.get_running_loop().set_exception_handler(_quiet_about_cancelled_work)
        saved_theme = preferences.load().get("theme")
        if isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        plan, self.start_plan = self.start_plan, None
        self.startup.begin(plan)

    @on(ServicesOpened)
    def _services_opened(self, message: ServicesOpened) -> None:
        self.startup.services_opened(message)

    @on(UnfinishedFound)
    def _unfinished_found(self, message: UnfinishedFound) -> None:
        self.startup.offer_resume(message)

    def on_question_screen_question_shown(self) -> None:
        self.startup.first_question_drawn()

    def _remember_theme(self, theme: Any) -> None:
        preferences.save(theme=theme.name)

    def now(self) -> datetime:
        """The current time (the injected clock's, in tests), timezone-aware."""
        return (self.clock or _utc_now)()

    def go_home(self) -> None:
        """Close the screens above home; a session from the command line has no home beneath
        it, so home takes its place."""
        from quiz.tui.screens.home import HomeScreen

        if any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
            return
        while len(self.screen_stack) > 2:  # the app's blank default screen is at the bottom
            self.pop_screen()
        self.switch_screen(HomeScreen())

    # --- sessions --------------------------------------------------------------------------------

    def start_session(self, plan: SessionPlan) -> None:
        """Plan and open a session (in a worker); a plan with no questions is a notification."""
        if self.trainer is None:
            self.notify_not_ready()
            return
        self._plan_session(self.trainer, plan)

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
        assert self.trainer is not None
        self._reopen_session(self.trainer, session_id)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _reopen_session(self, trainer: Trainer, session_id: int) -> None:
        self.post_message(self.SessionStarted(trainer.resume_session(session_id)))

    def abandon_session(self, session_id: int) -> None:
        """Close an unfinished session for good (what was answered stays in the history)."""
        assert self.trainer is not None
        self._abandon_session(self.trainer, session_id)

    @work(thread=True, exit_on_error=False, group="sessions")
    def _abandon_session(self, trainer: Trainer, session_id: int) -> None:
        trainer.abandon_session(session_id)
        self.post_message(self.SessionAbandoned())

    @on(SessionStarted)
    def _session_started(self, message: SessionStarted) -> None:
        self.open_session(message.session)

    @on(NothingToServe)
    def _nothing_to_serve(self, message: NothingToServe) -> None:
        self.notify(message.why, severity="warning", timeout=6, markup=False)
        self.refresh_current()

    @on(SessionAbandoned)
    def _session_abandoned(self) -> None:
        self.refresh_current()

    def open_session(self, session: ActiveSession) -> None:
        """Show ``session``'s questions (on an exam's screen or practice's)."""
        from quiz.tui.screens.question import question_screen_for

        self.push_screen(question_screen_for(session))

    # --- for screens -----------------------------------------------------------------------------

    def refresh_current(self) -> None:
        """Ask the visible screen to reload its data (after a session ends, say)."""
        refresh = getattr(self.screen, "reload", None)
        if callable(refresh):
            refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app's own workers (start-up, sessions); each screen reports its own.
        if event.state is WorkerState.ERROR:
            self.report_failure(event.worker.error)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Show a notification; every one passes here, and may quote bank text (a topic, an
        error about a file), so control characters in it are shown as escapes."""
        super().notify(
            visible(message),
            title=visible(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def report_failure(self, error: BaseException | None) -> None:
        """Tell the trainee that work failed (workers never crash the app)."""
        self.notify(
            f"Something went wrong: {error or type(error).__name__}"
            if error is not None
            else "Something went wrong.",
            title="Error",
            severity="error",
            timeout=10,
            markup=False,  # an error message may quote bank text or SQL with brackets
        )

    def notify_not_ready(self) -> None:
        """Say why there is no trainer: still loading, or the progress store failed to open."""
        if self.load_error:
            self.notify(
                f"Progress cannot be opened, so no session can start: {self.load_error}",
                severity="error",
                timeout=10,
                markup=False,
            )
        else:
            self.notify("Still loading the banks; try again in a moment.", severity="warning")

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def on_unmount(self) -> None:
        if self.trainer is not None:
            self.trainer.close()
        gc.unfreeze()  # what the app held may be collected once it has gone


def make_app(
    settings: Settings | None = None,
    plan: SessionPlan | None = None,
    **options: Any,
) -> IMSQuizApp:
    """The one way to build the app, shared by the CLI and the tests."""
    return IMSQuizApp(settings or Settings(), plan, **options)


def run_app(settings: Settings, plan: SessionPlan | None = None, **options: Any) -> None:
    """Run the trainer in this terminal until the trainee quits (options as for the app)."""
    make_app(settings, plan, **options).run()
