"""A form's one-line text field: shows the start of what it holds.

Textual's Input, on gaining focus, selects its whole text with the cursor at the end, and so
scrolls a value longer than the field to its end: "I browser extension reads client records on
screen" for a title that starts "AI browser…" (finding 29). Here the whole text is still
selected (typing replaces it, as before), but the cursor is at the start, so the start is shown.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import Input
from textual.widgets.input import Selection


class FieldInput(Input):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Input's own select-on-focus is off: this class's handler runs before Input's (the
        # subclass first), so Input's would undo it.
        super().__init__(*args, select_on_focus=False, **kwargs)

    def on_focus(self, event: events.Focus) -> None:
        if not event.from_app_focus:
            self.selection = Selection(len(self.value), 0)

    def show_start(self) -> None:
        """Scroll back to the start of the text (a value put in after the field was built)."""
        self.scroll_to(0, animate=False, immediate=True)
