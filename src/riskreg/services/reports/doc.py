"""A report as plain data: sections of paragraphs, facts, lists, tables and heat maps.

The reports are built once in this shape and rendered to HTML (html.py) or Markdown
(md.py), so both formats always say the same thing. Every string here is the user's or
ours as plain text; the renderers escape all of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TONES = ("low", "moderate", "high", "critical", "warn", "ok", "muted")
"""How a cell or paragraph is emphasised (level colours, a warning, done, secondary)."""


@dataclass(frozen=True)
class Cell:
    text: str
    tone: str | None = None


@dataclass(frozen=True)
class Para:
    text: str
    tone: str | None = None


@dataclass(frozen=True)
class Facts:
    """Label: value pairs (a definition list)."""

    items: list[tuple[str, str]]


@dataclass(frozen=True)
class Bullets:
    items: list[str | Cell]


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str | Cell]]
    empty: str = "None."
    """Said instead of the table when it has no rows."""


@dataclass(frozen=True)
class HeatMap:
    title: str
    counts: dict[tuple[int, int], int]
    """Hazards per (likelihood, impact)."""


@dataclass(frozen=True)
class Pair:
    """Blocks shown side by side on screen and on paper (e.g. the two heat maps)."""

    blocks: list[Block]


Block = Para | Facts | Bullets | Table | HeatMap | Pair


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str
    blocks: list[Block]


@dataclass(frozen=True)
class Document:
    title: str
    subtitle: str
    header: Facts
    sections: list[Section]
    notice: str = ""
    """A line shown prominently at the top and again at the end (e.g. "Not legal advice")."""
    footer: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def level_tone(level: str) -> str:
    return level.lower() if level.lower() in TONES else "muted"
