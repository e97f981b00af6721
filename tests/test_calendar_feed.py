"""The practice's feed (issue 20): `riskreg export ics` without --out writes one fixed file
beside the database (the user data folder for the default one), `--where` prints it; the file
asks subscribers to refresh hourly; and RFC 5545's details on the output side (findings D4-D6):
no raw control character in any TEXT value, no METHOD, no alarm whose day has passed, none on
cancelled events. The CLI runs in subprocesses; every file is parsed back with icalendar."""

import os
import re
import stat
import subprocess
import sys
from datetime import date, timedelta

import pytest
from calendar_helpers import alarm_triggers, check_all_day, check_lines, events, parse

TODAY = "2026-12-02"


def riskreg(*args, env=None, today=TODAY):
    env = dict(env or os.environ, RISKREG_TODAY=today)
    return subprocess.run([sys.executable, "-m", "riskreg", *args], check=False,
                          capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def home(tmp_path):
    """An environment whose default database lives in tmp_path's user data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RISKREG_")}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")
    env["XDG_CONFIG_HOME"] = str(tmp_path / "config")
    assert riskreg("demo", env=env).returncode == 0
    return env


def test_where_names_the_feed_beside_the_default_database_and_writes_nothing(home, tmp_path):
    feed = tmp_path / "data" / "riskreg" / "riskreg-feed.ics"
    result = riskreg("export", "ics", "--where", env=home)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{feed}\n" and result.stderr == ""
    assert not feed.exists()
    written = riskreg("export", "ics", env=home)
    assert written.returncode == 0, written.stderr
    assert written.stdout.endswith(f" events written to {feed}\n")
    assert stat.S_IMODE(feed.stat().st_mode) == 0o600
    raw = feed.read_bytes()
    check_lines(raw)
    cal = parse(raw)
    assert cal["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n" in raw
    assert b"\r\nX-PUBLISHED-TTL:PT1H\r\n" in raw
    assert "METHOD" not in cal
    assert len(events(raw)) > 50
    # The same register, exported again: the same bytes at the same path.
    assert riskreg("export", "ics", env=home).returncode == 0
    assert feed.read_bytes() == raw


def test_another_database_has_its_own_feed_and_out_still_works(tmp_path):
    db = tmp_path / "practice" / "clinic.db"
    assert riskreg("demo", "--db", str(db)).returncode == 0
    where = riskreg("--db", str(db), "export", "ics", "--where")
    assert where.stdout == f"{db.parent / 'clinic-feed.ics'}\n"
    out = tmp_path / "elsewhere.ics"
    result = riskreg("--db", str(db), "export", "ics", "--out", str(out), "--only", "baa")
    assert result.returncode == 0, result.stderr
    assert all("-baa-expiry" in uid for uid in events(out))
    assert not (db.parent / "clinic-feed.ics").exists()
    refused = riskreg("--db", str(db), "export", "ics", "--out", str(db))
    assert refused.returncode == 2 and "is the database itself" in refused.stderr


def test_a_moved_date_reaches_the_feed_with_a_higher_sequence(tmp_path):
    db = tmp_path / "riskreg.db"
    assert riskreg("demo", "--db", str(db)).returncode == 0
    feed = tmp_path / "riskreg-feed.ics"
    assert riskreg("--db", str(db), "export", "ics").returncode == 0
    before = events(feed)
    from riskreg.services.register import RegisterService
    from riskreg.storage.database import open_database

    database = open_database(db)
    try:
        register = RegisterService(database, today=lambda: date.fromisoformat(TODAY))
        hazard = next(h for h in register.list("hazard").rows if h.get("next_review_on"))
        register.update("hazard", hazard["public_id"], {"next_review_on": "2027-05-03"},
                        hazard["revision"])
    finally:
        database.close()
    assert riskreg("--db", str(db), "export", "ics").returncode == 0
    after = events(feed)
    uid = f"{hazard['public_id']}-review@riskreg"
    assert check_all_day(after[uid]) == date(2027, 5, 3)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert after[uid]["DTSTAMP"].dt > before[uid]["DTSTAMP"].dt
    assert after.keys() == before.keys()


def test_no_control_character_no_passed_alarm_and_silent_cancellations(tmp_path):
    """A name holding BEL, ESC and a CR (stored by an older version, or an edit of the file)
    comes out visible and escaped; TAB is the one control TEXT allows (RFC 5545 3.3.11)."""
    import sqlite3

    db = tmp_path / "riskreg.db"
    assert riskreg("demo", "--db", str(db)).returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE hazard SET title = 'Bell\x07 and escape\x1b[31m red\rend' "
                     "WHERE next_review_on IS NOT NULL AND id = (SELECT min(id) FROM hazard "
                     "WHERE next_review_on IS NOT NULL)")
        conn.execute("UPDATE tool SET name = 'Tab\tand\x7fdel\x85nel' WHERE baa_expires_on "
                     "IS NOT NULL")
    conn.close()
    out = tmp_path / "all.ics"
    result = riskreg("--db", str(db), "export", "ics", "--out", str(out), "--reminder-events")
    assert result.returncode == 0, result.stderr
    raw = out.read_bytes()
    check_lines(raw)
    text = raw.decode("utf-8").replace("\r\n", "")
    assert not re.search("[\x00-\x08\x0a-\x1f\x7f-\x9f]", text)
    assert "Bell\\\\x07 and escape\\\\x1b[31m red\\\\rend" in text.replace("\r\n ", "")
    today = date.fromisoformat(TODAY)
    found = events(raw)
    assert any("Bell" in str(e["SUMMARY"]) for e in found.values())
    with_alarms = 0
    for event in found.values():
        day = check_all_day(event)
        triggers = alarm_triggers(event)
        if str(event["STATUS"]) == "CANCELLED" or day < today:
            assert triggers == [], event["UID"]
        for trigger in triggers:
            with_alarms += 1
            # Each alarm rings at 09:00 on a day that has not passed.
            assert (day + timedelta(days=trigger.days)) >= today, (event["UID"], trigger)
    assert with_alarms > 0
