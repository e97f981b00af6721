"""Checking a JSON export before anything of it is written.

The whole document is checked first: the format and its version, every table and field (types,
lengths, required values), the register's own rules (the same validation as the forms), every
reference to another record, the fields that must be unique, and the audit log's hash chain.
Each problem names its place (`tables.hazard[3].likelihood (hazard <public id>): 7 is not 1-5`;
indexes count from 0, as in the file); the import goes ahead only when there is none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from riskreg.domain.limits import MAX_COUNT, MAX_REVISION
from riskreg.errors import BadInput, ValidationError
from riskreg.services.transfer_schema import TableSpec, decode, spec_by_name, table_specs
from riskreg.storage import audit

FORMAT = "riskreg-export"
FORMAT_VERSION = 1
MAX_PROBLEMS = 50
"""Problems collected before the check stops listing them."""

SCORE_FIELDS = {
    "hazard": ("likelihood", "impact", "target_likelihood", "target_impact"),
    "review": ("likelihood", "impact", "target_likelihood", "target_impact"),
}

# Counts that can never be negative (the incident tables have no form model of the row's shape).
COUNT_FIELDS = {
    "incident": ("affected", "insufficient_contact", "deceased_with_kin"),
    "incident_resident": ("count",),
    "incident_statement": ("days",),
    "notice_sent": ("count",),
}

AUDIT_FIELDS = {
    "seq": int, "at": str, "entity": str, "public_id": str, "action": str, "changes": str,
    "prev_hash": str, "hash": str,
}
AUDIT_LENGTHS = {"entity": 40, "public_id": 36, "action": 20, "prev_hash": 64, "hash": 64,
                 "actor": 200}
AUDIT_OPTIONAL = {"actor": str}
"""Fields an event may leave out: an export from before actors were recorded (migration 0008)
has none, and its events are the legacy actor's (whose hash covers no actor)."""


class _TooMany(Exception):
    pass


@dataclass
class Problems:
    items: list[str] = field(default_factory=list)
    more: bool = False

    def add(self, place: str, problem: str) -> None:
        if len(self.items) >= MAX_PROBLEMS:
            self.more = True
            raise _TooMany
        self.items.append(f"{place}: {problem}" if place else problem)

    def raise_if_any(self, source: str) -> None:
        if not self.items:
            return
        first = self.items[0]
        rest = len(self.items) - 1
        tail = ""
        if rest or self.more:
            tail = f" (and {'more than ' if self.more else ''}{rest} more problem" \
                   f"{'s' if rest != 1 or self.more else ''})"
        raise FileProblems(f"{source} was not imported: {first}{tail}; nothing was changed",
                           self.items)


