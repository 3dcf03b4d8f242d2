"""The next question on screen (issue 12's budget for enter on the feedback): whole in the first
frame drawn after the key, with the prompt's Markdown mounted at once and a case's vignette kept
between the questions that share it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets.markdown import MarkdownBlock

from quiz.banks.loader import Library
from quiz.domain.text import visible
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.widgets.bank_text import BankMarkdown
from tests.tui.tui_helpers import (
    CASE_KEYS,
    LARGE,
    answer_and_submit,
    make_test_app,
    on_screen,
    plain,
    plan,
    press_quickly,
    screen_text,
    settle,
    wait_until,
)


def blocks_text(markdown: BankMarkdown) -> str:
    """The text of a Markdown widget's blocks, as drawn (without styles)."""
    return " ".join(plain(block) for block in markdown.query(MarkdownBlock))


async def test_the_first_frame_after_enter_on_the_feedback_shows_the_next_question_whole(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(count=4))
    frames: list[dict[str, Any]] = []
    async with app.run_test(size=LARGE) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        display = app._display

        def displayed(shown: Any, renderable: Any) -> None:
            if renderable is not None:
                prompt = screen.query_one("#prompt", BankMarkdown)
                answer = screen._answer
                frames.append(
                    {
                        "blocks": list(prompt.query(MarkdownBlock)),
                        "prompt": blocks_text(prompt),
                        "answer": (answer.item, answer.is_mounted, len(answer.children)),
                        "answers": len(screen.query("AnswerWidget")),
                        "text": screen_text(pilot),
                    }
                )
            display(shown, renderable)

        for index in range(1, 4):
            await answer_and_submit(pilot)
            await settle(pilot)
            old = list(screen.query("#prompt MarkdownBlock"))  # kept alive: identities differ
            frames.clear()
            app._display = displayed
            await press_quickly(pilot, "enter")
            await wait_until(pilot, lambda: frames, "a frame")  # noqa: B023
            app._display = display
            await settle(pilot)
            item = screen.session.items[index]
            first = frames[0]
            prompt = screen.query_one("#prompt", BankMarkdown)
            assert screen.index == index
            assert first["blocks"]
            assert not any(block in old for block in first["blocks"])  # the next prompt's blocks
            assert first["prompt"] == blocks_text(prompt)  # as drawn once all is settled
            assert first["prompt"] and first["prompt"] in " ".join(first["text"].split())
            assert prompt.source == visible(item.question.prompt)
            widget_item, mounted, rows = first["answer"]
            assert widget_item is item and mounted and rows  # the next answer widget, its rows
            assert first["answers"] == 1  # the previous one gone


async def test_a_case_vignette_stays_as_it_is_between_the_questions_that_share_it(
    db_file: Path, library: Library
) -> None:
    app = make_test_app(db_file, library, plan=plan(question_keys=CASE_KEYS, count=2))
    async with app.run_test(size=LARGE) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        first, second = screen.session.items
        assert first.case is not None and first.case is second.case
        vignette = screen.query_one("#vignette", BankMarkdown)
        blocks = list(vignette.query(MarkdownBlock))
        text = blocks_text(vignette)
        await answer_and_submit(pilot)
        await press_quickly(pilot, "enter")
        await wait_until(pilot, lambda: screen.index == 1, "the second question")
        await settle(pilot)
        assert list(vignette.query(MarkdownBlock)) == blocks  # not rebuilt
        assert blocks_text(vignette) == text and vignette.display
        assert screen.query_one("#prompt", BankMarkdown).source == visible(second.question.prompt)


class MarkdownApp(App[None]):
    def compose(self) -> ComposeResult:
        yield BankMarkdown("first", id="text")


async def test_bank_markdown_shows_the_last_text_it_was_given() -> None:
    app = MarkdownApp()
    async with app.run_test() as pilot:
        markdown = app.query_one(BankMarkdown)
        await markdown.update("second\n\n- a list\n- \x1b[31mred")
        assert blocks_text(markdown).startswith("second")
        assert "\\x1b[31mred" in blocks_text(markdown)  # controls shown as escapes
        markdown.update("third")
        await markdown.update("fourth")
        await pilot.pause()
        assert blocks_text(markdown) == "fourth"
        assert markdown.source == "fourth"


async def test_frames_are_not_held_once_the_question_screen_is_gone(
    db_file: Path, library: Library
) -> None:
    from quiz.tui.screens.home import HomeScreen

    app = make_test_app(db_file, library, plan=plan(count=3))
    async with app.run_test(size=LARGE) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await answer_and_submit(pilot)
        screen.show_question(1)  # frames held until its parts are mounted...
        assert app._batch_count
        app.go_home()  # ...but the screen goes first
        await on_screen(pilot, HomeScreen)  # (the question's late callbacks fail no query)
        await wait_until(pilot, lambda: not screen.is_attached, "the question screen to go")
        assert not app._batch_count  # frames again, at once (not only after HOLD_FRAMES)
