"""The AI and security fields of tools and the consent log's new fields (issue 23) through the
register service, the CLI (`list`, `settings`), the CSV and JSON exports, a JSON import into an
empty register, the calendar and the dashboard; bad values refused with one clear sentence and
nothing written."""

import csv
import json
from datetime import UTC, date, datetime

import pytest
from calendar_helpers import events
from cli_helpers import run_main
from clock import FIXED_TODAY

from riskreg.errors import ValidationError
from riskreg.services import transfer
from riskreg.services.calendar import CalendarService, ExportOptions
from riskreg.services.csv_export import export_csv
from riskreg.services.dashboard import build_dashboard
from riskreg.services.register import RegisterService
from riskreg.services.settings import SettingsService
from riskreg.storage.database import open_database

SCRIBE = {
    "name": "Session Scribe", "vendor": "Scribe Co", "category": "ai_scribe",
    "baa_status": "signed", "baa_signed_on": "2026-01-10", "baa_expires_on": "2027-06-30",
    "ai_use": "supplementary", "records_sessions": True, "detects_emotions": True,
    "clinical_decisions": False, "clinician_reviews_output": True, "mfa_enabled": True,
    "encrypted_at_rest": True, "encrypted_in_transit": False, "restore_priority": "high",
    "restore_target_hours": "72", "ba_verification_received_on": "2026-02-01",
}
EMOTIONS = ("Illinois (225 ILCS 155/20(b)(4)) forbids: AI may not detect emotions or mental "
            "states (verify with counsel)")


def _illinois(db):
    SettingsService(db, today=lambda: FIXED_TODAY).update({"home_state": "IL"}, None)


def _consent(register, tool, **more):
    return register.create("consent", {"client_code": "C-0042", "tool": tool["public_id"],
                                       "disclosed_on": "2026-03-02", "decision": "consented",
                                       **more})


def test_a_tool_keeps_every_new_answer_and_its_verification_falls_due_a_year_on(register):
    tool = register.create("tool", SCRIBE)
    got = register.get("tool", tool["public_id"])
    assert (got["ai_use"], got["records_sessions"], got["detects_emotions"],
            got["clinical_decisions"], got["clinician_reviews_output"]) == (
        "supplementary", True, True, False, True)
    assert (got["mfa_enabled"], got["encrypted_at_rest"], got["encrypted_in_transit"]) == (
        True, True, False)
    assert (got["restore_priority"], got["restore_target_hours"]) == (1, 72)
    assert got["ba_verification_received_on"] == date(2026, 2, 1)
    assert got["ba_verification_due_on"] == date(2027, 2, 1)
    # No home state: no state's rule applies.
    assert got["ai_flags"] == []


@pytest.mark.parametrize(("field", "value", "problem"), [
    ("restore_priority", "urgent", "The restore priority must be 1, 2 or 3"),
    ("restore_target_hours", "3 days", "The restore target must be whole hours"),
    ("restore_target_hours", "0", "The restore target must be whole hours"),
    ("ai_use", "magic", "How the tool uses AI must be one of"),
    ("ba_verification_due_on", "2026-01-01", "The next verification must be due after"),
])
def test_a_bad_tool_value_is_one_sentence_and_nothing_is_written(register, field, value, problem):
    with pytest.raises(ValidationError) as caught:
        register.create("tool", {**SCRIBE, field: value})
    assert caught.value.field == field
    assert caught.value.problem.startswith(problem)
    assert "\n" not in caught.value.problem
    assert register.count("tool") == 0


def test_a_consent_keeps_its_new_fields_and_refuses_a_state_that_is_not_one(register):
    tool = register.create("tool", SCRIBE)
    consent = _consent(register, tool, purpose_disclosed="drafts progress notes from audio",
                       consent_method="electronic", sessions_recorded=True, client_state="il",
                       revoked_on="2026-09-01")
    assert (consent["purpose_disclosed"], consent["consent_method"], consent["sessions_recorded"],
            consent["client_state"], consent["revoked_on"]) == (
        "drafts progress notes from audio", "electronic", True, "IL", date(2026, 9, 1))
    with pytest.raises(ValidationError) as caught:
        _consent(register, tool, client_state="Illinois")
    assert caught.value.field == "client_state"
    assert "2-letter USPS code" in caught.value.problem
    with pytest.raises(ValidationError) as caught:
        _consent(register, tool, revoked_on="2026-01-01")
    assert caught.value.field == "revoked_on"
    assert register.count("consent") == 1


