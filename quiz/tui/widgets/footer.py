"""The key bar at the bottom of every screen: its keys on one line, drawn as one widget."""

from __future__ import annotations

from typing import NamedTuple

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widget import Widget

PALETTE_SEPARATOR = "▏"
KEY_STYLE = "bold $footer-key-foreground on $footer-key-background"
DESCRIPTION_STYLE = "$footer-description-foreground on $footer-description-background"


class _Key(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class Footer(Widget, can_focus=False):
    """The screen's keys (``⏎ Submit  f Flag ...``) and, on the right, the command palette's.

    Textual's own footer is a container with a widget per key, rebuilt whenever the bindings
    may have changed (every focus change): on the question screen it took about a fifteenth of
    the time to show the first question, and more to go to the next one. This one draws the same
    line from the screen's active bindings, and redraws it when they change. Clicking a key
    presses it; a disabled key is dim.
    """

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._spans: list[tuple[int, int, str]] = []
        """Where each key is drawn: (first column, end column, key)."""
        self._shown: tuple[tuple[_Key, ...], _Key | None] | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if screen is self.screen and self._keys() != self._shown:
            self.refresh()

    def _keys(self) -> tuple[tuple[_Key, ...], _Key | None]:
        """The keys to show, one per action, and the command palette's (if it has one).

        They come in the order the screen's BINDINGS (then the app's) declare them, each with
        the first of its keys that is active: Textual's active bindings are ordered by key, in
        which a screen's ``tab`` comes first because Textual's Screen binds it first.
        """
        app = self.app
        declared: dict[str, tuple[int, list[str]]] = {}
        for rank, binding in enumerate([*type(self.screen).BINDINGS, *app.BINDINGS]):
            if isinstance(binding, Binding):
                keys = [key.strip() for key in binding.key.split(",")]
                declared.setdefault(binding.action, (rank, keys))
        unknown: tuple[int, list[str]] = (len(declared), [])
        chosen: dict[str, tuple[int, Binding, bool]] = {}
        palette: _Key | None = None
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            if binding.key == app.COMMAND_PALETTE_BINDING and app.ENABLE_COMMAND_PALETTE:
                palette = self._key(binding, enabled)
                continue
            if not binding.show:
                continue
            keys = declared.get(binding.action, unknown)[1]
            place = keys.index(binding.key) if binding.key in keys else len(keys)
            if binding.action not in chosen or place < chosen[binding.action][0]:
                chosen[binding.action] = (place, binding, enabled)
        ordered = sorted(chosen, key=lambda action: declared.get(action, unknown)[0])
        shown = tuple(self._key(chosen[a][1], chosen[a][2]) for a in ordered)
        return shown, palette

    def _key(self, binding: Binding, enabled: bool) -> _Key:
        return _Key(binding.key, self.app.get_key_display(binding), binding.description, enabled)

    def render(self) -> Content:
        keys, palette = self._shown = self._keys()
        parts: list[Content] = []
        self._spans = []
        column = 0
        for key in keys:
            part = Content.assemble(
                (f" {key.display} ", KEY_STYLE), (f"{key.description} ", DESCRIPTION_STYLE)
            )
            if not key.enabled:
                part = part.stylize("dim")
            self._spans.append((column, column + part.cell_length, key.key))
            column += part.cell_length
            parts.append(part)
        line = Content("").join(parts)
        if palette is not None:
            right = Content.assemble(
                (PALETTE_SEPARATOR, "dim"),
                (f"{palette.display} ", KEY_STYLE),
                (f"{palette.description} ", DESCRIPTION_STYLE),
            )
            gap = self.size.width - line.cell_length - right.cell_length
            if gap > 0:
                start = line.cell_length + gap
                self._spans.append((start, start + right.cell_length, palette.key))
                line = Content.assemble(line, " " * gap, right)
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, key in self._spans:
            if start <= event.x < end:
                self.app.simulate_key(key)
                return
