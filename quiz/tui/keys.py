"""Keys as data: the help screen's lines and home's menu read the screens' own bindings.

A binding says what its key does on the help screen with its ``tooltip``; bindings that share a
:class:`~textual.binding.Binding.Group` make one line, the group's description, with their keys
side by side (``compact`` groups with one space between keys, others with two). A binding with
neither is not listed (its footer label says enough).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

if TYPE_CHECKING:
    from textual.screen import Screen

_NAMES = {"question_mark": "?", "escape": "esc", "shift+tab": "⇧tab"}
"""Keys whose Textual name is not what the trainee presses."""


class KeyLine(NamedTuple):
    """One line of the help screen: the keys and what they do."""

    keys: str
    meaning: str


def key_name(key: str) -> str:
    """How the help screen writes one key: ``?`` for ``question_mark``, ``F1`` for ``f1``."""
    if key in _NAMES:
        return _NAMES[key]
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    return key


def keys_of(binding: Binding) -> str:
    """A binding's keys as the help screen writes them: ``?  F1``."""
    return "  ".join(key_name(key.strip()) for key in binding.key.split(","))


def first_key(binding: Binding) -> str:
    """A binding's first key, as a menu shows it."""
    return key_name(binding.key.split(",")[0].strip())


def as_bindings(bindings: Iterable[BindingType]) -> list[Binding]:
    """``bindings`` as :class:`Binding` objects (a class's BINDINGS may hold tuples)."""
    return [item if isinstance(item, Binding) else Binding(*item) for item in bindings]


def binding_for(bindings: Iterable[BindingType], action: str) -> Binding:
    """The first of ``bindings`` that runs ``action``."""
    return next(binding for binding in as_bindings(bindings) if binding.action == action)


def key_lines(bindings: Iterable[BindingType]) -> list[KeyLine]:
    """The help screen's lines for ``bindings``, in their order (a group where it starts)."""
    entries: list[KeyLine | Binding.Group] = []
    keys_in: dict[Binding.Group, list[str]] = {}
    for binding in as_bindings(bindings):
        group = binding.group
        if group is not None:
            if group not in keys_in:
                keys_in[group] = []
                entries.append(group)
            keys_in[group].append(keys_of(binding))
        elif binding.tooltip:
            entries.append(KeyLine(keys_of(binding), binding.tooltip))
    return [
        entry
        if isinstance(entry, KeyLine)
        else KeyLine((" " if entry.compact else "  ").join(keys_in[entry]), entry.description)
        for entry in entries
    ]


def screen_commands(screen: Screen[Any]) -> Iterator[SystemCommand]:
    """The command palette's entries for ``screen``'s own keys that work now, one per action,
    each titled as its key bar (or menu) label and run as if its key were pressed."""
    seen: set[str] = set()
    for node, binding, enabled, tooltip in screen.active_bindings.values():
        if node is not screen or not enabled or binding.action in seen:
            continue
        if not (binding.show or tooltip or binding.group):
            continue
        seen.add(binding.action)
        meaning = tooltip or (binding.group.description if binding.group else binding.description)
        keys = "  ".join(key_name(key.strip()) for key in binding.key.split(",") if key.strip())
        yield SystemCommand(
            binding.description,
            f"{meaning} ({keys})",
            partial(screen.run_action, binding.action),
        )
