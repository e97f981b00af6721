"""The HHS portal's type of breach on an incident (finding 30): asked in the intake with the
portal's choices, filled into the portal checklist (whose kinds of PHI are a nested list), shown
in the dossier, and carried by the JSON export and import (older exports without it import)."""

import json
from datetime import UTC, datetime

import pytest
from clock import FIXED_TODAY
from markdown_it import MarkdownIt

from riskreg.errors import ValidationError
from riskreg.services import transfer
from riskreg.services.incidents import IncidentService
from riskreg.services.transfer_check import FileProblems
from riskreg.storage.database import open_database

TODAY = FIXED_TODAY
NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}


@pytest.fixture
def incidents(db):
    return IncidentService(db, today=lambda: TODAY)


def notified(svc, **intake):
    """A stolen laptop, walked to the plan with notification required."""
    r = svc.create({"title": "Laptop stolen from the car", "discovered_on": "2026-11-02",
                    **intake})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "diagnosis"]},
                     r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, {"factors": {
        k: {"rating": "high", "notes": "assessed"}
        for k in ("nature_extent", "recipient", "acquired_viewed", "mitigation")}}, r["revision"])
    r = svc.save_determination(ref, {"choice": "notification_required",
                                     "rationale": "Unsecured PHI was taken."}, r["revision"])
    r = svc.save_scope(ref, {"affected": 3, "residents": {}}, r["revision"])
    return svc.complete_step(ref, "law_enforcement", r["revision"])


def checklist(svc, ref, folder) -> str:
    svc.write_drafts(ref, folder)
    return (folder / f"{ref}-hhs-portal-checklist.md").read_text()


def line_of(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


def test_the_checklist_gives_the_type_of_breach_and_nests_the_kinds_of_phi(incidents, tmp_path):
    r = notified(incidents, breach_type="theft")
    assert r["breach_type"] == "theft"
    text = checklist(incidents, r["reference"], tmp_path)
    assert line_of(text, "- [ ] Type of breach").endswith(
        "(Hacking/IT Incident, Improper Disposal, Loss, Theft, Unauthorized Access/Disclosure, "
        "Other): Theft")
    lines = text.splitlines()
    at = lines.index(line_of(text, "- [ ] Type of PHI involved"))
    assert lines[at + 1: at + 3] == ["  - Full name", "  - Diagnosis or disability code"]
    # As a Markdown reader sees it: the kinds are a list inside the item, not a new list.
    tokens = MarkdownIt("commonmark").parse(text)
    item = next(i for i, t in enumerate(tokens)
                if t.type == "inline" and t.content.startswith("[ ] Type of PHI involved"))
    nested = next(t for t in tokens[item:] if t.type == "bullet_list_open")
    kinds = [t.content for t in tokens[item:] if t.type == "inline"][1:3]
    assert nested.level > tokens[item].level - 2 and kinds == ["Full name",
                                                              "Diagnosis or disability code"]
    closes = [t.type for t in tokens[item:item + 12]]
    assert closes.index("bullet_list_open") < closes.index("list_item_close")


def test_not_answered_is_left_as_a_visible_to_do(incidents, tmp_path):
    r = notified(incidents)
    assert r["breach_type"] == ""
    text = checklist(incidents, r["reference"], tmp_path)
    assert line_of(text, "- [ ] Type of breach").endswith(
        ": [TO DO: choose it in step 1, What happened, or on the portal]")


def test_the_intake_takes_only_the_portals_choices(incidents):
    r = incidents.create({"title": "Laptop stolen", "discovered_on": "2026-11-02",
                          "breach_type": None})  # the blank choice: not answered
    assert r["breach_type"] == ""
    with pytest.raises(ValidationError) as refused:
        incidents.save_intake(r["reference"], {"title": "Laptop stolen",
                                               "discovered_on": "2026-11-02",
                                               "breach_type": "stolen"}, r["revision"])
    assert refused.value.field == "breach_type"
    assert refused.value.problem == ("The type of breach must be one of: hacking, "
                                     "improper_disposal, loss, theft, unauthorized, other "
                                     "(not 'stolen').")
    assert incidents.get(r["reference"])["revision"] == r["revision"]  # nothing written


def test_the_dossier_says_the_type_of_breach(db, incidents, tmp_path):
    from riskreg.services.reports import write_incident_report

    r = notified(incidents, breach_type="loss")
    path, _ = write_incident_report(db, r["reference"], tmp_path / "d.md", TODAY, NOW)
    text = path.read_text()
    assert "Type of breach" in text and "Loss" in text
    assert "loss" not in text.replace("Loss", "").lower().split("type of breach")[1][:40]


def test_the_export_carries_it_and_an_older_export_without_it_still_imports(
        db, incidents, tmp_path):
    notified(incidents, breach_type="improper_disposal")
    doc = transfer.export_document(db, NOW)
    (row,) = doc["tables"]["incident"]
    assert row["breach_type"] == "improper_disposal"

    same = open_database(tmp_path / "same" / "riskreg.db")
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    try:
        transfer.import_json(same, path)
        assert IncidentService(same, today=lambda: TODAY).get("INC-2026-001")[
            "breach_type"] == "improper_disposal"
    finally:
        same.close()

    # As riskreg wrote it before the type of breach: no such field in the row. (Its audit log
    # then had none either; the one here records the default, not answered, which is the same.)
    source = open_database(tmp_path / "source" / "riskreg.db")
    try:
        notified(IncidentService(source, today=lambda: TODAY))
        doc = transfer.export_document(source, NOW)
    finally:
        source.close()
    del doc["tables"]["incident"][0]["breach_type"]
    doc["schema"] = "0003_levels"
    older = tmp_path / "older.json"
    older.write_text(json.dumps(doc), encoding="utf-8")
    into = open_database(tmp_path / "older" / "riskreg.db")
    try:
        transfer.import_json(into, older)
        assert IncidentService(into, today=lambda: TODAY).get("INC-2026-001")[
            "breach_type"] == ""
    finally:
        into.close()


def test_an_import_with_an_unknown_type_of_breach_is_refused_naming_the_place(
        db, incidents, tmp_path):
    notified(incidents, breach_type="theft")
    doc = transfer.export_document(db, NOW)
    doc["tables"]["incident"][0]["breach_type"] = "burglary"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(FileProblems, match=r"tables\.incident\[0\]\.breach_type"):
        transfer.check_file(path)
