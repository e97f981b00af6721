"""The main screen: a tab per area (number keys switch), the footer with the keys that apply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, TabbedContent, TabPane

from riskreg.ui.areas import AREA_OF_KIND, AREAS, area
from riskreg.ui.messages import ShowHazardsInCell
from riskreg.ui.widgets.area import AreaWidget

if TYPE_CHECKING:
    from riskreg.ui.widgets.register_area import RegisterArea


AREA_KEYS = Binding.Group("Areas", compact=True)


class MainScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(a.key, f"show_area('{a.id}')", a.title, id=f"area-{a.id}", group=AREA_KEYS)
        for a in AREAS
    ]

    def __init__(self, initial_area: str | None = None) -> None:
        super().__init__(id="main")
        self.initial_area = initial_area or AREAS[0].id

    def compose(self) -> ComposeResult:
        self._set_breakpoint_classes()
        # Only the first area is built for the first frame; each other one when first shown.
        with TabbedContent(initial=self.initial_area, id="areas"):
            for a in AREAS:
                with TabPane(f"{a.key} {a.title}", id=a.id):
                    if a.id == self.initial_area:
                        yield a.make()
        yield Footer(compact=True)

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
    def tabs(self) -> TabbedContent:
        return self.query_one("#areas", TabbedContent)

    def area_widget(self, area_id: str) -> AreaWidget:
        """An area's widget, built (and mounted) now if it has not been shown yet."""
        pane = self.query_one(f"TabPane#{area_id}", TabPane)
        built = pane.query(AreaWidget)
        if built:
            return built.first()
        widget = area(area_id).make()
        pane.mount(widget)
        return widget

    def register_area(self, kind: str) -> RegisterArea:
        return self.area_widget(AREA_OF_KIND[kind].id)  # type: ignore[return-value]

    @property
    def active_area(self) -> AreaWidget | None:
        pane = self.tabs.active_pane
        if pane is None:
            return None
        built = pane.query(AreaWidget)
        return built.first() if built else None

    def action_show_area(self, area_id: str) -> None:
        self.show_area(area_id)

    def show_area(self, area_id: str) -> None:
        if self.tabs.active != area_id:
            # Let go of the focus first: a focused widget in the pane being hidden would pass
            # it to a sibling there, and TabbedContent follows focus back to that pane.
            self.set_focus(None)
            self.tabs.active = area_id  # TabActivated does the rest
        else:
            self.area_widget(area_id).activated()

    @on(TabbedContent.TabActivated)
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.tabbed_content.id != "areas":
            return
        event.stop()
        if event.pane is not None:
            pane_id = event.pane.id
            self.call_after_refresh(self._activate, pane_id)

    async def built_area(self, area_id: str) -> AreaWidget:
        """An area's widget, built and mounted (awaited) if it had not been shown yet."""
        pane = self.query_one(f"TabPane#{area_id}", TabPane)
        if not pane.query(AreaWidget):
            await pane.mount(area(area_id).make())
        return self.area_widget(area_id)

    async def _activate(self, pane_id: str | None) -> None:
        if not pane_id or self.tabs.active != pane_id:
            return
        widget = await self.built_area(pane_id)

        def activate() -> None:
            if self.tabs.active == pane_id:
                widget.activated()

        if widget.is_mounted:
            activate()
        else:  # still being mounted: its own queue runs this once it is
            widget.call_later(activate)

    def on_screen_resume(self) -> None:
        """Back from another screen: the area shown reloads if the register changed."""
        if self.tabs.active and self.app.register is not None:  # type: ignore[attr-defined]
            self.call_after_refresh(self._activate, self.tabs.active)

    def register_ready(self) -> None:
        for built in self.query(AreaWidget):
            built.register_ready()
        if self.tabs.active:
            self.call_later(self._activate, self.tabs.active)

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
        hazards.show_cell((event.likelihood, event.impact), event.residual)
        self.show_area(AREA_OF_KIND["hazard"].id)  # shown, it loads with the cell's filter
