"""Terminal escape sequences (issue 16, D8): refused wherever text comes in, escaped wherever the
register's text is printed. A title holding ESC ] 0 ; ... BEL set the terminal window's title,
ESC [ 2 J cleared the screen, U+202E reversed what followed."""

import json
import os
import re
import subprocess
import sys

import pytest
from clock import FIXED_TODAY
from hostile_text import HOSTILE, RAW, seed

from riskreg.errors import ValidationError
from riskreg.services import incident_inputs, validation
from riskreg.services.incidents import IncidentService
from riskreg.services.messages import MULTI_LINE_FIELDS

CONTROL_WORDS = "contains a control character (U+001B), an invisible character that could " \
                "change what a terminal shows; remove it."
REORDER_WORDS = "contains a character that reorders the text shown after it (U+202E), which " \
                "could change what a terminal shows; remove it."

LISTINGS = [["list", kind] for kind in ("hazards", "tools", "safeguards", "owners", "consents")] \
    + [["incidents", "list"], ["incidents", "show", "INC-2026-001"], ["settings"]]
JSON_LISTINGS = [["list", "owners", "--json"], ["incidents", "show", "INC-2026-001", "--json"],
                 ["settings", "--json"]]


def _run_all(db_path, commands) -> list[tuple[int, bytes]]:
    """Each command through the CLI's entry point, in one process (one start-up, not one per
    command); the bytes each wrote to stdout and stderr, as the terminal receives them."""
    script = (
        "import sys, json\n"
        "from riskreg.cli import main\n"
        "for argv in json.loads(sys.argv[1]):\n"
        "    code = main(['--db', sys.argv[2], *argv])\n"
        "    sys.stdout.flush(); sys.stderr.flush()\n"
        "    sys.stdout.buffer.write(b'\\0END %d\\n' % code); sys.stdout.flush()\n"
    )
    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    out = subprocess.run([sys.executable, "-c", script, json.dumps(commands), str(db_path)],
                         capture_output=True, env=env, timeout=120, check=False)
    assert out.returncode == 0 and not RAW.search(out.stderr.decode()), out.stderr
    parts = out.stdout.split(b"\0END ")
    return [(int(part.split(b"\n", 1)[0]), parts[i].split(b"\n", 1)[-1] if i else parts[0])
            for i, part in enumerate(parts[1:])]


@pytest.fixture
def hostile_db(db_path):
    seed(db_path, FIXED_TODAY)
    return db_path


def test_no_listing_prints_a_raw_control_character_but_each_shows_it_escaped(hostile_db):
    for argv, (code, printed) in zip(LISTINGS, _run_all(hostile_db, LISTINGS), strict=True):
        text = printed.decode()
        assert code == 0, (argv, text)
        assert not RAW.search(text), (argv, text)
        assert "\\x1b]0;PWNED\\x07 \\x1b[2J nul\\x00 \\x9b2J \\u202eevil\\u202c" in text, argv


def test_json_listings_escape_control_characters_and_read_back_the_stored_text(hostile_db):
    results = _run_all(hostile_db, JSON_LISTINGS)
    for argv, (code, printed) in zip(JSON_LISTINGS, results, strict=True):
        assert code == 0 and not RAW.search(printed.decode()), argv
    owners, incident, settings = (json.loads(printed) for _, printed in results)
    assert owners[0]["name"] == "Owner " + HOSTILE  # the same data, only written escaped
    assert incident["title"] == "Incident " + HOSTILE
    assert settings["practice_name"] == "Practice " + HOSTILE


# -- input: every text field refuses them ---------------------------------------------------


def _text_fields(model) -> list[str]:
    """The fields a user types text into: those checked by the models' text validator."""
    return [name for name, info in model.model_fields.items()
            if any(getattr(rule, "func", None) in (validation._text, incident_inputs._text)
                   for rule in info.metadata)]


