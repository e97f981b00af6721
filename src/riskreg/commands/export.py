"""`riskreg export <what>`: the register and the incidents' deadlines as files for other tools.

Each sub-action (`ics`, `vdir`, `json`, `csv`) adds its own parser in `_register_<name>` and runs in
`_run_<name>`;
add another by writing that pair and listing it in ACTIONS. Values are checked in `run_*`, so a
bad flag is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from argparse import Namespace
from pathlib import Path

from riskreg.domain.text import plural
from riskreg.errors import BadInput, one_line

ICS_DESCRIPTION = """\
Write every deadline and review date to an iCalendar (.ics) file that Google Calendar, Apple
Calendar, Outlook and Thunderbird import: incident obligations with their internal targets and
law-enforcement hold ends, hazard reviews and risk-acceptance expiries, the yearly risk analysis,
safeguard due and verification dates, and BAA expiry dates.

Without --out, the practice's feed is written: one fixed file beside the database (in the user
data folder for the default database; `--where` prints its path). Subscribe your calendar to
it: a subscribed calendar follows every later export (it asks to be refreshed hourly).

All-day events with stable UIDs. Each file remembers (in the database) what it was given: a
changed event gets a higher SEQUENCE, and one whose source is gone (a dropped obligation, a
cleared date, reminder events no longer asked for) is sent as cancelled ("[REMOVED]", no
alarms). Done obligations, finished safeguards and archived records are exported as
cancelled ("[DONE]", no alarms), never left looking open. Exporting unchanged data gives a
byte-identical file. Incident events carry only the reference and the obligation, never the
incident's description or anyone's name (--details adds the incident's title, after a warning).

The file is written atomically and readable by you only (mode 600).

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (what counts as overdue).
"""

ICS_EPILOG = """\
examples:
  riskreg export ics                 (the feed; riskreg export ics --where prints its path)
  riskreg export ics --out ~/riskreg-deadlines.ics
  riskreg export ics --out deadlines.ics --only reviews,safeguards --alarms 7
  riskreg export ics --out inc.ics --incident INC-2026-003 --reminder-events
"""

DETAILS_WARNING = (
    "riskreg: warning: --details puts each incident's title into the calendar file. Calendars "
    "are often synced to other services and shared; make sure no title names a client."
)


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "export", parents=[common],
        help="export deadlines (.ics), the whole database (.json) or a spreadsheet (.csv)",
        description="Export the register's and the incidents' data as files for other tools.",
    )
    actions = p.add_subparsers(dest="export_action", metavar="WHAT")
    for name, (add, _help) in ACTIONS.items():
        add(actions, common, name, _help)
    p.set_defaults(run=run)


def run(args: Namespace) -> int:
    action = getattr(args, "export_action", None)
    if action is None:

        raise BadInput(f"export: choose what to export: {', '.join(ACTIONS)} "
                       f"(e.g. riskreg export ics --out deadlines.ics)")
    return args.run_action(args)


# -- export ics --------------------------------------------------------------------------------


def _add_event_options(p) -> None:
    p.add_argument("--incident", metavar="REF",
                   help="only this incident's deadlines (e.g. INC-2026-003)")
    p.add_argument("--only", metavar="GROUPS",
                   help="comma-separated: incidents,reviews,safeguards,baa (default: all; "
                   "with --incident: incidents)")
    p.add_argument("--alarms", metavar="DAYS",
                   help="alarms, in days before, most important first (default: the practice "
                   "settings, else 14,7,1); 'none' for no alarms")
    p.add_argument("--reminder-events", action="store_true",
                   help="also write separate reminder events (for Google Calendar, which drops "
                   "alarms on import)")
    p.add_argument("--details", action="store_true",
                   help="add each incident's title to its events (warned: calendars are shared)")


def _register_ics(actions, common, name: str, help_text: str) -> None:
    p = actions.add_parser(
        name, parents=[common], help=help_text, description=ICS_DESCRIPTION, epilog=ICS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", metavar="PATH",
                   help="the .ics file to write (default: the practice's feed, see --where)")
    p.add_argument("--where", action="store_true",
                   help="print the feed's path and exit (nothing is written)")
    _add_event_options(p)
    p.set_defaults(run_action=_run_ics)


def _check_out(args: Namespace) -> None:
    """Refuse an --out that names the register's own files or an odd file (a FIFO, a device, a
    link) before the database is opened or anything is written."""
    from riskreg.commands._db import resolve_db
    from riskreg.storage.files import check_output_path

    check_output_path(args.out, database=resolve_db(args))


def _ics_options(args: Namespace, what: str = "ics"):
    """ExportOptions from the flags; BadInput (exit 2, one line) for any bad value."""
    from riskreg.domain.calendar_event import GROUPS, parse_alarm_days, parse_groups

    if what == "vdir" and (not args.out or not args.out.strip()):
        raise BadInput("export vdir: --out DIR is required (the vdir folder to write)")
    if args.out is not None and not args.out.strip():
        raise BadInput("export ics: --out PATH is empty (leave it out to write the feed)")
    if args.out is not None and what == "ics":
        _check_out(args)
    try:
        groups = parse_groups(args.only) if args.only is not None else None
    except ValueError as error:
        raise BadInput(f"--only: {error}") from None
    # `is not None`: an empty --incident "" is refused below, not read as "every incident".
    incident = args.incident.strip().upper() if args.incident is not None else None
    if incident is not None:
        if not incident:
            raise BadInput("--incident: give a reference such as INC-2026-003")
        if what == "ics" and args.out is None:
            # The feed holds the whole practice: one incident's export to it would send every
            # other event cancelled to the calendars subscribed to it.
            raise BadInput(f"--incident: give --out FILE for one incident's deadlines (e.g. "
                           f"--out {incident}.ics); the feed holds the whole practice")
        if groups is None:
            groups = ("incidents",)
        elif "incidents" not in groups:
            raise BadInput("--incident needs 'incidents' in --only")
    try:
        alarms = parse_alarm_days(args.alarms) if args.alarms is not None else None
    except ValueError as error:
        raise BadInput(f"--alarms: {error}") from None
    from riskreg.services.calendar import ExportOptions

    return ExportOptions(
        groups=groups or GROUPS, alarm_days=alarms, reminder_events=args.reminder_events,
        details=args.details, incident=incident,
    )


def _feed(args: Namespace) -> Path:
    """The feed of the database the flags name (its folder's links resolved)."""
    import os

    from riskreg.commands._db import resolve_db
    from riskreg.services.calendar_targets import feed_path

    path = feed_path(Path(resolve_db(args)).expanduser())
    return Path(os.path.realpath(path.parent)) / path.name


def _run_ics(args: Namespace) -> int:
    if args.where:
        print(one_line(str(_feed(args))))
        return 0
    options = _ics_options(args)
    if options.details:
        print(DETAILS_WARNING, file=sys.stderr)
    from riskreg.commands._db import open_services
    from riskreg.services.calendar_targets import describe, export_file

    services = open_services(args)
    try:
        summary = export_file(services.calendar, args.out, options)
    finally:
        services.db.close()
    print(describe(summary))
    return 0


# -- export vdir ---------------------------------------------------------------------------------

VDIR_DESCRIPTION = """Write every deadline and review date into a vdir: a folder holding one .ics file per event,
named from its UID, the format khal reads and vdirsyncer syncs to a CalDAV server (Fastmail,
iCloud, Nextcloud, Google's CalDAV). The same events as `riskreg export ics`, with the same
options.

Each item is written atomically, readable by you only (mode 600); the folder is created
private (700) if it does not exist. An unchanged event's file is left as it is. One whose
source is gone is rewritten as cancelled ("[REMOVED]"), and removed on a later export. A folder
that holds anything but .ics files is refused: it is not a calendar.

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (what counts as overdue).
"""


def _register_vdir(actions, common, name: str, help_text: str) -> None:
    p = actions.add_parser(
        name, parents=[common], help=help_text, description=VDIR_DESCRIPTION,
        epilog="example:\n  riskreg export vdir --out ~/.calendars/riskreg",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", metavar="DIR", help="the vdir folder to write (required)")
    _add_event_options(p)
    p.set_defaults(run_action=_run_vdir)


def _run_vdir(args: Namespace) -> int:
    options = _ics_options(args, "vdir")
    from riskreg.commands._db import open_services, resolve_db
    from riskreg.services.calendar_targets import check_vdir, describe

    check_vdir(args.out, Path(resolve_db(args)).expanduser())  # before the database is opened
    if options.details:
        print(DETAILS_WARNING, file=sys.stderr)
    services = open_services(args)
    try:
        summary = services.calendar.export_vdir(args.out, options)
    finally:
        services.db.close()
    print(describe(summary, vdir=True))
    return 0


# -- export json / csv ---------------------------------------------------------------------------

JSON_DESCRIPTION = """\
Write the whole database to one JSON file: every record of every table with its public id (never
an internal id; a reference is the other record's public id), the audit log as stored, the format
version, the schema revision and the export time. Lossless: `riskreg import json` into an empty
database gives back the same data, and its audit chain still verifies.

The file holds everything in the register, incidents included: keep it as private as the
database. It is written atomically and readable by you only (mode 600).
"""

CSV_DESCRIPTION = """\
Write one kind of record to a CSV file for a spreadsheet: UTF-8 (with a byte-order mark, for
Excel), a header row, one row per record. Cells that a spreadsheet would run as a formula
(starting with = + - @, a tab or a carriage return) are prefixed with an apostrophe. Incidents are
listed by reference, title and dates, never their descriptions. Mode 600, written atomically.
"""


def _register_json(actions, common, name: str, help_text: str) -> None:
    p = actions.add_parser(
        name, parents=[common], help=help_text, description=JSON_DESCRIPTION,
        epilog="example:\n  riskreg export json --out riskreg-export.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--out", metavar="PATH", help="the .json file to write (required)")
    p.set_defaults(run_action=_run_json)


def _run_json(args: Namespace) -> int:

    if not args.out or not args.out.strip():
        raise BadInput("export json: --out PATH is required (the .json file to write)")
    _check_out(args)
    from riskreg.commands._db import open_db
    from riskreg.services.transfer import export_json

    db = open_db(args)
    try:
        summary = export_json(db, args.out)
    finally:
        db.close()
    print(f"{plural(summary.records, 'record')} and {plural(summary.events, 'audit event')} written to {one_line(str(summary.path))}")
    return 0


def _register_csv(actions, common, name: str, help_text: str) -> None:
    p = actions.add_parser(
        name, parents=[common], help=help_text, description=CSV_DESCRIPTION,
        epilog="example:\n  riskreg export csv --what hazards --out hazards.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--what", metavar="KIND",
                   help="hazards, tools, safeguards or incidents (required)")
    p.add_argument("--out", metavar="PATH", help="the .csv file to write (required)")
    p.add_argument("--archived", action="store_true", help="the archived records instead")
    p.set_defaults(run_action=_run_csv)


def _run_csv(args: Namespace) -> int:
    from riskreg.services.csv_export import WHAT

    if args.what not in WHAT:
        raise BadInput(f"export csv: --what must be one of: {', '.join(WHAT)}")
    if not args.out or not args.out.strip():
        raise BadInput("export csv: --out PATH is required (the .csv file to write)")
    _check_out(args)
    from riskreg.commands._db import open_db, today_from_env
    from riskreg.services.csv_export import export_csv

    today = today_from_env()
    db = open_db(args)
    try:
        count = export_csv(db, args.what, args.out, today=lambda: today, archived=args.archived)
    finally:
        db.close()
    print(f"{count} {args.what if count != 1 else args.what.removesuffix('s')} written to "
          f"{one_line(str(Path(args.out).expanduser()))}")
    return 0


# name -> (add its parser, one-line help). Keep `ics` first.
ACTIONS = {
    "ics": (_register_ics, "deadlines and review dates as an iCalendar file (the feed)"),
    "vdir": (_register_vdir, "the same as a vdir folder, one .ics file per event (khal, "
             "vdirsyncer)"),
    "json": (_register_json, "the whole database as one JSON file (for riskreg import json)"),
    "csv": (_register_csv, "hazards, tools, safeguards or incidents for a spreadsheet"),
}
