"""Draft notices from an incident's facts: the templates in data/templates/, filled in plain
language, each headed by the content checklist of 45 CFR 164.404(c).

Pure: a record, its plan and the practice settings in; (kind, file name, Markdown) out. The file
names carry the incident's reference only, never its description (DESIGN.md principle 1). What
the facts do not say is left as a visible [TO DO] for the practitioner, never invented.
"""

from __future__ import annotations

from datetime import date
from string import Template
from typing import Any

from riskreg.datafiles import data_dir
from riskreg.domain.deadlines import Plan
from riskreg.domain.incident_steps import BREACH_TYPES, PHI_TYPES
from riskreg.domain.obligations import Obligation
from riskreg.domain.state_rules import state_rules
from riskreg.domain.text import plural
from riskreg.domain.workdays import WEEKDAY_NAMES

SUBSTITUTE_POSTING_THRESHOLD = 10
"""164.404(d)(2)(ii): 10 or more people without current contact information."""

DEFAULT_STEPS = (
    "[TO DO: adapt to what was involved]\n"
    "- Review the statements you receive from us and from your health insurer, and tell us about "
    "any visit or service you do not recognise.\n"
    "- Be careful with unexpected calls, texts or emails that mention your care; we will never "
    "ask for your password.\n"
    "- If payment or Social Security details were involved: consider a free fraud alert or credit "
    "freeze with the credit bureaus."
)


def plain_date(day: date | None) -> str:
    """A date as people write it: "March 10, 2026"."""
    return f"{day:%B} {day.day}, {day.year}" if day else "[date not known]"


def file_names(reference: str) -> dict[str, str]:
    """Each draft's file name, by kind: the reference and the kind, nothing else."""
    return {
        "individual": f"{reference}-individual-notice.md",
        "substitute": f"{reference}-substitute-notice.md",
        "hhs": f"{reference}-hhs-portal-checklist.md",
    }


def media_file_name(reference: str, state: str) -> str:
    return f"{reference}-media-notice-{state}.md"


def render_drafts(
    record: dict[str, Any], plan: Plan, settings: dict[str, Any], today: date
) -> list[tuple[str, str, str]]:
    """The drafts this incident needs: (kind, file name, Markdown text)."""
    ref = record["reference"]
    names = file_names(ref)
    values = _common(record, settings, today)
    drafts = []
    individuals = plan.obligation("individuals")
    drafts.append((
        "individual", names["individual"],
        _fill("individual-notice.md", values, due_line=_due_line(individuals, today),
              extra_instructions=_extra_instructions(record),
              checklist=_checklist(record)),
    ))
    for obligation in plan.obligations:
        if not obligation.id.startswith("media:"):
            continue
        code = obligation.id.split(":", 1)[1]
        rule = state_rules().get(code)
        drafts.append((
            obligation.id, media_file_name(ref, code),
            _fill("media-notice.md", values, due_line=_due_line(obligation, today),
                  state_name=rule.name if rule else code,
                  state_count=f"{record['residents'].get(code, 0):,}",
                  checklist=_checklist(record)),
        ))
    substitute = plan.obligation("substitute_notice")
    if substitute is not None and record["insufficient_contact"] >= SUBSTITUTE_POSTING_THRESHOLD:
        drafts.append((
            "substitute", names["substitute"],
            _fill("substitute-notice.md", values, due_line=_due_line(substitute, today),
                  substitute_rule=_substitute_rule(record, substitute.keep_until),
                  checklist=_substitute_checklist(record)),
        ))
    hhs = plan.obligation("hhs")
    drafts.append((
        "hhs", names["hhs"],
        _fill("hhs-portal-checklist.md", values, due_line=_due_line(hhs, today),
              track_line=_track_line(hhs), part2_line=_part2_line(plan),
              notices_lines=_notices_lines(record), location_line=_location_line(record),
              breach_type_line=_breach_type_line(record),
              # Nested under its checklist item: indented, or Markdown ends the list there.
              phi_types=_nested(values["phi_types"])),
    ))
    return drafts


# The HHS breach portal's "location of breached information", by tool category of the register.
PORTAL_LOCATIONS = {
    "email": "Email",
    "ehr": "Electronic medical record",
    "cloud_storage": "Network server",
    "device": "Laptop, desktop or other portable electronic device (choose which)",
    "paper": "Paper/films",
}


def _location_line(record: dict[str, Any]) -> str:
    """The portal's location, from the tools the incident touches (see `tool_categories` in the
    incident record); a suggestion the practitioner checks."""
    found = [PORTAL_LOCATIONS.get(c, "Other (name it)") for c in record.get("tool_categories") or ()]
    found = list(dict.fromkeys(found))
    if not found:
        return "[TO DO]"
    return "; ".join(found) + " (from the tools linked to this incident: check)"


