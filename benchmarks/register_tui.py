"""How the register TUI performs on a large register. Prints figures; never asserts on timing.

    python benchmarks/register_tui.py [--db PATH] [--hazards 10000] [--runs 5]

Builds (once, then reuses) a demo register of N hazards with `riskreg demo`'s service
(tools and safeguards in proportion), then measures, each in a fresh process so imports count:

- launch to first frame, riskreg beside a bare Textual app (one Static), side by side;
- launch to the hazards table showing rows (the app opened on the Hazards area);
- a keystroke in the filter to the table updated and painted (median and 90th percentile);
- opening a hazard's edit form to it being painted (median);
- peak memory (max RSS) of the riskreg process.

The issue's targets, for reading the figures: first frame within 1.3x the bare app's; hazards
table within 1.0 s; filter keystroke median at most 50 ms; form at most 100 ms; peak memory at
most 250 MB. The machine's load matters: run it on a quiet machine and compare within a run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 26)

# Run inside each child process: times are measured from T0, the parent's clock just before it
# started the child (time.time() is shared across processes; perf_counter is not).
CHILD = r"""
import asyncio, json, os, resource, sys, time
T0 = float(os.environ["BENCH_T0"])
MODE = sys.argv[1]
result = {}

def now():
    return time.time() - T0

from textual import events
from textual._context import message_hook

if MODE == "bare":
    from textual.app import App
    from textual.widgets import Static

    class Bare(App):
        def compose(self):
            yield Static("bare Textual app")

    app = Bare()
else:
    from datetime import date
    from riskreg.ui.app import make_app

    app = make_app(sys.argv[2], today=date(2026, 11, 26), area="hazards")

state = {"pages": 0, "forms": 0}
waiters = {}

def hook(message):
    name = type(message).__name__
    if isinstance(message, events.Ready) and "first_frame" not in result:
        result["first_frame"] = now()
        if MODE == "bare":
            app.exit()
    elif name == "PageLoaded":
        def painted():
            state["pages"] += 1
            state["painted"] = time.perf_counter()
            if "table_rows" not in result:
                result["table_rows"] = now()
            w = waiters.pop("page", None)
            if w:
                w.set()
        app.call_after_refresh(painted)
    elif name == "ScreenResume":
        def painted():
            if type(app.screen).__name__ == "RecordForm":
                state["form_painted"] = time.perf_counter()
                w = waiters.pop("form", None)
                if w:
                    w.set()
        app.call_after_refresh(painted)

message_hook.set(hook)

async def drive(pilot):
    if MODE == "bare":
        return
    while "table_rows" not in result:
        await asyncio.sleep(0.005)
    await pilot.pause(0.2)
    area = app.main_screen.register_area("hazard")
    area.action_focus_filter()
    await pilot.pause()
    latencies = []
    for key in "phishing" + "\b" * 8 + "laptop" + "\b" * 6 + "ai scribe":
        ev = asyncio.Event()
        waiters["page"] = ev
        start = time.perf_counter()
        await pilot.press("backspace" if key == "\b" else ("space" if key == " " else key))
        try:
            await asyncio.wait_for(ev.wait(), 5)
        except asyncio.TimeoutError:
            continue
        # From the key to the table painted with the new rows (pilot.press itself also waits
        # for the detail pane and the count that follow, which the user sees come in after).
        latencies.append((state["painted"] - start) * 1000)
        await pilot.pause(0.15)  # a typist's pace: about 6 keys a second
    result["filter_ms"] = latencies
    area.filter_bar.input.value = ""
    await pilot.pause(0.5)
    area.table.focus()
    forms = []
    for _ in range(5):
        ev = asyncio.Event()
        waiters["form"] = ev
        start = time.perf_counter()
        area.action_edit()
        await asyncio.wait_for(ev.wait(), 10)
        forms.append((state["form_painted"] - start) * 1000)
        await pilot.press("escape")
        await pilot.pause(0.1)
    result["form_ms"] = forms
    result["rows_in_table"] = area.table.row_count
    result["matching"] = str(area.filter_bar.query_one("#shown").content)
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=drive)
result["max_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print("RESULT " + json.dumps(result))
"""


def build(db: Path, hazards: int) -> float:
    """Build the demo register at `db` (if missing); return seconds taken (0 when reused)."""
    if db.exists():
        return 0.0
    from riskreg.services.demo import build_demo
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    start = time.perf_counter()
    database = open_database(db)
    try:
        build_demo(RegisterService(database, today=lambda: TODAY), today=TODAY, seed=7,
                   hazards=hazards)
    finally:
        database.close()
    return time.perf_counter() - start


def child(mode: str, db: Path) -> dict:
    env = {**os.environ, "BENCH_T0": repr(time.time())}
    env.pop("TEXTUAL_THEME", None)
    out = subprocess.run([sys.executable, "-c", CHILD, mode, str(db)], env=env,
                         capture_output=True, text=True, timeout=300, check=False)
    for line in out.stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):])
    raise SystemExit(f"benchmark child ({mode}) failed:\n{out.stderr[-3000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=None,
                        help="demo database to build or reuse (default: a temporary file)")
    parser.add_argument("--hazards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp(prefix="riskreg-bench-")) / "bench.db"
    seconds = build(db, args.hazards)
    print(f"register: {db}" + (f" (built in {seconds:.1f} s)" if seconds else " (reused)"))

    bare, riskreg = [], []
    for _ in range(args.runs):  # alternate, so both see the same machine load
        bare.append(child("bare", db))
        riskreg.append(child("riskreg", db))

    def median(values: list[float]) -> float:
        return statistics.median(values)

    first_bare = median([r["first_frame"] for r in bare]) * 1000
    first_app = median([r["first_frame"] for r in riskreg]) * 1000
    rows = median([r["table_rows"] for r in riskreg]) * 1000
    keys = sorted(ms for r in riskreg for ms in r["filter_ms"])
    forms = sorted(ms for r in riskreg for ms in r["form_ms"])
    rss = max(r["max_rss_mb"] for r in riskreg)
    p90 = keys[int(len(keys) * 0.9) - 1] if keys else float("nan")
    print(f"runs: {args.runs} of each, medians")
    print(f"first frame, bare Textual app:   {first_bare:7.0f} ms")
    print(f"first frame, riskreg:            {first_app:7.0f} ms  "
          f"({first_app / first_bare:.2f}x bare; target 1.3x)")
    print(f"hazards table showing rows:      {rows:7.0f} ms  (target 1000 ms)")
    print(f"filter keystroke to table:       {median(keys):7.1f} ms median, {p90:.1f} ms p90 "
          f"over {len(keys)} keys (target 50 ms median)")
    print(f"open a hazard's edit form:       {median(forms):7.1f} ms median over {len(forms)} "
          "(target 100 ms)")
    print(f"peak memory (max RSS):           {rss:7.1f} MB  (target 250 MB)")
    print(f"table window: {riskreg[0]['rows_in_table']} rows; "
          f"count line: {riskreg[0]['matching']}")
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
