"""The areas of the app, in the order of the main screen's area bar. Each is one widget.

To add an area (the breach workflow's Incidents, say), add an `Area` here: it gets a title on
the area bar, a number key and a "Go to" command in the palette. Its widget subclasses
`widgets.area.AreaWidget`.
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
    make: Callable[[str], AreaWidget]
    """Builds its widget, given the widget's id."""
    kind: str | None = None
    """The kind of record it lists, if it is a register table."""

    def widget(self) -> AreaWidget:
        """A new widget for the area, with the area's id (the main screen finds it by that)."""
        return self.make(self.id)


def _dashboard(widget_id: str) -> AreaWidget:
    from riskreg.ui.widgets.dashboard import DashboardArea

    return DashboardArea(id=widget_id)


def _register(kind: str) -> Callable[[str], AreaWidget]:
    def make(widget_id: str) -> AreaWidget:
        from riskreg.ui.widgets.register_area import RegisterArea

        return RegisterArea(kind, id=widget_id)

    return make


def _incidents(widget_id: str) -> AreaWidget:
    from riskreg.ui.incidents.area import IncidentsArea

    return IncidentsArea(id=widget_id)


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