def test_an_illinois_practice_sees_the_flags_on_the_tool_the_consent_and_the_dashboard(
        db, register):
    tool = register.create("tool", SCRIBE)
    consent = _consent(register, tool, consent_method="verbal")
    assert register.get("tool", tool["public_id"])["ai_flags"] == []
    _illinois(db)
    assert register.get("tool", tool["public_id"])["ai_flags"] == [EMOTIONS]
    consent_flags = register.get("consent", consent["public_id"])["ai_flags"]
    assert [f.split(" requires: ")[0] for f in consent_flags] == [
        "Illinois (225 ILCS 155/15(b), 155/10)", "Illinois (225 ILCS 155/15(b)(1))"]
    board = build_dashboard(db, FIXED_TODAY)
    assert board.ai_flags.total == 3
    assert [(i.kind, i.title, i.tag) for i in board.ai_flags.items] == [
        ("tool", "Session Scribe", "IL bars"), ("consent", "C-0042", "IL missing"),
        ("consent", "C-0042", "IL missing")]
    assert board.need_action == 3
    # Answered as the Act asks: the consent's flags go; the tool's stays until it changes.
    register.update("consent", consent["public_id"],
                    {"consent_method": "written", "purpose_disclosed": "notes from audio"},
                    consent["revision"])
    assert build_dashboard(db, FIXED_TODAY).ai_flags.total == 1
    fresh = register.get("tool", tool["public_id"])
    register.update("tool", tool["public_id"], {"detects_emotions": False}, fresh["revision"])
    assert build_dashboard(db, FIXED_TODAY).ai_flags.total == 0


def test_the_cli_lists_the_fields_and_the_flags(db, db_path, register):
    tool = register.create("tool", SCRIBE)
    _illinois(db)
    db.close()
    code, out, err = run_main(["list", "tools", "--json", "--db", str(db_path)])
    assert (code, err) == (0, "")
    row = json.loads(out)[0]
    assert (row["ai_use"], row["restore_priority"], row["ba_verification_due_on"]) == (
        "supplementary", 1, "2027-02-01")
    assert row["ai_flags"] == [EMOTIONS]
    code, out, _ = run_main(["list", "tools", "--db", str(db_path)])
    assert code == 0
    assert "AI rules (verify with counsel):" in out
    assert f"{tool['public_id'][:8]}  Session Scribe: {EMOTIONS}" in out


def test_the_settings_take_federal_assistance_and_part2_as_yes_or_no(db, db_path):
    db.close()
    code, out, _ = run_main(["settings", "--federal-assistance", "yes", "--db", str(db_path)])
    assert code == 0
    assert "Changed receives federal financial assistance: no -> yes" in out
    code, _, err = run_main(["settings", "--part2-records", "perhaps", "--db", str(db_path)])
    assert code == 2
    assert err.strip().endswith("must be yes or no. Nothing was changed.")
    code, out, _ = run_main(["settings", "--json", "--db", str(db_path)])
    assert (json.loads(out)["federal_assistance"], json.loads(out)["part2_records"]) == (True, False)


def test_section_1557_flags_a_decision_support_tool_once_the_practice_says_it_is_assisted(
        db, register):
    tool = register.create("tool", {**SCRIBE, "clinical_decisions": True, "detects_emotions": False})
    assert register.get("tool", tool["public_id"])["ai_flags"] == []
    SettingsService(db, today=lambda: FIXED_TODAY).update({"federal_assistance": "yes"}, None)
    (flag,) = register.get("tool", tool["public_id"])["ai_flags"]
    assert flag.startswith("Federal (45 CFR 92.210(b)-(c)) asks you to check: a patient care "
                           "decision support tool")


