"""The key bar at the bottom of the screens: Textual's footer, rebuilt only when its keys change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's :class:`~textual.widgets.Footer`, minus the rebuilds that change nothing.

    Textual rebuilds the footer (a widget per key) whenever bindings may have changed: twice
    for every focus change, and again for each ``refresh_bindings``. Showing a question moves
    the focus several times, so the same footer was rebuilt five to seven times, a large part of
    the time to show a question. This footer rebuilds only when the keys it would show differ
    from the ones it shows.
    """

    _shown: Hashable = None

    async def recompose(self) -> None:
        if not self.is_attached or self._pruning:  # a scheduled rebuild after the screen went
            return
        keys = self._keys()
        if keys is not None and keys == self._shown:
            return
        self._shown = keys
        await super().recompose()

    def _keys(self) -> Hashable:
        """What the footer would show, or ``None`` before the screen's bindings are ready."""
        if not getattr(self, "_bindings_ready", True):
            return None
        keys = tuple(
            (
                binding.key,
                self.app.get_key_display(binding),
                binding.action,
                binding.description,
                binding.tooltip,
                enabled,
                tooltip,
            )
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
            if binding.show
        )
        return (self.compact, self.show_command_palette, keys)
