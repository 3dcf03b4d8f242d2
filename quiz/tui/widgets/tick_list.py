"""A SelectionList whose unticked boxes are empty, so that ticked and unticked differ without
colour (NO_COLOR, monochrome terminals): Textual's draws an X in both and tells them apart by
colour alone."""

from __future__ import annotations

from typing import TypeVar

from rich.segment import Segment
from textual.binding import Binding
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

SelectionType = TypeVar("SelectionType")


class TickList(SelectionList[SelectionType]):
    """A :class:`~textual.widgets.SelectionList` with ``▐X▌`` ticked and ``▐ ▌`` unticked, and
    ``ctrl+a`` to tick every line, or none once every line is ticked."""

    BINDINGS = [Binding("ctrl+a", "tick_every", "All/none", tooltip="tick every line, or none")]

    def action_tick_every(self) -> None:
        """Tick every line; untick them all if every line is ticked already."""
        if self.option_count and len(self.selected) == self.option_count:
            self.deselect_all()
        else:
            self.select_all()

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        try:
            selection = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return line
        if selection.value in self._selected:
            return line
        segments = list(line)
        if len(segments) < 3:
            return line
        left, inner, right, *rest = segments
        blank = Segment(" " * len(inner.text), inner.style, inner.control)
        return Strip([left, blank, right, *rest], line.cell_length)
