"""The pane beside a table (or the whole record screen): the highlighted record in full."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll):
    """Scrolls; shows what `riskreg.ui.detail.render_detail` builds (or a one-line hint)."""

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        background: $surface;
        & > Static { width: 1fr; }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._shown: Any = ""

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, id="detail-text")

    def show(self, content: Any) -> None:
        self._shown = content
        self.query_one("#detail-text", Static).update(content)
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What is shown, as plain text (for tests)."""
        if isinstance(self._shown, str):
            return self._shown
        from riskreg.ui.detail import plain_text

        return plain_text(self._shown, width=120)
