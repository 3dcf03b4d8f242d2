"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message


class ServicesReady(Message):
    """Banks are loaded and the progress store is open, or opening it failed with ``error``."""

    def __init__(self, error: str | None = None) -> None:
        super().__init__()
        self.error = error
