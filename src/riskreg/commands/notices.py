"""`riskreg notices ...`: the notices of an incident (issue 21). `letters`: printable letters to
the people a breach affected, merged from a recipients file that is never stored; `sent`: record
a notice as sent; `substitute`, `media`, `hhs` (commands/notices_other.py): the other notices."""

from __future__ import annotations

import argparse
import sys
from argparse import Namespace

from riskreg.errors import BadInput, one_line

EPILOG = """\
The recipients file is a CSV with a header row, as your EHR or practice-management system
exports it: a name column (Name, Full name, Client, Patient name, or First name and Last name),
address columns (Address or Address 1 or Street; Address 2; City; State; ZIP or Postal code)
and, optionally, a next-of-kin marker column (Next of kin: yes) for a letter to the next of kin
of a person who has died (45 CFR 164.404(d)(1)(ii)). Other header names: --map.

The names and addresses go from that file to the letters and nowhere else: not the register,
not the audit log (which records the count, the count per state, the file's name and SHA-256).
Delete the recipients file and the letters once mailed, or keep them in an encrypted folder.

examples:
  riskreg notices letters INC-2026-002 --recipients clients.csv --out letters.html
  riskreg notices letters INC-2026-002 --recipients export.csv --map name=Client,address1=Street \\
      --out letters.md
"""


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "notices", parents=[common], help="write an incident's notices: letters, substitute, "
        "media, HHS",
        description="The notices of an incident: printable letters merged from a recipients "
        "file (45 CFR 164.404(c) and (d)), the substitute notice, the media notices and the HHS "
        "portal checklist.", epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    kinds = p.add_subparsers(dest="notices_action", metavar="ACTION")
    p.set_defaults(run=run_choose, notices_parser=p)
    letters = kinds.add_parser(
        "letters", parents=[common], help="one letter per person, ready to print",
        description="One letter per person in the recipients file, one per printed page, the "
        "address placed for a windowed #10 envelope, with every element 164.404(c) requires and "
        "the content a resident's state requires. Checks first (one line each, rows by number).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    letters.add_argument("ref", metavar="REF", help="the incident's reference, e.g. INC-2026-002")
    letters.add_argument("--recipients", metavar="FILE.csv", required=True,
                         help="the recipients file (CSV, UTF-8)")
    letters.add_argument("--out", metavar="FILE", required=True,
                         help="the letters: FILE.html (self-contained, prints cleanly) or FILE.md")
    letters.add_argument("--format", choices=("html", "md"),
                         help="html or md (default: from --out's extension, else html)")
    letters.add_argument("--map", metavar="FIELD=HEADER,...",
                         help="which column holds what: name, first, last, address1, address2, "
                         "city, state, zip, kin (e.g. name=Client,address1=Street)")
    letters.add_argument("--keep-incomplete", action="store_true",
                         help="print rows without a complete address too (left out by default)")
    letters.set_defaults(run=run_letters)
    sent = kinds.add_parser(
        "sent", parents=[common], help="record a notice as sent (the proof, 164.414(b))",
        description="Record one notice of the incident's plan as sent: which, when, how and to "
        "how many. For the individuals' notice the count defaults to the last letters printed "
        "(`notices letters`).",
    )
    sent.add_argument("ref", metavar="REF", help="the incident's reference")
    sent.add_argument("--for", dest="obligation", default="individuals", metavar="OBLIGATION",
                      help="the obligation's id, as `incidents show --json` gives it "
                      "(default: individuals)")
    sent.add_argument("--on", dest="sent_on", metavar="YYYY-MM-DD",
                      help="the day it went out (default: today)")
    sent.add_argument("--method", default="mail", help="mail, email, phone, website, media, "
                      "portal or other (default: mail)")
    sent.add_argument("--count", type=int, help="how many people or letters (default for the "
                      "individuals' notice: the last letters run's count)")
    sent.add_argument("--reference", default="", help="e.g. the HHS portal's number")
    sent.add_argument("--notes", default="")
    sent.set_defaults(run=run_sent)
    from riskreg.commands.notices_other import add_other_notice_commands

    add_other_notice_commands(kinds, common)


def run_choose(args: Namespace) -> int:
    args.notices_parser.print_usage(sys.stderr)
    print("riskreg notices: choose a notice: letters, sent, substitute, media, hhs",
          file=sys.stderr)
    return 2


def run_letters(args: Namespace) -> int:
    from riskreg.commands._db import open_db, resolve_db, today_from_env
    from riskreg.services.letters.recipients import parse_map
    from riskreg.services.letters.service import LettersService, letters_format
    from riskreg.storage.files import check_output_path

    if not args.out.strip():
        raise BadInput("notices letters: --out FILE.html or FILE.md is required")
    mapping = parse_map(args.map)
    fmt = letters_format(args.out, args.format)
    check_output_path(args.out, database=resolve_db(args))
    today = today_from_env()
    db = open_db(args)
    try:
        service = LettersService(db, today=lambda: today)
        checked = service.check(args.ref, args.recipients, mapping=mapping,
                                keep_incomplete=args.keep_incomplete)
        for warning in checked.warnings:
            print(f"riskreg: warning: {one_line(warning)}", file=sys.stderr)
        written = service.write(checked, args.out, fmt)
    finally:
        db.close()
    print(f"{checked.summary()} written to {one_line(str(written.path))} "
          f"(SHA-256 {written.sha256})")
    print("Delete the recipients file and the letters once mailed, or keep them in an "
          "encrypted folder.")
    return 0


def run_sent(args: Namespace) -> int:
    from riskreg.commands._db import open_services

    services = open_services(args)
    try:
        service = services.incidents
        record = service.get(args.ref)
        count, said = args.count, ""
        runs = record.get("letters") or []
        if count is None and args.obligation == "individuals" and runs:
            count = runs[-1].get("count")
            said = f" (the letters printed on {runs[-1]['at']:%Y-%m-%d})"
        saved = service.record_notice_sent(record["reference"], {
            "obligation_id": args.obligation, "sent_on": args.sent_on or service.today(),
            "method": args.method, "count": count, "reference": args.reference,
            "notes": args.notes,
        }, record["revision"])
    finally:
        services.db.close()
    counted = f" to {count:,}{said}" if count is not None else ""
    print(f"Recorded for {saved['reference']}: {one_line(args.obligation)} sent on "
          f"{args.sent_on or service.today()}{counted}")
    return 0
