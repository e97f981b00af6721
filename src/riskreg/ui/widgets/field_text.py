"""A several-line text field (a form's description, the wizard's long answers): painted as it
is wrapped.

Textual's TextArea rewraps its text when its width changes but repaints only when the number of
wrapped lines changes. The 80x24 hazard form showed its description wrapped for the width it had
before the vertical scrollbar took two columns ("...sends the text to its" with "its" under the
scrollbar), and when the incident wizard's step rail opened or closed, an answer that stayed two
lines long kept its old wrapping, cut at the new edge.

A TextArea filled with text puts its cursor at the start: what was typed next went in front of
the answer (issue 17). Here the first focus after filling puts the cursor at the end (until
then the start shows).
"""

from __future__ import annotations

from textual import events
from textual.widgets import TextArea


class FieldText(TextArea):
    _fresh = True
    """Filled and not focused since: the first focus puts the cursor at the end. (Moving it
    there at once would scroll a long text to its end before anyone looks at it.)"""

    def load_text(self, text: str) -> None:
        super().load_text(text)
        self._fresh = True

    def on_focus(self, event: events.Focus) -> None:
        if self._fresh and not event.from_app_focus:
            self._fresh = False
            self.move_cursor(self.document.end)

    def _on_resize(self) -> None:
        super()._on_resize()
        self.refresh()  # the lines painted at the old width are stale even if their count is not
