"""The base of every answer widget, and the factory that picks one for a question.

Each question type has its own widget module (``choice``, ``true_false``, ``matching``,
``ordering``, ``short``); they share this interface so that the question screen never needs to
know which one it shows:

* the widget is built from a :class:`~quiz.domain.session.SessionItem`, optionally with the
  trainee's previous :data:`~quiz.domain.grading.Response` (resume, exam navigation);
* it posts :class:`AnswerWidget.Changed` whenever the answer changes, and
  :meth:`AnswerWidget.response` reads the answer (``None`` while there is none);
* :meth:`AnswerWidget.reveal` locks it and shows the key, with the ``why`` of every option.

Keys are bindings on the widget. A binding that does not apply (a pick key beyond the last
option, or any answer key once the key is revealed) is disabled by :meth:`check_action`. The
pick keys (``a``-``h``, ``1``-``9``) pick and do nothing else: no screen binds them, so a key
beyond the last option does nothing, on every question alike.

Bank text is data, never markup: widgets render it as :class:`textual.content.Content` or, in
rows, :class:`rich.text.Text`, neither of which parses it.
"""

from __future__ import annotations

from typing import ClassVar, Final

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget

from quiz.domain.grading import Grade, Response
from quiz.domain.model import Question
from quiz.domain.session import SessionItem

RIGHT: Final = "✓"
"""Marks a correct option, or a pick that was right."""
WRONG: Final = "✗"
"""Marks a pick that was wrong."""
PICKED_ONE: Final = "(●)"
UNPICKED_ONE: Final = "( )"
PICKED_MANY: Final = "[●]"
UNPICKED_MANY: Final = "[ ]"

LETTER_KEYS: Final = "abcdefgh"
"""Letters that pick options 1-8, as an alternative to the digits."""


def digit_bindings(action: str, description: str) -> list[BindingType]:
    """Bindings ``1``-``9`` that run ``action(N)``, hidden from the footer."""
    return [
        Binding(str(number), f"{action}({number})", description, show=False)
        for number in range(1, 10)
    ]


def letter_bindings(action: str, description: str) -> list[BindingType]:
    """Bindings ``a``-``h`` that run ``action(N)`` with ``a`` = 1, hidden from the footer."""
    return [
        Binding(letter, f"{action}({number})", description, show=False)
        for number, letter in enumerate(LETTER_KEYS, start=1)
    ]


CURSOR_BINDINGS: Final[list[BindingType]] = [
    Binding("up,k", "cursor(-1)", "Up", show=False),
    Binding("down,j", "cursor(1)", "Down", show=False),
    # Home and End are the scrolling body's (the top of a long vignette, the end of the
    # feedback); ctrl with them jumps the cursor.
    Binding("ctrl+home", "cursor_to(0)", "First", show=False),
    Binding("ctrl+end", "cursor_to(-1)", "Last", show=False),
]


def option_letter(position: int) -> str:
    """The label of the option at 0-based ``position``: ``A``, ``B``, ..."""
    return chr(ord("A") + position)


def why_text(why: str | None, *, unsafe: bool, muted: Style, warning: Style) -> Text:
    """The explanation under an option: the bank's text, literally, led by ``UNSAFE:`` if needed.

    Markdown in ``why`` is shown as plain text; square brackets and asterisks survive as typed.
    """
    text = (why or "").strip()
    if not unsafe:
        return Text(text, style=muted)
    if not text:
        text = "picking this option could cause harm (to the patient, or to staff)."
    return Text.assemble(("UNSAFE: ", warning), (text, muted))


