"""The row of areas at the top of the main screen: each area's number key and title, the one
shown marked by the line beneath it.

It looks and behaves like Textual's tabs (click a title; focus the bar and use left/right; the
number keys work everywhere), but it is one widget drawing two lines. `TabbedContent` builds
about twenty widgets for seven tabs (tabs, panes, an underline, their containers), each styled
before the first frame; drawing the row here took about 45 ms (of about 560) off the app's first
frame on the development machine, which issue 4 measures against a bare Textual app's.
"""

from __future__ import annotations

from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from riskreg.ui.areas import AREAS

RULE, RULE_ENDS_LEFT, RULE_STARTS_RIGHT = "━", "╸", "╺"


class AreaBar(Widget, can_focus=True):
    DEFAULT_CSS = """
    AreaBar {
        height: 2;
        pointer: pointer;
        & > .area-bar--title { color: $foreground 50%; }
        & > .area-bar--shown { color: $foreground; }
        & > .area-bar--hover { color: $foreground; }
        & > .area-bar--rule { color: $foreground 10%; }
        & > .area-bar--mark { color: $block-cursor-background; }
        &:ansi {
            & > .area-bar--title { text-style: dim; }
            & > .area-bar--shown { text-style: not dim bold; }
            & > .area-bar--hover { text-style: not dim; }
            & > .area-bar--rule { color: $border-blurred; }
        }
        /* After :ansi, so that the focused look wins there too. */
        &:focus {
            & > .area-bar--shown {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
            & > .area-bar--rule { color: $foreground 30%; }
        }
    }
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "area-bar--title", "area-bar--shown", "area-bar--hover", "area-bar--rule", "area-bar--mark"}

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Previous area", show=False),
        Binding("right", "step(1)", "Next area", show=False),
    ]

    shown: reactive[str] = reactive(AREAS[0].id)
    """The id of the area shown (see `riskreg.ui.areas`)."""

    hovered: reactive[str | None] = reactive(None)

    class Chosen(Message):
        """The user chose an area here: a click, or a step with left/right (`stepped`)."""

        def __init__(self, area_id: str, stepped: bool = False) -> None:
            super().__init__()
            self.area_id = area_id
            self.stepped = stepped

    def __init__(self, shown: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(AreaBar.shown, shown)

    def spans(self, width: int) -> list[tuple[int, int, str, str]]:
        """Each area's (start, end, id, label) in cells, on the screen. One cell of padding on
        each side of a title when the row fits (84 columns), else one before each, so that all
        seven fit in 80. Narrower still, the row is cut, and scrolled left as far as needed to
        show the area shown (as Textual's tabs scroll to the active tab)."""
        labels = [(a.id, f"{a.key} {a.title}") for a in AREAS]
        roomy = sum(len(label) + 2 for _, label in labels) <= width
        spans, x = [], 0
        for area_id, label in labels:
            padded = f" {label} " if roomy else f" {label}"
            spans.append((x, x + len(padded), area_id, padded))
            x += len(padded)
        shown_end = next((end for _, end, area_id, _ in spans if area_id == self.shown), 0)
        scroll = max(0, shown_end - width)
        return [(start - scroll, end - scroll, area_id, label)
                for start, end, area_id, label in spans]

    def area_at(self, x: int) -> str | None:
        for start, end, area_id, _ in self.spans(self.size.width):
            if start <= x < end:
                return area_id
        return None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        spans = self.spans(width)
        scroll = -spans[0][0]
        if y == 0:
            segments = []
            for _, _, area_id, label in spans:
                part = ("shown" if area_id == self.shown
                        else "hover" if area_id == self.hovered else "title")
                segments.append(Segment(label, self.get_component_rich_style(f"area-bar--{part}")))
            line = Strip(segments)
        elif y == 1:
            line = Strip(self._rule(spans, scroll + width))
        else:
            return Strip.blank(width, self.rich_style)
        return line.crop(scroll, scroll + width).adjust_cell_length(width, self.rich_style)

    def _rule(self, spans: list[tuple[int, int, str, str]], width: int) -> list[Segment]:
        """The line under the titles (`width` cells from the first title), drawn as Textual's
        tabs draw it: the shown area's part in the mark colour, with half-width ends so that
        the two colours meet cleanly."""
        rule = self._colour_only("area-bar--rule")
        mark = self._colour_only("area-bar--mark")
        origin = spans[0][0]
        start, end = next(((s - origin, e - origin) for s, e, area_id, _ in spans
                           if area_id == self.shown), (0, 0))
        end = min(end, width)
        if start >= end:
            return [Segment(RULE * width, rule)]
        segments = []
        if start:
            segments.append(Segment(RULE * (start - 1) + RULE_ENDS_LEFT, rule))
        segments.append(Segment(RULE * (end - start), mark))
        if end < width:
            segments.append(Segment(RULE_STARTS_RIGHT + RULE * (width - end - 1), rule))
        return segments

    def _colour_only(self, component: str) -> Style:
        """A component's colour on the bar's own background (as Textual's underline does)."""
        style = self.get_component_rich_style(component)
        return self.rich_style + Style(color=style.color)

    # -- input ---------------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        area_id = self.area_at(event.x)
        if area_id is not None:
            event.stop()
            self.post_message(self.Chosen(area_id))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.hovered = self.area_at(event.x) if event.y == 0 else None

    def on_leave(self, _: events.Leave) -> None:
        self.hovered = None

    def action_step(self, step: int) -> None:
        ids = [a.id for a in AREAS]
        # Marked now, so that a second key before the screen has switched steps on from here.
        self.shown = ids[(ids.index(self.shown) + step) % len(ids)]
        self.post_message(self.Chosen(self.shown, stepped=True))
