"""The practice settings: validated, audited, revision-checked writes (the service), and
`riskreg settings` as a user runs it, with what the report and the calendar make of them."""

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from calendar_helpers import check_all_day, events
from clock import FIXED_TODAY

from riskreg.errors import ConflictError, ValidationError
from riskreg.storage import audit


@pytest.fixture
def settings(db):
    from riskreg.services.settings import SettingsService

    return SettingsService(db, today=lambda: FIXED_TODAY)


def audit_events(db, entity="practice_settings"):
    from sqlmodel import col, select

    from riskreg.storage.models import AuditEvent

    with db.reading() as session:
        return [(e.action, json.loads(e.changes)) for e in session.exec(
            select(AuditEvent).where(AuditEvent.entity == entity).order_by(col(AuditEvent.id)))]


def test_before_anything_is_saved_the_defaults_apply(settings):
    got = settings.get()
    assert got["practice_name"] == "" and got["internal_target_days"] == 15
    assert got["alarm_days"] == "14,7,1" and got["risk_analysis_cadence_months"] == 12
    assert got["risk_analysis_reviewed_on"] is None and got["next_risk_analysis_review_on"] is None
    assert got["revision"] == 0 and got["public_id"] is None


def test_saving_writes_one_row_and_an_audit_event_per_change(settings, db):
    saved = settings.update({"practice_name": "  Rivera Counseling ", "home_state": "ca",
                             "alarm_days": "30, 7", "risk_analysis_reviewed_on": "2026-03-31"}, 0)
    assert saved.settings["practice_name"] == "Rivera Counseling"
    assert saved.settings["home_state"] == "CA" and saved.settings["alarm_days"] == "30,7"
    assert saved.settings["next_risk_analysis_review_on"] == date(2027, 3, 31)
    assert saved.settings["revision"] == 1
    assert set(saved.changed) == {"practice_name", "home_state", "alarm_days",
                                  "risk_analysis_reviewed_on"}

    again = settings.update({"practitioner": "Dr. Sam Rivera", "alarm_days": "none"}, 1)
    assert again.changed == {"practitioner": ["", "Dr. Sam Rivera"], "alarm_days": ["30,7", "none"]}
    assert again.settings["revision"] == 2
    assert again.settings["public_id"] == saved.settings["public_id"]
    assert settings.get()["practitioner"] == "Dr. Sam Rivera"

    (created, updated) = audit_events(db)
    assert created[0] == "create" and created[1]["practice_name"] == [None, "Rivera Counseling"]
    assert updated == ("update", again.changed)
    with db.reading() as session:
        assert audit.verify(session).ok


def test_saving_the_same_values_writes_nothing(settings, db):
    settings.update({"practice_name": "Rivera Counseling"}, 0)
    unchanged = settings.update({"practice_name": "Rivera Counseling", "internal_target_days": "15"}, 1)
    assert unchanged.changed == {} and unchanged.settings["revision"] == 1
    assert len(audit_events(db)) == 1


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"practice_name": "Rivera\nCounseling"}, "practice_name", "one line"),
        ({"practitioner": "Dr. \x1b[31mRivera"}, "practitioner", "control character (U+001B)"),
        ({"practice_name": "x" * 201}, "practice_name", "at most 200"),
        ({"home_state": "XX"}, "home_state", "2-letter USPS code"),
        ({"home_state": "California"}, "home_state", "2-letter USPS code"),
        ({"internal_target_days": "60"}, "internal_target_days", "between 0 and 59"),
        ({"internal_target_days": -1}, "internal_target_days", "between 0 and 59"),
        ({"internal_target_days": "1.5"}, "internal_target_days", "whole number"),
        ({"alarm_days": "14,x"}, "alarm_days", "not a whole number of days"),
        ({"alarm_days": "7,7"}, "alarm_days", "given twice"),
        ({"risk_analysis_reviewed_on": "2026-02-30"}, "risk_analysis_reviewed_on", "not a date"),
        ({"risk_analysis_reviewed_on": "11/01/2026"}, "risk_analysis_reviewed_on", "YYYY-MM-DD"),
        ({"risk_analysis_reviewed_on": "2026-11-27"}, "risk_analysis_reviewed_on", "future"),
        ({"risk_analysis_cadence_months": 0}, "risk_analysis_cadence_months", "between 1 and 36"),
        ({"risk_analysis_cadence_months": 37}, "risk_analysis_cadence_months", "between 1 and 36"),
    ],
)
def test_a_bad_value_names_its_field_and_nothing_is_written(settings, db, change, field, words):
    settings.update({"practice_name": "Rivera Counseling"}, 0)
    with pytest.raises(ValidationError) as error:
        settings.update({"practitioner": "Dr. Sam Rivera", **change}, 1)
    assert error.value.field == field and words in error.value.problem
    after = settings.get()
    assert after["revision"] == 1 and after["practitioner"] == ""
    assert len(audit_events(db)) == 1


