"""The 5x5 likelihood-by-impact heat map, with a count of hazards in each cell.

Cells are coloured by the level their score falls in (theme variables). Arrow keys move a
cursor, enter (or a click) asks to see the hazards in that cell; `t` steps through the three
levels: inherent (no safeguards), current (the safeguards in place now), target (after the
planned ones).
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from riskreg.domain.current_risk import LEVELS
from riskreg.domain.scoring import level
from riskreg.ui.render import plural

CELL = 5
"""Characters per cell."""
LABEL = 3
"""Characters of the likelihood label column."""
TOP = 1
"""Lines above the grid (the impact axis)."""

def next_level(shown: str) -> str:
    """The level `t` shows after `shown` (in the order of LEVELS)."""
    return LEVELS[(LEVELS.index(shown) + 1) % len(LEVELS)]


TONES = {"Low": "success-muted", "Moderate": "warning-muted", "High": "error-muted",
         "Critical": "error"}


class HeatMap(Widget, can_focus=True):
    DEFAULT_CSS = """
    HeatMap {
        width: auto;
        height: auto;
        min-width: 28;
        &:focus { background-tint: $foreground 4%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        # One key, three bindings: the footer names what t shows next (check_action hides the
        # other two).
        Binding("t", "toggle('current')", "Current", id="heat-toggle",
                tooltip="show the current risk: with the safeguards in place now"),
        Binding("t", "toggle('target')", "Target", id="heat-toggle-target",
                tooltip="show the target risk: once the planned safeguards are done"),
        Binding("t", "toggle('inherent')", "Inherent", id="heat-toggle-back",
                tooltip="show the inherent risk: with no safeguards"),
        Binding("up", "move(1, 0)", show=False),
        Binding("down", "move(-1, 0)", show=False),
        Binding("left", "move(0, -1)", show=False),
        Binding("right", "move(0, 1)", show=False),
        Binding("enter", "select", "Show hazards", id="heat-select",
                tooltip="the hazards in the cell under the cursor"),
    ]

    level: reactive[str] = reactive("inherent")
    """Which scores it shows: "inherent", "current" or "target" (LEVELS)."""
    cursor: reactive[tuple[int, int]] = reactive((5, 5))
    """The (likelihood, impact) cell under the keyboard cursor."""

    class CellSelected(Message):
        def __init__(self, likelihood: int, impact: int, level: str) -> None:
            super().__init__()
            self.likelihood = likelihood
            self.impact = impact
            self.level = level

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.level_counts: dict[str, dict[tuple[int, int], int]] = {}

    def set_counts(self, **counts: dict[tuple[int, int], int]) -> None:
        """The hazards per cell at each level: `inherent=..., current=..., target=...`."""
        self.level_counts = {name: dict(cells) for name, cells in counts.items()}
        self.refresh()

    @property
    def counts(self) -> dict[tuple[int, int], int]:
        return self.level_counts.get(self.level, {})

    def get_content_width(self, container, viewport) -> int:  # noqa: ARG002 (Textual's)
        return LABEL + 5 * CELL

    def get_content_height(self, container, viewport, width) -> int:  # noqa: ARG002 (Textual's)
        return TOP + 5 + 1

    def render(self) -> Text:
        variables = self.app.theme_variables
        out = Text(no_wrap=True, end="")
        out.append("L\\I", Style(dim=True))
        for impact in range(1, 6):
            out.append(f"{impact:^{CELL}}", Style(dim=True))
        out.append("\n")
        for likelihood in range(5, 0, -1):
            out.append(f"{likelihood:>2} ", Style(dim=True))
            for impact in range(1, 6):
                count = self.counts.get((likelihood, impact), 0)
                tone = TONES[level(likelihood * impact).value]
                background = variables.get(tone, "")
                style = Style(bgcolor=background if background.startswith("#") else None,
                              bold=bool(count))
                if self.has_focus and self.cursor == (likelihood, impact):
                    style += Style(reverse=True)
                shown = str(count) if count else "·"
                out.append(f"{shown:^{CELL}}", style)
            out.append("\n")
        total = sum(self.counts.values())
        out.append(f"{self.level} · {plural(total, 'hazard')}", Style(dim=True))
        return out

    def watch_level(self) -> None:
        self.refresh()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle" and parameters:
            return parameters[0] == next_level(self.level)
        return True

    def watch_cursor(self) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def action_toggle(self, to: str | None = None) -> None:
        self.level = to if to in LEVELS else next_level(self.level)

    def action_move(self, likelihood: int, impact: int) -> None:
        lk, im = self.cursor
        self.cursor = (min(5, max(1, lk + likelihood)), min(5, max(1, im + impact)))

    def action_select(self) -> None:
        self.post_message(self.CellSelected(*self.cursor, self.level))

    def on_click(self, event: Click) -> None:
        x, y = event.x, event.y
        if y < TOP or y >= TOP + 5 or x < LABEL:
            return
        likelihood = 5 - (y - TOP)
        impact = min(5, (x - LABEL) // CELL + 1)
        self.cursor = (likelihood, impact)
        self.post_message(self.CellSelected(likelihood, impact, self.level))
