"""JSON export and import: lossless round trips, bad files refused naming the place, merges that
never duplicate, an audit chain that still verifies; CSV for spreadsheets."""

import copy
import csv
import io
import json
import re
import stat
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from clock import FIXED_TODAY
from sqlalchemy import inspect
from sqlmodel import col, select

from riskreg.domain.vocabulary import TOOL_CATEGORIES
from riskreg.errors import BadInput, UserError
from riskreg.services import transfer
from riskreg.services.csv_export import export_csv, neutralize
from riskreg.services.demo import build_demo
from riskreg.services.register import RegisterService
from riskreg.services.transfer_check import FileProblems
from riskreg.storage import audit
from riskreg.storage.database import open_database
from riskreg.storage.models import AuditEvent

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


@pytest.fixture
def demo(db, register):
    build_demo(register, today=FIXED_TODAY, seed=7)
    return db


@pytest.fixture
def other(tmp_path):
    database = open_database(tmp_path / "other" / "riskreg.db")
    yield database
    database.close()


def _doc(db):
    return transfer.export_document(db, NOW)


def _write(tmp_path, document, name="export.json"):
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def _events(db):
    with db.reading() as session:
        return audit.verify(session)


def _log(doc, entity, row, action="create", changes=None):
    """Append to the file's audit log the event riskreg writes for a change made to `row` (by
    default its creation), correctly chained: a file changed by hand must say so in its log."""
    log = doc["audit_log"]
    prev = log[-1]["hash"] if log else audit.GENESIS
    seq = len(log) + 1
    if changes is None:
        changes = {k: [None, v] for k, v in row.items() if k != "public_id" and v is not None}
    text = json.dumps(changes, sort_keys=True)
    at = NOW.replace(microsecond=seq)
    payload = audit.canonical(seq, at, entity, row["public_id"], action, text)
    log.append({"seq": seq, "at": at.isoformat(), "entity": entity, "public_id": row["public_id"],
                "action": action, "changes": text, "prev_hash": prev,
                "hash": audit.chain_hash(prev, payload)})


def _rename(doc, row, public_id):
    """Give a record another public id, in its events too, and chain the log again (as a file
    from another database that made the same record under its own id would have it)."""
    old, row["public_id"] = row["public_id"], public_id
    events, doc["audit_log"] = doc["audit_log"], []
    for event in events:
        fields = json.loads(event["changes"])
        if event["public_id"] == old:
            event = {**event, "public_id": public_id}
        _log(doc, event["entity"], {"public_id": event["public_id"]}, event["action"], fields)


def _nothing_in(db):
    return not any(transfer.count_records(db).values()) and _events(db).checked == 0


# -- export ----------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_document(
    demo, other, tmp_path
):
    first = transfer.export_json(demo, tmp_path / "first.json", NOW)
    result = transfer.import_json(other, first.path)
    again = transfer.export_document(other, datetime(2027, 1, 1, tzinfo=UTC))
    original = json.loads(first.path.read_text(encoding="utf-8"))
    assert again.pop("exported_at") != original.pop("exported_at")
    assert again == original
    assert result.records_added == first.records and result.events_copied == first.events


def test_the_imported_audit_log_is_copied_verbatim_and_still_verifies_to_the_same_hash(
    demo, other, tmp_path
):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    result = transfer.import_json(other, path)
    assert result.audit.ok and result.audit.last_hash == _events(demo).last_hash
    assert _events(other).checked == _events(demo).checked


def test_the_export_names_its_format_version_schema_and_time(demo):
    from riskreg.storage.migrate import head_revision

    doc = _doc(demo)
    assert doc["format"] == "riskreg-export" and doc["version"] == 1
    assert doc["schema"] == head_revision() and doc["exported_at"] == "2026-11-26T12:00:00+00:00"


def test_every_table_of_the_schema_is_exported_the_incidents_too(demo):
    with demo.reading() as session:
        names = set(inspect(session.connection()).get_table_names())
    from riskreg.services.transfer_schema import NOT_EXPORTED

    doc = _doc(demo)
    assert set(NOT_EXPORTED) == {"alembic_version", "audit_event", "calendar_ledger"}
    assert set(doc["tables"]) == names - set(NOT_EXPORTED)
    assert {"incident", "incident_resident", "notice_sent"} <= set(doc["tables"])


