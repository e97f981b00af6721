"""`riskreg audit verify` and imports: the audit log must explain every record (issue 16, D10),
a damaged file is never "intact", and a damaged event is named, never a traceback."""

import json
import sqlite3
import subprocess
import sys

import pytest
from clock import FIXED_TODAY
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from riskreg.services import transfer
from riskreg.services.audit_check import verify_database
from riskreg.services.transfer_check import FileProblems
from riskreg.storage import audit

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL


@pytest.fixture
def small(db, register):
    """A small register made through the services: every kind, a link, a review, an archive."""
    owner = register.create("owner", {"name": "Dr. Rivera"})
    tool = register.create("tool", {"name": "Scribe", "category": "ai_scribe",
                                    "owner": owner["public_id"]})
    hazard = register.create("hazard", {"title": "Client named in a transcript", "likelihood": 3,
                                        "impact": 4, "target_likelihood": 2,
                                        "target_impact": 3})
    register.link(hazard["public_id"], "tool", tool["public_id"])
    register.mark_reviewed(hazard["public_id"], FIXED_TODAY, "checked", hazard["revision"])
    consent = register.create("consent", {"client_code": "C-0001", "disclosed_on": FIXED_TODAY,
                                          "tool": tool["public_id"]})
    register.archive("consent", consent["public_id"])
    return {"owner": owner, "tool": tool, "hazard": hazard, "consent": consent}


def _sql(db, statement, *args):
    """Change the register behind riskreg's back (a file editor, or psql on a server)."""
    if db.path is None:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(statement.replace("?", "%s"), tuple(args))
        return
    with sqlite3.connect(db.path) as conn:
        conn.execute(statement, args)
    conn.close()


def _rechain(db):
    """Recompute every event's hash, as anyone can without a key."""
    with db.reading() as session:
        events = list(audit.read_events(session))
    prev = audit.GENESIS
    for e in events:
        digest = audit.chain_hash(prev, audit.canonical(e.seq, e.at, e.entity, e.public_id,
                                                        e.action, e.changes, e.actor))
        _sql(db, "update audit_event set prev_hash = ?, hash = ? where id = ?",
             prev, digest, e.seq)
        prev = digest


def _found(db):
    report = verify_database(db)
    assert report.chain is not None and report.chain.ok, report.chain
    return report.unexplained


def test_a_register_made_through_the_services_is_explained_by_its_log(small, db):
    assert _found(db) == []


def test_a_field_edited_with_no_event_names_the_record_by_kind_and_id_not_by_its_text(small, db):
    hazard = small["hazard"]["public_id"]
    _sql(db, "update hazard set title = 'Rewritten', likelihood = 1 where public_id = ?", hazard)
    [finding] = _found(db)
    assert finding.startswith(f"hazard {hazard}: title, likelihood are not what its audit log")
    assert "Rewritten" not in finding and "transcript" not in finding


def test_a_record_archived_or_with_its_owner_changed_behind_the_log_is_named(small, db):
    _sql(db, "update tool set archived_at = '2026-11-26 10:00:00.000000', owner_id = NULL")
    [finding] = _found(db)
    assert finding.startswith(f"tool {small['tool']['public_id']}: archived_at, owner are not")


def test_a_record_no_event_created_is_named(small, db):
    _sql(db, "insert into owner (public_id, created_at, updated_at, revision, name, role, contact,"
             " notes) values ('11111111-1111-4111-8111-111111111111', '2026-11-26 10:00:00',"
             " '2026-11-26 10:00:00', 1, 'Smuggled', '', '', '')")
    assert _found(db) == ["owner 11111111-1111-4111-8111-111111111111: no event in the audit log "
                          "created it"]


def test_a_deleted_record_is_named_by_the_events_it_left(small, db):
    consent = small["consent"]["public_id"]
    _sql(db, "delete from consent where public_id = ?", consent)
    [finding] = _found(db)
    assert finding.startswith(f"consent {consent}: its events (from event ")
    assert finding.endswith("but the record is not in the database (deleted)")


def test_two_records_of_different_kinds_sharing_a_public_id_are_named(small, db):
    hazard = small["hazard"]["public_id"]
    tool = small["tool"]["public_id"]
    _sql(db, "update tool set public_id = ? where public_id = ?", hazard, tool)
    found = _found(db)
    assert f"public id {hazard} is used by a hazard and a tool: their histories cannot be told " \
           "apart" in found
    assert f"tool {hazard}: no event in the audit log created it" in found
    assert any(f.startswith(f"tool {tool}: its events") for f in found)


