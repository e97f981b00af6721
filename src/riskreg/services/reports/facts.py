"""The facts of the risk analysis (one read of the register: the practice, tools, hazards with
their three levels, safeguards, owners, reviews, what is open), and the line every document
carries. The report builders (risk_analysis, dossier) read these; the package writes the
files. Its own module so that neither builder imports the module that imports it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, NotRequired, cast

from sqlmodel import col, select

from riskreg import __version__
from riskreg.domain.review import next_due
from riskreg.services.dashboard import Dashboard, build_dashboard
from riskreg.services.links import empty_links, hazard_links
from riskreg.services.records import HazardRecord, OwnerRecord, SafeguardRecord, ToolRecord
from riskreg.services.register import ListQuery, RegisterService
from riskreg.storage.database import Database
from riskreg.storage.models import Hazard, PracticeSettings, Review

NOT_LEGAL_ADVICE = (
    "Not legal advice. riskreg records and computes; the practitioner makes every decision. "
    "Verify deadlines and state rules with counsel."
)

HIGH_LEVELS = ("High", "Critical")


@dataclass(frozen=True)
class OpenItem:
    kind: str
    title: str
    detail: str
    due: date | None = None


class ReportHazard(HazardRecord):
    """A hazard as the risk analysis lists it: with the names of its linked tools and
    safeguards (set once the register's links are read)."""

    tools: NotRequired[list[str]]
    safeguards: NotRequired[list[str]]


@dataclass(frozen=True)
class RiskAnalysis:
    today: date
    generated_at: datetime
    version: str
    practice: dict[str, Any]
    tools: list[ToolRecord]
    hazards: list[ReportHazard]
    safeguards: list[SafeguardRecord]
    owners: list[OwnerRecord]
    reviews: list[dict[str, Any]]
    dashboard: Dashboard
    open_items: list[OpenItem]
    archived: dict[str, int] = field(default_factory=dict)
    review: Any = None
    """The periodic review (reports/changes.py: changes since the last sign-off, the last 12
    months' reviews)."""

    @property
    def phi_tools(self) -> int:
        return sum(1 for t in self.tools if t["handles_phi"])


def gather(db: Database, today: date, now: datetime | None = None) -> RiskAnalysis:
    """Gather the risk analysis as of `today` (records that are not archived)."""
    register = RegisterService(db, today=lambda: today)
    everything = ListQuery(limit=None)
    tools = cast("list[ToolRecord]", register.list("tool", everything).rows)
    hazards = cast("list[ReportHazard]", register.list(
        "hazard", ListQuery(limit=None, sort="score", descending=True)).rows)
    safeguards = cast("list[SafeguardRecord]", register.list("safeguard", everything).rows)
    owners = cast("list[OwnerRecord]", register.list("owner", everything).rows)
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
    from riskreg.services.reports.changes import gather_review

    practice = _practice(settings)
    return RiskAnalysis(
        today=today,
        generated_at=(now or datetime.now(UTC)).astimezone(UTC),
        version=__version__,
        practice=practice,
        tools=tools,
        hazards=hazards,
        safeguards=safeguards,
        owners=owners,
        reviews=reviews,
        dashboard=dashboard,
        open_items=_open_items(dashboard, hazards, safeguards),
        archived=archived,
        review=gather_review(db, today, practice["practitioner"]),
    )


def _practice(settings: PracticeSettings | None) -> dict[str, Any]:
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
    dashboard: Dashboard, hazards: list[ReportHazard], safeguards: list[SafeguardRecord]
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


