"""quiz.domain.plain: bank Markdown as short plain text."""

from __future__ import annotations

from quiz.domain.plain import first_line, response_text


def test_first_line_is_the_plain_text_of_a_prompts_first_line() -> None:
    assert first_line("\n  What is a muscle's **motor point**?\n\nMore.") == (
        "What is a muscle's motor point?"
    )
    assert first_line("Use *this*, _that_ and `code`") == "Use this, that and code"
    kept = "C5_C6 and snake_case stay; 2 * 3 * 4"
    assert first_line(kept) == kept
    assert first_line("[L4] [bold]x[/bold]") == "[L4] [bold]x[/bold]"
    assert first_line("x" * 80, limit=10) == "x" * 9 + "…"


def test_a_response_in_the_questions_own_words() -> None:
    from quiz.domain.grading import (
        ChoiceResponse,
        MatchingResponse,
        OrderingResponse,
        TextResponse,
        TrueFalseResponse,
    )
    from tests.engine_helpers import bank_from_yaml

    questions = {q.id: q for q in bank_from_yaml().questions}
    cases = [
        ("clean-technique", ChoiceResponse(frozenset({2, 0})), "Single use | Recap the needle"),
        ("multi-roots", TrueFalseResponse(False), "false"),
        (
            "myotome-match",
            MatchingResponse(("Shoulder abduction", None, "Hip adduction")),
            "C5 → Shoulder abduction; C7 → —; T1 → Hip adduction",
        ),
        ("end-order", OrderingResponse((3, 0, 1, 2)), "Wash hands | Withdraw | Dispose | Record"),
        ("elbow-root", TextResponse("c7 root"), "c7 root"),
        ("c5-myotome", ChoiceResponse(frozenset({9})), ""),  # no longer fits: an edited question
        ("c5-myotome", TextResponse("x"), ""),
    ]
    for question_id, response, expected in cases:
        assert response_text(questions[question_id], response) == expected
