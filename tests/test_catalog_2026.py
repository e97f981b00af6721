"""The starter catalog under 2025-2026 rules (issue 23): the Security Rule NPRM's safeguards are
tagged "proposed rule" and never shown as required (catalog, suggestions, record, report);
Part 2 and Section 1557 items only for a practice the settings say they concern; a
law-enforcement and subpoena procedure; no reproductive-health attestation requirement."""

import json

import pytest
from clock import FIXED_TODAY

from riskreg.domain.catalog import PROPOSED_RULE_TAG, load_catalog
from riskreg.services.reports import write_risk_analysis
from riskreg.services.settings import SettingsService
from riskreg.services.starter import load_starter


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_the_nprm_safeguards_are_tagged_proposed_and_stay_addressable(catalog):
    tagged = [s for s in catalog.safeguards if PROPOSED_RULE_TAG in s.tags]
    assert {"full_disk_encryption", "transmission_encryption", "device_inventory",
            "backup_restore_test"} <= {s.key for s in tagged}
    for s in tagged:
        assert s.requirement == "addressable", s.key
        assert "90 FR 898" in s.proposed_rule and "not law" in s.proposed_rule, s.key
    assert not any(s.proposed_rule for s in catalog.safeguards if s.requirement == "required")


def test_a_catalog_that_tags_a_required_safeguard_as_proposed_is_refused(tmp_path):
    from riskreg.datafiles import data_dir

    for name in ("tools.json", "hazards.json", "safeguards.json"):
        (tmp_path / name).write_text((data_dir() / "catalog" / name).read_text("utf-8"), "utf-8")
    entries = json.loads((tmp_path / "safeguards.json").read_text("utf-8"))
    mfa = next(e for e in entries if e["key"] == "mfa")
    mfa["proposed_rule"] = "would be required"
    (tmp_path / "safeguards.json").write_text(json.dumps(entries), "utf-8")
    with pytest.raises(ValueError, match="mfa: proposed_rule on a safeguard that is not "
                                         "addressable today"):
        load_catalog(tmp_path)


def test_no_reproductive_health_attestation_is_required(catalog):
    for s in catalog.safeguards:
        text = f"{s.title} {s.description} {s.citation}".lower()
        assert "164.509" not in text, s.key
        if "attestation" in text:
            # Only to say it was vacated.
            assert "vacated" in text and "purl v. hhs" in text, s.key
    procedure = catalog.safeguard("law_enforcement_requests")
    assert "164.512(e)" in procedure.description and "164.512(f)" in procedure.description


def test_conditional_items_stay_out_of_the_starter_register(register, catalog):
    made = load_starter(register)
    assert made["safeguards"] == len(catalog.starter_safeguards) == len(catalog.safeguards) - 5
    keys = {s["catalog_key"] for s in register.list("safeguard").rows}
    assert not keys & {"part2_npp_update", "part2_breach_report", "part2_segregation_consent",
                       "section_1557_decision_support", "law_enforcement_requests"}


def _suggested(register, hazard_key):
    [hazard] = [h for h in register.list("hazard").rows if h["catalog_key"] == hazard_key]
    return {s["catalog_key"]: s for s in register.suggested_safeguards(hazard["public_id"])}


def test_part2_and_1557_items_are_offered_once_the_settings_say_so(db, register):
    load_starter(register)
    settings = SettingsService(db, today=lambda: FIXED_TODAY)
    oversharing = _suggested(register, "ai_prompt_oversharing")
    assert "law_enforcement_requests" in oversharing  # optional: always offered
    assert "part2_segregation_consent" not in oversharing
    assert "section_1557_decision_support" not in _suggested(register, "ai_cds_bias")
    settings.update({"part2_records": True, "federal_assistance": True}, None)
    assert "part2_segregation_consent" in _suggested(register, "ai_prompt_oversharing")
    assert "part2_npp_update" in _suggested(register, "documentation_missing")
    assert "part2_breach_report" in _suggested(register, "incident_unnoticed")
    assert "section_1557_decision_support" in _suggested(register, "ai_cds_bias")


def test_the_record_and_the_report_say_proposed_rule_never_required(db, register, tmp_path):
    load_starter(register)
    [disk] = [s for s in register.list("safeguard").rows
              if s["catalog_key"] == "full_disk_encryption"]
    assert disk["requirement"] == "addressable"
    assert "would require encryption of ePHI at rest" in disk["proposed_rule"]
    suggested = _suggested(register, "lost_stolen_laptop")["full_disk_encryption"]
    assert "not law" in suggested["proposed_rule"]
    out = tmp_path / "report.md"
    write_risk_analysis(db, out, FIXED_TODAY)
    text = out.read_text("utf-8")
    row = next(line for line in text.splitlines() if "Full-disk encryption" in line
               and "164.312(a)(2)(iv)" in line)
    assert "Addressable" in row and "proposed rule (not law)" in row
    assert "Required" not in row
