"""The queries the UI's workers run, off the main thread. Each returns one message.

Imported only from inside workers (it loads the services, which load SQLModel).
"""

from __future__ import annotations

from typing import Any, cast

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.services.register import ListQuery, RegisterService
from riskreg.ui.messages import CountLoaded, DetailLoaded, PageLoaded
from riskreg.ui.table_query import TableQuery

HISTORY_SHOWN = 12

SEARCH_ORDER = ("hazard", "tool", "safeguard", "owner", "consent")
"""The palette's found records, by kind: what a user most often looks for first."""
"""Audit events shown per record (newest first); the CLI's `audit` shows them all."""


def load_page(
    register: RegisterService, query: TableQuery, generation: int, offset: int, limit: int
) -> PageLoaded:
    """One window of rows, without counting (see `count_page`)."""
    page = register.list(query.kind, _list_query(query, offset=offset, limit=limit, count=False))
    # The tables read any kind's records by column key: a dict to them.
    return PageLoaded(generation, offset, cast("list[dict[str, Any]]", page.rows), limit)


def count_page(
    register: RegisterService, query: TableQuery, generation: int, all_total: int | None
) -> CountLoaded:
    """How many records match, and how many there are in the view before filtering (`all_total`
    when the caller already knows it)."""
    total = register.count_matching(query.kind, _list_query(query))
    if all_total is None:
        if not query.text.strip() and query.cell is None:
            all_total = total
        else:
            all_total = register.count_matching(query.kind, ListQuery(archived=query.archived))
    return CountLoaded(generation, total, all_total)


def _list_query(query: TableQuery, **kwargs: Any) -> ListQuery:
    return ListQuery(text=query.text, sort=query.sort, descending=query.descending,
                     archived=query.archived, cell=query.cell, level=query.level, **kwargs)


def load_detail(register: RegisterService, kind: str, public_id: str) -> DetailLoaded:
    from riskreg.errors import NotFound

    try:
        record = register.get(kind, public_id)
    except NotFound:
        return DetailLoaded(kind, public_id, None, {}, [], [])
    linked = register.linked(kind, public_id)
    reviews = register.reviews(public_id) if NAMES[kind].reviewed else []
    history = register.history(public_id, kind)[-HISTORY_SHOWN:][::-1]
    # The record in full reads any kind's fields by name (ui/kinds): dicts to it.
    return DetailLoaded(kind, public_id, cast("dict[str, Any]", record),
                        cast("dict[str, list[dict[str, Any]]]", linked),
                        cast("list[dict[str, Any]]", reviews), cast("list[dict[str, Any]]", history))


def search_records(register: RegisterService, text: str, per_kind: int = 5) -> list[dict[str, Any]]:
    """Records whose searched columns contain `text`, a few of each kind, for the palette."""
    found = []
    for kind in SEARCH_ORDER:
        for row in register.list(kind, ListQuery(text=text, limit=per_kind)).rows:
            found.append({"kind": kind, **row})
    return found
