"""The bank browser (issue 12): questions listed by prompt, a search over every bank's text, a
whole bank previewed with its keys, all within 80 columns."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Input, Static

from quiz.banks.loader import Library
from quiz.tui.screens.banks import BanksScreen, PreviewScreen
from quiz.tui.screens.practice import PracticeScreen
from quiz.tui.screens.results import ReviewScreen
from quiz.tui.widgets.feedback import FeedbackPanel
from tests.tui.tui_helpers import (
    LARGE,
    SMALL,
    make_test_app,
    on_screen,
    plain,
    screen_text,
    started,
)


def _first_cells(table: DataTable) -> list[str]:  # type: ignore[type-arg]
    return [str(table.get_row_at(row)[0]) for row in range(table.row_count)]


async def test_questions_are_listed_by_prompt_and_fit_80_columns(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("b")
        banks = await on_screen(pilot, BanksScreen)
        questions = banks.query_one("#questions-table", DataTable)
        prompts = _first_cells(questions)
        assert "Put the end of a treatment in order." in prompts
        # bank text stays inert: the markup-looking prompt shows as written
        assert any(
            p.startswith("Which muscle is supplied mainly by C5? [L4] [bold]") for p in prompts
        )
        text = screen_text(pilot)
        header = next(line for line in text.splitlines() if "Question" in line)
        for column in ("Type", "D", "Topic"):
            assert column in header  # no column pushed off the screen
        assert questions.virtual_size.width <= questions.scrollable_content_region.width
        assert "TUI test bank" in text and "Qs" in text


async def test_search_finds_questions_by_text_in_every_bank(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=LARGE) as pilot:
        await started(pilot)
        await pilot.press("b")
        banks = await on_screen(pilot, BanksScreen)
        questions = banks.query_one("#questions-table", DataTable)
        everything = questions.row_count
        await pilot.press("slash")
        search = banks.query_one("#banks-search", Input)
        assert search.has_focus
        await pilot.press(*"KEY ROOT FOR")  # case-insensitive, in the prompt
        assert _first_cells(questions) == ["Which root is the key root for elbow extension?"]
        search.value = "Record the treatment"  # an ordering item's text
        await pilot.pause()
        assert _first_cells(questions) == ["Put the end of a treatment in order."]
        search.value = "no question says this"
        await pilot.pause()
        assert questions.row_count == 0
        search.value = ""
        await pilot.pause()
        assert questions.row_count == everything
        await pilot.press("escape")  # out of the search box first, then back
        assert not search.has_focus and app.screen is banks


async def test_a_whole_bank_previews_with_its_keys_and_explanations(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        await pilot.press("b")
        banks = await on_screen(pilot, BanksScreen)
        total = banks.query_one("#questions-table", DataTable).row_count
        await pilot.press("ctrl+b")
        preview = await on_screen(pilot, ReviewScreen)
        assert len(preview.items) == total
        assert f"1/{total}" in screen_text(pilot) and "keys shown" in screen_text(pilot)
        feedback = preview.query_one(FeedbackPanel)
        assert feedback.display
        legends = []  # the option lists' legends name the filled boxes the key's, not yours
        for _ in range(total - 1):
            legends += [plain(hint) for hint in preview.query(".answer--hint").results(Static)]
            await pilot.press("n")
        assert preview.index == total - 1
        assert any("● the key's pick" in line for line in legends)
        assert not [line for line in legends if "● your answer" in line]
        await pilot.press("n")  # the last stays
        assert preview.index == total - 1
        # every question with a key to show is shown answered right
        assert all(answer.grade.correct for answer in preview.answers.values())
        await pilot.press("escape")
        await on_screen(pilot, BanksScreen)
        await pilot.press("enter", "enter")  # a bank, then its first question: try it
        await on_screen(pilot, PreviewScreen)


async def test_results_give_the_question_the_width_and_cut_the_topic(
    db_file: Path, library: Library
) -> None:
    """FINDINGS.md: at 80 columns the results gave 25 characters to the question and 40 to the
    topic; the question now takes what the topic's fixed column leaves."""
    from quiz.tui.screens.results import ResultsScreen
    from tests.tui.tui_helpers import answer_and_submit, plan

    keys = ("tui-test/clean-technique",)
    app = make_test_app(db_file, library, plan=plan(question_keys=keys))
    async with app.run_test(size=SMALL) as pilot:
        await on_screen(pilot, PracticeScreen)
        await answer_and_submit(pilot)
        await pilot.press("enter")
        results = await on_screen(pilot, ResultsScreen)
        table = results.query_one("#questions-table", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        line = next(line for line in screen_text(pilot).splitlines() if "Which belong" in line)
        # the question takes what the topic's column (a third, 18 at least) leaves it
        assert "Which belong to clean needle technique? S" in line
