"""The trainee's everyday flows (issue 12): keys that never change meaning, exams that end only
when meant, setup that keeps its choices, feedback at a glance.

The "flows" fixture banks have questions with seven and eight options (whose F, G and H must
pick, never run a command) and a topic id, ``evidence``, that two banks share.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from quiz.banks.loader import Library, load_library
from quiz.domain.grading import ChoiceResponse, MatchingResponse, OrderingResponse
from quiz.domain.session import Mode, SessionPlan
from quiz.tui.screens.dialogs import ConfirmDialog, ResumeDialog, UnfinishedDialog
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.navigator import NavigatorScreen
from quiz.tui.screens.practice import PracticeScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen
from quiz.tui.screens.setup import SetupScreen
from quiz.tui.widgets.matching import MatchingAnswer
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import (
    BANK_ID,
    CASE_KEYS,
    LARGE,
    SMALL,
    answer_and_submit,
    make_test_app,
    on_screen,
    plain,
    plan,
    record_session,
    screen_text,
    settle,
    started,
    wait_until,
)

FLOWS_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "banks" / "flows"


@pytest.fixture
def flows() -> Library:
    """The flows bank (seven and eight options) and the other bank that shares a topic id."""
    with contextlib.chdir(FLOWS_DIR):
        return load_library([Path("flows.yaml"), Path("other.yaml")])


def flows_plan(mode: Mode, *questions: str, **fields: Any) -> SessionPlan:
    """A plan for the flows bank's ``questions``, in that order of preference."""
    keys = tuple(f"flows/{question}" for question in questions)
    return SessionPlan(mode=mode, bank_ids=("flows",), question_keys=keys, seed=1, **fields)


def footer(pilot: Pilot[Any]) -> str:
    return screen_text(pilot).splitlines()[-1]


def picked(screen: QuestionScreen) -> set[int]:
    response = screen._answer.response()
    assert response is None or isinstance(response, ChoiceResponse)
    return set(response.selected) if response else set()


# --- keys that never change meaning ---------------------------------------------------------------


async def test_on_an_eight_option_exam_question_letters_pick_and_ctrl_o_opens_the_overview(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.EXAM, "eight"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        assert screen.session.items[0].question.id == "eight"
        for key, option in (("g", 6), ("f", 5), ("h", 7), ("a", 0)):
            await pilot.press(key)
            assert picked(screen) == {option}, key
        assert not screen.session.flagged and isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: 0 in screen.session.flagged, "the flag")
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)
        await pilot.press("ctrl+o")  # the same key closes it
        await on_screen(pilot, ExamScreen)
        assert 0 in screen.session.answers  # opening the overview saved the pick
        assert "1/1 answered" in plain(screen.query_one("#status", Static))


async def test_seven_options_in_practice_f_and_g_toggle_and_ctrl_f_flags(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.PRACTICE, "seven"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await pilot.press("f", "g", "g")
        assert picked(screen) == {5}
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: 0 in screen.session.flagged, "the flag")
        assert "Flag" in footer(pilot)


async def test_every_exam_question_shows_the_same_moves_and_a_short_answer_can_be_skipped(
    db_file: Path, library: Library
) -> None:
    """The key bar of every question of an exam, short answers included, shows Next, Prev, Flag,
    Overview, Submit and Help within 80 columns, and those keys work while typing."""
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=8, seed=5))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        kinds = [item.question.kind for item in screen.session.items]
        short = kinds.index("short")
        assert short < len(kinds) - 1, kinds  # (the seed puts a question after it)
        for index in range(len(kinds)):
            await wait_until(pilot, lambda i=index: screen.index == i, "the next question")
            await settle(pilot)
            bar = footer(pilot)
            for label in ("Next", "Prev", "Flag", "Overview", "Submit", "Help"):
                assert label in bar, (kinds[index], bar)
            await pilot.press("tab")
        while screen.index > short:
            await pilot.press("shift+tab")
            await settle(pilot)
        await pilot.press("n", "p", "s")  # typed: letters are text in a short answer
        assert screen.query_one(Input).value == "nps"
        await pilot.press("ctrl+f")
        await wait_until(pilot, lambda: short in screen.session.flagged, "the flag")
        await pilot.press("tab")  # next, keeping what was typed
        await wait_until(pilot, lambda: screen.index == short + 1, "the next question")
        assert short in screen.session.answers
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: screen.index == short, "back")
        await pilot.press("ctrl+o")
        await on_screen(pilot, NavigatorScreen)