def test_an_emptied_log_beside_records_is_refused(small, db):
    _sql(db, "delete from audit_event")
    report = verify_database(db)
    assert not report.ok and report.chain.checked == 0
    assert report.unexplained == ["the audit log is empty, yet the database holds 6 records: their "
                                  "history is gone"]


def test_cutting_the_newest_events_is_found_when_they_changed_a_record(small, db, register):
    hazard = small["hazard"]["public_id"]
    current = register.get("hazard", hazard)
    register.update("hazard", hazard, {"status": "mitigating"}, current["revision"])
    _sql(db, "delete from audit_event where id = (select max(id) from audit_event)")
    assert [f.split(":")[0] for f in _found(db)] == [f"hazard {hazard}"]


def test_an_event_rewritten_and_rechained_without_a_key_no_longer_passes(small, db):
    # The chain alone is satisfied by a consistent rewrite; the record it describes is not.
    _sql(db, "update audit_event set changes = replace(changes, 'Dr. Rivera', 'Someone else') "
             "where entity = 'owner'")
    _rechain(db)
    [finding] = _found(db)
    assert finding.startswith(f"owner {small['owner']['public_id']}: name is not")


def test_events_an_older_riskreg_logged_under_the_residual_names_explain_the_target(small, db):
    # Before migration 0003 the target risk was logged as residual_likelihood/_impact/_score;
    # the migration renames the columns, not the log's history.
    _sql(db, "update audit_event set changes = replace(changes, '\"target_', '\"residual_') "
             "where entity in ('hazard', 'review')")
    _rechain(db)
    with db.reading() as session:
        assert session.execute(text("select count(*) from audit_event where changes like "
                                    "'%residual_likelihood%'")).scalar() >= 1
    assert _found(db) == []


# -- damaged values in the audit table ---------------------------------------------------------


@pytest.mark.parametrize("column, value, damage", [
    ("at", "garbage", "a damaged timestamp"),
    ("at", "2026-13-45 10:00:00", "a damaged timestamp"),
    ("at", 20261126, "a damaged timestamp"),
    ("changes", "not json", "damaged changes"),
    ("changes", '"a string"', "damaged changes"),
    ("changes", '{"name": "not a pair"}', "damaged changes"),
    ("entity", b"\x00\xff", "a damaged entity"),
])
@pytest.mark.sqlite_only  # PostgreSQL's column types refuse such values
def test_a_damaged_event_is_named_and_never_a_traceback(small, db, column, value, damage):
    _sql(db, f"update audit_event set {column} = ? where id = 3", value)
    report = verify_database(db)
    assert not report.ok and report.chain.bad_event == 3
    assert report.chain.problem.startswith(f"event 3 has {damage}")


# -- the command -------------------------------------------------------------------------------


def riskreg(*args):
    import os

    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=120)


