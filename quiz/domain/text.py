"""Text from banks is data: which characters it may not carry, and how to show any that slip by.

Banks come from people the trainee does not know. The validator rejects terminal controls in
bank text (:data:`FORBIDDEN`) and warns about invisible ones (:data:`ZERO_WIDTH`); every place
that prints bank-derived text passes it through :func:`visible` as well, so that a control that
reaches an output anyway (a bank loaded without validation, text in a database row, a message
quoting a file name) is drawn as a visible escape such as ``\\x1b`` and never drives the terminal.
"""

from __future__ import annotations

import re

__all__ = ["FORBIDDEN", "ZERO_WIDTH", "codepoint", "inert_json", "visible"]

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
"""C0 controls but tab and newline, DEL, C1 controls, and the bidi embedding, override and
isolate controls ("Trojan Source"). None of them has a place in question text."""

ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff]")
"""Zero-width spaces, joiners and marks, the word joiner and the BOM: invisible, so two ids
that look equal may differ. Errors in ids and keys, warnings in text (ZWJ joins emoji)."""


def codepoint(character: str) -> str:
    """``character`` as the Unicode standard names code points: ``U+001B``."""
    return f"U+{ord(character):04X}"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every :data:`FORBIDDEN` character written as a Python-style escape.

    ``"\\x1b]0;title\\x07"`` becomes the ten characters ``\\x1b]0;title\\x07``; tab, newline and
    every printable character, emoji and joiners included, are kept as they are.
    """
    if FORBIDDEN.search(text) is None:  # the common case: nothing to copy
        return text
    return FORBIDDEN.sub(_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def inert_json(document: str) -> str:
    """A JSON document with every :data:`FORBIDDEN` character written as a ``\\u`` escape.

    JSON escapes C0 controls itself but may carry DEL, C1 and bidi controls raw, which a
    terminal would obey. Outside strings a JSON document has only printable ASCII, so this
    changes only string contents, and only their spelling: the data read back is the same.
    """
    if FORBIDDEN.search(document) is None:
        return document
    return FORBIDDEN.sub(_json_escape, document)
