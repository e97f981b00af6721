"""Link records to a hazard (or a hazard to a tool or safeguard) from a filterable checklist.

Each tick links, each untick unlinks, at once (both are audited and can be undone by ticking
again), so there is nothing to lose by closing. For a hazard from the starter catalog its
suggested safeguards come first, marked ★; ticking one the register lacks adds it from the
catalog and links it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from riskreg.ui.render import plain


@dataclass(frozen=True)
class Choice:
    value: str
    """A public id, or "catalog:<key>" for a suggestion not yet in the register."""
    title: str
    note: str = ""
    linked: bool = False
    suggested: bool = False


Fetch = Callable[[str], tuple[list[Choice], int]]
"""fetch(filter text) -> (choices, how many match in all)."""
Toggle = Callable[[str, bool], None]
"""toggle(value, link?) -> None; raises UserError."""


class LinkPicker(ModalScreen[bool]):
    """Dismisses with True when anything was linked or unlinked."""

    DEFAULT_CSS = """
    LinkPicker {
        align: center middle;
        & > Vertical {
            width: 100;
            max-width: 100%;
            height: 100%;
            max-height: 40;
            border: thick $primary;
            background: $surface;
            padding: 0 1;
        }
        #heading { text-style: bold; height: auto; }
        #hint { color: $text-muted; height: auto; }
        #picker-filter { margin: 1 0 0 0; }
        #choices { height: 1fr; border: none; padding: 0; }
        #picker-count { color: $text-muted; height: 1; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="picker-close"),
        Binding("slash", "focus_filter", "Filter", id="picker-filter", show=False),
        Binding("down", "focus_list", show=False),
    ]

    LIMIT = 100

    def __init__(self, heading: str, hint: str, fetch: Fetch, toggle: Toggle) -> None:
        super().__init__()
        self.heading = heading
        self.hint = hint
        self.fetch = fetch
        self.toggle = toggle
        self.changed = False
        self._filling = False
        self._writing = asyncio.Lock()
        """Held while a tick is written, so reads and later ticks wait for it."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.heading, id="heading", markup=False)
            yield Static(self.hint, id="hint", markup=False)
            yield Input(placeholder="type to filter", id="picker-filter", compact=True)
            yield SelectionList[str](id="choices")
            yield Static("", id="picker-count", markup=False)

    def on_mount(self) -> None:
        self.refill()
        self.query_one("#picker-filter").focus()

    @property
    def choices(self) -> SelectionList[str]:
        return self.query_one("#choices", SelectionList)

    def refill(self) -> None:
        """Read the choices for the filter typed (in a thread; the newest filter wins)."""
        text = self.query_one("#picker-filter", Input).value
        self.run_worker(self._refill(text), group="picker-fetch", exclusive=True,
                        exit_on_error=False)

    async def _refill(self, text: str) -> None:
        from riskreg.errors import UserError

        try:
            async with self._writing:  # after the ticks asked for so far have been written
                found, total = await asyncio.to_thread(self.fetch, text)
        except UserError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        self._show(found, total)

    def _show(self, found: list[Choice], total: int) -> None:
        highlighted = self.choices.highlighted
        self._filling = True
        self.choices.clear_options()
        self.choices.add_options([
            Selection(_prompt(choice), choice.value, choice.linked, id=choice.value)
            for choice in found
        ])
        self._filling = False
        if highlighted is not None and found:
            self.choices.highlighted = min(highlighted, len(found) - 1)
        linked = sum(1 for c in found if c.linked)
        more = f" (first {len(found)} shown: refine the filter)" if total > len(found) else ""
        self.query_one("#picker-count", Static).update(
            f"{linked} linked · {total} match{more} · space ticks · escape closes")

    @on(Input.Changed, "#picker-filter")
    def _filter(self, event: Input.Changed) -> None:
        event.stop()
        self.refill()

    @on(Input.Submitted, "#picker-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_focus_list()

    @on(SelectionList.SelectionToggled)
    def _toggled(self, event: SelectionList.SelectionToggled) -> None:
        event.stop()
        if self._filling:
            return
        value = event.selection.value
        link = value in self.choices.selected
        self.changed = True
        self.run_worker(self._write(value, link), group="picker-write", exit_on_error=False)

    async def _write(self, value: str, link: bool) -> None:
        """One tick or untick, written in a thread; ticks are written in the order given."""
        from riskreg.errors import UserError

        async with self._writing:
            try:
                await asyncio.to_thread(self.toggle, value, link)
            except UserError as error:
                self.notify(str(error), title="Not changed", severity="error", markup=False)
        self.refill()

    def action_focus_filter(self) -> None:
        # At once, not after the keys already queued: the letters typed after "/" filter.
        self.set_focus(self.query_one("#picker-filter"))

    def action_focus_list(self) -> None:
        if self.query_one("#picker-filter").has_focus:
            self.choices.focus()
            if self.choices.highlighted is None and self.choices.option_count:
                self.choices.highlighted = 0

    def action_close(self) -> None:
        self.run_worker(self._close(), group="picker-close", exclusive=True, exit_on_error=False)

    async def _close(self) -> None:
        async with self._writing:  # the ticks asked for are written first (the lock is FIFO)
            self.dismiss(self.changed)


def _prompt(choice: Choice) -> Text:
    text = Text(end="", no_wrap=True, overflow="ellipsis")
    if choice.suggested:
        text.append("★ ", "bold")
    text.append(plain(choice.title))
    if choice.note:
        text.append(f"  {choice.note}", "dim")
    return text
