"""What the UI knows about each kind of register record: its names, its table columns and what
its record in full shows (`ui/detail.py`): the fields, the long texts, the flags.

Each column sorts by one of the fields the register service can sort by in SQL
(`services.kinds.KIND[kind].sortable`); a test checks they agree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.domain.kinds import KindNames
from riskreg.ui.dialogs.fields import vendor_checklist_applies
from riskreg.ui.render import (
    FLAG,
    Palette,
    label,
    level_text,
    literal,
    plain,
    status_text,
)

Cell = Callable[[dict[str, Any], Palette], Text]
Flags = Callable[[dict[str, Any]], list[str]]


def _no_flags(_record: dict[str, Any]) -> list[str]:
    return []


def _never(_record: dict[str, Any]) -> bool:
    return False


@dataclass(frozen=True)
class Column:
    key: str
    """The field the column sorts by (one the services can sort by)."""
    label: str
    cell: Cell
    width: int = 0
    """Cells wide; 0 for the one flexible column that takes the rest."""
    priority: int = 0
    """Narrow screens drop the highest numbers first; 0 is never dropped."""


@dataclass(frozen=True)
class Kind:
    kind: str
    """The services' name for it ("hazard")."""
    singular: str
    plural: str
    title_field: str
    """The field that names a record to a person."""
    columns: tuple[Column, ...]
    fields: tuple[tuple[str, str], ...] = ()
    """What the record in full shows in its grid, in order: (label, field)."""
    long_text: tuple[str, ...] = ()
    """Its long texts, shown whole under the grid."""
    flags: Flags = _no_flags
    """What needs action now ("BAA gap: ..."), shown in red under the heading."""
    vendor_checklist: Callable[[dict[str, Any]], bool] = _never
    """Whether the record in full shows the vendor checklist (a tool that may see client data)."""
    dated_today: tuple[str, ...] = ()
    """The fields a new record's form starts at today's date."""

    def title_of(self, record: dict[str, Any]) -> str:
        return plain(record.get(self.title_field) or "")

    @property
    def names(self) -> KindNames:
        """The kind's facts every layer shares (domain/kinds): its links, whether reviewed."""
        return NAMES[self.kind]


def _text(field: str, tone: str = "") -> Cell:
    return lambda r, p: literal(r.get(field), tone, p)


def _label(field: str, kind: str) -> Cell:
    return lambda r, p: literal(label(field, r.get(field), kind))  # noqa: ARG005 (a Cell)


def _status(kind: str, field: str = "status") -> Cell:
    return lambda r, p: status_text(kind, r.get(field) or "", p, field)


def _flagged(field: str, flag: Callable[[dict[str, Any]], Any]) -> Cell:
    """The record's name, preceded by a flag when it needs action now."""

    def cell(r: dict[str, Any], p: Palette) -> Text:
        text = literal(r.get(field), "", p)
        if flag(r):
            text = Text.assemble((f"{FLAG} ", p["error"]), text, end="", no_wrap=True,
                                 overflow="ellipsis")
        return text

    return cell


def _due(field: str, overdue: str = "overdue") -> Cell:
    return lambda r, p: literal(r.get(field), "error" if r.get(overdue) else "", p)


def _baa(r: dict[str, Any], p: Palette) -> Text:
    return literal(label("baa_status", r.get("baa_status")), "error" if r.get("baa_gap") else "", p)


def _baa_expiry(r: dict[str, Any], p: Palette) -> Text:
    return literal(r.get("baa_expires_on"), "error" if r.get("baa_gap") else "", p)


def _yes_no(field: str) -> Cell:
    return lambda r, p: literal(r.get(field))  # noqa: ARG005 (a Cell takes the palette)


def _hazard_flags(record: dict[str, Any]) -> list[str]:
    flags = []
    if record.get("review_now"):
        flags.append(f"Review now: {record['review_now']}")
    if record.get("current_note"):
        flags.append(record["current_note"][0].upper() + record["current_note"][1:])
    if record.get("overdue"):
        flags.append(f"Review overdue since {plain(record.get('next_review_on'))}")
    return flags