def test_references_are_public_ids_and_internal_ids_never_leave(demo):
    from riskreg.services.transfer_schema import table_specs

    doc = _doc(demo)
    ids = {name: {r["public_id"] for r in rows} for name, rows in doc["tables"].items()}
    checked = 0
    for spec in table_specs():
        for row in doc["tables"][spec.name]:
            assert "id" not in row
            for field in spec.fields:
                if field.target and row[field.key] is not None:
                    assert row[field.key] in ids[field.target]
                    checked += 1
    assert checked > 200
    link = doc["tables"]["hazard_tool"][0]
    assert set(link) >= {"hazard", "tool"} and "hazard_id" not in link


def test_the_export_file_is_private(demo, tmp_path):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_empty_database_exports_and_imports(db, other, tmp_path):
    path = transfer.export_json(db, tmp_path / "empty.json", NOW).path
    result = transfer.import_json(other, path)
    assert result.records_added == 0 and result.audit.ok


def test_records_keep_their_timestamps_revisions_and_archived_state(demo, register, other, tmp_path):
    tool = register.list("tool").rows[0]
    register.update("tool", tool["public_id"], {"notes": "renewal asked"}, tool["revision"])
    register.archive("tool", tool["public_id"])
    transfer.import_json(other, transfer.export_json(demo, tmp_path / "e.json", NOW).path)
    copied = RegisterService(other, today=lambda: FIXED_TODAY).get("tool", tool["public_id"])
    original = register.get("tool", tool["public_id"])
    assert copied == original and copied["revision"] == 3 and copied["archived_at"] is not None


# -- bad files ---------------------------------------------------------------------------------


def _first(doc, table):
    return doc["tables"][table][0]


def _hazard_3_likelihood(doc):
    doc["tables"]["hazard"][3]["likelihood"] = 7


def _version_2(doc):
    doc["version"] = 2


def _not_ours(doc):
    doc["format"] = "something-else"


def _title_missing(doc):
    del _first(doc, "hazard")["title"]


def _boolean_as_text(doc):
    _first(doc, "tool")["handles_phi"] = "yes"


def _impossible_date(doc):
    _first(doc, "hazard")["next_review_on"] = "2026-02-30"


def _dangling_owner(doc):
    _first(doc, "tool")["owner"] = "00000000-0000-4000-8000-000000000000"


def _duplicate_public_id(doc):
    doc["tables"]["safeguard"][1]["public_id"] = doc["tables"]["safeguard"][0]["public_id"]


def _unknown_table(doc):
    doc["tables"]["patients"] = []


def _unknown_field(doc):
    _first(doc, "hazard")["client_name"] = "Jane"


def _score_not_the_product(doc):
    _first(doc, "hazard")["score"] = 1


def _category_not_in_catalog(doc):
    _first(doc, "tool")["category"] = "fax"


def _naive_timestamp(doc):
    _first(doc, "owner")["created_at"] = "2026-11-26T10:00:00"


def _too_long(doc):
    _first(doc, "owner")["name"] = "x" * 201


def _negative_count(doc):
    doc["tables"]["incident_resident"] = [{**_resident(doc), "count": -3}]


def _audit_event_altered(doc):
    doc["audit_log"][4]["changes"] = '{"title": [null, "changed later"]}'


def _audit_event_removed(doc):
    del doc["audit_log"][4]


def _link_twice(doc):
    links = doc["tables"]["hazard_tool"]
    twin = dict(links[0], public_id="11111111-1111-4111-8111-111111111111")
    links.append(twin)


def _resident(doc):
    incident = {
        "public_id": "22222222-2222-4222-8222-222222222222", "created_at": "2026-11-01T00:00:00+00:00",
        "updated_at": "2026-11-01T00:00:00+00:00", "revision": 1, "archived_at": None,
        "reference": "INC-2026-900", "year": 2026, "sequence": 900, "title": "Lost laptop",
        "discovered_on": "2026-11-01",
    }
    doc["tables"]["incident"].append(incident)
    _log(doc, "incident", incident)
    resident = {"public_id": "33333333-3333-4333-8333-333333333333",
                "created_at": incident["created_at"], "updated_at": incident["updated_at"],
                "revision": 1, "archived_at": None, "incident": incident["public_id"],
                "state": "CO", "count": 3}
    _log(doc, "incident_resident", resident)
    return resident


