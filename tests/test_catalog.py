"""The shipped starter catalog (data/catalog/) and its loader (riskreg.domain.catalog)."""

import json
import shutil
from pathlib import Path

import pytest

from riskreg.datafiles import data_dir
from riskreg.domain.catalog import Catalog, load_catalog
from riskreg.domain.vocabulary import (
    BAA_STATUSES,
    REQUIREMENTS,
    SAFEGUARD_CATEGORIES,
    TOOL_CATEGORIES,
    TREATMENTS,
)

# The Security Rule table in /work/shared/RULES.md, one row per implementation specification,
# written out here independently of the data: R = required, A = addressable.
SECURITY_RULE_TABLE = {
    "164.308(a)(1)(ii)(A)": "R",
    "164.308(a)(1)(ii)(B)": "R",
    "164.308(a)(1)(ii)(C)": "R",
    "164.308(a)(1)(ii)(D)": "R",
    "164.308(a)(2)": "R",
    "164.308(a)(3)(ii)(A)": "A",
    "164.308(a)(3)(ii)(B)": "A",
    "164.308(a)(3)(ii)(C)": "A",
    "164.308(a)(4)(ii)(B)": "A",
    "164.308(a)(4)(ii)(C)": "A",
    "164.308(a)(5)(ii)(A)": "A",
    "164.308(a)(5)(ii)(B)": "A",
    "164.308(a)(5)(ii)(C)": "A",
    "164.308(a)(5)(ii)(D)": "A",
    "164.308(a)(6)(ii)": "R",
    "164.308(a)(7)(ii)(A)": "R",
    "164.308(a)(7)(ii)(B)": "R",
    "164.308(a)(7)(ii)(C)": "R",
    "164.308(a)(7)(ii)(D)": "A",
    "164.308(a)(7)(ii)(E)": "A",
    "164.308(a)(8)": "R",
    "164.308(b)(1)": "R",
    "164.308(b)(4)": "R",
    "164.310(a)(2)(i)": "A",
    "164.310(a)(2)(ii)": "A",
    "164.310(a)(2)(iii)": "A",
    "164.310(a)(2)(iv)": "A",
    "164.310(b)": "R",
    "164.310(c)": "R",
    "164.310(d)(2)(i)": "R",
    "164.310(d)(2)(ii)": "R",
    "164.310(d)(2)(iii)": "A",
    "164.310(d)(2)(iv)": "A",
    "164.312(a)(2)(i)": "R",
    "164.312(a)(2)(ii)": "R",
    "164.312(a)(2)(iii)": "A",
    "164.312(a)(2)(iv)": "A",
    "164.312(b)": "R",
    "164.312(c)(2)": "A",
    "164.312(d)": "R",
    "164.312(e)(2)(i)": "A",
    "164.312(e)(2)(ii)": "A",
    "164.314(a)": "R",
    "164.316(a)": "R",
    "164.316(b)": "R",
    # Privacy Rule minimum necessary standard: a standard, not an addressable specification.
    "164.502(b)": "R",
    # Privacy Rule standards (issue 23): the notice of privacy practices, and policies and
    # procedures (the law-enforcement and subpoena procedure).
    "164.520(a)": "R",
    "164.530(i)(1)": "R",
}
EXPECTED_REQUIREMENT = {"R": "required", "A": "addressable"}

AI_HAZARD_KEYS = (
    "ai_tool_without_baa",
    "ai_vendor_trains_or_shares_data",
    "ai_transcripts_retained_by_vendor",
    "ai_note_unreviewed",
    "ai_prompt_oversharing",
    "ai_free_chatbot_use",
    "ai_cds_bias",
    "ai_recording_without_consent",
)

CLASSIC_HAZARD_KEYS = (
    "lost_stolen_laptop",
    "lost_stolen_phone",
    "phishing",
    "misdirected_email",
    "misdirected_fax",
    "ransomware",
    "weak_reused_passwords",
    "no_backup_failed_restore",
    "improper_device_disposal",
    "improper_paper_disposal",
    "snooping",
    "unpatched_software",
    "insecure_wifi",
    "shared_family_computer",
    "cloud_public_link",
    "ehr_vendor_breach",
    "business_associate_breach",
    "session_overheard",
    "unsecured_texting",
    "paper_left_out",
    "departing_staff_access",
)

