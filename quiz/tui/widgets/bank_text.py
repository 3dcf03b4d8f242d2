"""Bank text on screen: drawn literally, and never able to drive the terminal.

Banks come from people the trainee does not know. Their text is never read as markup (it goes
in as :class:`rich.text.Text`, :class:`textual.content.Content` or Markdown source), and any
control character that got past the validator (ESC, BEL, C1, bidi overrides) is shown as a
visible escape such as ``\\x1b`` (:func:`quiz.domain.text.visible`). The few places where bank
text reaches the screen use what is here: answer rows (:func:`visible_text`, in their render),
:class:`BankMarkdown` for prompts, explanations and vignettes, :func:`bank_text` for a line of
bank text in a Static, a table cell or a list, and the app's ``notify``.
"""

from __future__ import annotations

from rich.style import StyleType
from rich.text import Text
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown

from quiz.domain.text import FORBIDDEN, visible


def bank_text(text: str, style: StyleType = "") -> Text:
    """``text`` from a bank as a Rich Text, controls shown as escapes."""
    return Text(visible(text), style=style)


def visible_text(text: Text) -> Text:
    """``text`` (a Rich Text that may hold bank text) with controls shown as escapes; its
    styles are kept on the characters they were on."""
    if FORBIDDEN.search(text.plain) is None:  # the common case: nothing to copy
        return text
    cuts = sorted({span.start for span in text.spans} | {span.end for span in text.spans})
    shown = text.blank_copy()
    for piece in text.divide(cuts):
        start = len(shown)
        shown.append(visible(piece.plain), style=piece.style)
        for span in piece.spans:  # each covers the whole piece: it was cut at every span's ends
            shown.stylize(span.style, start, len(shown))
    return shown


class BankMarkdown(Markdown):
    """Markdown whose source is bank text (a prompt, an explanation, a vignette)."""

    def __init__(
        self, markdown: str | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(None if markdown is None else visible(markdown), id=id, classes=classes)

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown`` (bank text) instead."""
        return super().update(visible(markdown))