BAD = {
    "likelihood out of range": (_hazard_3_likelihood, "tables.hazard[3].likelihood: 7 is not 1-5"),
    "newer version": (_version_2, "version: 2 is newer than this riskreg reads (1)"),
    "not a riskreg export": (_not_ours, "format: not a riskreg export"),
    "missing field": (_title_missing, "tables.hazard[0].title: is required"),
    "wrong type": (_boolean_as_text, "tables.tool[0].handles_phi: 'yes' is not true or false"),
    "impossible date": (_impossible_date, "tables.hazard[0].next_review_on: '2026-02-30' is not a date"),
    "dangling reference": (_dangling_owner, ("tables.tool[0].owner: no owner with public id "
                                             "'00000000-0000-4000-8000-000000000000' in the file")),
    "duplicate public id": (_duplicate_public_id, "tables.safeguard[1]: public_id"),
    "unknown table": (_unknown_table, "tables.patients: is not a table of this riskreg"),
    "unknown field": (_unknown_field, "tables.hazard[0].client_name: is not a field of hazard"),
    "score not the product": (_score_not_the_product, "tables.hazard[0].score: 1 is not likelihood x impact"),
    "register rule": (_category_not_in_catalog, "tables.tool[0].category: The category must be one "
                      f"of: {', '.join(TOOL_CATEGORIES)} (not 'fax'); nothing was changed"),
    "timestamp without offset": (_naive_timestamp, "tables.owner[0].created_at: '2026-11-26T10:00:00' has no UTC offset"),
    "text too long": (_too_long, "tables.owner[0].name: is 201 characters long; at most 200 fit"),
    "negative count": (_negative_count, "tables.incident_resident[0].count: -3 is negative"),
    "audit event altered": (_audit_event_altered, "audit_log[4]: event 5 was altered after it was written"),
    "audit event removed": (_audit_event_removed, "audit_log[4].seq: 6 is out of sequence (expected 5)"),
    "link twice": (_link_twice, "repeats tables.hazard_tool[0]"),
}


def _without_record(message):
    """A problem's line without the record it names after its place: "tables.hazard[3].likelihood
    (hazard 1b2c...): 7 is not 1-5" reads "tables.hazard[3].likelihood: 7 is not 1-5"."""
    return re.sub(r" \([a-z ]+ (INC-\d{4}-\d+|[0-9a-f-]{36})\):", ":", message)


@pytest.mark.parametrize("spoil", list(BAD), ids=list(BAD))
def test_a_bad_file_is_refused_naming_the_place_and_nothing_is_written(
    spoil, demo, other, tmp_path
):
    doc = _doc(demo)
    change, expected = BAD[spoil]
    change(doc)
    path = _write(tmp_path, doc)
    with pytest.raises(FileProblems) as refused:
        transfer.import_json(other, path)
    message = str(refused.value)
    assert expected in _without_record(message), message
    assert message.endswith("nothing was changed") and "\n" not in message
    assert refused.value.exit_code == 2
    assert _nothing_in(other)


@pytest.mark.parametrize("content, expected", [
    (b"", "not JSON"),
    (b"{not json", "not JSON (line 1, column 2"),
    (b'{"format": "riskreg-export", "format": "x"}', "the key 'format' appears twice"),
    (b'{"version": NaN}', "NaN is not a JSON number"),
    (b"\xff\xfe\x00", "not UTF-8"),
    (b"[" * 100_000, "nested too deeply"),
    (b"[1, 2]", "not a riskreg export (the file is not a JSON object)"),
])
def test_a_file_that_is_not_an_export_at_all_is_refused_in_one_line(content, expected, other, tmp_path):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(BadInput) as refused:
        transfer.import_json(other, path)
    assert expected in str(refused.value) and "\n" not in str(refused.value)
    assert _nothing_in(other)


def test_every_problem_is_listed_not_only_the_first(demo, tmp_path):
    doc = _doc(demo)
    _hazard_3_likelihood(doc)
    _boolean_as_text(doc)
    _unknown_field(doc)
    with pytest.raises(FileProblems) as refused:
        transfer.check_file(_write(tmp_path, doc))
    assert len(refused.value.problems) == 3
    assert "(and 2 more problems)" in str(refused.value)


def test_a_missing_file_is_one_clear_line(other, tmp_path):
    with pytest.raises(BadInput, match="no file at"):
        transfer.import_json(other, tmp_path / "nowhere.json")


# -- merge -----------------------------------------------------------------------------------


def test_importing_into_a_database_with_records_is_refused_unless_merging(demo, tmp_path):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    before = transfer.count_records(demo), _events(demo).last_hash
    with pytest.raises(UserError, match="already holds records.*--merge"):
        transfer.import_json(demo, path)
    assert (transfer.count_records(demo), _events(demo).last_hash) == before


