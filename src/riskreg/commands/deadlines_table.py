"""The readable form of a deadline plan: a table, how each date was computed, holds, warnings."""

import textwrap

from riskreg.domain.deadlines import Plan
from riskreg.domain.workdays import WEEKDAYS

NOT_LEGAL_ADVICE = (
    "Not legal advice: riskreg computes from 45 CFR 164.400-414 as written; the practitioner "
    "decides, with counsel."
)
HEADERS = ("Obligation", "Due", "Day", "Days left", "Citation", "Notes")


def _notes(o) -> str:
    notes = []
    if o.hipaa_status == "exempt":
        notes.append("exempt (HIPAA covered entity)")
    elif o.due is None:
        notes.append("no fixed day")
    elif o.hipaa_status == "deemed_compliant":
        notes.append("deemed compliant: with the HIPAA notice")
    if o.weekend:
        notes.append("weekend")
    if o.tolling_due:
        notes.append(f"tolling reading {o.tolling_due}")
    if o.keep_until:
        notes.append(f"keep up until {o.keep_until}")
    if o.internal_target and o.internal_target != o.due:
        notes.append(f"target {o.internal_target}")
    if o.verify_with_counsel:
        notes.append("verify with counsel *")
    return "; ".join(notes)


def _rows(plan: Plan) -> list[tuple[str, ...]]:
    rows = []
    for o in plan.obligations:
        if o.due is None:
            due, day, left = "-", "", ""
        else:
            due, day = o.due.isoformat(), WEEKDAYS[o.due.weekday()]
            left = str((o.due - plan.today).days)
        rows.append((o.name, due, day, left, o.citation, _notes(o)))
    return rows


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(r[i]) for r in [HEADERS, *rows]) for i in range(len(HEADERS))]
    lines = []
    for row in [HEADERS, *rows]:
        cells = [
            cell.rjust(widths[i]) if i == 3 else cell.ljust(widths[i]) for i, cell in enumerate(row)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


def _wrapped(prefix: str, text: str) -> list[str]:
    return textwrap.wrap(
        text,
        width=100,
        initial_indent=prefix,
        subsequent_indent="    ",
        break_on_hyphens=False,
    )


def render_table(plan: Plan) -> str:
    """The plan as text for a terminal (the JSON form is `plan.to_json_dict()`)."""
    first = plan.discovered
    heading = (
        f"Breach discovered {first} ({WEEKDAYS[first.weekday()]}), {plan.affected:,} affected; "
        f"today {plan.today}; earliest due {plan.earliest_due or '-'}"
    )
    lines = [
        heading,
        "",
        *_table(_rows(plan)),
        "",
        "How each date was computed:",
    ]
    for o in plan.obligations:
        lines += _wrapped(f"  {o.name}: ", o.explanation)
    if plan.holds:
        lines += ["", "Law-enforcement holds (45 CFR 164.412):"]
        for h in plan.holds:
            lines.append(
                f"  {h.kind} statement {h.statement_on}: no notice from {h.statement_on} "
                f"until {h.ends_on}"
            )
    if plan.warnings:
        lines += ["", "Warnings:"]
        for warning in plan.warnings:
            lines += _wrapped("  - ", warning)
    flagged = [o.name for o in plan.obligations if o.verify_with_counsel]
    if flagged:
        lines += ["", *_wrapped("* Verify with counsel: ", "; ".join(flagged) + ".")]
    if plan.state_rules_as_of:
        lines += ["", f"State rules as of {plan.state_rules_as_of} (data/state_rules.json)."]
    lines += ["", NOT_LEGAL_ADVICE]
    return "\n".join(lines)
