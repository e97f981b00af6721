"""Helpers for driving the app in pilot tests (imported by the tests in this folder)."""

from __future__ import annotations


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and their messages land (timers included: the detail pane waits
    60 ms after the cursor stops)."""
    for _ in range(rounds):
        await pilot.pause(0.08)
        await workers_done(pilot.app)
        await pilot.pause()


async def workers_done(app) -> None:
    """Wait for the app's workers. A worker cancelled meanwhile ends Textual's wait with
    WorkerCancelled: the detail pane's fetch is cancelled on purpose when a newer one starts
    (an exclusive group; at start-up, when the register opens within the 60 ms after the first
    rows, the first rows' fetch gives way to the services' one). Wait again for the others."""
    from textual.worker import WorkerCancelled

    for _ in range(50):
        going = [worker for worker in app.workers if not worker.is_cancelled]
        if not going:  # (an empty list would make Textual wait for every worker)
            return
        try:
            await app.workers.wait_for_complete(going)
            return
        except WorkerCancelled:
            continue
    raise AssertionError("workers kept being cancelled")


async def ready(pilot) -> None:
    """Wait until the database is open and the first area has loaded."""
    app = pilot.app
    for _ in range(200):
        if app.register is not None or app.problem:
            break
        await pilot.pause(0.02)
    await settle(pilot)


def area(app, kind: str):
    return app.main_screen.register_area(kind)


def table_titles(app, kind: str) -> list[str]:
    spec = area(app, kind).spec
    return [r[spec.title_field] for r in area(app, kind).table.records]


async def new_record_form(pilot):
    """n in the area shown: its new-record form, opened and settled."""
    from riskreg.ui.dialogs.form import RecordForm

    await pilot.press("n")
    await settle(pilot, 1)
    assert isinstance(pilot.app.screen, RecordForm)
    return pilot.app.screen


async def edit_record_form(pilot):
    """e in the area shown: the form editing the record under the cursor, opened and settled."""
    from riskreg.ui.dialogs.form import RecordForm

    await pilot.press("e")
    await settle(pilot, 1)
    assert isinstance(pilot.app.screen, RecordForm)
    return pilot.app.screen
