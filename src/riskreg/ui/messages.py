"""Messages the app's parts send each other. Workers post them from their threads; the UI
reacts to them and never waits on a query."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message


@dataclass
class RegisterReady(Message):
    """The database is open and the services are loaded; `empty` when it holds no records."""

    empty: bool


@dataclass
class DatabaseFailed(Message):
    """The database could not be opened, or was found damaged later (a UserError's message)."""

    problem: str
    wrong_passphrase: bool = False
    """The passphrase did not open it (the app asks again)."""
    damaged: bool = False
    """SQLite found the file damaged, at the open or at a later read or save."""


@dataclass
class RegisterChanged(Message):
    """Something in the register was written: whatever shows it reloads (the app handles it).
    Posted to the app itself (`app.post_message`), not bubbled: the screen that wrote may be
    closing as it posts."""

    kind: str
    """The kind of record written ("incident"; "all" after a load or an import)."""


RECORD_ACTIONS = ("new", "edit", "review", "link", "archive", "restore")


@dataclass
class RecordAction(Message):
    """The user asked to do something to a record, or to add one. Tables, a record's screen
    and the command palette post it; the app runs it (`ui.record_actions`), so none of them calls the
    app (review 4.1: a child that called the app closed an import circle through all of ui/)."""

    action: str
    """One of RECORD_ACTIONS."""
    kind: str
    public_id: str | None = None
    """The record (None for "new")."""
    other: str | None = None
    """For "link": the kind of the records to link it to."""

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.action not in RECORD_ACTIONS:
            raise ValueError(f"unknown record action {self.action!r}")


@dataclass
class OpenRecord(Message):
    """Show one record in full (from the dashboard, the palette, a heat-map cell...)."""

    kind: str
    public_id: str


@dataclass
class ShowHazardsInCell(Message):
    """Show the hazards scored (likelihood, impact) at one level: inherent, current or target."""

    likelihood: int
    impact: int
    level: str


@dataclass
class PageLoaded(Message):
    """A window of a table's rows, for the query generation that asked for it. The counts
    follow in a `CountLoaded` (counting scans every match; the rows need not wait for it)."""

    generation: int
    offset: int
    rows: list[dict[str, Any]]
    limit: int
    """The window size asked for (fewer rows: the end was reached)."""


@dataclass
class CountLoaded(Message):
    generation: int
    total: int
    """Records matching the filter."""
    all_total: int
    """Records of the kind in this view (archived or not), before filtering."""


@dataclass
class DetailLoaded(Message):
    """A record with its links, reviews and audit history, for the detail pane."""

    kind: str
    public_id: str
    record: dict[str, Any] | None
    linked: dict[str, list[dict[str, Any]]]
    reviews: list[dict[str, Any]]
    history: list[dict[str, Any]]


@dataclass
class LoadFailed(Message):
    """A worker's query failed; `problem` is for the user."""

    problem: str
