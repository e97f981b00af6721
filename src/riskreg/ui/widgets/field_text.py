"""A several-line text field (a form's description, the wizard's long answers): painted as it
is wrapped.

Textual's TextArea rewraps its text when its width changes but repaints only when the number of
wrapped lines changes. The 80x24 hazard form showed its description wrapped for the width it had
before the vertical scrollbar took two columns ("...sends the text to its" with "its" under the
scrollbar), and when the incident wizard's step rail opened or closed, an answer that stayed two
lines long kept its old wrapping, cut at the new edge.

A TextArea filled with text puts its cursor at the start: what was typed next went in front of
the answer (issue 17). Here the cursor is at the end of what it is filled with (the start is
still what shows: `scroll_home`).
"""

from __future__ import annotations

from textual.widgets import TextArea


class FieldText(TextArea):
    def on_mount(self) -> None:
        self._cursor_to_end()

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self._cursor_to_end()

    def _cursor_to_end(self) -> None:
        self.move_cursor(self.document.end)
        if not self.has_focus:
            self.scroll_home(animate=False, immediate=True)

    def _on_resize(self) -> None:
        super()._on_resize()
        self.refresh()  # the lines painted at the old width are stale even if their count is not
