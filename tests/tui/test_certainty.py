"""The certainty prompt, the feedback on confident errors, the calibration on results and
Progress, and ctrl+z, driven by key as a trainee would."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from quiz.banks.loader import Library
from quiz.domain.cbm import Certainty
from quiz.domain.grading import TextResponse
from quiz.domain.session import Mode
from quiz.tui.screens.progress import ProgressScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import (
    CASE_KEYS,
    MARKUP_KEY,
    SMALL,
    answer_and_submit,
    answer_current,
    make_test_app,
    on_screen,
    plan,
    press_in_one_read,
    press_quickly,
    question_screen,
    response_for,
    screen_text,
    settle,
    started,
    wait_until,
)

pytestmark = pytest.mark.certainty


def single_choice_keys(screen: QuestionScreen, *, unsafe: bool) -> str:
    """The pick key of the unsafe option (or of the right one) of the question shown."""
    item = screen.session.items[screen.index]
    choices = item.question.choices  # type: ignore[attr-defined]
    wanted = next(
        i for i, choice in enumerate(choices) if (choice.unsafe if unsafe else choice.correct)
    )
    return str(item.choice_order.index(wanted) + 1)


async def test_enter_asks_how_sure_and_the_digits_pick_until_then(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.asks_certainty
        key = single_choice_keys(screen, unsafe=True)
        await press_quickly(pilot, "1", key)  # while answering, digits pick options
        await pilot.pause()
        assert screen.asking is None and not screen.session.answers
        await press_quickly(pilot, "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await pilot.pause()
        assert "How sure are you?" in screen_text(pilot)
        await press_quickly(pilot, "a")  # a pick key, but the answer is frozen meanwhile
        await press_quickly(pilot, "escape")  # back to the answer, nothing kept
        await pilot.pause()
        assert screen.asking is None and not screen.session.answers
        assert "How sure are you?" not in screen_text(pilot)
        assert screen.app.screen is screen  # esc closed the prompt, it did not leave
        assert screen._answer.response() is not None and not screen._answer.frozen

        await press_quickly(pilot, "enter", "3")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        await settle(pilot)
        answer = screen.session.answers[0]
        assert answer.certainty is Certainty.SURE and answer.grade.unsafe
        text = screen_text(pilot)
        assert "Confident unsafe pick" in text  # the status line, always on screen
        verdict = str(screen.query_one("#verdict").content)
        assert "You said sure: CBM mark -6" in verdict
        assert "CONFIDENT UNSAFE PICK" in verdict


async def test_enter_on_the_prompt_is_not_sure(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await press_quickly(pilot, single_choice_keys(screen, unsafe=False), "enter", "enter")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        assert screen.session.answers[0].certainty is Certainty.NOT_SURE


async def test_pick_enter_and_certainty_typed_in_one_go_then_enter_goes_on(
    db_file: Path, library: Library
) -> None:
    """The pick, enter and the certainty key typed in one burst (as `tmux send-keys d Enter 2`
    does) are handled in the order typed: the certainty key was checked, as a priority
    binding, before enter had asked for it, and fell through to the frozen answer."""
    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY, CASE_KEYS[0])))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await press_in_one_read(pilot, single_choice_keys(screen, unsafe=False), "enter", "2")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        await settle(pilot)
        assert screen.session.answers[0].certainty is Certainty.FAIRLY_SURE
        assert screen.asking is None
        await press_quickly(pilot, "enter")  # one enter goes on
        await wait_until(pilot, lambda: screen.index == 1, "the next question")
        assert not screen.revealed


async def test_results_show_the_calibration_and_ctrl_z_takes_an_answer_back(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await answer_and_submit(pilot, correct=False, certainty="3")
        assert "Confident error" in screen_text(pilot)
        await press_quickly(pilot, "ctrl+z")
        await wait_until(pilot, lambda: not screen.revealed and not screen.busy, "the undo")
        await settle(pilot)
        assert screen.index == 0 and not screen.session.answers
        trainer = app.trainer
        assert trainer is not None
        assert trainer.store.attempts(session_id=screen.session.id) == []
        assert trainer.store.cards(trainer.profile_id) == {}

        await answer_and_submit(pilot, correct=True, certainty="3")
        for _ in range(2):
            await press_quickly(pilot, "enter")  # next
            await wait_until(pilot, lambda: not screen.revealed, "the next question")
            await answer_and_submit(pilot, correct=False, certainty="1")
        await press_quickly(pilot, "enter")
        results = await on_screen(pilot, ResultsScreen)
        assert results.result.cbm is not None
        text = screen_text(pilot)
        assert "How sure you were" in text
        assert "Accuracy 33% · average mark 1.00" in text
        assert "not sure     2        0%        0%-67%      ok" in text
        assert "sure         1        100%      80%-100%    ok" in text
        questions = results.query_one("#questions-table", DataTable)
        said = [str(questions.get_cell_at(Coordinate(row, 2))) for row in range(3)]
        assert said == ["sure +3", "not +0", "not +0"]  # how sure each was said, its mark


async def test_progress_counts_confident_errors_and_unsafe_picks(
    db_file: Path, library: Library
) -> None:
    from quiz.service import Trainer
    from quiz.settings import Settings
    from tests.tui.tui_helpers import PROFILE, UNSAFE

    trainer = Trainer.open(Settings(profile=PROFILE, db_url=str(db_file)), library, clock=Clock())
    session = trainer.start_session(plan(question_keys=(MARKUP_KEY,), count=1))
    session.answer(0, response_for(session.items[0], UNSAFE), 5.0, Certainty.SURE)
    session.finish()
    trainer.close()
    app = make_test_app(db_file, library)
    async with app.run_test(size=(100, 80)) as pilot:
        await started(pilot)
        await pilot.press("g")
        await on_screen(pilot, ProgressScreen)
        await settle(pilot)
        text = screen_text(pilot)
        assert "Confident unsafe picks 1 · confident errors 1" in text
        assert "sure" in text and "80%-100%" in text and "overconfident" in text


async def test_an_exam_asks_only_when_set_up_to(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=2, certainty=True))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, QuestionScreen)
        screen = question_screen(pilot)
        await answer_current(pilot)
        await press_quickly(pilot, "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await press_quickly(pilot, "3")
        await wait_until(pilot, lambda: 0 in screen.session.answers and not screen.busy, "save")
        assert screen.session.answers[0].certainty is Certainty.SURE
        assert screen.index == 1  # saved and went on


async def test_the_exam_form_has_a_certainty_checkbox_off_by_default(
    db_file: Path, library: Library
) -> None:
    from textual.widgets import Checkbox, Input

    from quiz.tui.screens.setup import SetupScreen

    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("e")
        setup = await on_screen(pilot, SetupScreen)
        box = setup.query_one("#certainty", Checkbox)
        assert box.value is False
        box.value = True
        setup.query_one("#count", Input).value = "2"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.certainty is True and screen.session.asks_certainty


async def test_a_short_answer_takes_the_certainty_digits_without_typing_them(
    db_file: Path, library: Library
) -> None:
    key = "tui-test/elbow-root"
    app = make_test_app(db_file, library, plan=plan(question_keys=(key,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await press_quickly(pilot, *"C7 root", "enter")  # a digit in the answer is typed
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await press_quickly(pilot, "x", "escape")  # frozen, then back to the answer
        await pilot.pause()
        assert screen._answer.response() == TextResponse("C7 root")
        await press_quickly(pilot, "!", "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await press_quickly(pilot, "3")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        answer = screen.session.answers[0]
        assert answer.response == TextResponse("C7 root!")
        assert answer.certainty is Certainty.SURE


async def test_a_short_answer_typed_with_enter_and_certainty_in_one_go(
    db_file: Path, library: Library
) -> None:
    """The same burst on a short answer: the input's enter reached the screen only after the
    digit behind it, which was typed into the text (then undone, the answer being frozen)."""
    key = "tui-test/elbow-root"
    app = make_test_app(db_file, library, plan=plan(question_keys=(key,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, QuestionScreen)
        screen = question_screen(pilot)
        await press_in_one_read(pilot, *"C7", "enter", "3")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        answer = screen.session.answers[0]
        assert answer.response == TextResponse("C7")
        assert answer.certainty is Certainty.SURE


async def test_ctrl_z_on_a_short_answer_gives_the_input_back(
    db_file: Path, library: Library
) -> None:
    key = "tui-test/elbow-root"
    app = make_test_app(db_file, library, plan=plan(question_keys=(key,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await press_quickly(pilot, *"C5", "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await press_quickly(pilot, "3")
        await wait_until(pilot, lambda: screen.revealed and not screen.busy, "the feedback")
        await settle(pilot)
        await press_quickly(pilot, "ctrl+z")
        await wait_until(pilot, lambda: not screen.revealed and not screen.busy, "the undo")
        await settle(pilot)
        widget = screen._answer
        assert widget.response() == TextResponse("C5")  # the answer taken back, to change
        assert not widget.revealed and not widget.frozen
        assert app.focused is widget.input
        await press_quickly(pilot, "backspace", "7", "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        await press_quickly(pilot, "2")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        assert screen.session.answers[0].response == TextResponse("C7")
        assert "Confident error" not in screen_text(pilot)


async def test_a_click_while_the_prompt_waits_changes_nothing(
    db_file: Path, library: Library
) -> None:
    from quiz.domain.grading import ChoiceResponse
    from quiz.tui.widgets._row import AnswerRow

    app = make_test_app(db_file, library, plan=plan(question_keys=(MARKUP_KEY,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        right_key = single_choice_keys(screen, unsafe=False)
        await press_quickly(pilot, right_key, "enter")
        await wait_until(pilot, lambda: screen.asking is not None, "the prompt")
        picked = screen._answer.response()
        other = next(row for row in screen.query(AnswerRow) if row.position != int(right_key) - 1)
        await pilot.click(other)  # an option row, clicked while the answer waits
        await pilot.pause()
        assert screen._answer.response() == picked
        await press_quickly(pilot, "2")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        answer = screen.session.answers[0]
        assert isinstance(answer.response, ChoiceResponse)
        assert answer.response == picked and answer.grade.correct


async def test_enter_on_an_empty_short_answer_leaves_the_digit_after_it_typed(
    db_file: Path, library: Library
) -> None:
    """Enter on an empty answer hands nothing in, so no certainty is asked and the key typed
    right after it is text, not a certainty digit that had nowhere to go."""
    key = "tui-test/elbow-root"
    app = make_test_app(db_file, library, plan=plan(question_keys=(key,), count=1))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, QuestionScreen)
        screen = question_screen(pilot)
        await press_in_one_read(pilot, "enter", "7")
        await settle(pilot)
        assert screen.asking is None and not screen.session.answers
        assert screen._answer.response() == TextResponse("7")


@pytest.mark.parametrize(
    ("score", "certainty", "shown", "lost"),
    [
        (0.0, Certainty.SURE, "sure -6", True),
        (0.0, Certainty.FAIRLY_SURE, "fairly -2", True),
        (0.0, Certainty.NOT_SURE, "not +0", False),
        (0.5, Certainty.FAIRLY_SURE, "fairly +1", False),
        (0.75, Certainty.SURE, "sure +2.2", False),
        (1.0, None, "not +1", False),  # an answer kept without a certainty counts as not sure
    ],
)
def test_the_results_column_says_how_sure_and_the_mark(
    score: float, certainty: Certainty | None, shown: str, lost: bool
) -> None:
    from quiz.domain.grading import ChoiceResponse, Grade
    from quiz.domain.session import Answer
    from quiz.tui.screens.results import certainty_cell

    grade = Grade(score=score, correct=score == 1.0, unsafe=False)
    answer = Answer(0, ChoiceResponse(frozenset({0})), grade, 5.0, certainty)
    cell = certainty_cell(answer)
    assert cell.plain == shown
    assert (str(cell.style) == "bold red") is lost
    assert certainty_cell(None).plain == ""
