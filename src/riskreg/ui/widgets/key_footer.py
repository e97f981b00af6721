"""The footer: the keys that work where the user is, fitted to the width of the screen.

Textual's Footer lays every key out in one line and lets the line run off the right edge: at
80 columns it ended "? He▏^p palette", at 60 a stray letter showed beside "^p palette". This
one chooses the keys that fit: the rarest go first (DROP_FIRST), then from the end of the line;
the help key always stays, so every other key is one press away. Keys of another part of the
screen (the area's, the screen's, the app's) are set apart by a wider gap, and a group of keys
(1-7 for the areas) reads as one key, "1-7 Areas".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

DROP_FIRST = (
    "area",  # the number keys: the area bar at the top shows each with its area
    "filter",  # the filter line shows "/ filter …" as its placeholder
    "sort", "archived", "link-tools",
)
"""Binding ids (or their prefix before "-") whose keys give way first at narrow widths, the
first first. Keys not listed give way after them, from the end of the line."""

NEVER_DROPPED = ("clear-filter",)
"""Binding ids whose keys stay, as help does: esc is shown only while the table is narrowed (a
typed filter, a heat-map cell) and is the way back to every record."""

PALETTE_CELLS = 1
"""The command palette's key is docked right, after a one-cell rule."""


@dataclass(frozen=True)
class Entry:
    """One key (or group of keys) as the footer shows it."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    gap: bool
    """The first key of another part of the screen (a wider gap before it)."""
    rank: int
    """Where it stands in DROP_FIRST (0: not listed; -1: never dropped)."""
    group: Any = None

    @property
    def cells(self) -> int:
        text = self.display + (f" {self.description}" if self.description else "")
        return cell_len(text) + 1 + self.gap  # compact: a margin of one after each key


class KeyFooter(Footer):
    """A compact footer that shows only the keys that fit, the help key always."""

    DEFAULT_CSS = """
    KeyFooter.-compact FooterKey.-gap { margin-left: 2; }  /* margins collapse: one more */
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self._shown: tuple[Entry, ...] = ()

    def compose(self) -> Any:
        if not self._bindings_ready:
            return
        entries = self._entries()
        self._shown = fit_entries(entries, self._width() - self._palette_cells())
        for entry in self._shown:
            yield FooterKey(entry.key, entry.display, entry.description, entry.action,
                            disabled=not entry.enabled, tooltip=entry.tooltip,
                            classes="-gap" if entry.gap else "")
        if self._palette_cells():
            yield from self._palette_key()

    def on_resize(self) -> None:
        if self._bindings_ready and fit_entries(
                self._entries(), self._width() - self._palette_cells()) != self._shown:
            self.call_after_refresh(self.recompose)

    def _width(self) -> int:
        return self.size.width or self.screen.size.width

    def _palette_binding(self) -> Any:
        if not (self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE):
            return None
        return self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)

    def _palette_cells(self) -> int:
        """The palette key's cells, or 0 when it is not there or the help key alone fills
        the line."""
        active = self._palette_binding()
        if active is None:
            return 0
        cells = cell_len(f"{self.app.get_key_display(active.binding)} "
                         f"{active.binding.description}") + PALETTE_CELLS
        return cells if self._width() >= cells + 8 else 0

    def _palette_key(self) -> Any:
        _node, binding, enabled, _tooltip = self._palette_binding()
        yield FooterKey(binding.key, self.app.get_key_display(binding), binding.description,
                        binding.action, classes="-command-palette", disabled=not enabled,
                        tooltip=binding.tooltip or binding.description)

    def _entries(self) -> list[Entry]:
        """The keys to show, in the order of the bindings (the focused part first)."""
        app = self.app
        active = self.screen.active_bindings
        help_shown = any(b.show and b.action == "help" for _, b, _, _ in active.values())
        by_action: dict[str, list[Any]] = {}
        for node, binding, enabled, tooltip in active.values():
            if binding.key == app.COMMAND_PALETTE_BINDING:
                continue
            # Help always shows: by F1 where a text field takes `?` as text.
            if binding.show or (binding.action == "help" and not help_shown):
                by_action.setdefault(binding.action, []).append((node, binding, enabled, tooltip))
        entries: list[Entry] = []
        group_keys: dict[Any, list[str]] = {}
        group_tips: dict[Any, list[str]] = {}  # "1 Dashboard · 2 Tools …": each key's own words
        last_node = None
        for bindings in by_action.values():
            node, binding, enabled, tooltip = bindings[0]
            group = binding.group
            display = app.get_key_display(binding)
            if group is not None and group in group_keys:
                group_keys[group].append(display)  # the group's entry shows it
                group_tips[group].append(f"{display} {binding.description}")
                continue
            # The screen's and the app's keys are set apart from those of the part in focus.
            gap = bool(entries) and node is not last_node and isinstance(node, (Screen, App))
            last_node = node
            if group is not None:
                group_keys[group] = [display]
                group_tips[group] = [f"{display} {binding.description}"]
            entries.append(Entry(binding.key, display,
                                 group.description if group is not None else binding.description,
                                 binding.action, enabled,
                                 "" if group is not None else tooltip, gap,
                                 _rank(binding), group))
        return [replace(e, display=_keys(group_keys[e.group]),
                        tooltip=" · ".join(group_tips[e.group])) if e.group is not None else e
                for e in entries]


def _keys(displays: list[str]) -> str:
    """A group's keys as one: "s/S"; "1-7" for more than two."""
    return "/".join(displays) if len(displays) <= 2 else f"{displays[0]}-{displays[-1]}"


def _rank(binding: Binding) -> int:
    if binding.action == "help" or binding.id in NEVER_DROPPED:
        return -1
    ident = binding.id or ""
    for names in (ident, ident.split("-")[0]):
        if names in DROP_FIRST:
            return len(DROP_FIRST) - DROP_FIRST.index(names)
    return 0


def fit_entries(entries: list[Entry], width: int) -> tuple[Entry, ...]:
    """The entries that fit in `width` cells: DROP_FIRST's first, then the last of the line,
    never help."""
    shown = list(entries)
    while sum(e.cells for e in shown) > width:
        droppable = [e for e in shown if e.rank >= 0]
        if not droppable:
            break
        listed = [e for e in droppable if e.rank > 0]
        shown.remove(max(listed, key=lambda e: e.rank) if listed else droppable[-1])
    if shown and shown[0].gap:  # what led the line has given way: no gap at its start
        shown[0] = replace(shown[0], gap=False)
    return tuple(shown)
