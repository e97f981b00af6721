"""`incidents show` and the incident dossier, as counsel reads them: every factor says which way it
points, and no engine id, field name or raw JSON appears (issue 17, findings 5, 18, 24)."""

import json
import re
from datetime import date

import pytest
from test_incidents_cli import TODAY, make_demo, riskreg


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return make_demo(tmp_path_factory)


REFS = ("INC-2026-001", "INC-2026-002", "INC-2026-003")
ENGINE_WORDS = [
    r"\b[a-z0-9]+_[a-z0-9_]+\b",          # snake_case: field names, ids, tracks
    r"\b(state|media|regulator):[A-Z]{2}\b",
    r"\bhhs\b",                             # the id, lowercase ("HHS" is the word)
    r"^\s*individuals\s",                    # the id at the start of a table row
    r"\{\"|\[\"|\": ",                      # raw JSON
    r"state overlay",
]


def engine_words(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        found += [line.strip() for pattern in ENGINE_WORDS if re.search(pattern, line)]
    return found


def test_incidents_show_says_which_way_each_factor_points(demo_db):
    result = riskreg("incidents", "show", "INC-2026-002", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "Risk assessment: the four factors (45 CFR 164.402(2))" in result.stdout
    assert "(iv) Extent the risk has been mitigated — points to compromise: little was " \
           "mitigated" in result.stdout
    assert "rated high" not in result.stdout


def test_the_dossier_says_which_way_each_factor_points(demo_db, tmp_path):
    out = tmp_path / "dossier.md"
    result = riskreg("report", "dossier", "INC-2026-002", "--out", str(out), db=demo_db)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    # `report incident`, the command's first name, writes the same document.
    again = tmp_path / "incident.md"
    assert riskreg("report", "incident", "INC-2026-002", "--out", str(again),
                   db=demo_db).returncode == 0
    def undated(doc: str) -> list[str]:
        return [line for line in doc.splitlines() if "Generated" not in line]
    assert undated(again.read_text()) == undated(text)
    assert "Which way it points" in text
    assert "points to compromise: little was mitigated" in text


@pytest.mark.parametrize("ref", REFS)
def test_incidents_show_has_no_engine_id_or_raw_json(demo_db, ref):
    result = riskreg("incidents", "show", ref, db=demo_db)
    assert result.returncode == 0, result.stderr
    assert engine_words(result.stdout) == []


@pytest.mark.parametrize("ref", REFS)
def test_the_dossier_has_no_engine_id_or_raw_json(demo_db, tmp_path, ref):
    out = tmp_path / "dossier.md"
    result = riskreg("report", "incident", ref, "--out", str(out), db=demo_db)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    trail = text[text.index("## 8. Audit trail"):]
    assert "Types of information: " in trail and "Step: " in trail
    assert engine_words(text.replace("(#audit-trail)", "").replace("(#audit-chain)", "")) == []
    assert "1. [1." not in text and "- [1. Timeline](#timeline)" in text


def test_obligations_are_named_in_words_and_their_ids_stay_in_json(demo_db):
    text = riskreg("incidents", "show", "INC-2026-002", db=demo_db).stdout
    assert "Notify HHS (with the individual notices)" in text
    assert "Notice to Florida media" in text and "Florida residents (Fla. Stat. 501.171)" in text
    # Georgia's law (O.C.G.A. 10-1-911(6)) names no medical information: no Georgia notice.
    assert "so no Georgia notice is listed for its 80 residents" in " ".join(text.split())
    record = json.loads(riskreg("incidents", "show", "INC-2026-002", "--json", db=demo_db).stdout)
    assert {o["id"] for o in record["obligations"]} >= {"individuals", "hhs", "media:FL",
                                                        "state:FL"}


def test_a_closed_incident_still_owing_a_notice_stays_in_the_list_and_the_calendar(
        demo_db, tmp_path):
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    copy = tmp_path / "closed.db"
    copy.write_bytes(demo_db.read_bytes())
    db = open_database(copy)
    svc = IncidentService(db, today=lambda: date.fromisoformat(TODAY))
    r = svc.get("INC-2026-003")  # the yearly HHS log is still owed
    r = svc.complete_step("INC-2026-003", "tracking", r["revision"])
    svc.close("INC-2026-003", r["revision"])
    db.close()
    listing = riskreg("incidents", "list", db=copy).stdout
    line = next(x for x in listing.splitlines() if x.startswith("INC-2026-003"))
    assert "closed, 1 notice still owed" in line
    assert "Notify HHS (in the yearly log of breaches under 500) 2027-03-01" in line
    ics = tmp_path / "due.ics"
    assert riskreg("export", "ics", "--out", str(ics), db=copy).returncode == 0
    events = ics.read_text().replace("\r\n ", "").split("BEGIN:VEVENT")
    hhs = [e for e in events if "SUMMARY:INC-2026-003: Notify HHS" in e]
    assert len(hhs) == 1 and "STATUS:CONFIRMED" in hhs[0] and "BEGIN:VALARM" in hhs[0]
    assert "still owed" in hhs[0]


def test_the_hhs_portal_checklist_gives_the_location_the_register_knows(demo_db, tmp_path):
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    copy = tmp_path / "drafts.db"
    copy.write_bytes(demo_db.read_bytes())
    db = open_database(copy)
    try:
        svc = IncidentService(db, today=lambda: date.fromisoformat(TODAY))
        svc.write_drafts("INC-2026-003", tmp_path)  # linked to the misdirected-email hazard
    finally:
        db.close()
    text = (tmp_path / "INC-2026-003-hhs-portal-checklist.md").read_text()
    location = next(line for line in text.splitlines() if "Location of the information" in line)
    assert location.endswith(": Email (from the tools linked to this incident: check)")
