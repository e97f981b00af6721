"""The first rows of a register table, read with Python's own sqlite3 module while the app is
still loading SQLAlchemy and SQLModel.

Why a second way to read: the app's first frame is painted about half a second after launch, and
the services' stack (SQLAlchemy, SQLModel, pydantic, the models) takes most of another second of
imports before its first query can run. When the app opens straight on a register table
(`riskreg --area hazards`), this module reads that table's first window in a few milliseconds, so
the rows are on screen while the rest loads; the services then read the same window again and
take over (filtering, sorting, paging, counting, every write).

It reads only what `RegisterService.list(kind, ListQuery(limit=N))` returns for the table's
default view (not archived, no filter, the default sort) and gives the same records: the same
fields, the same Python types, the same derived fields (`domain.kinds.KindNames.derived_fields`); a
test compares the two on varied registers for every kind. It declines (returns None) whenever it
cannot be sure of that: an encrypted file, a database at another schema revision than this
riskreg's, a column type it does not know, a locked or unreadable file. Nothing is written: the
connection is query-only. (It is not opened read-only: the last connection to close folds and
removes SQLite's -wal and -shm files, which a read-only one would leave behind.)
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from riskreg.domain.current_risk import LinkedSafeguard, current_fields
from riskreg.domain.kinds import HIDDEN, KINDS
from riskreg.domain.register import review_now_text
from riskreg.storage.files import SQLITE_HEADER
from riskreg.storage.schema import HEAD

# The declared types SQLAlchemy's SQLite dialect gives riskreg's columns, and how its result
# processing turns the stored values into Python ones: dates are ISO text, timestamps are UTC
# text without an offset (`storage.types.UTCDateTime`), booleans are 0 or 1.
_CONVERT = {
    "INTEGER": None,
    "VARCHAR": None,
    "DATE": date.fromisoformat,
    "DATETIME": lambda text: _utc(datetime.fromisoformat(text)),
    "BOOLEAN": bool,
}

BUSY_TIMEOUT_S = 0.2
"""A database another window is writing is left to the services (which wait for it)."""


def read_first_page(path: Path, kind: str, today: date, limit: int) -> list[dict[str, Any]] | None:
    """The first `limit` records of `kind` in the table's default view, or None when this reader
    cannot vouch for them (see the module's docstring)."""
    if kind not in KINDS:
        return None
    try:
        if not path.is_file():
            return None  # a FIFO, a device, a folder: opening one could hang (the services say why)
        with path.open("rb") as fh:
            if fh.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return None  # missing, empty, encrypted or not a database: the services say why
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True,
                                     timeout=BUSY_TIMEOUT_S)
    except (OSError, sqlite3.Error):
        return None
    try:
        connection.execute("PRAGMA query_only = ON")
        return _read(connection, kind, today, limit)
    except Exception:  # noqa: BLE001 (a value the services would refuse too: they say why)
        return None
    finally:
        connection.close()


def _read(connection: sqlite3.Connection, kind: str, today: date,
          limit: int) -> list[dict[str, Any]] | None:
    version = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchone()
    if version is None or connection.execute(
        "SELECT version_num FROM alembic_version"
    ).fetchall() != [(HEAD,)]:
        return None
    columns = _columns(connection, kind)
    if columns is None:
        return None
    selected = ["t.id"] + [f't."{name}"' for name, _ in columns]
    joins = ""
    names = KINDS[kind]
    if names.reference is not None:
        table, key = names.reference, names.reference_column
        selected += ["ref.name", "ref.public_id"]
        joins = f'LEFT OUTER JOIN "{table}" AS ref ON t."{key}" = ref.id'
    sql = (f'SELECT {", ".join(selected)} FROM "{kind}" AS t {joins} '
           f'WHERE t.archived_at IS NULL ORDER BY t."{names.default_sort}" ASC, t.id ASC LIMIT ?')
    records = []
    ids = []
    for row in connection.execute(sql, (limit,)):
        ids.append(row[0])
        record = {}
        for (name, convert), value in zip(columns, row[1:], strict=False):
            if name not in HIDDEN:
                record[name] = convert(value) if convert is not None and value is not None else value
        if names.reference is not None:
            ref_name, ref_public_id = row[1 + len(columns):]
            record[names.reference] = ref_name if ref_name is not None else ""
            record[f"{names.reference}_public_id"] = ref_public_id
        record.update(names.derived_fields(record, today))
        records.append(record)
    if names.reviewed and ids:
        # As `services.review_now.add_review_now`: one query for the page's hazards only (in the
        # main query SQLite would work it out for every hazard before sorting them).
        marks = ", ".join("?" * len(ids))
        tools = dict(connection.execute(
            f"SELECT t.id, ({_REVIEW_NOW_TOOL}) FROM hazard AS t WHERE t.id IN ({marks})",
            [today.isoformat(), *ids]))
        linked: dict[int, list[LinkedSafeguard]] = {i: [] for i in ids}
        for hazard_id, status, lapsed_on in connection.execute(_LINKED_SAFEGUARDS.format(marks), ids):
            lapsed = date.fromisoformat(lapsed_on) if lapsed_on is not None else None
            linked[hazard_id].append(LinkedSafeguard(status, lapsed))
        for record, hazard_id in zip(records, ids, strict=True):
            record["review_now"] = review_now_text(record["review_now_reason"], tools.get(hazard_id))
            record.update(current_fields(record, linked[hazard_id]))
    add_flags = _AI_FLAGS.get(kind)
    if add_flags is not None and ids:
        add_flags(connection, records, ids, today)
    return records


