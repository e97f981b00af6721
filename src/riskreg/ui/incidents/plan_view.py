"""The deadline plan as text: each obligation's due date, weekday, days left, internal target,
citation and how it was computed; hold windows; warnings; "verify with counsel" where the plan
rests on state rules or on an interpretation (RULES.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from riskreg.domain.text import plural
from riskreg.domain.workdays import WEEKDAY_NAMES, WEEKDAYS

NEAR_DAYS = 14
"""Days left at or under which a deadline is shown in the error colour."""

NOT_LEGAL_ADVICE = "Not legal advice: riskreg guides and computes; you decide, with counsel."


def days_tone(days: int | None) -> str:
    """Red when near or past, amber within a month."""
    if days is None:
        return "muted"
    if days <= NEAR_DAYS:
        return "error"
    return "warning" if days <= 30 else ""


def days_words(days: int | None) -> str:
    if days is None:
        return "no fixed day"
    if days < 0:
        return f"{plural(-days, 'day')} late"
    if days == 0:
        return "today"
    return f"{plural(days, 'day')} left"


STATE_TONE = {"done": "success", "late": "error", "due": "", "open": "warning", "exempt": "muted"}


def status_text(row: dict[str, Any], palette: Any) -> Text:
    """done / due / late (by N days), coloured."""
    if row["state"] == "done" and row.get("late_by"):
        return Text(row["status"], style=palette["warning"])
    tone = STATE_TONE.get(row["state"], "")
    if row["state"] == "due":
        tone = days_tone(row["days_left"])
    return Text(row["status"], style=palette[tone])


def plan_renderable(plan: Any, statuses: list[dict[str, Any]], today: date, palette: Any,
                    *, tracking: bool = False) -> Group:
    """The whole plan. With `tracking`, a status column (done / due / late) and sent dates."""
    first = plan.discovered
    head = Text.assemble(
        ("Clock started ", palette["muted"]),
        (f"{first.isoformat()} ({WEEKDAY_NAMES[first.weekday()]})", palette["bold"]),
        (f" · {plan.affected:,} affected · today {today.isoformat()}", palette["muted"]),
    )
    table = Table(box=None, pad_edge=False, padding=(0, 1), expand=False, show_edge=False,
                  header_style=palette["bold"])
    # The obligation's name wraps (it can be long: "Florida residents (Fla. Stat. 501.171)");
    # the dates and days left never do.
    table.add_column("Obligation")
    table.add_column("Due", no_wrap=True)
    table.add_column("Target", no_wrap=True)
    table.add_column("Status" if tracking else "Left", no_wrap=not tracking)
    for row in statuses:
        name = row["name"] + (" *" if row["verify_with_counsel"] else "")
        due = Text(row["due"].isoformat() if row["due"] else "-")
        if row["due"]:
            due.append(f" {WEEKDAYS[row['due'].weekday()]}",
                       palette["warning"] if row["weekend"] else palette[""])
        if tracking:
            last = status_text(row, palette)
        elif row["state"] == "done":
            last = Text("sent", style=palette["success"])
        elif row["state"] == "exempt":
            last = Text("exempt", style=palette["muted"])
        else:
            last = Text(days_words(row["days_left"]), style=palette[days_tone(row["days_left"])])
        target = row["internal_target"].isoformat() if row["internal_target"] else ""
        table.add_row(Text(name), due, Text(target), last)
    parts: list[Any] = [head, Text(""), table, Text("")]
    parts.append(Text("How each date was computed", style=palette["bold"]))
    for row in statuses:
        parts.append(Text.assemble((row["name"], palette["primary"]), f" · {row['who']}"))
        body = Text.assemble((row["citation"], palette["bold"]), ". ", row["explanation"])
        if row.get("sent"):
            sent = ", ".join(s["sent_on"].isoformat() for s in row["sent"])
            body.append(f"\nSent: {sent}.", palette["success"])
        parts.append(Padding(body, (0, 0, 0, 2)))
    if plan.holds:
        parts += [Text(""), Text("Law-enforcement holds (45 CFR 164.412)", style=palette["bold"])]
        for hold in plan.holds:
            parts.append(Text(f"• {hold.kind} statement {hold.statement_on}: no notice may go out "
                              f"from {hold.statement_on} until {hold.ends_on}."
                              + (f" {hold.note}." if hold.note else "")))
    from riskreg.services.incidents import current_warnings

    warnings = current_warnings(plan, statuses)
    if warnings:
        parts += [Text(""), Text("Warnings", style=palette["warning"])]
        parts += [Text(f"• {warning}") for warning in warnings]
    if any(row["verify_with_counsel"] for row in statuses):
        state_rows = any(row["id"].partition(":")[0] in ("state", "regulator", "cra")
                         for row in statuses)
        as_of = getattr(plan, "state_rules_as_of", None)
        rules = f"state rules (as of {as_of})" if state_rows and as_of else "state rules"
        parts += [Text(""), Text(f"* Verify with counsel: {rules} are informational, and how a "
                                 "law-enforcement hold moves a deadline is an interpretation.",
                                 style=palette["warning"])]
    parts.append(Text("Deadlines are never moved for weekends or holidays; the 60 days are an "
                      "outer limit, so aim for the target date.", style=palette["muted"]))
    return Group(*parts)
