"""The answer widgets, one at a time, in a tiny app: keys, restore, reveal, literal text, looks."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input

from quiz.domain.grading import (
    ChoiceResponse,
    MatchingResponse,
    OrderingResponse,
    Response,
    TextResponse,
    TrueFalseResponse,
    grade_response,
)
from quiz.domain.model import (
    Choice,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from quiz.domain.session import SessionItem
from quiz.tui.widgets._row import AnswerRow
from quiz.tui.widgets.answer import AnswerWidget, answer_widget_for
from quiz.tui.widgets.choice import ChoiceAnswer
from quiz.tui.widgets.matching import MatchingAnswer
from quiz.tui.widgets.ordering import OrderingAnswer
from quiz.tui.widgets.short import ShortAnswerInput
from quiz.tui.widgets.true_false import TrueFalseAnswer
from tests.tui.tui_helpers import row_text

SIZE = (80, 24)
COMMON = {"topic": "t", "refs": ["gunn1996"], "difficulty": 1}


# --- questions and items -----------------------------------------------------------------------


def single(count: int = 4, **fields: object) -> SingleChoice:
    """A single-choice question with ``count`` choices; choice 0 is correct."""
    choices = [Choice(text=f"Option {n}", correct=n == 0, why=f"Why {n}.") for n in range(count)]
    return SingleChoice(id="q-single", prompt="Pick one.", choices=choices, **COMMON, **fields)


def segment_single() -> SingleChoice:
    """A realistic single-choice question with an unsafe option and markup-looking text."""
    return SingleChoice(
        id="c5-muscle",
        prompt="Which muscle is supplied mainly by C5?",
        choices=[
            Choice(text="Deltoid", correct=True, why="Axillary nerve, **C5** (C6)."),
            Choice(text="Triceps [C7]", why="Radial nerve, mainly [C7]; an extensor of the elbow."),
            Choice(
                text="Deep needling of the upper trapezius toward the lung apex",
                unsafe=True,
                why="The lung apex lies under the trapezius: pneumothorax risk.",
            ),
            Choice(text="[bold]Abductor pollicis brevis[/bold]", why="Median nerve, T1."),
        ],
        **COMMON,
    )


def multiple() -> MultipleChoice:
    return MultipleChoice(
        id="q-multiple",
        prompt="Select every absolute contraindication.",
        choices=[
            Choice(text="Needle phobia", correct=True, why="Absolute: fear rules needling out."),
            Choice(text="Taking an anticoagulant", why="Relative: weighed case by case."),
            Choice(text="Unable to give consent", correct=True, why="Absolute: no valid consent."),
            Choice(text="Pregnancy", why="Relative, by trimester and site."),
            Choice(
                text="Needling into a lymphoedematous limb",
                unsafe=True,
                why="It risks infection in a limb that cannot clear it.",
            ),
        ],
        **COMMON,
    )


def true_false() -> TrueFalse:
    return TrueFalse(
        id="q-tf",
        prompt="IMS targets shortened muscles supplied by an irritated nerve root.",
        answer=True,
        why_true="Gunn's model: radiculopathy causes neuropathic shortening [L4].",
        why_false="It does not follow TCM meridians.",
        **COMMON,
    )


def matching() -> Matching:
    return Matching(
        id="q-match",
        prompt="Match each muscle to its main root.",
        pairs=[("Deltoid", "C5"), ("Triceps", "C7"), ("Tibialis anterior", "[L4]")],
        distractors=["S1"],
        **COMMON,
    )


def ordering() -> Ordering:
    return Ordering(
        id="q-order",
        prompt="Put the steps in order.",
        items=["Screen and consent", "Palpate the segment", "Needle the muscle", "Reassess"],
        **COMMON,
    )


def short() -> ShortAnswer:
    return ShortAnswer(
        id="q-short",
        prompt="Which nerve root supplies the deltoid mainly?",
        answers=["C5", "C5 root"],
        patterns=[r"c\s*5"],
        **COMMON,
    )


def make_item(
    question: Question, order: Sequence[int] = (), rights: Sequence[str] = ()
) -> SessionItem:
    return SessionItem(
        key=f"bank/{question.id}",
        bank_id="bank",
        question=question,
        case=None,
        topic_title="Topic",
        choice_order=tuple(order),
        right_options=tuple(rights),
    )


MATCH_RIGHTS = ("C7", "S1", "[L4]", "C5")
"""The matching question's right-hand options in display order: 1=C7, 2=S1, 3=[L4], 4=C5."""
ORDER = (2, 0, 3, 1)
"""The ordering question's shuffled start: Needle, Screen, Reassess, Palpate."""


