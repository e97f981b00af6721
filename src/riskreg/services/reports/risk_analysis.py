"""The risk analysis report, laid out (45 CFR 164.308(a)(1)(ii)(A), documented per 164.316(b)).

Sections: scope, method, summary with the heat maps, open items, reviews due, the tools and
systems with their BAAs and vendor checklists, the hazards, the safeguards, the review history,
the owners, the changes since the last signed analysis and the last 12 months' reviews
(changes.py). Built from `facts.RiskAnalysis`; rendered by html.py / md.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date
from typing import Any

from riskreg.domain import vocabulary as vocab
from riskreg.domain.current_risk import RULE_TEXT as CURRENT_RULE
from riskreg.domain.current_risk import current_summary, review_scores, safeguards_in_place_text
from riskreg.domain.register import HAZARD_STATUSES, SAFEGUARD_STATUSES, VENDOR_CHECKLIST
from riskreg.domain.scoring import IMPACT_LABELS, LIKELIHOOD_LABELS
from riskreg.services.records import ToolRecord
from riskreg.services.reports.changes import sections as review_sections
from riskreg.services.reports.doc import (
    Bullets,
    Cell,
    Document,
    Facts,
    HeatMap,
    Pair,
    Para,
    Section,
    Table,
    level_tone,
)
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE, ReportHazard, RiskAnalysis

CHECK_MARKS = {True: "yes", False: "NO", None: "?"}


def _d(day: date | None) -> str:
    return day.isoformat() if day else "—"


def _label(options: dict[str, str], value: str | None) -> str:
    return options.get(value or "", value or "—")


def build(ra: RiskAnalysis) -> Document:
    practice = ra.practice
    name = practice["practice_name"] or "(practice name not set)"
    header = Facts([
        ("Practice", name),
        ("Practitioner / security official", practice["practitioner"] or "—"),
        ("Date of this analysis", ra.today.isoformat()),
        ("Last documented review", _d(practice["reviewed_on"])),
        ("Next review due", _d(practice["next_review_on"])),
        ("Generated", f"{ra.generated_at:%Y-%m-%d %H:%M} UTC by riskreg {ra.version}"),
    ])
    return Document(
        title=f"HIPAA risk analysis — {name}",
        subtitle=f"As of {ra.today.isoformat()}. 45 CFR 164.308(a)(1)(ii)(A) risk analysis and "
        "164.308(a)(1)(ii)(B) risk management.",
        header=header,
        notice=NOT_LEGAL_ADVICE,
        sections=[
            _scope(ra), _method(ra), _summary(ra), _open(ra), _reviews_due(ra), _tools(ra),
            _hazards(ra), _safeguards(ra), _history(ra), _owners(ra),
            *(review_sections(ra.review, 11) if ra.review is not None else []),
        ],
        footer="Kept as part of the practice's security documentation for at least six years "
        "from its date or last effective date (45 CFR 164.316(b)(2)(i), 164.530(j)).",
        meta={"generator": f"riskreg {ra.version}"},
    )


def _scope(ra: RiskAnalysis) -> Section:
    ai = sum(1 for t in ra.tools if t["category"] in vocab.AI_TOOL_CATEGORIES)
    archived = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in ra.archived.items() if n)
    blocks = [
        Para("This analysis covers the electronic protected health information (ePHI) the practice "
             "creates, receives, maintains or transmits, and every tool and system in the "
             "practice's register that may touch it, AI tools included: where ePHI is, the "
             "threats and vulnerabilities to it, the safeguards in place, and the risk that "
             "remains."),
        Facts([
            ("Tools and systems", f"{len(ra.tools)} ({ra.phi_tools} handle PHI; {ai} AI tools)"),
            ("Hazards", f"{len(ra.hazards)} ({ra.dashboard.hazards} current, i.e. not closed)"),
            ("Safeguards", str(len(ra.safeguards))),
            ("Owners", str(len(ra.owners))),
        ]),
    ]
    if archived:
        blocks.append(Para(f"Archived records ({archived}) are kept for six years but are not "
                           "part of this analysis.", "muted"))
    return Section("scope", "1. Scope", blocks)


def _method(ra: RiskAnalysis) -> Section:
    cadences = sorted({h["review_cadence_months"] for h in ra.hazards})
    return Section("method", "2. Method", [
        Para("Each hazard (what could go wrong, its threat source and the vulnerability it "
             "exploits) is rated for likelihood and impact at three levels: inherent risk (no "
             "safeguards), current risk (with the safeguards in place or verified now) and target "
             "risk (once the planned safeguards are done). Score = likelihood × impact, 1 to 25."),
        Para(CURRENT_RULE),
        Pair([
            Table(["Likelihood", "Meaning"],
                  [[str(k), v] for k, v in LIKELIHOOD_LABELS.items()]),
            Table(["Impact", "Meaning"], [[str(k), v] for k, v in IMPACT_LABELS.items()]),
            Table(["Level", "Score"], [
                [Cell("Low", "low"), "1–4"], [Cell("Moderate", "moderate"), "5–9"],
                [Cell("High", "high"), "10–16"], [Cell("Critical", "critical"), "20–25"],
            ]),
        ]),
        Para("Treatment of each hazard: mitigate (add safeguards), accept (a documented decision "
             "with a rationale and an expiry date), transfer, or avoid. Safeguards cite the "
             "Security Rule standard they implement; an addressable specification that is not "
             "implemented as written carries its documented decision (164.306(d)(3))."),
        Para("Review: each hazard is reviewed on its own cadence ("
             + (", ".join(f"{c} months" for c in cadences) or "none set")
             + "); the next review is computed from the day of the last one. A lapsed BAA or a "
             "linked incident flags a hazard for review at once. The analysis as a whole is "
             f"reviewed every {ra.practice['cadence_months']} months and whenever the practice's "
             "tools or environment change."),
    ])


def _summary(ra: RiskAnalysis) -> Section:
    shown = [h for h in ra.hazards if h["status"] != "closed"]
    counts = {key: Counter(h[key] for h in shown)
              for key in ("level", "current_level", "target_level")}
    order = ("Critical", "High", "Moderate", "Low")
    dash = ra.dashboard
    return Section("summary", "3. Summary and heat maps", [
        Para(current_summary(shown)),
        Table(["Level", "Inherent", "Current", "Target"],
              [[Cell(lv, level_tone(lv)), *(str(counts[key][lv]) for key in counts)]
               for lv in order]),
        Facts([
            ("Reviews overdue", str(dash.reviews_overdue.total)),
            ("Reviews due within 30 days", str(dash.reviews_due.total)),
            ("Tools handling PHI without a signed, current BAA", str(dash.baa_gaps.total)),
            ("BAAs expiring within 60 days", str(dash.baas_expiring.total)),
            ("Safeguards overdue", str(dash.safeguards_overdue.total)),
        ]),
        Pair([
            HeatMap("Inherent risk (no safeguards)", dash.heat_inherent),
            HeatMap("Current risk (safeguards in place now)", dash.heat_current),
            HeatMap("Target risk (once the planned safeguards are done)", dash.heat_target),
        ]),
        Para("Counts of current hazards (not closed) per cell; likelihood down, impact across.",
             "muted"),
    ])


def _kind(kind: str) -> str:
    return {"tool": "Tool", "hazard": "Hazard", "safeguard": "Safeguard"}.get(kind, kind)


def _open(ra: RiskAnalysis) -> Section:
    rows = [[_kind(i.kind), i.title, Cell(i.detail, "warn"), _d(i.due)] for i in ra.open_items]
    return Section("open-items", "4. Open items", [
        Para("What still needs doing: BAA gaps and renewals, safeguards late or not yet in place, "
             "addressable decisions not documented, hazards flagged for review, current risks "
             "still High or Critical, and hazards whose current risk is to be assessed."),
        Table(["Record", "Title", "What is open", "Due"], rows, empty="Nothing open."),
    ])


def _reviews_due(ra: RiskAnalysis) -> Section:
    dash = ra.dashboard
    return Section("reviews-due", "5. Overdue and upcoming reviews", [
        Table(["Hazard", "Review", "Due"],
              [[i.title, Cell(i.detail, "warn"), _d(i.due)] for i in dash.reviews_overdue.items],
              empty="No review is overdue."),
        Table(["Hazard", "Review", "Due"],
              [[i.title, i.detail, _d(i.due)] for i in dash.reviews_due.items],
              empty="No review falls due in the next 30 days."),
    ])


def _answers(tool: ToolRecord) -> Mapping[str, Any]:
    """A tool's fields by name, for the checklist's keys (VENDOR_CHECKLIST)."""
    return tool


def _check(value: bool | None) -> Cell:
    return Cell(CHECK_MARKS[value], {True: "ok", False: "warn", None: "muted"}[value])


def _baa(tool: ToolRecord) -> Cell:
    text = _label(vocab.BAA_STATUSES, tool["baa_status"])
    if tool["baa_signed_on"]:
        text += f"\nsigned {_d(tool['baa_signed_on'])}"
    if tool["baa_expires_on"]:
        text += f"\nexpires {_d(tool['baa_expires_on'])}"
    if tool["baa_location"]:
        text += f"\ncopy: {tool['baa_location']}"
    if tool["baa_gap"]:
        return Cell(f"{text}\n⚠ {tool['baa_gap']}", "warn")
    return Cell(text)


def _phi(tool: ToolRecord) -> str | Cell:
    if not tool["handles_phi"]:
        return "no"
    return Cell("yes", "warn") if tool["baa_gap"] else "yes"


def _tools(ra: RiskAnalysis) -> Section:
    ai_first = sorted(ra.tools, key=lambda t: (t["category"] not in vocab.AI_TOOL_CATEGORIES,
                                               t["name"].lower()))
    rows: list[list[str | Cell]] = [[
        t["name"] + (f"\n{t['vendor']}" if t["vendor"] else ""),
        _label(vocab.TOOL_CATEGORIES, t["category"]),
        _phi(t),
        _baa(t),
        t["owner"] or "—",
    ] for t in ai_first]
    checklist: list[list[str | Cell]] = [
        [t["name"], *(_check(_answers(t)[k]) for k in VENDOR_CHECKLIST)] for t in ai_first
                 if t["handles_phi"] or t["category"] in vocab.AI_TOOL_CATEGORIES]
    legend = "; ".join(f"{n}. {label}" for n, label in enumerate(VENDOR_CHECKLIST.values(), 1))
    return Section("tools", "6. Tools and systems", [
        Para("AI tools first. A tool whose vendor receives PHI needs a signed, current Business Associate "
             "Agreement (45 CFR 164.308(b)(1), 164.314(a)); gaps are flagged."),
        Table(["Tool / vendor", "Category", "Vendor has PHI", "BAA", "Owner"], rows,
              empty="No tools or systems in the register."),
        Para("Vendor checklist (AI tools and tools handling PHI): " + legend + ". "
             "yes = confirmed, NO = not so, ? = not yet checked."),
        Table(["Tool", *(str(n) for n in range(1, len(VENDOR_CHECKLIST) + 1))], checklist,
              empty="No tool to check."),
    ])


def _score(likelihood: int, impact: int, score: int, lvl: str) -> Cell:
    return Cell(f"{likelihood}×{impact} = {score}\n{lvl}", level_tone(lvl))


def _current(h: ReportHazard) -> Cell:
    """The current score, with what it rests on (a dated assessment, or the inherent score)."""
    cell = _score(h["current_likelihood"], h["current_impact"], h["current_score"],
                  h["current_level"])
    basis = (f"assessed {_d(h['current_from'])}" if h["current_from"] is not None
             else "= inherent (not assessed)")
    note = f"\n⚠ {h['current_note']}" if h["current_note"] else ""
    return Cell(f"{cell.text}\n{basis}{note}", "warn" if note else cell.tone)


def _linked_safeguards(h: ReportHazard) -> str:
    """The safeguards' titles, after how many of them are in place: "1 of 3 safeguards in
    place"."""
    counted = safeguards_in_place_text(h["safeguards_in_place"], h["safeguards_counted"])
    return "\n".join([counted, *h["safeguards"]])


