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

from functools import cache

from markdown_it import MarkdownIt
from rich.style import StyleType
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.events import Mount
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

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


LAST_BLOCK = "-last"
"""The class of a :class:`BankMarkdown`'s last block, for the CSS rules that take the blank line
under it away (``#vignette > MarkdownBlock.-last``)."""


@cache
def _parser() -> MarkdownIt:
    """Markdown's own parser ("gfm-like", as Textual's Markdown builds for each update): one is
    enough, since parsing keeps no state in it."""
    return MarkdownIt("gfm-like")


class BankMarkdown(Markdown):
    """Markdown whose source is bank text (a prompt, an explanation, a vignette).

    Its blocks are built with it and changed at once, in the same frame as whatever else the
    caller changes (the first question's screen; the next question's prompt and its answer
    widget). Textual's own Markdown parses its text in a thread once mounted, and mounts the
    blocks a few frames later, each frame with its own layout.
    """

    def __init__(
        self, markdown: str | None = None, *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(None, id=id, classes=classes, parser_factory=_parser)
        self._source = "" if markdown is None else visible(markdown)
        """The text to compose the blocks of, until they are composed."""
        self._composed = False

    def compose(self) -> ComposeResult:
        self._composed = True
        yield from self._blocks(self._source)

    @on(Mount)
    def _composed_already(self, event: Mount) -> None:
        # Markdown's own mount handler would parse the text again, in a thread, and mount the
        # blocks frames later. (Widget's, which it would also skip, only shows the scrollbars of
        # an overflow: scroll widget.)
        event.prevent_default()

    def update(self, markdown: str) -> AwaitComplete:
        """Show ``markdown`` (bank text) instead; the blocks are mounted in this frame."""
        source = visible(markdown)
        if not self._composed:  # not yet composed: it will be, with this text
            self._source = source
            return AwaitComplete()
        blocks = self._blocks(source)
        with self.app.batch_update():
            removed = self.remove_children(MarkdownBlock)
            mounted = self.mount_all(blocks)
        self.post_message(
            Markdown.TableOfContentsUpdated(self, self.table_of_contents).set_sender(self)
        )
        return AwaitComplete(removed, mounted)

    def _blocks(self, source: str) -> list[MarkdownBlock]:
        """The blocks that show ``source``; it becomes the widget's text. Bank text is short:
        parsing it here takes less than a hop to a thread and back."""
        self._markdown = source
        self._table_of_contents = None
        lines = source.splitlines()
        self._last_parsed_line = len(lines) - (1 if lines and lines[-1] else 0)
        blocks = list(self._parse_markdown(_parser().parse(source)))
        if blocks:
            # A class rather than :last-child, which would make Textual restyle every block
            # (and all within it) once more after it is mounted.
            blocks[-1].add_class(LAST_BLOCK, update=False)  # styled when mounted
        return blocks
