"""Every audit event names who made it (issue 22 item 4; 45 CFR 164.312(b) audit controls,
164.312(a)(2)(i) unique user identification): the practitioner named in the settings, else the
account the app runs under; older events say they were written before actors were recorded and
still verify; an edited actor breaks the chain at its event."""

import getpass
import json
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest
from alembic import command
from clock import FIXED_TODAY
from sqlalchemy import create_engine

from riskreg.services import transfer
from riskreg.services.incidents import IncidentService
from riskreg.services.register import RegisterService
from riskreg.services.settings import SettingsService
from riskreg.storage import audit
from riskreg.storage.actors import LEGACY_ACTOR, current_actor, os_user
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def _actors(db) -> list[tuple[int, str, str, str]]:
    with sqlite3.connect(db.path) as conn:
        rows = conn.execute("SELECT id, entity, action, actor FROM audit_event ORDER BY id")
        found = rows.fetchall()
    conn.close()
    return found


def _sql(path, statement, *args):
    with sqlite3.connect(path) as conn:
        conn.execute(statement, args)
    conn.close()


def _every_kind_of_change(db, register):
    """An owner, a tool and a hazard created, updated, linked, reviewed, archived, restored; an
    incident opened; a consent recorded."""
    owner = register.create("owner", {"name": "Front desk"})
    tool = register.create("tool", {"name": "Scribe", "category": "ai_scribe",
                                    "owner": owner["public_id"]})
    hazard = register.create("hazard", {"title": "Transcript kept", "likelihood": 3,
                                        "impact": 4, "target_likelihood": 2,
                                        "target_impact": 3})
    register.update("tool", tool["public_id"], {"notes": "renewal asked"}, tool["revision"])
    register.link(hazard["public_id"], "tool", tool["public_id"])
    register.mark_reviewed(hazard["public_id"], FIXED_TODAY, "checked", hazard["revision"])
    register.archive("owner", register.create("owner", {"name": "Gone"})["public_id"])
    archived = register.create("owner", {"name": "Back"})
    register.archive("owner", archived["public_id"])
    register.restore("owner", archived["public_id"])
    IncidentService(db, today=lambda: FIXED_TODAY).create(
        {"title": "Laptop left on a bus", "discovered_on": "2026-11-02"})
    return hazard


def test_every_kind_of_change_names_the_practitioner_of_the_settings(db, register, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "osaccount")
    SettingsService(db, today=lambda: FIXED_TODAY).update({"practitioner": "Dr. Ana Rivera"}, 0)
    _every_kind_of_change(db, register)
    events = _actors(db)
    actions = {(entity, action) for _, entity, action, _ in events}
    assert {("owner", "create"), ("tool", "update"), ("hazard_tool", "link"),
            ("review", "create"), ("owner", "archive"), ("owner", "restore"),
            ("incident", "create")} <= actions, actions
    # The first event is the settings' own save, made before any name was set: the OS user's.
    assert events[0][1:] == ("practice_settings", "create", "osaccount")
    assert {actor for *_, actor in events[1:]} == {"Dr. Ana Rivera"}
    with db.reading() as session:
        assert audit.verify(session).ok


def test_without_a_practitioner_the_os_user_is_named_and_a_new_name_takes_over(db, register,
                                                                              monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "clinician7")
    owner = register.create("owner", {"name": "Front desk"})
    settings = SettingsService(db, today=lambda: FIXED_TODAY)
    saved = settings.update({"practitioner": "Dr. Lee"}, 0)
    register.update("owner", owner["public_id"], {"name": "Reception"}, owner["revision"])
    settings.update({"practitioner": "  "}, saved.settings["revision"])  # cleared: OS user again
    register.create("owner", {"name": "Billing"})
    assert [actor for *_, actor in _actors(db)] == [
        "clinician7", "clinician7", "Dr. Lee", "Dr. Lee", "clinician7"]


def test_the_os_user_falls_back_to_the_uid_when_the_account_has_no_name(monkeypatch):
    def no_name():
        raise KeyError("getpwuid(): uid not found: 4242")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert os_user() == f"uid {os.getuid()}"
    monkeypatch.setattr(getpass, "getuser", lambda: "  ")
    assert os_user() == f"uid {os.getuid()}"


def test_current_actor_asks_the_session(db, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "someone")
    with db.reading() as session:
        assert current_actor(session) == "someone"


def test_the_history_and_the_dossier_show_who_made_each_change(db, register, tmp_path,
                                                               monkeypatch):
    from riskreg.services.reports import write_incident_report

    monkeypatch.setattr(getpass, "getuser", lambda: "osaccount")
    SettingsService(db, today=lambda: FIXED_TODAY).update({"practitioner": "Dr. Ana Rivera"}, 0)
    hazard = _every_kind_of_change(db, register)
    history = register.history(hazard["public_id"], "hazard")
    assert history and {e["actor"] for e in history} == {"Dr. Ana Rivera"}
    ref = IncidentService(db, today=lambda: FIXED_TODAY).list()[0]["reference"]
    path, _ = write_incident_report(db, ref, tmp_path / "dossier.md", FIXED_TODAY, NOW)
    trail = path.read_text("utf-8").split("## 8. Audit trail")[1].split("## 9.")[0]
    heading = next(line for line in trail.splitlines() if line.startswith("| When"))
    assert [c.strip() for c in heading.strip("|").split("|")][:2] == ["When", "By"]
    assert "Dr. Ana Rivera" in trail


