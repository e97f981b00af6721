"""Calendar exports through the ledger (issue 20): an .ics file and a vdir, for N events. Prints
figures; never fails on timing.

    python benchmarks/calendar_targets.py [--sizes 1000,10000]

For each size, N all-day review events (one per synthetic hazard, made by the real event
builder, `riskreg.domain.calendar_register.hazard_events`) are exported by the real service
(`CalendarService.export` / `export_vdir`: the ledger read, `reconcile`, the rendering, the
atomic writes, the ledger committed) into a fresh database in a private temporary folder,
three times: first (empty ledger: every event written), again unchanged (same bytes; the vdir
writes nothing), and after a tenth of the dates moved and a tenth of the events removed (the
removed ones come back cancelled). Reading the register is left out (the events are made
inside the export from plain records, as `events()` makes them from the register's rows):
`benchmarks/run.py` measures that part through the CLI. "events" is what the register gives;
the file or folder then also holds the cancellations. Each figure: wall time and the peak of Python allocations during the export
(tracemalloc, which slows the run; the time is measured in a separate untraced run).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

TODAY = date(2026, 11, 26)


def hazards(n: int, moved: bool = False) -> list[dict]:
    at = datetime(2026, 11, 1, tzinfo=UTC)
    out = []
    for i in range(n):
        if moved and i % 10 == 1:
            continue  # removed: comes back cancelled
        day = TODAY + timedelta(days=1 + i % 700)
        revision = 1
        if moved and i % 10 == 0:
            day += timedelta(days=30)
            revision = 2
        out.append({"public_id": f"{i:08d}-0000-4000-8000-000000000000",
                    "title": f"Hazard number {i} of the benchmark register", "revision": revision,
                    "updated_at": at, "archived_at": None, "status": "open",
                    "treatment": "mitigate", "review_cadence_months": 12,
                    "last_reviewed_on": None, "next_review_on": day,
                    "acceptance_expires_on": None})
    return out


def events_of(records: list[dict]):
    from riskreg.domain.calendar_events import EventInputs, build_events

    return build_events(EventInputs(hazards=records), TODAY, groups=("reviews",))


def measure(run, traced: bool) -> tuple[float, float]:
    if traced:
        tracemalloc.start()
        run()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return 0.0, peak / 1e6
    start = time.perf_counter()
    run()
    return time.perf_counter() - start, 0.0


def one_size(n: int, folder: Path) -> list[tuple[str, str, float, float, int]]:
    from riskreg.services.calendar import CalendarService, ExportOptions
    from riskreg.storage.database import open_database

    rows = []
    for traced in (False, True):
        db = open_database(folder / f"bench-{n}-{traced}.db")
        try:
            state = {"moved": False}
            service = CalendarService(db, today=lambda: TODAY)
            # The events made inside the export, as `events()` makes them, without the register.
            service.events = lambda *_, state=state: events_of(hazards(n, state["moved"]))
            for what, target in (("file", folder / f"cal-{n}-{traced}.ics"),
                                 ("vdir", folder / f"vdir-{n}-{traced}")):
                state["moved"] = False

                def export(what=what, target=target):
                    if what == "file":
                        return service.export(target, ExportOptions())
                    return service.export_vdir(target, ExportOptions()).count

                for step in ("first", "unchanged", "10% moved, 10% removed"):
                    state["moved"] = step.startswith("10%")
                    seconds, peak = measure(export, traced)
                    count = len(events_of(hazards(n, state["moved"])))
                    rows.append((what, step, seconds, peak, count))
        finally:
            db.close()
    half = len(rows) // 2
    return [(w, s, t, p2, count) for (w, s, t, _, count), (_, _, _, p2, _) in
            zip(rows[:half], rows[half:], strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    os.umask(0o077)
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f}")
    print(f"{'events':>7} {'target':<5} {'export':<24} {'time':>8} {'peak MB':>8}")
    with tempfile.TemporaryDirectory(prefix="riskreg-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",")):
            for what, step, seconds, peak, count in one_size(n, Path(tmp)):
                print(f"{count:>7,} {what:<5} {step:<24} {seconds:>7.2f}s {peak:>8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
