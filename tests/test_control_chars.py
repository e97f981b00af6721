"""Control characters are refused where text comes in (issue 20, item 4; RFC 5545 3.3.11 lets
no CONTROL but HTAB into a calendar's text, and a terminal obeys them): every C0 control (TAB
and LF only in a multi-line field), DEL and every C1 control, in every string a user can give a
record, through the services, the CLI's settings and `import json` alike. One line says which
field and which character; nothing is written. (The app's forms: tests/ui/test_control_chars_ui.py;
the sample of escape sequences per field: tests/test_escapes.py.)"""

import json
import os
import re
import subprocess
import sys

import pytest
from clock import FIXED_TODAY

from riskreg.errors import ValidationError
from riskreg.services import validation
from riskreg.services.messages import MULTI_LINE_FIELDS

C0 = [chr(c) for c in range(0x00, 0x20)]
C1 = [chr(c) for c in range(0x80, 0xA0)]
CONTROLS = [*C0, "\x7f", *C1]
ALLOWED_IN_MULTI_LINE = {"\t", "\n"}
RAW = re.compile("[\x00-\x1f\x7f-\x9f]")

VALID = {
    "owner": {"name": "Dr. Rivera"},
    "tool": {"name": "Scribe", "category": "ai_scribe"},
    "hazard": {"title": "Lost laptop", "likelihood": 2, "impact": 3, "target_likelihood": 1,
               "target_impact": 3},
    "safeguard": {"title": "Encrypt disks", "category": "technical"},
    "consent": {"client_code": "C-1", "disclosed_on": "2026-11-01"},
}
CHOICES = {"category", "baa_status", "treatment", "status", "requirement", "decision"}
"""Fields that take one word of a list (refused for any other word, control or not)."""


def _string_fields(kind: str) -> list[str]:
    """Every field of a record a user or an import can set to a string, bar the choices."""
    model = validation.INPUTS[kind]
    return [name for name, info in model.model_fields.items()
            if "str" in str(info.annotation) and name not in CHOICES]


def _code(char: str) -> str:
    return f"U+{ord(char):04X}"


@pytest.mark.parametrize("char", CONTROLS, ids=_code)
def test_each_control_character_is_refused_in_a_one_line_field_naming_it(register, char):
    with pytest.raises(ValidationError) as error:
        register.create("hazard", {**VALID["hazard"], "title": f"Lost{char}laptop"})
    assert error.value.field == "title"
    if char in ALLOWED_IN_MULTI_LINE:
        assert error.value.problem == "A title must be one line, without tabs or line breaks."
    else:
        assert f"({_code(char)})" in error.value.problem, error.value.problem
    assert not RAW.search(str(error.value)) and "\n" not in str(error.value)
    assert register.count("hazard") == 0


@pytest.mark.parametrize("char", CONTROLS, ids=_code)
def test_a_multi_line_field_keeps_tabs_and_new_lines_and_refuses_every_other_control(
        register, char):
    data = {**VALID["hazard"], "description": f"First line{char}second line"}
    if char in ALLOWED_IN_MULTI_LINE:
        assert register.create("hazard", data)["description"] == data["description"]
        return
    with pytest.raises(ValidationError) as error:
        register.create("hazard", data)
    assert error.value.field == "description" and f"({_code(char)})" in error.value.problem
    assert register.count("hazard") == 0


STRING_FIELDS = [(kind, field) for kind in validation.INPUTS for field in _string_fields(kind)]


@pytest.mark.parametrize(("kind", "field"), STRING_FIELDS,
                         ids=[f"{k}.{f}" for k, f in STRING_FIELDS])
def test_every_string_a_record_takes_refuses_esc_del_and_c1_in_one_line(register, kind, field):
    # Names of other records (an owner, a tool) are looked up and refused as unknown; the others
    # (names, notes, the catalog entry a record came from) as text. Either way: nothing written.
    for char in ("\x1b", "\x7f", "\x85", "\x9b", "\x07"):
        with pytest.raises(ValidationError) as error:
            register.create(kind, {**VALID[kind], field: f"ok{char}x"})
        said = str(error.value)
        assert error.value.field == field, said
        assert not RAW.search(said) and "\n" not in said, said
    assert register.count(kind) == 0


def test_the_catalog_entry_of_a_record_is_checked_as_text(register):
    with pytest.raises(ValidationError) as error:
        register.create("tool", {**VALID["tool"], "catalog_key": "ai_scribe\x1b[2J"})
    assert error.value.problem == ("The catalog entry contains a control character (U+001B), "
                                   "an invisible character that could change what a terminal "
                                   "shows; remove it.")
    assert register.create("tool", {**VALID["tool"], "catalog_key": "ai_scribe"})