def _breach_type_line(record: dict[str, Any]) -> str:
    """The portal's type of breach, as answered in the intake (step 1)."""
    chosen = BREACH_TYPES.get(record.get("breach_type") or "")
    return chosen or "[TO DO: choose it in step 1, What happened, or on the portal]"


def _nested(lines: str) -> str:
    """`lines` as items nested under the checklist item above them (two spaces in)."""
    return "\n".join(f"  {line}" if line else line for line in lines.splitlines())


def _fill(template: str, values: dict[str, str], **more: str) -> str:
    text = (data_dir() / "templates" / template).read_text(encoding="utf-8")
    return Template(text).substitute({**values, **more})


def _todo(text: str, what: str) -> str:
    return text.strip() if text and text.strip() else f"[TO DO: {what}]"


def _common(record: dict[str, Any], settings: dict[str, Any], today: date) -> dict[str, str]:
    occurred = record["occurred_on"]
    until = record["occurred_until"]
    if occurred and until and until != occurred:
        when = f"between {plain_date(occurred)} and {plain_date(until)}"
    elif occurred:
        when = f"on {plain_date(occurred)}"
    else:
        when = "on a date we have not yet been able to establish [TO DO: the date, if known]"
    what = _todo(record["description"], "describe what happened in plain words, naming no one")
    what += f"\n\nIt happened {when}. We discovered it on {plain_date(record['discovered_on'])}."
    return {
        "reference": record["reference"],
        "today": today.isoformat(),
        "practice_name": _todo(settings.get("practice_name", ""), "PRACTICE NAME"),
        "practitioner": _todo(settings.get("practitioner", ""), "YOUR NAME"),
        "practice_postal": _todo(record["contact_postal"], "PRACTICE POSTAL ADDRESS"),
        "what_happened": what,
        "phi_types": _phi_types(record),
        "steps": _todo(record["notice_steps"], "") if record["notice_steps"] else DEFAULT_STEPS,
        "actions": _todo(
            record["notice_actions"],
            "what you did to investigate, to reduce harm to the people affected, and to "
            "prevent it happening again",
        ),
        "contact": _contact(record),
        "toll_free": _todo(record["contact_toll_free"], "TOLL-FREE NUMBER"),
        "affected_words": plural(record["affected"], "person", "people") if record["affected"] else "[TO DO]",
        "occurred_line": when.removeprefix("on ").removeprefix("between "),
        "discovered_line": plain_date(record["discovered_on"]),
        "ba_line": _ba_line(record),
    }


def _phi_types(record: dict[str, Any]) -> str:
    types = record.get("phi_types") or []
    if not types:
        return "[TO DO: list the kinds of information involved (name, date of birth, diagnosis...)]"
    return "\n".join(f"- {PHI_TYPES.get(t, t)}" for t in types)


def contact_items(record: dict[str, Any]) -> list[str]:
    """How people can reach the practice with questions (164.404(c)(1)(E)), one item a way."""
    found = []
    if record["contact_toll_free"]:
        found.append(f"By phone, free of charge: {record['contact_toll_free']}")
    if record["contact_email"]:
        found.append(f"By email: {record['contact_email']}")
    if record["contact_website"]:
        found.append(f"On our website: {record['contact_website']}")
    if record["contact_postal"]:
        found.append(f"By post: {record['contact_postal']}")
    return found


def _contact(record: dict[str, Any]) -> str:
    lines = [f"- {item}" for item in contact_items(record)]
    if not lines:
        return (
            "[TO DO: how people can ask questions: a toll-free number, email address, website "
            "or postal address (45 CFR 164.404(c)(1)(E))]"
        )
    return "\n".join(lines)


def _box(done: bool) -> str:
    return "[x]" if done else "[ ]"


def checklist_items(record: dict[str, Any]) -> list[tuple[bool, str]]:
    """The five content items of 164.404(c)(1) and plain language (c)(2), each with whether the
    incident's facts already supply it (plain language is always the practitioner's check)."""
    has_contact = any(
        record[k] for k in ("contact_toll_free", "contact_email", "contact_website", "contact_postal")
    )
    return [
        (bool(record["description"]) and record["occurred_on"] is not None,
         "(A) What happened, with the date of the breach and the date of discovery"),
        (bool(record.get("phi_types")), "(B) The types of unsecured PHI involved"),
        (bool(record["notice_steps"]), "(C) Steps people should take to protect themselves"),
        (bool(record["notice_actions"]),
         "(D) What the practice is doing to investigate, mitigate harm and prevent recurrence"),
        (has_contact,
         "(E) Contact procedures: a toll-free number, email address, website or postal address"),
        (False, "Written in plain language (164.404(c)(2)): read it as the client would"),
    ]


