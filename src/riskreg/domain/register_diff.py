"""What changed in the register between two of its states (issue 23: "what changed since").

A state is the register in the JSON export's record form (`{table: [row, ...]}`, each row a dict
of canonical JSON values: dates as `YYYY-MM-DD`, references as public ids): a signed snapshot's
body holds one, and the register now is read into the same form. Pure: no I/O, no clock.

How a record is matched and when it "changed":
- A record is matched across the two states by its permanent public id, never by its title: a
  renamed hazard is the same hazard, renamed.
- A record is present when it is not archived. Present in TO and not in FROM: added; present in
  FROM and not in TO: removed (for a tool: retired). A record archived in both is not shown.
- A record present in both changed when any field's canonical value differs, compared field by
  field. Not compared: bookkeeping (created_at, updated_at, revision, archived_at, which is
  presence) and scores derived from compared fields (score, target_score, current_score,
  current_level). A field one state has and the other lacks (a field added by a later release)
  counts as changed only if its value is not empty (None).
- A hazard's links (its tools and safeguards) are compared as the sets of public ids it is
  linked to (`tools`, `safeguards`), not as link rows.
- Incidents and their records are not diffed field by field: the incidents discovered in the
  period are listed (`incidents_in_period`).

`diff(a, b).inverse() == diff(b, a)`: added and removed swap, each field's old and new swap.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from riskreg.domain.scoring import level, score

Tables = Mapping[str, list[dict[str, Any]]]

NOT_COMPARED = frozenset({"public_id", "created_at", "updated_at", "revision", "archived_at",
                          "score", "target_score", "current_score", "current_level"})
LINKS = {"hazard_tool": ("hazard", "tool", "tools"),
         "hazard_safeguard": ("hazard", "safeguard", "safeguards")}
"""Link tables, folded into the hazard as the set of ids it is linked to: (owner side, other
side, the hazard's pseudo-field)."""
NOT_DIFFED_PREFIXES = ("incident", "notice_", "annual_review", "risk_analysis_snapshot")
"""Tables not compared record by record (the incidents are listed by period instead; the
year's review and the snapshots are the review's own bookkeeping)."""
TITLE_FIELDS = ("title", "name", "client_code", "reference", "practice_name")
LEVELS = (("inherent", "likelihood", "impact"),
          ("current", "current_likelihood", "current_impact"),
          ("target", "target_likelihood", "target_impact"))
IN_EFFECT = ("in_place", "verified")
NOT_DONE = ("planned", "in_progress")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    table: str
    public_id: str
    title: str = field(compare=False)
    """The record's title in the later state that has it (shown, not compared: a diff and its
    inverse name a renamed record by different titles)."""
    change: str = field(default="changed")
    """"added", "removed" or "changed"."""
    fields: tuple[FieldChange, ...] = ()

    def inverse(self) -> RecordChange:
        swapped = {"added": "removed", "removed": "added"}.get(self.change, self.change)
        return RecordChange(self.table, self.public_id, self.title, swapped,
                            tuple(FieldChange(f.field, f.new, f.old) for f in self.fields))

    def field(self, name: str) -> FieldChange | None:
        return next((f for f in self.fields if f.field == name), None)


@dataclass(frozen=True)
class RegisterDiff:
    changes: tuple[RecordChange, ...]
    names: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Every record's title by public id, in either state (to show a reference by name)."""

    def inverse(self) -> RegisterDiff:
        return RegisterDiff(tuple(c.inverse() for c in self.changes), self.names)

    def of(self, table: str, change: str | None = None) -> list[RecordChange]:
        return [c for c in self.changes
                if c.table == table and (change is None or c.change == change)]

    def __bool__(self) -> bool:
        return bool(self.changes)


def diff(before: Tables, after: Tables) -> RegisterDiff:
    """Every record added, removed or changed from `before` to `after` (see the module)."""
    a, b = _normalised(before), _normalised(after)
    names = {**_names(before), **_names(after)}
    names.update({**_names(before, names), **_names(after, names)})
    changes: list[RecordChange] = []
    for table in sorted(set(a) | set(b)):
        rows_a, rows_b = a.get(table, {}), b.get(table, {})
        for public_id in sorted(set(rows_a) | set(rows_b)):
            old, new = rows_a.get(public_id), rows_b.get(public_id)
            title = _title(new or old or {}, names)
            if old is None and new is not None:
                changes.append(RecordChange(table, public_id, title, "added"))
            elif new is None and old is not None:
                changes.append(RecordChange(table, public_id, title, "removed"))
            elif old is not None and new is not None:
                fields = _field_changes(old, new)
                if fields:
                    changes.append(RecordChange(table, public_id, title, "changed", fields))
    return RegisterDiff(tuple(changes), names)


def _normalised(tables: Tables) -> dict[str, dict[str, dict[str, Any]]]:
    """Present records by table and public id, each hazard with its links."""
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for table, rows in tables.items():
        if table in LINKS or table.startswith(NOT_DIFFED_PREFIXES):
            continue
        out[table] = {row["public_id"]: dict(row) for row in rows
                      if row.get("archived_at") is None}
    for table, (mine, other, pseudo) in LINKS.items():
        linked: dict[str, list[str]] = {}
        for row in tables.get(table, []):
            if row.get("archived_at") is None:
                linked.setdefault(row[mine], []).append(row[other])
        for public_id, record in out.get(mine, {}).items():
            record[pseudo] = sorted(linked.get(public_id, []))
    return out


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> tuple[FieldChange, ...]:
    # In the order of the field names: a diff and its inverse list them alike.
    names = sorted((set(old) | set(new)) - NOT_COMPARED)
    return tuple(FieldChange(k, old.get(k), new.get(k)) for k in names
                 if old.get(k) != new.get(k))


def _title(row: Mapping[str, Any], names: Mapping[str, str] | None = None) -> str:
    """What names a record: its title field, else the record it refers to (a review: its
    hazard's title and its day), else its public id."""
    for name in TITLE_FIELDS:
        value = row.get(name)
        if value:
            return str(value)
    own = row.get("public_id")
    for value in row.values():
        if names and isinstance(value, str) and value != own and value in names:
            day = row.get("reviewed_on")
            return names[value] + (f" ({day})" if day else "")
    return str(row.get("reviewed_on") or own or "")


def _names(tables: Tables, names: Mapping[str, str] | None = None) -> dict[str, str]:
    return {row["public_id"]: _title(row, names) for rows in tables.values() for row in rows
            if "public_id" in row}


# -- the named changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """One change as a person reads it: its group ("Hazards"), the record, and what happened."""

    group: str
    title: str
    what: str
    public_id: str = ""


def described(changes: RegisterDiff, before: Tables, after: Tables, since: str, until: str,
              words: Callable[[str, str], str] = lambda _table, name: name) -> list[Line]:
    """The diff as lines, grouped: the named categories first (hazards added, removed,
    re-scored, treatment changed; tools added or retired, BAAs signed, expired or lapsed;
    safeguards put in place, verified, lapsed or overdue; incidents in the period), then every
    other field change of every record ("field: old -> new", the field named by `words(table,
    field)`: the services give the words a form uses). `since` and `until` are the two
    states' days (YYYY-MM-DD): a BAA or safeguard date that falls between them is named."""
    lines: list[Line] = []
    named: dict[str, set[str]] = {}
    hazards = {r["public_id"]: r for r in after.get("hazard", [])}
    for change in changes.changes:
        state = hazards.get(change.public_id, {}) if change.table == "hazard" else {}
        lines += _named(change, named.setdefault(change.public_id, set()), state)
    lines += _lapsed_by_date(after, before, since, until)
    lines += incidents_in_period(after, since, until)
    for change in changes.changes:
        if change.change != "changed":
            continue
        for f in change.fields:
            if f.field not in named.get(change.public_id, set()):
                lines.append(Line(_group(change.table), change.title,
                                  f"{words(change.table, f.field)}: "
                                  f"{_shown(f.old, changes.names)} -> "
                                  f"{_shown(f.new, changes.names)}", change.public_id))
    order = list(GROUPS.values())
    return sorted(lines, key=lambda ln: order.index(ln.group) if ln.group in order else len(order))


GROUPS = {"hazard": "Hazards", "tool": "Tools and BAAs", "safeguard": "Safeguards",
          "owner": "Owners", "consent": "AI consent log", "practice_settings": "Settings",
          "review": "Hazard reviews", "incident": "Incidents in the period"}


def _group(table: str) -> str:
    return GROUPS.get(table, table.replace("_", " ").capitalize())


def _named(change: RecordChange, covered: set[str], state: Mapping[str, Any]) -> list[Line]:
    group = _group(change.table)
    if change.change != "changed":
        word = change.change
        if change.table == "tool" and word == "removed":
            word = "retired"
        if change.table == "review" and word == "added":
            word = "recorded"
        return [Line(group, change.title, word, change.public_id)]
    out: list[str] = []
    if change.table == "hazard":
        out += _rescored(change, covered, state)
        if (f := change.field("treatment")) is not None:
            covered.add("treatment")
            out.append(f"treatment changed: {f.old} -> {f.new}")
    elif change.table == "tool":
        out += _baa(change, covered)
    elif change.table == "safeguard":
        out += _safeguard(change, covered)
    return [Line(group, change.title, what, change.public_id) for what in out]


def _level_text(likelihood: Any, impact: Any) -> str:
    if not isinstance(likelihood, int) or not isinstance(impact, int):
        return "not assessed"
    value = score(likelihood, impact)
    return f"{likelihood}×{impact} = {value} {level(value)}"


def _rescored(change: RecordChange, covered: set[str], state: Mapping[str, Any]) -> list[str]:
    """Each level whose likelihood or impact changed, before and after (a score that did not
    change is the hazard's in the later state)."""
    parts = []
    for name, lk, im in LEVELS:
        moved = {k: f for k in (lk, im) if (f := change.field(k)) is not None}
        if not moved:
            continue
        covered.update(moved)
        if name == "current":  # the assessment the current level comes from
            covered.update({"current_assessed_likelihood", "current_assessed_impact"})
        before = [moved[k].old if k in moved else state.get(k) for k in (lk, im)]
        after = [moved[k].new if k in moved else state.get(k) for k in (lk, im)]
        parts.append(f"{name} {_level_text(*before)} -> {_level_text(*after)}")
    return ["re-scored: " + "; ".join(parts)] if parts else []


def _baa(change: RecordChange, covered: set[str]) -> list[str]:
    f = change.field("baa_status")
    if f is None:
        return []
    covered.add("baa_status")
    if f.new == "signed":
        return ["BAA signed"]
    if f.new == "expired":
        return ["BAA expired"]
    if f.old == "signed":
        return [f"BAA lapsed (signed -> {f.new})"]
    return [f"BAA status: {f.old} -> {f.new}"]


def _safeguard(change: RecordChange, covered: set[str]) -> list[str]:
    out = []
    f = change.field("status")
    if f is not None:
        covered.add("status")
        if f.new == "in_place":
            out.append("put in place")
        elif f.new == "verified":
            out.append("verified")
        elif f.old in IN_EFFECT:
            out.append(f"lapsed ({f.old} -> {f.new})")
        else:
            out.append(f"status: {f.old} -> {f.new}")
    v = change.field("last_verified_on")
    if v is not None and v.new and (f is None or f.new != "verified"):
        covered.add("last_verified_on")
        out.append(f"verified on {v.new}")
    return out


def _lapsed_by_date(after: Tables, before: Tables, since: str, until: str) -> list[Line]:
    """What the calendar ran out between the two days: a signed BAA whose expiry date passed,
    a safeguard whose due date or verification date passed undone."""
    lines = []
    was = {r["public_id"]: r for r in before.get("safeguard", [])}
    for tool in _present(after, "tool"):
        expires = tool.get("baa_expires_on")
        if tool.get("baa_status") == "signed" and expires and since <= expires < until:
            lines.append(Line("Tools and BAAs", _title(tool), f"BAA lapsed: it expired {expires}",
                              tool["public_id"]))
    for guard in _present(after, "safeguard"):
        old = was.get(guard["public_id"], {})
        for key, done in (("due_on", NOT_DONE), ("next_verification_on", IN_EFFECT)):
            day = guard.get(key)
            if day and guard.get("status") in done and day < until and not (
                    old.get(key) == day and day < since):
                word = "due" if key == "due_on" else "verification due"
                lines.append(Line("Safeguards", _title(guard), f"overdue: {word} {day}",
                                  guard["public_id"]))
    return lines


def incidents_in_period(after: Tables, since: str, until: str) -> list[Line]:
    """The incidents discovered after `since`, up to `until` (by reference, never description:
    DESIGN principle 1)."""
    return [Line("Incidents in the period", row.get("reference", ""),
                 f"discovered {row['discovered_on']}, {row.get('status', '')}", row["public_id"])
            for row in _present(after, "incident")
            if row.get("discovered_on") and since < row["discovered_on"] <= until]


def _present(tables: Tables, table: str) -> Iterable[dict[str, Any]]:
    return (r for r in tables.get(table, []) if r.get("archived_at") is None)


def _shown(value: Any, names: Mapping[str, str]) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v, names) for v in value) + "]"
    if isinstance(value, str) and value in names:
        return names[value]
    if value is None or value == "":
        return "—"
    if isinstance(value, str) and len(value) > 60:
        return value[:57] + "..."
    return str(value)
