"""Bank text never drives the terminal: control characters that slip past the validator are
drawn as visible escapes on every screen that shows bank text (issue 15, defence in depth)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from msgspec.structs import replace
from textual.pilot import Pilot
from textual.widget import Widget

from quiz.banks.loader import Library
from quiz.domain.model import (
    Bank,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.tui.screens.banks import BanksScreen, PreviewScreen
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.question import QuestionScreen
from quiz.tui.screens.results import ResultsScreen, ReviewScreen
from quiz.tui.widgets.answer import AnswerWidget
from tests.tui.tui_helpers import (
    BANK_ID,
    CASE_KEYS,
    MARKUP_KEY,
    answer_and_submit,
    fixture_library,
    make_test_app,
    on_screen,
    plan,
    screen_text,
    settle,
    started,
    wait_until,
)

HOSTILE = " \x1b]0;pwned\x07 \x1b[2J \x9b31m \u202eevil"
"""A window-title OSC, clear-screen CSI, a C1 CSI and a right-to-left override."""
SHOWN = r"\x1b]0;pwned\x07 \x1b[2J \x9b31m \u202eevil"
"""How it must look on screen: every control as its escape."""
CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _hostile_question(question: Question) -> Question:
    changes: dict[str, Any] = {
        "prompt": question.prompt + HOSTILE,
        "explanation": question.explanation + HOSTILE,
    }
    if isinstance(question, SingleChoice | MultipleChoice):
        changes["choices"] = [
            replace(choice, text=choice.text + HOSTILE, why=(choice.why or "") + HOSTILE)
            for choice in question.choices
        ]
    elif isinstance(question, TrueFalse):
        changes["why_true"] = (question.why_true or "") + HOSTILE
        changes["why_false"] = (question.why_false or "") + HOSTILE
    elif isinstance(question, Matching):
        changes["pairs"] = [(left + HOSTILE, right + HOSTILE) for left, right in question.pairs]
        changes["distractors"] = [text + HOSTILE for text in question.distractors]
    elif isinstance(question, Ordering):
        changes["items"] = [text + HOSTILE for text in question.items]
    elif isinstance(question, ShortAnswer):
        changes["answers"] = [text + HOSTILE for text in question.answers]
    return replace(question, **changes)


def hostile_library() -> Library:
    """The fixture library with control characters in every kind of text of its good bank,
    as a bank loaded without validation would carry them."""
    library = fixture_library()
    loaded = library.banks[BANK_ID]
    bank = loaded.bank
    assert isinstance(bank, Bank)
    hostile = replace(
        bank,
        title=bank.title + HOSTILE,
        description=bank.description + HOSTILE,
        topics={key: bank.topic(key).title + HOSTILE for key in bank.topics},
        sources={key: bank.source(key).citation + HOSTILE for key in bank.sources},
        cases={
            key: replace(case, title=case.title + HOSTILE, vignette=case.vignette + HOSTILE)
            for key, case in bank.cases.items()
        },
        questions=[_hostile_question(question) for question in bank.questions],
    )
    library.banks[BANK_ID] = replace(loaded, bank=hostile)
    return library


def rendered_text(widget: Widget) -> str:
    """What ``widget`` renders, as text (a Rich or Textual renderable's plain text, or repr)."""
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


def assert_drawn_safely(pilot: Pilot[Any]) -> str:
    """No control character on screen or in any widget's rendering; returns the screen text."""
    text = screen_text(pilot)
    assert not CONTROLS.search(text), repr(CONTROLS.findall(text))
    for widget in pilot.app.screen.query("*"):
        assert not CONTROLS.search(rendered_text(widget)), widget
    svg = pilot.app.export_screenshot()
    assert not CONTROLS.search(svg)
    return text


async def test_hostile_bank_text_is_drawn_as_visible_escapes(db_file: Path) -> None:
    keys = (MARKUP_KEY, CASE_KEYS[0])
    app = make_test_app(db_file, hostile_library(), plan=plan(question_keys=keys, count=2))
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        for _ in keys:
            assert SHOWN in assert_drawn_safely(pilot)  # the prompt, options, topic
            await answer_and_submit(pilot, correct=False)
            shown = assert_drawn_safely(pilot)  # the whys, the explanation, the references
            assert shown.count(SHOWN) >= 4, shown
            await pilot.press("enter")
        await on_screen(pilot, ResultsScreen)
        assert SHOWN in assert_drawn_safely(pilot)  # the topic table, first lines
        await pilot.press("enter")
        await on_screen(pilot, ReviewScreen)
        assert SHOWN in assert_drawn_safely(pilot)
        assert screen.session.finished

        app.notify("No questions match the topic" + HOSTILE)
        await pilot.pause()
        notes = [note.message for note in app._notifications]
        assert not any(CONTROLS.search(note) for note in notes)
        assert any(SHOWN in note for note in notes)


async def test_every_question_type_shows_hostile_text_as_escapes(db_file: Path) -> None:
    library = hostile_library()
    count = len(library.bank(BANK_ID).questions)
    app = make_test_app(db_file, library, plan=plan(count=count))
    async with app.run_test(size=(160, 60)) as pilot:
        screen = await on_screen(pilot, QuestionScreen)
        await wait_until(pilot, lambda: app.trainer is not None, "the store")
        kinds = set()
        for item in list(screen.session.items):
            kinds.add(item.question.kind)
            assert SHOWN in assert_drawn_safely(pilot)
            await answer_and_submit(pilot, correct=False)
            assert SHOWN in assert_drawn_safely(pilot)
            await pilot.press("enter")
        assert kinds == {"single", "multiple", "true_false", "matching", "ordering", "short"}
        await on_screen(pilot, ResultsScreen)


async def test_hostile_bank_text_on_the_banks_screen_and_its_preview(db_file: Path) -> None:
    app = make_test_app(db_file, hostile_library())
    async with app.run_test(size=(160, 60)) as pilot:
        await started(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert SHOWN in assert_drawn_safely(pilot)  # mastery by topic
        await pilot.press("b")
        await on_screen(pilot, BanksScreen)
        await settle(pilot)
        assert SHOWN in assert_drawn_safely(pilot)  # title, description, topic column
        await pilot.press("enter")  # the bank: on to its questions
        await pilot.press("enter")  # the first question: preview it
        preview = await on_screen(pilot, PreviewScreen)
        assert SHOWN in assert_drawn_safely(pilot)
        preview.query_one(AnswerWidget).focus()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert SHOWN in assert_drawn_safely(pilot)