AI_SAFEGUARD_KEYS = (
    "ai_note_review",
    "ai_minimum_necessary_prompts",
    "ai_client_consent",
    "ai_vendor_checklist_baa",
    "ai_no_free_chatbots",
    "ai_vendor_retention_settings",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def catalog_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped catalog files."""
    folder = tmp_path / "catalog"
    shutil.copytree(data_dir() / "catalog", folder)
    return folder


def _edit(folder: Path, filename: str, key: str, **changes: object) -> None:
    path = folder / filename
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        if entry["key"] == key:
            entry.update(changes)
    path.write_text(json.dumps(entries), encoding="utf-8")


def test_the_shipped_catalog_loads(catalog: Catalog) -> None:
    assert catalog.tools and catalog.hazards and catalog.safeguards


def test_the_catalog_has_at_least_25_hazards_and_25_safeguards(catalog: Catalog) -> None:
    assert len(catalog.hazards) >= 25
    assert len(catalog.safeguards) >= 25


def test_every_ai_specific_hazard_is_present(catalog: Catalog) -> None:
    keys = {h.key for h in catalog.hazards}
    assert set(AI_HAZARD_KEYS) <= keys


def test_every_classic_hazard_is_present(catalog: Catalog) -> None:
    keys = {h.key for h in catalog.hazards}
    assert set(CLASSIC_HAZARD_KEYS) <= keys


def test_every_ai_safeguard_is_present(catalog: Catalog) -> None:
    keys = {s.key for s in catalog.safeguards}
    assert set(AI_SAFEGUARD_KEYS) <= keys


def test_every_ai_tool_category_has_a_template(catalog: Catalog) -> None:
    categories = {t.category for t in catalog.tools}
    for category in (
        "dictation_transcription",
        "ai_scribe",
        "intake_communication",
        "clinical_decision_support",
        "marketing_business",
        "ehr",
        "email",
        "device",
        "cloud_storage",
        "paper",
    ):
        assert category in categories, category


def test_every_hazard_has_at_least_one_safeguard(catalog: Catalog) -> None:
    for hazard in catalog.hazards:
        assert catalog.safeguards_for(hazard.key), hazard.key


def test_every_safeguard_answers_some_hazard(catalog: Catalog) -> None:
    for safeguard in catalog.safeguards:
        assert catalog.hazards_answered_by(safeguard.key), safeguard.key


def test_every_tool_is_concerned_by_some_hazard(catalog: Catalog) -> None:
    for tool in catalog.tools:
        assert catalog.hazards_concerning(tool.key), tool.key


def test_safeguards_for_a_hazard_come_back_in_the_hazards_order(catalog: Catalog) -> None:
    hazard = catalog.hazard("ai_note_unreviewed")
    assert [s.key for s in catalog.safeguards_for(hazard.key)] == list(hazard.safeguards)
    assert catalog.safeguards_for("ai_note_unreviewed")[0].key == "ai_note_review"


def test_an_unknown_hazard_key_raises_key_error(catalog: Catalog) -> None:
    with pytest.raises(KeyError, match="no_such_hazard"):
        catalog.safeguards_for("no_such_hazard")


def test_every_citation_is_in_the_rules_table_with_its_requirement(catalog: Catalog) -> None:
    for safeguard in catalog.safeguards:
        if not safeguard.citation:
            continue
        assert safeguard.citation.startswith("45 CFR "), safeguard.key
        section = safeguard.citation.removeprefix("45 CFR ")
        assert section in SECURITY_RULE_TABLE, (safeguard.key, section)
        expected = EXPECTED_REQUIREMENT[SECURITY_RULE_TABLE[section]]
        assert safeguard.requirement == expected, (safeguard.key, section)


def test_a_safeguard_without_a_citation_says_why(catalog: Catalog) -> None:
    uncited = [s for s in catalog.safeguards if not s.citation]
    assert {s.key for s in uncited} >= {"ai_client_consent"}
    for safeguard in uncited:
        assert "no hipaa citation" in safeguard.description.lower(), safeguard.key


def test_the_ai_safeguards_cite_the_standard_they_serve(catalog: Catalog) -> None:
    assert catalog.safeguard("ai_note_review").citation == "45 CFR 164.312(c)(2)"
    assert catalog.safeguard("ai_minimum_necessary_prompts").citation == "45 CFR 164.502(b)"
    assert catalog.safeguard("ai_vendor_checklist_baa").citation == "45 CFR 164.308(b)(1)"
    assert catalog.safeguard("ai_client_consent").citation == ""


def test_target_scores_never_exceed_inherent_scores(catalog: Catalog) -> None:
    for hazard in catalog.hazards:
        assert hazard.target_likelihood <= hazard.likelihood, hazard.key
        assert hazard.target_impact <= hazard.impact, hazard.key
        assert hazard.target_score <= hazard.score, hazard.key


def test_tool_templates_follow_the_baa_convention(catalog: Catalog) -> None:
    for tool in catalog.tools:
        expected = "missing" if tool.handles_phi else "not_needed"
        assert tool.baa_status == expected, tool.key


def test_the_vocabularies_map_values_to_labels() -> None:
    for vocabulary in (
        TOOL_CATEGORIES,
        BAA_STATUSES,
        SAFEGUARD_CATEGORIES,
        REQUIREMENTS,
        TREATMENTS,
    ):
        assert all(isinstance(v, str) and isinstance(label, str) for v, label in vocabulary.items())
    assert set(BAA_STATUSES) == {"not_needed", "missing", "requested", "signed", "expired"}
    assert set(REQUIREMENTS) == {"required", "addressable"}
    assert set(TREATMENTS) == {"mitigate", "accept", "transfer", "avoid"}
    assert set(SAFEGUARD_CATEGORIES) == {"administrative", "physical", "technical"}


def test_a_copy_of_the_catalog_loads_from_a_folder(catalog_copy: Path, catalog: Catalog) -> None:
    assert load_catalog(catalog_copy) == catalog


def test_the_loader_rejects_a_safeguard_that_does_not_exist(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "phishing", safeguards=["mfa", "carrier_pigeons"])
    with pytest.raises(ValueError, match=r"hazards\.json: phishing: .*'carrier_pigeons'"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_tool_that_does_not_exist(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "ransomware", tools=["laptop", "mainframe"])
    with pytest.raises(ValueError, match=r"hazards\.json: ransomware: .*'mainframe'"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_residual_higher_than_inherent(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "phishing", impact=2, target_impact=3)
    with pytest.raises(ValueError, match=r"hazards\.json: phishing: target_impact"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_score_outside_1_to_5(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "ransomware", likelihood=6)
    with pytest.raises(ValueError, match=r"hazards\.json: ransomware: likelihood"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_hazard_without_safeguards(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "misdirected_fax", safeguards=[])
    with pytest.raises(ValueError, match=r"hazards\.json: misdirected_fax: safeguards"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_value_outside_the_vocabulary(catalog_copy: Path) -> None:
    _edit(catalog_copy, "hazards.json", "phishing", treatment="ignore")
    with pytest.raises(ValueError, match=r"hazards\.json: phishing: treatment 'ignore'"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_badly_formed_citation(catalog_copy: Path) -> None:
    _edit(catalog_copy, "safeguards.json", "mfa", citation="HIPAA 312d")
    with pytest.raises(ValueError, match=r"safeguards\.json: mfa: citation"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_an_unknown_requirement(catalog_copy: Path) -> None:
    _edit(catalog_copy, "safeguards.json", "mfa", requirement="optional")
    with pytest.raises(ValueError, match=r"safeguards\.json: mfa: requirement"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_baa_status_for_a_tool_without_phi(catalog_copy: Path) -> None:
    _edit(catalog_copy, "tools.json", "laptop", baa_status="missing")
    with pytest.raises(ValueError, match=r"tools\.json: laptop: baa_status"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_duplicate_key(catalog_copy: Path) -> None:
    path = catalog_copy / "safeguards.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    entries.append(dict(next(e for e in entries if e["key"] == "mfa")))
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(ValueError, match=r"safeguards\.json: mfa: key is used more than once"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_missing_field(catalog_copy: Path) -> None:
    path = catalog_copy / "tools.json"
    entries = json.loads(path.read_text(encoding="utf-8"))
    del next(e for e in entries if e["key"] == "ehr")["handles_phi"]
    path.write_text(json.dumps(entries), encoding="utf-8")
    with pytest.raises(ValueError, match=r"tools\.json: ehr: missing field\(s\): handles_phi"):
        load_catalog(catalog_copy)


def test_the_loader_rejects_a_file_that_is_not_json(catalog_copy: Path) -> None:
    (catalog_copy / "hazards.json").write_text("[{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"hazards\.json: not valid JSON"):
        load_catalog(catalog_copy)


def test_the_catalog_module_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, riskreg.domain.catalog as c; c.load_catalog(); "
        "print(sorted(m for m in ('textual', 'sqlmodel', 'sqlalchemy', 'pydantic') "
        "if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