VALID = {
    validation.OwnerInput: {"name": "x"},
    validation.ToolInput: {"name": "x", "category": "ai_scribe"},
    validation.HazardInput: {"title": "x", "likelihood": 1, "impact": 1,
                             "target_likelihood": 1, "target_impact": 1},
    validation.SafeguardInput: {"title": "x", "category": "technical"},
    validation.ConsentInput: {"client_code": "C-1", "disclosed_on": "2026-11-01"},
    validation.SettingsInput: {},
    incident_inputs.IntakeInput: {"title": "x", "discovered_on": "2026-11-01"},
    # PHI involved: a "no PHI" answer clears the permitted-use answer and its basis (issue 19).
    incident_inputs.PhiInput: {"phi_involved": True, "phi_reason": "x"},
    incident_inputs.SecuredInput: {"secured_by": "destruction", "secured_basis": "x"},
    incident_inputs.ExceptionsInput: {"exceptions": {"workforce_good_faith": False,
                                                     "inadvertent_internal": False,
                                                     "could_not_retain": False}},
    incident_inputs.FactorInput: {"rating": "low", "notes": "x"},
    incident_inputs.DeterminationInput: {"choice": "not_breach"},
    incident_inputs.StatementInput: {"kind": "oral", "statement_on": "2026-11-01",
                                     "official": "x", "agency": "x"},
    incident_inputs.NoticeContentInput: {},
    incident_inputs.NoticeSentInput: {"obligation_id": "x", "sent_on": "2026-11-01",
                                      "method": "mail"},
    incident_inputs.CloseoutInput: {},
}
TEXT_FIELDS = [(model, field) for model in VALID for field in _text_fields(model)]


def test_every_input_model_with_text_is_covered_here():
    covered = {model for model, _ in TEXT_FIELDS}
    for module in (validation, incident_inputs):
        for model in vars(module).values():
            if isinstance(model, type) and issubclass(model, module._Input) and _text_fields(model):
                assert model in covered, model
    assert len(TEXT_FIELDS) > 40


@pytest.mark.parametrize(("model", "field"), TEXT_FIELDS,
                         ids=[f"{m.__name__}.{f}" for m, f in TEXT_FIELDS])
def test_every_text_field_refuses_a_control_or_reordering_character(model, field):
    check = validation.validate_with if model.__module__ == validation.__name__ \
        else incident_inputs.check
    for bad, words in (("a\x1b]0;TITLE\x07", CONTROL_WORDS), ("a\u202eb", REORDER_WORDS),
                       ("a\x00", "(U+0000)"), ("a\x9b2J", "(U+009B)"), ("a\x7f", "(U+007F)"),
                       ("a\u2066b", "(U+2066)"), ("a\rb", "(U+000D)")):
        with pytest.raises(ValidationError) as error:
            check(model, {**VALID[model], field: bad})
        assert error.value.field == field and words in error.value.problem, bad
    # New lines and tabs: in a multi-line field (a description, notes) only.
    if field in MULTI_LINE_FIELDS:
        assert check(model, {**VALID[model], field: "one\n\ttwo"})[field] == "one\n\ttwo"
    else:
        with pytest.raises(ValidationError, match="must be one line, without tabs or line"):
            check(model, {**VALID[model], field: "one\ttwo"})


def test_a_refused_record_or_step_writes_nothing(register, db):
    with pytest.raises(ValidationError, match="control character"):
        register.create("owner", {"name": "Dr. \x1b[2JRivera"})
    incidents = IncidentService(db, today=lambda: FIXED_TODAY)
    with pytest.raises(ValidationError, match="reorders"):
        incidents.create({"title": "Lost \u202eletter", "discovered_on": "2026-11-20"})
    assert register.list("owner").total == 0 and incidents.list() == []


def test_a_review_s_notes_refuse_a_control_character(register):
    hazard = register.create("hazard", VALID[validation.HazardInput])
    with pytest.raises(ValidationError) as error:
        register.mark_reviewed(hazard["public_id"], FIXED_TODAY, "ok\x1b[2J", hazard["revision"])
    assert error.value.field == "notes" and error.value.problem.endswith(CONTROL_WORDS)
    assert register.get("hazard", hazard["public_id"])["revision"] == hazard["revision"]
    assert register.reviews(hazard["public_id"]) == []