def test_export_json_carries_the_actor_and_import_keeps_it(db, register, tmp_path, monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "clinician7")
    _every_kind_of_change(db, register)
    path = transfer.export_json(db, tmp_path / "e.json", NOW).path
    doc = json.loads(path.read_text("utf-8"))
    assert {e["actor"] for e in doc["audit_log"]} == {"clinician7"}
    other = open_database(tmp_path / "other" / "riskreg.db")
    try:
        monkeypatch.setattr(getpass, "getuser", lambda: "someone-else")
        result = transfer.import_json(other, path)
        assert result.audit.ok
        assert {actor for *_, actor in _actors(other)} == {"clinician7"}
        again = transfer.export_document(other, NOW)
        assert again["audit_log"] == doc["audit_log"]
    finally:
        other.close()


def test_a_file_whose_events_name_no_actor_imports_as_written_before_actors(db, register,
                                                                            tmp_path):
    """An export from before actors were recorded: its events have no `actor`, and their hashes
    cover none."""
    owner = register.create("owner", {"name": "Front desk"})
    doc = transfer.export_document(db, NOW)
    prev = audit.GENESIS
    for event in doc["audit_log"]:
        del event["actor"]
        at = datetime.fromisoformat(event["at"])
        event["prev_hash"] = prev
        event["hash"] = prev = audit.chain_hash(prev, audit.canonical(
            event["seq"], at, event["entity"], event["public_id"], event["action"],
            event["changes"]))
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    other = open_database(tmp_path / "other" / "riskreg.db")
    try:
        assert transfer.import_json(other, path).audit.ok
        assert _actors(other) == [(1, "owner", "create", LEGACY_ACTOR)]
        history = RegisterService(other, today=lambda: FIXED_TODAY).history(owner["public_id"])
        assert [e["actor"] for e in history] == [LEGACY_ACTOR]
    finally:
        other.close()


def test_a_file_with_an_edited_actor_is_refused_naming_the_event(db, register, tmp_path):
    register.create("owner", {"name": "Front desk"})
    register.create("owner", {"name": "Billing"})
    doc = transfer.export_document(db, NOW)
    doc["audit_log"][1]["actor"] = "Somebody else"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    from riskreg.services.transfer_check import FileProblems

    other = open_database(tmp_path / "other" / "riskreg.db")
    try:
        with pytest.raises(FileProblems, match=r"audit_log\[1\]: event 2 was altered"):
            transfer.import_json(other, path)
    finally:
        other.close()


# -- older events, and tampering -----------------------------------------------------------------


def _as_the_previous_release_wrote_it(db_path, monkeypatch):
    """A register at schema 0005 whose events were hashed as riskreg hashed them before actors
    were recorded."""
    monkeypatch.setattr(getpass, "getuser", lambda: "clinician7")
    db = open_database(db_path)
    register = RegisterService(db, today=lambda: FIXED_TODAY)
    owner = register.create("owner", {"name": "Front desk"})
    register.update("owner", owner["public_id"], {"name": "Reception"}, owner["revision"])
    IncidentService(db, today=lambda: date(2026, 11, 26)).create(
        {"title": "Laptop left on a bus", "discovered_on": "2026-11-02"})
    db.close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0005_workflow")
    engine.dispose()
    conn = sqlite3.connect(db_path)
    assert "actor" not in {r[1] for r in conn.execute("PRAGMA table_info(audit_event)")}
    rows = conn.execute("SELECT id, at, entity, public_id, action, changes FROM audit_event "
                        "ORDER BY id").fetchall()
    prev = audit.GENESIS
    for seq, at, entity, public_id, action, changes in rows:
        when = datetime.fromisoformat(at).replace(tzinfo=UTC)
        digest = audit.chain_hash(prev, audit.canonical_parsed(
            seq, when, entity, public_id, action, json.loads(changes), LEGACY_ACTOR))
        conn.execute("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?",
                     (prev, digest, seq))
        prev = digest
    conn.commit()
    conn.close()
    return owner, len(rows)


def riskreg(*args):
    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def test_old_events_show_the_unknown_actor_after_the_migration_and_still_verify(
        db_path, monkeypatch):
    owner, count = _as_the_previous_release_wrote_it(db_path, monkeypatch)
    db = open_database(db_path)  # migrates to 0008
    try:
        assert [actor for *_, actor in _actors(db)] == [LEGACY_ACTOR] * count
        register = RegisterService(db, today=lambda: FIXED_TODAY)
        assert {e["actor"] for e in register.history(owner["public_id"])} == {LEGACY_ACTOR}
        fresh = register.get("owner", owner["public_id"])
        register.update("owner", owner["public_id"], {"name": "Desk"}, fresh["revision"])
        assert _actors(db)[-1][-1] == "clinician7"
        with db.reading() as session:
            assert audit.verify(session).ok and audit.verify(session).checked == count + 1
    finally:
        db.close()
    done = riskreg("audit", "verify", "--db", str(db_path))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout


@pytest.mark.parametrize("which, actor", [
    ("newest", "Somebody else"),  # a recorded actor replaced
    ("newest", LEGACY_ACTOR),  # a recorded actor passed off as one from before actors
    ("oldest", "Dr. Backdated"),  # an older event given a name it never had
])
def test_an_edited_actor_fails_audit_verify_naming_the_event(db_path, monkeypatch, which, actor):
    _as_the_previous_release_wrote_it(db_path, monkeypatch)
    db = open_database(db_path)
    try:
        register = RegisterService(db, today=lambda: FIXED_TODAY)
        register.create("owner", {"name": "Billing"})  # event 4, with its actor
    finally:
        db.close()
    target = 1 if which == "oldest" else len(_rows(db_path))
    _sql(db_path, "UPDATE audit_event SET actor = ? WHERE id = ?", actor, target)
    done = riskreg("audit", "verify", "--db", str(db_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert f"event {target} was altered after it was written" in done.stdout


def _rows(db_path):
    with sqlite3.connect(db_path) as conn:
        found = conn.execute("SELECT id FROM audit_event").fetchall()
    conn.close()
    return found