def test_today_is_a_valid_review_date_and_blank_clears_it(settings):
    settings.update({"risk_analysis_reviewed_on": FIXED_TODAY.isoformat()}, 0)
    assert settings.get()["next_risk_analysis_review_on"] == date(2027, 11, 26)
    settings.update({"risk_analysis_reviewed_on": ""}, 1)
    assert settings.get()["risk_analysis_reviewed_on"] is None


def test_two_windows_cannot_silently_overwrite_each_other(settings, db):
    first_window = settings.get()
    second_window = settings.get()
    settings.update({"practice_name": "Rivera Counseling"}, first_window["revision"])
    with pytest.raises(ConflictError, match="changed elsewhere"):
        settings.update({"practice_name": "Other name"}, second_window["revision"])
    assert settings.get()["practice_name"] == "Rivera Counseling"
    from sqlmodel import select

    from riskreg.storage.models import PracticeSettings

    with db.reading() as session:
        assert len(session.exec(select(PracticeSettings)).all()) == 1


def test_the_settings_reach_the_report_the_incident_plan_and_the_calendar(settings, db, tmp_path):
    from riskreg.services.calendar import CalendarService, ExportOptions
    from riskreg.services.reports import write_risk_analysis

    saved = settings.update({"practice_name": "Rivera Counseling", "alarm_days": "3",
                             "risk_analysis_reviewed_on": "2026-01-31",
                             "risk_analysis_cadence_months": "1"}, 0).settings
    md = write_risk_analysis(db, tmp_path / "ra.md", FIXED_TODAY).read_text("utf-8")
    assert md.startswith("# HIPAA risk analysis — Rivera Counseling")
    out = tmp_path / "cal.ics"
    CalendarService(db, today=lambda: FIXED_TODAY).export(out, ExportOptions())
    review = events(out)[f"{saved['public_id']}-risk-analysis@riskreg"]
    assert check_all_day(review) == date(2026, 2, 28)  # Jan 31 + 1 month, clamped


# -- the command ---------------------------------------------------------------------------------


def riskreg(*args):
    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env=env, timeout=120)


def new_register(tmp_path) -> str:
    """An empty register made as a user makes one (settings never creates a database)."""
    db = str(tmp_path / "p.db")
    assert riskreg("init", "--db", db).returncode == 0
    return db