def match_item() -> SessionItem:
    return make_item(matching(), rights=MATCH_RIGHTS)


def order_item() -> SessionItem:
    return make_item(ordering(), order=ORDER)


# --- the test app ------------------------------------------------------------------------------


class QuestionScreen(Screen[None]):
    """Stands in for the question screen: binds f (flag) and enter (submit) like the real one."""

    BINDINGS = [Binding("f", "flag", "Flag"), Binding("enter", "submit", "Submit")]

    def __init__(self, widget: AnswerWidget) -> None:
        super().__init__()
        self.widget = widget
        self.flags = 0
        self.submits = 0
        self.changes = 0

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield self.widget

    def on_mount(self) -> None:
        self.widget.focus()

    def action_flag(self) -> None:
        self.flags += 1

    def action_submit(self) -> None:
        self.submits += 1

    @on(AnswerWidget.Changed)
    def _changed(self, event: AnswerWidget.Changed) -> None:
        assert event.widget is self.widget
        self.changes += 1


class WidgetApp(App[None]):
    """Mounts one answer widget on a :class:`QuestionScreen`."""

    def __init__(self, widget: AnswerWidget) -> None:
        super().__init__()
        self.widget = widget
        self.question_screen = QuestionScreen(widget)

    def on_mount(self) -> None:
        self.push_screen(self.question_screen)


