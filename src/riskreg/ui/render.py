"""Turning record values into text for cells, lists and panes.

User text is always wrapped in `rich.text.Text`, never parsed as markup: a hazard titled
"[draft] scribe notes" must show exactly that. Its control characters are shown escaped (`\x1b`):
Rich and Textual pass ESC through to the terminal, where a title stored by an older version
could set the window's title or clear the screen (domain/text.py). Colours come from the theme's variables
($text-error, $text-warning, ...), looked up when the text is built, so a theme change (which
reloads what is shown) recolours everything.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from rich.style import Style
from rich.text import Text

from riskreg.domain import vocabulary as vocab
from riskreg.domain.ai_fields import AI_USES, CONSENT_METHODS
from riskreg.domain.register import CONSENT_DECISIONS, HAZARD_STATUSES, SAFEGUARD_STATUSES
from riskreg.domain.text import escaped, plural  # noqa: F401  (plural: the UI imports it here)

LABELS: dict[str, dict[str, str]] = {
    "category": {**vocab.TOOL_CATEGORIES, **vocab.SAFEGUARD_CATEGORIES},
    "baa_status": vocab.BAA_STATUSES,
    "treatment": vocab.TREATMENTS,
    "requirement": vocab.REQUIREMENTS,
    "decision": CONSENT_DECISIONS,
    "ai_use": AI_USES,
    "consent_method": CONSENT_METHODS,
}
STATUS_LABELS = {"hazard": HAZARD_STATUSES, "safeguard": SAFEGUARD_STATUSES}

# Which theme variable colours each level (a hazard's risk) and status.
LEVEL_TONE = {"Low": "success", "Moderate": "warning", "High": "error", "Critical": "critical"}
STATUS_TONE = {
    "open": "warning", "mitigating": "primary", "accepted": "muted", "closed": "muted",
    "planned": "warning", "in_progress": "primary", "in_place": "success", "verified": "success",
    "not_applicable": "muted", "consented": "success", "declined": "warning", "pending": "muted",
}

FLAG = "⚑"
"""Marks a record that needs action now (review now, BAA gap, overdue)."""


class Palette:
    """Rich styles resolved from the app's current theme variables."""

    def __init__(self, variables: dict[str, str]) -> None:
        def colour(name: str, fallback: str) -> str:
            value = variables.get(name, fallback)
            return value if value.startswith("#") else fallback

        self.tones: dict[str, Style] = {
            "error": Style(color=colour("text-error", "red")),
            "warning": Style(color=colour("text-warning", "yellow")),
            "success": Style(color=colour("text-success", "green")),
            "primary": Style(color=colour("text-primary", "blue")),
            "muted": Style(dim=True),
            "critical": Style(
                color=colour("foreground", "white"), bgcolor=colour("error", "red"), bold=True
            ),
            "bold": Style(bold=True),
            "": Style(),
        }

    def __getitem__(self, tone: str) -> Style:
        return self.tones.get(tone, self.tones[""])


def literal(value: Any, tone: str = "", palette: Palette | None = None) -> Text:
    """Any value as plain text (never markup), optionally coloured."""
    text = Text(plain(value), end="", no_wrap=True, overflow="ellipsis")
    if tone and palette is not None:
        text.stylize(palette[tone])
    return text


def plain(value: Any) -> str:
    """A value as a person reads it: dates as YYYY-MM-DD, booleans as Yes/No, None as blank,
    control characters escaped (new lines and tabs kept)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return escaped(str(value), keep_lines=True)


def label(field: str, value: Any, kind: str = "") -> str:
    """The label of a vocabulary value ("in_progress" -> "In progress")."""
    if field == "status":
        return STATUS_LABELS.get(kind, {}).get(value, plain(value))
    return LABELS.get(field, {}).get(value, plain(value))


def level_text(level: str, score: int, palette: Palette) -> Text:
    """"High 15", coloured by level."""
    return literal(f"{level} {score}", LEVEL_TONE.get(level, ""), palette)


def status_text(kind: str, value: str, palette: Palette, field: str = "status") -> Text:
    return literal(label(field, value, kind), STATUS_TONE.get(value, ""), palette)


def truncate(text: Text, width: int) -> Text:
    """Crop a text to `width` cells with an ellipsis."""
    if width > 0 and text.cell_len > width:
        text = text.copy()
        text.truncate(width, overflow="ellipsis")
    return text


