"""The command palette (ctrl+p): every action by name, and "go to" any record by its name.

Actions come from `app.get_system_commands` (see `action_commands`); records are searched in
SQL, a few of each kind, as the user types. Imported when the palette first opens, not at
start-up (textual.command and the dialogs it reaches cost a first frame ~0.1 s).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial

from rich.text import Text
from textual.app import App, SystemCommand
from textual.command import Hit, Hits, Provider

from riskreg.ui.areas import AREAS
from riskreg.ui.context import AppContext, riskreg_of
from riskreg.ui.kinds import KINDS
from riskreg.ui.messages import RecordAction

LINKED = {"safeguard": "Safeguards answering “{title}”", "tool": "Tools “{title}” concerns",
          "hazard": "Hazards linked to “{title}”"}
"""What the palette's "Link …" says, by the kind linked to."""


def action_commands(app: App[None]) -> Iterator[SystemCommand]:
    """Every action, named as the user would look for it (`app`: a RiskRegApp)."""
    riskreg = riskreg_of(app)
    for area in AREAS:
        yield SystemCommand(f"Go to {area.title}", f"Show the {area.title} area (key {area.key})",
                            partial(riskreg.show_area, area.id))
    for spec in KINDS.values():
        yield SystemCommand(f"New {spec.singular}", f"Add a {spec.singular} to the register",
                            partial(app.post_message, RecordAction("new", spec.kind)))
    current = riskreg.current_record()
    if current is not None:
        kind, record = current
        spec = KINDS[kind]
        title = spec.title_of(record)
        pid = record["public_id"]
        yield SystemCommand(f"Open this {spec.singular}", title,
                            partial(riskreg.open_record, kind, pid))
        yield SystemCommand(f"Edit this {spec.singular}", title,
                            partial(app.post_message, RecordAction("edit", kind, pid)))
        if spec.names.reviewed:
            yield SystemCommand("Mark reviewed", f"Record a review of “{title}”",
                                partial(app.post_message, RecordAction("review", kind, pid)))
        for other in spec.names.links:
            yield SystemCommand(f"Link {KINDS[other].plural}", LINKED[other].format(title=title),
                                partial(app.post_message, RecordAction("link", kind, pid, other)))
        if record.get("archived_at"):
            yield SystemCommand(f"Restore this {spec.singular}", title,
                                partial(app.post_message, RecordAction("restore", kind, pid)))
        else:
            yield SystemCommand(f"Archive this {spec.singular}", title,
                                partial(app.post_message, RecordAction("archive", kind, pid)))
    yield SystemCommand("Show archived records (or back)",
                        "In the current table, show archived records instead",
                        riskreg.toggle_archived)
    yield SystemCommand("Heat map: inherent / current / target",
                        "Step the dashboard's heat map through the inherent, current and target "
                        "risk",
                        riskreg.toggle_heat_map)
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
    from riskreg.ui.screens.risk_analysis import open_changes, open_review, open_sign_dialog

    yield SystemCommand("Sign the risk analysis…",
                        "A read-only snapshot of the register as it stands, signed (key g on the "
                        "dashboard)", partial(open_sign_dialog, app))
    yield SystemCommand("Changes since last sign-off",
                        "Hazards, tools, BAAs, safeguards and incidents since the last signed "
                        "analysis (key c on the dashboard)", partial(open_changes, app))
    yield SystemCommand(f"Start the {riskreg.today().year} review",
                        "The year's checklist: each hazard reviewed or carried forward, each BAA "
                        "and addressable decision confirmed (key v on the dashboard)",
                        partial(open_review, app))
    from riskreg.ui.dialogs.settings import open_settings_dialog

    yield SystemCommand("Practice settings…",
                        "Practice name, practitioner, home state, internal target, calendar "
                        "alarms, last risk analysis review",
                        partial(open_settings_dialog, app))
    from riskreg.ui.incidents.commands import incident_commands

    yield from incident_commands(app)
    yield SystemCommand("Help: keys", "Every key, by where it applies", riskreg.action_help)
    if riskreg.register_empty:
        yield SystemCommand("Load the starter register",
                            "Fill the empty register with the starter catalog", riskreg.load_starter)


class RecordsProvider(Provider):
    """Go to any record by typing part of its name (searched in SQL)."""

    @property
    def riskreg(self) -> AppContext:
        return riskreg_of(self.app)

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
