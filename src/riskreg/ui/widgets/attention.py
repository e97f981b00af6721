"""A dashboard panel listing what needs attention, in sections; enter opens the record."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from riskreg.ui.messages import OpenRecord
from riskreg.ui.render import Palette, plain, plural

# (heading, section, what to say when it is empty, tone of its items)
Sections = list[tuple[str, Any, str, str]]


class AttentionList(OptionList):
    DEFAULT_CSS = """
    AttentionList {
        height: 1fr;
        border: none;
        padding: 0;
        background: transparent;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        &:focus { background-tint: $foreground 4%; }
    }
    """

    def show_sections(self, sections: Sections, palette: Palette) -> None:
        highlighted = self.highlighted_option.id if self.highlighted_option else None
        options: list[Option | None] = []
        for n, (heading, section, empty, tone) in enumerate(sections):
            title = Text(f"{heading} ({section.total})", style=palette["bold"], end="")
            options.append(Option(title, id=f"h{n}", disabled=True))
            if not section.items:
                options.append(Option(Text(f"  {empty}", style=palette["muted"], end=""),
                                      id=f"e{n}", disabled=True))
            for k, item in enumerate(section.items):
                line = Text.assemble(
                    (f"{item.tag or item.detail:>9} ", palette[tone or "muted"]),
                    Text(plain(item.title), end=""), end="", no_wrap=True, overflow="ellipsis",
                )
                # Its place in the id too: one record may be due twice in a section (an
                # incident's notices, a tool's review and its BAA expiry), and ids must differ.
                options.append(Option(line, id=f"{n}.{k}:{item.kind}:{item.public_id}"))
            if section.total > len(section.items):
                more = section.total - len(section.items)
                options.append(Option(Text(f"  … and {plural(more, 'more', 'more')}",
                                           style=palette["muted"], end=""), id=f"m{n}",
                                      disabled=True))
        self.set_options(options)
        if highlighted is not None:
            with suppress(OptionDoesNotExist):
                self.highlighted = self.get_option_index(highlighted)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        parts = option_id.split(":", 2)
        if len(parts) == 3:
            self.post_message(OpenRecord(parts[1], parts[2]))


class AttentionPanel(Vertical):
    """A titled panel over an AttentionList, filled from the dashboard read model."""

    DEFAULT_CSS = """
    AttentionPanel {
        border: round $panel-lighten-2;
        border-title-color: $text-primary;
        height: 1fr;
        padding: 0;
        &:focus-within { border: round $primary; }
    }
    """

    def __init__(self, title: str, sections: Callable[[Any], Sections], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.border_title = title
        self.sections = sections

    def compose(self) -> ComposeResult:
        yield AttentionList()

    def update(self, board: Any, palette: Palette) -> None:
        sections = self.sections(board)
        waiting = sum(section.total for _, section, _, tone in sections if tone == "error")
        self.border_subtitle = f"{waiting:,} need action" if waiting else "all clear"
        self.query_one(AttentionList).show_sections(sections, palette)
