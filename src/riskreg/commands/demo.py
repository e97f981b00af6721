"""`riskreg demo --db PATH [--seed N] [--hazards N]`: build a demo practice."""

from argparse import Namespace
from datetime import timedelta

from riskreg.errors import one_line

MAX_HAZARDS = 100_000


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "demo", parents=[common], help="build a demo practice in a new database",
        description="Build a realistic demo practice (owners, tools, hazards with varied scores and "
        "review dates, safeguards, consent log) from the starter catalog, into an empty database. "
        "Dates are relative to today; the same --seed gives the same register.",
    )
    p.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    p.add_argument("--hazards", type=_positive, default=None, metavar="N",
                   help="scale the register to N hazards, at most 100,000 (tools and safeguards "
                   "in proportion)")
    p.set_defaults(run=run)


def _positive(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    if value > MAX_HAZARDS:
        # A typo's extra zeros would otherwise run for hours and fill the disk.
        raise argparse.ArgumentTypeError(f"at most {MAX_HAZARDS:,} (the benchmarks use 10,000)")
    return value


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.services.demo import build_demo
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService

    today = today_from_env()
    from riskreg.commands._db import resolve_db
    from riskreg.storage.files import check_database_path

    check_database_path(resolve_db(args))  # before it is created: not a FIFO, a -wal, a copy
    db = open_db(args, create=True)
    try:
        with db.all_or_nothing():  # a kill leaves the register as it was, never half a demo
            counts = build_demo(RegisterService(db, today=lambda: today), today=today,
                                seed=args.seed, hazards=args.hazards)
            # A made-up practice, so the report and the calendar show what the settings do.
            SettingsService(db, today=lambda: today).update({
                "practice_name": "Riverbend Counseling (demo)",
                "practitioner": "Dr. Sam Rivera (demo)",
                "home_state": "CA",
                "risk_analysis_reviewed_on": today - timedelta(days=300),
            }, expected_revision=None)
            # Last year's analysis, signed, and a few changes since (issue 23).
            from riskreg.services.demo_signoff import sign_last_year

            moved = sign_last_year(RegisterService(db, today=lambda: today), today,
                                   seed=args.seed)
            for kind, n in moved.items():
                counts[kind] = counts.get(kind, 0) + n
    finally:
        db.close()
    print(f"Demo practice built in {one_line(db.where)}: " + ", ".join(
        f"{n} {kind}{'s' if n != 1 else ''}" for kind, n in counts.items()) + ".")
    return 0
