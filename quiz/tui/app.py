"""The Textual application: global keys, the way home, notifications, make_app and run_app.

The app stays thin. How it comes up (home at once, the banks and the store loaded behind it, or
a command-line session on screen before the store) is :mod:`quiz.tui.startup`'s. Each screen
does its own work: home starts, resumes and abandons sessions, the question screens keep
answers. They talk to the store only through :class:`quiz.service.Trainer`, always from their
own worker threads.
"""

from __future__ import annotations

import asyncio
import gc
import sys
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from quiz import preferences
from quiz.domain.text import visible
from quiz.settings import Settings
from quiz.tui.startup import ServicesOpened, Startup, UnfinishedFound

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen

    from quiz.banks.loader import Library
    from quiz.domain.session import SessionPlan
    from quiz.service import Trainer
    from quiz.tui.screens.home import HomeScreen


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
            "ctrl+q",
            "quit",
            "Quit",
            priority=True,
            tooltip="quit (answers are kept; a timed exam asks first)",
        ),
        Binding("question_mark,f1", "help", "Help", tooltip="this help"),
    ]

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
        self.call_after_refresh(self._first_screen_drawn)
        asyncio.get_running_loop().set_exception_handler(_quiet_about_cancelled_work)
        saved_theme = preferences.load().theme
        if saved_theme is not None and saved_theme in self.available_themes:
            self.theme = saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        plan, self.start_plan = self.start_plan, None
        self.startup.begin(plan)

    def _first_screen_drawn(self) -> None:
        # What exists now (modules, the banks, the first screen) lives as long as the app: the
        # cycle collector need not walk it again and again. A full collection over it cost the
        # first question about 20 ms, and would cost any keypress it fell on as much. Start-up
        # ran with the collector paused (quiz.collector); from here on it runs.
        gc.freeze()
        gc.enable()

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

    def home(self) -> HomeScreen:
        """The home screen, open beneath the screens above it (see :meth:`go_home`)."""
        from quiz.tui.screens.home import HomeScreen

        return next(screen for screen in self.screen_stack if isinstance(screen, HomeScreen))

    def go_home(self) -> HomeScreen:
        """Close the screens above home; a session from the command line has no home beneath
        it, so home takes its place."""
        from quiz.tui.screens.home import HomeScreen

        if any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            while not isinstance(self.screen, HomeScreen):
                self.pop_screen()
            return self.screen
        while len(self.screen_stack) > 2:  # the app's blank default screen is at the bottom
            self.pop_screen()
        home = HomeScreen()
        self.switch_screen(home)
        return home

    # --- for screens -----------------------------------------------------------------------------

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The start-up's workers run on the app; each screen reports its own.
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

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: the screen's own keys first, then help and Textual's own."""
        from quiz.tui.keys import screen_commands

        yield from screen_commands(screen)
        yield SystemCommand("Help", "every key, by where it works (?)", self.action_help)
        yield SystemCommand(
            "Settings",
            "new questions per day, desired retention, certainty (s on home)",
            self.action_settings,
        )
        yield from super().get_system_commands(screen)

    async def action_quit(self) -> None:
        """Quit, once the topmost trainer screen agrees (a timed exam asks first)."""
        from quiz.tui.screens._base import QuizScreen

        for screen in reversed(self.screen_stack):
            if isinstance(screen, QuizScreen):
                screen.before_quit(self.exit)
                return
        self.exit()

    def action_help(self) -> None:
        from quiz.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_settings(self) -> None:
        """Open the settings (from home's ``s`` or the command palette)."""
        from quiz.tui.screens.settings import SettingsScreen

        if not isinstance(self.screen, SettingsScreen):
            self.push_screen(SettingsScreen())

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


class NoTerminal(Exception):
    """The trainer was started with its input or output not a terminal (a pipe, a file,
    ``/dev/null``): it would draw into the file, or read an endless end of input at full CPU."""


def run_app(settings: Settings, plan: SessionPlan | None = None, **options: Any) -> None:
    """Run the trainer in this terminal until the trainee quits (options as for the app).

    Raises:
        NoTerminal: Standard input or output is not an interactive terminal.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise NoTerminal(
            "the trainer needs an interactive terminal, and its input or output is redirected; "
            "for scripts, `ims-quiz stats --json` and `ims-quiz export` read your progress"
        )
    make_app(settings, plan, **options).run()
