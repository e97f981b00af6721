"""The base of every area the main screen's area bar switches between."""

from __future__ import annotations

from typing import Any

from textual.widget import Widget

from riskreg.ui.context import AppContext, riskreg_of


class AreaWidget(Widget):
    """An area loads its data when shown, and again when the register changes."""

    DEFAULT_CSS = """
    AreaWidget {
        height: 1fr;
    }
    """

    stale: bool = True
    """Its data is out of date: reload when next shown."""

    @property
    def riskreg(self) -> AppContext:
        return riskreg_of(self.app)

    def activated(self, focus: bool = True) -> None:
        """The area was shown: load if needed, focus its main widget (unless the user is
        stepping through the areas on the area bar, which keeps the focus)."""
        if self.stale and self.riskreg.register is not None:
            self.stale = False
            self.reload()
        if focus:
            self.focus_main()

    def register_changed(self, kind: str, active: bool) -> None:  # noqa: ARG002 (see below)
        """Something was written; reload now if shown, else when next shown. (Whatever its
        kind: an area also shows what links to the records it lists, and the dashboard counts
        every kind, so `kind` is not used to skip an area.)"""
        self.stale = True
        if active and self.riskreg.register is not None:
            self.stale = False
            self.reload()

    def register_ready(self) -> None:
        """The database is open (the area may have shown that it was waiting for it)."""

    def reload(self) -> None:
        """Load the area's data (in a worker)."""

    def focus_main(self) -> None:
        """Focus the widget a user works in first."""

    def current(self) -> tuple[str, dict[str, Any]] | None:
        """The record the user is on, as (kind, record), if any."""
        return None