def screen_text(app: App[object]) -> str:
    """The characters on screen, line by line."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def shown_text(widget: AnswerWidget) -> str:
    """The plain text of every displayed Static and row in ``widget`` (even off screen)."""
    return "\n".join(
        row_text(part) if isinstance(part, AnswerRow) else part.visual.plain  # type: ignore[attr-defined]
        for part in widget.query("Static, AnswerRow")
        if part.display
        and all(ancestor.display for ancestor in part.ancestors if hasattr(ancestor, "display"))
    )


async def reveal(app: WidgetApp, pilot: object, response: Response | None) -> None:
    question = app.widget.item.question
    grade = (
        grade_response(question, response)
        if response is not None
        else grade_response(question, _empty_response(question))
    )
    app.widget.reveal(grade, response)
    await pilot.pause()  # type: ignore[attr-defined]


def _empty_response(question: Question) -> Response:
    """A response that scores 0, to grade an unanswered question."""
    if isinstance(question, Matching):
        return MatchingResponse(matches=(None,) * len(question.pairs))
    if isinstance(question, Ordering):
        return OrderingResponse(order=tuple(reversed(range(len(question.items)))))
    return TextResponse(text="")


# --- the factory ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "widget_class"),
    [
        (single(), ChoiceAnswer),
        (multiple(), ChoiceAnswer),
        (true_false(), TrueFalseAnswer),
        (matching(), MatchingAnswer),
        (ordering(), OrderingAnswer),
        (short(), ShortAnswerInput),
    ],
)
def test_answer_widget_for_picks_the_widget_of_each_type(
    question: Question, widget_class: type[AnswerWidget]
) -> None:
    widget = answer_widget_for(make_item(question))
    assert type(widget) is widget_class
    assert widget.response() is None


# --- single and multiple choice -------------------------------------------------------------------


async def test_single_digit_and_letter_keys_pick_in_display_order() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single(), order=(2, 0, 3, 1))))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() is None
        await pilot.press("2")
        assert app.widget.response() == ChoiceResponse(frozenset({0}))
        await pilot.press("d")
        assert app.widget.response() == ChoiceResponse(frozenset({1}))
        assert app.question_screen.changes == 2


async def test_single_cursor_and_space() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single())))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "space")
        assert app.widget.response() == ChoiceResponse(frozenset({2}))
        await pilot.press("k", "space")
        assert app.widget.response() == ChoiceResponse(frozenset({1}))
        await pilot.press("space")  # picking the picked option again changes nothing
        assert app.question_screen.changes == 2
        await pilot.press("up", "up", "up", "space")  # the cursor stops at the first option
        assert app.widget.response() == ChoiceResponse(frozenset({0}))
        await pilot.press("ctrl+end", "space")
        assert app.widget.response() == ChoiceResponse(frozenset({3}))


async def test_multiple_keys_toggle() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(multiple())))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a", "3", "e")
        assert app.widget.response() == ChoiceResponse(frozenset({0, 2, 4}))
        await pilot.press("space")  # the cursor is on E, the last pick
        assert app.widget.response() == ChoiceResponse(frozenset({0, 2}))
        await pilot.press("1", "j", "space")  # A off; the cursor moves from A to B: B on
        assert app.widget.response() == ChoiceResponse(frozenset({1, 2}))
        await pilot.press("b", "c")
        assert app.widget.response() is None
        assert "Select all that apply" in screen_text(app)


async def test_clicking_an_option_picks_it() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single())))
    async with app.run_test(size=SIZE) as pilot:
        rows = list(app.widget.query("OptionRow"))
        await pilot.click(rows[2])
        assert app.widget.response() == ChoiceResponse(frozenset({2}))


async def test_pick_keys_beyond_the_options_fall_through_to_the_screen() -> None:
    """With four options, f and 5-9 do nothing in the widget; f reaches the screen."""
    app = WidgetApp(ChoiceAnswer(make_item(single(4))))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f", "5", "9", "e", "h")
        assert app.widget.response() is None
        assert app.question_screen.flags == 1
        assert app.question_screen.changes == 0


async def test_pick_key_f_picks_with_six_options() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single(6))))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f")
        assert app.widget.response() == ChoiceResponse(frozenset({5}))
        assert app.question_screen.flags == 0


async def test_enter_is_left_to_the_screen() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single())))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("1", "enter")
        assert app.question_screen.submits == 1


async def test_choice_restores_a_response() -> None:
    response = ChoiceResponse(frozenset({0, 4}))
    app = WidgetApp(ChoiceAnswer(make_item(multiple(), order=(4, 3, 2, 1, 0)), response=response))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() == response
        selected = [row.position for row in app.widget.query("OptionRow.-selected")]
        assert selected == [0, 4]
        await pilot.press("space")  # the cursor starts on the first picked option, E -> choice 4
        assert app.widget.response() == ChoiceResponse(frozenset({0}))


async def test_choice_reveal_shows_every_why_marks_and_unsafe() -> None:
    question = segment_single()
    app = WidgetApp(ChoiceAnswer(make_item(question)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("c")
        await reveal(app, pilot, app.widget.response())
        text = shown_text(app.widget)
        for choice in question.choices:
            assert choice.why is not None
            assert choice.why in text
        assert "UNSAFE: The lung apex lies under the trapezius" in text
        assert "UNSAFE: you picked an option that could cause harm." in text
        rows = list(app.widget.query("OptionRow"))
        assert rows[0].has_class("-correct") and not rows[0].has_class("-selected")
        assert rows[2].has_class("-wrong") and rows[2].has_class("-unsafe-pick")
        verdicts = [row.cells()[2].text.plain for row in rows]  # letter, box, verdict, text
        assert verdicts == ["✓", "", "✗", ""]


async def test_reveal_locks_the_keys_and_lets_them_through() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single(6))))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        await reveal(app, pilot, app.widget.response())
        await pilot.press("1", "space", "down", "f")
        assert app.widget.response() == ChoiceResponse(frozenset({1}))
        assert app.question_screen.flags == 1
        assert not app.widget.query("OptionRow.-cursor")


async def test_reveal_shows_the_given_response_not_the_widget_state() -> None:
    """Results review builds a fresh widget and reveals a stored answer."""
    question = multiple()
    app = WidgetApp(ChoiceAnswer(make_item(question)))
    async with app.run_test(size=SIZE) as pilot:
        await reveal(app, pilot, ChoiceResponse(frozenset({1})))
        assert [row.position for row in app.widget.query("OptionRow.-selected")] == [1]
        assert [row.position for row in app.widget.query("OptionRow.-wrong")] == [1]
        assert [row.position for row in app.widget.query("OptionRow.-correct")] == [0, 2]


async def test_unanswered_reveal_says_so() -> None:
    app = WidgetApp(ChoiceAnswer(make_item(single())))
    async with app.run_test(size=SIZE) as pilot:
        app.widget.reveal(grade_response(single(), ChoiceResponse(frozenset({1}))), None)
        await pilot.pause()
        assert "No answer given." in shown_text(app.widget)
        assert not app.widget.query("OptionRow.-selected")


async def test_bank_text_is_never_markup() -> None:
    """Choice texts and whys that look like markup show exactly as written."""
    app = WidgetApp(ChoiceAnswer(make_item(segment_single())))
    async with app.run_test(size=SIZE) as pilot:
        on_screen = screen_text(app)
        assert "[bold]Abductor pollicis brevis[/bold]" in on_screen
        assert "Triceps [C7]" in on_screen
        await reveal(app, pilot, ChoiceResponse(frozenset({3})))
        on_screen = screen_text(app)
        assert "Radial nerve, mainly [C7]" in on_screen
        assert "Axillary nerve, **C5** (C6)." in on_screen


# --- true / false -----------------------------------------------------------------------------


async def test_true_false_keys() -> None:
    app = WidgetApp(TrueFalseAnswer(make_item(true_false())))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("2")
        assert app.widget.response() == TrueFalseResponse(False)
        await pilot.press("a")
        assert app.widget.response() == TrueFalseResponse(True)
        await pilot.press("down", "space")
        assert app.widget.response() == TrueFalseResponse(False)
        await pilot.press("3", "c", "f")
        assert app.widget.response() == TrueFalseResponse(False)
        assert app.question_screen.flags == 1


async def test_true_false_restore_and_reveal() -> None:
    app = WidgetApp(TrueFalseAnswer(make_item(true_false()), response=TrueFalseResponse(False)))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() == TrueFalseResponse(False)
        await reveal(app, pilot, app.widget.response())
        text = shown_text(app.widget)
        assert "Gunn's model: radiculopathy causes neuropathic shortening [L4]." in text
        assert "It does not follow TCM meridians." in text
        true_row, false_row = app.widget.query("OptionRow")
        assert true_row.has_class("-correct") and false_row.has_class("-wrong")


# --- matching -------------------------------------------------------------------------------------


async def test_matching_keys_assign_and_advance() -> None:
    app = WidgetApp(MatchingAnswer(match_item()))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() is None
        await pilot.press("4")  # Deltoid -> C5, then on to Triceps
        assert app.widget.response() == MatchingResponse(("C5", None, None))
        await pilot.press("1", "3")
        assert app.widget.response() == MatchingResponse(("C5", "C7", "[L4]"))
        await pilot.press("backspace")  # the cursor stays on the last row
        assert app.widget.response() == MatchingResponse(("C5", "C7", None))
        await pilot.press("right", "right")
        assert app.widget.response() == MatchingResponse(("C5", "C7", "S1"))
        await pilot.press("left", "left")  # cycles round from the first option to the last
        assert app.widget.response() == MatchingResponse(("C5", "C7", "C5"))
        await pilot.press("k", "delete", "k", "delete", "j", "j", "delete")
        assert app.widget.response() is None


async def test_matching_keys_beyond_the_options_fall_through() -> None:
    app = WidgetApp(MatchingAnswer(match_item()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5", "9", "f")
        assert app.widget.response() is None
        assert app.question_screen.flags == 1


async def test_matching_restore_and_reveal() -> None:
    response = MatchingResponse(("C5", "S1", None))
    app = WidgetApp(MatchingAnswer(match_item(), response=response))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() == response
        assert "4 C5" in screen_text(app)
        await reveal(app, pilot, response)
        rows = list(app.widget.query("MatchRow"))
        assert [row.has_class("-right") for row in rows] == [True, False, False]
        text = shown_text(app.widget)
        assert "✓ C7" in text  # the correct option under the wrong one
        assert "✓ [L4]" in text
        assert "1 of 3 matched." in text
        assert "[L4]" in screen_text(app)


# --- ordering -------------------------------------------------------------------------------------


async def test_ordering_starts_shuffled_and_unanswered() -> None:
    app = WidgetApp(OrderingAnswer(order_item()))
    async with app.run_test(size=SIZE):
        assert app.widget.response() is None
        lines = screen_text(app)
        assert lines.index("Needle the muscle") < lines.index("Screen and consent")


async def test_ordering_keys_move_the_current_item() -> None:
    app = WidgetApp(OrderingAnswer(order_item()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("shift+down")  # Needle moves to 2
        assert app.widget.response() == OrderingResponse((0, 2, 3, 1))
        await pilot.press("]", "]")  # ... and on to 4; the cursor follows it
        assert app.widget.response() == OrderingResponse((0, 3, 1, 2))
        await pilot.press("[")
        assert app.widget.response() == OrderingResponse((0, 3, 2, 1))
        await pilot.press("up", "4")  # Reassess to the end
        assert app.widget.response() == OrderingResponse((0, 2, 1, 3))
        await pilot.press("up", "shift+up")  # Palpate up one
        assert app.widget.response() == OrderingResponse((0, 1, 2, 3))
        await pilot.press("5", "9", "f")
        assert app.question_screen.flags == 1
        assert app.widget.response() == OrderingResponse((0, 1, 2, 3))


async def test_ordering_space_grabs_and_carries() -> None:
    app = WidgetApp(OrderingAnswer(order_item()))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")  # grabbing keeps the shown order as an answer
        assert app.widget.response() == OrderingResponse(ORDER)
        await pilot.press("down", "down", "space", "up")
        assert app.widget.response() == OrderingResponse((0, 3, 2, 1))
        assert app.widget.cursor == 1


async def test_ordering_restore_and_reveal() -> None:
    response = OrderingResponse((0, 2, 1, 3))
    app = WidgetApp(OrderingAnswer(order_item(), response=response))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() == response
        await reveal(app, pilot, response)
        rows = list(app.widget.query("OrderRow").exclude(".-header"))
        assert [row.has_class("-right") for row in rows] == [True, False, False, True]
        text = shown_text(app.widget)
        assert "Your order" in text and "Correct order" in text
        assert "2 of 4 in place." in text
        await pilot.press("1", "shift+down", "f")
        assert app.widget.response() == response
        assert app.question_screen.flags == 1


# --- short answer -----------------------------------------------------------------------------


async def test_short_answer_types_and_enter_submits() -> None:
    app = WidgetApp(ShortAnswerInput(make_item(short())))
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.focused, Input)
        assert app.widget.response() is None
        await pilot.press("c", "5", "f")  # f is text here, not the flag key
        assert app.widget.response() == TextResponse("c5f")
        assert app.question_screen.flags == 0
        await pilot.press("backspace", "enter")  # enter is the screen's, as on every question
        assert app.question_screen.submits == 1
        assert app.widget.response() == TextResponse("c5")
        assert app.question_screen.changes == 4


async def test_short_answer_restore_and_reveal() -> None:
    app = WidgetApp(ShortAnswerInput(make_item(short()), response=TextResponse("C6")))
    async with app.run_test(size=SIZE) as pilot:
        assert app.widget.response() == TextResponse("C6")
        assert app.question_screen.changes == 0  # restoring is not a change
        await reveal(app, pilot, app.widget.response())
        assert app.widget.input.disabled
        text = shown_text(app.widget)
        assert "✗ Not accepted." in text
        assert "C5 root" in text and r"c\s*5" not in text  # the pattern is never shown
        await pilot.press("enter")  # enter reaches the screen again
        assert app.question_screen.submits == 1


# --- every widget -------------------------------------------------------------------------------


def every_widget() -> list[AnswerWidget]:
    return [
        ChoiceAnswer(make_item(single(8))),
        ChoiceAnswer(make_item(multiple())),
        TrueFalseAnswer(make_item(true_false())),
        MatchingAnswer(match_item()),
        OrderingAnswer(order_item()),
        ShortAnswerInput(make_item(short())),
    ]


@pytest.mark.parametrize("index", range(6))
async def test_widgets_take_only_the_height_they_need(index: int) -> None:
    """A prompt above the widget must not be pushed off screen by a stretched widget."""
    app = WidgetApp(every_widget()[index])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.widget.outer_size.height < 20
        assert app.widget.parent.scroll_y == 0  # type: ignore[union-attr]


@pytest.mark.parametrize("index", range(6))
async def test_reveal_before_mount_shows_the_key_once_mounted(index: int) -> None:
    """Results review may build a widget, reveal it, then mount it."""
    widget = every_widget()[index]
    question = widget.item.question
    widget.reveal(grade_response(question, _empty_response_for(question)), None)
    app = WidgetApp(widget)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert widget.revealed and widget.has_class("-revealed")
        assert "No answer given." in shown_text(widget)
        await pilot.press("1", "space", "f")
        assert widget.response() is None
        assert app.question_screen.flags == 1


def _empty_response_for(question: Question) -> Response:
    if isinstance(question, (SingleChoice, MultipleChoice)):
        return ChoiceResponse(frozenset({1}))
    if isinstance(question, TrueFalse):
        return TrueFalseResponse(not question.answer)
    return _empty_response(question)


# --- snapshots at 80x24 --------------------------------------------------------------------------


def _revealed(
    snap_compare,
    widget: AnswerWidget,
    response: Response | None,  # noqa: ANN001
) -> bool:
    """Compare a snapshot of ``widget`` revealed against ``response``."""

    async def reveal_first(pilot) -> None:  # noqa: ANN001
        question = widget.item.question
        grade = grade_response(question, response or _empty_response(question))
        widget.reveal(grade, response)
        await pilot.pause()

    return snap_compare(WidgetApp(widget), terminal_size=SIZE, run_before=reveal_first)


def test_snapshot_single_choice_unanswered(snap_compare) -> None:
    """Four lettered options A-D with empty round boxes; the cursor bar on option C (after two
    downs); a dim hint line "Pick one: 1-4 or A-D, or ↑↓ and space; x strikes out" above.
    "[bold]...[/bold]" and "[C7]" show literally."""
    app = WidgetApp(ChoiceAnswer(make_item(segment_single())))
    assert snap_compare(app, terminal_size=SIZE, press=["down", "down"])


def test_snapshot_single_choice_revealed_unsafe(snap_compare) -> None:
    """Option C (the trapezius toward the lung apex) was picked: its row is tinted, red ✗, and
    its why starts with a bold "UNSAFE:"; A (Deltoid) has a green ✓. Every option shows its why
    in muted text under it; a legend at the top ends with the UNSAFE warning line, "UNSAFE: you
    picked an option that could cause harm." (harm to anyone, not only a patient)."""
    widget = ChoiceAnswer(make_item(segment_single()))
    assert _revealed(snap_compare, widget, ChoiceResponse(frozenset({2})))


