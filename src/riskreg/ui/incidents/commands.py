"""The command palette's incident commands: start one, resume each open one, and write the
dossier of the one the user is on."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import SystemCommand

from riskreg.ui.render import plain


def incident_commands(app: Any) -> Iterator[SystemCommand]:
    from riskreg.ui.incidents.area import open_incident

    yield SystemCommand("New incident", "Something happened: record it and walk through the "
                        "breach steps", partial(open_incident, app, None))
    register = getattr(app, "register", None)
    if register is None:
        return
    ref = current_incident(app)
    if ref is not None:
        from riskreg.ui.dialogs.write_report import open_dossier_dialog

        yield SystemCommand(f"Write the dossier for {ref}…",
                            "Its timeline, determination, deadlines, notices and audit trail, "
                            "as HTML or Markdown", partial(open_dossier_dialog, app, ref))
    # Read in a thread by the app whenever incidents change: the palette asks for its commands
    # on the UI thread, where no database session is opened.
    for row in getattr(app, "open_incidents", ()):
        yield SystemCommand(f"Resume {plain(row['reference'])}: {plain(row['title'])}",
                            f"at step: {row['step_title']}", partial(open_incident, app,
                                                                     row["reference"]))


def current_incident(app: Any) -> str | None:
    """The incident the user is on: the incident screen's (once saved), else the one highlighted
    in the Incidents area when it is shown."""
    from riskreg.ui.incidents.area import IncidentsArea
    from riskreg.ui.incidents.screen import IncidentScreen

    for screen in reversed(app.screen_stack):
        if screen.is_modal:
            continue
        if isinstance(screen, IncidentScreen):
            return screen.ref
        if screen is getattr(app, "main_screen", None):
            area = screen.active_area
            return area.current_ref() if isinstance(area, IncidentsArea) else None
        return None
    return None