def test_a_refused_change_leaves_the_record_as_it_was(register):
    tool = register.create("tool", {**VALID["tool"], "vendor": "Acme"})
    for field, value in (("vendor", "Acme\x9b2J"), ("notes", "fine\r\nline"),
                         ("baa_location", "drawer\x00")):
        with pytest.raises(ValidationError) as error:
            register.update("tool", tool["public_id"], {field: value}, tool["revision"])
        assert error.value.field == field
    again = register.get("tool", tool["public_id"])
    assert again["revision"] == tool["revision"] and again["vendor"] == "Acme"
    assert again["notes"] == "" and again["baa_location"] == ""


def test_an_incident_and_its_steps_refuse_control_characters(db):
    from riskreg.services.incidents import IncidentService

    incidents = IncidentService(db, today=lambda: FIXED_TODAY)
    with pytest.raises(ValidationError, match=r"\(U\+0085\)"):
        incidents.create({"title": "Letter\x85lost", "discovered_on": "2026-11-20"})
    assert incidents.list() == []
    made = incidents.create({"title": "Letter lost", "discovered_on": "2026-11-20"})
    with pytest.raises(ValidationError) as error:
        incidents.save_intake(made["reference"], {
            "title": "Letter lost", "discovered_on": "2026-11-20",
            "discovered_by": "front desk\x7f"}, made["revision"])
    assert error.value.field == "discovered_by" and "(U+007F)" in error.value.problem
    after = incidents.get(made["reference"])
    assert after["revision"] == made["revision"] and after["discovered_by"] == ""


def test_the_settings_service_refuses_them(db):
    from riskreg.services.settings import SettingsService

    settings = SettingsService(db)
    with pytest.raises(ValidationError) as error:
        settings.update({"practice_name": "Rivera\x1fCounseling"}, None)
    assert error.value.field == "practice_name" and "(U+001F)" in error.value.problem
    assert settings.get()["practice_name"] == ""


# -- the CLI ----------------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "RISKREG_TODAY": FIXED_TODAY.isoformat()}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          env=env, timeout=120, check=False)


@pytest.mark.parametrize("char", ["\x01", "\x7f", "\x9b"], ids=_code)
def test_the_settings_command_refuses_them_in_one_line_and_changes_nothing(db_path, db, char):
    db.close()
    said = _cli("--db", str(db_path), "settings", "--practitioner", f"Dr.{char}Rivera")
    assert said.returncode == 2 and said.stdout == b""
    message = said.stderr.decode()
    assert message.count("\n") == 1 and not RAW.search(message.rstrip("\n")), message
    assert f"({_code(char)})" in message and "Nothing was changed." in message
    shown = _cli("--db", str(db_path), "settings", "--json")
    assert shown.returncode == 0 and json.loads(shown.stdout)["practitioner"] == ""


def test_import_json_refuses_them_in_every_string_and_makes_no_register(register, db, tmp_path):
    from riskreg.services import transfer

    register.create("tool", {**VALID["tool"], "catalog_key": "ai_scribe"})
    register.create("owner", VALID["owner"])
    document = transfer.export_document(db)
    document["tables"]["tool"][0]["catalog_key"] = "ai_scribe\x9b"
    document["tables"]["owner"][0]["contact"] = "555\x7f0100"
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(document))
    target = tmp_path / "new" / "riskreg.db"
    target.parent.mkdir()

    checked = _cli("import", "json", str(path), "--check")
    assert checked.returncode == 2
    lines = checked.stdout.decode().splitlines()
    assert len(lines) == 2 and not any(RAW.search(line) for line in lines), lines
    assert any("catalog_key" in line and "(U+009B)" in line for line in lines), lines
    assert any("contact" in line and "(U+007F)" in line for line in lines), lines

    imported = _cli("--db", str(target), "import", "json", str(path))
    assert imported.returncode == 2 and not RAW.search(imported.stderr.decode().rstrip("\n"))
    assert not target.exists()


def test_every_string_field_of_a_record_is_covered_here():
    # A new text field on a record is checked by the parametrized tests above without being
    # named; this keeps the list from shrinking to nothing unnoticed.
    assert len(STRING_FIELDS) >= 25
    assert {f for _, f in STRING_FIELDS} >= {"name", "title", "notes", "catalog_key", "owner"}
    assert {f for _, f in STRING_FIELDS} & MULTI_LINE_FIELDS
