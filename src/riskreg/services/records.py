"""Read models: register records as plain dicts, the shape the CLI prints and the TUI shows.

Internal integer ids never leave the services; records are named by their public id, and an
owner or tool reference by the other record's public id plus its name for display.
"""

from datetime import date
from typing import Any

from riskreg.domain.register import baa_gap
from riskreg.domain.review import is_overdue
from riskreg.domain.scoring import level
from riskreg.storage.models import Consent, Hazard, Owner, Safeguard, Tool, Tracked

HIDDEN = {"id", "owner_id", "tool_id", "hazard_id", "safeguard_id"}


def to_record(row: Tracked, today: date, refs: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record's fields plus what is derived from them (level, overdue, BAA gap)."""
    record = row.model_dump(exclude=HIDDEN)
    record.update(refs or {})
    if isinstance(row, Hazard):
        record["level"] = level(row.score).value
        record["residual_level"] = level(row.residual_score).value
        record["overdue"] = is_overdue(row.next_review_on, today)
    elif isinstance(row, Tool):
        record["baa_gap"] = baa_gap(row.handles_phi, row.baa_status, row.baa_expires_on, today)
    elif isinstance(row, Safeguard):
        record["overdue"] = bool(
            row.status in ("planned", "in_progress") and is_overdue(row.due_on, today)
        ) or is_overdue(row.next_verification_on, today)
    return record


def owner_ref(owner: Owner | None) -> dict[str, Any]:
    return {"owner": owner.name if owner else "", "owner_public_id": owner.public_id if owner else None}


def tool_ref(tool: Tool | None) -> dict[str, Any]:
    return {"tool": tool.name if tool else "", "tool_public_id": tool.public_id if tool else None}


KIND_OF = {Owner: "owner", Tool: "tool", Hazard: "hazard", Safeguard: "safeguard", Consent: "consent"}
