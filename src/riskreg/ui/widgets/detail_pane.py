"""The pane beside a table (or the whole record screen): the highlighted record in full."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static


class DetailPane(VerticalScroll):
    """Scrolls; shows text built by `riskreg.ui.detail.render_detail`."""

    DEFAULT_CSS = """
    DetailPane {
        padding: 0 1;
        background: $surface;
        & > Static { width: 1fr; }
        &:focus { background-tint: $foreground 3%; }
    }
    """

    def compose(self) -> ComposeResult:
        yield Static("", markup=False, id="detail-text")

    def show(self, text: Text | str) -> None:
        self.query_one("#detail-text", Static).update(text)
        self.scroll_home(animate=False)

    @property
    def text(self) -> str:
        """What is shown, as plain text (for tests and screen readers)."""
        content = self.query_one("#detail-text", Static).content
        return str(content)
