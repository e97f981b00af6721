"""A save while another window holds the database's write lock: how long until the screen
answers a key, until the form says it is waiting, and until the save lands once the lock goes.
Prints figures; never fails on timing.

    python benchmarks/save_under_lock.py [--runs 5] [--hold 2.0]

Each run builds a small register in a private temporary folder, opens the app headless (80x24)
on the Hazards area, edits a hazard's title, takes the write lock from a second sqlite3
connection (as a second riskreg window's save does), presses ctrl+s, then tab, and measures:

baseline   F1 to the help screen shown, with no save running (what a key costs anyway);
answers    the same while the save waits for the lock (the UI thread is free);
waiting    ctrl+s to the form saying "Waiting for the register" (after SLOW_SAVE);
lands      the lock released (after --hold seconds) to the form closed with the save done;
busy       with the busy timeout cut to 1 s and the lock kept: ctrl+s to the "busy" message.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

TODAY = date(2026, 11, 26)


def build(folder: Path) -> Path:
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    path = folder / "riskreg.db"
    db = open_database(path)
    register = RegisterService(db, today=lambda: TODAY)
    for n in range(20):
        register.create("hazard", {"title": f"Hazard {n:02}", "likelihood": 3, "impact": 3,
                                   "target_likelihood": 2, "target_impact": 2})
    db.close()
    return path


async def wait(pilot, condition, limit: float = 15.0) -> float:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > limit:
            raise TimeoutError
        await pilot.pause(0.002)
    return time.perf_counter() - start


async def help_key(pilot) -> float:
    """Seconds from pressing F1 (help, a priority key) to the help screen shown; then closes it."""
    from riskreg.ui.screens.help import HelpScreen

    start = time.perf_counter()
    await pilot.press("f1")
    await wait(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
    took = time.perf_counter() - start
    await pilot.press("escape")
    await wait(pilot, lambda: not isinstance(pilot.app.screen, HelpScreen))
    return took


async def one_run(path: Path, hold: float, busy: bool) -> dict[str, float]:
    from riskreg.ui.app import make_app
    from riskreg.ui.dialogs.form import RecordForm

    app = make_app(path, today=TODAY, area="hazards")
    figures: dict[str, float] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await wait(pilot, lambda: app.register is not None)
        await pilot.pause(0.5)
        await pilot.press("e")
        await wait(pilot, lambda: isinstance(app.screen, RecordForm))
        form = app.screen
        await pilot.pause(0.3)
        await pilot.press("end", *" edited")
        figures["baseline"] = await help_key(pilot)
        lock = sqlite3.connect(path, isolation_level=None, timeout=0.1)
        lock.execute("BEGIN IMMEDIATE")
        try:
            start = time.perf_counter()
            await pilot.press("ctrl+s")
            await pilot.pause(0.05)
            figures["answers"] = await help_key(pilot)
            if busy:
                await wait(pilot, lambda: "busy" in form.problem_shown())
                figures["busy"] = time.perf_counter() - start
                return figures
            await wait(pilot, lambda: "Waiting" in form.problem_shown())
            figures["waiting"] = time.perf_counter() - start
            await asyncio.sleep(max(0.0, hold - (time.perf_counter() - start)))
        finally:
            lock.rollback()
            lock.close()
        released = time.perf_counter()
        await wait(pilot, lambda: app.screen is app.main_screen)
        figures["lands"] = time.perf_counter() - released
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hold", type=float, default=2.0)
    args = parser.parse_args()
    os.umask(0o077)
    import riskreg.storage.database as database

    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="riskreg-bench-") as tmp:
        for run in range(args.runs):
            for busy in (False, True):
                folder = Path(tmp) / f"{run}-{busy}"
                folder.mkdir()
                database.BUSY_TIMEOUT_MS = 1_000 if busy else 10_000
                figures = asyncio.run(one_run(build(folder), args.hold, busy))
                for name, value in figures.items():
                    results.setdefault(("busy " if busy else "") + name, []).append(value)
    print(f"save under a held write lock, {args.runs} runs, load average "
          f"{os.getloadavg()[0]:.1f}")
    for name, values in results.items():
        ms = sorted(v * 1000 for v in values)
        print(f"  {name:<14} median {statistics.median(ms):7.1f} ms   max {ms[-1]:7.1f} ms")


if __name__ == "__main__":
    main()