async def test_enter_with_nothing_picked_takes_the_highlighted_option(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.PRACTICE, "eight"))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await pilot.press("down", "down", "enter")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        assert screen.session.answers[0].response == ChoiceResponse(frozenset({2}))


async def test_enter_hands_in_the_order_shown(db_file: Path, library: Library) -> None:
    app = make_test_app(
        db_file, library, plan=plan(question_keys=(f"{BANK_ID}/end-order",), count=1)
    )
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")
        response = screen.session.answers[0].response
        assert isinstance(response, OrderingResponse)
        assert response.order == screen.session.items[0].choice_order


async def test_a_half_matched_question_names_its_empty_rows_and_asks_before_submitting(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(
        db_file, library, plan=plan(question_keys=(f"{BANK_ID}/myotome-match",), count=1)
    )
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await pilot.press("1")
        widget = screen.query_one(MatchingAnswer)
        assert widget.unmatched() == ["C7", "T1"]
        assert "Not matched yet: C7; T1" in screen_text(pilot)
        await pilot.press("enter")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert "Not matched yet: C7; T1" in dialog.question
        await pilot.press("n")
        await on_screen(pilot, PracticeScreen)
        assert not screen.session.answers
        await pilot.press("enter")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: screen.revealed, "the feedback")


async def test_navigator_arrows_move_in_the_grid(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=8))
    async with app.run_test(size=(40, 16)) as pilot:
        await on_screen(pilot, ExamScreen)
        await pilot.press("ctrl+o")
        navigator = await on_screen(pilot, NavigatorScreen)
        columns = navigator.query_one("#navigator-grid").styles.grid_size_columns
        assert columns == 5

        def focused() -> str | None:
            return navigator.focused.id if navigator.focused else None

        await pilot.press("right")
        assert focused() == "q1"
        await pilot.press("down")
        assert focused() == "q6"
        await pilot.press("left")
        assert focused() == "q5"
        await pilot.press("up")
        assert focused() == "q0"
        await pilot.press("up", "left")  # nothing before the first
        assert focused() == "q0"
        await pilot.press("end")
        assert focused() == "q7"


async def test_the_command_palette_offers_the_screens_own_actions(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=3))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        titles = [command.title for command in app.get_system_commands(screen)]
        for title in ("Next", "Prev", "Flag", "Overview", "Submit", "Leave", "Help", "Theme"):
            assert title in titles
        overview = next(c for c in app.get_system_commands(screen) if c.title == "Overview")
        assert "^o" in overview.help or "ctrl+o" in overview.help
        await overview.callback()  # type: ignore[misc]
        await on_screen(pilot, NavigatorScreen)


async def test_home_offers_its_menu_in_the_command_palette(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for title in ("Practice", "Exam", "Review due", "Banks", "Progress", "Theme", "Quit"):
            assert title in titles


# --- exams end only when meant --------------------------------------------------------------------


async def test_s_asks_even_when_all_is_answered_and_names_a_half_filled_matching_question(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(
        db_file,
        library,
        plan=plan(
            Mode.EXAM, question_keys=(f"{BANK_ID}/myotome-match", f"{BANK_ID}/c5-muscle"), count=2
        ),
    )
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        kinds = [item.question.kind for item in screen.session.items]
        match, single = kinds.index("matching"), kinds.index("single")
        for index in range(2):
            if index == match:
                await pilot.press("1")  # one row of three
            else:
                await pilot.press("1", "ctrl+f")
                await wait_until(pilot, lambda: single in screen.session.flagged, "the flag")
            await pilot.press("tab" if index == 0 else "enter")
            await wait_until(pilot, lambda i=index: i in screen.session.answers, "the save")
        if match == 0:
            await pilot.press("shift+tab")
            await wait_until(pilot, lambda: screen.index == 0, "the matching question")
        await pilot.press("s")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert isinstance(screen.session.answers[match].response, MatchingResponse)
        assert f"Partly answered: {match + 1}" in dialog.question
        assert f"Flagged: {single + 1}" in dialog.question
        assert "Unanswered" not in dialog.question
        await pilot.press("n")
        await on_screen(pilot, ExamScreen)
        assert not screen.session.finished
        await pilot.press("2", "3")  # every row matched now
        await pilot.press("ctrl+f")  # the matching question flagged as well
        await wait_until(pilot, lambda: match in screen.session.flagged, "the flag")
        await pilot.press("ctrl+s")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert "Partly answered" not in dialog.question
        await pilot.press("y")
        await on_screen(pilot, ResultsScreen)


async def test_s_asks_when_every_question_is_answered(db_file: Path, library: Library) -> None:
    app = make_test_app(
        db_file, library, plan=plan(Mode.EXAM, question_keys=(f"{BANK_ID}/c5-muscle",), count=1)
    )
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        await pilot.press("1", "s")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert "All 1 questions are answered; none is flagged." in dialog.question
        await pilot.press("escape")
        await on_screen(pilot, ExamScreen)
        assert not screen.session.finished


async def test_ctrl_q_in_a_timed_exam_asks_first(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=3, minutes=10))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        await pilot.press("1")
        await pilot.press("ctrl+q")
        dialog = await on_screen(pilot, ConfirmDialog)
        assert "clock keeps running" in dialog.question and "10:00 left" in dialog.question
        await pilot.press("n")
        await on_screen(pilot, ExamScreen)
        assert app.is_running
        await pilot.press("ctrl+q")
        await on_screen(pilot, ConfirmDialog)
        await pilot.press("y")
        await wait_until(pilot, lambda: not app.is_running, "the app to exit")
    assert 0 in screen.session.answers  # the pick on screen was saved before quitting


async def test_ctrl_q_outside_a_timed_exam_quits_at_once(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library, plan=plan(Mode.EXAM, count=3))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ExamScreen)
        await pilot.press("ctrl+q")
        await wait_until(pilot, lambda: not app.is_running, "the app to exit")


