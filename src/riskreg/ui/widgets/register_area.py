"""One kind of record as a table: filter, sort, archived view, detail of the highlighted row.

The table shows a window of WINDOW rows; the service filters, sorts and counts in SQL, and the
next window is fetched when the cursor or the scroll nears the end. The rows are shown as soon
as they arrive; the count (a scan of every match) is asked for once they are painted, so that
its query does not compete with the paint for the interpreter. Typing in the filter starts
a query at once when none is running, else once the running one is back (only the latest text
is queried), so the table follows the typing without queueing stale queries.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container
from textual.widgets import DataTable, Input

from riskreg.ui.kinds import KINDS
from riskreg.ui.messages import (
    CountLoaded,
    DetailLoaded,
    LoadFailed,
    PageLoaded,
    RecordAction,
)
from riskreg.ui.render import plural
from riskreg.ui.table_query import TableQuery
from riskreg.ui.widgets.area import AreaWidget
from riskreg.ui.widgets.detail_pane import DetailPane
from riskreg.ui.widgets.filter_bar import FilterBar
from riskreg.ui.widgets.record_table import RecordTable

FIRST_WINDOW = 50
"""Rows fetched for a new filter or sort: more than a tall terminal shows (about 35), few
enough that the table follows the typing."""
WINDOW = 200
"""Rows fetched at a time after that, as the user moves down."""

DETAIL_DELAY = 0.06
"""Seconds the cursor rests on a row before its detail is loaded (holding an arrow key down
does not start a query per row)."""


SORT_KEYS = Binding.Group("Sort", compact=True)
"""s and S: one key in the footer, "s/S Sort"."""


class RegisterArea(AreaWidget):
    """A register table with its filter bar and detail pane."""

    DEFAULT_CSS = """
    RegisterArea {
        layout: vertical;
        #body { layout: vertical; height: 1fr; }
        RecordTable { height: 1fr; min-height: 5; }
        DetailPane { height: 40%; min-height: 5; border-top: solid $panel-lighten-2; }
    }
    """
    # Wide screens put the detail beside the table: see app.tcss (Screen.-wide).

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_filter", "Filter", id="filter"),
        Binding("n", "new", "New", id="new"),
        Binding("enter", "open", "Open", id="open"),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("r", "review", "Reviewed", id="review", tooltip="Record a review of the hazard"),
        Binding("l", "link", "Link", id="link"),
        Binding("t", "link_tools", "Tools", id="link-tools", tooltip="Link tools to the hazard"),
        Binding("a", "archive", "Archive", id="archive"),
        Binding("a", "restore", "Restore", id="restore"),
        Binding("A", "toggle_archived", "Archived", id="archived",
                tooltip="Show the archived records instead, and back"),
        Binding("s", "sort_next", "Sort by the next column", id="sort", group=SORT_KEYS),
        Binding("S", "sort_reverse", "Reverse the sort", id="sort-reverse", group=SORT_KEYS),
        # escape: what it does now (check_action shows the one that applies, or none).
        Binding("escape", "escape", "Clear filter", id="clear-filter"),
        Binding("escape", "leave_filter", "Back to the table", id="leave-filter"),
    ]

    def __init__(self, kind: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = KINDS[kind]
        self.query_state = TableQuery(kind)
        self.generation = 0
        self._total: int | None = None
        """Matches of the current query, once counted."""
        self._all_total: int | None = None
        """Records in the view before filtering (kept while only the filter text changes)."""
        self._in_flight = False
        self._pending = False
        self._detail_timer: Any = None
        self._detail_for: str | None = None
        """The record whose detail is shown (or on its way)."""
        self._detail_fresh = False
        """The detail shown is up to date (the register has not changed since it was read)."""
        self._bindings_for: tuple[bool, bool] | None = None
        """(archived, has rows) when the footer last re-checked which keys apply."""

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield FilterBar(f"/ filter {self.spec.plural}", id="filter-bar")
        with Container(id="body"):
            yield RecordTable(self.spec, id=f"{self.spec.kind}-table")
            yield DetailPane(id=f"{self.spec.kind}-detail")

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def detail(self) -> DetailPane:
        return self.query_one(DetailPane)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    def on_mount(self) -> None:
        # A plain line rather than a spinner: an animation would take turns with the worker
        # that is opening the database, and slow it down several times over.
        self._update_scope()
        self.watch(self.filter_bar.input, "value", self._filter_text, init=False)
        if self.riskreg.register is None:
            self.filter_bar.set_shown("opening the register…")

    def show_first_page(self) -> None:
        """While the register is still opening: the table's first rows, read without the
        services (see `RiskRegApp.first_page`). The services' own read replaces them once the
        register is open; until then a key that acts on a record says that it is still opening."""
        if self.riskreg.register is not None or self.table.records or self.generation:
            return
        rows = self.riskreg.first_page(self.spec.kind, FIRST_WINDOW)
        if rows and self.query_state == TableQuery(self.spec.kind):
            self.table.show(rows, append=False, has_more=False, palette=self.riskreg.palette,
                            sort=None, descending=False)

    def activated(self, focus: bool = True) -> None:
        # Shown while the register is still opening (a number key pressed in the first second):
        # its first rows too, as for the area the app opens on.
        if self.riskreg.register is None:
            self.show_first_page()
        super().activated(focus)

    def focus_main(self) -> None:
        if not self.filter_bar.input.has_focus:
            self.table.focus()

    def current(self) -> tuple[str, dict[str, Any]] | None:
        record = self.table.current_record()
        return (self.spec.kind, record) if record else None

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        self._all_total = None
        self._detail_fresh = False
        self._request(0)

    def _request(self, offset: int) -> None:
        if self.riskreg.register is None:
            # A sort or the archived view asked for before the register is open: done once it
            # is (the area reloads when the register is ready and it is shown).
            self.stale = True
            return
        if offset == 0:
            self.generation += 1
        if self._in_flight:
            if offset == 0:
                self._pending = True
            return
        self._in_flight = True
        self._fetch(self.query_state, self.generation, offset)

    @work(thread=True, group="page", exit_on_error=False)
    def _fetch(self, query: Any, generation: int, offset: int) -> None:
        from riskreg.ui.loaders import load_page

        try:
            limit = WINDOW if offset else FIRST_WINDOW
            self.post_message(load_page(self.riskreg.register, query, generation, offset, limit))
        except Exception as error:  # noqa: BLE001 (shown to the user, never raised into the UI)
            self.post_message(LoadFailed(_problem(error)))

    def _count_soon(self, generation: int) -> None:
        """Count the matches of the query whose rows have just been painted (unless the user has
        typed on since: that query's rows will ask again)."""
        if generation == self.generation and self.riskreg.register is not None:
            self._count(self.query_state, generation, self._all_total)

    @work(thread=True, group="count", exit_on_error=False)
    def _count(self, query: Any, generation: int, all_total: int | None) -> None:
        from riskreg.ui.loaders import count_page

        if generation != self.generation:
            return
        try:
            self.post_message(count_page(self.riskreg.register, query, generation, all_total))
        except Exception as error:  # noqa: BLE001 (shown to the user, never raised into the UI)
            self.post_message(LoadFailed(_problem(error)))

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        event.stop()
        self._in_flight = False
        self._pending = False
        self.notify(event.problem, title="Could not load", severity="error", markup=False)

    @on(PageLoaded)
    def _page_loaded(self, event: PageLoaded) -> None:
        event.stop()
        self._in_flight = False
        if self._pending:
            self._pending = False
            self._request(0)
            return
        if event.generation != self.generation:
            return
        table = self.table
        if event.offset == 0:
            self._total = None
        loaded = event.offset + len(event.rows)
        full = len(event.rows) == event.limit
        table.show(
            event.rows, append=event.offset > 0,
            has_more=full if self._total is None else loaded < self._total,
            palette=self.riskreg.palette, sort=self.query_state.sort,
            descending=self.query_state.descending,
        )
        self._show_count(len(table.records), self._total, self._all_total)
        if event.offset == 0:
            self.call_after_refresh(self._count_soon, event.generation)
        bindings_for = (self.query_state.archived, bool(table.row_count))
        if bindings_for != self._bindings_for:
            # The footer's keys that need a row are enabled, or not (see check_action); a
            # re-check rebuilds the footer, so only when the answer can have changed.
            self._bindings_for = bindings_for
            self.refresh_bindings()
        if event.offset == 0 and table.row_count:
            self._detail_soon()

    @on(CountLoaded)
    def _count_loaded(self, event: CountLoaded) -> None:
        event.stop()
        if event.generation != self.generation:
            return
        self._total, self._all_total = event.total, event.all_total
        table = self.table
        table.has_more = len(table.records) < event.total
        self._show_count(len(table.records), event.total, event.all_total)
        if not table.row_count:
            self._show_empty(event.all_total)

    def _show_count(self, loaded: int, total: int | None, all_total: int | None) -> None:
        q = self.query_state
        prefix = "archived " if q.archived else ""
        filtered = bool(q.text.strip()) or q.cell is not None
        counted = (plural(all_total, prefix + self.spec.singular, prefix + self.spec.plural)
                   if all_total is not None else f"{prefix}{self.spec.plural}")
        if total is None:
            shown = f"… of {counted}" if filtered else f"counting {prefix}{self.spec.plural}…"
        elif filtered:
            shown = f"{total:,} of {counted}"
        else:
            shown = plural(total, prefix + self.spec.singular, prefix + self.spec.plural)
        if total is not None and loaded < total:
            # Only a window of rows is fetched (FIRST_WINDOW, then WINDOW more at the end):
            # say so in the user's terms, and how to see the rest.
            shown += f" · {loaded:,} shown, scroll for more"
        self.filter_bar.set_shown(shown, limited=total is not None and loaded < total,
                                  keep_width=total is None)

    def _show_empty(self, all_total: int) -> None:
        q = self.query_state
        if all_total and (q.text.strip() or q.cell is not None):
            hint = "Nothing matches. Press escape to clear the filter."
        elif q.archived:
            hint = f"No archived {self.spec.plural}. Press A to go back."
        else:
            hint = f"No {self.spec.plural} yet. Press n to add one."
        self._detail_for = None
        self._detail_fresh = False
        self.detail.show(hint)

    # -- the highlighted record's detail -------------------------------------------------------

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._detail_soon()

    def _detail_soon(self) -> None:
        if self._detail_timer is not None:
            self._detail_timer.stop()
        self._detail_timer = self.set_timer(DETAIL_DELAY, self._load_detail)

    def _load_detail(self) -> None:
        public_id = self.table.current_id()
        if public_id is None or self.riskreg.register is None:
            return
        if public_id == self._detail_for and self._detail_fresh:
            return  # still the same record (the filter kept it under the cursor)
        self._detail_for = public_id
        self._detail_fresh = True
        self._fetch_detail(public_id)

    @work(thread=True, group="detail", exclusive=True, exit_on_error=False)
    def _fetch_detail(self, public_id: str) -> None:
        from riskreg.ui.loaders import load_detail

        try:
            self.post_message(load_detail(self.riskreg.register, self.spec.kind, public_id))
        except Exception as error:  # noqa: BLE001 (shown to the user)
            self.post_message(LoadFailed(_problem(error)))

    @on(DetailLoaded)
    def _detail_loaded(self, event: DetailLoaded) -> None:
        event.stop()
        if event.public_id != self._detail_for or event.record is None:
            return
        from riskreg.ui.detail import render_detail

        self.detail.show(render_detail(
            event.kind, event.record, event.linked, event.reviews, event.history,
            self.riskreg.palette,
        ))

    # -- filter, sort, archived ----------------------------------------------------------------

    def _filter_text(self, text: str) -> None:
        """The filter's text changed (typed, or cleared by escape): query it. Called as the
        value changes (a watcher, see on_mount), not on Input.Changed: that message reaches this
        widget only after the screen has repainted the input, which would hold the query back
        by that paint (5-10 ms); started now, the query runs in its thread during the paint."""
        if bool(text) != bool(self.query_state.text):
            self.refresh_bindings()  # escape now clears the filter, or no longer
        self.query_state = replace(self.query_state, text=text)
        if self.riskreg.register is not None:
            self._request(0)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()  # handled as the value changed (`_filter_text`)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.table.focus()

    def action_focus_filter(self) -> None:
        # At once, not after the keys already queued: the letters typed after "/" filter.
        self.screen.set_focus(self.filter_bar.input)

    def action_leave_filter(self) -> None:
        self.table.focus()

    def action_escape(self) -> None:
        q = self.query_state
        field = self.filter_bar.input
        if q.text:
            field.value = ""  # posts Changed, which reloads
            self.table.focus()
        elif q.cell is not None:
            self.show_cell(None)
            self.activated()
        elif field.has_focus:
            self.table.focus()

    @on(RecordTable.SortRequested)
    def _sort_requested(self, event: RecordTable.SortRequested) -> None:
        event.stop()
        q = self.query_state
        current = q.sort or self.spec.columns[0].key
        self.sort_by(event.column, not q.descending if event.column == current else False)

    def sort_by(self, column: str, descending: bool = False) -> None:
        self.query_state = replace(self.query_state, sort=column, descending=descending)
        self.reload()

    def action_sort_next(self) -> None:
        """Sort by the next of the columns shown (a narrow table hides some: sorting by one of
        those left the user with no column marked)."""
        shown = [column for column, _ in self.table.shown_columns()]
        keys = [c.key for c in shown]
        current = self.query_state.sort or self.spec.columns[0].key
        following = keys[(keys.index(current) + 1) % len(keys)] if current in keys else keys[0]
        self.sort_by(following)
        name = next(c.label for c in shown if c.key == following)
        self.notify(f"Sorted by {name}", timeout=2)

    def action_sort_reverse(self) -> None:
        self.sort_by(self.query_state.sort or self.spec.columns[0].key,
                     not self.query_state.descending)

    @on(RecordTable.MoreWanted)
    def _more(self, event: RecordTable.MoreWanted) -> None:
        event.stop()
        if self.table.has_more:
            self._request(len(self.table.records))

    def action_toggle_archived(self) -> None:
        archived = not self.query_state.archived
        self.query_state = replace(self.query_state, archived=archived)
        self._update_scope()
        self.reload()

    def show_cell(self, cell: tuple[int, int] | None, level: str = "inherent") -> None:
        """Narrow the hazards to one heat-map cell (None: all of them again); the table reloads
        when next shown (see `activated`)."""
        self.query_state = replace(self.query_state, cell=cell, level=level)
        if self.is_mounted:
            self._update_scope()
            self.refresh_bindings()
        self.stale = True

    def _update_scope(self) -> None:
        q = self.query_state
        parts = []
        if q.archived:
            parts.append("ARCHIVED")
        if q.cell is not None:
            parts.append(f"{q.level} L{q.cell[0]}×I{q.cell[1]}")
        self.filter_bar.set_scope(" · ".join(parts))

    def select_record(self, public_id: str) -> bool:
        """Put the cursor on a record if it is in the loaded window."""
        return self.table.move_to(public_id)

    # -- record actions (ui/record_actions.py does the work) ----------------------------------

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002 (Textual's)
        archived = self.query_state.archived
        names = self.spec.names
        if action == "review":
            return names.reviewed and (True if self.table.row_count else None)
        if action == "link":
            return bool(names.links) and (True if self.table.row_count else None)
        if action == "link_tools":
            return "tool" in names.links[1:] and (True if self.table.row_count else None)
        if action == "archive":
            return not archived and (True if self.table.row_count else None)
        if action == "restore":
            return archived and (True if self.table.row_count else None)
        if action in ("edit", "open"):
            return True if self.table.row_count else None
        if action == "new":
            return not archived
        if action == "escape":  # clears what narrows the table; else nothing to do
            return bool(self.query_state.text or self.query_state.cell is not None)
        if action == "leave_filter":
            return self.filter_bar.input.has_focus and not self.query_state.text
        if action == "focus_filter":  # while typing in it, / is typed (Textual's footer still
            return not self.filter_bar.input.has_focus  # showed it: "slash" is no character)
        return True

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def _current(self) -> dict[str, Any] | None:
        return self.table.current_record()

    def action_open(self) -> None:
        if record := self._current():
            self.riskreg.open_record(self.spec.kind, record["public_id"])

    def action_new(self) -> None:
        self.post_message(RecordAction("new", self.spec.kind))

    def _on_current(self, action: str, other: str | None = None) -> None:
        """Ask the app to do `action` to the highlighted record (if there is one)."""
        if record := self._current():
            self.post_message(RecordAction(action, self.spec.kind, record["public_id"], other))

    def action_edit(self) -> None:
        self._on_current("edit")

    def action_review(self) -> None:
        if self.spec.names.reviewed:
            self._on_current("review")

    def action_link(self) -> None:
        if self.spec.names.links:
            self._on_current("link", self.spec.names.links[0])

    def action_link_tools(self) -> None:
        if "tool" in self.spec.names.links[1:]:
            self._on_current("link", "tool")

    def action_archive(self) -> None:
        self._on_current("archive")

    def action_restore(self) -> None:
        self._on_current("restore")


def _problem(error: Exception) -> str:
    from riskreg.errors import UserError

    if isinstance(error, UserError):
        return str(error)
    return f"{type(error).__name__}: {error}"