def test_snapshot_multiple_choice_revealed(snap_compare) -> None:
    """Square boxes; A and C are correct (green ✓), A and B were picked: A tinted green, B
    tinted red with ✗, C has ✓ with an empty box (missed). E's why starts with "UNSAFE:" but E
    was not picked, so no warning line in the legend."""
    widget = ChoiceAnswer(make_item(multiple()))
    assert _revealed(snap_compare, widget, ChoiceResponse(frozenset({0, 1})))


def test_snapshot_true_false_revealed(snap_compare) -> None:
    """True (green ✓, with why_true containing a literal "[L4]") and False (picked, red ✗,
    with why_false under it)."""
    widget = TrueFalseAnswer(make_item(true_false()))
    assert _revealed(snap_compare, widget, TrueFalseResponse(False))


def test_snapshot_matching_unanswered(snap_compare) -> None:
    """Three left items with arrows; Deltoid matched to "4 C5", the cursor bar on Triceps; the
    numbered options 1-4 below, C5 dimmed as used; "[L4]" shows literally. Under the hint, "Not
    matched yet: Triceps; Tibialis anterior" names the rows still empty."""
    app = WidgetApp(MatchingAnswer(match_item()))
    assert snap_compare(app, terminal_size=SIZE, press=["4"])


def test_snapshot_matching_revealed(snap_compare) -> None:
    """Deltoid → C5 green ✓; Triceps → S1 red ✗ with "✓ C7" in green under it; Tibialis
    anterior → "no answer" ✗ with "✓ [L4]" under it. The summary line says 1 of 3 matched; the
    options list is gone."""
    widget = MatchingAnswer(match_item())
    response = MatchingResponse(("C5", "S1", None))
    assert _revealed(snap_compare, widget, response)


def test_snapshot_ordering_grabbed(snap_compare) -> None:
    """Positions 1-4 in the shuffled order; "Needle the muscle" grabbed (bold, on an accent bar)
    and carried down to position 2; the hint reads "Carrying the item: ... space drops it"."""
    app = WidgetApp(OrderingAnswer(order_item()))
    assert snap_compare(app, terminal_size=SIZE, press=["space", "down"])


def test_snapshot_ordering_revealed(snap_compare) -> None:
    """Two columns under "Your order" / "Correct order": rows 1 and 4 green ✓, rows 2 and 3
    red ✗ (Needle and Palpate swapped); the correct order in green on the right."""
    widget = OrderingAnswer(order_item())
    assert _revealed(snap_compare, widget, OrderingResponse((0, 2, 1, 3)))


def test_snapshot_short_answer_revealed(snap_compare) -> None:
    """No hint line; the disabled input holding "C6", a red "✗ Not accepted.", then the accepted
    answers (C5, C5 root) with green ticks and, dim, "(and answers worded like these)": the
    author's pattern c\\s*5 is never shown."""
    widget = ShortAnswerInput(make_item(short()))
    assert _revealed(snap_compare, widget, TextResponse("C6"))
