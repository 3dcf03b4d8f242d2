"""One broken question does not cost the trainee its bank: home and the Banks screen name it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable, Static

from quiz.banks.loader import load_library
from quiz.tui.screens.banks import BanksScreen
from tests.tui.tui_helpers import BANKS_DIR, SMALL, make_test_app, on_screen, plain, started


async def test_a_bank_with_a_broken_question_loads_and_names_what_it_left_out(
    tmp_path: Path, db_file: Path
) -> None:
    text = (BANKS_DIR / "tui-test.yaml").read_text(encoding="utf-8")
    broken = text.replace("    topic: safety", "    topic: no-such-topic", 1)
    assert broken != text
    path = tmp_path / "tui-test.yaml"
    path.write_text(broken, encoding="utf-8")
    library = load_library([path])
    assert len(library.skipped_questions) == 1

    app = make_test_app(db_file, library)
    async with app.run_test(size=SMALL) as pilot:
        await started(pilot)
        notice = plain(app.screen.query_one("#skipped", Static))
        assert "1 broken question(s) left out of their banks:" in notice
        assert "error[unknown-topic]" in notice

        await pilot.press("b")
        banks = await on_screen(pilot, BanksScreen)
        assert banks.query_one("#banks-table", DataTable).row_count == 1  # the bank is usable
        assert banks.query_one("#questions-table", DataTable).row_count == 7  # of 8
        details = plain(banks.query_one("#skipped-details", Static))
        assert "Left out 1 broken question(s):" in details
        assert f"{path}:" in details and "error[unknown-topic]" in details
