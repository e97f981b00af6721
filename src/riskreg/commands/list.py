"""`riskreg list hazards|tools|safeguards|owners|consents`: the register for scripts."""

from argparse import Namespace
from datetime import date, datetime

from riskreg.domain.kinds import BY_CLI_NAME as KINDS
from riskreg.errors import one_line

# Columns of the readable table, per kind.
COLUMNS = {
    "hazard": ("title", "level", "current_level", "target_level", "status", "next_review_on", "owner"),
    "tool": ("name", "category", "handles_phi", "baa_status", "baa_expires_on", "baa_gap"),
    "safeguard": ("title", "category", "citation", "status", "due_on", "owner"),
    "owner": ("name", "role", "contact"),
    "consent": ("client_code", "disclosed_on", "decision", "written", "tool"),
}


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "list", parents=[common], help="list register records (for scripts: --json)",
        description="List the register's records, sorted by name or title. Archived records are "
        "left out unless --archived is given.",
    )
    p.add_argument("what", choices=sorted(KINDS), help="which records")
    p.add_argument("--json", action="store_true", help="print one JSON array")
    p.add_argument("--overdue", action="store_true",
                   help="only overdue records (hazard reviews, safeguard due/verification dates, "
                   "expired BAAs)")
    p.add_argument("--archived", action="store_true", help="list archived records instead")
    p.set_defaults(run=run)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_services
    from riskreg.commands._output import print_json
    from riskreg.services.register import ListQuery

    kind = KINDS[args.what]
    services = open_services(args)
    try:
        page = services.register.list(
            kind, ListQuery(limit=None, archived=args.archived, overdue=args.overdue)
        )
    finally:
        services.db.close()
    if args.json:
        print_json([{k: _plain(v) for k, v in row.items()} for row in page.rows])
        return 0
    columns = ("public_id",) + COLUMNS[kind]
    table = [[one_line(str(_plain(row.get(c)))) if row.get(c) is not None else "" for c in columns]
             for row in page.rows]
    widths = [max([len(c)] + [len(r[i]) for r in table]) for i, c in enumerate(columns)]
    widths[0] = 8  # the first 8 characters of a UUID are enough to tell records apart
    print("  ".join(c.ljust(w) for c, w in zip(columns, widths)).rstrip())
    for r in table:
        r[0] = r[0][:8]
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    print(f"{page.total} {args.what}" + (" (archived)" if args.archived else ""))
    return 0
