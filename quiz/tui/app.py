"""The Textual application: screens, global keys, and the start-up that loads in the background.

The app stays thin. It opens the home screen at once, loads the banks and opens the progress
store in a worker thread, and hands the result to whichever screen is showing. Screens talk to
the store only through :class:`quiz.service.Trainer`, always from worker threads.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from quiz.settings import Settings
from quiz.tui import preferences
from quiz.tui.messages import ServicesReady

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.model import Bank
    from quiz.domain.session import SessionItem, SessionPlan
    from quiz.service import ActiveSession, Trainer

T = TypeVar("T")


class IMSQuizApp(App[None]):
    """The IMS trainer."""

    CSS_PATH = "app.tcss"
    TITLE = "IMS Quiz"
    SUB_TITLE = "Gunn intramuscular stimulation trainer"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("question_mark,f1", "help", "Help"),
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

    # --- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from quiz.tui.screens.home import HomeScreen

        saved_theme = preferences.load().get("theme")
        if isinstance(saved_theme, str) and saved_theme in self.available_themes:
            self.theme = saved_theme
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.push_screen(HomeScreen())
        self._load_services()

    def _remember_theme(self, theme: Any) -> None:
        preferences.save(theme=theme.name)

    @work(thread=True, exit_on_error=False, group="startup")
    def _load_services(self) -> None:
        from quiz.banks.loader import discover
        from quiz.progress import StoreError
        from quiz.service import Trainer

        library = self.library or discover(self.settings.bank_dirs)
        options = {"clock": self.clock} if self.clock else {}
        try:
            trainer = Trainer.open(self.settings, library, **options)
        except StoreError as error:
            self.call_from_thread(self._services_ready, library, None, str(error))
            return
        self.call_from_thread(self._services_ready, library, trainer, None)

    def _services_ready(self, library: Library, trainer: Trainer | None, error: str | None) -> None:
        self.library = library
        self.trainer = trainer
        self.load_error = error
        if trainer is not None and self.start_plan is not None:
            # Straight into the session: home fills itself in when the session closes, and
            # does not compete with the session's start for the interpreter meanwhile.
            plan, self.start_plan = self.start_plan, None
            self.start_session(plan)
            return
        self.screen.post_message(ServicesReady(error))
        if trainer is not None:
            self._offer_resume()

    @work(thread=True, exit_on_error=False, group="startup")
    def _offer_resume(self) -> None:
        assert self.trainer is not None
        unfinished = self.trainer.unfinished_session()
        if unfinished is not None:
            self.call_from_thread(self._ask_resume, unfinished)

    def _ask_resume(self, unfinished: Any) -> None:
        from quiz.tui.screens.dialogs import ResumeDialog

        def chosen(choice: str | None) -> None:
            if choice == "resume":
                self.resume_session(unfinished.id)
            elif choice == "abandon":
                self.run_in_thread(lambda: self._abandon(unfinished.id))

        self.push_screen(ResumeDialog(unfinished), chosen)

    def _abandon(self, session_id: int) -> None:
        assert self.trainer is not None
        self.trainer.abandon_session(session_id)
        self.call_from_thread(self.refresh_current)

    # --- sessions --------------------------------------------------------------------------------

    def start_session(self, plan: SessionPlan) -> None:
        """Plan and open a session (in a worker); a plan with no questions is a notification."""
        from quiz.service import NoQuestions

        def start() -> None:
            assert self.trainer is not None
            try:
                session = self.trainer.start_session(plan)
            except NoQuestions as error:
                self.call_from_thread(
                    self.notify, str(error), severity="warning", timeout=6, markup=False
                )
                self.call_from_thread(self.refresh_current)
                return
            self.call_from_thread(self.open_session, session)

        if self.trainer is None:
            self.notify_not_ready()
            return
        self.run_in_thread(start)

    def resume_session(self, session_id: int) -> None:
        """Reopen an unfinished session where it was left."""

        def resume() -> None:
            assert self.trainer is not None
            session = self.trainer.resume_session(session_id)
            self.call_from_thread(self.open_session, session)

        self.run_in_thread(resume)

    def open_session(self, session: ActiveSession) -> None:
        """Show ``session``'s questions."""
        from quiz.tui.screens.session import SessionScreen

        self.push_screen(SessionScreen(session))

    # --- helpers for screens ---------------------------------------------------------------------

    def run_in_thread(self, job: Callable[[], object]) -> None:
        """Run ``job`` in a worker thread; it reports back with ``call_from_thread``."""
        self.run_worker(job, thread=True, exit_on_error=False, group="service")

    def bank_for(self, item: SessionItem) -> Bank | None:
        """The bank a session item came from, if it is still loaded."""
        library = self.library
        if library is None or item.bank_id not in library.banks:
            return None
        return library.bank(item.bank_id)

    def refresh_current(self) -> None:
        """Ask the visible screen to reload its data (after a session ends, say)."""
        refresh = getattr(self.screen, "reload", None)
        if callable(refresh):
            refresh()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Workers never crash the app: an unexpected failure becomes a message the trainee sees.
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            self.notify(
                f"Something went wrong: {error}" if error else "Something went wrong.",
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
