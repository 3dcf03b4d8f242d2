"""The Textual application: screens, global keys, and the start-up that loads in the background.

The app stays thin. It opens the home screen at once, loads the banks and opens the progress
store in a worker thread, and hands the result to whichever screen is showing. Screens talk to
the store only through :class:`quiz.service.Trainer`, always from worker threads.

A session given on the command line (``ims-quiz practice``) skips home: a practice or exam
session needs no history, so when the CLI has loaded the banks already its first question is on
screen before the store is even imported. The store opens once that question is drawn, and the
session's first answer waits for it (see :class:`quiz.service.ActiveSession`). Home is built
when the session closes (:meth:`IMSQuizApp.go_home`).
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.worker import Worker, WorkerState

from quiz.service import NoQuestions, needs_history, new_session
from quiz.settings import Settings
from quiz.tui import preferences
from quiz.tui.messages import ServicesReady

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from quiz.banks.loader import Library
    from quiz.domain.model import Bank
    from quiz.domain.session import SessionItem, SessionPlan
    from quiz.service import ActiveSession, Trainer

T = TypeVar("T")


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
        self._unstored: ActiveSession | None = None
        """The command line's session, on screen before the store opens to keep it."""

    # --- start-up ------------------------------------------------------------------------------

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
        if plan is not None and self.library is not None and not needs_history(plan.mode):
            try:
                session = new_session(plan, self.library.usable(), now=self.now())
            except NoQuestions as error:
                self.notify(str(error), severity="warning", timeout=6, markup=False)
            else:
                self._open_unstored(session)
                return
            plan = None
        from quiz.tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        self._load_services(plan, None)

    def _open_unstored(self, session: ActiveSession) -> None:
        """Show a session before the store is open; home is built only when it closes."""
        self.open_session(session)
        # Opening the store (importing SQLAlchemy above all) waits until the first question is
        # drawn, rather than competing with it for the interpreter; the timer is a backstop.
        self._unstored = session
        self.set_timer(1.0, self._store_pending)

    def on_session_screen_question_shown(self) -> None:
        self._store_pending()

    def _store_pending(self) -> None:
        session, self._unstored = self._unstored, None
        if session is not None:
            self._load_services(None, session)

    def _remember_theme(self, theme: Any) -> None:
        preferences.save(theme=theme.name)

    def now(self) -> datetime:
        """The current time (the injected clock's, in tests), timezone-aware."""
        return (self.clock or _utc_now)()

    @work(thread=True, exit_on_error=False, group="startup")
    def _load_services(self, plan: SessionPlan | None, pending: ActiveSession | None) -> None:
        """Load the banks (unless given) and open the store; then start the command line's
        ``plan``, or store its ``pending`` session, which is on screen already."""
        from quiz.banks.loader import discover
        from quiz.progress import StoreError
        from quiz.service import Trainer

        library = self.library or discover(self.settings.bank_dirs)
        options = {"clock": self.clock} if self.clock else {}
        try:
            trainer = Trainer.open(self.settings, library, **options)
            if pending is not None:
                trainer.keep(pending)
        except StoreError as error:
            if pending is not None:
                pending.fail(error)
            self.call_from_thread(self._services_ready, library, None, str(error), plan, pending)
            return
        self.call_from_thread(self._services_ready, library, trainer, None, plan, pending)

    def _services_ready(
        self,
        library: Library,
        trainer: Trainer | None,
        error: str | None,
        plan: SessionPlan | None,
        pending: ActiveSession | None,
    ) -> None:
        self.library = library
        self.trainer = trainer
        self.load_error = error
        gc.freeze()  # the banks and the store, loaded in the background, last as long
        if plan is None and pending is None:
            self.screen.post_message(ServicesReady(error))
            if trainer is not None:
                self._offer_resume()
        elif trainer is None:
            if pending is not None:
                self.notify(
                    f"Progress cannot be opened, so the session was closed: {error}",
                    severity="error",
                    timeout=10,
                    markup=False,
                )
                self.go_home()
            self.screen.post_message(ServicesReady(error))
        elif plan is not None:
            self.start_session(plan)

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

    def _no_questions(self, why: str) -> None:
        self.notify(why, severity="warning", timeout=6, markup=False)
        self.refresh_current()

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

        def start() -> None:
            assert self.trainer is not None
            try:
                session = self.trainer.start_session(plan)
            except NoQuestions as error:
                self.call_from_thread(self._no_questions, str(error))
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

    def run_in_thread(
        self,
        job: Callable[[], T],
        then: Callable[[T], object] | None = None,
        *,
        failed: Callable[[], object] | None = None,
        node: DOMNode | None = None,
    ) -> None:
        """Run ``job`` in a worker thread, then ``then(result)`` on the UI thread.

        If ``job`` raises, ``failed()`` runs instead, and the error is shown as a notification
        (see :meth:`on_worker_state_changed`). Neither runs once ``node`` (the screen that
        asked) has been closed: a screen left while its work was under way has nothing to show.
        """

        def work() -> None:
            try:
                result = job()
            except BaseException:
                if failed is not None:
                    self.call_from_thread(self._for, node, failed)
                raise
            if then is not None:
                self.call_from_thread(self._for, node, then, result)

        self.run_worker(work, thread=True, exit_on_error=False, group="service")

    @staticmethod
    def _for(node: DOMNode | None, callback: Callable[..., object], *args: object) -> None:
        if node is None or node.is_attached:
            callback(*args)

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
