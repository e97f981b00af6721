"""How long `riskreg audit verify` takes on a large register (it reads every record and event).

    python benchmarks/audit_verify.py [--hazards 10000] [--runs 3] [--db EXISTING.db]

Without --db it builds a demo register of --hazards hazards (`riskreg demo --hazards N`; about a
minute or more for 10,000) in a private temporary folder, removed at the end. Each run is a fresh
process; it prints each run's wall and CPU time, the median, and the load average. It never
fails on timing.
"""

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TODAY = "2026-11-26"


def riskreg(*args: str, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system) and the output of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, (done.stdout + done.stderr).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hazards", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--db", type=Path, help="an existing register (a copy is measured)")
    args = parser.parse_args()
    env = {**os.environ, "RISKREG_TODAY": TODAY}
    old_umask = os.umask(0o077)
    folder = Path(tempfile.mkdtemp(prefix="riskreg-bench-audit-"))
    try:
        db = folder / "register.db"
        if args.db:
            shutil.copy(args.db, db)
        else:
            wall, _, _ = riskreg("demo", "--hazards", str(args.hazards), "--db", str(db), env=env)
            print(f"built a demo of {args.hazards:,} hazards in {wall:.0f} s")
        riskreg("audit", "verify", "--db", str(db), env=env)  # untimed: page cache, bytecode
        walls, cpus = [], []
        for n in range(args.runs):
            wall, cpu, output = riskreg("audit", "verify", "--db", str(db), env=env)
            walls.append(wall)
            cpus.append(cpu)
            print(f"run {n + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU; "
                  f"{output.splitlines()[0] if output else ''}")
        print(f"audit verify, {db.stat().st_size / 1e6:.0f} MB register: median "
              f"{statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
              f"(load average {os.getloadavg()[0]:.1f})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        os.umask(old_umask)
    return 0


if __name__ == "__main__":
    sys.exit(main())
