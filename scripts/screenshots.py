"""Regenerate the README's screenshots: the demo practice (seed 7) with the clock fixed, each main
screen saved as SVG into screenshots/, through the same app factory the CLI and the tests use.

    python scripts/screenshots.py                 # 120x40 into screenshots/
    python scripts/screenshots.py --size 100x32 --out /tmp/shots

Run it whenever the screens change. A screen that cannot be shown (not built yet, or broken) is
reported and skipped; the exit status is 1 if any was.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 26)
"""The demo's fixed 'today' (the same as the tests')."""
STAMP = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
"""Audit events are stamped at this moment, so nothing on screen depends on when this runs."""


def build_demo_database(folder: Path) -> Path:
    from riskreg.services.demo import build_demo
    from riskreg.services.demo_signoff import sign_last_year
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    path = folder / "demo.db"
    db = open_database(path)
    try:
        register = RegisterService(db, today=lambda: TODAY)
        build_demo(register, today=TODAY, seed=7)
        sign_last_year(register, TODAY)  # as `riskreg demo` does
    finally:
        db.close()
    return path


# -- driving the app -----------------------------------------------------------------------------


async def settle(pilot, rounds: int = 3) -> None:
    for _ in range(rounds):
        await pilot.pause(0.08)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot, condition: Callable[[], object], what: str, rounds: int = 400) -> None:
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.02)
    raise RuntimeError(f"timed out waiting for {what}")


async def ready(pilot) -> None:
    app = pilot.app
    await wait_for(pilot, lambda: app.register is not None or app.problem, "the register")
    if app.problem:
        raise RuntimeError(app.problem)
    await settle(pilot)


def steady(app) -> None:
    """No blinking cursors in a picture."""
    from textual.widgets import Input, TextArea

    for widget in [*app.screen.query(Input), *app.screen.query(TextArea)]:
        widget.cursor_blink = False


async def dashboard(pilot) -> None:
    await ready(pilot)


async def hazards(pilot) -> None:
    await ready(pilot)
    await pilot.press("3")
    await settle(pilot)


async def hazard_form(pilot) -> None:
    from riskreg.ui.dialogs.form import RecordForm

    await hazards(pilot)
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecordForm), "the hazard form")
    await settle(pilot)


async def incident_plan(pilot) -> None:
    from riskreg.services.incidents import IncidentService
    from riskreg.ui.incidents.screen import IncidentScreen

    app = pilot.app
    await ready(pilot)
    service = IncidentService(app.register.db, today=lambda: TODAY)
    planned = [r["reference"] for r in service.list() if service.plan(r["reference"])]
    if not planned:
        raise RuntimeError("the demo has no incident with a deadline plan")
    app.push_screen(IncidentScreen(planned[0]))
    await wait_for(pilot, lambda: isinstance(app.screen, IncidentScreen) and app.screen.panel,
                   "the incident screen")
    app.screen.show_step("plan")
    await wait_for(pilot, lambda: app.screen.panel is not None
                   and app.screen.panel.step_id == "plan", "the plan step")
    await settle(pilot)


async def export_dialog(pilot) -> None:
    from textual.screen import ModalScreen

    from riskreg.ui.dialogs.export_calendar import open_export_dialog

    await ready(pilot)
    open_export_dialog(pilot.app)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ModalScreen), "the export dialog")
    await settle(pilot)


async def changes(pilot) -> None:
    from riskreg.ui.screens.risk_analysis import ChangesScreen

    await ready(pilot)
    await pilot.press("c")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChangesScreen), "the changes")
    await settle(pilot)


SHOTS: dict[str, Callable[[object], Awaitable[None]]] = {
    "dashboard": dashboard,
    "hazards": hazards,
    "hazard-form": hazard_form,
    "incident-plan": incident_plan,
    "export-dialog": export_dialog,
    "changes": changes,
}


async def take(db_path: Path, name: str, drive, out: Path, size: tuple[int, int]) -> Path:
    from riskreg.ui.app import make_app

    app = make_app(db_path, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await drive(pilot)
        steady(app)
        await pilot.pause()
        written = app.save_screenshot(filename=f"{name}.svg", path=str(out))
    return Path(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "screenshots"), help="folder for the SVGs")
    parser.add_argument("--size", default="120x40", help="terminal size, COLUMNSxLINES")
    parser.add_argument("--only", help="comma-separated screen names: " + ", ".join(SHOTS))
    args = parser.parse_args(argv)
    columns, lines = (int(n) for n in args.size.lower().split("x"))
    names = args.only.split(",") if args.only else list(SHOTS)
    unknown = set(names) - set(SHOTS)
    if unknown:
        parser.error(f"unknown screens: {', '.join(sorted(unknown))}")

    # The same look on every machine: no theme or colour overrides, UTC, fixed audit stamps.
    for name in ("TEXTUAL_THEME", "NO_COLOR", "RISKREG_TODAY"):
        os.environ.pop(name, None)
    os.environ["TZ"] = "UTC"
    time.tzset()
    import riskreg.storage.audit

    riskreg.storage.audit.utcnow = lambda: STAMP

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    missing: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        os.environ["XDG_CONFIG_HOME"] = folder  # not the theme this machine's user chose
        db_path = build_demo_database(Path(folder))
        for name in names:
            try:
                written = asyncio.run(take(db_path, name, SHOTS[name], out, (columns, lines)))
            except Exception as error:  # noqa: BLE001 (a missing screen is reported, not fatal)
                missing.append(name)
                print(f"{name}: not taken ({type(error).__name__}: {error})", file=sys.stderr)
                continue
            print(f"{name}: {written}")
    if missing:
        print(f"missing: {', '.join(missing)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
