"""`riskreg export ics` as a user runs it: a subprocess on a demo database, and bad input."""

import os
import stat
import subprocess
import sys
from datetime import date

import pytest
from calendar_helpers import alarm_triggers, check_all_day, check_lines, events, parse

TODAY = "2026-11-26"


def riskreg(*args, today=TODAY):
    env = dict(os.environ, RISKREG_TODAY=today)
    return subprocess.run(
        [sys.executable, "-m", "riskreg", *args],
        check=False, capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = riskreg("demo", "--db", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_export_writes_the_file_and_says_how_many_events(demo_db, tmp_path):
    out = tmp_path / "deadlines.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out))
    assert result.returncode == 0, result.stderr
    found = events(out)
    assert result.stdout == f"{len(found)} events written to {out}\n"
    assert result.stderr == ""
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    check_lines(raw)
    assert "METHOD" not in parse(raw)
    for event in found.values():
        check_all_day(event)


def test_two_exports_of_the_same_data_are_byte_identical(demo_db, tmp_path):
    paths = [tmp_path / "a.ics", tmp_path / "b.ics"]
    for path in paths:
        result = riskreg("export", "ics", "--db", str(demo_db), "--out", str(path),
                         "--reminder-events")
        assert result.returncode == 0, result.stderr
    assert paths[0].read_bytes() == paths[1].read_bytes()


def test_only_alarms_and_reminder_events(demo_db, tmp_path):
    out = tmp_path / "baa.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out),
                     "--only", "baa", "--alarms", "30", "--reminder-events")
    assert result.returncode == 0, result.stderr
    found = events(out)
    assert found and all("-baa-expiry" in uid for uid in found)
    for uid, event in found.items():
        upcoming = check_all_day(event) >= date.fromisoformat(TODAY)
        if "-reminder-" in uid:
            assert uid.endswith("-reminder-30d@riskreg") and not event.walk("VALARM")
        elif upcoming and str(event["STATUS"]) == "CONFIRMED":
            # The 30-day alarm only while its day is still to come (findings D6).
            left = (check_all_day(event) - date.fromisoformat(TODAY)).days
            assert [t.days for t in alarm_triggers(event)] == ([-30] if left >= 30 else [])
    none = tmp_path / "none.ics"
    assert riskreg("--db", str(demo_db), "export", "ics", "--out", str(none),
                   "--alarms", "none").returncode == 0
    assert b"BEGIN:VALARM" not in none.read_bytes()


def test_one_incident_and_details_with_a_warning(demo_db, tmp_path):
    out = tmp_path / "inc.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out),
                     "--incident", "inc-2026-002")
    assert result.returncode == 0, result.stderr
    summaries = [str(e["SUMMARY"]) for e in events(out).values()]
    assert summaries and all("INC-2026-002: " in s for s in summaries)
    assert not [s for s in summaries if " - " in s]  # no title without --details
    detailed = tmp_path / "details.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(detailed),
                     "--incident", "INC-2026-002", "--details")
    assert result.returncode == 0
    assert "warning" in result.stderr and "title" in result.stderr
    found = events(detailed).values()
    assert any(" - " in str(e["SUMMARY"]) for e in found)  # where the title's first word fits
    assert all(" Incident: " in str(e["DESCRIPTION"]) for e in found)


@pytest.mark.parametrize(("args", "words"), [
    (["export"], "choose what to export: ics"),
    (["export", "ics", "--out", " "], "--out PATH is empty"),
    (["export", "vdir"], "--out DIR is required"),
    (["export", "ics", "--incident", "INC-2026-001"], "the feed holds the whole practice"),
    (["export", "ics", "--out", "x.ics", "--only", "reviews,tasks"], "'tasks' is not one of"),
    (["export", "ics", "--out", "x.ics", "--alarms", "7,soon"], "not a whole number"),
    (["export", "ics", "--out", "x.ics", "--alarms", "7,7"], "twice"),
    (["export", "ics", "--out", "x.ics", "--incident", "INC-2026-001", "--only", "baa"],
     "needs 'incidents'"),
])
def test_bad_flags_exit_2_with_one_line(demo_db, tmp_path, args, words):
    result = riskreg("--db", str(demo_db), *args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and words in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.ics").exists()


def test_an_unknown_incident_is_one_line_and_no_file(demo_db, tmp_path):
    out = tmp_path / "x.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out),
                     "--incident", "INC-2099-001")
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1 and "INC-2099-001" in result.stderr
    assert not out.exists()


def test_an_unwritable_path_is_one_line_and_no_file(demo_db, tmp_path):
    out = tmp_path / "missing" / "x.ics"
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(out))
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"riskreg: cannot write {out}: folder {out.parent} does not exist"
    )
    assert not out.parent.exists()
    result = riskreg("--db", str(demo_db), "export", "ics", "--out", str(tmp_path))
    assert result.returncode == 2 and "is a folder" in result.stderr
    assert list(tmp_path.glob("*.ics")) == [] and list(tmp_path.glob(".*.tmp")) == []


def test_export_is_listed_in_help():
    result = riskreg("--help")
    assert "export" in result.stdout
    result = riskreg("export", "ics", "--help")
    assert result.returncode == 0 and "--reminder-events" in result.stdout