def test_merging_a_database_with_its_own_export_duplicates_nothing_and_records_nothing(
    demo, tmp_path
):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    counts, head = transfer.count_records(demo), _events(demo).last_hash
    result = transfer.import_json(demo, path, merge=True)
    assert result.records_added == 0 and result.kept == [] and result.unchanged == sum(counts.values())
    assert transfer.count_records(demo) == counts and _events(demo).last_hash == head


def test_merge_adds_the_other_practice_records_and_appends_import_events(
    demo, other, tmp_path
):
    other_register = RegisterService(other, today=lambda: FIXED_TODAY)
    mine = other_register.create("owner", {"name": "Front desk"})
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    before = _events(other).checked
    result = transfer.import_json(other, path, merge=True)
    counts = transfer.count_records(other)
    assert counts["owner"] == transfer.count_records(demo)["owner"] + 1
    assert counts["hazard_tool"] == transfer.count_records(demo)["hazard_tool"]
    assert result.audit.ok and result.audit.checked == before + result.records_added + 1
    assert other_register.get("owner", mine["public_id"])["name"] == "Front desk"
    with other.reading() as session:
        last = session.exec(select(AuditEvent).order_by(col(AuditEvent.id).desc())).first()
    summary = json.loads(last.changes)
    assert last.entity == "database" and last.action == "import"
    assert summary["source_audit_head"][1] == _events(demo).last_hash
    assert summary["added"][1] == result.records_added


def test_on_merge_the_higher_revision_wins_and_the_database_keeps_its_own_otherwise(
    demo, register, tmp_path
):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    doc = json.loads(path.read_text(encoding="utf-8"))
    newer, older = doc["tables"]["tool"][0], doc["tables"]["tool"][1]
    _log(doc, "tool", newer, "update", {"notes": [newer["notes"], "BAA renewed on paper"]})
    newer.update(notes="BAA renewed on paper", revision=newer["revision"] + 1)
    # The database changed the second tool meanwhile (revision 2); the file still has revision 1.
    register.update("tool", older["public_id"], {"notes": "changed here"}, older["revision"])
    _log(doc, "tool", older, "update", {"notes": [older["notes"], "changed in the file"]})
    older["notes"] = "changed in the file"
    result = transfer.import_json(demo, _write(tmp_path, doc, "newer.json"), merge=True)
    assert result.replaced == {"tool": 1} and result.kept == [("tool", older["public_id"])]
    assert register.get("tool", newer["public_id"])["notes"] == "BAA renewed on paper"
    assert register.get("tool", older["public_id"])["notes"] == "changed here"
    assert _events(demo).ok


def test_merge_refuses_a_record_that_clashes_with_another_in_the_database(demo, tmp_path):
    doc = _doc(demo)
    # The same hazard-tool link under another public id: it would be a duplicate.
    _rename(doc, doc["tables"]["hazard_tool"][0], "44444444-4444-4444-8444-444444444444")
    counts = transfer.count_records(demo)
    with pytest.raises(FileProblems, match=r"tables\.hazard_tool\[0\]: hazard .* is already used"):
        transfer.import_json(demo, _write(tmp_path, doc), merge=True)
    assert transfer.count_records(demo) == counts


def test_merge_refuses_an_incident_reference_used_by_another_incident(demo, tmp_path):
    doc = _doc(demo)
    resident = _resident(doc)
    doc["tables"]["incident_resident"].append(resident)
    other_doc = copy.deepcopy(doc)
    transfer.import_json(demo, _write(tmp_path, doc, "one.json"), merge=True)
    clash = other_doc["tables"]["incident"][-1]
    clash["public_id"] = "55555555-5555-4555-8555-555555555555"
    other_doc["tables"]["incident_resident"][-1].update(
        incident=clash["public_id"], public_id="66666666-6666-4666-8666-666666666666")
    del other_doc["audit_log"][-2:]  # the two records' events, logged again under their new ids
    _log(other_doc, "incident", clash)
    _log(other_doc, "incident_resident", other_doc["tables"]["incident_resident"][-1])
    with pytest.raises(FileProblems, match="reference 'INC-2026-900' is already used"):
        transfer.import_json(demo, _write(tmp_path, other_doc, "two.json"), merge=True)


def test_merge_references_may_point_at_records_already_in_the_database(demo, tmp_path):
    doc = _doc(demo)
    owner = doc["tables"]["owner"][0]["public_id"]
    fresh = {k: v for k, v in doc["tables"]["tool"][0].items()}
    fresh.update(public_id="77777777-7777-4777-8777-777777777777", name="New scribe", owner=owner)
    small = {**doc, "tables": {"tool": [fresh]}, "audit_log": []}
    _log(small, "tool", fresh)
    result = transfer.import_json(demo, _write(tmp_path, small), merge=True)
    assert result.added == {"tool": 1} and result.audit.ok


