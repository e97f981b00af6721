"""What a user does to a record, from any place that offers it (tables, the record screen,
the command palette): add, edit, mark reviewed, link, archive, restore.

Every read and write of the register runs in a thread, never on the UI thread: a few
milliseconds usually, but up to the busy timeout (10 s) while another window holds the write
lock, and the screen must answer keys meanwhile. Reads an action needs before its dialog opens run
in `_open`; a dialog's save runs in the dialog (`dialogs.base.Editor.run_save`) so its
problems show beside their fields. After a write, the app tells everything showing the register
to reload.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from rich.text import Text
from textual.app import App

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.domain.register import review_recorded_text
from riskreg.ui.context import riskreg_of
from riskreg.ui.dialogs.base import open_after_read
from riskreg.ui.dialogs.confirm import ConfirmDialog
from riskreg.ui.dialogs.form import RecordForm
from riskreg.ui.dialogs.picker import Choice, LinkPicker
from riskreg.ui.dialogs.review import ReviewDialog
from riskreg.ui.kinds import KINDS
from riskreg.ui.messages import RecordAction
from riskreg.ui.render import label, plain

PICKER_LIMIT = 100

R = TypeVar("R")


class RecordActions:
    def __init__(self, app: App[None]) -> None:
        self.app = app
        """Textual's side of the app: notify, push_screen, run_worker."""
        self.riskreg = riskreg_of(app)
        """The app's own side (a RiskRegApp, seen as its children see it)."""
        self._forms: dict[str, RecordForm] = {}
        """The form kept for each kind (see `_form`)."""

    @property
    def register(self) -> Any:
        return self.riskreg.register

    def _ready(self) -> bool:
        if self.register is None:
            self.app.notify("The register is still opening.", severity="warning")
            return False
        return True

    def _open(self, read: Callable[[], R], then: Callable[[R], Any]) -> None:
        """`read` in a thread, then `then(result)` to open a dialog (see `open_after_read`)."""
        open_after_read(self.app, read, then)

    def _write(self, write: Callable[[], Any], then: Callable[[Any], Any]) -> None:
        """`write` in a thread, then `then(result)`; never replaced by a later one (each write
        asked for is written and said)."""
        async def run() -> None:
            from riskreg.errors import UserError, sentence

            try:
                result = await asyncio.to_thread(write)
            except UserError as error:
                self.app.notify(sentence(str(error)), title="Not changed", severity="error",
                                markup=False)
                return
            except Exception as error:  # noqa: BLE001 (a bug: said plainly, never a traceback)
                self.app.notify(f"Not changed: something went wrong ({type(error).__name__}: "
                                f"{error}).", severity="error", markup=False)
                return
            then(result)

        self.app.run_worker(run(), group="flow-write", exit_on_error=False)

    def _choices(self, kind: str, keep: str | None = None,
                 first: tuple[str, str, Callable[[dict[str, Any]], bool]] | None = None,
                 ) -> list[tuple[Text, Any]]:
        """(name, public id) of the owners or tools a form can pick from, plus the record's own
        current one even if it has been archived since. `first`: (heading, heading of the rest,
        which rows): those rows first, under the first heading, the others after them under the
        second (no headings when either part is empty). Runs in a thread."""
        from riskreg.services.register import ListQuery
        from riskreg.ui.widgets.choice import HEADING

        rows = self.register.list(kind, ListQuery(limit=None)).rows
        title = KINDS[kind].title_field
        choices = [(Text(plain(r[title])), r["public_id"]) for r in rows]
        if keep and keep not in {r["public_id"] for r in rows}:
            choices.append((Text(f"{plain(self.register.get(kind, keep)[title])} (archived)"), keep))
        if first is None:
            return choices
        heading, rest, which = first
        chosen = {r["public_id"] for r in rows if which(r)}
        top = [c for c in choices if c[1] in chosen]
        others = [c for c in choices if c[1] not in chosen]
        if not top or not others:
            return top + others
        return [(Text(heading, style="bold underline"), HEADING), *top,
                (Text(rest, style="bold underline"), HEADING), *others]

    def form_choices(self, kind: str, record: dict[str, Any] | None) -> dict[str, Any]:
        """The owners and tools a kind's form offers. Runs in a thread."""
        owner = record.get("owner_public_id") if record else None
        tool = record.get("tool_public_id") if record else None
        refers_to = NAMES[kind].reference
        return {
            "owners": self._choices("owner", owner) if refers_to == "owner" else [],
            # AI tools first: a consent is about one. The others stay, after them: a tool filed
            # under another category may still use AI (an EHR's built-in note assistant).
            "tools": self._choices("tool", tool, first=("AI tools", "Other tools and systems",
                                                        _is_ai)) if refers_to == "tool" else [],
        }

    def _form(self, kind: str, record: dict[str, Any] | None, **kwargs: Any) -> RecordForm:
        """The form of a kind, for a record or a new one (defaults). One form per kind is built
        and kept (installed, so closing it does not remove it) and set up afresh each time it
        opens: building and styling its widgets took 250-450 ms an opening. `kwargs` carry the
        choices read by `form_choices`."""
        form = self._forms.get(kind)
        if form is not None and form.reusable:
            form.reuse(record, **kwargs)
            return form
        form = RecordForm(kind, record, **kwargs)
        if kind not in self._forms:
            self.app.install_screen(form, f"record-form-{kind}")
            self._forms[kind] = form
        return form

    def run(self, request: RecordAction) -> None:
        """Do what a RecordAction asks (the app hands each one here)."""
        kind, public_id = request.kind, request.public_id
        if request.action == "new":
            self.new(kind)
        elif public_id is None:
            raise ValueError(f"{request.action} needs a record")
        elif request.action == "edit":
            self.edit(kind, public_id)
        elif request.action == "review":
            self.review(public_id)
        elif request.action == "link":
            if request.other is None:
                raise ValueError("link needs the kind of the records to link to")
            self.link(kind, public_id, request.other)
        elif request.action == "archive":
            self.archive(kind, public_id)
        elif request.action == "restore":
            self.restore(kind, public_id)

    # -- add and edit --------------------------------------------------------------------------

    def new(self, kind: str) -> None:
        if not self._ready():
            return
        register = self.register

        def opened(choices: dict[str, Any]) -> None:
            defaults: dict[str, Any] = {field: register.today()
                                        for field in KINDS[kind].dated_today}
            form = self._form(kind, None, defaults=defaults, **choices,
                              save=lambda values, _changes, _rev: register.create(kind, values))
            self.app.push_screen(form, lambda record: self._saved(kind, record, "Added"))

        self._open(lambda: self.form_choices(kind, None), opened)

    def edit(self, kind: str, public_id: str) -> None:
        if not self._ready():
            return
        register = self.register

        def read() -> tuple[dict[str, Any], dict[str, Any]]:
            record = register.get(kind, public_id)
            return record, self.form_choices(kind, record)

        def opened(read: tuple[dict[str, Any], dict[str, Any]]) -> None:
            record, choices = read
            form = self._form(
                kind, record, **choices,
                save=lambda _values, changes, revision: register.update(
                    kind, public_id, changes, revision),
                reload=lambda: register.get(kind, public_id),
            )
            self.app.push_screen(form, lambda saved: self._saved(kind, saved, "Saved"))

        self._open(read, opened)

    def _saved(self, kind: str, record: dict[str, Any] | None, verb: str) -> None:
        if not record:
            return
        spec = KINDS[kind]
        self.app.notify(f"{verb} {spec.singular} “{spec.title_of(record)}”.", timeout=3,
                        markup=False)
        area = self.riskreg.main_screen.built_register_area(kind)
        if verb == "Added" and area is not None:
            # The new record under the cursor once the table reloads (finding 16: it was off
            # screen, the cursor left on the first row).
            area.table.wanted = record["public_id"]
        self.riskreg.register_changed(kind)

    # -- review --------------------------------------------------------------------------------

    def review(self, hazard_id: str) -> None:
        if not self._ready():
            return
        register = self.register

        def done(result: dict[str, Any] | None) -> None:
            if result:
                self.app.notify(review_recorded_text(result), timeout=6 if
                                result.get("review_now") else 3, markup=False)
                self.riskreg.register_changed("hazard")

        def opened(hazard: dict[str, Any]) -> None:
            def record(reviewed_on: Any, notes: str, revision: int,
                       scores: dict[str, int]) -> dict[str, Any]:
                return register.mark_reviewed(hazard_id, reviewed_on, notes, revision, scores)

            self.app.push_screen(ReviewDialog(
                hazard, register.today(), record,
                reload=lambda: register.get("hazard", hazard_id)), done)

        self._open(lambda: register.get("hazard", hazard_id), opened)

    # -- links ---------------------------------------------------------------------------------

    def link(self, kind: str, public_id: str, other: str) -> None:
        """Pick the `other` records linked to a hazard, or the hazards linked to a tool or
        safeguard."""
        if not self._ready():
            return
        self._open(lambda: self.register.get(kind, public_id),
                   lambda record: self._open_picker(kind, public_id, other, record))

    def _open_picker(self, kind: str, public_id: str, other: str, record: dict[str, Any]) -> None:
        title = KINDS[kind].title_of(record)
        if kind == "hazard":
            fetch = self._hazard_fetch(public_id, other)
            hint = ("Tick the tools this hazard concerns." if other == "tool" else
                    "Tick the safeguards that answer this hazard. ★ marks the starter "
                    "catalog's suggestions; ticking one the register lacks adds it.")

            def toggle(value: str, on: bool) -> None:
                if value.startswith("catalog:"):
                    if on:
                        self.register.adopt_safeguard(public_id, value.removeprefix("catalog:"))
                elif on:
                    self.register.link(public_id, other, value)
                else:
                    self.register.unlink(public_id, other, value)
        else:
            fetch = self._hazards_fetch(kind, public_id)
            hint = f"Tick the hazards this {KINDS[kind].singular} concerns."

            def toggle(value: str, on: bool) -> None:
                if on:
                    self.register.link(value, kind, public_id)
                else:
                    self.register.unlink(value, kind, public_id)

        heading = f"Link {KINDS[other].plural} to {KINDS[kind].singular} “{title}”"

        def done(changed: bool | None) -> None:
            if changed:
                self.riskreg.register_changed(kind)

        self.app.push_screen(LinkPicker(heading, hint, fetch, toggle), done)

    def _hazard_fetch(self, hazard_id: str, other: str) -> Any:
        from riskreg.services.register import ListQuery

        register = self.register
        name = KINDS[other].title_field

        def note(row: dict[str, Any]) -> str:
            if other == "tool":
                return row.get("baa_gap") or label("category", row.get("category"))
            return label("status", row.get("status"), "safeguard")

        def fetch(text: str) -> tuple[list[Choice], int]:
            needle = text.strip().lower()
            linked = register.linked("hazard", hazard_id)[other]
            linked_ids = {r["public_id"] for r in linked}
            choices: list[Choice] = []
            seen: set[str] = set()
            if other == "safeguard":
                for s in register.suggested_safeguards(hazard_id):
                    if needle and needle not in s["title"].lower():
                        continue
                    value = s["public_id"] or f"catalog:{s['catalog_key']}"
                    why = ("not in the register yet: ticking adds it" if not s["public_id"]
                           else "archived" if s["archived"] else s["citation"])
                    if s["proposed_rule"]:
                        why += " · proposed rule, not law"
                    choices.append(Choice(value, s["title"], why, s["linked"], suggested=True))
                    seen.add(value)
            for row in linked:
                if row["public_id"] not in seen and (not needle or needle in row[name].lower()):
                    choices.append(Choice(row["public_id"], row[name], note(row), True))
                    seen.add(row["public_id"])
            page = register.list(other, ListQuery(text=text, limit=PICKER_LIMIT))
            for row in page.rows:
                if row["public_id"] not in seen:
                    choices.append(Choice(row["public_id"], row[name], note(row),
                                          row["public_id"] in linked_ids))
                    seen.add(row["public_id"])
            extra = sum(1 for c in choices if c.value.startswith("catalog:"))
            return choices, max(page.total + extra, len(choices))

        return fetch

    def _hazards_fetch(self, kind: str, public_id: str) -> Any:
        from riskreg.services.register import ListQuery

        register = self.register

        def fetch(text: str) -> tuple[list[Choice], int]:
            needle = text.strip().lower()
            linked = register.linked(kind, public_id)["hazard"]
            choices = [Choice(h["public_id"], h["title"], f"{h['level']} {h['score']}", True)
                       for h in linked if not needle or needle in h["title"].lower()]
            seen = {c.value for c in choices}
            page = register.list("hazard", ListQuery(text=text, limit=PICKER_LIMIT))
            choices += [Choice(h["public_id"], h["title"], f"{h['level']} {h['score']}", False)
                        for h in page.rows if h["public_id"] not in seen]
            return choices, max(page.total, len(choices))

        return fetch

    # -- archive and restore -------------------------------------------------------------------

    def archive(self, kind: str, public_id: str) -> None:
        self._archive_or_restore(kind, public_id, archive=True)

    def restore(self, kind: str, public_id: str) -> None:
        self._archive_or_restore(kind, public_id, archive=False)

    def _archive_or_restore(self, kind: str, public_id: str, archive: bool) -> None:
        if not self._ready():
            return
        self._open(lambda: self.register.get(kind, public_id),
                   lambda record: self._ask_archive(kind, public_id, archive, record))

    def _ask_archive(self, kind: str, public_id: str, archive: bool,
                     record: dict[str, Any]) -> None:
        spec = KINDS[kind]
        title = spec.title_of(record)
        if archive:
            question = ConfirmDialog(
                f"Archive this {spec.singular}?",
                f"“{title}” leaves the register and the dashboard but is kept, with its links "
                "and history (records are kept at least six years). Restore it from the "
                "archived view (A).",
                yes="Archive", danger=True, default_yes=False,
            )
        else:
            question = ConfirmDialog(
                f"Restore this {spec.singular}?",
                f"“{title}” comes back into the register.", yes="Restore",
            )

        register = self.register

        def write() -> None:
            if archive:
                register.archive(kind, public_id)
            else:
                register.restore(kind, public_id)

        def written(_: None) -> None:
            self.app.notify(f"{'Archived' if archive else 'Restored'} {spec.singular} “{title}”.",
                            timeout=3, markup=False)
            self.riskreg.register_changed(kind)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(write, written)

        self.app.push_screen(question, answered)


def _is_ai(tool: dict[str, Any]) -> bool:
    from riskreg.domain.vocabulary import AI_TOOL_CATEGORIES

    return tool["category"] in AI_TOOL_CATEGORIES