def _treatment(h: ReportHazard) -> str:
    text = _label(vocab.TREATMENTS, h["treatment"])
    if h["treatment"] == "accept" or h["status"] == "accepted":
        text += f"\nrationale: {h['acceptance_rationale'] or '—'}"
        text += f"\nexpires {_d(h['acceptance_expires_on'])}"
    return text


def _hazards(ra: RiskAnalysis) -> Section:
    rows: list[list[str | Cell]] = []
    for h in ra.hazards:
        what = h["title"]
        if h["threat_source"]:
            what += f"\nthreat: {h['threat_source']}"
        if h["vulnerability"]:
            what += f"\nvulnerability: {h['vulnerability']}"
        dates = f"last {_d(h['last_reviewed_on'])}\nnext {_d(h['next_review_on'])}"
        review: str | Cell = dates
        if h["overdue"] or h.get("review_now"):
            review = Cell(dates + ("\n⚠ overdue" if h["overdue"] else "")
                          + (f"\n⚠ review now: {h['review_now']}" if h.get("review_now") else ""),
                          "warn")
        rows.append([
            what,
            "\n".join(h["tools"]) or "—",
            _score(h["likelihood"], h["impact"], h["score"], h["level"]),
            _current(h),
            _linked_safeguards(h),
            _score(h["target_likelihood"], h["target_impact"], h["target_score"],
                   h["target_level"]),
            _treatment(h),
            _label(HAZARD_STATUSES, h["status"]),
            h["owner"] or "—",
            review,
        ])
    return Section("hazards", "7. Hazards", [
        Para("Every hazard, highest inherent score first: its inherent, current and target "
             "scores, the tools it concerns, the safeguards that answer it (and how many of them "
             "are in place), its treatment and owner."),
        Table(["Hazard", "Tools", "Inherent", "Current", "Safeguards", "Target", "Treatment",
               "Status", "Owner", "Review"], rows, empty="No hazards in the register."),
    ])


