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
    r"(?<![./])\bhhs\b(?![./])",              # the id, lowercase ("HHS" is the word), not
                                            # the portal's address (ocrportal.hhs.gov)
    r"^\s*individuals\s",                    # the id at the start of a table row
    r"\] (individuals|substitute_notice)\b",  # the id after a checklist's box
    r"\b(True|False|None)\b",                 # a raw flag
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


def raw_cells(text: str, raw: set[str]) -> list[str]:
    """Cells of a text table (columns two spaces apart) that are a stored value, not its label."""
    return [cell for line in text.splitlines() for cell in re.split(r"\s{2,}", line.strip())
            if cell in raw]


STORED_VALUES = {
    # The register's choices whose label differs from the stored value (kinds.py, vocabulary).
    "signed", "missing", "requested", "expired", "not_needed", "ai_scribe", "planned",
    "in_progress", "in_place", "verified", "not_applicable", "open", "mitigating", "accepted",
    "closed", "consented", "declined", "pending", "administrative", "technical", "physical",
    # An incident's determination as stored and as the short label once was.
    "notify", "notification_required", "low_probability",
}


@pytest.mark.parametrize("what", ["hazards", "tools", "safeguards", "owners", "consents"])
def test_list_says_every_value_in_words(demo_db, what):
    """`riskreg list KIND` (text, not --json): labels and yes/no, never ai_scribe, signed, True
    (new-user run, item 3); the stored values stay in --json."""
    result = riskreg("list", what, db=demo_db)
    assert result.returncode == 0, result.stderr
    body = "\n".join(line[10:] for line in result.stdout.splitlines())  # after the id column
    assert engine_words(body) == []
    assert raw_cells(body, STORED_VALUES) == []
    assert "public_id" not in result.stdout
    rows = json.loads(riskreg("list", what, "--json", db=demo_db).stdout)
    if what == "tools":
        assert {r["category"] for r in rows} >= {"ai_scribe"}
        assert {r["handles_phi"] for r in rows} >= {True}


def test_incidents_list_says_the_determination_in_words(demo_db):
    result = riskreg("incidents", "list", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert engine_words(result.stdout) == []
    assert raw_cells(result.stdout, STORED_VALUES - {"open", "closed"}) == []
    assert "notification required" in result.stdout


def test_the_hhs_portal_checklist_names_each_notice_in_words(demo_db, tmp_path):
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    copy = tmp_path / "drafts.db"
    copy.write_bytes(demo_db.read_bytes())
    db = open_database(copy)
    try:
        svc = IncidentService(db, today=lambda: date.fromisoformat(TODAY))
        svc.write_drafts("INC-2026-002", tmp_path)  # individuals, HHS, Florida and its media
    finally:
        db.close()
    text = (tmp_path / "INC-2026-002-hhs-portal-checklist.md").read_text()
    assert engine_words(text) == []
    assert "- [x] Notify affected individuals: due 2026-12-14; sent 2026-11-12" in text
    # Deemed compliant by the HIPAA notice (Fla. Stat. 501.171(4)(g)): due with it.
    assert "- [x] Florida residents (Fla. Stat. 501.171): due 2026-12-14" in text


def test_a_notice_by_portal_and_a_draft_kind_are_said_in_words():
    """The dossier said "by hhs breach portal" and its audit rows "Kind: hhs" (item 3)."""
    from riskreg.domain.incident_steps import draft_kind_words, method_words
    from riskreg.services.change_words import change_lines

    assert method_words("portal") == "HHS breach portal"
    assert method_words("mail") == "first-class mail"
    assert change_lines(json.dumps({"kind": [None, "hhs"]})) == ["Kind: HHS portal checklist"]
    assert change_lines(json.dumps({"kind": [None, "media:FL"]})) == \
        ["Kind: Notice to Florida media"]
    assert change_lines(json.dumps({"kind": [None, "oral"]})) == ["Kind: oral"]
    assert draft_kind_words("state:CA") == "California residents"
