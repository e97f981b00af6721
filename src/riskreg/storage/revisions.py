"""The revision check as one atomic statement (issue 22: a stale save refused, never lost).

Reading a record's revision and comparing it in Python is not enough under PostgreSQL's READ
COMMITTED: two windows both read revision 1, both pass, and the second save silently overwrites
the first. `claim` instead asks the database itself,
`UPDATE t SET revision = revision WHERE id = :id AND revision = :expected`: a row another
transaction is changing makes it wait, then see that row's new revision, so the answer is "no
row" (changed elsewhere) rather than a lost update; a row it matched stays locked until commit.
"""

from typing import Any

from sqlalchemy import update
from sqlmodel import Session


def claim(session: Session, obj: Any, expected: int) -> bool:
    """Hold `obj`'s row at revision `expected` for this transaction; False if it moved."""
    table = type(obj).__table__
    result = session.execute(
        update(table).where(table.c.id == obj.id, table.c.revision == expected)
        .values(revision=table.c.revision))
    return result.rowcount == 1  # type: ignore[attr-defined]


def current(session: Session, obj: Any) -> int | None:
    """The revision stored now (committed by whoever changed it)."""
    table = type(obj).__table__
    return session.execute(
        table.select().with_only_columns(table.c.revision).where(table.c.id == obj.id)
    ).scalar()
