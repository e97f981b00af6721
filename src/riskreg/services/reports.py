"""The documentation riskreg produces on demand (issue 7): the risk analysis and the incident
dossier, as self-contained HTML or as Markdown.

The risk analysis is the documented analysis 45 CFR 164.308(a)(1)(ii)(A) requires, kept six
years (164.316(b)(2)(i), 164.530(j)): scope, method, the inventory of tools with their BAAs and
vendor checklists, every current hazard scored before and after its safeguards, every safeguard
with its citation and evidence, the review history, what is open or overdue, and the heat maps.
This module gathers the facts (one read of the register); report_html.py and report_md.py
render them. The output format is chosen by the file's extension.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import col, select

from riskreg import __version__
from riskreg.domain.review import next_due
from riskreg.errors import BadInput
from riskreg.services.dashboard import Dashboard, build_dashboard
from riskreg.services.links import empty_links, hazard_links
from riskreg.services.register import ListQuery, RegisterService
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_text_atomic
from riskreg.storage.models import Hazard, PracticeSettings, Review

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}

NOT_LEGAL_ADVICE = (
    "Not legal advice. riskreg records and computes; the practitioner makes every decision. "
    "Verify deadlines and state rules with counsel."
)

HIGH_LEVELS = ("High", "Critical")


def report_format(out: str | Path) -> str:
    """'html' or 'md', from the output file's extension (BadInput, exit 2, for anything else)."""
    suffix = Path(out).suffix.lower()
    if suffix not in FORMATS:
        shown = suffix or "no extension"
        raise BadInput(f"--out: {Path(out).name} has {shown}; choose a .html or .md file")
    return FORMATS[suffix]


def write_report(out: str | Path, html: Callable[[], str], md: Callable[[], str], *,
                 database: Path) -> Path:
    """Render in the format the extension asks for and write it atomically, mode 0600; never over
    the register's own files or through an odd one (`check_output_path`)."""
    out = Path(out).expanduser()
    kind = report_format(out)
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name")
    target = check_output_path(out, database=database, label=None)
    write_text_atomic(target, html() if kind == "html" else md())
    return out


# -- the risk analysis ---------------------------------------------------------------------------


def write_risk_analysis(
    db: Database, out: str | Path, today: date, now: datetime | None = None
) -> Path:
    """`riskreg report risk-analysis --out FILE.html|FILE.md`."""
    from riskreg.services import report_html, report_md, report_risk

    report_format(out)  # refuse a wrong extension or target before reading anything
    check_output_path(out, database=db.path, label=None)
    doc = report_risk.build(risk_analysis(db, today, now))
    return write_report(out, lambda: report_html.render(doc), lambda: report_md.render(doc),
                        database=db.path)


@dataclass(frozen=True)
class OpenItem:
    kind: str
    title: str
    detail: str
    due: date | None = None


@dataclass(frozen=True)
class RiskAnalysis:
    today: date
    generated_at: datetime
    version: str
    practice: dict[str, Any]
    tools: list[dict[str, Any]]
    hazards: list[dict[str, Any]]
    safeguards: list[dict[str, Any]]
    owners: list[dict[str, Any]]
    reviews: list[dict[str, Any]]
    dashboard: Dashboard
    open_items: list[OpenItem]
    archived: dict[str, int] = field(default_factory=dict)

    @property
    def phi_tools(self) -> int:
        return sum(1 for t in self.tools if t["handles_phi"])


def risk_analysis(db: Database, today: date, now: datetime | None = None) -> RiskAnalysis:
    """Gather the risk analysis as of `today` (records that are not archived)."""
    register = RegisterService(db, today=lambda: today)
    everything = ListQuery(limit=None)
    tools = register.list("tool", everything).rows
    hazards = register.list("hazard", ListQuery(limit=None, sort="score", descending=True)).rows
    safeguards = register.list("safeguard", everything).rows
    owners = register.list("owner", everything).rows
    archived = {
        kind: register.list(kind, ListQuery(limit=None, archived=True)).total
        for kind in ("tool", "hazard", "safeguard")
    }
    with db.reading() as session:
        links = hazard_links(session)
        settings = session.exec(
            select(PracticeSettings).where(col(PracticeSettings.archived_at).is_(None))
            .order_by(col(PracticeSettings.id))
        ).first()
        reviews = [
            {**review.model_dump(exclude={"id", "hazard_id"}), "hazard": title,
             "hazard_public_id": hazard_id}
            for review, title, hazard_id in session.exec(
                select(Review, Hazard.title, Hazard.public_id)
                .join(Hazard, Review.hazard_id == Hazard.id)
                .where(col(Review.archived_at).is_(None))
                .order_by(col(Review.reviewed_on).desc(), col(Review.id).desc())
            )
        ]
    for hazard in hazards:
        linked = links.get(hazard["public_id"], empty_links())
        hazard["tools"] = [name for _, name in linked["tools"]]
        hazard["safeguards"] = [title for _, title in linked["safeguards"]]
    dashboard = build_dashboard(db, today, limit=1_000_000)
    return RiskAnalysis(
        today=today,
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
        version=__version__,
        practice=_practice(settings, today),
        tools=tools,
        hazards=hazards,
        safeguards=safeguards,
        owners=owners,
        reviews=reviews,
        dashboard=dashboard,
        open_items=_open_items(dashboard, hazards, safeguards),
        archived=archived,
    )


