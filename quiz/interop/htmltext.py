"""The little HTML Moodle's editors write, as Markdown: for the Moodle XML and GIFT importers."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Final


class _HtmlToMarkdown(HTMLParser):
    """The little HTML Moodle's editors write, as Markdown; anything else as its text."""

    _INLINE: Final = {"strong": "**", "b": "**", "em": "*", "i": "*", "code": "`"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list[int]] = []
        self.images = 0
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag == "br":
            self.out.append("\n")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "table", "tr"):
            self.out.append("\n\n")
        elif tag in ("ul", "ol"):
            self.lists.append([0 if tag == "ol" else -1])
            self.out.append("\n")
        elif tag == "li":
            marker = "- "
            if self.lists and self.lists[-1][0] >= 0:
                self.lists[-1][0] += 1
                marker = f"{self.lists[-1][0]}. "
            self.out.append("\n" + marker)
        elif tag in ("img", "video", "audio", "object", "embed", "iframe"):
            self.images += 1
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in self._INLINE:
            self.out.append(self._INLINE[tag])
        elif tag in ("ul", "ol") and self.lists:
            self.lists.pop()
            self.out.append("\n\n")
        elif tag in ("p", "div", "h1", "h2", "h3", "h4", "h5", "h6"):
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))

    def text(self) -> str:
        joined = "".join(self.out)
        joined = re.sub(r"[ \t]+\n", "\n", joined)
        return re.sub(r"\n{3,}", "\n\n", joined).strip()


_HAS_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")


def html_to_markdown(text: str) -> tuple[str, bool, int]:
    """``text`` (Moodle HTML) as Markdown: the text, whether markup was converted, images dropped.

    Text with no tags is only unescaped (``&amp;`` to ``&``).
    """
    if not _HAS_TAG.search(text):
        return html.unescape(text).strip(), False, 0
    converter = _HtmlToMarkdown()
    converter.feed(text)
    converter.close()
    return converter.text(), True, converter.images
