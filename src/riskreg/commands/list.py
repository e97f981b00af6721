"""`riskreg list hazards|tools|safeguards|owners|consents`: the register for scripts."""

from argparse import Namespace
from datetime import date, datetime

from riskreg.domain.kinds import BY_CLI_NAME as KINDS
from riskreg.domain.text import plural
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


HEADERS = {"public_id": "Id", "level": "Inherent", "current_level": "Current",
           "target_level": "Target", "baa_gap": "BAA problem", "disclosed_on": "Disclosed",
           "written": "In writing", "due_on": "Due"}
"""Column headings where the audit's field label (services/change_words.LABELS) would be long
or not say it; every other column is headed by that label."""


def _header(column: str) -> str:
    from riskreg.services.change_words import field_label

    return HEADERS.get(column) or field_label(column)


def _labels(kind: str) -> dict[str, dict[str, str]]:
    """The labels of the values chosen from a list, by column, for `kind`: what the app shows."""
    from riskreg.domain import register as reg
    from riskreg.domain import vocabulary as words

    status = {"hazard": reg.HAZARD_STATUSES, "safeguard": reg.SAFEGUARD_STATUSES}.get(kind, {})
    category = {"tool": words.TOOL_CATEGORIES,
                "safeguard": words.SAFEGUARD_CATEGORIES}.get(kind, {})
    return {"status": status, "category": category, "baa_status": words.BAA_STATUSES,
            "decision": reg.CONSENT_DECISIONS}


def _cell(column: str, value, labels: dict[str, dict[str, str]]) -> str:
    """One value as the app shows it: a label for a value chosen from a list, yes or no for a
    flag, a date as YYYY-MM-DD; the stored values stay in --json."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value in labels.get(column, {}):
        return labels[column][value]
    return one_line(str(_plain(value)))


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
    labels = _labels(kind)
    table = [[_cell(c, row.get(c), labels) for c in columns] for row in page.rows]
    headers = [_header(c) for c in columns]
    widths = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(headers)]
    widths[0] = 8  # the first 8 characters of a UUID are enough to tell records apart
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    for r in table:
        r[0] = r[0][:8]
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip())
    print(plural(page.total, args.what.removesuffix("s"), args.what)
          + (" (archived)" if args.archived else ""))
    _print_ai_flags(page.rows)
    return 0


def _print_ai_flags(rows) -> None:
    """Under the table, what the AI rules (data/ai_rules.json) flag, one line each, as the app's
    record screen shows it."""
    flagged = [(row, flag) for row in rows for flag in row.get("ai_flags") or ()]
    if not flagged:
        return
    print()
    print("AI rules (verify with counsel):")
    for row, flag in flagged:
        name = row.get("name") or row.get("client_code") or ""
        print(f"  {row['public_id'][:8]}  {one_line(name)}: {one_line(flag)}")
