"""Read models: register records as plain dicts, the shape the CLI prints and the TUI shows.

Internal integer ids never leave the services; records are named by their public id, and an
owner or tool reference by the other record's public id plus its name for display.
"""

from datetime import date
from typing import Any

from riskreg.domain.register import derived_fields
from riskreg.storage.models import Consent, Hazard, Owner, Safeguard, Tool, Tracked

HIDDEN = {"id", "owner_id", "tool_id", "hazard_id", "safeguard_id"}


def to_record(row: Tracked, today: date, refs: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record's fields plus what is derived from them (level, overdue, BAA gap)."""
    record = row.model_dump(exclude=HIDDEN)
    record.update(refs or {})
    record.update(derived_fields(KIND_OF.get(type(row), ""), record, today))
    return record


def owner_ref(owner: Owner | None) -> dict[str, Any]:
    return {"owner": owner.name if owner else "", "owner_public_id": owner.public_id if owner else None}


def tool_ref(tool: Tool | None) -> dict[str, Any]:
    return {"tool": tool.name if tool else "", "tool_public_id": tool.public_id if tool else None}


KIND_OF = {Owner: "owner", Tool: "tool", Hazard: "hazard", Safeguard: "safeguard", Consent: "consent"}
