"""The screen beneath a session asked for on the command line; it becomes home afterwards."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class StartScreen(Screen[None]):
    """Shows "Preparing…" while ``ims-quiz practice`` (and co.) sets its session up.

    Home is not built under the session: that would cost the first question a good part of its
    start-up budget. Whenever this screen shows again (the session is left or finished), it
    switches itself for home.
    """

    def __init__(self) -> None:
        super().__init__()
        self._covered = False
        self._replaced = False

    def compose(self) -> ComposeResult:
        yield Static(Text("Preparing your session…", style="dim"), id="starting")

    def on_screen_suspend(self) -> None:
        self._covered = True

    def on_screen_resume(self) -> None:
        if self._covered:
            self.become_home()

    def become_home(self) -> None:
        """Switch this screen for home (once; it must be the current screen)."""
        from quiz.tui.screens.home import HomeScreen

        if not self._replaced:
            self._replaced = True
            self.app.switch_screen(HomeScreen())
