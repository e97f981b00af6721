"""`riskreg settings [--practice-name TEXT] [--practitioner TEXT] ...`: show or set the practice
settings (what the risk analysis report, the notices, the incident plan and the calendar read)."""

from __future__ import annotations

import argparse
from argparse import Namespace
from datetime import date, datetime

from riskreg.errors import BadInput, ValidationError, one_line, sentence

EPILOG = """\
Without options, prints the settings. Each option sets one of them (only those given);
an empty value ("") clears a text, and --risk-analysis-reviewed none clears the date.
A bad value changes nothing (exit status 2).

examples:
  riskreg settings
  riskreg settings --practice-name "Rivera Counseling" --practitioner "Dr. Sam Rivera"
  riskreg settings --home-state CA --alarms 14,7,1 --risk-analysis-reviewed 2026-11-01
  riskreg settings --federal-assistance yes --part2-records no

Environment: RISKREG_TODAY=YYYY-MM-DD fixes today's date (a review date may not be later).
"""

# Option -> settings field, in the order they are listed.
OPTIONS: dict[str, str] = {
    "--practice-name": "practice_name",
    "--practitioner": "practitioner",
    "--home-state": "home_state",
    "--internal-target-days": "internal_target_days",
    "--alarms": "alarm_days",
    "--risk-analysis-reviewed": "risk_analysis_reviewed_on",
    "--risk-analysis-cadence": "risk_analysis_cadence_months",
    "--federal-assistance": "federal_assistance",
    "--part2-records": "part2_records",
}
FLAG_OF = {field: option for option, field in OPTIONS.items()}

HELP = {
    "practice_name": ("TEXT", "the practice's name (on the risk analysis and the notices)"),
    "practitioner": ("TEXT", "the practitioner (privacy and security official)"),
    "home_state": ("XX", "the practice's state: a 2-letter USPS code, e.g. CA (\"\" clears)"),
    "internal_target_days": ("DAYS", "internal target for notices: this many days before each "
                             "legal due date (0-59; default 15)"),
    "alarm_days": ("LIST", "calendar alarms, days before each event: e.g. 14,7,1 or none"),
    "risk_analysis_reviewed_on": ("DATE", "when the whole risk analysis was last reviewed "
                                  "(YYYY-MM-DD, not in the future; none clears)"),
    "risk_analysis_cadence_months": ("MONTHS", "months between reviews of the whole risk "
                                     "analysis (1-36; default 12)"),
    "federal_assistance": ("yes|no", "the practice receives federal financial assistance "
                           "(e.g. Medicare Part B): Section 1557, 45 CFR 92.210, applies"),
    "part2_records": ("yes|no", "the practice holds 42 CFR Part 2 (SUD treatment) records"),
}


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "settings", parents=[common], help="show or set the practice settings",
        description="Show or set the practice settings: the practice's name and practitioner,\n"
        "home state, internal notification target, calendar alarms and the last review of\n"
        "the whole risk analysis (its next review is exported to the calendar).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    for option, field in OPTIONS.items():
        metavar, text = HELP[field]
        p.add_argument(option, dest=field, metavar=metavar, default=None, help=text)
    p.add_argument("--json", action="store_true",
                   help="print the settings (after any change) as one JSON object")
    p.set_defaults(run=run)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _shown(field: str, value) -> str:
    if value is None or value == "":
        return "(not set)"
    if field == "alarm_days" and value == "none":
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"

    return one_line(str(_plain(value)))


def _changes(args: Namespace) -> dict[str, str]:
    """The settings the command line gives, by field ("none" clears the review date)."""
    changes = {}
    for field in OPTIONS.values():
        value = getattr(args, field, None)
        if value is None:
            continue
        if field == "risk_analysis_reviewed_on" and value.strip().lower() == "none":
            value = ""
        changes[field] = value
    return changes


def run(args: Namespace) -> int:
    from riskreg.commands._db import open_services
    from riskreg.services.settings import LABELS

    changes = _changes(args)
    services = open_services(args)
    try:
        service = services.settings
        if changes:
            try:
                saved = service.update(changes, expected_revision=None)
            except ValidationError as error:
                raise BadInput(f"{FLAG_OF.get(error.field, error.field)}: "
                               f"{sentence(error.problem)} Nothing was changed.") from None
            settings, changed = saved.settings, saved.changed
        else:
            settings, changed = service.get(), {}
    finally:
        services.db.close()
    if args.json:
        from riskreg.commands._output import print_json

        print_json({k: _plain(v) for k, v in settings.items()})
        return 0
    if changes:
        if not changed:
            print("Nothing changed: the settings already had those values.")
        for field, (old, new) in changed.items():
            print(f"Changed {LABELS[field].lower()}: {_shown(field, old)} -> {_shown(field, new)}")
        return 0
    width = max(len(label) for label in LABELS.values())
    for field, label in LABELS.items():
        text = _shown(field, settings[field])
        if field == "risk_analysis_reviewed_on" and settings["next_risk_analysis_review_on"]:
            text += f" (next review due {settings['next_risk_analysis_review_on'].isoformat()})"
        print(f"{label.ljust(width)}  {text}")
    if settings["public_id"] is None:
        print("(defaults: nothing saved yet)")
    return 0