def test_merge_keeps_the_database_practice_settings(db, other, tmp_path):
    from riskreg.services.settings import SettingsService

    for database, name in ((db, "Here"), (other, "There")):
        SettingsService(database).update({"practice_name": name}, None)
        RegisterService(database).create("owner", {"name": f"{name} owner"})
    result = transfer.import_json(db, transfer.export_json(other, tmp_path / "o.json", NOW).path,
                                  merge=True)
    assert [t for t, _ in result.kept] == ["practice_settings"]
    assert transfer.count_records(db)["practice_settings"] == 1


# -- csv -------------------------------------------------------------------------------------


def _read_csv(path):
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize("what, count_kind", [
    ("hazards", "hazard"), ("tools", "tool"), ("safeguards", "safeguard"),
])
def test_csv_has_a_header_and_one_row_per_current_record(what, count_kind, demo, register, tmp_path):
    out = tmp_path / f"{what}.csv"
    n = export_csv(demo, what, out, today=lambda: FIXED_TODAY)
    rows = _read_csv(out)
    assert n == len(rows) == register.count(count_kind)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert all(len(r["public_id"]) == 36 for r in rows)


def test_hazards_csv_lists_linked_tools_and_safeguards(demo, tmp_path):
    export_csv(demo, "hazards", tmp_path / "h.csv", today=lambda: FIXED_TODAY)
    rows = _read_csv(tmp_path / "h.csv")
    assert any(r["tools"] and r["safeguards"] for r in rows)
    assert {r["level"] for r in rows} <= {"Low", "Moderate", "High", "Critical"}


def test_formula_looking_cells_are_neutralized(db, register, tmp_path):
    for title in ("=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "plain"):
        register.create("hazard", {"title": title, "likelihood": 2, "impact": 2,
                                   "target_likelihood": 1, "target_impact": 1})
    export_csv(db, "hazards", tmp_path / "h.csv", today=lambda: FIXED_TODAY)
    titles = sorted(r["title"] for r in _read_csv(tmp_path / "h.csv"))
    assert titles == ["'+1+1", "'-2", "'=HYPERLINK(\"http://x\")", "'@SUM(A1)", "plain"]
    assert neutralize("\tcmd") == "'\tcmd" and neutralize("\rx") == "'\rx"


def test_incidents_csv_has_references_and_no_descriptions(demo, tmp_path):
    doc = _doc(demo)
    doc["tables"]["incident_resident"].append(_resident(doc))
    first = doc["tables"]["incident"][0]
    _log(doc, "incident", first, "update",
         {"description": [first["description"], "details that stay in the app"]})
    first["description"] = "details that stay in the app"
    transfer.import_json(demo, _write(tmp_path, doc), merge=True)
    n = export_csv(demo, "incidents", tmp_path / "i.csv")
    rows = _read_csv(tmp_path / "i.csv")
    mine = [r for r in rows if r["reference"] == "INC-2026-900"]
    assert n == len(rows) and mine and mine[0]["residents"] == "CO 3"
    assert "details that stay" not in (tmp_path / "i.csv").read_text(encoding="utf-8-sig")
    assert "description" not in rows[0]


def test_csv_of_an_unknown_kind_is_refused(db, tmp_path):
    with pytest.raises(BadInput, match="--what: 'patients' is not one of"):
        export_csv(db, "patients", tmp_path / "x.csv")


# -- the command line ------------------------------------------------------------------------


def riskreg(*args, **kwargs):
    import os

    env = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], check=False, capture_output=True,
                          text=True, env=env, timeout=120, **kwargs)


def _one_line_error(result, code=2):
    assert result.returncode == code, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("riskreg: ") and "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
