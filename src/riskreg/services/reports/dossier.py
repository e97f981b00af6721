"""The incident dossier, laid out: the practice's proof for one incident (45 CFR 164.414(b): the
burden of proof is the practice's; 164.530(j): kept six years).

Sections: summary, timeline, facts, the determination with the three exceptions, the four
factors and the rationale, the obligations with their due and sent dates, law-enforcement holds,
the notices as sent, close-out, the incident's own audit trail, and the verification of the
whole audit chain. Built from the incident service's record; not legal advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from riskreg.domain import incident_steps as steps
from riskreg.domain.determination import EXCEPTIONS, FACTORS, factor_reading
from riskreg.domain.text import plural
from riskreg.services.change_words import action_words, change_lines, entity_words
from riskreg.services.reports.doc import Bullets, Cell, Document, Facts, Para, Section, Table
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE
from riskreg.storage.audit import Verification

RATING_TONES = {"low": "ok", "medium": "moderate", "high": "high"}


@dataclass(frozen=True)
class IncidentDossier:
    record: dict[str, Any]
    history: list[dict[str, Any]]
    holds: list[Any]
    warnings: list[str]
    chain: Verification
    today: date
    generated_at: datetime
    version: str


def _d(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _draft(kind: str) -> str:
    """A draft's kind in words ("media:CA" is the media notice for California)."""
    return steps.draft_kind_words(kind)


