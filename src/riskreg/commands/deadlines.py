"""`riskreg deadlines`: the breach-notification deadline calculator, without a database.

Imports only the standard library and riskreg's domain, so it answers fast (no Textual, no
SQLModel). Every value is checked here or by the domain; a bad one is one line on stderr, exit 2.
"""

import argparse
import json
import re
from datetime import date

from riskreg.domain.dates import not_a_date
from riskreg.errors import BadInput, ValidationError

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_COUNT = re.compile(r"[0-9]+")
# Domain field -> the flag the user typed, so messages name what they can fix.
_FLAGS = {
    "affected": "--affected",
    "residents": "--state",
    "insufficient_contact": "--insufficient-contact",
    "deceased_with_kin": "--deceased-with-kin",
    "holds": "--hold",
    "ba_discovered": "--ba-discovered",
    "determined": "--determined",
    "part2_affected": "--part2-affected",
}

DESCRIPTION = """\
Compute every breach-notification deadline (45 CFR 164.404-164.412, 42 CFR 2.16 and the state
overlays) from the facts of a breach of unsecured PHI, without opening a database.

Each date shows its citation and how it was computed. Deadlines are never extended for weekends
or holidays; they are warned. State rows are informational: verify with counsel.
Not legal advice.

Environment: RISKREG_TODAY=YYYY-MM-DD overrides today's date (for "days left" and the warnings),
for reproducible output and tests.
"""

EPILOG = """\
examples:
  riskreg deadlines --discovered 2026-03-10 --affected 3 --state CO=3
  riskreg deadlines --discovered 2026-04-01 --affected 600 --state IL=600 --hold oral:2026-05-20
  riskreg deadlines --discovered 2026-06-15 --affected 500 --state NY=300 --state NJ=200 --json
  riskreg deadlines --discovered 2026-03-10 --affected 600 --part2-affected 40
  riskreg deadlines --discovered 2026-03-10 --affected 3 --state TX=3 --determined 2026-03-20
"""


