"""`riskreg due [--days N] [--json]`: what is due soon, across the register and the incidents.

Renders `services.agenda.build_agenda`; the rule of what is due lives there (and in the
calendar events it is built on), not here.
"""

import argparse
import re
from argparse import Namespace

from riskreg.errors import BadInput, one_line

_WHOLE = re.compile(r"[0-9]+")

DESCRIPTION = """\
What is due in the next N days (7 unless told), overdue items first, then by date: hazard
reviews and risk acceptances, the yearly review of the whole risk analysis, safeguards' due and
verification dates, BAA expiries, and every notice an incident still owes (a closed incident's
too), with its internal target and the end of a law-enforcement hold. Incidents are named by
their reference only.

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (what counts as overdue).
"""

EPILOG = """\
examples:
  riskreg due
  riskreg due --days 30
  riskreg due --days 0 --json
"""


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "due", parents=[common], help="what is due this week (or in the next N days)",
        description=DESCRIPTION, epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    # Parsed in run(), not by an argparse type, so a bad value is one clear line.
    p.add_argument("--days", metavar="N", default="7",
                   help="how many days ahead, a whole number from 0 (today) to 3650; default 7")
    p.add_argument("--json", action="store_true",
                   help="print one JSON object (today, days, until, overdue, items)")
    p.set_defaults(run=run)


def parse_days(text: str) -> int:
    from riskreg.services.agenda import MAX_DAYS

    if not _WHOLE.fullmatch(text.strip()) or int(text) > MAX_DAYS:
        raise BadInput(f"--days {text!r} is not a whole number of days from 0 to {MAX_DAYS}")
    return int(text)


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.commands._output import print_json
    from riskreg.services.agenda import build_agenda

    days = parse_days(args.days)
    today = today_from_env()
    db = open_db(args)
    try:
        agenda = build_agenda(db, today, days)
    finally:
        db.close()
    if args.json:
        print_json(agenda.to_json_dict())
    else:
        print(render(agenda))
    return 0


def render(agenda) -> str:
    """The agenda as a table in words: the count first, then one line per item."""
    from riskreg.services.agenda import days_words, heading, record_words

    lines = [f"As of {agenda.today:%A} {agenda.today.isoformat()}: {heading(agenda)}"]
    if not agenda.items:
        return lines[0]
    rows = [(item.day.isoformat(), days_words(item.days_left), one_line(item.what),
             one_line(record_words(item))) for item in agenda.items]
    header = ("Date", "When", "What", "For")
    widths = [max(len(header[i]), *(len(r[i]) for r in rows)) for i in range(3)]
    lines.append("")
    for row in [header, *rows]:
        lines.append("  ".join(v.ljust(w) for v, w in zip(row, widths)) + "  " + row[3])
    return "\n".join(lines)