def _cli(*args):
    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          env=env, timeout=120, check=False)


def test_the_settings_flags_refuse_a_control_character_in_one_line(db_path, db):
    db.close()
    said = _cli("--db", str(db_path), "settings", "--practice-name", "Rivera\x1b]0;X\x07")
    assert said.returncode == 2 and said.stdout == b""
    assert said.stderr.decode() == (
        f"riskreg: --practice-name: The practice name {CONTROL_WORDS} Nothing was changed.\n")
    from riskreg.services.settings import SettingsService
    from riskreg.storage.database import open_database

    again = open_database(db_path)
    assert SettingsService(again).get()["public_id"] is None  # nothing saved
    again.close()


def test_import_check_and_import_refuse_control_characters_naming_each_place(
        register, db, tmp_path):
    from riskreg.services import transfer

    register.create("hazard", VALID[validation.HazardInput])
    IncidentService(db, today=lambda: FIXED_TODAY).create(
        {"title": "Lost letter", "discovered_on": "2026-11-20"})
    document = transfer.export_document(db)
    tables = document["tables"]
    tables["hazard"][0]["title"] = "Phishing\x1b]0;PWNED\x07"
    tables["incident"][0]["description"] = "fine\n\ttext, then \x1b[2J"
    tables["incident"][0]["factors"] = {"recipient": {"rating": "low", "notes": "a\u202eb"}}
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))

    checked = _cli("import", "json", str(path), "--check")
    assert checked.returncode == 2
    # Each line names the record after its place ("(hazard 2b66...)"); the place is enough here.
    listed = [re.sub(r" \([a-z ]+ (INC-\d{4}-\d+|[0-9a-f-]{36})\):", ":", line)
              for line in checked.stdout.decode().splitlines()]
    assert listed == [
        "tables.hazard[0].title: A title " + CONTROL_WORDS.removesuffix("."),
        "tables.incident[0].description: The description " + CONTROL_WORDS.removesuffix("."),
        "tables.incident[0].factors.recipient.notes: The reason for the rating of factor (ii) "
        + REORDER_WORDS.removesuffix("."),
    ]
    target = tmp_path / "new" / "riskreg.db"
    target.parent.mkdir()
    imported = _cli("--db", str(target), "import", "json", str(path))
    assert imported.returncode == 2 and b"control character (U+001B)" in imported.stderr
    assert not RAW.search(imported.stderr.decode())
    assert not target.exists()  # nothing was made of it


def test_reports_carry_no_raw_control_character_but_show_it_escaped(hostile_db, tmp_path):
    from riskreg.services.reports import write_incident_report, write_risk_analysis
    from riskreg.storage.database import open_database

    db = open_database(hostile_db)
    try:
        written = [write_risk_analysis(db, tmp_path / f"risk{ext}", FIXED_TODAY)
                   for ext in (".html", ".md")]
        written += [write_incident_report(db, "INC-2026-001", tmp_path / f"inc{ext}",
                                          FIXED_TODAY)[0] for ext in (".html", ".md")]
    finally:
        db.close()
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not RAW.search(text), path.name
        assert "\\x1b" in text and "u202eevil" in text, path.name  # shown, escaped


def test_calendar_and_csv_exports_carry_no_raw_control_character(hostile_db, tmp_path):
    # A raw ESC makes an .ics file invalid iCalendar and reaches a spreadsheet's cell as it is.
    commands = [["export", "ics", "--details", "--out", str(tmp_path / "d.ics")]] + [
        ["export", "csv", "--what", what, "--out", str(tmp_path / f"{what}.csv")]
        for what in ("hazards", "tools", "safeguards", "incidents")]
    for argv, (code, printed) in zip(commands, _run_all(hostile_db, commands), strict=True):
        assert code == 0, (argv, printed)
    for path in tmp_path.glob("*.*"):
        text = path.read_text(encoding="utf-8")
        assert not RAW.search(text.replace("\r\n", "").replace("\n", "").replace("\t", "")), \
            path.name
    assert "\\x1b" in (tmp_path / "hazards.csv").read_text(encoding="utf-8")
