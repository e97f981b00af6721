"""The command palette's incident commands: start one, and resume each open one."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from textual.app import SystemCommand


def incident_commands(app: Any) -> Iterator[SystemCommand]:
    from riskreg.ui.incidents.area import open_incident

    yield SystemCommand("New incident", "Something happened: record it and walk through the "
                        "breach steps", partial(open_incident, app, None))
    register = getattr(app, "register", None)
    if register is None:
        return
    from riskreg.errors import UserError
    from riskreg.services.incidents import IncidentService

    try:
        rows = IncidentService(register.db, today=register.today).list(include_closed=False)
    except UserError:
        return
    for row in rows:
        yield SystemCommand(f"Resume {row['reference']}: {row['title']}",
                            f"at step: {row['step_title']}", partial(open_incident, app,
                                                                     row["reference"]))
