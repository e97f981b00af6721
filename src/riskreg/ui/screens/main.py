"""The main screen: the area bar (number keys switch), the area shown, the footer with the keys
that apply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher

from riskreg.ui.areas import AREA_OF_KIND, AREAS, area
from riskreg.ui.messages import ShowHazardsInCell
from riskreg.ui.widgets.area import AreaWidget
from riskreg.ui.widgets.area_bar import AreaBar
from riskreg.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from riskreg.ui.widgets.register_area import RegisterArea


AREA_KEYS = Binding.Group("Areas", compact=True)


class MainScreen(Screen[None]):
    AUTO_FOCUS = None
    """The area shown focuses its own main widget when activated (focus_main), rather than
    Textual focusing the first focusable widget, the area bar, for a frame."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(a.key, f"show_area('{a.id}')", a.title, id=f"area-{a.id}", group=AREA_KEYS)
        for a in AREAS
    ]

    def __init__(self, initial_area: str | None = None) -> None:
        super().__init__(id="main")
        self.area_shown = initial_area or AREAS[0].id
        """The id of the area shown."""

    def compose(self) -> ComposeResult:
        self._set_breakpoint_classes()
        yield AreaBar(self.area_shown, id="area-bar")
        # Only the area shown first is built for the first frame; each other one when first
        # shown (area_widget).
        with ContentSwitcher(initial=self.area_shown, id="areas"):
            yield area(self.area_shown).widget()
        # The footer's line, empty for the first frame: see _show_footer.
        yield Container(id="footer-line")

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_footer)
        self.call_after_refresh(self._activate, self.area_shown)

    def _show_footer(self) -> None:
        """The footer's keys come a frame after the rest of the screen. Textual's Footer is
        about 8% of the work before the first frame (counted in instructions: its styles are
        parsed the first time one is mounted, then it is styled and laid out). The keys work
        without it: it only shows them. It goes into a line kept for it, so nothing on the
        screen moves when it comes."""
        self.query_one("#footer-line").mount(KeyFooter())

    def _set_breakpoint_classes(self) -> None:
        """The width class (-narrow, -wide: the app's HORIZONTAL_BREAKPOINTS) from the start.
        Textual adds it on the screen's first resize, after its widgets were styled once
        without it, so every widget was styled again: about a third of the styling before the
        first frame. Set now, the resize finds it in place."""
        width = self.app.size.width
        classes = {name: False for _, name in self.app.HORIZONTAL_BREAKPOINTS or []}
        for threshold, name in sorted(self.app.HORIZONTAL_BREAKPOINTS or [], reverse=True):
            if width >= threshold:
                classes[name] = True
                break
        self.update_classes(classes, animate=False)

    # -- areas ---------------------------------------------------------------------------------

    @property
    def switcher(self) -> ContentSwitcher:
        return self.query_one("#areas", ContentSwitcher)

    def area_widget(self, area_id: str) -> AreaWidget:
        """An area's widget, built (and mounted, hidden) now if it has not been shown yet."""
        return self._built(area_id) or self._build(area_id)[0]

    async def built_area(self, area_id: str) -> AreaWidget:
        """An area's widget, built and mounted (awaited) if it had not been shown yet."""
        widget = self._built(area_id)
        if widget is None:
            widget, mounted = self._build(area_id)
            await mounted
        return widget

    def _built(self, area_id: str) -> AreaWidget | None:
        try:
            return self.switcher.get_child_by_id(area_id, AreaWidget)
        except NoMatches:
            return None

    def _build(self, area_id: str) -> tuple[AreaWidget, AwaitMount]:
        widget = area(area_id).widget()
        widget.display = False  # until the switcher shows it
        return widget, self.switcher.mount(widget)

    def register_area(self, kind: str) -> RegisterArea:
        return self.area_widget(AREA_OF_KIND[kind].id)  # type: ignore[return-value]

    def built_register_area(self, kind: str) -> RegisterArea | None:
        """A kind's area if it has been built (never builds one)."""
        return self._built(AREA_OF_KIND[kind].id)  # type: ignore[return-value]

    @property
    def active_area(self) -> AreaWidget | None:
        """The widget of the area shown (None only before the screen has composed)."""
        return self._built(self.area_shown)

    def action_show_area(self, area_id: str) -> None:
        self.show_area(area_id)

    @on(AreaBar.Chosen)
    def _chosen(self, event: AreaBar.Chosen) -> None:
        event.stop()
        # Stepping with left/right keeps the focus on the bar, to step again.
        self.show_area(event.area_id, focus=not event.stepped)

    def show_area(self, area_id: str, focus: bool = True) -> None:
        if self.area_shown != area_id:
            # Let go of the focus first: a focused widget in the area being hidden would pass
            # it to a sibling there, which could then take keys meant for the area shown.
            if focus:
                self.set_focus(None)
            self.area_widget(area_id)  # built if it had not been shown yet
            self.area_shown = area_id
            self.query_one(AreaBar).shown = area_id
            self.switcher.current = area_id
        # After the refresh, and once the area is mounted (a second key for the same area can
        # come before that: `44` typed fast, a double click on its title).
        self.call_after_refresh(self._activate, area_id, focus)

    def _activate(self, area_id: str, focus: bool = True) -> None:
        if self.area_shown != area_id:
            return
        widget = self.area_widget(area_id)

        def activate() -> None:
            if self.area_shown == area_id:
                widget.activated(focus)

        if widget.is_mounted:
            activate()
        else:  # still being mounted: its own queue runs this once it is
            widget.call_later(activate)

    def on_screen_resume(self) -> None:
        """Back from another screen: the area shown reloads if the register changed."""
        if self.app.register is not None:  # type: ignore[attr-defined]
            self.call_after_refresh(self._activate, self.area_shown)

    def register_ready(self) -> None:
        for built in self.query(AreaWidget):
            built.register_ready()
        self.call_later(self._activate, self.area_shown)

    def register_changed(self, kind: str) -> None:
        active = self.active_area
        for built in self.query(AreaWidget):
            built.register_changed(kind, built is active)

    def current(self) -> tuple[str, dict[str, Any]] | None:
        active = self.active_area
        return active.current() if active is not None else None

    @on(ShowHazardsInCell)
    async def _show_cell(self, event: ShowHazardsInCell) -> None:
        event.stop()
        hazards: Any = await self.built_area(AREA_OF_KIND["hazard"].id)
        hazards.show_cell((event.likelihood, event.impact), event.level)
        self.show_area(AREA_OF_KIND["hazard"].id)  # shown, it loads with the cell's filter
