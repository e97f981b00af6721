"""Printed letters (`riskreg notices letters`, issue 21): 1,000 letters in under 2 s and 100 MB.
Prints figures; never fails on timing.

    python benchmarks/letters.py [--sizes 1000,10000] [--runs 3] [--format html]

Builds the demo register in a private temporary folder (removed at the end), writes a recipients
file of N people (Florida, Georgia, California, one in twenty to the next of kin), then runs the
command as a user does, in a fresh process each time (imports count): wall time (median of
--runs after one untimed run), the child's CPU time, its peak resident memory (the largest of
the runs), and the letters' file size.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "RISKREG_TODAY": "2026-12-07"}


def riskreg(*args: str) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, peak RSS in KB) of one `riskreg ARGS` process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "riskreg", *args], env=ENV,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"riskreg {' '.join(args)} failed: {child.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def recipients(path: Path, n: int) -> None:
    states = ("FL", "FL", "FL", "GA", "CA")
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Full name", "Address 1", "Address 2", "City", "State", "ZIP", "Next of kin"])
        for i in range(n):
            out.writerow([f"Person {i:06d} Example", f"{i} Palm Street", "Apt 2" if i % 3 else "",
                          "Tampa", states[i % len(states)], f"{33600 + i % 99:05d}",
                          "yes" if i % 20 == 0 else ""])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--format", choices=("html", "md"), default="html")
    args = parser.parse_args()
    os.umask(0o077)
    with tempfile.TemporaryDirectory(prefix="riskreg-letters-") as tmp:
        folder = Path(tmp)
        db = folder / "riskreg.db"
        riskreg("demo", "--db", str(db))
        riskreg("list", "tools", "--db", str(db))  # the day's rolling backup, out of the figures
        print(f"{'letters':>8} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} {'file MB':>8}"
              "   target: 1,000 letters < 2 s and < 100 MB")
        for n in (int(s) for s in args.sizes.split(",")):
            src = folder / f"recipients-{n}.csv"
            recipients(src, n)
            out = folder / f"letters-{n}.{args.format}"
            command = ("notices", "letters", "INC-2026-002", "--db", str(db), "--recipients",
                       str(src), "--out", str(out), "--format", args.format)
            riskreg(*command)
            figures = [riskreg(*command) for _ in range(args.runs)]
            wall = statistics.median(f[0] for f in figures)
            cpu = statistics.median(f[1] for f in figures)
            peak = max(f[2] for f in figures) / 1024
            size = out.stat().st_size / 1048576
            print(f"{n:>8,} {wall:>8.2f} {cpu:>8.2f} {peak:>8.1f} {size:>8.2f}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"load average: {load}; {resource.getpagesize()} B pages")


if __name__ == "__main__":
    main()
