"""A table of one kind of record: a bounded window of rows, sorted and filtered in SQL."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
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
        # DataTable's own enter (hidden) would hide the area's "Open" from the footer.
        Binding("enter", "select_cursor", "Open", id="open"),
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
        self._painting: dict[Any, Any] | None = None
        """Styles looked up once per paint (see `render_lines`), None between paints."""
        self.wanted: str | None = None
        """A record to put the cursor on at the next fill (one just added), instead of the
        record under the cursor now."""

    # -- filling -------------------------------------------------------------------------------

    def show(
        self, records: list[dict[str, Any]], *, append: bool, has_more: bool, palette: Palette,
        sort: str | None, descending: bool,
    ) -> None:
        """Show a window of records (or add the next window), keeping the cursor on the same
        record when it is still there."""
        if not append and self._shows(records, palette, sort, descending):
            # The same rows as shown (most keystrokes that narrow a filter past its first
            # window, or widen it back): nothing to rebuild or repaint, and the cursor is
            # already on the same record.
            self.records = list(records)
            self.has_more = has_more
            return
        keep = (self.wanted or self.current_id()) if not append else None
        if not append:
            self.wanted = None
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

    def _shows(self, records: list[dict[str, Any]], palette: Palette, sort: str | None,
               descending: bool) -> bool:
        """The table already shows exactly these records, with these columns, sort and colours."""
        return (
            palette is self.palette and self.row_count == len(self.records) == len(records)
            and self._header(sort, descending)[1] == self._header_state and records == self.records
        )

    def _header(self, sort: str | None, descending: bool) -> tuple[Any, tuple[Any, ...]]:
        """The columns that fit now, and what the header shows (columns, sorted one, order)."""
        layout = fit_columns(self.kind, max(self.size.width, 40), sort)
        return layout, (tuple((c.key, w) for c, w in layout), sort or self.kind.columns[0].key,
                        descending)

    def _fill(self) -> None:
        layout, header = self._header(self.sort, self.descending)
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
        if self.records and self._header(self.sort, self.descending)[1] != self._header_state:
            keep = self.current_id()
            self._fill()
            if keep:
                self.move_to(keep)

    # -- painting ------------------------------------------------------------------------------
    # DataTable asks for the widget's style, the header's and the row's zebra style once per
    # line (component styles are merged afresh each time, and each style is a walk up the DOM),
    # and renders every cell through rich's Styled(Padding(Text)) pipeline; after a
    # new window of rows nothing is cached, so a filter keystroke repainted ~35 lines that way.
    # The same styles are now looked up once per paint, and a one-line cell that fits is
    # rendered straight to the segments that pipeline produces (tests compare the two).

    def render_lines(self, crop: Any) -> Any:
        self._painting = {}
        try:
            return super().render_lines(crop)
        finally:
            self._painting = None

    def _once_per_paint(self, key: Any, compute: Any) -> Any:
        """`compute()`, worked out once per paint (every time between paints)."""
        painting = self._painting
        if painting is None:
            return compute()
        value = painting.get(key)
        if value is None:
            value = painting[key] = compute()
        return value

    @property
    def rich_style(self) -> Style:
        return self._once_per_paint("widget", lambda: super(RecordTable, self).rich_style)

    @property
    def background_colors(self) -> tuple[Any, Any]:
        # A walk up the DOM, asked for once per line by DataTable.
        return self._once_per_paint(
            "background", lambda: super(RecordTable, self).background_colors)

    @property
    def size(self) -> Size:
        # Worked out from the region (a look-up through the screen), asked for several times a
        # line while painting; it cannot change during a paint.
        return self._once_per_paint("size", lambda: super(RecordTable, self).size)

    def get_component_styles(self, *names: str) -> Any:
        if self._painting is None:
            return super().get_component_styles(*names)
        return self._once_per_paint(names, lambda: _PaintStyles(
            super(RecordTable, self).get_component_styles(*names)))

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False) -> Any:
        if row_index < max(self.fixed_rows, 0) or column_index < max(self.fixed_columns, 0):
            # The header (-1), row labels (-1) and fixed cells: DataTable's own way.
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cache = self._cell_render_cache
        if cache_key in cache:
            return cache[cache_key]
        row = self.rows.get(row_key)
        cell = self._data.get(row_key, {}).get(column_key)
        inner = width - 2 * self.cell_padding
        if row is None or row.height != 1 or not _one_line(cell, inner):
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, False, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index})
        lines = [_cell_line(self.app.console, cell, inner, self.cell_padding,
                            pre_style + component_style, post_style)]
        cache[cache_key] = lines
        return lines

    # -- reading -------------------------------------------------------------------------------

    def shown_columns(self) -> tuple[tuple[Column, int], ...]:
        """The columns the table shows at its width now, with their widths."""
        return self._header(self.sort, self.descending)[0]

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

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002 (Textual's)
        if action == "select_cursor":
            return True if self.row_count else None  # shown dim while there is no row
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


class _PaintStyles:
    """A component's styles during one paint, its rich style worked out once."""

    def __init__(self, styles: Any) -> None:
        self._styles = styles
        self._rich_style: Style | None = None

    @property
    def rich_style(self) -> Style:
        if self._rich_style is None:
            self._rich_style = self._styles.rich_style
        return self._rich_style

    def __getattr__(self, name: str) -> Any:
        return getattr(self._styles, name)


def _one_line(cell: Any, width: int) -> bool:
    """A cell `_cell_line` renders exactly as DataTable would: a Text of one line that fits."""
    return (
        type(cell) is Text and width > 0 and cell.justify in (None, "default")
        and "\n" not in cell.plain and "\t" not in cell.plain and cell.cell_len <= width
    )


_NULL = Style.null()


def _cell_line(console: Any, cell: Text, width: int, padding: int, pre_style: Style,
               post_style: Style | None) -> list[Segment]:
    """The segments of rich's `console.render_lines(Styled(Padding(cell, (0, padding)),
    pre_style, post_style))` for a one-line cell that fits `width` (see `_one_line`): the
    text's own segments between the padding, padded to the width, each segment styled
    pre_style + its style + post_style."""
    segments = [segment for segment in cell.render(console, end="") if segment.text]
    line = [Segment(" " * padding, _NULL)] if padding else []
    line += segments
    extra = width - cell.cell_len
    if extra > 0:
        line.append(Segment(" " * extra, _NULL))
    if padding:
        line.append(Segment(" " * padding, _NULL))
    return list(Segment.apply_style(line, pre_style, post_style))