@pytest.mark.parametrize(
    ("away_minutes", "says"),
    [(4, "6 minute(s) of its time are left"), (30, "Its time ran out")],
)
async def test_the_resume_dialog_says_how_much_of_a_timed_exam_is_left_or_that_it_ran_out(
    db_file: Path, library: Library, away_minutes: int, says: str
) -> None:
    clock = Clock()
    record_session(
        db_file, library, clock(), plan(Mode.EXAM, count=3, minutes=10), [True], finish=False
    )
    clock.advance(minutes=away_minutes)
    app = make_test_app(db_file, library, clock)
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ResumeDialog)
        assert says in screen_text(pilot)
        if away_minutes > 10:
            await pilot.press("r")
            await on_screen(pilot, ExamScreen)
            app.screen._tick()  # type: ignore[attr-defined]  # what its 1 s interval does
            await on_screen(pilot, ResultsScreen)


# --- setup keeps the trainee's choices ----------------------------------------------------------


async def _setup(pilot: Pilot[Any], key: str = "p") -> SetupScreen:
    await started(pilot)
    await pilot.press(key)
    setup: SetupScreen = await on_screen(pilot, SetupScreen)
    return setup


def _values(setup: SetupScreen) -> list[str]:
    return [str(option.value) for option in setup._topic_options()]


async def test_topics_are_bank_slash_topic_listed_under_their_ticked_banks(
    db_file: Path, flows: Library
) -> None:
    """Two banks each have a topic ``evidence``: ticking one ticks only it, and the session
    serves only its bank's questions."""
    app = make_test_app(db_file, flows)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        assert _values(setup) == ["flows/evidence", "flows/anatomy", "other/evidence"]
        topics = setup.query_one("#topics", SelectionList)
        topics.select("other/evidence")
        await pilot.pause()
        assert topics.selected == ["other/evidence"]
        prompt = topics.get_option_at_index(2).prompt
        assert str(prompt) == "Evidence for acupuncture · Other test bank"
        banks = setup.query_one("#banks", SelectionList)
        banks.deselect("other")  # its topics leave the list...
        await pilot.pause()
        assert _values(setup) == ["flows/evidence", "flows/anatomy"]
        banks.select("other")  # ...and come back ticked
        await pilot.pause()
        assert setup.query_one("#topics", SelectionList).selected == ["other/evidence"]
        setup.query_one("#count", Input).value = "1"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.topics == ("other/evidence",)
        assert [item.key for item in screen.session.items] == ["other/acupuncture-trials"]