def test_the_command_shows_sets_and_shows_again(tmp_path):
    db = new_register(tmp_path)
    shown = riskreg("settings", "--db", db)
    assert shown.returncode == 0, shown.stderr
    assert "Practice name" in shown.stdout and "(not set)" in shown.stdout
    assert "(defaults: nothing saved yet)" in shown.stdout

    done = riskreg("settings", "--db", db, "--practice-name", "Rivera Counseling",
                   "--practitioner", "Dr. Sam Rivera", "--home-state", "CA",
                   "--internal-target-days", "10", "--alarms", "14,7,1",
                   "--risk-analysis-reviewed", "2026-11-01", "--risk-analysis-cadence", "6")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "Changed practice name: (not set) -> Rivera Counseling",
        "Changed practitioner: (not set) -> Dr. Sam Rivera",
        "Changed home state: (not set) -> CA",
        "Changed internal target (days before due): 15 -> 10",
        "Changed risk analysis last reviewed: (not set) -> 2026-11-01",
        "Changed risk analysis cadence (months): 12 -> 6",
    ]
    as_json = json.loads(riskreg("settings", "--json", "--db", db).stdout)
    assert as_json["practice_name"] == "Rivera Counseling" and as_json["home_state"] == "CA"
    assert as_json["internal_target_days"] == 10 and as_json["alarm_days"] == "14,7,1"
    assert as_json["risk_analysis_reviewed_on"] == "2026-11-01"
    assert as_json["next_risk_analysis_review_on"] == "2027-05-01"
    assert as_json["revision"] == 1
    text = riskreg("settings", "--db", db).stdout
    assert "Rivera Counseling" in text and "2026-11-01 (next review due 2027-05-01)" in text

    only_one = riskreg("settings", "--db", db, "--practitioner", "")
    assert only_one.stdout == "Changed practitioner: Dr. Sam Rivera -> (not set)\n"
    again = json.loads(riskreg("settings", "--json", "--db", db).stdout)
    assert again["practitioner"] == "" and again["practice_name"] == "Rivera Counseling"


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (("--home-state", "ZZ"), "--home-state"),
        (("--internal-target-days", "60"), "--internal-target-days"),
        (("--alarms", "two weeks"), "--alarms"),
        (("--risk-analysis-reviewed", "2026-11-27"), "--risk-analysis-reviewed"),
        (("--risk-analysis-reviewed", "2026-02-30"), "--risk-analysis-reviewed"),
        (("--risk-analysis-cadence", "0"), "--risk-analysis-cadence"),
        (("--practice-name", "Rivera\tCounseling"), "--practice-name"),
    ],
)
def test_a_bad_value_is_one_line_exit_2_and_nothing_changes(tmp_path, args, flag):
    db = new_register(tmp_path)
    assert riskreg("settings", "--db", db, "--practice-name", "Rivera Counseling").returncode == 0
    before = riskreg("settings", "--json", "--db", db).stdout
    bad = riskreg("settings", "--db", db, "--practitioner", "Dr. Sam Rivera", *args)
    assert bad.returncode == 2
    assert bad.stdout == ""
    lines = bad.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"riskreg: {flag}: ")
    assert "Nothing was changed." in lines[0]
    assert riskreg("settings", "--json", "--db", db).stdout == before


def test_the_report_names_the_practice_once_it_is_set(tmp_path):
    db = new_register(tmp_path)
    out = tmp_path / "ra.md"
    assert riskreg("init", "--starter", "--db", db).returncode == 0
    assert riskreg("report", "risk-analysis", "--out", str(out), "--db", db).returncode == 0
    assert "(practice name not set)" in out.read_text("utf-8")
    assert riskreg("settings", "--db", db, "--practice-name", "Rivera Counseling",
                   "--practitioner", "Dr. Sam Rivera").returncode == 0
    made = riskreg("report", "risk-analysis", "--out", str(out), "--db", db)
    assert made.returncode == 0, made.stderr
    text = out.read_text("utf-8")
    assert text.startswith("# HIPAA risk analysis — Rivera Counseling")
    assert "Dr. Sam Rivera" in text and "(practice name not set)" not in text


def test_the_calendar_gets_the_yearly_review_once_the_last_one_is_recorded(tmp_path):
    db = new_register(tmp_path)
    out = tmp_path / "cal.ics"
    assert riskreg("init", "--db", db).returncode == 0
    assert riskreg("export", "ics", "--out", str(out), "--db", db).returncode == 0
    assert not [e for e in events(out).values()
                if str(e["SUMMARY"]).startswith("Risk analysis review")]

    assert riskreg("settings", "--db", db, "--risk-analysis-reviewed", "2026-11-01",
                   "--alarms", "30").returncode == 0
    assert riskreg("export", "ics", "--out", str(out), "--db", db).returncode == 0
    public_id = json.loads(riskreg("settings", "--json", "--db", db).stdout)["public_id"]
    review = events(out)[f"{public_id}-risk-analysis@riskreg"]
    assert str(review["SUMMARY"]) == "Risk analysis review (whole register)"
    assert check_all_day(review) == date(2027, 11, 1)
    assert [a["TRIGGER"].dt.days for a in review.walk("VALARM")] == [-30]