class AnswerWidget(Widget, can_focus=True):
    """Base: shows a SessionItem's answer options and collects a Response.

    Subclasses implement :meth:`response` and :meth:`_show_key`, list their answer actions in
    :attr:`ANSWER_ACTIONS` (disabled once revealed) and report how many options the pick keys
    may reach in :meth:`_pick_limit`.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "answer--right",
        "answer--wrong",
        "answer--warning",
    }
    """Text colours of the rows (see :mod:`quiz.tui.widgets._row`)."""

    DEFAULT_CSS = """
    AnswerWidget {
        height: auto;
        padding: 0 1;
        & .answer--hint {
            color: $text-muted;
            height: auto;
        }
        & > .answer--right { color: $text-success; text-style: bold; }
        & > .answer--wrong { color: $text-error; text-style: bold; }
        & > .answer--warning { color: $text-warning; text-style: bold; }
    }
    """

    EMPTY_HINT: ClassVar[str] = "Choose an answer first (1-9 or a-h, space to toggle)."
    """What to tell a trainee who submits before answering."""

    ANSWER_ACTIONS: ClassVar[frozenset[str]] = frozenset({"pick", "cursor", "cursor_to"})
    """Actions that change the answer or move the cursor; disabled once the key is revealed."""

    class Changed(Message):
        """The trainee changed the answer."""

        def __init__(self, widget: AnswerWidget) -> None:
            self.widget = widget
            super().__init__()

        @property
        def control(self) -> AnswerWidget:
            """The answer widget that changed (for ``@on(..., selector)``)."""
            return self.widget

    def __init__(
        self,
        item: SessionItem,
        *,
        response: Response | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """Build the widget for ``item``, showing ``response`` as the current answer if given."""
        super().__init__(id=id, classes=classes)
        self.item = item
        self.revealed = False
        """True once :meth:`reveal` has locked the widget."""
        self.grade: Grade | None = None
        """The grade passed to :meth:`reveal`, if revealed."""
        self.struck: set[int] = set()
        """Display positions of the options struck out while thinking (option lists only);
        the question screen hands them to the widget it builds when the trainee comes back."""
        self.frozen = False
        """True while the answer waits for its certainty: the answer keys do nothing."""
        self._revealed_response: Response | None = None
        self._mounted = False

    @property
    def question(self) -> Question:
        """The question being answered (each subclass narrows the type)."""
        return self.item.question

    def response(self) -> Response | None:
        """The trainee's answer, or ``None`` if they gave none yet."""
        raise NotImplementedError

    def reveal(self, grade: Grade, response: Response | None) -> None:
        """Lock the widget and show the key against ``response`` (the answer that was graded).

        Shows which options are correct, what was picked (right and wrong marks), the ``why`` of
        every option, and calls out unsafe picks. ``response`` wins over whatever the widget
        currently shows, so a freshly built widget can show any graded answer. May be called
        before the widget is mounted (the key is shown once it is).
        """
        self.revealed = True
        self.grade = grade
        self._revealed_response = response
        if self._mounted:
            self._show_key_now()
        else:
            self.add_class("-revealed")
        self.refresh_bindings()

    def on_mount(self) -> None:
        self._mounted = True
        if self.grade is not None:
            self._show_key_now()

    def _show_key_now(self) -> None:
        assert self.grade is not None
        # _show_key changes classes without restyling; one restyle of the subtree follows,
        # which keeps the keypress-to-feedback time low.
        self._show_key(self.grade, self._revealed_response)
        self.add_class("-revealed", update=False)
        self.update_node_styles()

    def _show_key(self, grade: Grade, response: Response | None) -> None:
        """Show the key: called by :meth:`reveal`, or on mount if revealed before.

        Change CSS classes with ``update=False``: the subtree is restyled once afterwards.
        """
        raise NotImplementedError

    def _pick_limit(self) -> int:
        """How many options the numbered pick keys can reach."""
        return 0

    def freeze(self, frozen: bool) -> None:
        """Freeze the answer (the certainty prompt is up) or let it change again."""
        self.frozen = frozen
        self.refresh_bindings()

    @property
    def locked(self) -> bool:
        """Whether the answer can change neither by key nor by mouse: its key is revealed, or
        it waits for its certainty (:meth:`freeze`)."""
        return self.revealed or self.frozen

    def take_shown(self) -> None:
        """Enter with no answer given: make what the widget shows the answer, where it shows
        one (the highlighted option, the order shown). Other widgets keep none."""

    def unmatched(self) -> list[str]:
        """What an answer begun leaves open, as the trainee reads it (a matching question's
        rows with no option yet); empty when the answer is whole or not begun."""
        return []

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Disable pick keys beyond the last option, and every answer key once revealed.

        A disabled binding lets the key fall through to the screen's bindings.
        """
        if action not in self.ANSWER_ACTIONS:
            return True
        if self.locked:
            return False
        if action == "pick" and parameters:
            number = parameters[0]
            return isinstance(number, int) and 1 <= number <= self._pick_limit()
        return True

    def _post_changed(self) -> None:
        """Tell the screen that the answer changed."""
        self.post_message(self.Changed(self))


def answer_widget_for(item: SessionItem, response: Response | None = None) -> AnswerWidget:
    """The answer widget for ``item``'s question type, showing ``response`` if given."""
    # Each type's module is imported when first needed (they import this one for the base
    # class); the first question then loads only its own widget.
    widget_class: type[AnswerWidget]
    match item.question.kind:
        case "single" | "multiple":
            from quiz.tui.widgets.choice import ChoiceAnswer as widget_class
        case "true_false":
            from quiz.tui.widgets.true_false import TrueFalseAnswer as widget_class
        case "matching":
            from quiz.tui.widgets.matching import MatchingAnswer as widget_class
        case "ordering":
            from quiz.tui.widgets.ordering import OrderingAnswer as widget_class
        case "short":
            from quiz.tui.widgets.short import ShortAnswerInput as widget_class
        case kind:
            raise ValueError(f"no answer widget for question type {kind!r}")
    return widget_class(item, response=response)
