"""One record in full, with its links, reviews and history; the actions on it by key."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from riskreg.ui.context import AppContext, riskreg_of
from riskreg.ui.kinds import KINDS
from riskreg.ui.messages import DetailLoaded, LoadFailed, RecordAction
from riskreg.ui.widgets.key_footer import KeyFooter
from riskreg.ui.widgets.record_body import RecordBody


class RecordScreen(Screen[None]):
    DEFAULT_CSS = """
    RecordScreen {
        #record-kind { height: 1; padding: 0 1; background: $primary-muted; color: $text; }
        RecordBody { height: 1fr; }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="record-back"),
        Binding("e", "edit", "Edit", id="record-edit"),
        Binding("r", "review", "Reviewed", id="record-review"),
        Binding("l", "link", "Link", id="record-link"),
        Binding("t", "link_tools", "Tools", id="record-link-tools"),
        Binding("a", "archive", "Archive", id="record-archive"),
        Binding("a", "restore", "Restore", id="record-restore"),
    ]

    def __init__(self, kind: str, public_id: str) -> None:
        super().__init__()
        self.kind = kind
        self.spec = KINDS[kind]
        self.public_id = public_id
        self.record: dict[str, Any] | None = None

    @property
    def riskreg(self) -> AppContext:
        return riskreg_of(self.app)

    def compose(self) -> ComposeResult:
        yield Static(self.spec.singular.capitalize(), id="record-kind", markup=False)
        yield RecordBody(id="record-detail")
        yield KeyFooter()  # as on the main screen: fitted to the width, help always

    def on_mount(self) -> None:
        self.query_one(RecordBody).focus()
        self.reload()

    def reload(self) -> None:
        self._fetch()

    @work(thread=True, exclusive=True, group="record", exit_on_error=False)
    def _fetch(self) -> None:
        from riskreg.ui.loaders import load_detail

        try:
            self.post_message(load_detail(self.riskreg.register, self.kind, self.public_id))
        except Exception as error:  # noqa: BLE001 (shown to the user)
            self.post_message(LoadFailed(str(error)))

    @on(LoadFailed)
    def _failed(self, event: LoadFailed) -> None:
        self.notify(event.problem, title="Could not load", severity="error")

    @on(DetailLoaded)
    def _loaded(self, event: DetailLoaded) -> None:
        if event.record is None:
            self.query_one(RecordBody).show(f"This {self.spec.singular} no longer exists.")
            return
        from riskreg.ui.detail import link_heading, link_line, render_head, render_tail

        self.record = event.record
        palette = self.riskreg.palette
        archived = " · archived" if event.record.get("archived_at") else ""
        links = any(event.linked.values())
        self.query_one("#record-kind", Static).update(
            f"{self.spec.singular.capitalize()}{archived}"
            f"{' · tab to a linked record, enter opens it' if links else ''} · escape to go back")
        sections = []
        for other, records in event.linked.items():
            heading = link_heading(other, records, palette)
            heading.rstrip()
            sections.append((heading, [(other, rec["public_id"], link_line(other, rec, palette))
                                       for rec in records]))
        self.query_one(RecordBody).show_record(
            render_head(event.kind, event.record, palette), sections,
            render_tail(event.kind, event.reviews, event.history, palette))
        self.refresh_bindings()

    def check_action(self, action: str,
                     parameters: tuple[object, ...]) -> bool | None:  # noqa: ARG002 (Textual's)
        archived = bool(self.record and self.record.get("archived_at"))
        names = self.spec.names
        if action == "review":
            return names.reviewed
        if action == "link":
            return bool(names.links)
        if action == "link_tools":
            return "tool" in names.links[1:]
        if action == "archive":
            return not archived
        if action == "restore":
            return archived
        return True

    def action_back(self) -> None:
        self.dismiss(None)

    def _ask(self, action: str, other: str | None = None) -> None:
        """Ask the app to do `action` to this record."""
        self.post_message(RecordAction(action, self.kind, self.public_id, other))

    def action_edit(self) -> None:
        self._ask("edit")

    def action_review(self) -> None:
        self._ask("review")

    def action_link(self) -> None:
        self._ask("link", self.spec.names.links[0])

    def action_link_tools(self) -> None:
        self._ask("link", "tool")

    def action_archive(self) -> None:
        self._ask("archive")

    def action_restore(self) -> None:
        self._ask("restore")

    def current(self) -> tuple[str, dict[str, Any]] | None:
        return (self.kind, self.record) if self.record else None
