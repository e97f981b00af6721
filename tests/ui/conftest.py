"""UI fixtures: apps built by the same factory as the CLI's, on a database seeded through the
services (never through the UI), with the clock fixed."""

from __future__ import annotations

import pytest
from clock import FIXED_TODAY

HAZARD = {
    "title": "Laptop stolen from the car",
    "likelihood": 3, "impact": 5, "target_likelihood": 2, "target_impact": 2,
}


@pytest.fixture
def make_app(db_path):
    """Build the app on the test database, as `riskreg --db` would, with the fixed clock."""
    from riskreg.ui.app import make_app as factory

    def build(**kwargs):
        return factory(db_path, today=FIXED_TODAY, **kwargs)

    return build


@pytest.fixture
def small_register(register):
    """An owner, two tools (one without a BAA), three hazards, two safeguards, a consent."""
    owner = register.create("owner", {"name": "Dr. Rivera", "role": "Practitioner"})
    scribe = register.create("tool", {"name": "Scribe AI", "category": "ai_scribe",
                                      "baa_status": "missing", "owner": owner["public_id"]})
    ehr = register.create("tool", {"name": "Practice EHR", "category": "ehr",
                                   "baa_status": "signed", "baa_signed_on": "2026-01-01",
                                   "baa_expires_on": "2027-01-10"})
    laptop = register.create("hazard", {**HAZARD, "owner": owner["public_id"],
                                        "next_review_on": "2026-11-01"})
    phishing = register.create("hazard", {**HAZARD, "title": "Phishing email", "likelihood": 4,
                                          "impact": 4, "next_review_on": "2026-12-10"})
    register.create("hazard", {**HAZARD, "title": "Misdirected fax", "likelihood": 1,
                               "impact": 3, "target_likelihood": 1, "target_impact": 1})
    encryption = register.create("safeguard", {"title": "Full-disk encryption",
                                               "category": "technical", "due_on": "2026-11-01"})
    register.create("safeguard", {"title": "Phishing training", "category": "administrative",
                                  "status": "in_place"})
    register.create("consent", {"client_code": "C-0042", "tool": scribe["public_id"],
                                "disclosed_on": "2026-10-01", "decision": "consented"})
    register.link(laptop["public_id"], "safeguard", encryption["public_id"])
    register.link(phishing["public_id"], "tool", scribe["public_id"])
    return {"owner": owner, "scribe": scribe, "ehr": ehr, "laptop": laptop,
            "phishing": phishing, "encryption": encryption}


@pytest.fixture
def app_made_by_cli(monkeypatch):
    """The app factory replaced by a recorder: `cli.main()` then records the keyword arguments
    it would build the app with (area, encrypted, passphrase...) and runs nothing."""
    import riskreg.ui.app as ui_app

    made: dict = {}

    class Recorded:
        problem = None
        return_code = 0

        def run(self):
            pass

    def factory(db_path, today=None, **kwargs):
        made.clear()
        made.update(kwargs)
        return Recorded()

    monkeypatch.setattr(ui_app, "make_app", factory)
    return made


@pytest.fixture(autouse=True)
def no_cursor_blink(monkeypatch):
    """Steady cursors in every pilot test: a blinking cursor makes snapshots and screenshots
    depend on timing, and its timer wakes the app twice a second for nothing. (As Harlequin's
    tests do: the class default replaced, so every input and text area starts steady.)"""
    from textual.widgets import Input, TextArea

    monkeypatch.setattr(Input, "cursor_blink", False)
    monkeypatch.setattr(TextArea, "cursor_blink", False)


def _on_the_ui_thread() -> bool:
    """Whether the caller is the app's own code on its event loop (a message handler, an action,
    a callback, an async worker), not a thread and not the test's own body."""
    import asyncio

    from textual.worker import active_worker

    try:
        task = asyncio.current_task()
    except RuntimeError:
        return False  # a thread (a thread worker, asyncio.to_thread): where the database goes
    if task is None:
        return False
    # Textual runs each widget's and screen's messages in a task of its own named "message pump
    # ..."; the app's own (its bindings, actions, call_later and result callbacks) run in the
    # task run_test made, "run_test ..."; an async worker's body knows its worker. The test's
    # body is none of these.
    return (task.get_name().startswith(("message pump", "run_test"))
            or active_worker.get(None) is not None)


@pytest.fixture(autouse=True)
def database_off_the_ui_thread(monkeypatch):
    """Every pilot test checks that the app never opens a database session on its UI thread:
    with another window holding the write lock, a session there would freeze the screen for up
    to the busy timeout (10 s). The test's own reads and writes (seeding, checking) are fine."""
    import traceback

    from riskreg.storage.database import Database

    found: list[str] = []
    for name in ("reading", "writing"):
        original = getattr(Database, name)

        def guarded(self, *args, _original=original, _name=name, **kwargs):
            if _on_the_ui_thread():
                found.append(f"Database.{_name} on the UI thread:\n"
                             + "".join(traceback.format_stack(limit=12)[:-1]))
            return _original(self, *args, **kwargs)

        monkeypatch.setattr(Database, name, guarded)
    yield found
    assert not found, "\n\n".join(found[:3])
