"""`riskreg risk-analysis sign|list|diff|review`: the yearly risk analysis, signed and compared
(issue 23; OCR's guidance on risk analysis, element 9: periodic review and update)."""

import json
import sys
from argparse import Namespace
from datetime import date, datetime
from typing import Any

from riskreg.domain.text import plural
from riskreg.errors import UserError, one_line

DESCRIPTION = """\
Sign the risk analysis (a read-only snapshot of the whole register, its SHA-256 in the audit
log), list the signed analyses, show what changed since one, and follow the year's review."""

DIFF_HELP = """\
FROM and TO are a signed analysis's date (YYYY-MM-DD; the last one signed that day) or its id
(8 or more characters). FROM defaults to the last signed analysis, TO to the register now.
Records are matched by their permanent id; a record changed when any field's value differs
(bookkeeping such as revision and updated_at is not compared)."""


def add_command(sub, common) -> None:
    p = sub.add_parser("risk-analysis", parents=[common], description=DESCRIPTION,
                       help="sign the risk analysis, compare it with an earlier one, review it")
    actions = p.add_subparsers(dest="ra_action", metavar="ACTION", required=True)
    sign = actions.add_parser("sign", parents=[common], help="sign the risk analysis as it stands",
                              description="Freeze the register as it stands, signed by NAME.")
    sign.add_argument("--by", required=True, metavar="NAME", help="who signs")
    sign.add_argument("--note", default="", metavar="TEXT", help="a note kept with the sign-off")
    sign.add_argument("--force", action="store_true",
                      help="sign although the year's review has items left")
    sign.set_defaults(run=run_sign)
    listing = actions.add_parser("list", parents=[common], help="the signed analyses")
    listing.add_argument("--json", action="store_true", help="print them as JSON")
    listing.set_defaults(run=run_list)
    diff = actions.add_parser("diff", parents=[common], description=DIFF_HELP,
                              help="what changed since a signed analysis")
    diff.add_argument("since", nargs="?", metavar="FROM")
    diff.add_argument("until", nargs="?", metavar="TO")
    diff.add_argument("--json", action="store_true", help="print the changes as JSON")
    diff.set_defaults(run=run_diff)
    review = actions.add_parser(
        "review", parents=[common], help="the year's review: what is left",
        description="The year's review, guided: each hazard reviewed or carried forward with a "
        "reason, each tool's BAA and checklist confirmed, each addressable safeguard's decision "
        "re-confirmed. Without an option, shows the progress.")
    review.add_argument("--start", action="store_true", help="start the year's review today")
    review.add_argument("--carry-forward", metavar="HAZARD_ID",
                        help="carry a hazard forward unchanged (needs --reason)")
    review.add_argument("--confirm", nargs=2, metavar=("KIND", "ID"),
                        help="confirm a tool's BAA and checklist or a safeguard's decision "
                        "(KIND: tool or safeguard)")
    review.add_argument("--reason", default="", metavar="TEXT")
    review.add_argument("--json", action="store_true", help="print the checklist as JSON")
    review.set_defaults(run=run_review)


def _services(args: Namespace) -> Any:
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.services.annual_review import AnnualReviewService
    from riskreg.services.risk_analysis import RiskAnalysisService

    today = today_from_env()
    db = open_db(args)
    return db, RiskAnalysisService(db, today=lambda: today), AnnualReviewService(
        db, today=lambda: today)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def run_sign(args: Namespace) -> int:
    db, ra, review = _services(args)
    try:
        progress = review.progress()
        if progress is not None and progress.left:
            print(f"riskreg: the review started {progress.started_on} has "
                  f"{len(progress.left)} items left ({'; '.join(progress.lines())})",
                  file=sys.stderr)
            if not args.force:
                raise UserError("nothing was signed: finish the review "
                                "(riskreg risk-analysis review) or sign with --force")
        signed = ra.sign(args.by, args.note)
    finally:
        db.close()
    counts = signed["counts"]
    print(f"Signed the risk analysis of {signed['signed_on']} by {one_line(signed['signed_by'])}: "
          f"{plural(counts['tool'], 'tool')}, {plural(counts['hazard'], 'hazard')}, "
          f"{plural(counts['safeguard'], 'safeguard')}.")
    print(f"Snapshot {signed['public_id']}, SHA-256 {signed['sha256']}")
    print(f"Audit chain head then: event {signed['audit_seq']}, {signed['audit_hash'][:16]}")
    return 0


def run_list(args: Namespace) -> int:
    db, ra, _ = _services(args)
    try:
        snapshots = ra.snapshots()
    finally:
        db.close()
    if args.json:
        print(json.dumps([{k: _plain(v) for k, v in s.items() if k != "statement"}
                          for s in snapshots], indent=2))
        return 0
    if not snapshots:
        print("No risk analysis has been signed yet (riskreg risk-analysis sign --by NAME).")
        return 0
    for s in snapshots:
        c = s["counts"]
        print(f"{s['signed_on']}  {s['public_id'][:8]}  {one_line(s['signed_by'])}  "
              f"{c['tool']} tools, {c['hazard']} hazards, {c['safeguard']} safeguards  "
              f"sha256 {s['sha256'][:16]}")
    return 0


def run_diff(args: Namespace) -> int:
    db, ra, _ = _services(args)
    try:
        changes = ra.changes(args.since, args.until)
    finally:
        db.close()
    if args.json:
        print(json.dumps(changes.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"Changes from {one_line(changes.since_label)} to {one_line(changes.until_label)}:")
    if not changes.lines:
        print("  nothing changed.")
    group = None
    for line in changes.lines:
        if line.group != group:
            group = line.group
            print(f"{group}:")
        print(f"  {one_line(line.title)}: {one_line(line.what)}")
    return 0


def run_review(args: Namespace) -> int:
    db, _, review = _services(args)
    try:
        if args.start:
            progress = review.start()
        elif args.carry_forward:
            progress = review.settle("hazard", args.carry_forward, "carried_forward",
                                     args.reason)
        elif args.confirm:
            kind, public_id = args.confirm
            progress = review.settle(kind, public_id, "confirmed", args.reason)
        else:
            progress = review.progress()
    finally:
        db.close()
    if progress is None:
        if args.json:
            print(json.dumps(None))
            return 0
        print("No review is under way. Start the year's review: riskreg risk-analysis review "
              "--start")
        return 0
    if args.json:
        print(json.dumps(progress.as_json(), indent=2, ensure_ascii=False))
        return 0
    print(f"The review started {progress.started_on}:")
    for line in progress.lines():
        print(f"  {line}")
    for item in progress.left:
        print(f"  [ ] {item.kind} {item.public_id[:8]}  {one_line(item.title)}: {item.how}")
    return 0
