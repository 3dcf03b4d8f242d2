"""quiz.domain.text: the characters bank text may not carry, and how stray ones are shown."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from quiz.domain.text import FORBIDDEN, ZERO_WIDTH, codepoint, inert_json, visible


def test_terminal_controls_are_shown_as_escapes() -> None:
    assert visible("\x1b]0;title\x07") == "\\x1b]0;title\\x07"
    assert visible("\x1b]52;c;aGk=\x07") == "\\x1b]52;c;aGk=\\x07"
    assert visible("a\x1b[2Jb") == "a\\x1b[2Jb"
    assert visible("\x9b31m") == "\\x9b31m"
    assert visible("del\x7f") == "del\\x7f"
    assert visible("cr\rlf") == "cr\\x0dlf"


def test_bidi_controls_are_shown_as_escapes() -> None:
    assert visible("admin\u202e\u2066x") == "admin\\u202e\\u2066x"


def test_ordinary_text_is_kept_as_it_is() -> None:
    text = (
        "C5\u2013C6 \t tab\nnew line, [bold]not markup[/bold], emoji \U0001f468\u200d\u2695\ufe0f"
    )
    assert visible(text) is text


def test_zero_width_characters_are_named_but_not_forbidden() -> None:
    assert ZERO_WIDTH.search("a\u200bb") is not None
    assert FORBIDDEN.search("a\u200bb") is None
    assert codepoint("\x1b") == "U+001B"
    assert codepoint("\u202e") == "U+202E"


@given(st.text())
def test_visible_text_never_holds_a_forbidden_character(text: str) -> None:
    shown = visible(text)
    assert FORBIDDEN.search(shown) is None
    if FORBIDDEN.search(text) is None:
        assert shown == text


@given(st.recursive(st.text(), lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner)))
def test_inert_json_reads_back_the_same_data(data: object) -> None:
    document = json.dumps(data, ensure_ascii=False)
    inert = inert_json(document)
    assert FORBIDDEN.search(inert) is None
    assert json.loads(inert) == data
