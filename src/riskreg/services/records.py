"""Read models: register records as plain dicts, the shape the CLI prints and the TUI shows.

Internal integer ids never leave the services; records are named by their public id, and an
owner or tool reference by the other record's public id plus its name for display.
"""

from datetime import date
from typing import Any

from riskreg.domain.kinds import HIDDEN, KINDS
from riskreg.services.kinds import KIND_OF_MODEL
from riskreg.storage.models import Tracked


def to_record(row: Tracked, today: date, refs: dict[str, Any] | None = None) -> dict[str, Any]:
    """A record's fields plus what is derived from them (level, overdue, BAA gap)."""
    record = row.model_dump(exclude=HIDDEN)
    record.update(refs or {})
    kind = KIND_OF_MODEL.get(type(row))
    if kind is not None:
        record.update(KINDS[kind].derived_fields(record, today))
    return record


