"""ctrl+r, "Report a problem with this question", on a question and on its feedback (issue 12)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from quiz.banks.loader import Library
from quiz.domain.model import content_hash
from quiz.domain.session import Mode
from quiz.tui.screens.dialogs import ReportDialog
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.practice import PracticeScreen
from tests.tui.tui_helpers import (
    SMALL,
    answer_and_submit,
    make_test_app,
    on_screen,
    plain,
    plan,
    screen_text,
    wait_until,
)


async def test_ctrl_r_reports_the_question_and_its_feedback(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=2))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        item = screen.session.items[0]
        await pilot.press("ctrl+r")
        dialog = await on_screen(pilot, ReportDialog)
        assert "Report a problem with this question" in screen_text(pilot)
        await pilot.press("enter")  # nothing written: the dialog says so and stays
        assert app.screen is dialog
        assert "Write a few words first" in plain(dialog.query_one("#report-problem", Static))
        await pilot.press(*"a b")  # letters are typed into the note, never picked as options
        assert dialog.query_one("#report-note", Input).value == "a b"
        await pilot.press("enter")
        await on_screen(pilot, PracticeScreen)
        assert app.trainer is not None
        await wait_until(pilot, lambda: app.trainer.problem_reports(), "the report")  # type: ignore[union-attr]
        (first,) = app.trainer.problem_reports()
        assert (first.key, first.note) == (item.key, "a b")
        assert first.content_hash == content_hash(item.question)
        assert screen.session.answers == {}  # reporting answered nothing

        await answer_and_submit(pilot, correct=False)
        await pilot.press("ctrl+r")  # on the feedback too
        await on_screen(pilot, ReportDialog)
        await pilot.press(*"wrong key", "enter")
        await on_screen(pilot, PracticeScreen)
        await wait_until(pilot, lambda: len(app.trainer.problem_reports()) == 2, "the report")  # type: ignore[union-attr]
        assert app.trainer.problem_reports()[1].note == "wrong key"

        await pilot.press("ctrl+r")
        await on_screen(pilot, ReportDialog)
        await pilot.press("x", "escape")  # esc cancels: nothing is stored
        await on_screen(pilot, PracticeScreen)
        assert len(app.trainer.problem_reports()) == 2


async def test_ctrl_r_works_in_an_exam_outside_its_key_bar(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=2))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ExamScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        assert "Report" not in screen_text(pilot).splitlines()[-1]  # the 80-column key bar
        await pilot.press("ctrl+r")
        await on_screen(pilot, ReportDialog)
        await pilot.press(*"unclear", "enter")
        await on_screen(pilot, ExamScreen)
        await wait_until(pilot, lambda: app.trainer.problem_reports(), "the report")  # type: ignore[union-attr]
