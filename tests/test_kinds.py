"""The kind specs (domain/kinds, services/kinds, ui/kinds) agree with each other and say what
each kind does, so the code that reads them needs no branch on a kind's name."""

from __future__ import annotations

from datetime import date

import pytest

from riskreg.domain.kinds import KINDS as NAMES
from riskreg.errors import ValidationError
from riskreg.services.agenda import AgendaItem, record_words, short_label
from riskreg.services.kinds import KIND, LINKS, link_table, links_of_kind
from riskreg.ui.kinds import KINDS as UI_KINDS


def test_each_kind_links_to_the_kinds_its_names_say():
    for kind, names in NAMES.items():
        assert {other for _, other in links_of_kind(kind)} == set(names.links), kind


def test_every_link_table_has_a_hazard_at_one_end():
    assert all("hazard" in table.ends for table in LINKS)


def test_a_kind_with_no_such_link_is_refused_in_words():
    assert link_table("hazard", "tool").model.__name__ == "HazardTool"
    with pytest.raises(ValidationError, match="a hazard links to tools and safeguards, not owner"):
        link_table("hazard", "owner")


def test_derived_fields_come_from_the_kind():
    today = date(2026, 11, 26)
    tool = {"handles_phi": True, "baa_status": "missing", "baa_expires_on": None}
    assert NAMES["tool"].derived_fields(tool, today) == {"baa_gap": "handles PHI without a BAA"}
    assert NAMES["owner"].derived_fields({"name": "x"}, today) == {}
    safeguard = {"status": "planned", "due_on": date(2026, 11, 1), "next_verification_on": None}
    assert NAMES["safeguard"].derived_fields(safeguard, today) == {"overdue": True,
                                                                   "proposed_rule": ""}
    # A safeguard from the catalog that the Security Rule NPRM would make required says so.
    disk = {**safeguard, "catalog_key": "full_disk_encryption"}
    assert "90 FR 898" in NAMES["safeguard"].derived_fields(disk, today)["proposed_rule"]


def test_only_reviewed_kinds_have_a_write_hook_for_scores_and_a_read_hook_for_flags():
    # A hazard's read hook adds its review-now flag; a tool's and a consent's, the AI rules'
    # flags (issue 23), which depend on the settings and the consent log.
    assert [k for k, names in NAMES.items() if names.reviewed] == ["hazard"]
    assert [k for k, spec in KIND.items() if spec.annotate is not None] == [
        "tool", "hazard", "consent"]
    hazard = KIND["hazard"].prepared(
        {"likelihood": 4, "impact": 5, "target_likelihood": 2, "target_impact": 2,
         "review_cadence_months": 12, "last_reviewed_on": date(2026, 1, 10),
         "next_review_on": None}, None, date(2026, 11, 26))
    assert (hazard["score"], hazard["target_score"]) == (20, 4)
    assert hazard["next_review_on"] == date(2027, 1, 10)
    owner = {"name": "x"}
    assert KIND["owner"].prepared(owner, None, date(2026, 11, 26)) == owner


def test_the_record_in_full_shows_fields_each_kind_has():
    for kind, spec in UI_KINDS.items():
        shown = {field for _, field in spec.fields} | set(spec.long_text) | set(spec.dated_today)
        derived = {"safeguard": {"proposed_rule"}}.get(kind, set())
        assert shown <= set(KIND[kind].model.model_fields) | {NAMES[kind].reference} | derived, \
            kind
    assert UI_KINDS["tool"].vendor_checklist({"handles_phi": True})
    assert not UI_KINDS["tool"].vendor_checklist({"handles_phi": False, "category": "hardware"})
    assert UI_KINDS["safeguard"].flags({"overdue": True}) == ["Overdue"]
    assert UI_KINDS["owner"].flags({"overdue": True}) == []


@pytest.mark.parametrize(("kind", "words", "short"), [
    ("safeguard", "Safeguard: Screen lock", "Verify: Screen lock"),
    ("incident", "Incident Screen lock", "Screen lock: Verify"),
    ("settings", "Screen lock", "Verify"),
    ("vendor", "Vendor: Screen lock", "Verify: Screen lock"),
])
def test_an_agenda_item_is_named_by_its_kind(kind, words, short):
    item = AgendaItem(day=date(2026, 11, 30), days_left=4, what="Verify", record_kind=kind,
                      record_id="id-1", record_name="Screen lock", overdue=False)
    assert (record_words(item), short_label(item)) == (words, short)
