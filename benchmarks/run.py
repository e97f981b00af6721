"""riskreg's speed on this machine: one run, one table. Prints figures; never fails on timing.

    python benchmarks/run.py [--sizes 400,1000,10000] [--runs 5] [--cache DIR] [--only GROUPS]

For each size it builds (or takes from --cache) a demo register of N hazards with
`riskreg demo --db PATH --hazards N` (tools and safeguards in proportion), copies it into a
private temporary folder, and measures in fresh processes, so that imports count; each figure is
the median of --runs runs after one untimed run (bytecode compiled, files in the page cache):

startup  subprocess wall time of `python -c pass` (the floor), `riskreg --version` and the
         deadline calculator (`riskreg deadlines ...`, no database);
tui      the full-screen app beside a bare Textual app (one Static), alternating, same run:
         launch to first frame, launch to the hazards table showing rows, a keystroke in the
         filter to the table updated and painted, opening a hazard's edit form to it being
         painted, and the app's peak memory. Times are from just before the process starts;
         the riskreg child goes through the CLI's parser, as `riskreg --area hazards` does, then
         opens the app on the Hazards area (headless, 120x40);
export   through the CLI, as a user runs them (subprocess wall time, peak memory of that
         process): `riskreg export ics` (also with --reminder-events), `riskreg report
         risk-analysis --out F.html`, `riskreg export json`, `riskreg import json` into a fresh
         database, and `riskreg audit verify` on the imported copy (issue 22's targets; with
         --pg URL the same three against PostgreSQL, in a column of their own).

Targets (issue 4, for 10,000 hazards): first frame within 1.3x the bare app's; the hazards table
showing data within 1.0 s of launch; filter keystroke median <= 50 ms; form <= 100 ms; peak
memory <= 250 MB; judged on the largest size. Issue 6: calendar export under 1 s for a register
with 1,000 dated items, judged on the smallest size whose calendar has at least 1,000 events
(the demo register of 400 hazards has 1,058 events; 300 hazards, 827).

Today's date is fixed (RISKREG_TODAY=2026-11-26). Everything is written under a private
temporary folder (0700, files 0600, umask 077) that is removed at the end; only --cache keeps the
built registers (building 10,000 hazards takes minutes; the cache is keyed by the demo's code,
the catalog and the migrations, so a change there builds afresh). The first command on each
database takes the day's rolling backup (a copy of the whole file, once a day): it has a row of
its own and is kept out of the other figures. Wall times are shown with the child's CPU time
(user + system) beside them: on a busy machine the CPU time is the steadier figure.
The machine's load matters: the load average is printed with the figures; compare within a run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

TODAY = "2026-11-26"
SEED = 7
ROOT = Path(__file__).resolve().parent.parent
GROUPS = ("startup", "tui", "export")

# The TUI child, run as `python -c CHILD MODE DB`. Times are measured from BENCH_T0, the parent's
# wall clock just before it started the child (time.time() is shared across processes;
# perf_counter is not), so the interpreter's start and every import count.
CHILD = r"""
import asyncio, json, os, sys, time
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
    # As `riskreg --db DB --area hazards` starts: the CLI reads its command line, then makes
    # the app as `commands.tui.run_tui` does, opened on the Hazards area.
    from riskreg.cli import parse_args, resolve_db
    from riskreg.commands.tui import _today
    from riskreg.ui.app import make_app

    from riskreg.ui.widgets.record_table import RecordTable

    args = parse_args(["--db", sys.argv[2], "--area", "hazards"])
    app = make_app(resolve_db(args), today=_today(), area=args.area)

    # The first rows may be shown before the register has opened (storage.first_page): the
    # figure is the paint after the first rows went into the table, whichever way they came.
    _show = RecordTable.show

    def show(table, *args, **kwargs):
        _show(table, *args, **kwargs)
        app.call_after_refresh(rows_painted)

    RecordTable.show = show

state = {}
waiters = {}

def rows_painted():
    # Called just after a paint: the first time the hazards table shows rows is the figure.
    if "table_rows" not in result and app.main_screen.register_area("hazard").table.row_count:
        result["table_rows"] = now()
        result["table_rows_cpu"] = time.process_time()