def test_cli_import_round_trip_and_refusals(tmp_path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    assert riskreg("demo", "--db", str(a)).returncode == 0
    export = tmp_path / "e.json"
    # `export json` is wired into the export command alongside `ics`.
    done = riskreg("export", "json", "--out", str(export), "--db", str(a))
    assert done.returncode == 0 and "audit events written to" in done.stdout, done.stderr
    assert stat.S_IMODE(export.stat().st_mode) == 0o600
    result = riskreg("import", "json", str(export), "--db", str(b))
    assert result.returncode == 0 and "Audit log intact" in result.stdout, result.stderr
    assert "already holds records" in _one_line_error(riskreg("import", "json", str(export),
                                                              "--db", str(b)))
    merged = riskreg("import", "json", str(export), "--merge", "--db", str(b))
    assert merged.returncode == 0 and "0 added" in merged.stdout
    doc = json.loads(export.read_text(encoding="utf-8"))
    doc["tables"]["hazard"][3]["likelihood"] = 7
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    line = _one_line_error(riskreg("import", "json", str(bad), "--db", str(tmp_path / "c.db")))
    assert "tables.hazard[3].likelihood: 7 is not 1-5" in _without_record(line)
    checked = riskreg("import", "json", str(bad), "--check")
    assert checked.returncode == 2 and checked.stdout.startswith("tables.hazard[3].likelihood")


def test_cli_import_of_a_missing_or_hostile_file_is_one_line(tmp_path):
    db = str(tmp_path / "x.db")
    assert "no file at" in _one_line_error(riskreg("import", "json", str(tmp_path / "no.json"),
                                                   "--db", db))
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x00\x01 not json")
    assert "not a riskreg export" in _one_line_error(riskreg("import", "json", str(junk), "--db", db))
    assert riskreg("import", "--db", db).returncode == 2
    # Refused: no new, empty database is left behind.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["junk.json"]


@pytest.mark.sqlite_only  # the file's bytes; on a server test_pg_moving.py counts the rows
def test_a_refused_import_into_an_existing_database_leaves_it_as_it_was(db, tmp_path):
    db.close()
    before = Path(db.path).read_bytes()
    junk = tmp_path / "junk.json"
    junk.write_text("[]", encoding="utf-8")
    assert "not a riskreg export" in _one_line_error(
        riskreg("import", "json", str(junk), "--db", str(db.path)))
    assert Path(db.path).read_bytes() == before


def test_cli_import_check_of_a_good_file(demo, tmp_path):
    path = transfer.export_json(demo, tmp_path / "e.json", NOW).path
    result = riskreg("import", "json", str(path), "--check")
    assert result.returncode == 0 and "is a valid riskreg export" in result.stdout
    assert not (tmp_path / "xdg-data").exists()  # the check needs no database and makes none


def test_cli_export_csv_and_its_bad_input(demo, tmp_path, db_url):
    out = tmp_path / "tools.csv"
    done = riskreg("export", "csv", "--what", "tools", "--out", str(out), "--db", db_url)
    assert done.returncode == 0 and done.stdout.startswith("21 tools written to")
    assert len(_read_csv(out)) == 21
    assert "--what must be one of: hazards, tools, safeguards, incidents" in _one_line_error(
        riskreg("export", "csv", "--what", "patients", "--out", str(out), "--db", db_url))
    assert "--out PATH is required" in _one_line_error(
        riskreg("export", "csv", "--what", "tools", "--db", db_url))
    assert "--out PATH is required" in _one_line_error(riskreg("export", "json", "--db",
                                                               db_url))
    assert "is a folder" in _one_line_error(
        riskreg("export", "json", "--out", str(tmp_path), "--db", db_url))


# -- the incidents ---------------------------------------------------------------------------


def test_incidents_survive_the_round_trip_with_their_answers_notices_and_plan(demo, other, tmp_path):
    from riskreg.services.incidents import IncidentService

    before = IncidentService(demo, today=lambda: FIXED_TODAY)
    refs = [r["reference"] for r in before.list()]
    if not refs:
        pytest.skip("the demo builds no incidents")
    transfer.import_json(other, transfer.export_json(demo, tmp_path / "e.json", NOW).path)
    after = IncidentService(other, today=lambda: FIXED_TODAY)
    assert [r["reference"] for r in after.list()] == refs
    for ref in refs:
        a, b = before.get(ref), after.get(ref)
        assert a == b, ref
        assert before.history(ref) == after.history(ref)


def test_an_incident_pointing_at_a_missing_tool_is_refused(demo, tmp_path):
    doc = _doc(demo)
    with_tool = [i for i in doc["tables"]["incident"] if i["ba_tool"]]
    if not with_tool:
        pytest.skip("no demo incident names a business associate")
    index = doc["tables"]["incident"].index(with_tool[0])
    with_tool[0]["ba_tool"] = "88888888-8888-4888-8888-888888888888"
    with pytest.raises(FileProblems, match=rf"tables\.incident\[{index}\]\.ba_tool: no tool"):
        transfer.check_file(_write(tmp_path, doc))
