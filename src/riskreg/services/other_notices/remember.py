"""What was written, kept with the incident: each notice file as a draft row (its kind, its
path, the day), with an audit event, as the Markdown drafts are (IncidentService.write_drafts).
The incident's Notices step lists them, and its dossier shows them (164.414(b): the proof is
the practice's). The path is the one the user gave; nothing of the notice's text is stored."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from riskreg.services.incidents.editing import find_incident
from riskreg.storage import audit
from riskreg.storage.database import Database
from riskreg.storage.incident_models import NoticeDraft
from riskreg.storage.models import new_public_id, utcnow


def remember(db: Database, ref: str, written: list[tuple[str, Path]], today: date) -> None:
    """Record each (kind, path) written: a new draft row, or the same path's row brought up to
    today (and back from the archive)."""
    with db.writing() as session:
        inc = find_incident(session, ref)
        existing = {d.path: d for d in session.exec(
            select(NoticeDraft).where(NoticeDraft.incident_id == inc.id))}
        for kind, path in written:
            shown = str(path.absolute())
            draft = existing.get(shown)
            if draft is None:
                draft = NoticeDraft(public_id=new_public_id(), incident_id=inc.id, kind=kind,
                                    path=shown, written_on=today)
                action = "create"
            else:
                draft.kind, draft.written_on, draft.archived_at = kind, today, None
                draft.revision += 1
                draft.updated_at = utcnow()
                action = "update"
            session.add(draft)
            session.flush()
            existing[shown] = draft
            audit.record(session, "notice_draft", draft.public_id, action, {
                "incident": [None, inc.reference], "kind": [None, kind],
                "path": [None, shown], "written_on": [None, today],
            })
