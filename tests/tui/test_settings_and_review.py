"""Home's Review starts the due queue with one key, and the Settings screen saves what the
trainee chooses and the open trainer uses it at once."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static, Switch

from quiz import preferences
from quiz.banks.loader import Library
from quiz.domain.session import Mode
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.settings import SettingsScreen
from quiz.tui.screens.setup import SetupScreen
from tests.engine_helpers import Clock
from tests.tui.tui_helpers import (
    SMALL,
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


async def test_r_starts_the_whole_due_queue_home_counted_and_v_opens_the_form(
    db_file: Path, library: Library, clock: Clock
) -> None:
    record_session(db_file, library, clock(), plan(count=3), [True, False, True])
    clock.advance(minutes=15)  # learning steps come due within the learn-ahead limit
    app = make_test_app(db_file, library, clock)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await settle(pilot)
        assert app.trainer is not None
        summary = app.trainer.summary()
        assert summary.due_now >= 1 and summary.new_available > 0
        text = plain(app.screen.query_one("#summary", Static))
        assert f"Due for review   {summary.due_now}" in text
        assert f"Mistakes         {summary.mistakes_queue} question(s)" in text
        await pilot.press("r")  # no form: the due questions first, then today's new ones
        screen = await on_screen(pilot, QuestionScreen)
        assert screen.session.plan.mode is Mode.REVIEW
        cards = app.trainer.store.cards(app.trainer.profile_id)
        due = [item for item in screen.session.items if item.key in cards]
        assert len(due) == summary.due_now
        assert screen.session.items[: len(due)] == due
        assert len(screen.session.items) == summary.due_now + summary.new_available
        await pilot.press("escape")  # leave the session
        await pilot.press("y")
        await on_screen(pilot, HomeScreen)
        await pilot.press("v")  # the form, for choosing banks or topics
        await on_screen(pilot, SetupScreen)


async def test_settings_are_saved_and_reach_the_trainer_at_once(
    db_file: Path, library: Library, clock: Clock
) -> None:
    record_session(db_file, library, clock(), plan(count=3), [True, True, False])
    app = make_test_app(db_file, library, clock)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("s")
        screen = await on_screen(pilot, SettingsScreen)
        caption = screen.query_one("#forecast-caption", Static)
        await wait_until(pilot, lambda: "At 90%" in plain(caption), "the forecast")
        new_per_day = screen.query_one("#new-per-day", Input)
        new_per_day.value = "abc"
        await pilot.press("ctrl+s")  # refused, with the reason: the screen stays
        assert isinstance(app.screen, SettingsScreen)
        notes = [note.message for note in app._notifications]
        assert any("whole number from 0 to 9999" in note for note in notes), notes
        new_per_day.value = "7"
        screen.query_one("#retention", Select).value = 0.97
        await wait_until(pilot, lambda: "At 97%" in plain(caption), "the forecast at 97%")
        screen.query_one("#certainty", Switch).value = False
        await pilot.press("ctrl+s")
        await on_screen(pilot, HomeScreen)
        saved = preferences.load()
        assert (saved.new_per_day, saved.desired_retention, saved.certainty) == (7, 0.97, False)
        assert app.trainer is not None
        assert (app.trainer.new_per_day, app.trainer.desired_retention) == (7, 0.97)
        await settle(pilot)
        assert "New today        " in screen_text(pilot)
        await pilot.press("s")
        screen = await on_screen(pilot, SettingsScreen)
        assert screen.query_one("#new-per-day", Input).value == "7"
        assert screen.query_one("#retention", Select).value == 0.97
        assert screen.query_one("#certainty", Switch).value is False
        await pilot.press("escape")  # back without saving
        await on_screen(pilot, HomeScreen)
