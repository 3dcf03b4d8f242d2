"""Whatever a file holds, an import gives a bank with warnings or one ImportProblem: never
another exception."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.interop import ImportProblem, ImportResult
from quiz.interop.gift_read import import_gift
from quiz.interop.moodle_read import import_moodle_xml

FUZZ = settings(
    max_examples=int(os.environ.get("IMS_QUIZ_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
FIXTURES = Path(__file__).parent / "fixtures"
XML = (FIXTURES / "moodle_by_hand.xml").read_text()
GIFT = (FIXTURES / "gift_by_hand.gift").read_text()

XML_TOKENS = st.sampled_from(
    ['<question type="multichoice">', '<question type="category">', "<text>", "</text>",
     "<answer fraction=\"50\">", "</answer>", "<subquestion>", "</subquestion>", "<single>",
     "false", "</single>", "<tags><tag><text>ims:difficulty:9</text></tag></tags>",
     "<![CDATA[<p>x</p>]]>", "&amp;", "</question>", "<quiz>", "</quiz>", "<category>",
     "$course$/top/a//b", "<!-- ims-quiz-bank {} -->", "ims:unsafe:99", "<selecttype>"]
)  # fmt: skip
GIFT_TOKENS = st.sampled_from(
    ["::", "{", "}", "=", "~", "#", "####", "->", "%50%", "%-x%", "\\", "\n", "\n\n", "$CATEGORY:",
     "// [tag:ims:id:x]", "// [id:", "TRUE", "F", ">3 ALL", "[html]", "<b>", "T#a#b#c"]
)  # fmt: skip


def _check(reader: Callable[..., ImportResult], data: bytes) -> None:
    try:
        result = reader(data, "fuzz")
    except ImportProblem as problem:
        assert problem.format().startswith("fuzz")
        return
    for warning in result.warnings:
        assert warning.format().startswith("fuzz")


@FUZZ
@given(st.binary(max_size=400))
def test_random_bytes(data: bytes) -> None:
    _check(import_moodle_xml, data)
    _check(import_gift, data)


@FUZZ
@given(st.lists(st.one_of(XML_TOKENS, st.text(max_size=5)), max_size=40), st.integers(0, 2000))
def test_spliced_xml(tokens: list[str], cut: int) -> None:
    spliced = XML[:cut] + "".join(tokens) + XML[cut:]
    _check(import_moodle_xml, spliced.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.lists(st.one_of(GIFT_TOKENS, st.text(max_size=5)), max_size=40), st.integers(0, 900))
def test_spliced_gift(tokens: list[str], cut: int) -> None:
    spliced = GIFT[:cut] + "".join(tokens) + GIFT[cut:]
    _check(import_gift, spliced.encode("utf-8", "surrogatepass"))
