"""The help screen and home's menu are read from the screens' bindings."""

from __future__ import annotations

import string

from textual.binding import Binding

from quiz.tui.app import IMSQuizApp
from quiz.tui.keys import KeyLine, as_bindings, key_lines, keys_of
from quiz.tui.screens.exam import ExamScreen
from quiz.tui.screens.help import key_map
from quiz.tui.screens.home import MENU, HomeScreen
from quiz.tui.screens.practice import PracticeScreen
from quiz.tui.screens.question import CERTAINTY


def test_a_group_is_one_line_and_a_tooltip_lists_a_binding() -> None:
    compact = Binding.Group("one, two", compact=True)
    spaced = Binding.Group("three, four")
    bindings = [
        Binding("a", "one", group=compact),
        Binding("question_mark,f1", "help", tooltip="this help"),
        Binding("b", "two", group=compact),
        Binding("escape", "back"),  # neither: not listed
        Binding("c", "three", group=spaced),
        Binding("d", "four", group=spaced),
    ]
    assert key_lines(bindings) == [
        KeyLine("a b", "one, two"),
        KeyLine("?  F1", "this help"),
        KeyLine("c  d", "three, four"),
    ]


def test_the_help_screen_lists_the_bindings_of_home_and_the_question_screens() -> None:
    sections = dict(key_map())
    home_keys = " ".join(key for key, _, _ in MENU[:5])
    assert sections["Home"][0] == KeyLine(
        home_keys, "practice, exam, review due, weak areas, mistakes"
    )
    flag = next(b for b in PracticeScreen.BINDINGS if isinstance(b, Binding) and b.action == "flag")
    assert KeyLine(keys_of(flag), str(flag.tooltip)) in sections["Answering"]
    moves = KeyLine("tab  n ⇧tab  p", "next / previous question (answers are kept)")
    assert moves in sections["Exams"]
    every_line = [line for _, lines in key_map() for line in lines]
    assert len(every_line) == len(set(every_line))  # the exam's flag key is not listed twice
    assert all(
        b in ExamScreen.BINDINGS for b in PracticeScreen.BINDINGS if b in ExamScreen.BINDINGS
    )


def test_home_binds_each_menu_key() -> None:
    bound = {b.key: b.action for b in HomeScreen.BINDINGS if isinstance(b, Binding)}
    for key, choice, _ in MENU:
        assert bound[key] == f"choose('{choice}')"


def test_no_command_key_of_a_question_screen_is_a_pick_key_or_a_letter() -> None:
    """a-h and 1-9 pick options and nothing else; and since a short answer types every other
    printable key, every key the key bar shows on a question screen is a control key, tab, enter
    or esc (letters outside a-h are only aliases, hidden from the key bar)."""
    pick_keys = set("abcdefgh123456789")
    for bindings in (PracticeScreen.BINDINGS, ExamScreen.BINDINGS, IMSQuizApp.BINDINGS):
        for binding in as_bindings(bindings):
            if binding in CERTAINTY:
                continue  # only while the certainty prompt is up, when nothing is answered
            keys = [key.strip() for key in binding.key.split(",")]
            assert not pick_keys & set(keys), binding
            first = keys[0]
            assert first not in string.printable or first == "?", binding
