"""A form's several-line text field (a description, notes): painted as it is wrapped.

Textual's TextArea rewraps its text when its width changes (the vertical scrollbar appearing
takes two columns) but repaints only when the number of wrapped lines changes. The 80x24 hazard
form then showed its description wrapped for the width it had before the scrollbar: "...sends
the text to its" with "its" under the scrollbar, until something else repainted the field.
"""

from __future__ import annotations

from textual.widgets import TextArea


class FieldText(TextArea):
    def on_resize(self) -> None:
        # Runs before TextArea's own resize handler (the subclass first); the repaint it asks
        # for happens after both, with the text rewrapped.
        self.refresh()
