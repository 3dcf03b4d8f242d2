"""Short answers one edit from an accepted answer (issue 12): shown as a near miss before they
are kept, accepted as right with ctrl+y, and the attempt records the trainee's acceptance."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from textual.widgets import Static

from quiz.banks.loader import Library, load_library
from quiz.domain.grading import TextResponse
from quiz.domain.session import Mode
from quiz.tui.screens.practice import PracticeScreen
from quiz.tui.widgets.short import ShortAnswerInput
from tests.tui.tui_helpers import (
    BANK_ID,
    BANKS_DIR,
    SMALL,
    make_test_app,
    on_screen,
    plain,
    plan,
    screen_text,
    wait_until,
)


@pytest.fixture
def near_library(tmp_path: Path) -> Library:
    """The TUI fixture bank, with the short question's accepted answer a long word."""
    text = (BANKS_DIR / "tui-test.yaml").read_text(encoding="utf-8")
    text = text.replace("    answers: [C7]\n", "    answers: [C7, Triceps brachii]\n")
    assert "Triceps brachii" in text
    (tmp_path / "tui-test.yaml").write_text(text, encoding="utf-8")
    with contextlib.chdir(tmp_path):
        return load_library([Path("tui-test.yaml")])


ELBOW = (f"{BANK_ID}/elbow-root",)


async def _type(pilot, screen: PracticeScreen, text: str) -> ShortAnswerInput:  # type: ignore[no-untyped-def]
    widget = screen._answer
    assert isinstance(widget, ShortAnswerInput)
    widget.input.value = text
    await pilot.pause()
    return widget


async def test_ctrl_y_accepts_a_near_miss_as_right(db_file: Path, near_library: Library) -> None:
    app = make_test_app(db_file, near_library, plan=plan(question_keys=ELBOW))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        widget = await _type(pilot, screen, "tricepsbrachi")
        await pilot.press("enter")
        assert widget.offered == "Triceps brachii"
        assert "Near miss" in screen_text(pilot) and "ctrl+y" in screen_text(pilot)
        assert screen.session.answers == {}  # nothing kept yet
        assert "Accept" in screen_text(pilot).splitlines()[-1]
        await pilot.press("ctrl+y")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        answer = screen.session.answers[0]
        assert answer.grade.correct
        assert answer.response == TextResponse("tricepsbrachi", near_miss_accepted=True)
        verdict = plain(widget.query_one(".short--verdict", Static))
        assert "near miss (you accepted it)" in verdict
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        (stored,) = app.trainer.attempts()  # type: ignore[union-attr]
        assert stored.response == TextResponse("tricepsbrachi", near_miss_accepted=True)
        assert stored.correct


async def test_enter_again_keeps_a_near_miss_as_typed_and_editing_takes_the_offer_back(
    db_file: Path, near_library: Library
) -> None:
    app = make_test_app(db_file, near_library, plan=plan(question_keys=ELBOW))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        widget = await _type(pilot, screen, "Tricep brachii")
        await pilot.press("enter")
        assert widget.offered == "Triceps brachii"
        widget.input.value = "Triceps brachi"  # edited: the offer is gone, ctrl+y does nothing
        await pilot.pause()
        assert widget.offered is None
        await pilot.press("ctrl+y")
        assert screen.session.answers == {}
        await pilot.press("enter")  # offered again for the new text...
        assert widget.offered == "Triceps brachii"
        await pilot.press("enter")  # ...and enter keeps it as typed: wrong
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        answer = screen.session.answers[0]
        assert not answer.grade.correct
        assert answer.response == TextResponse("Triceps brachi")
        verdict = plain(widget.query_one(".short--verdict", Static))
        assert "a near miss" in verdict
        assert "c\\s*7" not in screen_text(pilot)  # the author's pattern is never shown


async def test_a_short_answer_with_no_near_miss_is_kept_at_once(
    db_file: Path, near_library: Library
) -> None:
    app = make_test_app(db_file, near_library, plan=plan(Mode.PRACTICE, question_keys=ELBOW))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        widget = await _type(pilot, screen, "C6")  # one edit from C7, but another root
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        assert widget.offered is None
        assert not screen.session.answers[0].grade.correct
        assert "Near miss" not in screen_text(pilot)
