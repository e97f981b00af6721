"""`riskreg incidents list|show`: the breach workflow's incidents, for scripts and for counsel."""

from __future__ import annotations

import textwrap
from argparse import Namespace
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from riskreg.domain.text import plural
from riskreg.errors import one_line

if TYPE_CHECKING:
    from riskreg.services.incidents.record import IncidentRow, ObligationStatus

NOT_LEGAL_ADVICE = (
    "Not legal advice: riskreg records the practitioner's decisions and computes from 45 CFR "
    "164.400-414 as written; verify with counsel."
)


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "incidents", parents=[common], help="list incidents, or show one with its deadlines",
        description="The breach workflow's incidents: each with its current step, determination "
        "and next deadline. `show` prints one incident's facts, determination and every "
        "obligation with its due date, status and the dates notices were sent.",
    )
    actions = p.add_subparsers(dest="incidents_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", parents=[common], help="all incidents, open first")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(run=run_list)
    show = actions.add_parser("show", parents=[common], help="one incident in full")
    show.add_argument("ref", metavar="REF", help="the incident's reference, e.g. INC-2026-001")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(run=run_show)


def _service(args: Namespace):
    from riskreg.commands._db import open_services

    return open_services(args).incidents


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _dump(value: Any) -> None:
    from riskreg.commands._output import print_json

    print_json(_plain(value))


def _next_text(row: IncidentRow) -> tuple[str, str]:
    nxt = row["next_deadline"]
    if not nxt:
        return "", ""
    left = nxt["days_left"]
    words = f"{plural(left, 'day')} left" if left >= 0 else f"{plural(-left, 'day')} late"
    mark = " (if a breach)" if nxt["tentative"] and row["determination"] is None else ""
    if nxt.get("no_fixed_day"):  # the law sets no day: by the latest day that makes sense
        return f"{nxt['name']} as soon as possible, by {nxt['due'].isoformat()}", words
    return f"{nxt['name']} {nxt['due'].isoformat()}{mark}", words


def run_list(args: Namespace) -> int:

    service = _service(args)
    try:
        rows = service.list()
    finally:
        service.db.close()
    if args.json:
        _dump(rows)
        return 0
    headers = ("Reference", "Status", "Step", "Determination", "Discovered", "Next deadline",
               "Days", "Title")
    table = []
    for row in rows:
        deadline, days = _next_text(row)
        table.append((row["reference"], _status(row), row["step_title"],
                      row["determination_label"] or "-", row["discovered_on"].isoformat(),
                      deadline, days, one_line(row["title"])))
    widths = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(headers)]
    for line in [headers, *table]:
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    print(f"{plural(len(rows), 'incident')}, {sum(r['status'] == 'open' for r in rows)} open")
    return 0


def _status(row: IncidentRow) -> str:
    """"open", "closed", or "closed, 2 notices still owed": closing never hides a notice."""
    owed = row["still_owed"]
    if not owed:
        return row["status"]
    return f"closed, {plural(owed, 'notice')} still owed"


def run_show(args: Namespace) -> int:

    service = _service(args)
    try:
        record = service.get(args.ref)
    finally:
        service.db.close()
    if args.json:
        _dump(record)
        return 0
    print("\n".join(one_line(line) for line in render_show(record)))
    return 0


def _wrap(text: str, indent: str = "  ") -> list[str]:
    lines = []
    for paragraph in (text or "").splitlines() or [""]:
        lines += textwrap.wrap(paragraph, 96, initial_indent=indent, subsequent_indent=indent) or [""]
    return lines


def _yes(value: bool | None) -> str:
    return "not recorded" if value is None else ("yes" if value else "no")


def render_show(r: dict[str, Any]) -> list[str]:
    """One incident as text: facts, determination, obligations with status and sent dates."""
    out = [f"{r['reference']}  {r['title']}",
           f"Status: {r['status']}; step: {r['step_title']}"
           + (f"; still owed: {'; '.join(r['outstanding_names'])}"
              if r["closed_on"] and r["outstanding_names"] else "")
           + (f"; closed {r['closed_on']}, kept until {r['retain_until']}" if r["closed_on"] else "")]
    out += ["", "Facts", *_facts(r)]
    out += ["", "Determination", *_determination(r)]
    out += _factors(r)
    out += _statements(r)
    out += _obligations(r)
    if r["warnings"]:
        out += ["", "Warnings"]
        for warning in r["warnings"]:
            out += textwrap.wrap(warning, 96, initial_indent="  - ", subsequent_indent="    ")
    if r["lessons_learned"]:
        out += ["", "Lessons learned", *_wrap(r["lessons_learned"])]
    out += ["", NOT_LEGAL_ADVICE]
    return out


