"""A notice the law gives no fixed day is still owed, and counted and shown everywhere (issue 17,
finding 14; new-user run item 2): the incidents list, `riskreg incidents list`, the dashboard's
next deadline, `riskreg due` and the calendar, for open and for closed incidents alike. The
calendar puts it on the HIPAA individual notice's due date and says so in words."""

import os
import subprocess
import sys
from datetime import date

import pytest
from calendar_helpers import events
from clock import FIXED_TODAY

from riskreg.services.calendar import CalendarService, ExportOptions

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}


@pytest.fixture
def incidents(db):
    module = pytest.importorskip("riskreg.services.incidents")
    return module.IncidentService(db, today=lambda: FIXED_TODAY)


def missouri(incidents):
    """Unsecured PHI (names with diagnoses) of 3 Missouri residents: HIPAA's 60-day individual
    notice, the yearly HHS log, and Missouri's notice "without unreasonable delay" (Mo. Rev.
    Stat. 407.1500: no fixed day; medical information is personal information there). California
    was this example until SB 446 gave it 30 days from 2026-01-01."""
    r = incidents.create({"title": "Fax to the wrong number", "discovered_on": "2026-11-02"})
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "diagnosis"]}, r["revision"])
    r = incidents.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = incidents.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = incidents.save_factors(ref, {"factors": {
        key: {"rating": "high", "notes": "assessed"}
        for key in ("nature_extent", "recipient", "acquired_viewed", "mitigation")
    }}, r["revision"])
    r = incidents.save_determination(ref, {"choice": "notification_required",
                                           "rationale": "Unsecured PHI went to a stranger."},
                                     r["revision"])
    r = incidents.save_scope(ref, {"affected": 3, "residents": {"MO": 3}}, r["revision"])
    return incidents.complete_step(ref, "law_enforcement", r["revision"])


def sent(incidents, record, obligation_id):
    return incidents.record_notice_sent(record["reference"], {
        "obligation_id": obligation_id, "sent_on": "2026-11-20", "method": "mail",
        "count": 3}, record["revision"])


def closed(incidents, record):
    for step_id in ("plan", "notices", "tracking"):
        record = incidents.complete_step(record["reference"], step_id, record["revision"])
    record = incidents.save_closeout(record["reference"], {"lessons_learned": "Checked."},
                                     record["revision"])
    return incidents.close(record["reference"], record["revision"])


def test_the_plan_has_a_notice_with_no_fixed_day(incidents):
    r = missouri(incidents)
    by_id = {o["id"]: o for o in r["obligations"]}
    assert by_id["state:MO"]["due"] is None
    assert by_id["state:MO"]["latest_on"] == by_id["individuals"]["due"] == date(2027, 1, 1)


def test_an_open_incident_owing_only_a_notice_with_no_fixed_day_still_has_a_next_deadline(
        incidents):
    r = missouri(incidents)
    r = sent(incidents, r, "individuals")
    r = sent(incidents, r, "hhs")
    (row,) = incidents.list()
    nxt = row["next_deadline"]
    assert nxt is not None, "the Missouri notice is still owed"
    assert nxt["obligation"] == "state:MO" and nxt["no_fixed_day"] is True
    assert nxt["due"] == date(2027, 1, 1) and nxt["owed"] == 1


def test_a_closed_incident_counts_every_notice_still_owed(incidents):
    r = missouri(incidents)
    r = sent(incidents, r, "hhs")
    r = closed(incidents, r)
    assert r["outstanding_names"] == ["Notify affected individuals",
                                      "Missouri residents (Mo. Rev. Stat. 407.1500)"]
    (row,) = incidents.list()
    assert row["still_owed"] == 2  # was 1: the notice with no fixed day was left out
    assert row["next_deadline"]["obligation"] == "individuals"  # the fixed day first


def test_the_calendar_puts_it_on_the_individual_notice_date_and_says_so(incidents, db,
                                                                          tmp_path):
    r = closed(incidents, sent(incidents, missouri(incidents), "hhs"))
    path = tmp_path / "out.ics"
    CalendarService(db, today=lambda: FIXED_TODAY).export(path, ExportOptions(
        groups=("incidents",)))
    found = events(path)
    event = found[f"{r['public_id']}-state-MO@riskreg"]
    assert str(event["STATUS"]) == "CONFIRMED" and event.walk("VALARM")
    assert event.decoded("DTSTART") == date(2027, 1, 1)
    assert str(event["SUMMARY"]) == f"{r['reference']}: Missouri residents: as soon as possible"
    description = str(event["DESCRIPTION"])
    assert "Missouri residents: no fixed day, notify as soon as possible" in description
    assert "the individual notice's due date under HIPAA (45 CFR 164.404(b))" in description
    assert "still owed" in description


def riskreg(*args, db_path):
    env = dict(os.environ, RISKREG_TODAY=FIXED_TODAY.isoformat())
    env.pop("RISKREG_DB", None)
    return subprocess.run([sys.executable, "-m", "riskreg", "--db", str(db_path), *args],
                          check=False, capture_output=True, text=True, env=env, timeout=120)


def test_the_cli_list_and_due_show_it(incidents, db, db_path):
    r = closed(incidents, sent(incidents, missouri(incidents), "hhs"))
    db.close()
    listing = riskreg("incidents", "list", db_path=db_path)
    assert listing.returncode == 0, listing.stderr
    assert "closed, 2 notices still owed" in listing.stdout
    due = riskreg("due", "--days", "60", db_path=db_path)
    assert due.returncode == 0, due.stderr
    assert "Missouri residents: no fixed day, notify as soon as possible" in due.stdout
    assert r["reference"] in due.stdout
