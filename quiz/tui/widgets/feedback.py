"""The feedback under an answered question: verdict, explanation and references."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from quiz.domain.cbm import Certainty, cbm_mark, confident_error
from quiz.domain.grading import Grade
from quiz.domain.session import SessionItem
from quiz.domain.text import visible
from quiz.tui.widgets.bank_text import BankMarkdown


def verdict_text(grade: Grade | None, certainty: Certainty | None = None) -> Text:
    """The verdict: correct, partly right with the score, incorrect, or unanswered; with a
    certainty, a second line with the CBM mark, naming a confident error or unsafe pick."""
    if grade is None:
        return Text("○ Not answered", style="bold dim")
    if grade.correct:
        text = Text("✔ Correct", style="bold green")
    elif grade.score > 0:
        text = Text(f"◐ Partly right ({grade.score:.0%})", style="bold yellow")
    else:
        text = Text("✘ Incorrect", style="bold red")
    if grade.unsafe:
        text.append("   ⚠ UNSAFE choice: this option could cause harm", style="bold red")
    if certainty is None:
        return text
    mark = cbm_mark(grade.score, certainty)
    text.append(f"\nYou said {certainty.label}: CBM mark {mark:+.4g}", style="bold")
    confident = certainty > Certainty.NOT_SURE
    if grade.unsafe and confident:
        text.append(
            f"\n⚠ CONFIDENT UNSAFE PICK: you were {certainty.label} of an option that could "
            "cause harm. Read why below before you treat anyone.",
            style="bold reverse red",
        )
    elif confident_error(grade.score, certainty):
        text.append(
            f"\n✘ Confident error: you were {certainty.label} and wrong. A misconception to fix.",
            style="bold red",
        )
    return text


def verdict_banner(grade: Grade, certainty: Certainty | None = None) -> Text:
    """The verdict in a few words, for the status line, which is always on screen (the panel
    may be below the fold at 80x24): "✔ Correct", "◐ Partly right 75%", "⚠ Unsafe pick",
    "⚠ Confident unsafe pick", "✘ Confident error"."""
    confident = certainty is not None and certainty > Certainty.NOT_SURE
    if grade.unsafe:
        return Text("⚠ Confident unsafe pick" if confident else "⚠ Unsafe pick", style="bold red")
    if confident_error(grade.score, certainty):
        return Text("✘ Confident error", style="bold red")
    if grade.correct:
        return Text("✔ Correct", style="bold green")
    if grade.score > 0:
        return Text(f"◐ Partly right {grade.score:.0%}", style="bold yellow")
    return Text("✘ Incorrect", style="bold red")


class FeedbackPanel(Vertical):
    """Verdict, the explanation (Markdown) and the citations of the question's refs.

    Built with an ``item`` it shows that item's explanation from the start; :meth:`prepare`
    changes it later. The verdict can be set before the panel is mounted.
    """

    DEFAULT_CSS = """
    FeedbackPanel { height: auto; margin-top: 1; border-top: solid $primary; padding: 0 1; }
    FeedbackPanel #verdict { margin-bottom: 1; }
    FeedbackPanel #references { margin-top: 1; }
    /* One blank line, not two, between the explanation and the references. */
    FeedbackPanel #explanation > MarkdownBlock.-last { margin-bottom: 0; }
    """

    def __init__(self, item: SessionItem | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._verdict = Static(id="verdict")
        self._explanation = BankMarkdown(
            item.question.explanation if item else None, id="explanation"
        )
        self._references = Static(references_text(item) if item else "", id="references")

    def compose(self) -> ComposeResult:
        yield self._verdict
        yield self._explanation
        yield self._references

    def show(
        self, item: SessionItem, grade: Grade | None, certainty: Certainty | None = None
    ) -> None:
        """Fill the panel for ``item`` answered with ``grade`` (``None``: unanswered)."""
        self.prepare(item)
        self.show_grade(grade, certainty)

    def prepare(self, item: SessionItem) -> None:
        """Fill in ``item``'s explanation and references, ahead of the grade.

        The question screen calls this while the panel is still hidden: Markdown takes a few
        frames to mount, which would otherwise delay the feedback after the answer key.
        """
        self._explanation.update(item.question.explanation)
        self._references.update(references_text(item))

    def show_grade(self, grade: Grade | None, certainty: Certainty | None = None) -> None:
        """Show the verdict for ``grade`` (``None``: unanswered), said with ``certainty``."""
        self._verdict.update(verdict_text(grade, certainty))


def references_text(item: SessionItem) -> Text:
    """The full citations of the question's refs (resolved on the session item)."""
    references = Text("References\n", style="bold dim")
    for reference in item.references:
        references.append(f"• {visible(reference.citation)}\n", style="dim")
    return references
