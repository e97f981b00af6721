"""The command palette (ctrl+p): every action by name, and "go to" any record by its name.

Actions come from `app.get_system_commands` (see `action_commands`); records are searched in
SQL, a few of each kind, as the user types. Imported when the palette first opens, not at
start-up (textual.command and the dialogs it reaches cost a first frame ~0.1 s).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import SystemCommand
from textual.command import Hit, Hits, Provider

from riskreg.ui.areas import AREAS
from riskreg.ui.kinds import KINDS

if TYPE_CHECKING:
    from riskreg.ui.app import RiskRegApp


def action_commands(app: RiskRegApp) -> Iterator[SystemCommand]:
    """Every action, named as the user would look for it."""
    flows = app.flows
    for area in AREAS:
        yield SystemCommand(f"Go to {area.title}", f"Show the {area.title} area (key {area.key})",
                            partial(app.show_area, area.id))
    for spec in KINDS.values():
        yield SystemCommand(f"New {spec.singular}", f"Add a {spec.singular} to the register",
                            partial(flows.new, spec.kind))
    current = app.current_record()
    if current is not None:
        kind, record = current
        spec = KINDS[kind]
        title = spec.title_of(record)
        pid = record["public_id"]
        yield SystemCommand(f"Open this {spec.singular}", title, partial(app.open_record, kind, pid))
        yield SystemCommand(f"Edit this {spec.singular}", title, partial(flows.edit, kind, pid))
        if kind == "hazard":
            yield SystemCommand("Mark reviewed", f"Record a review of “{title}”",
                                partial(flows.review, pid))
            yield SystemCommand("Link safeguards", f"Safeguards answering “{title}”",
                                partial(flows.link, kind, pid, "safeguard"))
            yield SystemCommand("Link tools", f"Tools “{title}” concerns",
                                partial(flows.link, kind, pid, "tool"))
        elif kind in ("tool", "safeguard"):
            yield SystemCommand("Link hazards", f"Hazards linked to “{title}”",
                                partial(flows.link, kind, pid, "hazard"))
        if record.get("archived_at"):
            yield SystemCommand(f"Restore this {spec.singular}", title,
                                partial(flows.restore, kind, pid))
        else:
            yield SystemCommand(f"Archive this {spec.singular}", title,
                                partial(flows.archive, kind, pid))
    yield SystemCommand("Show archived records (or back)",
                        "In the current table, show archived records instead",
                        app.toggle_archived)
    yield SystemCommand("Heat map: inherent / current / target",
                        "Step the dashboard's heat map through the inherent, current and target "
                        "risk",
                        app.toggle_heat_map)
    from riskreg.ui.widgets.agenda_panel import show_agenda

    yield SystemCommand("What is due this week",
                        "Overdue and due in the next 7 days: reviews, safeguards, BAA expiries "
                        "and incident deadlines (riskreg due on the command line)",
                        partial(show_agenda, app))
    from riskreg.ui.dialogs.export_calendar import open_export_dialog

    yield SystemCommand("Export deadlines to a calendar (.ics)",
                        "Reviews, safeguards, BAA expiries and incident deadlines as calendar events",
                        partial(open_export_dialog, app))
    from riskreg.ui.dialogs.write_report import open_risk_analysis_dialog

    yield SystemCommand("Write the risk analysis report…",
                        "The documented risk analysis as of today, as HTML or Markdown",
                        partial(open_risk_analysis_dialog, app))
    from riskreg.ui.dialogs.settings import open_settings_dialog

    yield SystemCommand("Practice settings…",
                        "Practice name, practitioner, home state, internal target, calendar "
                        "alarms, last risk analysis review",
                        partial(open_settings_dialog, app))
    from riskreg.ui.incidents.commands import incident_commands

    yield from incident_commands(app)
    yield SystemCommand("Help: keys", "Every key, by where it applies", app.action_help)
    if app.register_empty:
        yield SystemCommand("Load the starter register",
                            "Fill the empty register with the starter catalog", app.load_starter)


class RecordsProvider(Provider):
    """Go to any record by typing part of its name (searched in SQL)."""

    @property
    def riskreg(self) -> RiskRegApp:
        return self.app  # type: ignore[return-value]

    async def search(self, query: str) -> Hits:
        register = self.riskreg.register
        if register is None or len(query.strip()) < 2:
            return
        from riskreg.ui.loaders import search_records

        found = await asyncio.to_thread(search_records, register, query.strip())
        matcher = self.matcher(query)
        for record in found:
            spec = KINDS[record["kind"]]
            title = spec.title_of(record)
            text = f"Go to {spec.singular}: {title}"
            score = matcher.match(text) or 0.1
            yield Hit(score, Text(text), partial(self.riskreg.open_record, spec.kind,
                                                 record["public_id"]),
                      text=text, help=f"{spec.singular} · {record.get('level', '') or ''}".strip(" ·"))
