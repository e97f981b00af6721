"""What the app's screens, widgets and record actions may ask of it (issue 18, review 4.1).

They read this Protocol, not `RiskRegApp`: ui/app.py imports the main screen, the commands and
the record actions, so a child that imported it, even for a type, would close an import circle through
the whole of ui/. `RiskRegApp` satisfies it (tests/test_architecture.py checks every member), and
a child reaches it as `self.riskreg`, its app seen through this Protocol (`riskreg_of`).

Textual's own App methods (notify, push_screen, run_worker) stay on `self.app`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

from textual.screen import Screen

if TYPE_CHECKING:
    from riskreg.services.bundle import Services
    from riskreg.services.register import RegisterService
    from riskreg.ui.render import Palette


class AppContext(Protocol):
    """The open register and what the app does for its children."""

    today: Callable[[], date]
    """The clock: what day it is (fixed in tests and screenshots)."""
    db_path: Path
    services: Services | None
    """The open register's services, once the database is open."""
    register_empty: bool
    main_screen: Screen
    """The main screen (typed as a Screen: its module imports the areas, which read this)."""

    @property
    def register(self) -> RegisterService | None: ...

    @property
    def palette(self) -> Palette: ...

    def first_page(self, kind: str, limit: int) -> list[dict[str, Any]] | None: ...

    def register_changed(self, kind: str) -> None: ...

    def current_record(self) -> tuple[str, dict[str, Any]] | None: ...

    def show_area(self, area_id: str) -> None: ...

    def open_record(self, kind: str, public_id: str) -> None: ...

    def toggle_archived(self) -> None: ...

    async def toggle_heat_map(self) -> None: ...

    def load_starter(self) -> None: ...

    def action_help(self) -> None: ...


def riskreg_of(app: object) -> AppContext:
    """`app` (a RiskRegApp) as its children see it."""
    return cast("AppContext", app)
