"""The areas of the app, in tab order. Each is one widget under the main screen's tabs.

To add an area (the breach workflow's Incidents, say), add an `Area` here: it gets a tab, a
number key and a "Go to" command in the palette. Its widget subclasses `widgets.area.AreaWidget`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from riskreg.ui.widgets.area import AreaWidget


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    key: str
    """The number key that shows it."""
    make: Callable[[], AreaWidget]
    kind: str | None = None
    """The kind of record it lists, if it is a register table."""


def _dashboard() -> AreaWidget:
    from riskreg.ui.widgets.dashboard import DashboardArea

    return DashboardArea(id="dashboard-area")


def _register(kind: str) -> Callable[[], AreaWidget]:
    def make() -> AreaWidget:
        from riskreg.ui.widgets.register_area import RegisterArea

        return RegisterArea(kind, id=f"{kind}-area")

    return make


def _incidents() -> AreaWidget:
    from riskreg.ui.incidents.area import IncidentsArea

    return IncidentsArea(id="incidents-area")


AREAS: tuple[Area, ...] = (
    Area("dashboard", "Dashboard", "1", _dashboard),
    Area("tools", "Tools", "2", _register("tool"), "tool"),
    Area("hazards", "Hazards", "3", _register("hazard"), "hazard"),
    Area("safeguards", "Safeguards", "4", _register("safeguard"), "safeguard"),
    Area("owners", "Owners", "5", _register("owner"), "owner"),
    Area("consents", "AI consent", "6", _register("consent"), "consent"),
    Area("incidents", "Incidents", "7", _incidents),
)

AREA_OF_KIND = {a.kind: a for a in AREAS if a.kind}


def area(area_id: str) -> Area:
    for a in AREAS:
        if a.id == area_id:
            return a
    raise KeyError(area_id)
