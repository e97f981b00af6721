"""What a register table asks the service for: the UI's side of `services.register.ListQuery`,
kept here so the widgets can hold one without importing the services (and SQLModel)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TableQuery:
    kind: str
    text: str = ""
    sort: str | None = None
    descending: bool = False
    archived: bool = False
    cell: tuple[int, int] | None = None
    level: str = "inherent"
