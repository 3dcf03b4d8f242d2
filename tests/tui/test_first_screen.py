"""What keeps the trainer's first screen cheap to draw (issue 12's first-question budget; the
figures are in benchmarks/bench_tui.py): no CSS rule that makes Textual restyle each Markdown
block again after it is mounted, no second layout for the start-up's Resize, and the cycle
collector paused until the first screen is drawn. Each without changing what the trainee sees."""

from __future__ import annotations

import gc
import re
from pathlib import Path

from textual.widgets.markdown import MarkdownBlock

import quiz.tui
from quiz import collector
from quiz.banks.loader import Library
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.widgets.bank_text import LAST_BLOCK, BankMarkdown
from tests.tui.tui_helpers import CASE_KEYS, make_test_app, on_screen, plan, settle

ORDER_PSEUDO_CLASS = re.compile(
    r":(first-child|last-child|first-of-type|last-of-type|empty|odd|even)\b"
)
CSS_IN_PYTHON = re.compile(r'\b(?:DEFAULT_)?CSS\s*=\s*"""(.*?)"""', re.DOTALL)


def our_css() -> list[tuple[str, str]]:
    """Every stylesheet of the TUI: its .tcss files and its classes' CSS and DEFAULT_CSS."""
    package = Path(quiz.tui.__file__).parent
    sheets = []
    for path in sorted(package.rglob("*")):
        name = str(path.relative_to(package))
        if path.suffix == ".tcss":
            sheets.append((name, path.read_text(encoding="utf-8")))
        elif path.suffix == ".py":
            text = path.read_text(encoding="utf-8")
            sheets.extend((name, css) for css in CSS_IN_PYTHON.findall(text))
    return sheets


def test_no_stylesheet_of_ours_uses_an_order_pseudo_class() -> None:
    # Textual marks every node such a rule might match and restyles it, with all it holds, once
    # more after each mount: on a case's vignette that was a fifth of the first question's time.
    sheets = our_css()
    assert any("FeedbackPanel" in css for _, css in sheets)  # the extraction finds them
    found = [
        f"{name}: {hit.group()}" for name, css in sheets for hit in ORDER_PSEUDO_CLASS.finditer(css)
    ]
    assert found == []


async def test_a_vignette_has_no_blank_line_under_its_last_block(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=CASE_KEYS))
    async with app.run_test() as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        vignette = screen.query_one("#vignette", BankMarkdown)
        blocks = list(vignette.query_children(MarkdownBlock))
        assert blocks and [block.has_class(LAST_BLOCK) for block in blocks][-1]
        assert not any(block.has_class(LAST_BLOCK) for block in blocks[:-1])
        assert blocks[-1].styles.margin.bottom == 0
        assert all(block.styles.margin.bottom == 1 for block in blocks[:-1])
        prompt = screen.query_one("#prompt", BankMarkdown)
        assert list(prompt.query_children(MarkdownBlock))[-1].styles.margin.bottom == 1


async def test_the_question_screen_still_follows_a_real_resize(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        body = screen.query_one("#question-body")
        assert screen.size == (80, 24)
        narrow = body.size.width
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert screen.size == (120, 40) and body.size.width == narrow + 40


async def test_the_trainer_resumes_the_collector_once_its_first_screen_is_drawn(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=3))
    with collector.paused():  # as the CLI starts it
        async with app.run_test() as pilot:
            await on_screen(pilot, QuestionScreen)
            assert gc.isenabled() and gc.get_freeze_count() > 0
    assert gc.isenabled()
