"""The dashboard's "Due in the next 7 days" panel: the agenda (`services.agenda`), overdue
first; enter opens the record (an incident at its step, the practice settings for the yearly
review of the whole risk analysis)."""

from __future__ import annotations

from typing import Any

from textual import on

from riskreg.domain.text import plural
from riskreg.ui.messages import OpenRecord
from riskreg.ui.widgets.attention import AttentionPanel, Sections

SHOWN = 50
"""Items listed per section; the heading's count says how many there are in all."""


def agenda_sections(board: Any) -> Sections:
    from riskreg.services.agenda import short_days, short_label
    from riskreg.services.dashboard import Item, Section

    agenda = board.agenda
    if agenda is None:
        return []

    def section(items: list[Any]) -> Section:
        return Section(tuple(Item(i.record_kind, i.record_id, short_label(i), i.what, i.day,
                                  short_days(i.days_left)) for i in items[:SHOWN]), len(items))

    overdue = [i for i in agenda.items if i.overdue]
    coming = [i for i in agenda.items if not i.overdue]
    # The overdue count first: what is already late matters before what is coming.
    return [("Overdue", section(overdue), "nothing overdue", "error"),
            ("Coming up", section(coming), f"nothing in the next {plural(agenda.days, 'day')}", "warning")]


class AgendaPanel(AttentionPanel):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__("Due in the next 7 days", agenda_sections, **kwargs)
        self._names: dict[tuple[str, str], str] = {}
        """Each item's record name by (kind, public id): an incident opens by its reference."""

    def update(self, board: Any, palette: Any) -> None:
        agenda = board.agenda
        if agenda is not None:
            self.border_title = f"Due in the next {plural(agenda.days, 'day')}"
            self._names = {(i.record_kind, i.record_id): i.record_name for i in agenda.items}
        super().update(board, palette)
        if agenda is not None:
            overdue = agenda.overdue
            coming = len(agenda.items) - overdue
            self.border_subtitle = (f"{overdue:,} overdue · {coming:,} coming" if agenda.items
                                    else "all clear")

    @on(OpenRecord)
    def _open(self, event: OpenRecord) -> None:
        # The register's records open in full (the app does it); an incident and the practice
        # settings are not register records: they open where they are edited.
        opener = OPENED_HERE.get(event.kind)
        if opener is not None:
            event.stop()
            opener(self.app, self._names.get((event.kind, event.public_id)))


def _open_incident(app: Any, reference: str | None) -> None:
    from riskreg.ui.incidents.area import open_incident

    if reference:  # never None: that would start a new incident
        open_incident(app, reference)


def _open_settings(app: Any, _name: str | None) -> None:
    from riskreg.ui.dialogs.settings import open_settings_dialog

    open_settings_dialog(app)


OPENED_HERE = {"incident": _open_incident, "settings": _open_settings}
"""The agenda's items that are not register records, and how each opens."""


async def show_agenda(app: Any) -> None:
    """The palette's "What is due": the dashboard, with the agenda's list focused."""
    from riskreg.ui.widgets.attention import AttentionList

    # Built (and mounted) first: from another area the dashboard may not have been shown.
    dashboard = await app.main_screen.built_area("dashboard")
    app.show_area("dashboard")
    dashboard.query_one("#agenda-panel").query_one(AttentionList).focus()