def _practice(connection: sqlite3.Connection) -> tuple[str, dict[str, bool]]:
    row = connection.execute(
        "SELECT home_state, federal_assistance, part2_records FROM practice_settings "
        "WHERE archived_at IS NULL ORDER BY id LIMIT 1").fetchone()
    return ("", {}) if row is None else (
        row[0] or "", {"federal_assistance": bool(row[1]), "part2_records": bool(row[2])})


def _tool_ai_flags(connection: sqlite3.Connection, records: list[dict[str, Any]],
                   ids: list[int], today: date) -> None:
    """As `services.ai_flags.add_tool_flags`: each tool's `ai_flags`."""
    from riskreg.domain.ai_rules import tool_flags

    home, settings = _practice(connection)
    marks = ", ".join("?" * len(ids))
    states: dict[int, list[str]] = {i: [] for i in ids}
    for tool_id, state in connection.execute(
            f"SELECT tool_id, client_state FROM consent WHERE tool_id IN ({marks}) "
            "AND archived_at IS NULL", ids):
        states[tool_id].append(state)
    for record, tool_id in zip(records, ids, strict=True):
        record["ai_flags"] = [f.words for f in tool_flags(
            record, today, home_state=home, client_states=[s for s in states[tool_id] if s],
            settings=settings, disclosures=len(states[tool_id]))]


def _consent_ai_flags(connection: sqlite3.Connection, records: list[dict[str, Any]],
                      ids: list[int], today: date) -> None:
    """As `services.ai_flags.add_consent_flags`: each consent's `ai_flags`."""
    from riskreg.domain.ai_rules import consent_flags

    home, _settings = _practice(connection)
    marks = ", ".join("?" * len(ids))
    tools: dict[int, dict[str, Any] | None] = {}
    for consent_id, has_tool, recorded in connection.execute(
            f"SELECT c.id, tool.id, tool.records_sessions FROM consent AS c LEFT OUTER JOIN tool "
            f"ON tool.id = c.tool_id WHERE c.id IN ({marks})", ids):
        tools[consent_id] = None if has_tool is None else {
            "records_sessions": None if recorded is None else bool(recorded)}
    for record, consent_id in zip(records, ids, strict=True):
        record["ai_flags"] = [f.words for f in consent_flags(record, tools.get(consent_id), today,
                                                             home_state=home)]


_AI_FLAGS = {"tool": _tool_ai_flags, "consent": _consent_ai_flags}
"""The kinds whose records carry the AI rules' flags (`services/kinds.py`: their annotation)."""


def _utc(value: datetime) -> datetime:
    """As `storage.types.UTCDateTime` reads a timestamp: naive is UTC, aware is converted."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _columns(connection: sqlite3.Connection, kind: str) -> list[tuple[str, Any]] | None:
    """The table's columns with the conversion of each, or None if a type is not one this reader
    knows (a column added by a later riskreg: leave the table to the services)."""
    columns = []
    for _cid, name, declared, *_ in connection.execute(f'PRAGMA table_info("{kind}")'):
        base = declared.split("(")[0].strip().upper()
        if base not in _CONVERT:
            return None
        columns.append((name, _CONVERT[base]))
    return columns or None


# `services.register.review_now_tool`: the first (by name) active linked tool that handles PHI
# without a signed, unexpired BAA (`baa_gap_clause`).
_REVIEW_NOW_TOOL = """
    SELECT tool.name FROM tool JOIN hazard_tool ON hazard_tool.tool_id = tool.id
    WHERE hazard_tool.hazard_id = t.id
      AND hazard_tool.archived_at IS NULL AND tool.archived_at IS NULL
      AND tool.handles_phi IS 1
      AND (tool.baa_status != 'signed'
           OR (tool.baa_expires_on IS NOT NULL AND tool.baa_expires_on < ?))
    ORDER BY tool.name LIMIT 1
"""

# `services.current.linked_safeguards`: the active safeguards linked by an active link.
_LINKED_SAFEGUARDS = """
    SELECT hs.hazard_id, s.status, s.lapsed_on FROM hazard_safeguard AS hs
    JOIN safeguard AS s ON s.id = hs.safeguard_id
    WHERE hs.hazard_id IN ({}) AND hs.archived_at IS NULL AND s.archived_at IS NULL
"""
