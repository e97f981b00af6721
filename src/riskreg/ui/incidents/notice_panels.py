"""Steps 10-12: the notices (content checklist and drafts), tracking each notice sent, and the
close-out (lessons learned, the register's hazards and safeguards, closing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from riskreg.domain.incident_steps import NOTICE_METHODS
from riskreg.domain.text import plural
from riskreg.services.incident_inputs import NoticeContentInput, NoticeSentInput, max_length
from riskreg.ui.incidents.form import choice, date_input, long_input, row, text_input
from riskreg.ui.incidents.panel import StepPanel
from riskreg.ui.incidents.plan_view import plan_renderable
from riskreg.ui.messages import RegisterChanged
from riskreg.ui.render import plain
from riskreg.ui.widgets.choice import Choice
from riskreg.ui.widgets.field_input import FieldInput


def drafts_folder(app: Any) -> Path:
    """Drafts go beside the database by default: the same private folder. A register on a
    server has no folder of its own here: riskreg's user data folder (a URL once made a folder
    named `postgresql:` in the current one)."""
    if getattr(app, "server_url", None):
        from riskreg.paths import default_db_path

        return default_db_path().parent / "notices"
    return Path(app.db_path).expanduser().absolute().parent / "notices"


class NoticesPanel(StepPanel):
    step_id = "notices"
    fields = ("notice_steps", "notice_actions", "contact_toll_free", "contact_email",
              "contact_website", "contact_postal")

    def body(self) -> ComposeResult:
        yield Static("Each person must get a written notice in plain language with five things "
                     "(45 CFR 164.404(c)); the media notice has the same content. The drafts are "
                     "written from this incident's facts for you to finish and send.",
                     classes="guidance", markup=False)
        yield Static("", id="checklist")
        yield row("What people can do", long_input("notice_steps"), "notice_steps",
                  "steps to protect themselves (C)")
        yield row("What you are doing", long_input("notice_actions"), "notice_actions",
                  "to investigate, reduce harm and prevent it happening again (D)")
        yield row("Toll-free number", text_input("contact_toll_free", "", max_length(
            NoticeContentInput, "contact_toll_free")), "contact_toll_free",
                  "needed for a substitute notice to 10 or more people (164.404(d)(2)(ii))")
        yield row("Email", text_input("contact_email", "", max_length(
            NoticeContentInput, "contact_email")), "contact_email")
        yield row("Website", text_input("contact_website", "", max_length(
            NoticeContentInput, "contact_website")), "contact_website")
        yield row("Postal address", long_input("contact_postal"), "contact_postal")
        yield Static("Drafts", classes="subhead", markup=False)
        yield row("Write them into", FieldInput(id="f-folder", compact=True), "folder",
                  "Markdown files named by the reference only, readable by you alone")
        with Horizontal(classes="buttons"):
            yield Button("Write drafts", id="write-drafts", compact=True, variant="primary")
            yield Button("Print letters…", id="print-letters", compact=True)
        yield Static("", id="drafts")
        yield Static("Other notices, as HTML into the same folder", classes="subhead",
                     markup=False)
        yield Static("", id="other-notices-help", markup=False)
        with Horizontal(classes="buttons"):
            for kind, label in OTHER_NOTICES.items():
                yield Button(label, id=f"write-{kind}", compact=True)

    def after_fill(self, record: dict[str, Any] | None) -> None:
        from riskreg.services.incident_notices import checklist_items
        from riskreg.services.other_notices import offered as other_notices_offered

        palette = self.wizard.riskreg.palette
        text = Text("Content checklist\n", style=palette["bold"])
        for done, item in checklist_items(record or {}):
            text.append("✓ " if done else "○ ", palette["success" if done else "warning"])
            text.append(item + "\n")
        self.query_one("#checklist", Static).update(text)
        folder = self.query_one("#f-folder", Input)
        if not folder.value:
            folder.value = str(drafts_folder(self.app))
        drafts = (record or {}).get("drafts") or []
        lines = Text()
        for draft in drafts:
            lines.append(f"• {plain(draft['path'])} (written {draft['written_on']})\n")
        self.query_one("#drafts", Static).update(lines)
        offered = other_notices_offered(record or {})
        for kind in OTHER_NOTICES:
            self.query_one(f"#write-{kind}", Button).display = kind in offered
        self.query_one("#other-notices-help", Static).update(
            "Needed here: " + ", ".join(OTHER_NOTICES[k] for k in offered) + "."
            if offered else "None needed: no plan yet, or none of them applies.")

    def save(self, service: Any) -> dict[str, Any]:
        record = self.record
        if self.dirty:
            record = service.save_notice_content(self.ref, self.values(), self.revision)
        return service.complete_step(self.ref, self.step_id, record["revision"])

    @on(Button.Pressed, "#write-drafts")
    def _write(self) -> None:
        folder = self.query_one("#f-folder", Input).value.strip() or str(drafts_folder(self.app))

        def write(service: Any) -> dict[str, Any]:
            record = self.record
            if self.dirty:
                record = service.save_notice_content(self.ref, self.values(), self.revision)
            paths = service.write_drafts(self.ref, folder)
            self.notify(f"{plural(len(paths), 'draft')} written to {folder}. Finish them before sending.",
                        timeout=6, markup=False)
            return service.get(record["reference"])

        self.wizard.run_save_step(write, stay=True)

    @on(Button.Pressed, "#print-letters")
    def _print_letters(self) -> None:
        """Letters merged from a recipients file (issue 21): from what is saved."""
        from riskreg.ui.dialogs.print_letters import open_print_letters

        if self.dirty:
            self.notify("Save this step first (ctrl+s): the letters say what is saved.",
                        severity="warning", markup=False)
            return
        open_print_letters(self.app, self.ref)


    @on(Button.Pressed, "#write-substitute, #write-media, #write-hhs")
    def _write_other(self, event: Button.Pressed) -> None:
        from riskreg.services.other_notices import write_all

        kind = (event.button.id or "").removeprefix("write-")
        folder = self.query_one("#f-folder", Input).value.strip() or str(drafts_folder(self.app))

        def write(service: Any) -> dict[str, Any]:
            record = self.record
            if self.dirty:
                record = service.save_notice_content(self.ref, self.values(), self.revision)
            paths = write_all(service.db, self.ref, folder, service.today(), kinds=(kind,))
            self.notify(f"{OTHER_NOTICES[kind]}: {plural(len(paths), 'file')} written to "
                        f"{folder}. Finish them before sending.", timeout=6, markup=False)
            return service.get(record["reference"])

        self.wizard.run_save_step(write, stay=True)


OTHER_NOTICES = {"substitute": "Substitute notice", "media": "Media notices",
                 "hhs": "HHS portal checklist"}
"""The notices beyond the letters (services/other_notices), by the button that writes them."""


class TrackingPanel(StepPanel):
    step_id = "tracking"
    fields = ("obligation_id", "sent_on", "method", "count", "reference", "notes")
    save_label = "Record / continue"

    def body(self) -> ComposeResult:
        yield Static("Record each notice as it goes out: this is your proof (45 CFR 164.414(b)). "
                     "Each obligation shows done, due, or late and by how many days.",
                     classes="guidance", markup=False)
        yield Static("", id="tracking-plan")
        yield Static("Record a notice sent", classes="subhead", markup=False)
        yield row("For", choice("obligation_id", [], "Choose the obligation…"), "obligation_id",
                  required=True)
        yield row("Sent on", date_input("sent_on"), "sent_on", required=True)
        yield row("How", choice("method", [(v, k) for k, v in NOTICE_METHODS.items()]), "method",
                  required=True)
        yield row("How many", text_input("count", "people or letters", 9), "count")
        yield row("Reference", text_input("reference", "e.g. the HHS portal's number",
                                           max_length(NoticeSentInput, "reference")),
                  "reference")
        yield row("Notes", long_input("notes"), "notes")
        with Horizontal(classes="buttons"):
            yield Button("Record notice sent", id="record-notice", compact=True, variant="primary")
            yield Button("Withdraw the last one recorded", id="withdraw-notice", compact=True)

    def value_of(self, record: dict[str, Any], name: str) -> Any:  # noqa: ARG002 (StepPanel's)
        return self.wizard.today() if name == "sent_on" else None

    def after_fill(self, record: dict[str, Any] | None) -> None:
        statuses = (record or {}).get("obligations") or []
        self.query_one("#f-obligation_id", Choice).set_options(
            [(f"{s['name']} · {s['status']}", s["id"]) for s in statuses])
        plan = self.wizard.plan
        target = self.query_one("#tracking-plan", Static)
        if plan is None:
            target.update(Text("No plan yet."))
        else:
            target.update(plan_renderable(plan, statuses, self.wizard.today(),
                                          self.wizard.riskreg.palette, tracking=True))
        self.query_one("#withdraw-notice").display = bool((record or {}).get("notices"))
        # Closed: the step says so at its top (`_show_closed`); nothing to fill in first.
        self.query_one("#record-notice", Button).disabled = (record or {}).get(
            "status") == "closed"

    @on(Choice.Changed, "#f-obligation_id")
    def _offer_letters_count(self, event: Choice.Changed) -> None:
        """The individuals' notice: the count of the last letters printed, offered while the
        count is blank (issue 21: the letters run is the proof of how many went out)."""
        runs = (self.record or {}).get("letters") or []
        count = self.query_one("#f-count", Input)
        if event.value == "individuals" and runs and not count.value.strip():
            count.value = str(runs[-1].get("count") or "")
            self.notify(f"How many: {count.value}, from the letters printed on "
                        f"{runs[-1]['at']:%Y-%m-%d}; change it if fewer went out.",
                        timeout=6, markup=False)

    def save(self, service: Any) -> dict[str, Any]:
        if self.dirty:
            return self._record_notice(service)
        return service.complete_step(self.ref, self.step_id, self.revision)

    def _record_notice(self, service: Any) -> dict[str, Any]:
        """Record the notice (in the save's thread); a warning it gives rise to, such as the HHS
        notice sent before the individual ones, is also said at once: the plan's list of
        warnings is further up the step."""
        from riskreg.domain.obligations import HHS_EARLY

        before = set((self.record or {}).get("warnings") or [])
        saved = service.record_notice_sent(self.ref, self._notice(), self.revision)
        for warning in saved.get("warnings") or []:
            if HHS_EARLY in warning and warning not in before:
                self.app.call_from_thread(self.notify, warning, title="Recorded, but note",
                                          severity="warning", timeout=12, markup=False)
        return saved

    def _notice(self) -> dict[str, Any]:
        values = self.values()
        values["count"] = values["count"] or None
        return values

    @on(Button.Pressed, "#record-notice")
    def _record(self) -> None:
        self.wizard.run_save_step(self._record_notice, stay=True)

    @on(Button.Pressed, "#withdraw-notice")
    def _withdraw(self) -> None:
        """Withdrawing is asked first, naming the notice in words; Keep is the default."""
        from riskreg.ui.dialogs.confirm import ConfirmDialog

        notices = (self.record or {}).get("notices") or []
        if not notices:
            return
        notice = notices[-1]
        last = notice["public_id"]

        def answered(yes: bool | None) -> None:
            if yes:
                self.wizard.run_save_step(lambda service: service.withdraw_notice(
                    self.ref, last, self.revision), stay=True)

        self.app.push_screen(ConfirmDialog("Withdraw a notice", withdraw_notice_question(notice),
                                           yes="Withdraw", no="Keep", danger=True,
                                           default_yes=False), answered)


def withdraw_notice_question(notice: dict[str, Any]) -> str:
    """The question asked before a recorded notice is withdrawn, in words."""
    name = plain(notice.get("obligation_name") or "this obligation")
    method = NOTICE_METHODS.get(notice.get("method") or "", notice.get("method") or "")
    how = f" ({method})" if method else ""
    return (f"Withdraw the notice \"{name}\" recorded as sent on {notice.get('sent_on')}{how}? "
            "It stays in the history, marked withdrawn.")


def state_analysis_words(record: dict[str, Any]) -> str:
    """After a safe harbor, an exception or a low-probability finding: HIPAA requires no notice,
    but state duties do not depend on that (state definitions of breach and encryption differ);
    the scope (step 7) gives the state rows. "" otherwise."""
    if not record.get("state_analysis_only"):
        return ""
    if record.get("affected") is None:
        return ("\nHIPAA requires no notice on this determination, but a state law still may: "
                "state definitions of breach and encryption differ. Record the scope (step 7, "
                "where the affected people live) to see the state rows, and verify with counsel.")
    return ("\nHIPAA requires no notice on this determination; the plan (step 9) lists the "
            "state rows for the residents recorded, a separate analysis: verify with counsel.")


class CloseoutPanel(StepPanel):
    step_id = "closeout"
    fields = ("lessons_learned",)
    save_label = "Save"

    def body(self) -> ComposeResult:
        yield Static("", id="closeout-summary")
        yield row("Lessons learned", long_input("lessons_learned"), "lessons_learned",
                  "what would stop this happening again")
        yield Static("The register", classes="subhead", markup=False)
        yield Static("Hazards this incident relates to (enter opens one to edit or review it):",
                     classes="guidance", markup=False)
        yield OptionList(id="closeout-hazards", compact=True)
        with Horizontal(classes="buttons"):
            yield Button("Link an existing hazard…", id="link-hazard", compact=True)
            yield Button("New hazard", id="new-hazard", compact=True)
        with Horizontal(classes="buttons"):  # its own row: three buttons are cut at 80 columns
            yield Button("New safeguard for the highlighted hazard", id="new-safeguard",
                         compact=True)
        with Horizontal(classes="buttons"):
            yield Button("Close the incident", id="close-incident", compact=True, variant="primary")
            yield Button("Reopen", id="reopen-incident", compact=True)

    def after_fill(self, record: dict[str, Any] | None) -> None:
        record = record or {}
        palette = self.wizard.riskreg.palette
        text = Text()
        label = record.get("determination_label")
        text.append("Determination: ", palette["bold"])
        text.append(label or "not yet recorded", palette["" if label else "warning"])
        if record.get("decided_on"):
            text.append(f" (decided {record['decided_on']})")
        if record.get("determination_rationale"):
            text.append("\nRationale: ", palette["bold"])
            text.append(plain(record["determination_rationale"]))
        outstanding = record.get("outstanding_names") or []
        if outstanding:
            text.append(f"\nStill owed: {'; '.join(outstanding)}.", palette["warning"])
        text.append(state_analysis_words(record), palette["warning"])
        if record.get("status") == "closed":
            text.append(f"\nClosed on {record['closed_on']}; kept at least until "
                        f"{record['retain_until']} (45 CFR 164.530(j)).", palette["success"])
        elif label:
            text.append("\nClosing keeps everything: the incident stays on record for at least "
                        "six years (45 CFR 164.530(j)).", palette["muted"])
        self.query_one("#closeout-summary", Static).update(text)
        hazards = self.query_one("#closeout-hazards", OptionList)
        hazards.set_options([Option(Text(plain(h["title"])), id=h["public_id"])
                             for h in record.get("hazards") or []]
                            or [Option(Text("none linked yet"), disabled=True)])
        closed = record.get("status") == "closed"
        self.query_one("#close-incident").display = not closed
        self.query_one("#reopen-incident").display = closed

    def save(self, service: Any) -> dict[str, Any] | None:
        if not self.dirty:
            self.notify("Nothing to save here; close the incident with the button below.",
                        timeout=4)
            return None
        return service.save_closeout(self.ref, self.values(), self.revision)

    @on(OptionList.OptionSelected, "#closeout-hazards")
    def _open_hazard(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.wizard.riskreg.open_record("hazard", event.option.id)

    def _highlighted_hazard(self) -> str | None:
        hazards = self.query_one("#closeout-hazards", OptionList)
        option = hazards.highlighted_option
        return option.id if option is not None and not option.disabled else None

    @on(Button.Pressed, "#link-hazard")
    def _link_hazards(self) -> None:
        """Tick the register's hazards this incident relates to, untick to unlink (finding 13:
        the starter register's "Laptop lost or stolen" could not be tied to a laptop incident).
        Each tick is written at once by the incident service, audited, and flags the hazard for
        review; the picker reads and writes in a thread."""
        from riskreg.ui.dialogs.picker import LinkPicker

        service, register, ref = self.wizard.service, self.wizard.riskreg.register, self.ref
        if register is None:
            return
        heading = f"Link hazards to {ref}"
        hint = ("Tick the hazards of the register this incident relates to: each is flagged for "
                "review. Untick one to unlink it.")

        def toggle(hazard_id: str, link: bool) -> None:
            revision = service.get(ref)["revision"]
            if link:
                service.link_hazard(ref, hazard_id, revision)
            else:
                service.unlink_hazard(ref, hazard_id, revision)

        def done(changed: bool | None) -> None:
            if changed:
                self.wizard.reload(then=lambda: self.after_fill(self.wizard.record))
                self.app.post_message(RegisterChanged("hazard"))

        self.app.push_screen(LinkPicker(heading, hint, hazard_choices(service, register, ref),
                                        toggle), done)

    @on(Button.Pressed, "#new-hazard")
    def _new_hazard(self) -> None:
        self._register_form("hazard", lambda service, ref, values, revision:
                            service.create_hazard(ref, values, revision))

    @on(Button.Pressed, "#new-safeguard")
    def _new_safeguard(self) -> None:
        hazard_id = self._highlighted_hazard()
        self._register_form("safeguard", lambda service, ref, values, revision:
                            service.create_safeguard(ref, values, hazard_id, revision))

    def _register_form(self, kind: str, create: Callable[..., dict[str, Any]]) -> None:
        """A register form for a new `kind`, saved by `create(service, ref, values, revision)`:
        the incident's service adds the record and links it, in one transaction."""
        from riskreg.ui.dialogs.form import RecordForm

        service = self.wizard.service
        ref = self.ref

        def save(values: dict[str, Any], _changes: dict[str, Any], _rev: Any) -> dict[str, Any]:
            return create(service, ref, values, service.get(ref)["revision"])

        def done(saved: dict[str, Any] | None) -> None:
            if saved:
                self.notify(f"Added to the register: {plain(saved.get('title', ''))}", markup=False)
                # the list; typed lessons stay as they are
                self.wizard.reload(then=lambda: self.after_fill(self.wizard.record))
                self.app.post_message(RegisterChanged(kind))

        self.app.push_screen(RecordForm(kind, None, save=save, owners=self.wizard.owners), done)

    @on(Button.Pressed, "#close-incident")
    def _close(self) -> None:
        from riskreg.ui.dialogs.confirm import ConfirmDialog

        record = self.record or {}
        outstanding = record.get("outstanding_names") or []
        message = ("Close this incident? It stays on record, and you can reopen it."
                   + (f"\n\nStill owed: {'; '.join(outstanding)}. Closing does not end the duty "
                      "to notify: these stay on the dashboard, in the incidents list and in the "
                      "calendar, marked as owed, until you record each one as sent."
                      if outstanding else ""))

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def close(service: Any) -> dict[str, Any]:
                current = self.record
                if self.dirty:
                    current = service.save_closeout(self.ref, self.values(), self.revision)
                return service.close(self.ref, current["revision"])

            self.wizard.run_save_step(close, stay=True)

        self.app.push_screen(ConfirmDialog(f"Close {self.ref}", message, yes="Close"), answered)

    @on(Button.Pressed, "#reopen-incident")
    def _reopen(self) -> None:
        self.wizard.run_save_step(lambda service: service.reopen(self.ref, self.revision), stay=True)


def hazard_choices(service: Any, register: Any, ref: str) -> Any:
    """The picker's fetch for an incident's hazards: those linked first (ticked), then the
    register's hazards matching the filter. Called in a thread."""
    from riskreg.services.register import ListQuery
    from riskreg.ui.dialogs.picker import Choice, LinkPicker

    def fetch(text: str) -> tuple[list[Any], int]:
        needle = text.strip().lower()
        linked = service.get(ref).get("hazards") or []
        choices = [Choice(h["public_id"], h["title"], "linked", True)
                   for h in linked if not needle or needle in h["title"].lower()]
        seen = {c.value for c in choices}
        page = register.list("hazard", ListQuery(text=text, limit=LinkPicker.LIMIT))
        choices += [Choice(h["public_id"], h["title"], f"{h['level']} {h['score']}")
                    for h in page.rows if h["public_id"] not in seen]
        return choices, max(page.total, len(choices))

    return fetch