async def test_a_choice_matching_nothing_says_so_in_the_dialog_and_keeps_every_choice(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        setup.query_one("#topics", SelectionList).select("other/evidence")
        setup.query_one("#difficulty", SelectionList).select(1)  # other/evidence is d3
        setup.query_one("#seed", Input).value = "5"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is setup
        problem = plain(setup.query_one("#setup-problem", Static))
        assert "No question matches all of these choices" in problem
        assert setup.query_one("#topics", SelectionList).selected == ["other/evidence"]
        assert setup.query_one("#difficulty", SelectionList).selected == [1]
        assert setup.query_one("#seed", Input).value == "5"


async def test_a_count_above_what_matches_says_how_many_there_are(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        setup.query_one("#count", Input).value = "50"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is setup
        assert "Only 4 question(s) match" in plain(setup.query_one("#setup-problem", Static))
        assert setup.query_one("#count", Input).value == "4"
        await pilot.press("ctrl+s")  # again: the four
        screen = await on_screen(pilot, QuestionScreen)
        assert len(screen.session.items) == 4


async def test_no_difficulty_ticked_means_every_difficulty(db_file: Path, flows: Library) -> None:
    app = make_test_app(db_file, flows)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        assert setup.query_one("#difficulty", SelectionList).selected == []
        setup.query_one("#count", Input).value = "4"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.difficulties == ()
        assert len(screen.session.items) == 4


# --- feedback at a glance -------------------------------------------------------------------------


async def test_the_verdict_is_on_screen_at_80x24_without_scrolling(
    db_file: Path, library: Library
) -> None:
    """The case question's vignette, prompt and options fill the screen; the verdict is in the
    status line all the same."""
    app = make_test_app(db_file, library, plan=plan(question_keys=CASE_KEYS, count=2))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        await answer_and_submit(pilot, correct=False)
        assert screen.query_one("#question-body").scroll_y == 0
        first_line = screen_text(pilot).splitlines()[0]
        assert "✘ Incorrect" in first_line or "⚠ Unsafe pick" in first_line, first_line
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.index == 1, "question 2")
        assert "Incorrect" not in screen_text(pilot).splitlines()[0]
        await answer_and_submit(pilot)
        assert "✔ Correct" in screen_text(pilot).splitlines()[0]


async def test_short_answer_feedback_never_shows_the_authors_patterns(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(
        db_file, library, plan=plan(question_keys=(f"{BANK_ID}/elbow-root",), count=1)
    )
    async with app.run_test(size=LARGE) as pilot:
        await on_screen(pilot, PracticeScreen)
        await answer_and_submit(pilot, correct=False)
        text = screen_text(pilot)
        assert "Accepted answers:" in text and "C7" in text
        assert "c\\s*7" not in text and "root'" not in text


async def test_a_long_word_in_an_option_wraps_instead_of_being_cut(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.PRACTICE, "eight"))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, PracticeScreen)
        text = screen_text(pilot).replace(" ", "").replace("\n", "")
        assert "floccinaucinihilipilification" in text
        assert "…" not in screen_text(pilot)


# --- unfinished sessions on home ----------------------------------------------------------------


async def test_home_lists_unfinished_sessions_to_resume_or_abandon(
    db_file: Path, library: Library
) -> None:
    clock = Clock()
    record_session(db_file, library, clock(), plan(count=3), [True], finish=False)
    clock.advance(minutes=1)
    exam = plan(Mode.EXAM, count=3, minutes=10)
    record_session(db_file, library, clock(), exam, [True, False], finish=False)
    clock.advance(minutes=2)
    app = make_test_app(db_file, library, clock)
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, ResumeDialog)  # the newest, offered at start
        await pilot.press("l")
        home = await on_screen(pilot, HomeScreen)
        await settle(pilot)
        text = screen_text(pilot)
        assert "Unfinished sessions" in text
        assert "• Exam · 02 Mar 12:01 · 2/3 answered · 8 min left" in text
        assert "• Practice · 02 Mar 12:00 · 1/3 answered" in text
        await pilot.press("u")
        dialog = await on_screen(pilot, UnfinishedDialog)
        assert len(dialog.sessions) == 2
        await pilot.press("down", "enter")  # the practice session
        await on_screen(pilot, ResumeDialog)
        assert "Practice started" in screen_text(pilot)
        await pilot.press("a")
        await on_screen(pilot, HomeScreen)
        await wait_until(pilot, lambda: len(home.unfinished) == 1, "the abandon")
        await pilot.press("u")  # one left: straight to it
        await on_screen(pilot, ResumeDialog)
        await pilot.press("r")
        screen = await on_screen(pilot, ExamScreen)
        assert len(screen.session.answers) == 2


