"""quiz.domain.plain: bank Markdown as short plain text."""

from __future__ import annotations

from quiz.domain.plain import first_line


def test_first_line_is_the_plain_text_of_a_prompts_first_line() -> None:
    assert first_line("\n  What is a muscle's **motor point**?\n\nMore.") == (
        "What is a muscle's motor point?"
    )
    assert first_line("Use *this*, _that_ and `code`") == "Use this, that and code"
    kept = "C5_C6 and snake_case stay; 2 * 3 * 4"
    assert first_line(kept) == kept
    assert first_line("[L4] [bold]x[/bold]") == "[L4] [bold]x[/bold]"
    assert first_line("x" * 80, limit=10) == "x" * 9 + "…"
