"""The shape of a JSON export, derived from the tables themselves.

Every table whose rows carry the `Tracked` columns is exported, in foreign-key dependency order,
so a table added by a later migration (the incidents, say) is included without touching this
module. A row is exported with its public id and without its internal integer id; a foreign key
`owner_id` becomes `owner`, holding the public id of the row it points at. Dates are
`YYYY-MM-DD`, timestamps ISO 8601 in UTC with their offset, JSON columns as they are.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, DateTime, Integer, String, Table, select
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator
from sqlmodel import SQLModel

import riskreg.storage.tables  # noqa: F401  (registers every table, the incidents' too)
from riskreg.domain.limits import LONG_TEXT, MAX_WHOLE, OUT_OF_RANGE, out_of_range

TRACKED_COLUMNS = frozenset(
    {"id", "public_id", "created_at", "updated_at", "revision", "archived_at"}
)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class FieldSpec:
    key: str
    """The field's name in the document (a foreign key `owner_id` is `owner`)."""
    column: Column
    target: str | None = None
    """For a foreign key: the table whose public id the field holds."""


@dataclass(frozen=True)
class TableSpec:
    name: str
    table: Table
    fields: tuple[FieldSpec, ...]
    unique: tuple[tuple[str, ...], ...]
    """Sets of fields (document keys) that no two rows may share, public_id included."""

    def field(self, key: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.key == key), None)


def _key(column: Column, names: set[str]) -> str:
    if column.foreign_keys and column.name.endswith("_id"):
        stem = column.name.removesuffix("_id")
        if stem not in names:
            return stem
    return column.name


def _spec(table: Table) -> TableSpec:
    names = set(table.c.keys())
    fields = []
    for column in table.c:
        if column.name == "id":
            continue
        target = None
        if column.foreign_keys:
            (fk,) = column.foreign_keys
            target = fk.column.table.name
        fields.append(FieldSpec(_key(column, names), column, target))
    by_column = {f.column.name: f.key for f in fields}
    sets: list[tuple[str, ...]] = []
    for index in table.indexes:
        if index.unique:
            sets.append(tuple(by_column[c.name] for c in index.columns))
    for constraint in table.constraints:
        if type(constraint).__name__ == "UniqueConstraint":
            sets.append(tuple(by_column[c.name] for c in constraint.columns))
    for column in table.c:
        if column.unique and column.name != "id":
            sets.append((by_column[column.name],))
    unique = tuple(dict.fromkeys(sets))
    return TableSpec(table.name, table, tuple(fields), unique)


NOT_EXPORTED = {
    "alembic_version": "the schema revision, written as the document's own `schema`",
    "audit_event": "written apart, as stored, so that its chain still verifies",
    "calendar_ledger": (
        "what each calendar target (a file or folder path of this computer) was last given: "
        "machine state, not register data; an imported register starts with an empty ledger "
        "and its first export to a target writes what it has (services/calendar_targets.py)"),
}
"""The tables that are not in the document's `tables`, and why."""


@cache
def table_specs() -> tuple[TableSpec, ...]:
    """Every exported table, referenced tables before the tables that reference them."""
    return tuple(
        _spec(table)
        for table in SQLModel.metadata.sorted_tables
        if TRACKED_COLUMNS <= set(table.c.keys()) and table.name not in NOT_EXPORTED
    )


def spec_by_name() -> dict[str, TableSpec]:
    return {spec.name: spec for spec in table_specs()}


# -- values --------------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    """A column value as it appears in the document."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _kind(column: Column) -> type | None:
    """The Python type a column holds (None: any JSON value)."""
    kind = column.type
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    for sql_type, python_type in ((JSON, None), (Boolean, bool), (Integer, int), (String, str),
                                  (DateTime, datetime), (Date, date)):
        if isinstance(kind, sql_type):
            return python_type
    return None


def decode(field: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """The column value for a document value, or a problem saying why it does not fit."""
    column = field.column
    if value is None:
        if column.nullable:
            return None, None
        return None, "is required (null given)"
    if field.target is not None:
        if not isinstance(value, str):
            return None, f"must be the public id of a {field.target} (a string), not {_show(value)}"
        return value, None
    kind = _kind(column)
    if kind is str:
        # A free-text column has no length of its own: the forms' limit applies (limits.py).
        return _decode_text(value, getattr(column.type, "length", None) or LONG_TEXT)
    decoder = _DECODERS.get(kind)
    if decoder is None:
        return value, None
    return decoder(value)


def _decode_bool(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, bool):
        return None, f"{_show(value)} is not true or false"
    return value, None


def _decode_int(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, int) or isinstance(value, bool):
        return None, f"{_show(value)} is not a whole number"
    if abs(value) > MAX_WHOLE:
        return None, f"{_show(value)} is too large (at most {MAX_WHOLE:,})"
    return value, None


def _decode_text(value: Any, length: int) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, f"{_show(value)} is not text"
    if len(value) > length:
        return None, f"is {len(value):,} characters long; at most {length:,} fit"
    return value, None


def _decode_timestamp(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str):
        return None, f"{_show(value)} is not a timestamp"
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None, f"{_show(value)} is not an ISO 8601 timestamp"
    if parsed.tzinfo is None:
        return None, f"{_show(value)} has no UTC offset (e.g. +00:00)"
    if out_of_range(parsed.date()):
        return None, f"{_show(value)} {OUT_OF_RANGE}"
    return parsed.astimezone(UTC), None


def _decode_date(value: Any) -> tuple[Any, str | None]:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        return None, f"{_show(value)} is not a date in the form YYYY-MM-DD"
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None, f"{_show(value)} is not a date"
    if out_of_range(day):
        return None, f"{_show(value)} {OUT_OF_RANGE}"
    return day, None


_DECODERS: dict[type | None, Callable[[Any], tuple[Any, str | None]]] = {
    bool: _decode_bool, int: _decode_int, datetime: _decode_timestamp, date: _decode_date,
}
"""The check for each Python type a column holds (`_kind`) but text, which needs the column's
length; a JSON column takes any value."""


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else _json_text(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _json_text(value: Any) -> str:
    import json

    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return repr(value)


# -- reading the database ------------------------------------------------------------------------


def export_rows(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every row of every exported table in document form, oldest first within each table."""
    public_ids: dict[str, dict[int, str]] = {}
    out: dict[str, list[dict[str, Any]]] = {}
    for spec in table_specs():
        table = spec.table
        rows = []
        ids: dict[int, str] = {}
        for row in session.execute(select(table).order_by(table.c.id)).mappings():
            ids[row["id"]] = row["public_id"]
            doc: dict[str, Any] = {}
            for field in spec.fields:
                value = row[field.column.name]
                if field.target is not None and value is not None:
                    value = public_ids[field.target][value]
                doc[field.key] = encode(value)
            rows.append(doc)
        public_ids[spec.name] = ids
        out[spec.name] = rows
    return out
