"""The setup form's filters (issue 12): type, spinal root, tag, and the history filters unused,
incorrect last time and flagged, as question banks offer them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, SelectionList, Static

from quiz.banks.loader import Library
from quiz.domain.session import Mode
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.setup import SetupScreen
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import (
    LARGE,
    SMALL,
    make_test_app,
    on_screen,
    plain,
    plan,
    record_session,
    screen_text,
    settle,
    started,
)


async def _setup(pilot: Pilot[Any], key: str = "p") -> SetupScreen:
    await started(pilot)
    await pilot.press(key)
    setup: SetupScreen = await on_screen(pilot, SetupScreen)
    return setup


def _option_values(setup: SetupScreen, list_id: str) -> list[object]:
    ticks = setup.query_one(f"#{list_id}", SelectionList)
    return [ticks.get_option_at_index(i).value for i in range(ticks.option_count)]


async def test_type_and_root_lists_hold_what_the_banks_have_and_filter_the_session(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        assert _option_values(setup, "types") == [
            "single",
            "multiple",
            "true_false",
            "matching",
            "ordering",
            "short",
        ]
        assert _option_values(setup, "roots") == ["C5", "C6", "C7", "T1", "L4", "L5"]
        assert not setup.query("#tags")  # no question has a tag: no empty list to tab into
        setup.query_one("#roots", SelectionList).select("C7")
        setup.query_one("#types", SelectionList).select("short")
        setup.query_one("#types", SelectionList).select("matching")
        setup.query_one("#count", Input).value = "2"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.roots == ("C7",)
        assert screen.session.plan.types == ("matching", "short")
        assert sorted(item.question.id for item in screen.session.items) == [
            "elbow-root",
            "myotome-match",
        ]


async def test_incorrect_last_time_serves_only_what_was_answered_wrong(
    db_file: Path, library: Library, clock: Clock
) -> None:
    outcomes = {"c5-muscle": False, "clean-technique": True, "multi-roots": False}
    record_session(db_file, library, clock(), plan(count=20), outcomes)  # type: ignore[arg-type]
    clock.advance(minutes=30)
    app = make_test_app(db_file, library, clock)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        setup.query_one("#only", SelectionList).select("incorrect")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # two match, fewer than the default count: the form says so first
        assert "Only 2 question(s) match" in plain(setup.query_one("#setup-problem", Static))
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.incorrect
        assert sorted(item.question.id for item in screen.session.items) == [
            "c5-muscle",
            "multi-roots",
        ]


async def test_a_history_filter_matching_nothing_says_so_and_keeps_every_choice(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        setup = await _setup(pilot, "e")
        setup.query_one("#only", SelectionList).select("flagged")  # nothing is flagged yet
        setup.query_one("#types", SelectionList).select("single")
        setup.query_one("#minutes", Input).value = "7"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is setup
        assert "No question matches" in plain(setup.query_one("#setup-problem", Static))
        assert setup.query_one("#only", SelectionList).selected == ["flagged"]
        assert setup.query_one("#types", SelectionList).selected == ["single"]
        assert setup.query_one("#minutes", Input).value == "7"
        setup.query_one("#only", SelectionList).deselect("flagged")
        setup.query_one("#only", SelectionList).select("unused")  # nothing answered: all unused
        setup.query_one("#count", Input).value = "2"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.mode is Mode.EXAM and screen.session.plan.unused
        assert {item.question.kind for item in screen.session.items} == {"single"}


async def test_the_filter_lists_fit_80_columns(db_file: Path, library: Library) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        setup = await _setup(pilot)
        setup.query_one("#only", SelectionList).focus()
        await pilot.pause()
        text = screen_text(pilot)
        for label in ("3 clinical reasoning", "incorrect last time", "unused only"):
            assert label in text


async def test_ctrl_a_ticks_every_line_of_the_focused_list_then_none(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=LARGE) as pilot:
        setup = await _setup(pilot)
        types = setup.query_one("#types", SelectionList)
        every = _option_values(setup, "types")
        types.select("short")
        types.focus()
        await pilot.press("ctrl+a")
        assert sorted(types.selected) == sorted(every)
        assert not setup.query_one("#difficulty", SelectionList).selected  # only the focused one
        await pilot.press("ctrl+a")
        assert types.selected == []
        await pilot.press("ctrl+a")  # every type ticked: every type is served
        setup.query_one("#count", Input).value = "3"
        await pilot.press("ctrl+s")
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.types in ((), tuple(every))


def test_the_key_map_names_ctrl_a_in_the_setup_form() -> None:
    from quiz.tui.screens.help import key_map

    sections = dict(key_map())
    assert ("ctrl+a", "tick every line, or none") in sections["Session setup"]