async def test_u_on_home_with_nothing_unfinished_says_so(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert any("No unfinished session" in n.message for n in app._notifications)


async def test_setup_ticks_show_without_colour_and_every_tab_stop_is_visible(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot, "e")
        text = screen_text(pilot)
        assert "▐X▌ Flows test bank" in text  # ticked: an X
        assert "▐ ▌ 1 recall" in text  # unticked: empty, not an X in another colour
        chain = [type(widget).__name__ for widget in setup.focus_chain]
        # banks, topics, difficulty, only, types (the flows banks name no root and no tag)
        assert chain == ["TickList"] * 5 + ["Input", "Input", "Input"] + [
            "Checkbox",  # an exam's: ask how sure
            "Button",
            "Button",
        ]
        assert "Ask how sure I am of each answer" in text  # on screen, a visible tab stop


async def test_a_markdown_line_ending_in_a_backslash_keeps_its_break() -> None:
    """What docs/authoring.md says of `|` blocks in Markdown fields: lines of a paragraph join,
    a line ending in a backslash keeps its break."""
    from textual.app import App, ComposeResult

    from quiz.tui.widgets.bank_text import BankMarkdown

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield BankMarkdown("first line\\\nsecond line\njoined to it\n")

    app = One()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        lines = [line.strip() for line in screen_text(pilot).splitlines() if line.strip()]
        assert lines[:2] == ["first line", "second line joined to it"]


async def test_home_and_end_scroll_a_long_question_and_leave_the_answer_cursor(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.PRACTICE, "eight"))
    async with app.run_test(size=(80, 14)) as pilot:
        screen = await on_screen(pilot, PracticeScreen)
        body = screen.query_one("#question-body")
        assert body.max_scroll_y > 0
        await pilot.press("down")
        cursor = screen._answer.cursor  # type: ignore[attr-defined]
        await pilot.press("end")
        await wait_until(pilot, lambda: body.scroll_y == body.max_scroll_y, "the end")
        await pilot.press("home")
        await wait_until(pilot, lambda: body.scroll_y == 0, "the top")
        assert screen._answer.cursor == cursor  # type: ignore[attr-defined]


async def test_striking_options_out_lasts_until_the_question_is_submitted(
    db_file: Path, flows: Library
) -> None:
    app = make_test_app(db_file, flows, plan=flows_plan(Mode.EXAM, "eight", "seven"))
    async with app.run_test(size=LARGE) as pilot:
        screen = await on_screen(pilot, ExamScreen)
        await pilot.press("x", "down", "down", "x")
        assert screen._answer.struck == {0, 2}
        rows = list(screen._answer.query("OptionRow"))
        assert rows[0].struck and not rows[1].struck  # type: ignore[attr-defined]
        await pilot.press("a")  # picking a struck option brings it back
        assert screen._answer.struck == {2}
        await pilot.press("tab")
        await wait_until(pilot, lambda: screen.index == 1, "the next question")
        assert screen._answer.struck == set()
        await pilot.press("shift+tab")
        await wait_until(pilot, lambda: screen.index == 0, "back")
        await settle(pilot)
        assert screen._answer.struck == {2}  # kept while the exam goes on
        assert list(screen._answer.query("OptionRow"))[2].struck  # type: ignore[attr-defined]


async def test_progress_drills_a_spinal_root(db_file: Path, library: Library) -> None:
    from quiz.tui.screens.progress import ProgressScreen, RootDialog

    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("g")
        await on_screen(pilot, ProgressScreen)
        await pilot.press("d")
        dialog = await on_screen(pilot, RootDialog)
        assert dialog.counts["C7"] == 2 and "C7" in dialog.roots
        for _ in range(dialog.roots.index("C7")):
            await pilot.press("down")
        await pilot.press("enter")
        screen = await on_screen(pilot, PracticeScreen)
        assert screen.session.plan.roots == ("C7",)
        assert {item.question.id for item in screen.session.items} == {
            "myotome-match",
            "elbow-root",
        }


async def test_weak_and_mistakes_say_there_is_nothing_before_any_form(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        for key in ("w", "m"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, HomeScreen), key
        notes = [note.message for note in app._notifications]
        assert len(notes) == 2, notes
        await pilot.press("v")  # review has new questions to serve: its form opens
        await on_screen(pilot, SetupScreen)


async def test_a_short_answer_says_why_its_key_bar_has_f1_help(
    db_file: Path, library: Library
) -> None:
    """On a short answer ? is text, so the key bar names f1 for Help (elsewhere "? Help"), and
    the input's hint says why."""
    app = make_test_app(db_file, library, plan=plan(question_keys=(f"{BANK_ID}/elbow-root",)))
    async with app.run_test(size=SMALL) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        bar = screen_text(pilot).splitlines()[-1]
        assert "f1 Help" in bar and "? Help" not in bar
        assert "Here ? is text: f1 is help." in screen_text(pilot)
        await pilot.press("?")
        assert screen._answer.response() is not None  # typed, not help
        await pilot.press("f1")
        await wait_until(pilot, lambda: app.screen is not screen, "the help screen")
