"""Building the real app for Pilot and snapshot tests, waiting for its workers, answering by key."""

from __future__ import annotations

import contextlib
import io
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import WorkerState

from quiz.banks.loader import Library, load_library
from quiz.domain.grading import ChoiceResponse, Response
from quiz.domain.model import Matching
from quiz.domain.session import Mode, SessionItem, SessionPlan, SessionResult
from quiz.service import ActiveSession, Trainer
from quiz.settings import Settings
from quiz.tui.app import IMSQuizApp, make_app
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.widgets._row import AnswerRow
from tests.engine_helpers import Clock, right, wrong

BANKS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "banks" / "tui"
BANK_ID = "tui-test"
SMALL = (80, 24)
LARGE = (120, 40)
SEED = 7
PROFILE = "tester"

CASE_KEYS = (f"{BANK_ID}/painter-segment", f"{BANK_ID}/painter-paraspinal")
MARKUP_KEY = f"{BANK_ID}/c5-muscle"
"""The single-choice question with an unsafe option and markup-looking prompt and options."""


def fixture_library() -> Library:
    """The fixture banks, loaded by their file names (so diagnostics read ``broken.yaml:9:5``)."""
    with contextlib.chdir(BANKS_DIR):
        return load_library([Path("tui-test.yaml"), Path("broken.yaml")])


def make_test_app(
    db_file: Path | str,
    library: Library,
    clock: Clock | None = None,
    plan: SessionPlan | None = None,
) -> IMSQuizApp:
    """The real app over the fixture library, a test database and a fixed clock."""
    settings = Settings(profile=PROFILE, db_url=str(db_file))
    return make_app(settings, plan, library=library, clock=clock or Clock())


def plan(mode: Mode = Mode.PRACTICE, **fields: Any) -> SessionPlan:
    """A seeded plan over the fixture bank."""
    fields.setdefault("seed", SEED)
    return SessionPlan(mode=mode, bank_ids=(BANK_ID,), **fields)


# --- progress made without the TUI ---------------------------------------------------------------

UNSAFE = "unsafe"
"""An outcome: the question's unsafe option picked."""


def response_for(item: SessionItem, outcome: bool | str) -> Response:
    """A response to ``item``: right (``True``), wrong (``False``) or its unsafe option."""
    if outcome == UNSAFE:
        choices = item.question.choices  # type: ignore[attr-defined]
        return ChoiceResponse(frozenset(i for i, c in enumerate(choices) if c.unsafe))
    return right(item.question) if outcome else wrong(item.question)


Outcomes = list[bool | str | None] | dict[str, bool | str]
"""Item by item (``None``: left unanswered), or by question id (missing: unanswered)."""


def play(
    trainer: Trainer,
    session_plan: SessionPlan,
    outcomes: Outcomes,
    *,
    finish: bool = True,
    seconds: float = 20.0,
) -> tuple[ActiveSession, SessionResult | None]:
    """Start a session, answer each item as ``outcomes`` say, and finish it (or not)."""
    session = trainer.start_session(session_plan)
    for index, item in enumerate(session.items):
        if isinstance(outcomes, dict):
            outcome = outcomes.get(item.question.id)
        else:
            outcome = outcomes[index] if index < len(outcomes) else None
        if outcome is not None:
            session.answer(index, response_for(item, outcome), seconds)
    return session, session.finish() if finish else None


def record_session(
    db_file: Path,
    library: Library,
    when: datetime,
    session_plan: SessionPlan,
    outcomes: Outcomes,
    *,
    finish: bool = True,
) -> None:
    """Put a session played at ``when`` into the progress database before the app starts."""
    settings = Settings(profile=PROFILE, db_url=str(db_file))
    trainer = Trainer.open(settings, library, clock=lambda: when)
    try:
        play(trainer, session_plan, outcomes, finish=finish)
    finally:
        trainer.close()


# --- waiting ------------------------------------------------------------------------------------


async def wait_until(
    pilot: Pilot[Any], predicate: Callable[[], object], what: str, timeout: float = 10.0
) -> None:
    """Let the app run until ``predicate()`` is true; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what} (screen: {pilot.app.screen!r})")
        await pilot.pause(0.005)


def _busy(app: IMSQuizApp) -> bool:
    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


async def settle(pilot: Pilot[Any], timeout: float = 10.0) -> None:
    """Wait until no worker is pending or running, and the messages they posted are handled."""
    app = pilot.app
    assert isinstance(app, IMSQuizApp)
    while True:  # a worker's callback may start another worker
        await wait_until(pilot, lambda: not _busy(app), "the workers to finish", timeout)
        await pilot.pause()
        if not _busy(app):
            return


async def started(pilot: Pilot[Any]) -> None:
    """Wait for the background start-up (banks, database) and the home screen's summary."""
    app = pilot.app
    assert isinstance(app, IMSQuizApp)
    await wait_until(pilot, lambda: app.trainer is not None or app.load_error, "start-up")
    await settle(pilot)


