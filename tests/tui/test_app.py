"""Every flow of the real app through Pilot: home, setup, practice, exam, review, resume, banks,
progress, help, theme, a broken database, tiny terminals, key-mashing and literal bank text.

Each test builds the app with :func:`tui_helpers.make_test_app`: the fixture banks, a fresh
SQLite file, a fixed clock, and (from the autouse fixture in tests/conftest.py) its own
IMS_QUIZ_HOME. Waiting is always for a condition (a screen, an answer saved, the workers idle),
never a fixed sleep.
"""

from __future__ import annotations

import json
import string
import threading
from asyncio import CancelledError
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Button, DataTable, Input, Markdown, Static

from quiz import paths
from quiz.banks.loader import Library
from quiz.domain.session import Mode
from quiz.service import ActiveSession, Trainer
from quiz.tui.app import _quiet_about_cancelled_work
from quiz.tui.screens.banks import BanksScreen, PreviewScreen
from quiz.tui.screens.dialogs import ConfirmDialog, ResumeDialog, RetryDialog
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.help import HelpScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.navigator import NavigatorScreen
from quiz.tui.screens.practice import PracticeScreen
from quiz.tui.screens.progress import ProgressScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen, ReviewScreen
from quiz.tui.screens.setup import SetupScreen
from quiz.tui.widgets._row import AnswerRow
from quiz.tui.widgets.answer import AnswerWidget
from quiz.tui.widgets.feedback import FeedbackPanel
from quiz.tui.widgets.footer import Footer
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import (
    CASE_KEYS,
    MARKUP_KEY,
    SMALL,
    answer_and_submit,
    answer_current,
    exam_answer,
    make_test_app,
    on_screen,
    plain,
    plan,
    press_quickly,
    question_screen,
    row_text,
    screen_text,
    settle,
    started,
    wait_until,
)

MARKUP_TEXTS = (
    "Which muscle is supplied mainly by C5? [L4] [bold]x[/bold] [link=http://x]y[/link]",
    "Triceps [L4]",
    "[bold]Abductor pollicis brevis[/bold]",
    "Deep needling toward the lung apex [link=http://x]y[/link]",
)


def markdown_text(widget: Markdown) -> str:
    blocks = widget.query("MarkdownBlock")
    return "\n".join(plain(block) for block in blocks)  # type: ignore[arg-type]


def error_notes(app: object) -> list[str]:
    """Error notifications: a failed worker shows up as one instead of a traceback."""
    notes = app._notifications  # type: ignore[attr-defined]
    return [note.message for note in notes if note.severity == "error"]


# --- home ---------------------------------------------------------------------------------------