def add_command(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "deadlines",
        parents=[common],
        help="compute breach-notification deadlines (no database needed)",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Values are parsed in run(), not by argparse types, so a bad one is a single clear line.
    p.add_argument("--discovered", metavar="YYYY-MM-DD", help="date of discovery (required)")
    p.add_argument(
        "--affected", metavar="N", help="total number of people affected, 1 or more (required)"
    )
    p.add_argument(
        "--state",
        metavar="XX=N",
        action="append",
        default=[],
        help="residents per state or jurisdiction (2-letter USPS code); repeat per state",
    )
    p.add_argument(
        "--insufficient-contact",
        metavar="N",
        default="0",
        help="people whose contact information is insufficient or out of date",
    )
    p.add_argument(
        "--deceased-with-kin",
        metavar="N",
        default="0",
        help="deceased people whose next of kin or personal representative is known",
    )
    p.add_argument(
        "--determined",
        metavar="YYYY-MM-DD | XX=YYYY-MM-DD",
        action="append",
        default=[],
        help="the date the breach was determined, for state clocks that count from "
        "determination: for every --state, or XX=DATE for one state (repeat per state); "
        "not before discovery (default: the discovery date)",
    )
    p.add_argument(
        "--urgent",
        action="store_true",
        help="possible imminent misuse: also telephone individuals (45 CFR 164.404(d)(3))",
    )
    p.add_argument(
        "--part2",
        action="store_true",
        help="42 CFR Part 2 records were involved, for everyone affected "
        "(give --part2-affected N if fewer)",
    )
    p.add_argument(
        "--part2-affected",
        metavar="N",
        help="people whose 42 CFR Part 2 records were involved (0 or more, at most --affected); "
        "the separate Part 2 report's 500 threshold counts them (42 CFR 2.16)",
    )
    p.add_argument(
        "--hold",
        metavar="oral:YYYY-MM-DD | written:YYYY-MM-DD:DAYS",
        action="append",
        default=[],
        help="law-enforcement statement: oral on that date, or written asking a delay of DAYS days",
    )
    p.add_argument(
        "--ba-discovered",
        metavar="YYYY-MM-DD",
        help="the business associate's own discovery date (as agent, it is the practice's)",
    )
    p.add_argument(
        "--ba-not-agent",
        action="store_true",
        help="the business associate is an independent contractor, not the practice's agent",
    )
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def parse_date(text: str, what: str) -> date:
    """Strict YYYY-MM-DD, with a message naming the value."""
    if not _ISO.fullmatch(text.strip()):
        raise BadInput(f"{what} {text!r} is not in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadInput(not_a_date(text.strip(), what)) from None


def parse_count(
    text: str, what: str, unit: str = "people", least: int = 0, zero: str = ""
) -> int:
    """A whole number of at least `least`; one message for every value refused, so that -3 and
    0 are not told two different rules (new-user run, finding 30). Where 0 is refused the message
    says so, with `zero`, the reason."""
    if not _COUNT.fullmatch(text.strip()) or int(text) < least:
        message = f"{what} {text.strip()!r}: give a whole number of {unit}, {least} or more"
        if least > 0:
            message += f" (0 is refused{', ' + zero if zero else ''})"
        raise BadInput(message)
    return int(text)


def parse_state(text: str) -> tuple[str, int]:
    code, sep, count = text.partition("=")
    if not sep or not code.strip():
        raise BadInput(f"--state {text!r} is not in the form XX=N (e.g. CA=12)")
    return code.strip().upper(), parse_count(count, f"--state {code.strip().upper()}")


def parse_hold(text: str):
    from riskreg.domain.holds import Hold

    parts = text.split(":")
    kind = parts[0].strip().lower()
    if kind == "oral" and len(parts) == 2:
        return Hold("oral", parse_date(parts[1], "--hold oral date"))
    if kind == "written" and len(parts) == 3:
        on = parse_date(parts[1], "--hold written date")
        days = parse_count(
            parts[2], "--hold written DAYS", unit="days", least=1,
            zero="as a written statement asks a delay of at least 1 day",
        )
        return Hold("written", on, days)
    raise BadInput(f"--hold {text!r} is not oral:YYYY-MM-DD or written:YYYY-MM-DD:DAYS")


def parse_determined(items: list[str], residents: dict[str, int]) -> dict[str, date]:
    """`--determined DATE` (every state given) or `XX=DATE` (one state), as BreachFacts takes
    them; whether a date is before discovery is the domain's check."""
    out: dict[str, date] = {}
    every: date | None = None
    for item in items:
        code, sep, text = item.rpartition("=")
        if not sep:
            if every is not None:
                raise BadInput("--determined YYYY-MM-DD is given twice")
            every = parse_date(item, "--determined")
            continue
        code = code.strip().upper()
        if not code:
            raise BadInput(f"--determined {item!r} is not YYYY-MM-DD or XX=YYYY-MM-DD")
        if code in out:
            raise BadInput(f"--determined {code} is given twice")
        if code not in residents:
            raise BadInput(
                f"--determined {code}: no --state {code}=N is given, so no {code} clock uses it"
            )
        out[code] = parse_date(text, f"--determined {code}")
    if items and not residents:
        raise BadInput(
            "--determined sets the date state clocks count from: give the states with "
            "--state XX=N"
        )
    if every is not None:
        out = {code: out.get(code, every) for code in residents}
    return out


def facts_from_args(args: argparse.Namespace):
    """Build the domain's BreachFacts from the flags, or raise BadInput with one line."""
    from riskreg.domain.deadlines import BreachFacts

    if args.discovered is None:
        raise BadInput("--discovered YYYY-MM-DD is required")
    if args.affected is None:
        raise BadInput("--affected N is required")
    discovered = parse_date(args.discovered, "--discovered")
    affected = parse_count(
        args.affected, "--affected", least=1,
        zero="as a breach to notify affects at least one person",
    )
    residents: dict[str, int] = {}
    for item in args.state:
        code, count = parse_state(item)
        if code in residents:
            raise BadInput(f"--state {code} is given twice")
        residents[code] = count
    if args.ba_not_agent and args.ba_discovered is None:
        raise BadInput("--ba-not-agent needs --ba-discovered YYYY-MM-DD")
    ba = parse_date(args.ba_discovered, "--ba-discovered") if args.ba_discovered else None
    determined = parse_determined(args.determined, residents)
    part2_affected = 0
    if args.part2_affected is not None:
        part2_affected = parse_count(args.part2_affected, "--part2-affected")
        if args.part2 and part2_affected == 0:
            raise BadInput(
                "--part2 says Part 2 records were involved, but --part2-affected is 0: "
                "give the number of people whose Part 2 records were involved"
            )
    try:
        return BreachFacts(
            discovered=discovered,
            affected=affected,
            residents=residents,
            determined=determined,
            insufficient_contact=parse_count(args.insufficient_contact, "--insufficient-contact"),
            deceased_with_kin=parse_count(args.deceased_with_kin, "--deceased-with-kin"),
            part2=args.part2,
            part2_affected=part2_affected,
            holds=tuple(parse_hold(h) for h in args.hold),
            ba_discovered=ba,
            ba_is_agent=not args.ba_not_agent,
            urgent=args.urgent,
        )
    except ValidationError as exc:
        raise BadInput(f"{_FLAGS.get(exc.field, exc.field)}: {exc.problem}") from None


def run(args: argparse.Namespace) -> int:
    from riskreg.commands.deadlines_table import render_table
    from riskreg.domain.deadlines import compute_plan

    facts = facts_from_args(args)
    from riskreg.commands._db import today_from_env

    today = today_from_env()
    plan = compute_plan(facts, today)
    if args.json:
        print(json.dumps({"not_legal_advice": True, **plan.to_json_dict()}, indent=2))
    else:
        print(render_table(plan))
    return 0
