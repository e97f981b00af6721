"""A one-line text field (the forms, the wizard, the dialogs): what it holds is kept when it
gains focus.

Textual's Input, on gaining focus, selects its whole text: one key typed then replaced a record's
name, and one BackSpace wiped a date the save had just sent the focus back to (issue 17). Here
the cursor goes to the end of the value and nothing is selected. When the focus leaves, the field
shows the start of its text again: a title longer than the field read "I browser extension reads
client records on screen" for one starting "AI browser…" (finding 29).
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
            self.selection = Selection.cursor(len(self.value))

    def on_blur(self) -> None:
        self.show_start()

    def show_start(self) -> None:
        """Scroll back to the start of the text (a value put in after the field was built)."""
        self.scroll_to(0, animate=False, immediate=True)
