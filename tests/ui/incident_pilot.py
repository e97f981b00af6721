"""Helpers for driving the breach workflow in pilot tests (imported by test_incidents_*.py)."""

from __future__ import annotations

from datetime import date

from clock import FIXED_TODAY
from pilot_helpers import ready, settle

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False, "could_not_retain": False}
FACTOR_IDS = ("nature_extent", "recipient", "acquired_viewed", "mitigation")


def incidents_service(db, today: date = FIXED_TODAY):
    from riskreg.services.incidents import IncidentService

    return IncidentService(db, today=lambda: today)


def seed_to_plan(svc, *, discovered="2026-11-02", affected=3, residents=None, statements=(),
                 **intake):
    """An incident walked through the services up to its plan step (notification required)."""
    r = svc.create({"title": "Laptop stolen from the car", "discovered_on": discovered,
                    "description": "The practice laptop was taken from the car.", **intake})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "diagnosis"]}, r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "high", "notes": "noted"}
                                           for k in FACTOR_IDS}}, r["revision"])
    r = svc.save_determination(ref, {"choice": "notification_required",
                                     "rationale": "Presumed; all factors high.",
                                     "decided_on": discovered}, r["revision"])
    r = svc.save_scope(ref, {"affected": affected, "residents": residents or {"CO": affected}},
                       r["revision"])
    for statement in statements:
        r = svc.add_statement(ref, statement, r["revision"])
    return svc.complete_step(ref, "law_enforcement", r["revision"])


def screen(app):
    from riskreg.ui.incidents.screen import IncidentScreen

    assert isinstance(app.screen, IncidentScreen), app.screen
    return app.screen


async def wait_for(pilot, condition, what: str, rounds: int = 300) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def open_incidents(pilot) -> None:
    from riskreg.ui.dialogs.welcome import WelcomeDialog

    await ready(pilot)
    if isinstance(pilot.app.screen, WelcomeDialog):  # an empty register greets first
        await pilot.press("escape")
        await settle(pilot)
    await pilot.press("7")
    await settle(pilot)


async def open_wizard(pilot, ref: str | None = None) -> None:
    """From the Incidents area: n for a new incident, or enter on `ref`'s row."""
    from riskreg.ui.incidents.screen import IncidentScreen

    app = pilot.app
    await open_incidents(pilot)
    if ref is None:
        await pilot.press("n")
    else:
        area = app.main_screen.area_widget("incidents")
        row = [r["reference"] for r in area.rows].index(ref)
        area.table.move_cursor(row=row)
        await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.panel,
                   "the incident screen")
    await settle(pilot)


async def at_step(pilot, step: str) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: screen(app).shown == step and screen(app).panel is not None
                   and screen(app).panel.step_id == step, f"step {step}")
    await settle(pilot, 2)


def fill(app, **values) -> None:
    """Put values in the shown panel's fields, by the service's field names ("__" for ".")."""
    from riskreg.ui.incidents.form import set_value

    panel = screen(app).panel
    for name, value in values.items():
        set_value(panel.widget(name.replace("__", ".")), value)


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await settle(pilot)


async def click(pilot, selector: str) -> None:
    """Click a button of the shown screen, scrolling it into view first, as a user would."""
    widget = pilot.app.screen.query_one(selector)
    widget.scroll_visible(animate=False)
    await pilot.pause()
    await pilot.click(selector)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


def plain_text(static, width: int = 200) -> str:
    """What a Static shows, as plain text (its content may be a rich renderable)."""
    import io

    from rich.console import Console

    console = Console(width=width, file=io.StringIO(), color_system=None, legacy_windows=False)
    console.print(static.content)
    return console.file.getvalue()


def panel_text(app) -> str:
    """Everything the shown panel says, as plain text."""
    from textual.widgets import Static

    panel = screen(app).panel
    return "\n".join(plain_text(s) for s in panel.query(Static) if s.display)