def _facts(r: dict[str, Any]) -> list[str]:
    from riskreg.domain.incident_steps import SECURED_BY

    occurred = r["occurred_on"] or "not known"
    if r["occurred_until"]:
        occurred = f"{r['occurred_on']} to {r['occurred_until']}"
    out = [f"  Occurred: {occurred}", f"  Discovered: {r['discovered_on']} by {r['discovered_by'] or '-'}"]
    if r["ba_involved"]:
        role = "as the practice's agent" if r["ba_is_agent"] else "independent contractor"
        out.append(f"  Business associate: {r['ba_tool_name'] or '-'} ({role}), its discovery "
                   f"{r['ba_discovered_on'] or 'not recorded'}")
    if r["effective_discovered"] != r["discovered_on"]:
        out.append(f"  Clocks run from: {r['effective_discovered']}")
    out += ["  What happened:", *_wrap(r["description"] or "-", "    ")]
    out.append(f"  PHI involved: {_yes(r['phi_involved'])}")
    if r["phi_involved"]:
        out.append(f"  Use or disclosure permitted by the Privacy Rule: "
                   f"{_yes(r.get('use_permitted'))}")
    if r["phi_involved"] and r["secured_by"]:
        out.append(f"  Secured: {SECURED_BY.get(r['secured_by'], r['secured_by'])}"
                   + (f" (key compromised: {_yes(r['key_compromised'])}; protected the data at "
                      f"the time: {_yes(r.get('encryption_in_force'))})"
                      if r["secured_by"] == "encryption" else ""))
    if r["hazards"]:
        out.append("  Related hazards: " + "; ".join(h["title"] for h in r["hazards"]))
    if r["affected"]:
        states = ", ".join(f"{k} {v:,}" for k, v in r["residents"].items()) or "-"
        out.append(f"  Affected: {r['affected']:,} (by state: {states})")
        if r.get("part2_affected"):
            out.append(f"  With Part 2 records: {r['part2_affected']:,}")
    return out


def _determination(r: dict[str, Any]) -> list[str]:
    if not r["determination"]:
        out = ["  Not yet made. What the rule presumes on the record so far:"]
        for reason in r["presumption"]["reasons"]:
            out += _wrap(reason, "    ")
        return out
    out = [f"  {r['determination_label']} (decided {r['decided_on']})"]
    out += _wrap("Rationale: " + r["determination_rationale"])
    for note in r["review_notes"]:
        out += _wrap("Note: " + note)
    return out


def _statements(r: dict[str, Any]) -> list[str]:
    if not r["statements"]:
        return []
    out = ["", "Law-enforcement statements (45 CFR 164.412)"]
    for s in r["statements"]:
        period = f", {plural(s['days'], 'day')}" if s["days"] else ""
        kind = "Written" if s["kind"] == "written" else "Oral"
        out.append(f"  {kind} statement {s['statement_on']}{period}: {s['official']} {s['agency']}".rstrip())
    return out


def _obligations(r: dict[str, Any]) -> list[str]:
    """The obligations as a table, or why the plan cannot be computed."""
    if not r["obligations"]:
        return ["", f"Plan: cannot be computed: {r['plan_problem']}"] if r.get("plan_problem") else []
    out = ["", "Obligations"]
    headers = ("Obligation", "Due", "Day", "Status", "Sent", "Citation")
    obligations: list[ObligationStatus] = r["obligations"]
    rows = [(o["name"], str(o["due"] or "-"), o["weekday"], o["status"],
             ", ".join(str(s["sent_on"]) for s in o["sent"]) or "-", o["citation"])
            for o in obligations]
    widths = [max([len(h)] + [len(x[i]) for x in rows]) for i, h in enumerate(headers)]
    for line in [headers, *rows]:
        out.append("  " + "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())
    if any(o["verify_with_counsel"] for o in obligations):
        out.append("  * State rules and hold readings are informational: verify with counsel.")
    return out


def _factors(r: dict[str, Any]) -> list[str]:
    """The four-factor risk assessment, each factor saying which way it points (164.402(2))."""
    from riskreg.domain.determination import FACTORS, factor_reading

    answers = r["factors"] or {}
    if not any(answers.values()):
        return []
    out = ["", "Risk assessment: the four factors (45 CFR 164.402(2))"]
    for f in FACTORS:
        answer = answers.get(f.id) or {}
        rating = answer.get("rating")
        out += _wrap(f"{f.title} — {factor_reading(f.id, rating) if rating else 'not rated'}")
        if answer.get("notes"):
            out += _wrap("Why: " + answer["notes"], "    ")
    return out