@pytest.mark.sqlite_only  # a damaged timestamp: PostgreSQL's timestamptz refuses one
def test_cli_names_the_unexplained_record_and_the_damaged_event_and_exits_1(small, db):
    hazard = small["hazard"]["public_id"]
    _sql(db, "update hazard set title = 'Rewritten' where public_id = ?", hazard)
    _sql(db, "update audit_event set at = 'garbage' where id = 2")
    db.close()
    done = riskreg("audit", "verify", "--db", str(db.path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "Audit log BROKEN: event 2 has a damaged timestamp" in done.stdout
    assert f"  hazard {hazard}: title is not what its audit log records" in done.stdout
    report = json.loads(riskreg("audit", "verify", "--json", "--db", str(db.path)).stdout)
    assert report["ok"] is False and report["chain"]["bad_event"] == 2
    assert report["unexplained"] == [f"hazard {hazard}: title is not what its audit log records "
                                     "(changed without an event)"]


@pytest.mark.parametrize("page", ["ix_hazard_title", "audit_event"])
@pytest.mark.sqlite_only
def test_cli_says_a_file_that_fails_sqlites_integrity_check_is_damaged(small, db, page):
    with sqlite3.connect(db.path) as conn:
        page_size = conn.execute("pragma page_size").fetchone()[0]
        root = conn.execute("select rootpage from sqlite_master where name = ?", (page,)
                            ).fetchone()[0]
    conn.close()
    db.close()
    with open(db.path, "r+b") as file:
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * 64)  # an index's page, or the audit log's own
    done = riskreg("audit", "verify", "--db", str(db.path))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    # The open's own check (the day's first command checks the file before its backup copy,
    # storage/backup.py) or verify's integrity check: either way one line saying it is damaged.
    said = (done.stdout + done.stderr).strip()
    assert len(said.splitlines()) == 1 and "intact" not in said
    assert "is damaged" in said or said.startswith(
        "Database file DAMAGED: SQLite's integrity check says")


# -- import ------------------------------------------------------------------------------------


def test_import_and_check_refuse_a_file_whose_records_contradict_its_log_in_the_same_words(
    small, db, register, tmp_path
):
    doc = transfer.export_document(db)
    [row] = [r for r in doc["tables"]["hazard"] if r["public_id"] == small["hazard"]["public_id"]]
    row["title"] = "Rewritten in the file"
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    expected = f"hazard {row['public_id']}: title is not what its audit log records"
    checked = riskreg("import", "json", str(path), "--check")
    assert checked.returncode == 2 and checked.stdout.startswith(expected), checked.stdout
    target = tmp_path / "new.db"
    done = riskreg("import", "json", str(path), "--db", str(target))
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr
    assert done.stderr.strip().endswith("nothing was changed") and not target.exists()


def test_import_refuses_a_file_whose_log_was_emptied(small, db, other_db, tmp_path):
    doc = transfer.export_document(db)
    doc["audit_log"] = []
    path = tmp_path / "emptied.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(FileProblems, match="the audit log is empty, yet the file holds 6 records"):
        transfer.import_json(other_db, path)
    assert not any(transfer.count_records(other_db).values())


@pytest.fixture
def other_db(tmp_path):
    from riskreg.storage.database import open_database

    database = open_database(tmp_path / "other" / "riskreg.db")
    yield database
    database.close()


# -- the property that matters: what the services write, verify explains ----------------------

# Each step is one use a practitioner makes of the register; `world` keeps what exists.
def _create(world, kind):
    data = {
        "owner": {"name": "Biller"},
        "tool": {"name": "Dictation", "category": "dictation_transcription",
                 "owner": world.pick("owner")},
        "hazard": {"title": "Lost phone", "likelihood": 2, "impact": 5, "target_likelihood": 1,
                   "target_impact": 5, "owner": world.pick("owner")},
        "safeguard": {"title": "Disk encryption", "category": "technical", "status": "in_place"},
        "consent": {"client_code": "C-0002", "disclosed_on": FIXED_TODAY,
                    "tool": world.pick("tool")},
    }[kind]
    world.ids.setdefault(kind, []).append(world.register.create(kind, data)["public_id"])


def _update(world, kind):
    changes = {"owner": {"role": "Vendor"},
               "tool": {"owner": None, "baa_status": "signed", "baa_signed_on": FIXED_TODAY},
               "hazard": {"likelihood": 4, "owner": world.pick("owner"), "status": "mitigating"},
               "safeguard": {"status": "verified", "due_on": FIXED_TODAY},
               "consent": {"decision": "declined"}}[kind]
    if public_id := world.pick(kind):
        record = world.register.get(kind, public_id)
        world.register.update(kind, public_id, changes, record["revision"])


def _archive_or_restore(world, kind):
    if public_id := world.pick(kind):
        archived = world.register.get(kind, public_id)["archived_at"] is not None
        (world.register.restore if archived else world.register.archive)(kind, public_id)


def _link_or_unlink(world, kind):
    hazard, other = world.pick("hazard"), world.pick(kind)
    if hazard and other:
        linked = {r["public_id"] for r in world.register.linked("hazard", hazard)[kind]}
        (world.register.unlink if other in linked else world.register.link)(hazard, kind, other)


def _review(world, _kind):
    if hazard := world.pick("hazard"):
        revision = world.register.get("hazard", hazard)["revision"]
        world.register.mark_reviewed(hazard, FIXED_TODAY, "reviewed", revision)


def _settings(world, _kind):
    from riskreg.services.settings import SettingsService

    SettingsService(world.db, today=lambda: FIXED_TODAY).update(
        {"practice_name": f"Practice {len(world.ids)}", "internal_target_days": 10}, None)


def _incident(world, _kind):
    """A breach walked from intake to close-out and reopened, as the demo walks one."""
    from riskreg.services.demo_incidents import NO_EXCEPTION
    from riskreg.services.incidents import IncidentService

    service = IncidentService(world.db, today=lambda: FIXED_TODAY)
    r = service.create({"title": "Laptop stolen", "discovered_on": FIXED_TODAY,
                        "hazards": [h for h in [world.pick("hazard")] if h]})
    ref = r["reference"]

    def step(method, *args):
        nonlocal r
        r = getattr(service, method)(ref, *args, r["revision"])

    step("save_phi", {"phi_involved": True, "phi_types": ["name"], "phi_reason": "Notes."})
    step("save_secured", {"secured_by": "none"})
    step("save_exceptions", {"exceptions": NO_EXCEPTION})
    step("save_factors", {"factors": {k: {"rating": "high", "notes": "-"} for k in (
        "nature_extent", "recipient", "acquired_viewed", "mitigation")}})
    step("save_determination", {"choice": "notification_required", "rationale": "Unencrypted."})
    step("save_scope", {"affected": 3, "residents": {"CO": 2, "FL": 1}})
    step("save_scope", {"affected": 2, "residents": {"CO": 2}})  # FL archived, CO updated
    step("add_statement", {"kind": "oral", "statement_on": FIXED_TODAY, "official": "Det. Lee",
                           "agency": "City police"})
    step("withdraw_statement", r["statements"][0]["public_id"])
    step("complete_step", "law_enforcement")
    step("complete_step", "plan")
    step("save_notice_content", {"notice_steps": "Watch your mail.", "notice_actions": "Fixed."})
    step("complete_step", "notices")
    step("record_notice_sent", {"obligation_id": "individuals", "sent_on": FIXED_TODAY,
                                "method": "mail", "count": 2})
    step("withdraw_notice", r["notices"][0]["public_id"])
    for hazard in r["hazards"]:
        step("unlink_hazard", hazard["public_id"])
    step("complete_step", "tracking")
    step("save_closeout", {"lessons_learned": "Encrypt laptops."})
    step("close")
    step("reopen")


STEPS = {"create": _create, "update": _update, "archive or restore": _archive_or_restore,
         "review": _review, "settings": _settings, "incident": _incident}
KINDS = ("owner", "tool", "hazard", "safeguard", "consent")


class _World:
    def __init__(self, db, register):
        self.db, self.register, self.ids = db, register, {}

    def pick(self, kind):
        return self.ids[kind][-1] if self.ids.get(kind) else None


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory):
    """One migrated, empty database file, copied for each example (migrating is the slow part)."""
    from riskreg.storage.database import open_database

    path = tmp_path_factory.mktemp("template") / "riskreg.db"
    open_database(path).close()
    return path


