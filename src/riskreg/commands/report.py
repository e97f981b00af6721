"""`riskreg report risk-analysis|dossier`: the documentation, as self-contained HTML or as
Markdown."""

from __future__ import annotations

import argparse
import sys
from argparse import Namespace

from riskreg.errors import BadInput, one_line

EPILOG = """\
The format follows the file's extension: .html (self-contained, prints cleanly) or .md.
The file is written atomically and readable by you only (mode 600).

examples:
  riskreg report risk-analysis --out risk-analysis-2026.html
  riskreg report dossier INC-2026-003 --out INC-2026-003.md

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (what counts as overdue).
"""


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "report", parents=[common], help="write the risk analysis or an incident dossier",
        description="Write the practice's documentation: the risk analysis (45 CFR "
        "164.308(a)(1)(ii)(A)) or one incident's dossier (164.414(b): the burden of proof).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = p.add_subparsers(dest="report_kind", metavar="WHAT")
    ra = kinds.add_parser(
        "risk-analysis", parents=[common], help="the documented risk analysis",
        description="Scope, method (scales, score bands, review cadence), the tools with their "
        "BAAs and vendor checklists, every hazard with its inherent, current and target scores, every "
        "safeguard with its citation and evidence, the review history, open items, overdue "
        "reviews and the heat maps.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ra.add_argument("--out", metavar="FILE", help="FILE.html or FILE.md (required)")
    ra.set_defaults(run_report=_run_risk_analysis)
    inc = kinds.add_parser(
        # "dossier" is the app's word for it; "incident" was its first name here and still works.
        "dossier", aliases=["incident"], parents=[common], help="one incident's dossier",
        description="The incident's timeline, facts, determination with the four factors and "
        "the rationale, obligations with due and sent dates, law-enforcement holds, the notices "
        "as sent, its audit trail and the audit chain's verification. Not legal advice.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inc.add_argument("ref", metavar="REF", help="the incident's reference, e.g. INC-2026-003")
    inc.add_argument("--out", metavar="FILE", help="FILE.html or FILE.md (required)")
    inc.set_defaults(run_report=_run_incident)
    p.set_defaults(run=run, report_parser=p)


def run(args: Namespace) -> int:
    if getattr(args, "report_kind", None) is None:
        args.report_parser.print_usage(sys.stderr)
        print("riskreg report: choose a report: risk-analysis, dossier", file=sys.stderr)
        return 2
    return args.run_report(args)


def _out(args: Namespace) -> str:
    from riskreg.commands._db import resolve_db
    from riskreg.services.reports import report_format
    from riskreg.storage.files import check_output_path

    if not args.out or not args.out.strip():
        raise BadInput(f"report {args.report_kind}: --out FILE.html or FILE.md is required")
    # Before the extension: "--out d.db is the database itself" says more than "has .db".
    check_output_path(args.out, database=resolve_db(args))
    report_format(args.out)
    return args.out


def _run_risk_analysis(args: Namespace) -> int:
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.services.reports import write_risk_analysis

    out = _out(args)
    today = today_from_env()
    db = open_db(args)
    try:
        path = write_risk_analysis(db, out, today)
    finally:
        db.close()
    print(f"Risk analysis as of {today.isoformat()} written to {one_line(str(path))}")
    return 0


def _run_incident(args: Namespace) -> int:
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.services.reports import write_incident_report

    out = _out(args)
    today = today_from_env()
    db = open_db(args)
    try:
        path, reference = write_incident_report(db, args.ref, out, today)
    finally:
        db.close()
    print(f"Incident dossier for {reference} written to {one_line(str(path))}")
    return 0