async def test_home_shows_the_summary_topics_and_skipped_banks_and_q_quits(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        assert isinstance(app.screen, HomeScreen)  # at once, before the banks are loaded
        await started(pilot)
        text = screen_text(pilot)
        assert "Profile  tester" in text
        assert "New today        8  (daily limit" in text  # today's limit, not the total
        for topic in ("Myotomes and roots", "Needling safety", "The neuropathic model"):
            assert topic in text
        assert "1 bank(s) skipped as broken" in text
        assert "broken.yaml:9:5" in text
        assert app.screen.focused is app.screen.query_one("#menu")
        await pilot.press("q")  # q on home quits
        await wait_until(pilot, lambda: not app.is_running, "the app to exit")


# --- practice -------------------------------------------------------------------------------------


async def test_practice_from_home_through_setup_feedback_and_results(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("p")
        setup = await on_screen(pilot, SetupScreen)
        setup.query_one("#count", Input).value = "3"
        setup.query_one("#seed", Input).value = "7"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.mode is Mode.PRACTICE
        assert screen.session.plan.seed == 7
        assert len(screen.session.items) == 3
        assert "1/3" in plain(screen.query_one("#status", Static))

        await answer_and_submit(pilot, correct=False)
        item = screen.session.items[0]
        feedback = screen.query_one(FeedbackPanel)
        assert feedback.display
        assert "Incorrect" in plain(feedback.query_one("#verdict", Static))
        assert item.question.explanation.split("**")[0] in markdown_text(
            feedback.query_one("#explanation", Markdown)
        )
        references = plain(feedback.query_one("#references", Static))
        assert "Gunn CC. The Gunn Approach" in references
        widget = screen.query_one(AnswerWidget)
        whys = "\n".join(row_text(row) for row in widget.query(AnswerRow))
        for choice in item.question.choices:  # type: ignore[attr-defined]
            assert choice.why in whys
        assert "Incorrect" in screen_text(pilot)  # the verdict is on screen, not only in the DOM
        footer = lambda: screen_text(pilot).splitlines()[-1]  # noqa: E731
        await wait_until(pilot, lambda: "Next" in footer() and "Submit" not in footer(), "footer")
        body = screen.query_one("#question-body")
        assert body.max_scroll_y > 0
        await pilot.press("end")  # the answer widget's keys are off: the body scrolls
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y, "the end")

        await pilot.press("enter")  # next question
        await wait_until(pilot, lambda: screen.index == 1 and not screen.revealed, "question 2")
        await answer_and_submit(pilot)
        assert "Correct" in plain(screen.query_one("#verdict", Static))
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == 2, "question 3")
        await answer_and_submit(pilot)
        await pilot.press("enter")

        results = await on_screen(pilot, ResultsScreen)
        headline = plain(results.query_one("#results-headline", Static))
        assert "Practice results" in headline
        assert "2/3 correct" in headline
        assert results.query_one("#questions-table", DataTable).row_count == 3

        await pilot.press("enter")  # review the highlighted (first) question
        review = await on_screen(pilot, ReviewScreen)
        assert review.index == 0
        assert "Incorrect" in plain(review.query_one("#verdict", Static))
        await pilot.press("n")
        assert review.index == 1
        await pilot.press("escape")
        await on_screen(pilot, ResultsScreen)
        await pilot.press("h")
        await on_screen(pilot, HomeScreen)
        assert "Answered         3" in screen_text(pilot)


async def test_setup_start_button_and_cancel(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("p")
        await on_screen(pilot, SetupScreen)
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)

        await pilot.press("p")
        setup = await on_screen(pilot, SetupScreen)
        setup.query_one("#count", Input).value = "0"
        await pilot.click("#start")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)  # an invalid count keeps the form open
        setup.query_one("#count", Input).value = "2"
        start = setup.query_one("#start", Button)
        # A button ignores clicks during its 0.2 s press effect.
        await wait_until(pilot, lambda: not start.has_class("-active"), "the press effect")
        await pilot.click("#start")
        screen = await on_screen(pilot, QuestionScreen)
        assert len(screen.session.items) == 2


async def test_practice_answers_every_question_type_by_key(db_file: Path, library: Library) -> None:
    """All eight questions (six types, a case) answered right by key: a 100% result."""
    app = make_test_app(db_file, library, plan=plan(count=8))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        kinds = set()
        for index in range(8):
            await wait_until(
                pilot, lambda i=index: screen.index == i and not screen.revealed, "question"
            )
            kinds.add(screen.session.items[index].question.kind)
            await answer_and_submit(pilot)
            assert screen.session.answers[index].grade.correct, screen.session.items[index].key
            await press_quickly(pilot, "enter")
        results = await on_screen(pilot, ResultsScreen)
        assert kinds == {"single", "multiple", "true_false", "matching", "ordering", "short"}
        assert results.result.correct == 8
        assert "Score 100%" in plain(results.query_one("#results-headline", Static))