class FileProblems(BadInput):
    """A file that cannot be imported; `problems` lists every problem found (at most 50)."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


@dataclass
class Row:
    index: int
    public_id: str
    doc: dict[str, Any]
    """The row as in the file (document form)."""
    values: dict[str, Any]
    """The row as column values (dates as dates; foreign keys still public ids)."""


@dataclass
class Checked:
    """A document that passed every check."""

    schema: str | None
    exported_at: str
    tables: dict[str, list[Row]]
    audit_log: list[dict[str, Any]]
    audit_head: str


# -- reading the file ------------------------------------------------------------------------------


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found = dict(pairs)  # (in C: called for each of the file's 200,000 objects)
    if len(found) == len(pairs):
        return found
    seen: set[str] = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} appears twice in one object")
        seen.add(key)
    return found


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def read_document(path: Path) -> Any:
    """Parse the file as strict JSON (no NaN, no repeated keys); BadInput naming the problem."""
    path = Path(path)
    if path.is_dir():
        raise BadInput(f"{path} is a folder, not an export file")
    if path.exists() and not path.is_file():
        # A FIFO or a device: reading one would wait for a writer that never comes.
        raise BadInput(f"{path} is not a regular file (a FIFO or a device), not an export file")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInput(f"no file at {path}") from None
    except OSError as error:
        raise BadInput(f"cannot read {path}: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path} is not a riskreg export (not UTF-8 text); "
                       "nothing was changed") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants)
    except json.JSONDecodeError as error:
        raise BadInput(f"{path} is not a riskreg export: not JSON (line {error.lineno}, column "
                       f"{error.colno}: {error.msg}); nothing was changed") from None
    except ValueError as error:
        raise BadInput(f"{path} is not a riskreg export: {error}; nothing was changed") from None
    except RecursionError:
        raise BadInput(f"{path} is not a riskreg export: nested too deeply; "
                       "nothing was changed") from None


# -- checking it ---------------------------------------------------------------------------------


def check_document(
    doc: Any, source: str, *, known: dict[str, set[str]] | None = None,
) -> Checked:
    """Check a parsed document; return it in column form, or raise FileProblems listing every
    problem (naming its place). `known` holds public ids that references may also point at (the
    database's own records, when merging)."""
    problems = Problems()
    checked: Checked | None = None
    try:
        checked = _check(doc, problems, known or {})
    except _TooMany:
        pass
    problems.raise_if_any(source)
    assert checked is not None
    return checked


def _check(doc: Any, problems: Problems, known: dict[str, set[str]]) -> Checked | None:
    if not isinstance(doc, dict):
        problems.add("", "not a riskreg export (the file is not a JSON object)")
        return None
    if doc.get("format") != FORMAT:
        problems.add("format", f"not a riskreg export (expected \"{FORMAT}\")")
        return None
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        problems.add("version", "must be a whole number")
        return None
    if version > FORMAT_VERSION:
        problems.add("version", f"{version} is newer than this riskreg reads ({FORMAT_VERSION}); "
                     "upgrade riskreg to import it")
        return None
    if version < 1:
        problems.add("version", f"{version} is not a riskreg export version")
        return None
    schema = _check_schema(doc.get("schema"), problems)
    exported_at = doc.get("exported_at")
    if not isinstance(exported_at, str) or not _is_timestamp(exported_at):
        problems.add("exported_at", "must be an ISO 8601 timestamp with its UTC offset")
    unknown = sorted(set(doc) - {"format", "version", "riskreg_version", "schema", "exported_at",
                                 "tables", "audit_log"})
    for key in unknown:
        problems.add(key, "is not part of a riskreg export")
    tables = _check_tables(doc.get("tables"), problems, known)
    audit_log, head = _check_audit(doc.get("audit_log"), problems)
    if problems.items:
        return None
    _check_log_explains_records(tables, audit_log, problems)
    if problems.items:
        return None
    return Checked(schema, exported_at, tables, audit_log, head)


def _check_log_explains_records(
    tables: dict[str, list[Row]], audit_log: list[dict[str, Any]], problems: Problems
) -> None:
    """Records that differ from what the file's own audit log says of them (D10): a file edited
    by hand, or its log emptied, is refused as `riskreg audit verify` would name it."""
    from riskreg.services.audit_check import document_problems

    docs = {name: [row.doc for row in rows] for name, rows in tables.items()}
    for problem in document_problems(docs, audit_log):
        problems.add("", problem)


def _check_schema(schema: Any, problems: Problems) -> str | None:
    if schema is None:
        return None
    if not isinstance(schema, str):
        problems.add("schema", "must be a schema revision (text)")
        return None
    from alembic.script import ScriptDirectory

    from riskreg.storage.migrate import alembic_config

    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if schema not in known:
        problems.add("schema", f"{schema!r} is newer than this riskreg (or not a riskreg schema); "
                     "upgrade riskreg to import it")
    return schema


def _is_timestamp(text: str) -> bool:
    try:
        return datetime.fromisoformat(text).tzinfo is not None
    except ValueError:
        return False


def _check_tables(
    tables: Any, problems: Problems, known: dict[str, set[str]]
) -> dict[str, list[Row]]:
    out: dict[str, list[Row]] = {}
    if not isinstance(tables, dict):
        problems.add("tables", "must be an object of tables, each a list of records")
        return out
    specs = spec_by_name()
    for name in tables:
        if name not in specs:
            problems.add(f"tables.{name}", "is not a table of this riskreg "
                         "(is the file from a newer version?)")
    present: dict[str, set[Any]] = {}
    for spec in table_specs():
        rows = tables.get(spec.name, [])
        place = f"tables.{spec.name}"
        if not isinstance(rows, list):
            problems.add(place, "must be a list of records")
            continue
        checked = [_check_row(spec, i, row, problems) for i, row in enumerate(rows)]
        out[spec.name] = [r for r in checked if r is not None]
        # A record with a problem of its own is still there for references to point at, so one
        # bad field is one problem, not one more for every record that links to it.
        present[spec.name] = {row.get("public_id") for row in rows if isinstance(row, dict)}
        _check_unique(spec, out[spec.name], problems)
    for spec in table_specs():
        for row in out.get(spec.name, []):
            _check_refs(spec, row, present, known, problems)
    return out


def _check_row(spec: TableSpec, index: int, row: Any, problems: Problems) -> Row | None:
    place = f"tables.{spec.name}[{index}]"
    if not isinstance(row, dict):
        problems.add(place, "must be an object (one record)")
        return None
    before = len(problems.items)
    who = _record(spec.name, row)
    for key in row:
        if spec.field(key) is None:
            problems.add(f"{place}.{key}{who}", f"is not a field of {spec.name}")
    values: dict[str, Any] = {}
    for field_spec in spec.fields:
        if field_spec.key not in row:
            column = field_spec.column
            if not column.nullable and column.default is None:
                problems.add(f"{place}.{field_spec.key}{who}", "is required")
            continue
        value, problem = decode(field_spec, row[field_spec.key])
        if problem:
            problems.add(f"{place}.{field_spec.key}{who}", problem)
        else:
            values[field_spec.key] = value
    if len(problems.items) > before:
        return None
    for key, problem in _rules(spec.name, _with_defaults(spec, values)):
        problems.add(f"{place}.{key}{who}" if key else f"{place}{who}", problem)
    if len(problems.items) > before:
        return None
    return Row(index, values["public_id"], row, values)


def _with_defaults(spec: TableSpec, values: dict[str, Any]) -> dict[str, Any]:
    """The row as the database will hold it: a field the file leaves out takes its column's
    default (an incident without a step resumes where a new one does)."""
    defaults = {}
    for field_spec in spec.fields:
        default = field_spec.column.default
        if field_spec.key not in values and default is not None and default.is_scalar:
            defaults[field_spec.key] = default.arg
    return defaults | values


def _record(table: str, row: dict[str, Any]) -> str:
    """The record a problem is in, after its place: " (incident INC-2026-001)", " (hazard <public
    id>)", so it can be found in the app as well as in the file."""
    name = row.get("reference") if table == "incident" else row.get("public_id")
    if not isinstance(name, str) or not name or len(name) > 40:
        return ""
    return f" ({table.replace('_', ' ')} {name})"


def _rules(table: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """The register's own rules for one row: the forms' validation, scores, counts."""
    found = _value_problems(table, values)
    if found:
        return found
    if table == "hazard":
        for prefix in ("", "target_"):
            expected = values[f"{prefix}likelihood"] * values[f"{prefix}impact"]
            if values.get(f"{prefix}score", expected) != expected:
                found.append((f"{prefix}score", (f"{values[f'{prefix}score']} is not "
                              f"{prefix.replace('_', ' ')}likelihood x impact ({expected})")))
    from riskreg.services.import_rules import RULES
    from riskreg.services.validation import INPUTS, validate

    if table in RULES:
        found += RULES[table](values)
    if table in INPUTS:
        data = {k: values[k] for k in INPUTS[table].model_fields if k in values}
        try:
            validate(table, data)
        except ValidationError as error:
            # One sentence among the file's problems, joined by "; " into one line.
            found.append((error.field, error.problem.removesuffix(".")))
    return found


def _value_problems(table: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Values no row may hold, checked before the rules that compute with them: an id that is
    not a UUID, a revision, score or count out of range, a control character in a text."""
    found = []
    if not _is_uuid(values.get("public_id")):
        found.append(("public_id", f"{values.get('public_id')!r} is not a UUID"))
    if not 1 <= values.get("revision", 1) <= MAX_REVISION:
        found.append(("revision", f"{values['revision']} is not a revision "
                      f"(between 1 and {MAX_REVISION:,})"))
    for key in SCORE_FIELDS.get(table, ()):
        if key in values and values[key] not in range(1, 6):
            found.append((key, f"{values[key]} is not 1-5"))
    for key in COUNT_FIELDS.get(table, ()):
        if values.get(key) is not None and values[key] < 0:
            found.append((key, f"{values[key]} is negative"))
        elif values.get(key) is not None and values[key] > MAX_COUNT:
            found.append((key, f"{values[key]:,} is more than {MAX_COUNT:,}"))
    found += _text_problems(values)
    return found


def _text_problems(values: Any, place: str = "") -> list[tuple[str, str]]:
    """A control or reordering character in any text of a row, its JSON answers included (an
    incident's factor notes): refused as the forms refuse it (messages.plain_text)."""
    from riskreg.services.messages import text_problem

    if isinstance(values, str):
        if values.isascii() and values.isprintable():  # no control or reordering character
            return []
        problem = text_problem(values, place)
        return [(place, problem.removesuffix("."))] if problem else []
    items = values.items() if isinstance(values, dict) else enumerate(values) \
        if isinstance(values, list) else ()
    found = []
    for key, value in items:
        if isinstance(value, str | dict | list):  # (numbers, booleans and null hold no text)
            found += _text_problems(value, f"{place}.{key}" if place else str(key))
    return found


def _is_uuid(text: Any) -> bool:
    import uuid

    if not isinstance(text, str):
        return False
    try:
        return str(uuid.UUID(text)) == text.lower()
    except ValueError:
        return False


def _check_unique(spec: TableSpec, rows: list[Row], problems: Problems) -> None:
    for keys in spec.unique:
        seen: dict[tuple[Any, ...], int] = {}
        for row in rows:
            value = tuple(row.doc.get(k) for k in keys)
            if any(v is None for v in value):
                continue
            if value in seen:
                problems.add(
                    f"tables.{spec.name}[{row.index}]",
                    f"{_describe(keys, value)} repeats tables.{spec.name}[{seen[value]}]",
                )
            else:
                seen[value] = row.index


def _describe(keys: tuple[str, ...], value: tuple[Any, ...]) -> str:
    return " and ".join(f"{k} {v!r}" for k, v in zip(keys, value, strict=True))


def _check_refs(
    spec: TableSpec, row: Row, present: dict[str, set[Any]], known: dict[str, set[str]],
    problems: Problems,
) -> None:
    for field_spec in spec.fields:
        target = field_spec.target
        value = row.values.get(field_spec.key)
        if target is None or value is None:
            continue
        if value not in present.get(target, set()) and value not in known.get(target, set()):
            where = "in the file or this database" if known else "in the file"
            problems.add(f"tables.{spec.name}[{row.index}].{field_spec.key}",
                         f"no {target} with public id {value!r} {where}")


def _check_audit(events: Any, problems: Problems) -> tuple[list[dict[str, Any]], str]:
    """Each event's fields, then the chain: the log must verify as it was exported."""
    if events is None:
        events = []
    if not isinstance(events, list):
        problems.add("audit_log", "must be a list of events")
        return [], audit.GENESIS
    out: list[dict[str, Any]] = []
    for i, event in enumerate(events):
        checked = _check_event(f"audit_log[{i}]", event, problems)
        if checked is None:
            return [], audit.GENESIS
        out.append(checked)
    return out, _check_chain(out, problems)


def _check_event(place: str, event: Any, problems: Problems) -> dict[str, Any] | None:
    """One event with its time read, or None (and the problem said) when it is malformed."""
    if not isinstance(event, dict):
        problems.add(place, "must be an object (one event)")
        return None
    before = len(problems.items)
    for key in sorted(set(event) - set(AUDIT_FIELDS) - set(AUDIT_OPTIONAL)):
        problems.add(f"{place}.{key}", "is not a field of an audit event")
    for key, kind in [*AUDIT_FIELDS.items(), *AUDIT_OPTIONAL.items()]:
        value = event.get(key)
        if key in AUDIT_OPTIONAL and key not in event:
            continue
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.add(f"{place}.{key}", "is required" if value is None
                         else f"must be {'a whole number' if kind is int else 'text'}")
        elif key in AUDIT_LENGTHS and len(value) > AUDIT_LENGTHS[key]:
            problems.add(f"{place}.{key}", f"is longer than {AUDIT_LENGTHS[key]} characters")
    if len(problems.items) > before:
        return None
    if not _is_timestamp(event["at"]):
        problems.add(f"{place}.at", "must be an ISO 8601 timestamp with its UTC offset")
        return None
    return {"actor": audit.LEGACY_ACTOR, **event,
            "at": datetime.fromisoformat(event["at"]).astimezone(UTC)}


def _check_chain(events: list[dict[str, Any]], problems: Problems) -> str:
    """The hash chain's head, checked event by event; the first break is said, and ends it."""
    head = audit.GENESIS
    for i, event in enumerate(events):
        place = f"audit_log[{i}]"
        if event["seq"] != i + 1:
            problems.add(f"{place}.seq", f"{event['seq']} is out of sequence (expected {i + 1}): "
                         "an event was removed or inserted")
            break
        if event["prev_hash"] != head:
            problems.add(f"{place}.prev_hash", "does not follow the previous event: an event was "
                         "removed, inserted or replaced")
            break
        try:
            payload = audit.canonical(event["seq"], event["at"], event["entity"],
                                      event["public_id"], event["action"], event["changes"],
                                      event["actor"])
        except (ValueError, TypeError):
            payload = ""
        if audit.chain_hash(head, payload) != event["hash"]:
            problems.add(place, f"event {event['seq']} was altered after it was written "
                         "(its hash does not match)")
            break
        head = event["hash"]
    return head