def test_csv_and_a_json_round_trip_keep_every_new_field(db, register, tmp_path):
    tool = register.create("tool", SCRIBE)
    consent = _consent(register, tool, purpose_disclosed="notes", consent_method="written",
                       sessions_recorded=True, client_state="TX")
    SettingsService(db, today=lambda: FIXED_TODAY).update({"part2_records": True}, None)
    export_csv(db, "tools", tmp_path / "tools.csv", today=lambda: FIXED_TODAY)
    with (tmp_path / "tools.csv").open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["ai_use"], row["records_sessions"], row["encrypted_in_transit"],
            row["restore_priority"], row["restore_target_hours"],
            row["ba_verification_due_on"]) == ("supplementary", "yes", "no", "1", "72",
                                               "2027-02-01")
    now = datetime(2026, 11, 26, 12, tzinfo=UTC)
    first = transfer.export_json(db, tmp_path / "export.json", now)
    doc = json.loads(first.path.read_text(encoding="utf-8"))
    (exported,) = doc["tables"]["tool"]
    assert exported["detects_emotions"] is True and exported["restore_target_hours"] == 72
    other = open_database(tmp_path / "other" / "riskreg.db")
    try:
        transfer.import_json(other, first.path)
        again = transfer.export_document(other, now)
        assert again["tables"] == doc["tables"]
        copy = RegisterService(other, today=lambda: FIXED_TODAY)
        back = copy.get("consent", consent["public_id"])
        assert (back["client_state"], back["consent_method"], back["sessions_recorded"]) == (
            "TX", "written", True)
        assert copy.get("tool", tool["public_id"])["ba_verification_received_on"] == date(2026, 2, 1)
        assert again["tables"]["practice_settings"][0]["part2_records"] is True
    finally:
        other.close()


def test_the_yearly_ba_verification_is_a_calendar_event(register, db, tmp_path):
    tool = register.create("tool", SCRIBE)
    path = tmp_path / "out.ics"
    CalendarService(db, today=lambda: FIXED_TODAY).export(path, ExportOptions())
    found = events(path)
    event = found[f"{tool['public_id']}-ba-verification@riskreg"]
    assert event["DTSTART"].dt == date(2027, 2, 1)
    assert "BA verification due" in str(event["SUMMARY"])
    assert "proposed Security Rule" in str(event["DESCRIPTION"])
    assert "C-0042" not in path.read_text(encoding="utf-8")


def test_riskreg_due_lists_the_ba_verification(db, db_path, register):
    tool = register.create("tool", {**SCRIBE, "ba_verification_received_on": "2025-12-01"})
    db.close()
    code, out, err = run_main(["due", "--days", "30", "--json", "--db", str(db_path)])
    assert (code, err) == (0, "")
    items = [i for i in json.loads(out)["items"] if i["record"]["id"] == tool["public_id"]]
    assert [(i["date"], i["what"]) for i in items] == [("2026-12-01", "BA verification due")]


def test_the_app_first_page_reads_the_same_ai_flags_as_the_services(db, register):
    from riskreg.services.register import ListQuery
    from riskreg.storage.first_page import read_first_page

    tool = register.create("tool", SCRIBE)
    register.create("tool", {"name": "Plain EHR", "category": "ehr"})
    _consent(register, tool, consent_method="verbal", client_state="TX")
    register.create("consent", {"client_code": "C-9", "disclosed_on": "2026-03-02",
                                "sessions_recorded": True, "decision": "consented"})
    SettingsService(db, today=lambda: FIXED_TODAY).update(
        {"home_state": "IL", "federal_assistance": True}, None)
    for kind in ("tool", "consent"):
        page = read_first_page(db.path, kind, FIXED_TODAY, 50)
        assert page == register.list(kind, ListQuery(limit=50, count=False)).rows, kind
        assert any(r["ai_flags"] for r in page), kind
