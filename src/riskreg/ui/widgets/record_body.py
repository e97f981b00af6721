"""The record screen's body: the record in full, each linked record a line that takes the focus
(tab, or up/down among them) and opens on enter (finding 22: "Tools (1) Nabla-like AI scribe"
was text, and the linked tool could not be reached from the hazard).

The side pane beside each table stays one text (`DetailPane`): there the table has the keys.
"""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import Static

from riskreg.ui.messages import OpenRecord
from riskreg.ui.widgets.detail_pane import DetailPane

LinkSection = tuple[Text, list[tuple[str, str, Text]]]
"""A heading ("Tools (2)") and its linked records: (kind, public id, the line shown)."""


class LinkedRecord(Static, can_focus=True):
    """One linked record; enter (or a click) shows it in full."""

    DEFAULT_CSS = """
    LinkedRecord {
        height: auto;
        padding: 0 0 0 2;
        &:focus { background: $primary 40%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="linked-open"),
        Binding("down", "app.focus_next", "Next", show=False),
        Binding("up", "app.focus_previous", "Previous", show=False),
    ]

    def __init__(self, kind: str, public_id: str, line: Text) -> None:
        super().__init__(line, markup=False)
        self.kind = kind
        self.public_id = public_id

    def action_open(self) -> None:
        self.post_message(OpenRecord(self.kind, self.public_id))

    def on_click(self) -> None:
        self.action_open()


class RecordBody(DetailPane):
    """Scrolls; the record's fields, its linked records (focusable), reviews and history."""

    def compose(self):  # type: ignore[override]
        yield Static("", markup=False)  # no ids: a reload mounts before the old parts are gone

    def show(self, content: Any) -> None:
        self._clear()
        self._shown = content
        self.mount(Static(content, markup=False))

    def show_record(self, head: list[Any], sections: list[LinkSection], tail: Any) -> None:
        """`head`: renderables, each its own Static (no Group: see `detail.render_head`)."""
        focused = self.app.focused
        was = (focused.kind, focused.public_id) if isinstance(focused, LinkedRecord) else None
        self._clear()
        shown: list[Any] = list(head)
        widgets: list[Static] = [Static(part, markup=False) for part in head]
        for heading, links in sections:
            shown.append(heading)
            widgets.append(Static(heading, markup=False))
            for kind, public_id, line in links:
                shown.append(Text.assemble("  ", line))
                widgets.append(LinkedRecord(kind, public_id, line))
        shown.append(tail)
        widgets.append(Static(tail, markup=False))
        self._shown = Group(*shown)
        self.mount_all(widgets)
        if was is not None:  # reloaded under the focus (a change made elsewhere): keep it
            for widget in widgets:
                if isinstance(widget, LinkedRecord) and (widget.kind, widget.public_id) == was:
                    widget.focus(scroll_visible=False)
                    return
            self.focus()

    def _clear(self) -> None:
        self.remove_children()