async def on_screen(pilot: Pilot[Any], screen_type: type[Screen[Any]]) -> Any:
    """Wait until a ``screen_type`` screen is the active screen; return it."""
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, screen_type), screen_type.__name__)
    await settle(pilot)
    return pilot.app.screen


def screen_text(pilot: Pilot[Any]) -> str:
    """The characters on screen, line by line."""
    return "\n".join(strip.text for strip in pilot.app.screen._compositor.render_strips())


def plain(widget: Static) -> str:
    """The text a Static shows (Text, Content, or a Rich renderable), without styles."""
    content: Any = widget.content
    if hasattr(content, "plain"):
        return str(content.plain)
    console = Console(file=io.StringIO(), width=max(widget.size.width, 40), color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


def row_text(row: AnswerRow) -> str:
    """The text of an answer row's cells, without styles."""
    return "  ".join(cell.text.plain for cell in row.cells())


async def press_quickly(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` like a fast typist: each is handled, but the CPU need not go idle between
    them (``pilot.press`` waits for that, which costs ~50 ms a key)."""
    for key in keys:
        pilot.app.post_message(_key_event(key))
        await pilot.pause(0)


async def press_in_one_read(pilot: Pilot[Any], *keys: str) -> None:
    """Press ``keys`` as a terminal delivers a burst (``tmux send-keys d Enter 2``, a paste of
    keys, a typist faster than a frame): the driver posts them all before the app handles the
    first, so each key's priority bindings are checked before the keys ahead of it are done."""
    for key in keys:
        pilot.app.post_message(_key_event(key))
    await pilot.pause(0)


def _key_event(key: str) -> events.Key:
    named = {"space": " ", "enter": "\r", "tab": "\t"}
    return events.Key(key, named.get(key, key if len(key) == 1 else None))


def no_blink(pilot: Pilot[Any]) -> None:
    """Stop the text cursors blinking, so snapshots are stable."""
    for widget in pilot.app.screen.query(Input):
        widget.cursor_blink = False


# --- answering by key ---------------------------------------------------------------------------


def answer_keys(item: SessionItem, *, correct: bool = True) -> list[str]:
    """The keys that answer ``item`` fully right (or wrong) on the question screen."""
    question: Any = item.question
    match question.kind:
        case "single" | "multiple":
            order = item.choice_order or tuple(range(len(question.choices)))
            picks = [p for p, i in enumerate(order) if question.choices[i].correct == correct]
            if question.kind == "single" or not correct:
                picks = picks[:1]
            return [str(p + 1) for p in picks]
        case "true_false":
            value = question.answer if correct else not question.answer
            return ["1" if value else "2"]
        case "matching":
            assert isinstance(question, Matching)
            options = list(item.right_options)
            if not correct:
                return [str(options.index(question.pairs[1][1]) + 1)]
            return [str(options.index(right) + 1) for _, right in question.pairs]
        case "ordering":
            if not correct:
                return ["space", "space"]  # keep the shown order, which is never the right one
            order = list(item.choice_order)
            keys: list[str] = []
            for target in range(len(order)):
                at = order.index(target)
                keys += ["ctrl+home", *["down"] * at, str(target + 1)]
                order.insert(target, order.pop(at))
            return keys
        case "short":
            return list(question.answers[0] if correct else "xyz")
    raise AssertionError(question.kind)


def question_screen(pilot: Pilot[Any]) -> QuestionScreen:
    screen = pilot.app.screen
    assert isinstance(screen, QuestionScreen), screen
    return screen


async def answer_current(pilot: Pilot[Any], *, correct: bool = True) -> None:
    """Answer the question on screen by key (not submitted yet)."""
    screen = question_screen(pilot)
    await press_quickly(pilot, *answer_keys(screen.session.items[screen.index], correct=correct))
    await pilot.pause()


async def answer_and_submit(
    pilot: Pilot[Any], *, correct: bool = True, certainty: str = "2"
) -> QuestionScreen:
    """Practice: answer the question on screen, press enter (and, when the session asks,
    the ``certainty`` key) and wait for the feedback."""
    screen = question_screen(pilot)
    index = screen.index
    await answer_current(pilot, correct=correct)
    half_matched = bool(screen._answer.unmatched())
    await press_quickly(pilot, "enter")
    if half_matched:  # practice asks before submitting rows left empty
        await wait_until(pilot, lambda: pilot.app.screen is not screen, "the question")
        await press_quickly(pilot, "y")
    if screen.session.asks_certainty:
        await wait_until(pilot, lambda: screen.asking is not None, "the certainty prompt")
        await press_quickly(pilot, certainty)
    await wait_until(pilot, lambda: screen.revealed and index in screen.session.answers, "feedback")
    await pilot.pause()
    return screen


async def exam_answer(pilot: Pilot[Any], *, correct: bool = True) -> None:
    """Exam: answer the question on screen and press enter, which saves it and moves on."""
    screen = question_screen(pilot)
    index = screen.index
    await answer_current(pilot, correct=correct)
    await press_quickly(pilot, "enter")
    await wait_until(pilot, lambda: index in screen.session.answers and not screen.busy, "save")
    await pilot.pause()
