"""A TextArea for long answers that re-wraps on screen when its width changes.

Textual's TextArea re-wraps its text on a resize but repaints only when the number of wrapped
lines changes: when the incident wizard's step rail opens or closes, an answer that stays two
lines long kept showing the old wrapping, cut at the new edge (words lost from view).
"""

from __future__ import annotations

from textual.widgets import TextArea


class LongText(TextArea):
    def _on_resize(self) -> None:
        super()._on_resize()
        self.refresh()  # the lines painted at the old width are stale even if their count is not