def _practice(settings: PracticeSettings | None, today: date) -> dict[str, Any]:
    if settings is None:
        return {"practice_name": "", "practitioner": "", "home_state": "",
                "reviewed_on": None, "cadence_months": 12, "next_review_on": None}
    reviewed = settings.risk_analysis_reviewed_on
    cadence = settings.risk_analysis_cadence_months
    return {
        "practice_name": settings.practice_name,
        "practitioner": settings.practitioner,
        "home_state": settings.home_state,
        "reviewed_on": reviewed,
        "cadence_months": cadence,
        "next_review_on": next_due(reviewed, cadence) if reviewed else None,
    }


def _open_items(
    dashboard: Dashboard, hazards: list[dict[str, Any]], safeguards: list[dict[str, Any]]
) -> list[OpenItem]:
    """What still needs doing: BAA gaps and renewals, safeguards late or not yet in place,
    addressable decisions not documented, hazards to review now, current risks still High or Critical,
    hazards whose current risk is to be assessed."""
    items: list[OpenItem] = []
    for section in (dashboard.baa_gaps, dashboard.baas_expiring, dashboard.safeguards_overdue,
                    dashboard.review_now):
        items += [OpenItem(i.kind, i.title, i.detail, i.due) for i in section.items]
    late = {i.public_id for i in dashboard.safeguards_overdue.items}
    for s in safeguards:
        if s["status"] in ("planned", "in_progress") and s["public_id"] not in late:
            when = f", due {s['due_on'].isoformat()}" if s["due_on"] else ", no due date"
            items.append(OpenItem("safeguard", s["title"],
                                  f"{s['status'].replace('_', ' ')}{when}", s["due_on"]))
        if s["requirement"] == "addressable" and not s["decision_note"] \
                and s["status"] != "planned":
            items.append(OpenItem("safeguard", s["title"],
                                  "addressable: decision not documented (164.306(d)(3))"))
    for h in hazards:
        if h["current_level"] in HIGH_LEVELS and h["status"] in ("open", "mitigating"):
            items.append(OpenItem("hazard", h["title"],
                                  f"current risk {h['current_level']} ({h['current_score']}) "
                                  f"and {h['status']}"))
        if h["current_note"] and h["status"] != "closed":
            items.append(OpenItem("hazard", h["title"], h["current_note"]))
    return items


# -- the incident dossier ------------------------------------------------------------------------


def write_incident_report(
    db: Database, ref: str, out: str | Path, today: date, now: datetime | None = None
) -> tuple[Path, str]:
    """`riskreg report incident REF --out FILE.html|FILE.md`; returns the path and reference."""
    from riskreg.services import report_html, report_incident, report_md
    from riskreg.services.incidents import IncidentService
    from riskreg.storage import audit

    report_format(out)
    check_output_path(out, database=db.path, label=None)
    service = IncidentService(db, today=lambda: today)
    record = service.get(ref)
    plan = service.plan(record["reference"]) if record["obligations"] else None
    with db.reading() as session:
        chain = audit.verify(session)
    dossier = report_incident.IncidentDossier(
        record=record,
        history=service.history(record["reference"]),
        holds=list(plan.holds) if plan else [],
        warnings=record["warnings"],
        chain=chain,
        today=today,
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
        version=__version__,
    )
    doc = report_incident.build(dossier)
    path = write_report(out, lambda: report_html.render(doc), lambda: report_md.render(doc),
                        database=db.path)
    return path, record["reference"]
