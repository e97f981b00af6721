"""The queries the UI's workers run, off the main thread. Each returns one message.

Imported only from inside workers (it loads the services, which load SQLModel).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from riskreg.services.register import ListQuery, RegisterService
from riskreg.ui.messages import DetailLoaded, PageLoaded

HISTORY_SHOWN = 12
"""Audit events shown per record (newest first); the CLI's `audit` shows them all."""


@dataclass(frozen=True)
class TableQuery:
    """What a register table asks for (the UI's side of ListQuery)."""

    kind: str
    text: str = ""
    sort: str | None = None
    descending: bool = False
    archived: bool = False
    cell: tuple[int, int] | None = None
    residual: bool = False


def load_page(
    register: RegisterService, query: TableQuery, generation: int, offset: int, limit: int
) -> PageLoaded:
    page = register.list(query.kind, ListQuery(
        text=query.text, sort=query.sort, descending=query.descending, offset=offset,
        limit=limit, archived=query.archived, cell=query.cell, residual=query.residual,
    ))
    if not query.text.strip() and query.cell is None:
        all_total = page.total
    elif query.archived:
        all_total = register.list(query.kind, ListQuery(archived=True, limit=0)).total
    else:
        all_total = register.count(query.kind)
    return PageLoaded(generation, offset, page.rows, page.total, all_total)


def load_detail(register: RegisterService, kind: str, public_id: str) -> DetailLoaded:
    from riskreg.errors import NotFound

    try:
        record = register.get(kind, public_id)
    except NotFound:
        return DetailLoaded(kind, public_id, None, {}, [], [])
    linked = register.linked(kind, public_id)
    reviews = register.reviews(public_id) if kind == "hazard" else []
    history = register.history(public_id)[-HISTORY_SHOWN:][::-1]
    return DetailLoaded(kind, public_id, record, linked, reviews, history)


def search_records(register: RegisterService, text: str, per_kind: int = 5) -> list[dict[str, Any]]:
    """Records whose searched columns contain `text`, a few of each kind, for the palette."""
    found = []
    for kind in ("hazard", "tool", "safeguard", "owner", "consent"):
        for row in register.list(kind, ListQuery(text=text, limit=per_kind)).rows:
            found.append({"kind": kind, **row})
    return found
