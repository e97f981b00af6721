"""Calendar export timing: the demo practice, and a register with 1,000 dated items.

    /work/venv/bin/python benchmarks/calendar_export.py

Prints figures; never asserts on them (issue 6's target: under 1 s on the development machine).
Each export is timed end to end as `riskreg export ics` does it once the database is open: read
the register and incidents through the services, build the events, render with icalendar, write
atomically. "first" includes importing icalendar; the median is over the following runs.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 26)
RUNS = 5


def timed(service, path: Path, options) -> tuple[float, int]:
    start = time.perf_counter()
    count = service.export(path, options)
    return time.perf_counter() - start, count


def measure(label: str, db, folder: Path, **options) -> None:
    from riskreg.services.calendar import CalendarService, ExportOptions

    service = CalendarService(db, today=lambda: TODAY)
    opts = ExportOptions(**options)
    path = folder / "out.ics"
    first, count = timed(service, path, opts)
    rest = [timed(service, path, opts)[0] for _ in range(RUNS)]
    size = path.stat().st_size
    print(f"{label:<44} {count:>5} events {size / 1024:>7.0f} KiB   first {first * 1000:>6.0f} ms"
          f"   median {statistics.median(rest) * 1000:>6.0f} ms   max {max(rest) * 1000:>6.0f} ms")


def thousand_dated_items(db) -> None:
    """1,000 hazards, each with its own review date (one write transaction)."""
    from riskreg.services.register import RegisterService

    register = RegisterService(db, today=lambda: TODAY)
    with db.writing() as session:
        for i in range(1000):
            register.create_in(session, "hazard", {
                "title": f"Hazard {i:04d}", "likelihood": 1 + i % 5, "impact": 1 + (i // 5) % 5,
                "residual_likelihood": 1, "residual_impact": 1,
                "next_review_on": TODAY + timedelta(days=i % 400 - 30),
            })


def main() -> int:
    start = time.perf_counter()
    from riskreg.services.demo import build_demo
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    print(f"imports (SQLModel, services): {(time.perf_counter() - start) * 1000:.0f} ms")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        demo = open_database(folder / "demo.db")
        build_demo(RegisterService(demo, today=lambda: TODAY), today=TODAY, seed=7)
        measure("demo practice (seed 7)", demo, folder)
        measure("demo practice, with reminder events", demo, folder, reminder_events=True)
        demo.close()

        big = open_database(folder / "big.db")
        thousand_dated_items(big)
        measure("1,000 dated items (hazard reviews)", big, folder)
        measure("1,000 dated items, with reminder events", big, folder, reminder_events=True)
        big.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