def _checklist(record: dict[str, Any]) -> str:
    return "\n".join(f"- {_box(done)} {text}" for done, text in checklist_items(record))


def _substitute_checklist(record: dict[str, Any]) -> str:
    toll_free = (
        f"- {_box(bool(record['contact_toll_free']))} A toll-free number, active for at least 90 "
        "days, where people can learn whether their information was involved"
    )
    posting = (
        "- [ ] Posted conspicuously on the website's home page for 90 days, or conspicuous notice "
        "in major print or broadcast media where the people likely live"
    )
    return "\n".join([_checklist(record), toll_free, posting])


def _substitute_rule(record: dict[str, Any], keep_until: date | None = None) -> str:
    ends = (
        f" Keep them up until at least {keep_until} (90 days from the latest day they may "
        "start), or 90 days from the day they start if earlier."
        if keep_until else ""
    )
    return (
        f"{plural(record['insufficient_contact'], 'person', 'people')} have insufficient or out-of-date contact "
        "information, 10 or more: a conspicuous posting on the website home page for 90 days, or "
        "conspicuous notice in major print or broadcast media where they likely live, AND a "
        "toll-free number active for at least 90 days (45 CFR 164.404(d)(2)(ii))." + ends
    )


def _extra_instructions(record: dict[str, Any]) -> str:
    lines = []
    if record["deceased_with_kin"]:
        lines.append(
            f"Send this notice also to the next of kin or personal representative of the "
            f"{record['deceased_with_kin']:,} deceased person(s) whose address you know "
            "(164.404(d)(1)(ii))."
        )
    count = record["insufficient_contact"]
    if 0 < count < SUBSTITUTE_POSTING_THRESHOLD:
        lines.append(
            f"{plural(count, 'person', 'people')} cannot be reached by mail: give them this notice another way "
            "(another written form, telephone or other means; 164.404(d)(2)(i))."
        )
    if record["urgent"]:
        lines.append(
            "Possible imminent misuse: also telephone the people affected now (164.404(d)(3))."
        )
    return "\n".join(lines) + ("\n" if lines else "")


def _due_line(obligation: Obligation | None, today: date) -> str:
    if obligation is None or obligation.due is None:
        return "as soon as possible (no fixed day)"
    due = obligation.due
    line = f"{due.isoformat()} ({WEEKDAY_NAMES[due.weekday()]}), {plural((due - today).days, 'day')} from {today}"
    if obligation.internal_target and obligation.internal_target != due:
        line += f"; suggested target {obligation.internal_target.isoformat()}"
    line += f"; {obligation.citation}"
    return line


def _track_line(hhs: Obligation | None) -> str:
    if hhs is None:
        return ""
    if hhs.track == "with_individual_notice":
        return "at the same time as the individual notice (500 or more affected, 164.408(b))"
    return (
        "in the annual log: no later than 60 days after the end of the calendar year of discovery "
        "(fewer than 500 affected, 164.408(c)); it may be filed earlier"
    )


def _part2_line(plan: Plan) -> str:
    part2 = plan.obligation("hhs_part2")
    if part2 is None:
        return ""
    hhs = plan.obligation("hhs")
    same = hhs is not None and (hhs.track, hhs.due) == (part2.track, part2.due)
    when = "on the same clock" if same else f"due {part2.due} ({part2.track.replace('_', ' ')})"
    return (
        "Part 2 substance use disorder records: file a separate Part 2 breach report as well, "
        f"{when}; its track counts the people whose Part 2 records were involved "
        "(42 CFR 2.16).\n"
    )


def _notices_lines(record: dict[str, Any]) -> str:
    lines = []
    for row in record.get("obligations", []):
        if row["id"] in ("hhs", "hhs_part2"):
            continue
        sent = ", ".join(s["sent_on"].isoformat() for s in row["sent"])
        # Named in words (obligation_name), never by the engine's id ("state:CA").
        due = row["due"] or "no fixed day, as soon as possible"
        lines.append(f"- {_box(bool(row['sent']))} {row['name']}: due {due}"
                     + (f"; sent {sent}" if sent else ""))
    return "\n".join(lines) or "- [ ] Individual notice: [TO DO]"


def _ba_line(record: dict[str, Any]) -> str:
    if not record["ba_involved"]:
        return "none"
    name = record.get("ba_tool_name") or "[TO DO: the business associate's name]"
    role = "acting as the practice's agent" if record["ba_is_agent"] else "an independent contractor"
    found = record["ba_discovered_on"]
    return f"{name}, {role}" + (f"; it discovered the breach on {plain_date(found)}" if found else "")
