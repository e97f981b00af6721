"""`riskreg due`: what is due in the next N days, across the register and the incidents
(finding 25), on a register with one dated thing of each kind (tests/agenda_helpers.py)."""

import json

import pytest
from agenda_helpers import EXPECTED_7, EXPECTED_30, TODAY, build_agenda_register
from cli_helpers import run_main


@pytest.fixture
def agenda_db(db, db_path, monkeypatch):
    build_agenda_register(db)
    db.close()
    monkeypatch.setenv("RISKREG_TODAY", TODAY.isoformat())
    return db_path


def due(db_path, *args):
    return run_main(["--db", str(db_path), "due", *args])


def items(db_path, *args):
    code, out, err = due(db_path, *args, "--json")
    assert (code, err) == (0, ""), err
    data = json.loads(out)
    return data, [(i["date"], i["days_left"], i["what"], i["record"]["kind"], i["record"]["name"])
                  for i in data["items"]]


def test_seven_days_by_default_overdue_first_then_by_date(agenda_db):
    data, found = items(agenda_db)
    assert found == EXPECTED_7
    assert (data["today"], data["days"], data["until"], data["overdue"]) == (
        "2026-12-02", 7, "2026-12-09", 2)
    assert [i["overdue"] for i in data["items"]] == [True, True, False, False, False]
    assert set(data["items"][0]) == {"date", "days_left", "overdue", "what", "record"}
    assert set(data["items"][0]["record"]) == {"kind", "id", "name"}


def test_thirty_days_adds_what_comes_later_and_never_an_incidents_title(agenda_db):
    data, found = items(agenda_db, "--days", "30")
    assert found == EXPECTED_30
    text = json.dumps(data)
    assert "Laptop stolen" not in text and "Jane" not in text


def test_the_ids_are_the_records_permanent_ids(agenda_db):
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    db = open_database(agenda_db)
    try:
        closed = IncidentService(db, today=lambda: TODAY).get("INC-2026-001")
    finally:
        db.close()
    data, _ = items(agenda_db)
    assert data["items"][0]["record"]["id"] == closed["public_id"]


def test_the_table_says_it_in_words(agenda_db):
    code, out, err = due(agenda_db)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "As of Wednesday 2026-12-02: 2 overdue, 3 due in the next 7 days."
    assert lines[2].split() == ["Date", "When", "What", "For"]
    assert lines[3].split("  ")[0] == "2026-11-28"
    assert "4 days late" in lines[3] and lines[3].endswith("Incident INC-2026-001")
    assert "2 days late" in lines[4] and lines[4].endswith("Hazard: Unlocked laptop")
    assert "in 2 days" in lines[5] and lines[5].endswith("Safeguard: Screen lock")
    assert "in 7 days" in lines[7] and "BAA expires" in lines[7]
    assert lines[7].endswith("Tool: AI scribe")
    assert len(lines) == 8


def test_today_only(agenda_db):
    data, found = items(agenda_db, "--days", "0")
    assert found == EXPECTED_7[:2]  # only what is overdue


def test_an_empty_register_has_nothing_due(db, db_path, monkeypatch):
    db.close()
    monkeypatch.setenv("RISKREG_TODAY", TODAY.isoformat())
    code, out, err = due(db_path)
    assert (code, out, err) == (0, "As of Wednesday 2026-12-02: Nothing is due in the next 7 "
                                   "days.\n", "")
    data, found = items(db_path)
    assert found == [] and data["overdue"] == 0


@pytest.mark.parametrize("value", ["-1", "3651", "seven", "1.5", ""])
def test_a_bad_number_of_days_is_one_line_and_exit_2(agenda_db, value):
    code, out, err = due(agenda_db, "--days", value)
    assert code == 2 and out == ""
    assert err == (f"riskreg: --days {value!r} is not a whole number of days from 0 to 3650\n")


def test_the_longest_window_is_accepted(agenda_db):
    data, found = items(agenda_db, "--days", "3650")
    assert found[: len(EXPECTED_30)] == EXPECTED_30