def _fresh(empty_database, folder):
    import shutil

    from riskreg.storage.database import open_database

    folder.mkdir(mode=0o700)
    shutil.copy(empty_database, folder / "riskreg.db")
    return open_database(folder / "riskreg.db")


_step = st.one_of(
    st.tuples(st.sampled_from(["create", "update", "archive or restore"]), st.sampled_from(KINDS)),
    st.tuples(st.just("link"), st.sampled_from(["tool", "safeguard"])),
    st.tuples(st.sampled_from(["review", "settings", "incident"]), st.none()),
)


@settings(max_examples=6, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.lists(_step, min_size=1, max_size=8))
@example(steps=[  # every path at least once, whatever the draw
    *((name, kind) for name in ("create", "update", "archive or restore", "archive or restore")
      for kind in KINDS),
    ("link", "tool"), ("link", "safeguard"), ("link", "tool"), ("review", None),
    ("settings", None), ("settings", None), ("incident", None),
])
def test_a_register_edited_through_every_service_path_verifies_and_its_export_imports_and_verifies(
    empty_database, tmp_path, steps
):
    import uuid

    from riskreg.services.register import RegisterService

    here = tmp_path / uuid.uuid4().hex
    here.mkdir()
    db = _fresh(empty_database, here / "a")
    try:
        world = _World(db, RegisterService(db, today=lambda: FIXED_TODAY))
        for kind in KINDS[:3]:
            _create(world, kind)  # something to update, link and review
        for name, kind in steps:
            (_link_or_unlink if name == "link" else STEPS[name])(world, kind)
        assert verify_database(db).ok, verify_database(db)
        path = transfer.export_json(db, here / "export.json").path
    finally:
        db.close()
    transfer.check_file(path)  # what --check says
    copy = _fresh(empty_database, here / "b")
    try:
        transfer.import_json(copy, path)
        report = verify_database(copy)
        assert report.ok, report
    finally:
        copy.close()