def _tool_flags(record: dict[str, Any]) -> list[str]:
    flags = [f"BAA gap: {record['baa_gap']}"] if record.get("baa_gap") else []
    return flags + [f"AI rule: {flag}" for flag in record.get("ai_flags") or ()]


def _consent_flags(record: dict[str, Any]) -> list[str]:
    return [f"AI rule: {flag}" for flag in record.get("ai_flags") or ()]


def _safeguard_flags(record: dict[str, Any]) -> list[str]:
    return ["Overdue"] if record.get("overdue") else []


HAZARD = Kind("hazard", "hazard", "hazards", "title", (
    Column("title", "Title", _flagged("title", lambda r: r.get("review_now"))),
    Column("score", "Inherent", lambda r, p: level_text(r["level"], r["score"], p), 11, 1),
    Column("current_score", "Current", lambda r, p: level_text(
        r["current_level"], r["current_score"], p), 11, 2),
    Column("next_review_on", "Next review", _due("next_review_on"), 11, 3),
    Column("status", "Status", _status("hazard"), 15, 4),
    Column("target_score", "Target", lambda r, p: level_text(
        r["target_level"], r["target_score"], p), 11, 5),
    Column("owner", "Owner", _text("owner"), 16, 6),
    Column("treatment", "Treatment", _label("treatment", "hazard"), 9, 7),
), fields=(
    ("Threat source", "threat_source"), ("Vulnerability", "vulnerability"),
    ("Treatment", "treatment"), ("Status", "status"), ("Owner", "owner"),
), long_text=("description",), flags=_hazard_flags)

TOOL = Kind("tool", "tool", "tools", "name", (
    Column("name", "Name", _flagged("name", lambda r: r.get("baa_gap"))),
    Column("baa_status", "BAA", _baa, 9, 1),
    Column("handles_phi", "Vendor PHI", _yes_no("handles_phi"), 10, 2),
    Column("category", "Category", _label("category", "tool"), 22, 3),
    Column("baa_expires_on", "BAA expires", _baa_expiry, 11, 4),
    Column("owner", "Owner", _text("owner"), 16, 5),
    Column("vendor", "Vendor", _text("vendor"), 16, 6),
), fields=(
    ("Vendor", "vendor"), ("Category", "category"), ("Vendor has PHI", "handles_phi"),
    ("BAA", "baa_status"), ("BAA signed", "baa_signed_on"), ("BAA expires", "baa_expires_on"),
    ("Signed copy", "baa_location"), ("Owner", "owner"), ("AI use", "ai_use"),
    ("Records", "records_sessions"), ("Emotions", "detects_emotions"),
    ("Clinical calls", "clinical_decisions"), ("You review", "clinician_reviews_output"),
    ("MFA", "mfa_enabled"), ("Encrypted rest", "encrypted_at_rest"),
    ("Encrypted wire", "encrypted_in_transit"), ("Restore order", "restore_priority"),
    ("Restore (h)", "restore_target_hours"), ("BA verified", "ba_verification_received_on"),
    ("Next BA check", "ba_verification_due_on"),
), long_text=("notes",), flags=_tool_flags, vendor_checklist=vendor_checklist_applies)

SAFEGUARD = Kind("safeguard", "safeguard", "safeguards", "title", (
    Column("title", "Title", _flagged("title", lambda r: r.get("overdue"))),
    Column("status", "Status", _status("safeguard"), 14, 1),
    Column("due_on", "Due", _due("due_on"), 10, 2),
    Column("category", "Category", _label("category", "safeguard"), 14, 3),
    Column("citation", "Citation", _text("citation"), 22, 4),
    Column("requirement", "Req.", _label("requirement", "safeguard"), 11, 5),
    Column("next_verification_on", "Next check", _due("next_verification_on"), 10, 6),
    Column("owner", "Owner", _text("owner"), 16, 7),
), fields=(
    ("Category", "category"), ("Citation", "citation"), ("Requirement", "requirement"),
    ("Decision", "decision_note"), ("Status", "status"), ("Owner", "owner"),
    ("Due", "due_on"), ("Evidence", "evidence"),
    ("Verify every", "verification_cadence_months"), ("Last verified", "last_verified_on"),
    ("Next check", "next_verification_on"), ("Proposed rule", "proposed_rule"),
), long_text=("description",), flags=_safeguard_flags)

