"""Checks of a database file as a whole: is it sound (SQLite's integrity check), and does a
copy hold exactly what the original holds."""

from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from sqlmodel import SQLModel

import riskreg.storage.tables  # noqa: F401  (compare_databases walks every table)
from riskreg.domain.text import plural
from riskreg.errors import DatabaseError
from riskreg.storage import audit
from riskreg.storage.database import open_database


def integrity_problem(session: Session) -> str | None:
    """SQLite's own check of every page and index: its first complaint, or None when the file is
    sound. A damaged file is never "intact", whatever its audit chain says."""
    if session.get_bind().dialect.name != "sqlite":
        return None  # other databases check their own storage
    found = session.execute(text("PRAGMA integrity_check")).scalars().all()
    return None if found == ["ok"] else str(found[0])


def compare_databases(original: Path, copy: Path, copy_passphrase: str | None = None) -> None:
    """Raise DatabaseError unless every table has the same rows and the copy's audit chain
    verifies to the same head."""
    first = open_database(original)
    second = open_database(copy, passphrase=copy_passphrase)
    try:
        with first.reading() as a, second.reading() as b:
            for table in SQLModel.metadata.sorted_tables:
                count_a = a.execute(select(func.count()).select_from(table)).scalar()
                count_b = b.execute(select(func.count()).select_from(table)).scalar()
                if count_a != count_b:
                    raise DatabaseError(
                        f"the copy differs in {table.name}: {plural(count_b, 'row')}, not {count_a}"
                    )
            chain_a, chain_b = audit.verify(a), audit.verify(b)
            if not chain_b.ok or chain_a.last_hash != chain_b.last_hash:
                raise DatabaseError("the copy's audit chain does not match the original's")
    finally:
        first.close()
        second.close()
