"""The dashboard's panel of open incidents, each with the days left to its next deadline (red
when near or past); enter opens the incident at its step. Hidden while no incident is open."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from riskreg.ui.incidents.plan_view import days_tone, days_words
from riskreg.ui.render import plain, plural


class OpenIncidentsPanel(Vertical):
    DEFAULT_CSS = """
    OpenIncidentsPanel {
        border: round $panel-lighten-2;
        border-title-color: $text-primary;
        height: auto;
        padding: 0;
        display: none;
        &:focus-within { border: round $primary; }
        OptionList {
            height: auto;
            max-height: 4;
            border: none;
            padding: 0;
            background: transparent;
            text-wrap: nowrap;
            text-overflow: ellipsis;
        }
    }
    """

    def compose(self) -> ComposeResult:
        self.border_title = "Open incidents"
        self.border_subtitle = "enter opens · 7 all incidents"
        yield OptionList(id="open-incidents")

    def update(self, board: Any, palette: Any) -> None:  # noqa: ARG002 (every panel's update)
        """Called with the dashboard's read model, which holds the incidents owing a notice."""
        self.show_rows(list(board.open_incidents))

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        palette = self.app.palette  # type: ignore[attr-defined]
        options = []
        for row in rows:
            nxt = row["next_deadline"]
            days = nxt["days_left"]
            line = Text.assemble(
                (f"{days_words(days):>13}  ", palette[days_tone(days)]),
                (plain(row["reference"]), palette["bold"]),
                # The date before the name: at 80 columns the end of the line is cut.
                f"  {'by' if nxt.get('no_fixed_day') else 'due'} {nxt['due']}  "
                f"{plain(nxt['name'])}"
                + (" as soon as possible" if nxt.get("no_fixed_day") else ""),
                # Every notice still owed counts, not only the next one.
                (f" and {plural(nxt['owed'] - 1, 'more notice')} owed"
                 if nxt.get("owed", 0) > 1 else "", palette["warning"]),
                (" (incident closed)" if row["status"] == "closed" else "", palette["warning"]),
                (" (if a breach)" if nxt["tentative"] and not row["determination"] else "",
                 palette["muted"]),
                "  ", Text(plain(row["title"])), end="", no_wrap=True, overflow="ellipsis",
            )
            options.append(Option(line, id=row["reference"]))
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.set_options(options)
        if options:
            listing.highlighted = min(keep or 0, len(options) - 1)
        near = sum(1 for r in rows if r["next_deadline"]["days_left"] <= 14)
        self.border_subtitle = (f"{near} due within 14 days · " if near else "") + "enter opens"
        self.display = bool(rows)

    @on(OptionList.OptionSelected, "#open-incidents")
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        from riskreg.ui.incidents.area import open_incident

        if event.option.id:
            open_incident(self.app, event.option.id)