def _safeguards(ra: RiskAnalysis) -> Section:
    rows: list[list[str | Cell]] = []
    by_standard = sorted(ra.safeguards,
                         key=lambda s: (s["category"], s["citation"], s["title"].lower()))
    for s in by_standard:
        requirement = _label(vocab.REQUIREMENTS, s["requirement"])
        if s["decision_note"]:
            requirement += f"\ndecision: {s['decision_note']}"
        if s.get("proposed_rule"):
            # A proposal is not law: said as such, beside what the rule requires today.
            requirement += "\nproposed rule (not law): the 2025 Security Rule NPRM would " \
                           "make it required"
        dates = []
        if s["due_on"]:
            dates.append(f"due {_d(s['due_on'])}")
        if s["last_verified_on"]:
            dates.append(f"verified {_d(s['last_verified_on'])}")
        if s["next_verification_on"]:
            dates.append(f"next check {_d(s['next_verification_on'])}")
        status = _label(SAFEGUARD_STATUSES, s["status"])
        rows.append([
            s["title"],
            _label(vocab.SAFEGUARD_CATEGORIES, s["category"]),
            s["citation"] or "—",
            requirement,
            Cell(status + ("\n⚠ overdue" if s["overdue"] else ""),
                 "warn" if s["overdue"] else ("ok" if s["status"] in ("in_place", "verified")
                                              else None)),
            s["owner"] or "—",
            "\n".join(dates) or "—",
            s["evidence"] or "—",
        ])
    return Section("safeguards", "8. Safeguards", [
        Table(["Safeguard", "Category", "Citation", "Required / addressable", "Status", "Owner",
               "Dates", "Evidence"], rows, empty="No safeguards in the register."),
    ])


def _history(ra: RiskAnalysis) -> Section:
    rows = [[
        _d(r["reviewed_on"]), r["hazard"],
        review_scores(r),
        r["notes"] or "—", _d(r["next_review_on"]),
    ] for r in ra.reviews]
    blocks = [Table(["Reviewed", "Hazard", "Scores then", "Notes",
                     "Next review"], rows, empty="No hazard reviews recorded yet.")]
    return Section("history", "9. Review history", blocks)


def _owners(ra: RiskAnalysis) -> Section:
    return Section("owners", "10. Owners", [
        Table(["Name", "Role", "Contact"],
              [[o["name"], o["role"] or "—", o["contact"] or "—"] for o in ra.owners],
              empty="No owners recorded."),
        Bullets([("The practitioner remains the security and privacy official "
                 "(164.308(a)(2)) whoever owns an individual record.")]),
    ])
