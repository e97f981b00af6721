"""A table of one kind of record: a bounded window of rows, sorted and filtered in SQL."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from riskreg.ui.kinds import Column, Kind, fit_columns
from riskreg.ui.render import Palette, truncate

NEAR_END = 20
"""Rows before the end of the window at which the next window is asked for."""


class RecordTable(DataTable[Text]):
    """Rows keyed by public id. The columns that fit the width are shown; the sorted one is
    marked ▲/▼; a click on a header asks to sort by it."""

    DEFAULT_CSS = """
    RecordTable {
        height: 1fr;
        &:focus { background-tint: $foreground 3%; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
    ]

    class SortRequested(Message):
        """The user pressed a column header."""

        def __init__(self, column: str) -> None:
            super().__init__()
            self.column = column

    class MoreWanted(Message):
        """The cursor or the scroll reached the end of the loaded window."""

    def __init__(self, kind: Kind, **kwargs: Any) -> None:
        super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)
        self.kind = kind
        self.records: list[dict[str, Any]] = []
        self.has_more = False
        self.sort: str | None = None
        self.descending = False
        self.palette: Palette | None = None
        self._layout: tuple[tuple[Column, int], ...] = ()
        self._header_state: tuple[Any, ...] = ()

    # -- filling -------------------------------------------------------------------------------

    def show(
        self, records: list[dict[str, Any]], *, append: bool, has_more: bool, palette: Palette,
        sort: str | None, descending: bool,
    ) -> None:
        """Show a window of records (or add the next window), keeping the cursor on the same
        record when it is still there."""
        keep = self.current_id() if not append else None
        self.palette = palette
        self.sort, self.descending = sort, descending
        self.has_more = False  # no "more" while the rows go in
        if append:
            self.records.extend(records)
            self._add_rows(records)
        else:
            self.records = list(records)
            self._fill()
            if keep is not None:
                self.move_to(keep)
        self.has_more = has_more

    def _fill(self) -> None:
        layout = fit_columns(self.kind, max(self.size.width, 40))
        header = (tuple((c.key, w) for c, w in layout), self.sort or self.kind.columns[0].key,
                  self.descending)
        if header != self._header_state:
            self.clear(columns=True)
            self._layout = layout
            self._header_state = header
            for column, width in layout:
                self.add_column(self._heading(column), width=width, key=column.key)
        else:
            self.clear()
        self._add_rows(self.records)

    def _heading(self, column: Column) -> Text:
        current = self.sort or self.kind.columns[0].key
        if column.key != current:
            return Text(column.label)
        return Text(f"{column.label} {'▼' if self.descending else '▲'}")

    def _add_rows(self, records: list[dict[str, Any]]) -> None:
        palette = self.palette or Palette({})
        for record in records:
            if record["public_id"] in self.rows:
                continue  # a record that moved between windows while paging
            cells = [truncate(column.cell(record, palette), width) for column, width in self._layout]
            self.add_row(*cells, key=record["public_id"])

    def on_resize(self) -> None:
        if self.records and fit_columns(self.kind, self.size.width) != self._layout:
            keep = self.current_id()
            self._fill()
            if keep:
                self.move_to(keep)

    # -- reading -------------------------------------------------------------------------------

    def current_id(self) -> str | None:
        if not self.row_count or self.cursor_row < 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key
        except CellDoesNotExist:
            return None
        return key.value

    def current_record(self) -> dict[str, Any] | None:
        public_id = self.current_id()
        if public_id is None:
            return None
        for record in self.records:
            if record["public_id"] == public_id:
                return record
        return None

    def move_to(self, public_id: str) -> bool:
        if public_id not in self.rows:
            return False
        self.move_cursor(row=self.get_row_index(public_id), animate=False)
        return True

    # -- events --------------------------------------------------------------------------------

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.post_message(self.SortRequested(str(event.column_key.value)))

    def watch_cursor_coordinate(self, old: Any, new: Any) -> None:
        super().watch_cursor_coordinate(old, new)
        if self.has_more and new.row > 0 and new.row >= self.row_count - NEAR_END:
            self.post_message(self.MoreWanted())

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.has_more and self.max_scroll_y > 0 and new >= self.max_scroll_y - 2:
            self.post_message(self.MoreWanted())
