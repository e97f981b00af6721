"""`riskreg notices letters`: printable letters from a recipients file that is never stored
(issue 21): one letter per person, the checks before writing, hostile files, state content, the
next of kin, and the names absent from everything riskreg keeps."""

import hashlib
import json
import os
import re
import stat
from datetime import date

import pytest
from cli_helpers import run_main
from letters_helpers import REF, csv_bytes, demo_copy, letters, make_template, people

from riskreg.services.letters import render
from riskreg.services.letters.recipients import Recipient

LETTER = re.compile(r'<section class="letter">')


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return make_template(tmp_path_factory.mktemp("demo"))


@pytest.fixture
def db(template, tmp_path):
    return demo_copy(template, tmp_path / "practice")


def write(tmp_path, data: bytes, name: str = "recipients.csv"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def audit_events(db_path):
    from riskreg.storage import audit
    from riskreg.storage.database import open_database

    database = open_database(db_path)
    try:
        with database.reading() as session:
            return [e for e in audit.read_events(session)]
    finally:
        database.close()


def files_of(folder):
    return sorted(p.name for p in folder.iterdir())


# -- N recipients, N letters ----------------------------------------------------------------------

def test_n_recipients_give_n_letters_one_per_page(db, tmp_path):
    src = write(tmp_path, csv_bytes(people(7)))
    out = tmp_path / "letters.html"
    code, stdout, err = letters(db, src, out)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert len(LETTER.findall(html)) == 7
    assert "break-after: page" in html and "@page" in html
    assert "<link" not in html and "<script" not in html and "src=" not in html
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert files_of(tmp_path) == ["letters.html", "practice", "recipients.csv"]  # no temp file
    assert "7 letters for INC-2026-002 (FL 7)" in stdout
    # Every element of 164.404(c)(1), from the incident's facts.
    first = html[html.index('<section class="letter">'):]
    first = first[: first.index("</section>")]
    for heading in ("What happened", "What information was involved", "What you can do",
                    "What we are doing", "For more information"):
        assert f"<h2>{heading}</h2>" in first
    assert "We discovered it on November 2, 2026" in first or "We discovered it on" in first
    assert "1-800-555-0100" in first
    assert "Dear Zelda Quokkaperson0000," in first


def test_the_scope_is_compared_per_state(db, tmp_path):
    rows = people(3) + people(2, "GA") + people(1, "CA")
    code, _out, err = letters(db, write(tmp_path, csv_bytes(rows)), tmp_path / "l.html")
    assert code == 0
    assert "FL: 3 letters, the scope records 560 residents" in err
    assert "GA: 2 letters, the scope records 80 residents" in err
    assert "CA: 1 letter, the scope records 0 residents" in err
    assert "6 letters in all, the scope records 640 people affected" in err


def test_the_audit_records_the_run_never_a_name(db, tmp_path):
    src = write(tmp_path, csv_bytes(people(4) + people(1, "GA")))
    out = tmp_path / "letters.html"
    before = len(audit_events(db))
    assert letters(db, src, out)[0] == 0
    events = audit_events(db)
    assert len(events) == before + 1
    event = events[-1]
    assert event.entity == "notice_letters"
    fields = {k: v[1] for k, v in event.fields.items()}
    assert fields["count"] == 5 and fields["per_state"] == {"FL": 4, "GA": 1}
    assert fields["file"] == "letters.html"
    assert fields["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert "Quokka" not in event.changes and "Palm" not in event.changes
    code, stdout, _ = run_main(["audit", "verify", "--db", str(db)])
    assert code == 0, stdout


# -- never stored ---------------------------------------------------------------------------------

def _no_names_in(folder, skip):
    for path in folder.rglob("*"):
        if path.is_file() and path not in skip:
            data = path.read_bytes()
            assert b"Quokkaperson" not in data, path
            assert b"Palm Street" not in data, path
            assert "Quokkaperson".encode("utf-16-le") not in data, path


def test_the_names_are_absent_from_the_database_wal_backups_and_export(db, tmp_path):
    from riskreg.services.letters.service import LettersService
    from riskreg.storage.database import open_database

    src = write(tmp_path, csv_bytes(people(25)))
    out = tmp_path / "letters.html"
    database = open_database(db)
    try:
        service = LettersService(database, today=lambda: date(2026, 12, 7))
        checked = service.check(REF, src)
        service.write(checked, out)
        wal = db.with_name(db.name + "-wal")
        assert wal.exists()  # the run's audit event is in the WAL while the connection is open
        _no_names_in(db.parent, skip=set())
    finally:
        database.close()
    _no_names_in(db.parent, skip=set())
    assert b"Quokkaperson" in out.read_bytes()
    exported = tmp_path / "export.json"
    code, _o, err = run_main(["export", "json", "--db", str(db), "--out", str(exported)])
    assert code == 0, err
    text = exported.read_text(encoding="utf-8")
    assert "notice_letters" in text and "Quokkaperson" not in text and "Palm Street" not in text
    assert list((db.parent / "backups").iterdir())  # the day's backup, taken by the export
    _no_names_in(db.parent, skip=set())


# -- checks and hostile files ---------------------------------------------------------------------

def _refused(db, tmp_path, data, *more, expect):
    src = write(tmp_path, data)
    out = tmp_path / "refused.html"
    before, listed = len(audit_events(db)), files_of(tmp_path)
    code, _stdout, err = letters(db, src, out, *more)
    assert code == 2, err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in err
    assert re.search(expect, lines[0]), lines[0]
    assert files_of(tmp_path) == listed  # no letters, no temporary file
    assert len(audit_events(db)) == before
    return lines[0]


def test_markup_is_escaped_and_formula_prefixes_kept_as_text(db, tmp_path):
    rows = [["<script>alert(1)</script>", "<b>1 Main</b>", "", "Tampa", "FL", "33601", ""],
            ["=HYPERLINK(\"http://x\")", "+1 Road", "-2", "@Tampa", "FL", "33601", ""]]
    out = tmp_path / "l.html"
    assert letters(db, write(tmp_path, csv_bytes(rows)), out)[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "<script>" not in html and "<b>1 Main</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&quot;http://x&quot;)" in html and "@Tampa, FL 33601" in html


def test_nul_bytes_are_refused_as_not_csv(db, tmp_path):
    _refused(db, tmp_path, csv_bytes(people(2)) + b"\x00\x00", expect="not a CSV file .*NUL")


def test_a_binary_file_is_refused(db, tmp_path):
    _refused(db, tmp_path, b"PK\x03\x04\x14\x00\x06\x00" + os.urandom(200),
             expect="not a CSV file")


def test_a_10_mb_cell_is_refused(db, tmp_path):
    rows = [["A" * (10 * 1024 * 1024), "1 Main", "", "Tampa", "FL", "33601", ""]]
    _refused(db, tmp_path, csv_bytes(rows), expect=r"row 2 has a cell of more than .* the limit")


def test_another_encoding_is_refused_with_what_to_do(db, tmp_path):
    data = "Name,Address\nJosé Quokkaperson,1 Calle Peña\n".encode("cp1252")
    line = _refused(db, tmp_path, data, expect=r'not UTF-8 text .* line 2.*"CSV UTF-8"')
    assert "Jos" not in line


def test_utf16_is_refused(db, tmp_path):
    _refused(db, tmp_path, "Name,Address\nA,B\n".encode("utf-16"), expect="UTF-16")


def test_a_bom_is_accepted(db, tmp_path):
    out = tmp_path / "l.html"
    code, _o, err = letters(db, write(tmp_path, csv_bytes(people(2), bom=True)), out)
    assert code == 0, err
    assert len(LETTER.findall(out.read_text(encoding="utf-8"))) == 2


def test_an_empty_file_and_a_header_only_file_are_refused(db, tmp_path):
    _refused(db, tmp_path, b"", expect="is empty")
    _refused(db, tmp_path, csv_bytes([]), expect="header row and no recipients")


def test_a_missing_column_is_named(db, tmp_path):
    line = _refused(db, tmp_path, csv_bytes([["Ann", "Tampa"]], header=["Name", "City"]),
                    expect="no address column .*--map address1=HEADER")
    assert "Name, City" in line


def test_map_names_other_headers(db, tmp_path):
    data = csv_bytes([["Ann Quokkaperson", "1 Main", "Tampa FL 33601"]],
                     header=["Klient", "Strasse", "Ort"])
    out = tmp_path / "l.html"
    code, _o, err = letters(db, write(tmp_path, data), out, "--map",
                            "name=Klient,address1=Strasse,address2=Ort")
    assert code == 0, err
    assert "Tampa FL 33601" in out.read_text(encoding="utf-8")
    _refused(db, tmp_path, data, "--map", "name=Nope", expect="no column 'Nope'")
    _refused(db, tmp_path, data, "--map", "colour=Klient", expect="not a field of the letter")


def test_duplicates_and_missing_addresses_are_named_by_row(db, tmp_path):
    rows = people(3)
    rows.append(list(rows[0]))                                          # row 5 = row 2
    rows.append(["Yorick Quokkaperson", "", "", "Tampa", "FL", "33601", ""])  # row 6: no address
    rows.append(["", "7 Palm Street", "", "Tampa", "FL", "33601", ""])       # row 7: no name
    out = tmp_path / "l.html"
    code, _o, err = letters(db, write(tmp_path, csv_bytes(rows)), out)
    assert code == 0
    assert "rows 6, 7: no name or an incomplete address; left out" in err
    assert "duplicate rows left out (one letter each): row 5 (same as row 2)" in err
    assert "Quokka" not in err
    assert len(LETTER.findall(out.read_text(encoding="utf-8"))) == 3
    code, _o, err = letters(db, write(tmp_path, csv_bytes(rows)), out, "--keep-incomplete")
    assert code == 0 and "printed as they are (--keep-incomplete)" in err
    assert len(LETTER.findall(out.read_text(encoding="utf-8"))) == 5


def test_no_complete_row_writes_nothing(db, tmp_path):
    _refused(db, tmp_path, csv_bytes([["Ann", "", "", "", "FL", "", ""]]),
             expect="no row has a name and a complete address")


def test_an_incident_without_a_notification_determination_is_refused(db, tmp_path):
    src = write(tmp_path, csv_bytes(people(1)))
    code, _o, err = run_main(["notices", "letters", "INC-2026-001", "--db", str(db),
                              "--recipients", str(src), "--out", str(tmp_path / "l.html")])
    assert code == 2 and "notification is required" in err


# -- state content and the next of kin ------------------------------------------------------------

def test_a_california_resident_gets_californias_title_and_headings(db, tmp_path):
    out = tmp_path / "l.html"
    rows = people(1, "CA") + people(1, "FL")
    assert letters(db, write(tmp_path, csv_bytes(rows)), out)[0] == 0
    html = out.read_text(encoding="utf-8")
    ca, fl = [part for part in html.split('<section class="letter">')[1:]]
    assert '<h1 class="title">Notice of Data Breach</h1>' in ca
    headings = re.findall(r"<h2>(.*?)</h2>", ca)
    assert headings == ["What Happened", "What Information Was Involved", "What We Are Doing",
                        "What You Can Do", "For More Information"]
    assert "Notice of Data Breach" not in fl
    assert "Cal. Civ. Code 1798.82(d)" in html and "verify with counsel" in html


def test_credit_monitoring_is_offered_where_the_state_requires_it_for_ssns():
    record_facts = render.LetterFacts(
        values={"what_happened": "x", "phi_types": "- Social Security number", "steps": "s",
                "actions": "a", "contact": "- c", "practice_name": "P", "practice_postal": "",
                "practitioner": "Dr"},
        phi_types=("ssn",), reference=REF, today=date(2026, 12, 7), todo=())
    person = Recipient(2, "A B", ("1 Main St", "Hartford, CT 06101"), "CT", False)
    assert "24 months of identity theft prevention" in render.html_letter(person, record_facts)
    ma = Recipient(3, "A B", ("1 Main St",), "MA", False)
    assert "18 months" in render.html_letter(ma, record_facts)
    no_ssn = render.LetterFacts({**record_facts.values}, ("name",), REF, date(2026, 12, 7), ())
    assert "months of identity theft" not in render.html_letter(person, no_ssn)


def test_a_next_of_kin_letter(db, tmp_path):
    rows = [["Kin Quokkaperson", "3 Palm Street", "", "Tampa", "FL", "33601", "yes"]]
    out = tmp_path / "l.html"
    assert letters(db, write(tmp_path, csv_bytes(rows)), out)[0] == 0
    html = out.read_text(encoding="utf-8")
    assert "as the next of kin or personal representative of a person who has died" in html
    assert "Next of kin or personal representative of a former client" in html


# -- Markdown ---------------------------------------------------------------------------------------

def test_markdown_letters_are_separated_by_page_breaks_and_escaped(db, tmp_path):
    rows = people(3) + [["<script>x</script> *Bold*", "1 Main", "", "Tampa", "FL", "33601", ""]]
    out = tmp_path / "letters.md"
    code, _o, err = letters(db, write(tmp_path, csv_bytes(rows)), out)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert text.count(render.PAGE_BREAK_MD) == 3
    assert text.count("Dear ") == 4
    assert "<script>" not in text and "\\*Bold\\*" in text
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_missing_contact_is_a_visible_todo_and_a_warning(tmp_path):
    """A new register: no practice settings, an incident without its Notices step filled."""
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    db = tmp_path / "practice" / "riskreg.db"
    assert run_main(["init", "--db", str(db)])[0] == 0
    database = open_database(db)
    try:
        svc = IncidentService(database, today=lambda: date(2026, 12, 7))
        r = svc.create({"title": "Laptop stolen", "discovered_on": "2026-11-02",
                        "description": "The practice laptop was taken from the car."})
        ref = r["reference"]
        r = svc.save_phi(ref, {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
        r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
        r = svc.save_exceptions(ref, {"exceptions": {"workforce_good_faith": False,
                                                     "inadvertent_internal": False,
                                                     "could_not_retain": False}}, r["revision"])
        r = svc.save_factors(ref, {"factors": {k: {"rating": "high", "notes": "noted"} for k in (
            "nature_extent", "recipient", "acquired_viewed", "mitigation")}}, r["revision"])
        r = svc.save_determination(ref, {"choice": "notification_required",
                                         "rationale": "Unencrypted laptop.",
                                         "decided_on": "2026-11-02"}, r["revision"])
        svc.save_scope(ref, {"affected": 1, "residents": {"FL": 1}}, r["revision"])
    finally:
        database.close()
    out = tmp_path / "l.html"
    code, _o, err = run_main(["notices", "letters", ref, "--db", str(db), "--recipients",
                              str(write(tmp_path, csv_bytes(people(1)))), "--out", str(out)])
    assert code == 0, err
    assert "no contact for questions" in err and "164.404(c)(1)(E)" in err
    assert "the practice settings have no practice name: the letters say [TO DO]" in err
    assert "not recorded yet: (C) Steps people should take" in err
    html = out.read_text(encoding="utf-8")
    assert '<span class="todo">[TO DO: how people can ask questions' in html
    assert '<span class="todo">[TO DO: PRACTICE NAME]</span>' in html
    assert "scope records" not in err  # 1 letter in Florida, as the scope says


def test_the_dossier_lists_each_letters_run(db, tmp_path):
    src = write(tmp_path, csv_bytes(people(2)))
    out = tmp_path / "letters.html"
    assert letters(db, src, out)[0] == 0
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    dossier = tmp_path / "dossier.md"
    code, _o, err = run_main(["report", "dossier", REF, "--db", str(db), "--out", str(dossier)])
    assert code == 0, err
    text = dossier.read_text(encoding="utf-8")
    table = text[text.index("| Letters made | Count | Per state | File | SHA-256 |"):]
    row = table.splitlines()[2]
    assert "| 2 | FL 2 | letters.html | " + sha in row.replace("\\", "")
    assert "Quokkaperson" not in text


def test_json_of_the_run_is_what_the_audit_says(db, tmp_path):
    assert letters(db, write(tmp_path, csv_bytes(people(1))), tmp_path / "l.html")[0] == 0
    event = audit_events(db)[-1]
    assert json.loads(event.changes)["format"] == [None, "html"]


def test_recording_the_individuals_notice_sent_defaults_to_the_last_letters_count(db, tmp_path):
    assert letters(db, write(tmp_path, csv_bytes(people(3))), tmp_path / "a.html")[0] == 0
    assert letters(db, write(tmp_path, csv_bytes(people(5))), tmp_path / "b.html")[0] == 0
    code, out, err = run_main(["notices", "sent", REF, "--db", str(db)])
    assert code == 0, err
    assert "individuals sent on" in out and "to 5 (the letters printed on" in out
    code, out, _ = run_main(["incidents", "show", REF, "--db", str(db), "--json"])
    shown = json.loads(out)
    mailed = [n for n in shown["notices"] if n["obligation_id"] == "individuals"]
    assert mailed[-1]["count"] == 5
    assert [run["count"] for run in shown["letters"]] == [3, 5]
    code, out, err = run_main(["notices", "sent", REF, "--db", str(db), "--count", "4"])
    assert code == 0 and "to 4" in out and "letters printed" not in out


def test_recording_a_bad_notice_changes_nothing(db, tmp_path):
    before = len(audit_events(db))
    code, _o, err = run_main(["notices", "sent", REF, "--db", str(db), "--method", "pigeon"])
    assert code == 2 and "must be one of" in err and len(err.strip().splitlines()) == 1
    assert len(audit_events(db)) == before


def test_the_letters_never_replace_the_recipients_file(db, tmp_path):
    src = write(tmp_path, csv_bytes(people(2)))
    before = src.read_bytes()
    code, _o, err = letters(db, src, src)
    assert code == 2 and "is the recipients file itself" in err
    assert src.read_bytes() == before


def test_terminal_escapes_in_a_cell_are_shown_escaped(db, tmp_path):
    rows = [["Eve \x1b]0;PWNED\x07 \u202eevil", "1 Main \x1b[2J", "", "Tampa", "FL", "33601", ""]]
    out = tmp_path / "l.html"
    code, stdout, err = letters(db, write(tmp_path, csv_bytes(rows)), out)
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "\x1b" not in html and "\u202e" not in html and "\x07" not in html
    assert "Eve \\x1b]0;PWNED\\x07 \\u202eevil" in html
    assert "\x1b" not in stdout + err


def test_a_state_by_name_counts_and_an_unknown_one_is_named_by_row(db, tmp_path):
    rows = [["Ann Quokkaperson", "1 Main", "", "Los Angeles", "California", "90001", ""],
            ["Bo Quokkaperson", "2 Main", "", "Nowhere", "Atlantis", "00000", ""]]
    out = tmp_path / "l.html"
    code, stdout, err = letters(db, write(tmp_path, csv_bytes(rows)), out)
    assert code == 0
    assert "row 3: the state is not a US state or territory" in err and "Atlantis" not in err
    assert "(CA 1, unknown 1)" in stdout
    assert "Notice of Data Breach" in out.read_text(encoding="utf-8")


def test_a_long_letter_is_warned_of(db, tmp_path):
    from riskreg.services.letters.service import LONG_LETTER, LettersService
    from riskreg.storage.database import open_database

    database = open_database(db)
    try:
        service = LettersService(database, today=lambda: date(2026, 12, 7))
        src = write(tmp_path, csv_bytes(people(1)))
        assert not any("text is long" in w for w in service.check(REF, src).warnings)
        from riskreg.services.incidents import IncidentService

        incidents = IncidentService(database, today=lambda: date(2026, 12, 7))
        record = incidents.get(REF)
        incidents.save_notice_content(REF, {"notice_actions": "We did a thing. " * 120},
                                      record["revision"])
        warned = [w for w in service.check(REF, src).warnings if "text is long" in w]
        assert warned and "may run onto a second page" in warned[0]
        assert len("We did a thing. " * 120) > LONG_LETTER
    finally:
        database.close()
