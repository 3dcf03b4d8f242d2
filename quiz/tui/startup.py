"""How the app comes up: home at once, the banks and the store loaded behind it.

Started bare (``ims-quiz``), the app shows home at once and, in a worker thread, loads the banks
and opens the progress store; home fills in when they are ready (:class:`ServicesReady`), and
an unfinished session is offered for resuming.

Started with a session on the command line (``ims-quiz practice``), it skips home. A practice
or exam session needs no history, so when the CLI has loaded the banks already, the session is
planned at once and its first question is on screen before the store is even imported:
*plan before store*. The store opens once that question is drawn (or after a second at the
latest), and the session's first answer waits for it (see :class:`quiz.service.ActiveSession`).
Home is built when the session closes (:meth:`IMSQuizApp.go_home`). A session that needs the
trainee's history (review, weak areas, mistakes) is planned once the store is open.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from textual.message import Message

from quiz.service import NoQuestions, needs_history, new_session
from quiz.tui.messages import ServicesReady

if TYPE_CHECKING:
    from quiz.banks.loader import Library
    from quiz.domain.session import SessionPlan
    from quiz.service import ActiveSession, SessionInfo, Trainer
    from quiz.tui.app import IMSQuizApp

STORE_BACKSTOP_SECONDS = 1.0
"""How long a session shown before the store waits at most for its first question to be drawn
before the store is opened anyway."""


class ServicesOpened(Message):
    """The start-up worker is done: the banks are loaded, and the store is open (``trainer``)
    or could not be opened (``error``). ``plan`` and ``pending`` are the command line's session,
    still to start or already on screen, if any."""

    def __init__(
        self,
        library: Library,
        trainer: Trainer | None,
        error: str | None,
        plan: SessionPlan | None,
        pending: ActiveSession | None,
    ) -> None:
        super().__init__()
        self.library = library
        self.trainer = trainer
        self.error = error
        self.plan = plan
        self.pending = pending


class UnfinishedFound(Message):
    """The trainee left a session unfinished last time."""

    def __init__(self, unfinished: SessionInfo) -> None:
        super().__init__()
        self.unfinished = unfinished


class Startup:
    """The app's start-up, step by step. The app forwards it the messages above and
    :meth:`first_question_drawn`."""

    def __init__(self, app: IMSQuizApp) -> None:
        self.app = app
        self._session_before_store: ActiveSession | None = None
        """The command line's session, on screen before the store opens to keep it."""

    def begin(self, plan: SessionPlan | None) -> None:
        """Show the first screen: ``plan``'s first question if it can be planned without the
        store, otherwise home (and ``plan``, if any, starts once the store is open)."""
        app = self.app
        if plan is not None and app.library is not None and not needs_history(plan):
            try:
                session = new_session(plan, app.library.usable(), now=app.now())
            except NoQuestions as error:
                app.notify(str(error), severity="warning", timeout=6, markup=False)
            else:
                self._show_before_store(session)
                return
            plan = None
        from quiz.tui.screens.home import HomeScreen

        app.push_screen(HomeScreen())
        self._open_services(plan, None)

    def _show_before_store(self, session: ActiveSession) -> None:
        """Show ``session`` before the store is open; home is built only when it closes."""
        from quiz.tui.screens.question import question_screen_for

        self.app.push_screen(question_screen_for(session))
        # Opening the store (importing SQLAlchemy above all) waits until the first question is
        # drawn, rather than competing with it for the interpreter; the timer is a backstop.
        self._session_before_store = session
        self.app.set_timer(STORE_BACKSTOP_SECONDS, self._store_session_shown)

    def first_question_drawn(self) -> None:
        """A question screen has drawn a question: a session waiting for the store gets it."""
        self._store_session_shown()

    def _store_session_shown(self) -> None:
        session, self._session_before_store = self._session_before_store, None
        if session is not None:
            self._open_services(None, session)

    # --- the worker ------------------------------------------------------------------------------

    def _open_services(self, plan: SessionPlan | None, pending: ActiveSession | None) -> None:
        """Load the banks (unless given) and open the store in a worker thread; then start the
        command line's ``plan``, or keep its ``pending`` session, which is on screen already."""
        self.app.run_worker(
            lambda: self._open_services_in_thread(plan, pending),
            thread=True,
            exit_on_error=False,
            group="startup",
        )

    def _open_services_in_thread(
        self, plan: SessionPlan | None, pending: ActiveSession | None
    ) -> None:
        from quiz.banks.loader import discover
        from quiz.progress import StoreError
        from quiz.service import Trainer

        app = self.app
        library = app.library or discover(app.settings.bank_dirs)
        try:
            trainer = Trainer.open(app.settings, library, clock=app.now)
            if pending is not None:
                trainer.keep(pending)
        except StoreError as error:
            if pending is not None:
                pending.fail(error)
            app.post_message(ServicesOpened(library, None, str(error), plan, pending))
            return
        app.post_message(ServicesOpened(library, trainer, None, plan, pending))
        # Near misses of short answers need rapidfuzz (some 20 ms to import): here, off the
        # main thread, rather than on the keypress that submits a wrong short answer.
        import rapidfuzz.distance  # noqa: F401

    def services_opened(self, opened: ServicesOpened) -> None:
        """Hand what the worker loaded to the app, and go on with the command line's session."""
        app = self.app
        app.library = opened.library
        app.trainer = opened.trainer
        app.load_error = opened.error
        gc.freeze()  # the banks and the store, loaded in the background, last as long
        if opened.plan is None and opened.pending is None:
            app.screen.post_message(ServicesReady(opened.error))
            if opened.trainer is not None:
                self._look_for_unfinished(opened.trainer)
            else:
                self._offer_retry(opened.error or "", None)
        elif opened.trainer is None:
            if opened.pending is not None:
                app.notify(
                    f"Progress cannot be opened, so the session was closed: {opened.error}",
                    severity="error",
                    timeout=10,
                    markup=False,
                )
                app.go_home()
            app.screen.post_message(ServicesReady(opened.error))
            self._offer_retry(opened.error or "", opened.plan)
        elif opened.plan is not None:
            app.home().start_session(opened.plan)

    def _offer_retry(self, error: str, plan: SessionPlan | None) -> None:
        """Ask whether to try opening the store again (a lock may have gone) or to quit;
        ``plan``, the command line's session, starts if a retry succeeds."""
        from quiz.tui.screens.dialogs import RetryDialog

        def chosen(choice: str | None) -> None:
            if choice == "quit":
                self.app.exit()
            elif choice == "retry":
                self.app.load_error = None
                self.app.screen.post_message(ServicesReady(None))  # home: loading again
                self._open_services(plan, None)

        self.app.push_screen(RetryDialog(error), chosen)

    # --- an unfinished session -------------------------------------------------------------------

    def _look_for_unfinished(self, trainer: Trainer) -> None:
        def look() -> None:
            unfinished = trainer.unfinished_session()
            if unfinished is not None:
                self.app.post_message(UnfinishedFound(unfinished))

        self.app.run_worker(look, thread=True, exit_on_error=False, group="startup")

    def offer_resume(self, found: UnfinishedFound) -> None:
        """Ask whether to resume the unfinished session, abandon it, or decide later."""
        self.app.home().offer(found.unfinished)