OWNER = Kind("owner", "owner", "owners", "name", (
    Column("name", "Name", _text("name")),
    Column("role", "Role", _text("role"), 28, 1),
    Column("contact", "Contact", _text("contact"), 20, 2),
    Column("updated_at", "Updated", _text("updated_at"), 16, 3),
), fields=(("Role", "role"), ("Contact", "contact")), long_text=("notes",))

CONSENT = Kind("consent", "consent", "consents", "client_code", (
    Column("client_code", "Client code", _text("client_code"), 12),
    Column("disclosed_on", "Disclosed", _text("disclosed_on"), 10, 1),
    Column("decision", "Decision", _status("consent", "decision"), 16, 2),
    Column("written", "Written", _yes_no("written"), 7, 3),
    Column("tool", "Tool", _text("tool")),
), fields=(
    ("Tool", "tool"), ("Disclosed", "disclosed_on"), ("Decision", "decision"),
    ("Written", "written"), ("Alternative", "alternative_offered"),
    ("Purpose told", "purpose_disclosed"), ("Consent given", "consent_method"),
    ("Recorded", "sessions_recorded"), ("Client state", "client_state"),
    ("Revoked on", "revoked_on"),
), long_text=("notes",), flags=_consent_flags, dated_today=("disclosed_on",))

KINDS: dict[str, Kind] = {k.kind: k for k in (TOOL, HAZARD, SAFEGUARD, OWNER, CONSENT)}

FLEX_MIN = 30
"""The flexible column keeps at least this many cells; lower-priority columns give way."""
FLEX_SHARE = 0.4
"""...and at least this share of a wide table: a wider table gives the record's name more room
before it adds columns (at 160 columns the titles were still cut at about 35 cells)."""
MARK = 2
"""Cells the sort mark takes after a heading (" ▲")."""


def fit_columns(kind: Kind, width: int, sort: str | None = None) -> tuple[tuple[Column, int], ...]:
    """The columns of a register table that fit in `width` cells (see `fit`).

    The sorted column (`sort`, else the first) is never dropped, so the table always shows
    what it is sorted by. Every column is wide enough for its heading and the sort mark ("Next
    review ▲" is 13 cells), whether sorted or not, so a sort never moves the columns."""
    columns = [replace(c, width=max(c.width, len(c.label) + MARK)) if c.width else c
               for c in kind.columns]
    return fit(columns, width, keep=sort or kind.columns[0].key,
               least=max(FLEX_MIN, int(width * FLEX_SHARE)))


def fit(columns: Sequence[Column], width: int, keep: str | None = None,
        least: int = FLEX_MIN) -> tuple[tuple[Column, int], ...]:
    """The columns that fit in `width` cells, each with its width: the highest priorities
    give way until the flexible one keeps `least` cells, then it gets the rest. `keep` is
    never dropped. DataTable pads each cell by one on both sides, and the scrollbar takes two."""
    shown = list(columns)
    while True:
        fixed = sum(c.width + 2 for c in shown if c.width)
        flexible = [c for c in shown if not c.width]
        spare = width - fixed - 2 * len(flexible) - 2
        droppable = [c for c in shown if c.priority and c.key != keep]
        if spare >= least * max(1, len(flexible)) or not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.priority))
    share = max(min(least, FLEX_MIN) if flexible else 0, spare // max(1, len(flexible)))
    return tuple((c, c.width or share) for c in shown)
