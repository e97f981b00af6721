"""`riskreg audit verify [--json]`: is the file sound, does the audit log's hash chain hold, and
does the log explain every record?"""

import json
from argparse import Namespace

from riskreg.domain.text import plural
from riskreg.errors import one_line

DESCRIPTION = """\
The audit log records every change, chained by hashes. `verify` checks, in order: that the
database file is not damaged (SQLite's integrity check); that no event of the log was edited,
removed or inserted (the hash chain); and that the log explains every record: each record's
events, replayed, give the record as stored. Exit 0 when all hold; exit 1 naming what does not
(records by kind and public id)."""


def add_command(sub, common) -> None:
    p = sub.add_parser("audit", parents=[common], help="check the audit log",
                       description="The audit log records every change, chained by hashes.")
    actions = p.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify", parents=[common], description=DESCRIPTION,
        help="verify the file, the hash chain and the records (exit 1 naming what does not hold)",
    )
    verify.add_argument("--json", action="store_true", help="print the findings as one object")
    verify.set_defaults(run=run)


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_db
    from riskreg.services.audit_check import verify_database

    db = open_db(args)
    try:
        report = verify_database(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(_as_json(report), indent=2))
    else:
        for line in _lines(report):
            print(line)
    return 0 if report.ok else 1


def _lines(report) -> list[str]:

    if report.damaged is not None:
        return [f"Database file DAMAGED: SQLite's integrity check says "
                f"{one_line(report.damaged)!r}. Nothing was checked further; restore the newest "
                "good backup (riskreg restore)."]
    chain = report.chain
    if chain.ok:
        lines = [f"Audit log intact: {plural(chain.checked, 'event')} checked; "
                 f"last hash {chain.last_hash[:16]}."]
    else:
        lines = [f"Audit log BROKEN: {one_line(chain.problem)}. "
                 f"{plural(chain.checked, 'event')} before it verified."]
    if report.unexplained:
        lines.append(f"Records NOT explained by the audit log: {len(report.unexplained)} of "
                     f"{report.records}:")
        lines += [f"  {finding}" for finding in report.unexplained]
    else:
        lines.append(f"Every record ({report.records}) is as its audit log records it.")
    return lines


def _as_json(report) -> dict:
    chain = report.chain
    return {
        "ok": report.ok,
        "damaged": report.damaged,
        "chain": None if chain is None else {
            "ok": chain.ok, "events": chain.checked, "last_hash": chain.last_hash,
            "problem": chain.problem or None, "bad_event": chain.bad_event,
        },
        "records": report.records,
        "unexplained": report.unexplained,
    }
