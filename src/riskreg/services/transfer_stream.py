"""The JSON export written as it is read (issue 22, "Speed and size"): rows are read a chunk at a
time inside one read transaction (a consistent view) and encoded straight into the atomic
temporary file, so neither the rows nor the document are ever held whole in memory.

The text is exactly what `json.dumps(document, indent=2, ensure_ascii=False)` gives for the same
document (a test holds the two together): the rows are flat, so each is encoded by hand with the
C string encoder instead of the pure-Python indenting encoder, which was most of the export's
time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy
import sqlalchemy.dialects.sqlite
from sqlalchemy.orm import Session

from riskreg import __version__
from riskreg.services.current import add_current
from riskreg.services.transfer_levels import DERIVED
from riskreg.services.transfer_schema import encode, table_specs
from riskreg.storage.database import Database
from riskreg.storage.models import AuditEvent
from riskreg.storage.types import UTCDateTime

_SQLITE = sqlalchemy.dialects.sqlite.dialect()  # type: ignore[attr-defined]

CHUNK = 2000
"""Rows read (and encoded) at a time."""
EVENT_FIELDS = ("seq", "at", "entity", "public_id", "action", "changes", "prev_hash", "hash",
                "actor")
_string = json.encoder.encode_basestring  # type: ignore[attr-defined]  (the C one when built)


def header(now: datetime, format_: str, version: int) -> dict[str, Any]:
    from riskreg.storage.migrate import head_revision

    return {
        "format": format_,
        "version": version,
        "riskreg_version": __version__,
        "schema": head_revision(),
        "exported_at": now.astimezone(UTC).isoformat(),
    }


# -- reading -------------------------------------------------------------------------------------


def table_chunks(
    session: Session, *, derived: bool = True,
) -> Iterator[tuple[str, bool, Iterator[list[dict[str, Any]]]]]:
    """Each exported table's name, whether its rows are flat (no JSON column), and its rows in
    document form, oldest first, a chunk at a time (references as public ids; with `derived`, a
    hazard's current risk added). Without `derived`, what `transfer_schema.export_rows` gives."""
    public_ids: dict[str, dict[int, str]] = {}
    for spec in table_specs():
        ids = public_ids.setdefault(spec.name, {})
        flat = not any(isinstance(f.column.type, sqlalchemy.JSON) for f in spec.fields)
        yield spec.name, flat, _rows(session, spec, public_ids, ids, derived)


def _rows(session: Session, spec: Any, public_ids: dict[str, dict[int, str]],
          ids: dict[int, str], with_derived: bool) -> Iterator[list[dict[str, Any]]]:
    table = spec.table
    fields = [(f.key, f.column.name, f.target) for f in spec.fields]
    derived = DERIVED.get(spec.name) if with_derived else None
    kinds = [_kind_of(table.c[column]) for _, column, _ in fields]
    raw = session.get_bind().dialect.name == "sqlite" and not derived and "other" not in kinds
    if raw:  # the values as SQLite stores them, turned into the document's forms directly
        names = ["id", "public_id"] + [column for _, column, _ in fields]
        result: Any = session.execute(
            sqlalchemy.select(*(sqlalchemy.literal_column(f'"{n}"') for n in names))
            .select_from(table).order_by(table.c.id))
        converters = [_STORED[kind] for kind in kinds]
    else:
        result = session.execute(sqlalchemy.select(table).order_by(table.c.id)).mappings()
    while batch := result.fetchmany(CHUNK):
        docs = []
        for row in batch:
            if raw:
                id_, public_id, *values = row
                values = [v if convert is None or v is None else convert(v)
                          for v, convert in zip(values, converters, strict=True)]
            else:
                id_, public_id = row["id"], row["public_id"]
                values = [encode(row[column]) for _, column, _ in fields]
            ids[id_] = public_id
            doc: dict[str, Any] = {}
            for (key, _, target), value in zip(fields, values, strict=True):
                if target is not None and value is not None:
                    value = public_ids[target][value]
                doc[key] = value
            docs.append(doc)
        if derived:
            records = [dict(row) for row in batch]
            add_current(session, records, [row["id"] for row in batch])
            for doc, record in zip(docs, records, strict=True):
                doc.update({key: record[key] for key in derived})
        yield docs


_SQLITE_STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}")


def _stamp(stored: Any) -> Any:
    """A timestamp as SQLite holds it (UTC, "2026-11-20 09:30:00.000000") in the document's
    form ("2026-11-20T09:30:00+00:00", as `encode` gives it); anything else as the model reads
    it."""
    if isinstance(stored, str) and _SQLITE_STAMP.fullmatch(stored):
        time = stored[11:-7] if stored.endswith(".000000") else stored[11:]
        return f"{stored[:10]}T{time}+00:00"
    read = UTCDateTime().dialect_impl(_SQLITE).result_processor(_SQLITE, None)
    return encode(read(stored) if read else stored)


