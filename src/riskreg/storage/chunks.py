"""Lists of ids in SQL statements that fit SQLite's limit on bound variables.

An `IN (...)` clause binds one variable per id, and SQLite refuses a statement with more than
its limit ("too many SQL variables": 250,000 in the review's build, 32,766 by default, 999 before
3.32). A list of ids built from the register (every hazard on a page, every child of an
incident) is queried in slices that fit (reliability review D17: 1,000,000 hazards).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy.orm import Session

T = TypeVar("T")

DEFAULT_LIMIT = 999
"""The limit assumed when the driver cannot say (SQLite's smallest limit, before 3.32)."""


def variable_limit(session: Session) -> int:
    """How many variables one statement may bind on this session's connection."""
    raw: Any = session.connection().connection.dbapi_connection
    try:
        return raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):  # another driver (SQLCipher's, PostgreSQL's)
        return DEFAULT_LIMIT


def slices(session: Session, ids: Sequence[T], *, others: int = 0) -> Iterator[Sequence[T]]:
    """`ids` in slices small enough for one statement that binds `others` variables besides."""
    size = max(1, variable_limit(session) - others)
    for start in range(0, len(ids), size):
        yield ids[start:start + size]