async def test_a_session_from_the_command_line_shows_before_the_store_opens(
    db_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``ims-quiz practice``: the question is up before the store; the first answer waits for it."""
    store_may_open = threading.Event()
    real_open = Trainer.open

    def slow_open(*args: Any, **kwargs: Any) -> Trainer:
        store_may_open.wait(10)
        return real_open(*args, **kwargs)

    monkeypatch.setattr(Trainer, "open", slow_open)
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, QuestionScreen), "the question")
        screen = question_screen(pilot)
        assert app.trainer is None and not screen.session.stored
        assert [type(s) for s in app.screen_stack[1:]] == [PracticeScreen]  # no home beneath
        assert "1/3" in screen_text(pilot)
        await answer_current(pilot)
        await press_quickly(pilot, "enter")
        await pilot.pause(0.1)
        assert screen.busy and not screen.revealed  # held until the answer can be saved
        store_may_open.set()
        await wait_until(pilot, lambda: screen.revealed, "feedback")
        assert app.trainer is not None and screen.session.stored
        (attempt,) = app.trainer.attempts()
        assert attempt.session_id == screen.session.id
        await pilot.press("escape")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")  # leave: home takes the session's place
        await on_screen(pilot, HomeScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen]
        assert "Answered         1" in screen_text(pilot)


async def test_a_store_that_fails_behind_the_first_question_closes_it_with_the_reason(
    tmp_path: Path, library: Library
) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    app = make_test_app(corrupt, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, RetryDialog)
        assert app.load_error and "corrupt.sqlite3" in app.load_error
        assert any("the session was closed" in note for note in error_notes(app))
        await pilot.press("escape")  # stay: home says why
        await on_screen(pilot, HomeScreen)
        assert "Progress cannot be opened" in plain(app.screen.query_one("#summary", Static))
    assert corrupt.read_bytes() == b"this is not a database" * 100


async def test_a_command_line_plan_with_no_questions_lands_on_home_with_a_notice(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(roots=("S2",)))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, HomeScreen)
        await started(pilot)
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen]
        notes = [note.message for note in app._notifications]
        assert any("No questions match" in note for note in notes)
        assert "Profile  tester" in screen_text(pilot)


# --- exam -----------------------------------------------------------------------------------------


async def test_exam_flag_move_navigator_and_submit_with_confirm(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=4, minutes=10))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        assert isinstance(screen, ExamScreen)
        status = screen.query_one("#status", Static)
        assert "⏱ 10:00" in plain(status)

        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: 0 in screen.session.flagged, "the flag")
        assert "flagged" in plain(status)
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.index == 1, "the next question")
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: screen.index == 0, "the previous question")

        await exam_answer(pilot)  # saved; enter moves on
        assert screen.index == 1 and not screen.revealed  # no feedback in an exam
        await answer_current(pilot, correct=False)
        await pilot.press("tab")  # moving keeps the answer given
        await wait_until(pilot, lambda: 1 in screen.session.answers and screen.index == 2, "save")

        await pilot.press("ctrl+o")
        navigator = await on_screen(pilot, NavigatorScreen)
        assert navigator.query_one("#q0", Button).has_class("answered", "flagged")
        assert navigator.query_one("#q1", Button).has_class("answered")
        assert navigator.query_one("#q3", Button).has_class("open")
        assert navigator.focused is navigator.query_one("#q2", Button)
        await pilot.press("right", "enter")  # focus moves to cell 4
        await on_screen(pilot, QuestionScreen)
        assert screen.index == 3

        await pilot.press("s")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert "Unanswered (count as wrong): 3, 4" in dialog.question
        assert "Flagged: 1" in dialog.question
        await pilot.press("n")
        await on_screen(pilot, QuestionScreen)
        assert not screen.session.finished

        await pilot.press("s")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        results = await on_screen(pilot, ResultsScreen)
        assert results.result.answered == 2
        assert results.result.correct == 1
        assert "2 unanswered" in plain(results.query_one("#results-headline", Static))


async def test_keys_pressed_while_an_exam_answer_saves_open_one_dialog_at_most(
    db_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """s (submit) and ctrl+o (overview) wait for the save; esc meanwhile wins, and nothing
    stacks."""
    may_save = threading.Event()
    real_answer = ActiveSession.answer

    def slow_answer(session: ActiveSession, *args: Any, **kwargs: Any) -> Any:
        may_save.wait(10)  # the save is still running while the keys arrive
        return real_answer(session, *args, **kwargs)

    monkeypatch.setattr(ActiveSession, "answer", slow_answer)
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=4))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await answer_current(pilot)
        await press_quickly(pilot, "s", "ctrl+o", "escape")
        await pilot.pause()
        may_save.set()
        await settle(pilot)
        above = app.screen_stack[app.screen_stack.index(screen) + 1 :]
        assert [type(dialog) for dialog in above] == [ConfirmDialog]
        assert "Leave this session?" in screen_text(pilot)
        assert screen.session.answers  # the answer was saved all the same


async def test_work_that_ends_after_its_screen_closed_is_dropped_quietly(
    db_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A flag still saving when the trainee leaves: it is saved, and nothing reports back."""
    may_save = threading.Event()
    real_set_flag = ActiveSession.set_flag

    def slow_set_flag(session: ActiveSession, index: int, flagged: bool) -> None:
        may_save.wait(10)
        real_set_flag(session, index, flagged)

    monkeypatch.setattr(ActiveSession, "set_flag", slow_set_flag)
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        await pilot.press("ctrl+f", "escape")  # (settle would wait for the flag: not here)
        await wait_until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the dialog")
        (flag_work,) = [worker for worker in app.workers if worker.group == "flags"]
        assert flag_work.node is screen  # the screen's own worker, not the app's
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.parent is None, "the session screen removed")
        assert flag_work.is_cancelled  # cancelled with its screen
        statuses: list[None] = []
        monkeypatch.setattr(screen, "_update_status", lambda: statuses.append(None))
        may_save.set()
        await settle(pilot)
        assert screen.session.flagged == {screen.index}
        assert not statuses  # what the worker posted went nowhere
        assert not error_notes(app)


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.EXAM])
async def test_an_answer_that_cannot_be_kept_is_a_notice_and_may_be_given_again(
    db_file: Path, library: Library, monkeypatch: pytest.MonkeyPatch, mode: Mode
) -> None:
    """The screen's worker fails: the trainee is told, stays on the question and can retry."""
    real_answer = ActiveSession.answer
    failures = [RuntimeError("disk full")]

    def failing_answer(session: ActiveSession, *args: Any) -> Any:
        if failures:
            raise failures.pop()
        return real_answer(session, *args)

    monkeypatch.setattr(ActiveSession, "answer", failing_answer)
    app = make_test_app(db_file, library, plan=plan(mode, count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        await answer_current(pilot)
        await press_quickly(pilot, "enter")
        await wait_until(pilot, lambda: error_notes(app), "the error notice")
        assert "disk full" in error_notes(app)[0]
        await settle(pilot)
        assert not screen.busy and not screen.revealed and screen.index == 0
        await press_quickly(pilot, "enter")  # the same answer, given again
        await wait_until(pilot, lambda: 0 in screen.session.answers, "the answer kept")
        await settle(pilot)
        assert screen.revealed if mode is Mode.PRACTICE else screen.index == 1


async def test_the_key_bar_shows_the_screens_keys_and_a_click_presses_one(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await started(pilot)
        footer = screen.query_one(Footer)
        bar = screen_text(pilot).splitlines()[-1]
        assert bar.startswith(" ⏎ Submit ") and "Leave" in bar and bar.rstrip().endswith("palette")
        flag = bar.index("Flag")
        await pilot.click(footer, offset=(flag, 0))
        await settle(pilot)
        assert screen.session.flagged == {screen.index}
        assert "flagged" in screen_text(pilot).splitlines()[0]


async def test_exam_submits_itself_when_time_runs_out(db_file: Path, library: Library) -> None:
    clock = Clock()
    app = make_test_app(db_file, library, clock, plan=plan(Mode.EXAM, count=3, minutes=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        await answer_current(pilot)  # answered but not yet saved when time runs out
        clock.advance(seconds=50)
        screen._tick()  # what the 1 s interval does
        assert "⏱ 00:10" in plain(screen.query_one("#status", Static))
        clock.advance(seconds=11)
        results = await on_screen(pilot, ResultsScreen)  # the 1 s interval fires and submits
        assert results.result.answered == 2
        assert results.result.total == 3
        assert screen.session.finished


async def test_time_running_out_under_a_dialog_still_ends_on_the_results(
    db_file: Path, library: Library
) -> None:
    clock = Clock()
    app = make_test_app(db_file, library, clock, plan=plan(Mode.EXAM, count=3, minutes=1))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)
        clock.advance(minutes=2)
        session_screen_below = app.screen_stack[-2]
        assert isinstance(session_screen_below, ExamScreen)
        session_screen_below._tick()  # what its 1 s interval does, under the dialog
        await on_screen(pilot, ResultsScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [ResultsScreen]
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)
        assert [type(s) for s in app.screen_stack[1:]] == [HomeScreen]


# --- review, resume, retry ----------------------------------------------------------------------


async def test_review_mode_from_a_plan_serves_new_questions_in_file_order(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.REVIEW, count=2))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        ids = [item.question.id for item in screen.session.items]
        assert ids == ["c5-muscle", "clean-technique"]
        assert plain(screen.query_one("#status", Static)).lstrip().startswith("Review")
        await answer_and_submit(pilot)
        assert "Correct" in plain(screen.query_one("#verdict", Static))


async def _answer_two_and_quit(db_file: Path, library: Library) -> list[str]:
    app = make_test_app(db_file, library, plan=plan(count=5))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await answer_and_submit(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == 1 and not screen.revealed, "question 2")
        await answer_and_submit(pilot, correct=False)
        keys = [item.key for item in screen.session.items]
        await pilot.press("ctrl+q")
    return keys


async def test_resume_after_quitting_keeps_the_answers(db_file: Path, library: Library) -> None:
    keys = await _answer_two_and_quit(db_file, library)
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await on_screen(pilot, ResumeDialog)
        assert dialog.info.answered == 2 and dialog.info.total == 5
        assert "2 of 5 answered" in screen_text(pilot)
        await pilot.press("r")
        screen = await on_screen(pilot, QuestionScreen)
        assert [item.key for item in screen.session.items] == keys
        assert screen.index == 2
        assert sorted(screen.session.answers) == [0, 1]
        assert screen.session.answers[0].grade.correct
        assert not screen.session.answers[1].grade.correct
        assert "3/5" in plain(screen.query_one("#status", Static))


async def test_resume_dialog_abandon_and_later(db_file: Path, library: Library) -> None:
    await _answer_two_and_quit(db_file, library)
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ResumeDialog)
        await pilot.press("l")  # later: asked again next time
        await on_screen(pilot, HomeScreen)
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ResumeDialog)
        await pilot.press("a")
        await on_screen(pilot, HomeScreen)
        assert "Answered         2" in screen_text(pilot)  # what was answered stays
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert isinstance(app.screen, HomeScreen)  # nothing left to resume


async def test_leaving_a_session_keeps_it_resumable(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, QuestionScreen)
        await answer_and_submit(pilot)
        await pilot.press("escape")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await on_screen(pilot, HomeScreen)
        assert app.trainer is not None
        info = app.trainer.unfinished_session()
        assert info is not None and info.answered == 1


async def test_retry_mistakes_from_results(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        for index, correct in enumerate((True, False, True)):
            await wait_until(
                pilot, lambda i=index: screen.index == i and not screen.revealed, "question"
            )
            await answer_and_submit(pilot, correct=correct)
            await pilot.press("enter")
        await on_screen(pilot, ResultsScreen)
        wrong_key = screen.session.items[1].key
        await pilot.press("r")
        retry = await on_screen(pilot, QuestionScreen)
        assert retry is not screen
        assert [item.key for item in retry.session.items] == [wrong_key]
        assert retry.session.plan.mode is Mode.PRACTICE


# --- banks, progress, help, theme -----------------------------------------------------------------


async def test_banks_screen_lists_banks_skipped_diagnostics_and_previews(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("b")
        banks = await on_screen(pilot, BanksScreen)
        table = banks.query_one("#banks-table", DataTable)
        assert table.row_count == 1
        assert "TUI test bank" in str(table.get_row_at(0)[0])
        skipped = plain(banks.query_one("#skipped-details", Static))
        assert "Skipped 1 broken bank(s)" in skipped
        assert "broken.yaml:9:5: error[missing-field]" in skipped
        assert "broken.yaml:19:11: error[unknown-type]" in skipped
        questions = banks.query_one("#questions-table", DataTable)
        assert questions.row_count == 8

        await pilot.press("enter")  # to the question list
        assert banks.focused is questions
        await pilot.press("enter")  # preview the first question
        preview = await on_screen(pilot, PreviewScreen)
        assert preview.item.question.id == "c5-muscle"
        await pilot.press("enter")
        assert not preview.checked  # nothing picked yet
        await pilot.press("1", "enter")
        await wait_until(pilot, lambda: preview.checked, "the preview feedback")
        assert preview.query_one(FeedbackPanel).display
        await pilot.press("escape")
        await on_screen(pilot, BanksScreen)
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)
    app = make_test_app(db_file, library)  # previews record nothing
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert "Answered         0" in screen_text(pilot)


async def test_progress_shows_mastery_and_the_root_map(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    async with app.run_test(size=(100, 50)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await answer_and_submit(pilot)
        await pilot.press("enter")
        await on_screen(pilot, ResultsScreen)
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)
        await pilot.press("g")
        progress = await on_screen(pilot, ProgressScreen)
        text = screen_text(pilot)
        assert "tester   1 answers · accuracy 100%" in text
        assert "Myotomes and roots" in text and "100%" in text
        for label in ("Cervical", "Thoracic", "Lumbar", "Sacral", "C5", "C6", "L4", "S2"):
            assert label in text
        assert app.trainer is not None
        roots = {root.key: root for root in app.trainer.progress().roots}
        assert roots["C5"].attempts == 1 and roots["L4"].attempts == 0
        assert "None. Keep it that way." in text
        assert "1 answers on 1 day(s)" in plain(progress.query_one("#history-caption", Static))
        assert screen.session.finished


async def test_progress_without_answers_says_so_instead_of_a_flat_sparkline(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("g")
        progress = await on_screen(pilot, ProgressScreen)
        await settle(pilot)
        caption = plain(progress.query_one("#history-caption", Static))
        assert caption == "No answers yet in the last 30 days."
        assert not progress.query_one("#history").display


async def test_help_opens_anywhere_and_closes(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(count=2))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await pilot.press("question_mark")
        await on_screen(pilot, HelpScreen)
        assert "Answering" in screen_text(pilot)
        await pilot.press("question_mark")  # ? toggles
        await on_screen(pilot, QuestionScreen)
        await pilot.press("escape")  # leave dialog, then stay
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("n")
        await on_screen(pilot, QuestionScreen)
        await pilot.press("f1")
        await on_screen(pilot, HelpScreen)
        await pilot.press("escape")
        assert await on_screen(pilot, QuestionScreen) is screen


async def test_theme_choice_is_remembered(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert app.theme != "nord"
        app.theme = "nord"
        await pilot.pause()
    saved = json.loads((paths.config_dir() / "preferences.json").read_text(encoding="utf-8"))
    assert saved["theme"] == "nord"
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert app.theme == "nord"


async def test_a_broken_preferences_file_is_ignored(db_file: Path, library: Library) -> None:
    (paths.config_dir()).mkdir(parents=True, exist_ok=True)
    (paths.config_dir() / "preferences.json").write_text("{not json", encoding="utf-8")
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert app.theme == "textual-dark"


# --- failures -----------------------------------------------------------------------------------


async def test_a_corrupt_database_is_a_message_on_home(tmp_path: Path, library: Library) -> None:
    corrupt = tmp_path / "corrupt.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    app = make_test_app(corrupt, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        assert app.trainer is None and app.load_error
        await on_screen(pilot, RetryDialog)
        await pilot.press("escape")  # stay without progress
        await on_screen(pilot, HomeScreen)
        text = screen_text(pilot)
        assert "Progress cannot be opened" in text
        assert "corrupt.sqlite3" in plain(app.screen.query_one("#summary", Static))
        await pilot.press("p")  # no session without a store: a notice that says why
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("Progress cannot be opened" in note for note in error_notes(app))
        await pilot.press("g")
        await on_screen(pilot, ProgressScreen)
        assert "is not an ims-quiz progress database" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.press("b")
        await on_screen(pilot, BanksScreen)
    assert corrupt.read_bytes() == b"this is not a database" * 100  # never written to


async def test_a_store_that_cannot_be_opened_is_offered_again_without_a_restart(
    tmp_path: Path, library: Library
) -> None:
    """As with a locked database: the dialog names the failure; once the cause is gone, Retry
    opens the store and home fills in; Quit ends the app."""
    blocked = tmp_path / "progress.sqlite3"
    blocked.write_bytes(b"this is not a database" * 100)
    app = make_test_app(blocked, library)
    async with app.run_test(size=SMALL) as pilot:
        first = await on_screen(pilot, RetryDialog)
        assert "progress.sqlite3" in screen_text(pilot)
        await pilot.press("r")  # still failing: asked again
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, RetryDialog) and app.screen is not first,
            "the second failure",
        )
        blocked.unlink()  # the cause is gone
        await pilot.press("r")
        await wait_until(pilot, lambda: app.trainer is not None, "the store, opened")
        await on_screen(pilot, HomeScreen)
        await wait_until(pilot, lambda: "Profile  tester" in screen_text(pilot), "the summary")
        assert app.load_error is None
    blocked.write_bytes(b"this is not a database" * 100)
    app = make_test_app(blocked, library)
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, RetryDialog)
        await pilot.press("q")
        await wait_until(pilot, lambda: not app.is_running, "the app to exit")


def test_work_cancelled_by_quitting_prints_nothing_but_other_loop_errors_do() -> None:
    reported: list[dict[str, Any]] = []

    class Loop:
        def default_exception_handler(self, context: dict[str, Any]) -> None:
            reported.append(context)

    loop: Any = Loop()
    _quiet_about_cancelled_work(loop, {"message": "never retrieved", "exception": CancelledError()})
    assert reported == []
    error = {"message": "never retrieved", "exception": ValueError("a real bug")}
    _quiet_about_cancelled_work(loop, error)
    assert reported == [error]


async def test_tiny_terminal_and_resizing(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=3, minutes=5))
    async with app.run_test(size=(40, 10)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await exam_answer(pilot)
        for size in ((120, 40), (20, 5), (80, 24), (40, 10)):
            await pilot.resize_terminal(*size)
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        assert app.screen.query_one("#navigator-grid").styles.grid_size_columns == 3
        await pilot.press("escape")
        await on_screen(pilot, QuestionScreen)
        await pilot.press("s")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await on_screen(pilot, ResultsScreen)
        await pilot.resize_terminal(40, 10)
        await pilot.press("escape")
        await on_screen(pilot, HomeScreen)
        for key, screen_type, size in (
            ("b", BanksScreen, (60, 12)), ("escape", HomeScreen, (40, 10)),
            ("g", ProgressScreen, (60, 12)), ("escape", HomeScreen, (40, 10)),
            ("question_mark", HelpScreen, (60, 12)), ("escape", HomeScreen, (40, 10)),
            ("p", SetupScreen, (60, 12)),
        ):  # fmt: skip
            await press_quickly(pilot, key)
            await on_screen(pilot, screen_type)
            await pilot.resize_terminal(*size)
        assert screen.session.finished
        assert not error_notes(app)


# --- every key ------------------------------------------------------------------------------------

MASH_KEYS = [
    *(letter for letter in string.ascii_lowercase if letter != "q"),  # q quits from home
    *string.digits,
    "up", "down", "left", "right", "home", "end", "pageup", "pagedown",
    "space", "tab", "shift+tab", "backspace", "delete", "left_square_bracket",
    "right_square_bracket", "shift+up", "shift+down", "ctrl+f", "ctrl+o", "ctrl+s", "enter",
    "escape",
]  # fmt: skip
"""Every key a trainee is likely to hit, in this order, on each screen (q quits: tested above)."""
ANSWER_KEYS = [
    *"123456789abcdefgh", "up", "down", "left", "right", "home", "end", "ctrl+home", "ctrl+end",
    "space", "backspace",
    "left_square_bracket", "right_square_bracket", "shift+up", "shift+down", "j", "k", "z",
]  # fmt: skip
"""The keys the answer widgets bind (and one they do not), for each question type."""


async def _mash(pilot: object, keys: list[str] = MASH_KEYS) -> None:
    await press_quickly(pilot, *keys)  # type: ignore[arg-type]
    await settle(pilot)  # type: ignore[arg-type]


async def test_mashing_every_key_on_every_screen_raises_nothing(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)

        async def home() -> None:
            while not isinstance(app.screen, HomeScreen):  # back home, however deep
                app.pop_screen()
                await pilot.pause()

        await _mash(pilot)  # home, and wherever its keys lead
        for key, screen_type in (
            ("b", BanksScreen),
            ("g", ProgressScreen),
            ("question_mark", HelpScreen),
            ("p", SetupScreen),
        ):
            await home()
            await pilot.press(key)
            await on_screen(pilot, screen_type)
            await _mash(pilot)

        # Practice: every key on every question type (enter and escape last).
        await home()
        app.home().start_session(plan(count=8))
        screen = await on_screen(pilot, QuestionScreen)
        items = list(enumerate(screen.session.items))
        first_of_kind = {item.question.kind: i for i, item in reversed(items)}
        for index in sorted(first_of_kind.values()):
            screen.show_question(index)
            await _mash(pilot, ANSWER_KEYS)
            assert app.screen is screen
        await _mash(pilot, ["enter", "enter", "escape"])

        # Exam, its navigator, then its results and a review.
        await home()
        app.home().start_session(plan(Mode.EXAM, count=8, minutes=5))
        screen = await on_screen(pilot, QuestionScreen)
        await _mash(pilot)  # s asks, and y (mashed later) submits: a new exam for the overview
        await home()
        app.home().start_session(plan(Mode.EXAM, count=8, minutes=5))
        await on_screen(pilot, QuestionScreen)
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)
        await _mash(pilot)

        await home()
        app.home().start_session(plan(Mode.EXAM, count=3))
        await on_screen(pilot, QuestionScreen)
        await pilot.press("s")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await on_screen(pilot, ResultsScreen)
        await _mash(pilot, MASH_KEYS[:-1])  # results, and the review that enter opens
        await home()
        assert not error_notes(app), error_notes(app)
    assert app.return_code in (0, None)


# --- literal bank text ----------------------------------------------------------------------------


async def test_markup_looking_bank_text_shows_literally_and_unsafe_is_called_out(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        text = screen_text(pilot)
        for literal in MARKUP_TEXTS:
            assert literal in text, literal
        item = screen.session.items[0]
        choices = item.question.choices  # type: ignore[attr-defined]
        unsafe = next(i for i, choice in enumerate(choices) if choice.unsafe)
        await pilot.press(str(item.choice_order.index(unsafe) + 1), "enter")
        await wait_until(pilot, lambda: screen.revealed, "feedback")
        assert "UNSAFE choice" in plain(screen.query_one("#verdict", Static))  # called out
        assert screen.session.answers[0].grade.unsafe
        await pilot.press("enter")
        results = await on_screen(pilot, ResultsScreen)
        assert "C5? [L4] [bold]x[/bold]" in screen_text(pilot)  # literally, cut to its column
        await pilot.press("enter")
        await on_screen(pilot, ReviewScreen)
        text = screen_text(pilot)
        for literal in MARKUP_TEXTS:
            assert literal in text, literal
        assert results.result.total == 1


async def test_case_vignette_is_shown_above_its_questions(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=CASE_KEYS, count=2))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        assert [item.key for item in screen.session.items] == list(CASE_KEYS)
        text = screen_text(pilot)
        assert "Case: A painter with shoulder pain" in text
        assert "52-year-old house painter" in text
        await answer_and_submit(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == 1, "question 2")
        assert "Case: A painter with shoulder pain" in screen_text(pilot)


@pytest.mark.parametrize(("size", "summary_at_least"), [((40, 12), 18), (SMALL, 40)])
async def test_a_narrow_home_gives_the_summary_room(
    db_file: Path, library: Library, size: tuple[int, int], summary_at_least: int
) -> None:
    """Under 60 columns the menu drops its frame and margins: at 40x12 the summary had 14
    columns; at 80x24 nothing changes (the frame stays)."""
    app = make_test_app(db_file, library)
    async with app.run_test(size=size) as pilot:
        await started(pilot)
        home = await on_screen(pilot, HomeScreen)
        summary = home.query_one("#summary", Static)
        assert summary.content_region.width >= summary_at_least
        menu = home.query_one("#menu")
        assert (menu.styles.border_top[0] == "") is (size[0] < 60)
        assert "Review due" in screen_text(pilot)  # the menu's labels still fit one line