def _yes(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not answered"}[value]


def build(dossier: IncidentDossier) -> Document:
    r = dossier.record
    header = Facts([
        ("Reference", r["reference"]),
        ("Title", r["title"]),
        ("Status", steps.INCIDENT_STATUSES.get(r["status"], r["status"])
         + f"; step: {r['step_title']}"),
        ("Discovered", _d(r["discovered_on"])
         + (f" (clocks run from {_d(r['effective_discovered'])})"
            if r["effective_discovered"] != r["discovered_on"] else "")),
        ("Determination", r["determination_label"] or "not yet made"),
        ("As of", dossier.today.isoformat()),
        ("Generated", f"{dossier.generated_at:%Y-%m-%d %H:%M} UTC by riskreg {dossier.version}"),
    ])
    return Document(
        title=f"Incident dossier — {r['reference']}",
        subtitle="Breach notification record under 45 CFR 164.400-414. Confidential: this "
        "document describes a security incident.",
        header=header,
        notice=NOT_LEGAL_ADVICE,
        sections=[
            _timeline(dossier), _facts(r), _determination(r), _obligations(dossier),
            _holds(dossier), _notices(r, dossier.history), _closeout(r), _trail(dossier), _chain(dossier),
        ],
        footer="Kept for at least six years from its date or the date it was last in effect "
        "(45 CFR 164.530(j)); the practice bears the burden of proof that every notice was "
        "made or was not required (164.414(b)).",
        meta={"generator": f"riskreg {dossier.version}"},
    )


def _timeline(dossier: IncidentDossier) -> Section:
    r = dossier.record
    events: list[tuple[date, str]] = []
    if r["occurred_on"]:
        until = f" (until {_d(r['occurred_until'])})" if r["occurred_until"] else ""
        events.append((r["occurred_on"], f"Incident began{until}"))
    if r["ba_involved"] and r["ba_discovered_on"]:
        events.append((r["ba_discovered_on"], "Discovered by the business associate"))
    events.append((r["discovered_on"], f"Discovered by the practice ({r['discovered_by'] or '—'})"))
    for s in r["statements"]:
        events.append((s["statement_on"], f"Law-enforcement statement ({s['kind']})"))
    for h in dossier.holds:
        events.append((h.ends_on, f"Law-enforcement hold ({h.kind}) ends"))
    if r["decided_on"]:
        events.append((r["decided_on"], f"Determination: {r['determination_label']}"))
    for n in r["notices"]:
        method = steps.method_words(n["method"])
        events.append((n["sent_on"], f"Notice sent: {n['obligation_name']} by {method}"
                       + (f", {plural(n['count'], 'recipient')}" if n["count"] is not None else "")))
    for d in r["drafts"]:
        events.append((d["written_on"], f"Draft written: {_draft(d['kind'])}"))
    if r["closed_on"]:
        events.append((r["closed_on"], "Incident closed"))
    events.sort(key=lambda e: e[0])
    return Section("timeline", "1. Timeline", [
        Table(["Date", "Event"], [[_d(day), what] for day, what in events]),
    ])


def _facts(r: dict[str, Any]) -> Section:
    facts = [
        ("Type of breach", steps.BREACH_TYPE_CHOICES.get(r.get("breach_type") or "",
                                                         "not answered")),
        ("Occurred", _d(r["occurred_on"]) + (f" to {_d(r['occurred_until'])}"
                                             if r["occurred_until"] else "")),
        ("Discovered", f"{_d(r['discovered_on'])} by {r['discovered_by'] or '—'}"),
    ]
    if r["ba_involved"]:
        role = "acting as the practice's agent" if r["ba_is_agent"] else "independent contractor"
        facts.append(("Business associate",
                      f"{r['ba_tool_name'] or '—'} ({role}); its discovery "
                      + _d(r["ba_discovered_on"])))
    facts += [
        ("PHI involved", _yes(r["phi_involved"])
         + (f" — {r['phi_reason']}" if r["phi_reason"] else "")),
        ("Kinds of PHI", ", ".join(steps.PHI_TYPES.get(t, t) for t in r["phi_types"]) or "—"),
        ("Use or disclosure permitted by the Privacy Rule",
         _yes(r.get("use_permitted"))
         + (f" — {r['permitted_basis']}" if r.get("permitted_basis") else "")),
        ("Secured", steps.SECURED_BY.get(r["secured_by"] or "", "not answered")
         + (f"; key compromised: {_yes(r['key_compromised'])}; the encryption protected the "
            f"data at the time: {_yes(r.get('encryption_in_force'))}"
            if r["secured_by"] == "encryption" else "")
         + (f" — {r['secured_basis']}" if r["secured_basis"] else "")),
        ("Affected", "—" if r["affected"] is None else f"{r['affected']:,}"),
        ("By state", ", ".join(f"{k} {v:,}" for k, v in r["residents"].items()) or "—"),
        ("Insufficient contact information", str(r["insufficient_contact"])),
        ("Deceased, next of kin known", str(r["deceased_with_kin"])),
        ("Part 2 (substance use disorder) records",
         f"{r['part2_affected']:,} of the affected" if r.get("part2_affected")
         else _yes(r["part2"])),
        ("Possible imminent misuse (urgent)", _yes(r["urgent"])),
        ("Related hazards", "; ".join(h["title"] for h in r["hazards"]) or "—"),
    ]
    return Section("facts", "2. Facts", [
        Para(r["description"] or "(no description recorded)"),
        Facts(facts),
    ])


def _determination(r: dict[str, Any]) -> Section:
    answered = r["exceptions"]
    exceptions = [[e.title, _yes(answered[e.id]) if e.id in answered else "not answered",
                   e.citation] for e in EXCEPTIONS]
    factors = []
    for f in FACTORS:
        answer = r["factors"].get(f.id) or {}
        rating = answer.get("rating")
        tone = RATING_TONES.get(rating or "", "muted")
        reading = factor_reading(f.id, rating) if rating else "not rated"
        factors.append([f.title, Cell(reading, tone), answer.get("notes") or "—", f.citation])
    blocks = [
        Para("Exceptions to the definition of breach (164.402(1)):"),
        Table(["Exception", "Applies", "Citation"], exceptions),
    ]
    if r["exceptions_notes"]:
        blocks.append(Para(f"Notes: {r['exceptions_notes']}"))
    blocks += [
        Para("Risk assessment: the four factors (164.402(2)):"),
        Table(["Factor", "Which way it points", "Notes", "Citation"], factors),
        Para("What the rule presumes on this record:"),
        Bullets(list(r["presumption"]["reasons"]) or ["—"]),
    ]
    if r["presumption"]["missing"]:
        blocks.append(Bullets([Cell(f"Missing: {m['what']}", "warn")
                               for m in r["presumption"]["missing"]]))
    if r["determination"]:
        blocks.append(Facts([
            ("The practitioner's determination", r["determination_label"]),
            ("Decided on", _d(r["decided_on"])),
            ("Rationale", r["determination_rationale"] or "—"),
        ]))
        blocks += [Para(f"Note: {note}", "warn") for note in r["review_notes"]]
    else:
        blocks.append(Para("No determination recorded yet.", "warn"))
    return Section("determination", "3. Determination", blocks)


def _sent(o: dict[str, Any]) -> str:
    lines = []
    for s in o["sent"]:
        line = f"{_d(s['sent_on'])} {steps.method_words(s['method'])}"
        if s["count"] is not None:
            line += f", {s['count']:,}"
        if s["reference"]:
            line += f", ref. {s['reference']}"
        if s["inside_hold"]:
            line += " (inside a hold)"
        lines.append(line)
    return "\n".join(lines) or "—"


def _obligations(dossier: IncidentDossier) -> Section:
    r = dossier.record
    tones = {"done": "ok", "late": "warn", "due": None, "open": "muted", "exempt": "muted"}
    rows = []
    for o in r["obligations"]:
        due = f"{_d(o['due'])} {o['weekday']}".strip()
        if o["original_due"] and o["due"] and o["original_due"] != o["due"]:
            due += f"\n(was {_d(o['original_due'])} before the hold)"
        if o["tolling_due"]:
            due += f"\ntolling reading: {_d(o['tolling_due'])}"
        if o["weekend"]:
            due += "\n⚠ falls on a weekend: not extended"
        rows.append([
            f"{o['name']}\n{o['who']}",
            due,
            _d(o["internal_target"]),
            Cell(o["status"], tones.get(o["state"])),
            _sent(o),
            o["citation"] + ("\nverify with counsel" if o["verify_with_counsel"] else ""),
        ])
    blocks = [Table(["Obligation", "Due", "Internal target", "Status", "Sent", "Citation"], rows,
                    empty=_no_plan(r))]
    explanations = [f"{o['name']}: {o['explanation']}" for o in r["obligations"]
                    if o["explanation"]]
    if explanations:
        blocks += [Para("How each date was computed:"), Bullets(explanations)]
    if dossier.warnings:
        blocks.append(Bullets([Cell(w, "warn") for w in dossier.warnings]))
    return Section("obligations", "4. Obligations", blocks)


def _no_plan(r: dict[str, Any]) -> str:
    if r.get("plan_problem"):
        return f"The deadline plan cannot be computed: {r['plan_problem']}"
    if r.get("state_analysis_only"):
        return ("No HIPAA notice: the determination is that HIPAA requires no notification. State "
                "duties do not depend on it (state definitions of breach and encryption differ): "
                + ("no state row applies to the residents recorded; verify with counsel."
                   if r["affected"] is not None else
                   "record the scope to see the state rows, and verify with counsel."))
    if r["determination"] and r["determination"] != "notification_required":
        return ("No notification obligations: the determination is that notification is not "
                "required.")
    return ("No deadline plan yet (it follows a determination that notification is required, and "
            "the scope).")


def _holds(dossier: IncidentDossier) -> Section:
    r = dossier.record
    statements = [[
        s["kind"], _d(s["statement_on"]), "—" if s["days"] is None else plural(s["days"], "day"),
        " ".join(x for x in (s["official"], s["agency"]) if x) or "—", s["notes"] or "—",
    ] for s in r["statements"]]
    windows = [[h.kind, _d(h.statement_on), _d(h.ends_on), h.note or "—"]
               for h in dossier.holds]
    blocks = [Table(["Kind", "Statement on", "Period", "Official", "Notes"], statements,
                    empty="No law-enforcement statement recorded (164.412).")]
    if windows:
        blocks.append(Table(["Hold", "From", "Notice may go out on", "Note"], windows))
    return Section("holds", "5. Law-enforcement holds", blocks)


def _letters(history: list[dict[str, Any]]) -> Table:
    """Each letters run (`riskreg notices letters`), from the audit log: never a name."""
    from riskreg.services.letters.service import letter_runs

    rows = [[f"{run['at']:%Y-%m-%d %H:%M} UTC", f"{run.get('count') or 0:,}",
             ", ".join(f"{s} {n:,}" for s, n in (run.get("per_state") or {}).items()) or "—",
             str(run.get("file") or "—"), str(run.get("sha256") or "—")]
            for run in letter_runs(history)]
    return Table(["Letters made", "Count", "Per state", "File", "SHA-256"], rows,
                 empty="No letters printed with riskreg.")


def _notices(r: dict[str, Any], history: list[dict[str, Any]]) -> Section:
    rows = [[n["obligation_name"], _d(n["sent_on"]),
             steps.NOTICE_METHODS.get(n["method"], n["method"]),
             "—" if n["count"] is None else f"{n['count']:,}", n["reference"] or "—",
             n["notes"] or "—"] for n in sorted(r["notices"], key=lambda n: n["sent_on"])]
    content = Facts([
        ("Steps individuals should take", r["notice_steps"] or "—"),
        ("What the practice is doing", r["notice_actions"] or "—"),
        ("Contact", "; ".join(x for x in (r["contact_toll_free"], r["contact_email"],
                                          r["contact_website"], r["contact_postal"]) if x) or "—"),
    ])
    drafts = [[_draft(d["kind"]), d["path"], _d(d["written_on"])] for d in r["drafts"]]
    return Section("notices", "6. Notices as sent", [
        Table(["Obligation", "Sent on", "Method", "Count", "Reference", "Notes"], rows,
              empty="No notice recorded as sent."),
        Para("Notice content (164.404(c)(1)(C)-(E)):"),
        content,
        Table(["Draft", "File", "Written on"], drafts, empty="No drafts written."),
        _letters(history),
    ])


def _closeout(r: dict[str, Any]) -> Section:
    return Section("closeout", "7. Close-out", [
        Facts([
            ("Closed on", _d(r["closed_on"])),
            ("Keep this record until", _d(r["retain_until"])),
            ("Still owed", "; ".join(r["outstanding_names"]) or "nothing"),
        ]),
        Para(r["lessons_learned"] or "No lessons learned recorded yet."),
    ])


def _trail(dossier: IncidentDossier) -> Section:
    r = dossier.record
    names = {h["public_id"]: h["title"] for h in r["hazards"]}
    if r["ba_tool"]:
        names[r["ba_tool"]] = r["ba_tool_name"]
    rows = [[f"{e['at']:%Y-%m-%d %H:%M:%S} UTC", e.get("actor") or "—",
             entity_words(e["entity"]), action_words(e["action"]),
             "\n".join(change_lines(e["changes"], names)) or "—"]
            for e in dossier.history]
    return Section("audit-trail", "8. Audit trail", [
        Para("Every recorded change to this incident and its notices, statements, residents and "
             "links, oldest first, with who made it, from the hash-chained audit log."),
        Table(["When", "By", "Record", "Action", "Changes"], rows, empty="No audit events."),
    ])


def _chain(dossier: IncidentDossier) -> Section:
    c = dossier.chain
    if c.ok:
        verdict = Para(f"Intact: all {plural(c.checked, 'event')} of the audit log verified; last hash "
                       f"{c.last_hash}.", "ok")
    else:
        verdict = Para(f"BROKEN: {c.problem}. {plural(c.checked, 'event')} before it verified.", "warn")
    return Section("audit-chain", "9. Audit chain verification", [
        verdict,
        Para("Each event's hash covers the previous event's hash and the event itself, so an "
             "event changed, removed or inserted after it was written breaks the chain. Compare "
             "the last hash with a copy kept elsewhere to detect events cut from the end.",
             "muted"),
    ])
