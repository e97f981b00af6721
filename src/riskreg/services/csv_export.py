"""The register as spreadsheet files:
`riskreg export csv --what hazards|tools|safeguards|incidents`.

UTF-8 with a byte-order mark (so Excel reads accented names correctly; LibreOffice and Numbers
ignore it), a header row, RFC 4180 quoting. A text cell that starts with = + - @, a tab or a
carriage return is prefixed with an apostrophe, so a spreadsheet shows it as text instead of
running it as a formula (CSV injection). Values are stored values (`in_progress`, not
"In progress"), the same words as `riskreg list --json`. Incidents are exported by reference,
title and dates; their descriptions stay in the app (DESIGN.md principle 1).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlmodel import col, select

from riskreg.domain.ai_fields import TOOL_AI_FIELDS
from riskreg.domain.register import VENDOR_CHECKLIST
from riskreg.domain.text import escaped
from riskreg.errors import BadInput
from riskreg.services.links import empty_links, hazard_links
from riskreg.services.register import ListQuery, RegisterService
from riskreg.storage.database import Database
from riskreg.storage.files import check_output_path, write_atomic

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

COLUMNS: dict[str, tuple[str, ...]] = {
    "hazards": (
        "public_id", "title", "description", "threat_source", "vulnerability",
        "likelihood", "impact", "score", "level",
        "current_likelihood", "current_impact", "current_score", "current_level",
        "current_assessed_on", "safeguards_in_place", "safeguards_counted", "current_note",
        "target_likelihood", "target_impact", "target_score", "target_level",
        "treatment", "acceptance_rationale", "acceptance_expires_on", "status", "owner",
        "review_cadence_months", "last_reviewed_on", "next_review_on", "overdue", "review_now",
        "tools", "safeguards", "updated_at", "archived_at",
    ),
    "tools": (
        "public_id", "name", "vendor", "category", "handles_phi", "baa_status", "baa_signed_on",
        "baa_expires_on", "baa_location", "baa_gap", *VENDOR_CHECKLIST, *TOOL_AI_FIELDS,
        "owner", "notes", "updated_at", "archived_at",
    ),
    "safeguards": (
        "public_id", "title", "description", "category", "citation", "requirement",
        "decision_note", "status", "lapsed_on", "owner", "due_on", "evidence",
        "verification_cadence_months",
        "last_verified_on", "next_verification_on", "overdue", "updated_at", "archived_at",
    ),
    "incidents": (
        "reference", "public_id", "title", "status", "step", "occurred_on", "occurred_until",
        "discovered_on", "determination", "decided_on", "affected", "residents", "part2",
        "part2_affected", "notices_sent", "closed_on", "updated_at", "archived_at",
    ),
}
WHAT = tuple(COLUMNS)


def neutralize(text: str) -> str:
    """Text a spreadsheet would read as a formula, made inert with a leading apostrophe."""
    return "'" + text if text.startswith(FORMULA_START) else text


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    return neutralize(escaped(str(value), keep_lines=True))  # stored control characters (D8)


def to_csv(columns: tuple[str, ...], rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([cell(row.get(c)) for c in columns])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_csv(
    db: Database, what: str, out: str | Path, *, today: Callable[[], date] = date.today,
    archived: bool = False,
) -> int:
    """Write one kind of record to `out` (atomically, mode 0600); return the number of rows."""
    if what not in COLUMNS:
        raise BadInput(f"--what: {what!r} is not one of: {', '.join(WHAT)}")
    out = Path(out).expanduser()
    if out.is_dir():
        raise BadInput(f"{out} is a folder; give a file name such as {what}.csv")
    target = check_output_path(out, database=db.path, label=None)
    rows = ROWS[what](db, today, archived)
    write_atomic(target, to_csv(COLUMNS[what], rows))
    return len(rows)


Rows = Callable[[Database, Callable[[], date], bool], list[dict[str, Any]]]


def _register_rows(kind: str) -> Rows:
    def rows(db: Database, today: Callable[[], date], archived: bool) -> list[dict[str, Any]]:
        page = RegisterService(db, today=today).list(kind, ListQuery(limit=None, archived=archived))
        return cast("list[dict[str, Any]]", page.rows)  # written by column name, any kind

    return rows


def _with_links(read: Rows) -> Rows:
    """Hazard rows with the names of their linked tools and safeguards ("; " between)."""

    def rows(db: Database, today: Callable[[], date], archived: bool) -> list[dict[str, Any]]:
        found = read(db, today, archived)
        with db.reading() as session:
            links = hazard_links(session)
        for row in found:
            linked = links.get(row["public_id"], empty_links())
            row["tools"] = "; ".join(name for _, name in linked["tools"])
            row["safeguards"] = "; ".join(title for _, title in linked["safeguards"])
        return found

    return rows


def _incident_rows(db: Database, today: Callable[[], date],  # noqa: ARG001 (a Rows; no clock)
                   archived: bool) -> list[dict[str, Any]]:
    from sqlalchemy import func

    from riskreg.storage.incident_models import Incident, IncidentResident, NoticeSent

    with db.reading() as session:
        archived_at = col(Incident.archived_at)
        query = select(Incident).where(
            archived_at.is_not(None) if archived else archived_at.is_(None)
        ).order_by(col(Incident.year), col(Incident.sequence))
        incidents = list(session.exec(query))
        residents: dict[int, list[str]] = {}
        for incident_id, state, count in session.exec(
            select(IncidentResident.incident_id, IncidentResident.state, IncidentResident.count)
            .where(col(IncidentResident.archived_at).is_(None))
            .order_by(col(IncidentResident.state))
        ):
            residents.setdefault(incident_id, []).append(f"{state} {count}")
        sent = dict(session.exec(
            select(NoticeSent.incident_id, func.count())
            .where(col(NoticeSent.archived_at).is_(None)).group_by(NoticeSent.incident_id)
        ).all())
    rows = []
    for incident in incidents:
        row = incident.model_dump(exclude={"description"})
        row["residents"] = "; ".join(residents.get(incident.id, []))
        row["notices_sent"] = sent.get(incident.id, 0)
        rows.append(row)
    return rows


ROWS = {
    "hazards": _with_links(_register_rows("hazard")),
    "tools": _register_rows("tool"),
    "safeguards": _register_rows("safeguard"),
    "incidents": _incident_rows,
}
