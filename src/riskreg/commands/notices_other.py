"""`riskreg notices substitute|media|hhs`: the notices beyond the letters, as self-contained HTML
or Markdown (issue 21, item 5). Hooked into the `notices` group by `add_other_notice_commands`."""

from __future__ import annotations

import argparse
from argparse import Namespace

from riskreg.errors import BadInput, one_line

EPILOG = """\
The format follows --format, else the file's extension: .html (self-contained, prints cleanly)
or .md. The file is written atomically and readable by you only (mode 600).

examples:
  riskreg notices substitute INC-2026-003 --out INC-2026-003-substitute.html
  riskreg notices media INC-2026-003 --state FL --out INC-2026-003-media-FL.md
  riskreg notices hhs INC-2026-003 --out INC-2026-003-hhs.html

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (the days left to each deadline).
Not legal advice: have counsel review every notice before it goes out.
"""

COMMANDS = {
    "substitute": (
        "the substitute notice (164.404(d)(2))",
        "For the people whose contact information is insufficient or out of date: 10 or more, "
        "the web-posting text with its 90-day end date and the toll-free number's call script; "
        "fewer than 10, the alternative written notice and the telephone text. Each with the "
        "content of 45 CFR 164.404(c).",
    ),
    "media": (
        "the media notice per state (164.406)",
        "A press release to prominent media outlets serving each state or jurisdiction with "
        "more than 500 of its residents affected, due 60 days after discovery, with the content "
        "of 164.404(c). Several states without --state: one file each, FILE's name with -XX "
        "before its extension.",
    ),
    "hhs": (
        "the HHS breach portal checklist (164.408)",
        "Every question the OCR breach portal asks, answered from the incident where it is "
        "known and a visible [TO DO] where not, with the deadline of the incident's track "
        "(500 or more: with the individual notice; fewer: the yearly log).",
    ),
}


def add_other_notice_commands(subparsers, common: argparse.ArgumentParser | None = None) -> None:
    """Add substitute, media and hhs to the `notices` group's subparsers (`common`: the options
    every subcommand takes, --db and --encrypted)."""
    parents = [common] if common is not None else []
    for name, (short, description) in COMMANDS.items():
        p = subparsers.add_parser(name, parents=parents, help=short, description=description,
                                  epilog=EPILOG,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        p.add_argument("ref", metavar="REF", help="the incident's reference, e.g. INC-2026-003")
        if name == "media":
            p.add_argument("--state", metavar="XX", help="only this state's press release")
        p.add_argument("--out", metavar="FILE", help="FILE.html or FILE.md (required)")
        p.add_argument("--format", choices=("html", "md"), default=None,
                       help="html or md (default: from FILE's extension)")
        p.set_defaults(run=_run, notice_kind=name)


def _run(args: Namespace) -> int:
    from riskreg.commands._db import open_db, resolve_db, today_from_env
    from riskreg.services import other_notices as notices

    if not args.out or not args.out.strip():
        raise BadInput(f"notices {args.notice_kind}: --out FILE.html or FILE.md is required")
    notices.check_out(args.out, resolve_db(args), args.format)
    today = today_from_env()
    db = open_db(args)
    try:
        if args.notice_kind == "media":
            paths, ref = notices.write_media(db, args.ref, args.out, today, args.state,
                                             args.format)
            for state, path in paths:
                print(f"Media notice for {ref} ({state}) written to {one_line(str(path))}")
            return 0
        write = notices.write_substitute if args.notice_kind == "substitute" else notices.write_hhs
        path, ref = write(db, args.ref, args.out, today, args.format)
    finally:
        db.close()
    words = {"substitute": "Substitute notice", "hhs": "HHS portal checklist"}
    print(f"{words[args.notice_kind]} for {ref} written to {one_line(str(path))}")
    return 0
