"""What the app's question and full screens share."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from rich.text import Text
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from quiz.domain.text import visible

if TYPE_CHECKING:
    from textual.widgets import DataTable  # not imported for a question screen, which has none

    from quiz.domain.model import Case
    from quiz.tui.app import IMSQuizApp


def case_title(case: Case) -> Text:
    """The line above a case's vignette (bank text, never markup)."""
    return Text(f"Case: {visible(case.title)}", style="bold")


def fill_width(table: DataTable[Any], key: str, minimum: int = 20) -> None:
    """Widen (or narrow) ``table``'s column ``key`` to what the table has left after its other
    columns (each padded a cell on either side), so that nothing scrolls sideways and no
    column is pushed off an 80-column screen. Call it on mount and on resize."""
    if key not in table.columns:
        return
    others = sum(column.width + 2 for name, column in table.columns.items() if name != key)
    width = max(minimum, table.scrollable_content_region.width - others - 2)
    column = table.columns[key]  # type: ignore[index]  # a ColumnKey equals its str
    if column.width != width:
        column.width = width
        table.refresh()


class QuizScreen(Screen[None]):
    """A full screen of the trainer; :attr:`quiz` is the app, with its own type.

    A screen does its slow work (the store, above all) in its own ``@work(thread=True,
    exit_on_error=False)`` workers, which end by posting the screen a message. The workers
    belong to the screen: once it closes they are cancelled, and what they post is dropped. A
    worker that fails is reported here, as a notification, and :meth:`work_failed` is called.
    """

    @property
    def quiz(self) -> IMSQuizApp:
        """The trainer app (``self.app``, typed)."""
        return cast("IMSQuizApp", self.app)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state is WorkerState.ERROR:
            self.quiz.report_failure(event.worker.error)
            self.work_failed(event.worker)

    def work_failed(self, worker: Worker[object]) -> None:
        """``worker`` raised (the trainee has been told); undo what waited for it."""

    def before_quit(self, quit: Callable[[], object]) -> None:
        """The trainee asked the app to quit (ctrl+q) with this screen open: call ``quit``, now
        or once it is safe (a timed exam asks first)."""
        quit()