def _kind_of(column: Any) -> str:
    kind = column.type
    if isinstance(kind, UTCDateTime):
        return "stamp"
    if isinstance(kind, sqlalchemy.Boolean):
        return "bool"
    if isinstance(kind, sqlalchemy.JSON):
        return "json"
    if isinstance(kind, sqlalchemy.DateTime):
        return "other"  # not a riskreg column type: read as the model reads it
    return "plain"  # text, whole numbers and dates (SQLite holds a date as "YYYY-MM-DD")


_STORED: dict[str, Any] = {"stamp": _stamp, "bool": bool, "json": json.loads, "plain": None}


def event_chunks(session: Session) -> Iterator[list[dict[str, Any]]]:
    """The audit log as stored, in order, a chunk at a time (`changes` is the exact text that
    was hashed). Raw rows: no model object per event."""
    table = AuditEvent.__table__
    dialect = session.get_bind().dialect
    read_at = table.c.at.type.dialect_impl(dialect).result_processor(dialect, None)
    columns = [table.c.id, table.c.at, table.c.entity, table.c.public_id, table.c.action,
               table.c.changes, table.c.prev_hash, table.c.hash, table.c.actor]
    raw = sqlalchemy.select(*(sqlalchemy.literal_column(c.name) for c in columns)).select_from(
        table).order_by(table.c.id)
    result = session.execute(raw)
    sqlite = dialect.name == "sqlite"
    while batch := result.fetchmany(CHUNK):
        out = []
        for seq, at, *rest in batch:
            stamp = _stamp(at) if sqlite else encode(read_at(at) if read_at else at)
            out.append(dict(zip(EVENT_FIELDS, (seq, stamp, *rest), strict=True)))
        yield out


# -- writing -------------------------------------------------------------------------------------


def _value(value: Any, depth: int) -> str:
    """One value as `json.dumps(..., indent=2, ensure_ascii=False)` writes it at `depth`."""
    if isinstance(value, str):
        return _string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, dict | list):
        text = json.dumps(value, indent=2, ensure_ascii=False)
        return text.replace("\n", "\n" + "  " * depth)
    return json.dumps(value, ensure_ascii=False)


def _object(row: dict[str, Any], depth: int) -> str:
    if not row:
        return "{}"
    inner = "\n" + "  " * (depth + 1)
    body = ("," + inner).join(f"{_string(key)}: {_value(value, depth + 1)}"
                              for key, value in row.items())
    return "{" + inner + body + "\n" + "  " * depth + "}"


def _flat_encoder(depth: int) -> Any:
    """A row of scalars at `depth` as the indenting encoder writes it, by the C encoder: its item
    separator carries the newline and the indent (right only when no value is a list or an
    object, which would be indented as the indenting encoder does not)."""
    encoder = json.JSONEncoder(ensure_ascii=False,
                               separators=(",\n" + "  " * (depth + 1), ": ")).encode
    opening, closing = "{\n" + "  " * (depth + 1), "\n" + "  " * depth + "}"

    def flat(row: dict[str, Any]) -> str:
        return opening + encoder(row)[1:-1] + closing

    return flat


def _list(chunks: Iterator[list[dict[str, Any]]], depth: int, count: list[int],
          flat: bool = False) -> Iterator[str]:
    """A list of rows at `depth`, a chunk of text per chunk of rows; `count` counts them. `flat`:
    no value of any row is a list or an object."""
    inner = ",\n" + "  " * (depth + 1)
    first = True
    fast = _flat_encoder(depth + 1)
    for rows in chunks:
        if not rows:
            continue
        if flat:
            text = inner.join(map(fast, rows))
        else:
            text = inner.join(_object(row, depth + 1) for row in rows)
        yield ("[\n" + "  " * (depth + 1) if first else inner) + text
        first = False
        count[0] += len(rows)
    yield "[]" if first else "\n" + "  " * depth + "]"


def document_chunks(db: Database, head: dict[str, Any], counts: dict[str, int]) -> Iterator[bytes]:
    """The export document's text, encoded, a piece at a time, read in one transaction;
    `counts` gets the records and events written."""
    records, events = [0], [0]
    with db.reading() as session:
        parts = ["{"] + [f"\n  {_string(k)}: {_value(v, 1)}," for k, v in head.items()]
        yield "".join(parts).encode("utf-8")
        yield b'\n  "tables": {'
        first = True
        for name, flat, chunks in table_chunks(session):
            yield (("" if first else ",") + f"\n    {_string(name)}: ").encode("utf-8")
            first = False
            for text in _list(chunks, 2, records, flat):
                yield text.encode("utf-8")
        yield (b"}" if first else b"\n  }") + b',\n  "audit_log": '
        for text in _list(event_chunks(session), 1, events, flat=True):
            yield text.encode("utf-8")
        yield b"\n}\n"
    counts["records"], counts["events"] = records[0], events[0]