def hook(message):
    name = type(message).__name__
    if isinstance(message, events.Ready) and "first_frame" not in result:
        # Ready is posted once the first frame has been drawn.
        result["first_frame"] = now()
        result["first_frame_cpu"] = time.process_time()
        if MODE == "bare":
            app.exit()
        else:
            rows_painted()  # the first frame may already show rows (storage.first_page)
    elif name == "PageLoaded":
        def painted():
            state["painted"] = time.perf_counter()
            rows_painted()
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
    # The filter needs the register open (the first rows may come before it: first_page).
    while "table_rows" not in result or app.register is None:
        await asyncio.sleep(0.005)
    await pilot.pause(0.5)
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
    result["count_line"] = str(area.filter_bar.query_one("#shown").content)
    app.exit()

app.run(headless=True, size=(120, 40), auto_pilot=drive)
print("RESULT " + json.dumps(result))
"""


# -- running children ----------------------------------------------------------------------------


class Broken(Exception):
    """Something did not work (as opposed to being slow): reported, exit status 1."""


@dataclass
class Ran:
    seconds: float  # wall time
    cpu: float  # user + system CPU time of the child (what the machine's load does not inflate)
    max_rss_mb: float
    stdout: str


def run(cmd: list[str], env: dict[str, str], workdir: Path, timeout: float = 900) -> Ran:
    """Run `cmd`; its wall time and its own peak memory (wait4's rusage: this child only)."""
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    with open(out_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        watchdog = threading.Timer(timeout, proc.kill)
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    stdout = out_path.read_text(errors="replace")
    if proc.returncode != 0:
        stderr = err_path.read_text(errors="replace")
        raise Broken(f"{' '.join(cmd[:4])} ... exited {proc.returncode}:\n{stderr[-3000:]}")
    # ru_maxrss is in KiB on Linux, bytes on macOS.
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return Ran(seconds, usage.ru_utime + usage.ru_stime, rss, stdout)


def riskreg_cmd(*args: str) -> list[str]:
    """`riskreg ...` as a user runs it: the console script beside this Python, else -m."""
    script = Path(sys.executable).parent / "riskreg"
    return [str(script), *args] if script.exists() else [sys.executable, "-m", "riskreg", *args]


def tui_child(mode: str, db: Path, env: dict[str, str], workdir: Path) -> dict:
    child_env = {**env, "BENCH_T0": repr(time.time())}
    ran = run([sys.executable, "-c", CHILD, mode, str(db)], child_env, workdir, timeout=300)
    for line in ran.stdout.splitlines():
        if line.startswith("RESULT "):
            return {**json.loads(line[len("RESULT "):]), "max_rss_mb": ran.max_rss_mb}
    raise Broken(f"TUI child ({mode}) gave no result:\n{ran.stdout[-2000:]}")


# -- the demo registers --------------------------------------------------------------------------


def cache_key(hazards: int) -> str:
    """Names a built register by what makes it: size, seed, today, the demo's code, the catalog
    and the schema's migrations (a change to any of them builds afresh)."""
    digest = hashlib.sha256()
    sources = [ROOT / "src/riskreg/services/demo.py", ROOT / "src/riskreg/services/demo_incidents.py"]
    sources += sorted((ROOT / "data/catalog").rglob("*"))
    sources += sorted((ROOT / "src/riskreg/storage/migrations/versions").glob("*.py"))
    for path in sources:
        if path.is_file():
            digest.update(path.name.encode() + path.read_bytes())
    return f"demo-{hazards}-seed{SEED}-{TODAY}-{digest.hexdigest()[:10]}.db"


def demo_db(hazards: int, cache: Path, env: dict[str, str], workdir: Path) -> tuple[Path, Ran | None]:
    """The cached demo register of `hazards` hazards, built with `riskreg demo` if missing."""
    path = cache / cache_key(hazards)
    if path.exists():
        return path, None
    partial = cache / f".building-{os.getpid()}-{path.name}"
    try:
        ran = run(riskreg_cmd("demo", "--db", str(partial), "--hazards", str(hazards)),
                  env, workdir, timeout=3600)
        os.replace(partial, path)
    finally:
        for leftover in cache.glob(f"{partial.name}*"):
            leftover.unlink(missing_ok=True)
    return path, ran


def private_copy(src: Path, dest: Path) -> Path:
    """A consistent copy (SQLite's backup API), so the cache is never written by a benchmark."""
    with sqlite3.connect(src) as source, sqlite3.connect(dest) as target:
        source.backup(target)
    source.close()
    target.close()
    os.chmod(dest, 0o600)
    return dest


# -- the figures ---------------------------------------------------------------------------------


@dataclass
class Metric:
    name: str
    unit: str
    target: str = ""
    check: object = None  # callable(value) -> bool, judged on the largest size (or judge_at)
    judge_at: int | None = None
    values: dict[int, float] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    pg: dict[int, float] = field(default_factory=dict)
    """The same figure on PostgreSQL (--pg), by size; the column stays "-" without it."""


class Table:
    def __init__(self) -> None:
        self.metrics: dict[str, Metric] = {}
        self.ics_events: dict[int, int] = {}  # the calendar's event count, by size

    def add(self, name: str, size: int, value: float, unit: str = "ms", target: str = "",
            check=None, note: str = "", judge_at: int | None = None) -> None:
        metric = self.metrics.setdefault(name, Metric(name, unit, target, check, judge_at))
        metric.values[size] = value
        if note:
            metric.notes[size] = note

    def add_pg(self, name: str, size: int, value: float, unit: str = "ms") -> None:
        """A PostgreSQL figure beside the SQLite one of the same name (issue 22)."""
        self.metrics.setdefault(name, Metric(name, unit)).pg[size] = value

    def print(self, sizes: list[int]) -> None:
        heads = ["metric"] + [f"{n:,} hazards" for n in sizes] + [
            f"PostgreSQL, {sizes[-1]:,}", "target", "met?"]
        rows = []
        for m in self.metrics.values():
            cells = [m.name]
            for n in sizes:
                value = m.values.get(n)
                cells.append("-" if value is None else _fmt(value, m.unit) + (
                    f" {m.notes[n]}" if n in m.notes else ""))
            pg = m.pg.get(sizes[-1])
            cells.append("-" if pg is None else _fmt(pg, m.unit))
            order = [m.judge_at] if m.judge_at in m.values else list(reversed(sizes))
            judged = next((m.values[n] for n in order if n in m.values), None)
            met = "" if m.check is None or judged is None else ("yes" if m.check(judged) else "NO")
            rows.append(cells + [m.target, met])
        widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(len(heads))]
        for i, row in enumerate([heads, *rows]):
            print("  ".join(c.ljust(w) if j == 0 else c.rjust(w)
                            for j, (c, w) in enumerate(zip(row, widths))).rstrip())
            if i == 0:
                print("  ".join("-" * w for w in widths))


def _fmt(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "MB":
        return f"{value:,.0f} MB"
    if unit == "s":
        return f"{value:,.1f} s"
    if not unit:  # a count
        return f"{value:,.0f}"
    return f"{value:,.1f} {unit}"


def median_run(cmd: list[str], env: dict[str, str], workdir: Path, runs: int,
               before=None) -> tuple[float, float, float]:
    """Median wall time (ms), median CPU time (ms) and the largest peak memory (MB) over `runs`
    runs, after one untimed run (bytecode compiled, files in the page cache)."""
    times, cpu, rss = [], [], []
    for i in range(runs + 1):
        if before:
            before()
        ran = run(cmd, env, workdir)
        if i == 0:
            continue
        times.append(ran.seconds * 1000)
        cpu.append(ran.cpu * 1000)
        rss.append(ran.max_rss_mb)
    return statistics.median(times), statistics.median(cpu), max(rss)


def cpu_note(ms: float) -> str:
    return f"(cpu {ms:,.0f})"


def bench_cli(table: Table, size: int, name: str, cmd: list[str], env, workdir: Path, runs: int,
              *, memory: str = "", out: Path | None = None, before=None, **target) -> None:
    """One CLI step: its median wall time, with its median CPU time and the output's size beside
    it, and (if `memory` names it) its peak memory on a row of its own."""
    wall, cpu, rss = median_run(cmd, env, workdir, runs, before)
    note = cpu_note(cpu) + (f" {out.stat().st_size / 1e6:.1f} MB" if out else "")
    table.add(name, size, wall, note=note, **target)
    if memory:
        table.add(f"  peak memory, {memory}", size, rss, "MB")


def bench_startup(table: Table, size: int, env, workdir: Path, runs: int) -> None:
    bench_cli(table, size, "python -c pass (the floor)", [sys.executable, "-c", "pass"],
              env, workdir, runs)
    bench_cli(table, size, "riskreg --version", riskreg_cmd("--version"), env, workdir, runs)
    bench_cli(table, size, "riskreg deadlines (calculator, no db)",
              riskreg_cmd("deadlines", "--discovered", "2026-11-01", "--affected", "600",
                          "--state", "CA=600"), env, workdir, runs, memory="calculator")


def bench_tui(table: Table, size: int, db: Path, env, workdir: Path, runs: int) -> None:
    tui_child("bare", db, env, workdir)  # untimed: bytecode compiled, files in the page cache
    tui_child("riskreg", db, env, workdir)
    bare, app = [], []
    for _ in range(runs):  # alternate, so both see the same machine load
        bare.append(tui_child("bare", db, env, workdir))
        app.append(tui_child("riskreg", db, env, workdir))

    def med(results: list[dict], key: str) -> float:
        return statistics.median(r[key] for r in results) * 1000

    first_bare, first_app = med(bare, "first_frame"), med(app, "first_frame")
    keys = sorted(ms for r in app for ms in r["filter_ms"])
    forms = [ms for r in app for ms in r["form_ms"]]
    table.add("first frame, bare Textual app", size, first_bare,
              note=cpu_note(med(bare, "first_frame_cpu")))
    table.add("first frame, riskreg", size, first_app, note=cpu_note(med(app, "first_frame_cpu")))
    table.add("  riskreg / bare", size, first_app / first_bare, "x", "<= 1.3x", lambda v: v <= 1.3)
    table.add("hazards table showing rows", size, med(app, "table_rows"), "ms", "<= 1,000 ms",
              lambda v: v <= 1000, note=cpu_note(med(app, "table_rows_cpu")))
    if keys:
        table.add("filter keystroke to table, median", size, statistics.median(keys), "ms",
                  "<= 50 ms", lambda v: v <= 50)
        table.add("filter keystroke to table, p90", size,
                  keys[max(0, int(len(keys) * 0.9) - 1)])
    table.add("open a hazard's form, median", size, statistics.median(forms), "ms", "<= 100 ms",
              lambda v: v <= 100)
    table.add("peak memory, app", size, max(r["max_rss_mb"] for r in app), "MB", "<= 250 MB",
              lambda v: v <= 250)
    table.add("peak memory, bare Textual app", size, max(r["max_rss_mb"] for r in bare), "MB")
    print(f"  [{size:,}] app count line: {app[0].get('count_line', '?')}; "
          f"filter keys timed: {len(keys)}", flush=True)


def bench_export(table: Table, size: int, db: Path, env, workdir: Path, runs: int,
                 pg: str | None = None) -> None:
    ics = workdir / "out.ics"
    bench_cli(table, size, "ICS export (CLI)",
              riskreg_cmd("export", "ics", "--db", str(db), "--out", str(ics)), env, workdir, runs,
              memory="ICS export", out=ics, target="< 1,000 ms, 1,000 events",
              check=lambda v: v < 1000)
    events = ics.read_bytes().count(b"BEGIN:VEVENT")
    table.add("  events in the calendar", size, events, "")
    table.ics_events[size] = events
    bench_cli(table, size, "ICS export, --reminder-events (CLI)",
              riskreg_cmd("export", "ics", "--db", str(db), "--out", str(ics), "--reminder-events"),
              env, workdir, runs, out=ics)
    report = workdir / "risk-analysis.html"
    bench_cli(table, size, "report risk-analysis .html (CLI)",
              riskreg_cmd("report", "risk-analysis", "--db", str(db), "--out", str(report)),
              env, workdir, runs, memory="report", out=report)
    bench_moving(table, size, db, env, workdir, runs)
    if pg:
        bench_moving_pg(table, size, pg, env, workdir)


# Issue 22 ("Speed and size"): moving and verifying a register, at 10,000 hazards (87,000 audit
# events). Before (SQLite, this machine idle): export 5.2 s / 744 MB, import 16.2 s / 562 MB,
# verify 5.5 s. The PostgreSQL column is filled with --pg URL (an empty database).
MOVING = {
    "JSON export (CLI)": ("< 2,000 ms", lambda v: v < 2000),
    "  peak memory, JSON export": ("< 150 MB", lambda v: v < 150),
    "JSON import into a fresh db (CLI)": ("< 4,000 ms", lambda v: v < 4000),
    "  peak memory, JSON import": ("< 200 MB", lambda v: v < 200),
    "audit verify, imported db (CLI)": ("< 1,000 ms", lambda v: v < 1000),
}


def bench_moving(table: Table, size: int, db: Path, env, workdir: Path, runs: int) -> None:
    export = workdir / "export.json"
    bench_cli(table, size, "JSON export (CLI)",
              riskreg_cmd("export", "json", "--db", str(db), "--out", str(export)),
              env, workdir, runs, memory="JSON export", out=export)
    fresh = workdir / "imported.db"

    def clear() -> None:
        for path in workdir.glob("imported.db*"):
            path.unlink()
        shutil.rmtree(workdir / "backups", ignore_errors=True)

    bench_cli(table, size, "JSON import into a fresh db (CLI)",
              riskreg_cmd("import", "json", "--db", str(fresh), str(export)),
              env, workdir, runs, memory="JSON import", before=clear)
    run(riskreg_cmd("list", "owners", "--db", str(fresh)), env, workdir)  # the day's backup
    bench_cli(table, size, "audit verify, imported db (CLI)",
              riskreg_cmd("audit", "verify", "--db", str(fresh)), env, workdir, runs,
              memory="audit verify")
    for name, (target, check) in MOVING.items():
        if name in table.metrics:
            table.metrics[name].target, table.metrics[name].check = target, check


def bench_moving_pg(table: Table, size: int, url: str, env, workdir: Path) -> None:
    """The same steps against PostgreSQL at `url` (an empty database: it is imported into, then
    exported and verified), once each. A step riskreg refuses leaves its cell "-" and says why."""
    export, back = workdir / "export.json", workdir / "from-pg.json"
    steps = [
        ("JSON import into a fresh db (CLI)", riskreg_cmd("import", "json", "--db", url,
                                                          str(export))),
        ("JSON export (CLI)", riskreg_cmd("export", "json", "--db", url, "--out", str(back))),
        ("audit verify, imported db (CLI)", riskreg_cmd("audit", "verify", "--db", url)),
    ]
    here = Path.cwd()
    os.chdir(workdir)  # a riskreg without PostgreSQL makes a folder "postgresql:": make it here
    try:
        _moving_pg(table, size, url, steps, env, workdir)
    finally:
        os.chdir(here)


def _moving_pg(table: Table, size: int, url: str, steps, env, workdir: Path) -> None:
    for name, cmd in steps:
        try:
            ran = run(cmd, env, workdir)
        except Broken as problem:
            print(f"  [{size:,}] PostgreSQL: {name} not measured: "
                  f"{str(problem).strip().splitlines()[-1]}", flush=True)
            return
        if (workdir / url.split("/")[0]).exists():  # "postgresql:" made as a folder
            print(f"  [{size:,}] PostgreSQL not measured: this riskreg takes {url.split('@')[-1]} "
                  "for a file path (no PostgreSQL support)", flush=True)
            return
        table.add_pg(name, size, ran.seconds * 1000)
        memory = {"JSON import into a fresh db (CLI)": "  peak memory, JSON import",
                  "JSON export (CLI)": "  peak memory, JSON export",
                  "audit verify, imported db (CLI)": "  peak memory, audit verify"}[name]
        table.add_pg(memory, size, ran.max_rss_mb, "MB")


# -- main ----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[3:]))
    parser.add_argument("--sizes", default="400,1000,10000",
                        help="register sizes in hazards, comma-separated (default 400,1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--cache", type=Path, default=None,
                        help="folder to keep built demo registers in and reuse (made 0700)")
    parser.add_argument("--pg", default=None, metavar="URL",
                        help="also move the largest register through this PostgreSQL database "
                             "(empty; postgresql://...) and fill the PostgreSQL column")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to run: {','.join(GROUPS)} (default all)")
    args = parser.parse_args()
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes: whole numbers, comma-separated")
    groups = {g.strip() for g in args.only.split(",") if g.strip()}
    if not sizes or min(sizes) < 1 or args.runs < 1 or not groups <= set(GROUPS):
        parser.error("--sizes and --runs must be positive; --only takes " + ",".join(GROUPS))

    # Ctrl-C, or a TERM (also when started in the background, which ignores SIGINT): stop, remove
    # the temporary folder, print the figures so far.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    os.umask(0o077)  # every file this run and its children write is private (0600 / 0700)
    tmp = Path(tempfile.mkdtemp(prefix="riskreg-bench-"))  # mode 0700
    cache = args.cache.expanduser().absolute() if args.cache else tmp / "cache"
    cache.mkdir(parents=True, exist_ok=True)
    os.chmod(cache, 0o700)
    env = {k: v for k, v in os.environ.items()
           if k not in ("RISKREG_DB", "RISKREG_ENCRYPTED", "RISKREG_PASSPHRASE", "TEXTUAL_THEME",
                        "PYTHONDONTWRITEBYTECODE")}
    # Bytecode as an installed copy has it (pip compiles at install), kept out of the source tree:
    # without it every start compiles riskreg from source (PYTHONDONTWRITEBYTECODE, read-only
    # checkouts), which is not what a user's start-up costs.
    env.update(RISKREG_TODAY=TODAY, PYTHONPYCACHEPREFIX=str(cache / "pycache"),
               PYTHONPATH=os.pathsep.join(
        [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]))

    print(f"riskreg benchmarks: {platform.python_implementation()} {platform.python_version()}, "
          f"{os.cpu_count()} CPUs, {platform.system()} {platform.release()}; today {TODAY}; "
          f"{args.runs} runs per figure (medians)")
    print(f"load average at start: {_load()}", flush=True)
    table = Table()
    status = 0
    try:
        for size in sizes:
            workdir = tmp / f"run-{size}"
            workdir.mkdir()
            cached, built = demo_db(size, cache, env, workdir)
            if built:
                table.add("build demo register (CLI, once)", size, built.seconds, "s",
                          note=f"(cpu {built.cpu:,.0f})")
                table.add("  peak memory, build", size, built.max_rss_mb, "MB")
            print(f"  [{size:,}] register {'built' if built else 'reused'}: {cached} "
                  f"({cached.stat().st_size / 1e6:.0f} MB); load {_load()}", flush=True)
            db = private_copy(cached, workdir / "register.db")
            # The first start-up of the day takes the day's rolling backup (a copy of the whole
            # database): shown once here, and kept out of the other figures.
            first = run(riskreg_cmd("list", "owners", "--db", str(db)), env, workdir)
            again = run(riskreg_cmd("list", "owners", "--db", str(db)), env, workdir)
            table.add("riskreg list owners, first of the day", size, first.seconds * 1000,
                      note=cpu_note(first.cpu * 1000))
            table.add("riskreg list owners, again", size, again.seconds * 1000,
                      note=cpu_note(again.cpu * 1000))
            if "startup" in groups:
                bench_startup(table, size, env, workdir, args.runs)
                print(f"  [{size:,}] start-up done; load {_load()}", flush=True)
            if "tui" in groups:
                bench_tui(table, size, db, env, workdir, args.runs)
                print(f"  [{size:,}] TUI done; load {_load()}", flush=True)
            if "export" in groups:
                bench_export(table, size, db, env, workdir, args.runs,
                             pg=args.pg if size == sizes[-1] else None)
                print(f"  [{size:,}] exports done; load {_load()}", flush=True)
    except Broken as problem:
        print(f"\nbenchmark broke: {problem}", file=sys.stderr)
        status = 1
    except KeyboardInterrupt:
        print("\ninterrupted: the figures so far", file=sys.stderr)
        status = 130
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print()
    ics = table.metrics.get("ICS export (CLI)")
    if ics:  # issue 6's target is for 1,000 dated items: the smallest size that has them
        big = [n for n, e in table.ics_events.items() if e >= 1000]
        ics.judge_at = min(big) if big else None
        if not big:
            ics.check = None  # no size reached 1,000 events: not judged
    table.print(sizes)
    print(f"\nload average at end: {_load()} ({os.cpu_count()} CPUs). 'met?' judges the largest "
          "size (the ICS export: the smallest with 1,000 events, issue 6); timings never fail "
          "the run.")
    return status


def _load() -> str:
    return " / ".join(f"{v:.2f}" for v in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
