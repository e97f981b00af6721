"""Issue 19's new incident answers in a JSON export: checked on import as the forms check them,
and a file from before migration 0005 (no such answers) still imports."""

import json
from datetime import UTC, date, datetime

import pytest

from riskreg.services import transfer
from riskreg.services.incidents import IncidentService
from riskreg.services.transfer_check import FileProblems
from riskreg.storage.database import open_database

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
FACTOR_IDS = ("nature_extent", "recipient", "acquired_viewed", "mitigation")


@pytest.fixture
def other(tmp_path):
    database = open_database(tmp_path / "other" / "riskreg.db")
    yield database
    database.close()


def _safe_harbor(db):
    svc = IncidentService(db, today=lambda: date(2026, 11, 26))
    r = svc.create({"title": "Encrypted laptop stolen", "discovered_on": "2026-11-02"})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "use_permitted": False}, r["revision"])
    r = svc.save_secured(ref, {"secured_by": "encryption", "key_compromised": False,
                               "encryption_in_force": True, "secured_basis": "FileVault, off"},
                         r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "low", "notes": "low"}
                                           for k in FACTOR_IDS}}, r["revision"])
    r = svc.save_determination(ref, {"choice": "not_a_breach_safe_harbor",
                                     "rationale": "Encrypted, powered off."}, r["revision"])
    svc.save_scope(ref, {"affected": 4, "residents": {"CO": 4}, "part2_affected": 2},
                   r["revision"])


def _write(tmp_path, doc):
    path = tmp_path / "export.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_a_file_from_before_the_new_questions_still_imports(db, other, tmp_path):
    svc = IncidentService(db, today=lambda: date(2026, 11, 26))
    r = svc.create({"title": "Shredded files", "discovered_on": "2026-11-02"})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True}, r["revision"])  # the question not answered
    svc.save_secured(ref, {"secured_by": "destruction", "secured_basis": "Cross-cut"},
                     r["revision"])
    doc = transfer.export_document(db, NOW)
    (incident,) = doc["tables"]["incident"]
    for key in ("use_permitted", "permitted_basis", "encryption_in_force", "part2_affected"):
        del incident[key]  # as an export of schema 0004 has it
    transfer.import_json(other, _write(tmp_path, doc))
    r = IncidentService(other, today=lambda: date(2026, 11, 26)).get(ref)
    assert (r["encryption_in_force"], r["use_permitted"], r["part2_affected"]) == (None, None, 0)
    assert r["presumption"]["outcome"] == "safe_harbor"


def test_an_encryption_safe_harbor_recorded_before_the_question_passes_the_import_rules(db):
    from riskreg.services import import_rules

    _safe_harbor(db)
    doc = transfer.export_document(db, NOW)
    (incident,) = doc["tables"]["incident"]
    assert import_rules.incident(incident) == []
    incident["encryption_in_force"] = None  # migrated from 0004: not answered
    assert import_rules.incident(incident) == []
    del incident["encryption_in_force"]
    assert import_rules.incident(incident) == []


def test_a_part2_count_above_the_affected_is_refused_naming_it(db, tmp_path):
    _safe_harbor(db)
    doc = transfer.export_document(db, NOW)
    doc["tables"]["incident"][0]["part2_affected"] = 5
    with pytest.raises(FileProblems, match=r"tables\.incident\[0\]\.part2_affected"):
        transfer.check_file(_write(tmp_path, doc))


def test_a_permitted_use_without_its_basis_is_refused(db, tmp_path):
    _safe_harbor(db)
    doc = transfer.export_document(db, NOW)
    doc["tables"]["incident"][0]["use_permitted"] = True
    with pytest.raises(FileProblems, match=r"tables\.incident\[0\]\.permitted_basis"):
        transfer.check_file(_write(tmp_path, doc))
