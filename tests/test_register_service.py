"""The register's services: validation, revisions, archive, links, reviews, listing in SQL."""

from datetime import date

import pytest

from riskreg.errors import ConflictError, NotFound, ValidationError
from riskreg.services.register import ListQuery
from riskreg.storage import audit

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL

HAZARD = {
    "title": "Laptop stolen from the car",
    "likelihood": 3,
    "impact": 5,
    "target_likelihood": 2,
    "target_impact": 2,
}


def test_a_new_hazard_is_scored_and_due_for_review_after_its_cadence(register):
    hazard = register.create("hazard", {**HAZARD, "review_cadence_months": 6})
    assert hazard["score"] == 15 and hazard["level"] == "High"
    assert hazard["target_score"] == 4 and hazard["target_level"] == "Low"
    assert hazard["next_review_on"] == date(2027, 5, 26)
    assert hazard["revision"] == 1 and len(hazard["public_id"]) == 36


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"likelihood": 6}, "likelihood"),
        ({"impact": 0}, "impact"),
        ({"title": "   "}, "title"),
        ({"treatment": "accept"}, "acceptance_rationale"),
        ({"treatment": "accept", "acceptance_rationale": "cost"}, "acceptance_expires_on"),
        ({"last_reviewed_on": "2026-02-30"}, "last_reviewed_on"),
        ({"status": "done"}, "status"),
    ],
)
def test_an_invalid_hazard_names_the_field_and_writes_nothing(register, change, field):
    with pytest.raises(ValidationError) as error:
        register.create("hazard", {**HAZARD, **change})
    assert error.value.field == field
    assert register.count("hazard") == 0


def test_an_impossible_date_is_reported_as_not_a_date(register):
    with pytest.raises(ValidationError) as error:
        register.create("hazard", {**HAZARD, "last_reviewed_on": "2026-02-30"})
    assert str(error.value) == "last_reviewed_on: The last review date 2026-02-30 is not a date (February 2026 has 28 days)."


def test_a_baa_must_expire_after_it_was_signed(register):
    with pytest.raises(ValidationError) as error:
        register.create("tool", {
            "name": "Scribe", "category": "ai_scribe", "baa_status": "signed",
            "baa_signed_on": "2026-05-01", "baa_expires_on": "2026-04-01",
        })
    assert error.value.field == "baa_expires_on"


def test_an_addressable_safeguard_in_place_needs_its_decision_note(register):
    with pytest.raises(ValidationError) as error:
        register.create("safeguard", {"title": "Auto logoff", "category": "technical",
                                      "requirement": "addressable", "status": "in_place"})
    assert error.value.field == "decision_note"


def test_a_consent_entry_takes_a_client_code_never_a_name(register):
    with pytest.raises(ValidationError) as error:
        register.create("consent", {"client_code": "Jane Doe", "disclosed_on": "2026-11-01"})
    assert error.value.field == "client_code"
    entry = register.create("consent", {"client_code": "C-0042", "disclosed_on": "2026-11-01",
                                        "decision": "declined", "alternative_offered": "paper notes"})
    assert entry["decision"] == "declined"


def test_updating_with_a_stale_revision_is_refused_without_overwriting(register):
    hazard = register.create("hazard", HAZARD)
    register.update("hazard", hazard["public_id"], {"impact": 4}, expected_revision=1)
    with pytest.raises(ConflictError, match="changed elsewhere"):
        register.update("hazard", hazard["public_id"], {"impact": 1}, expected_revision=1)
    assert register.get("hazard", hazard["public_id"])["impact"] == 4


def test_an_update_bumps_the_revision_and_audits_old_and_new_values(register):
    hazard = register.create("hazard", HAZARD)
    updated = register.update("hazard", hazard["public_id"], {"impact": 4}, expected_revision=1)
    assert updated["revision"] == 2 and updated["score"] == 12
    events = register.history(hazard["public_id"])
    assert [e["action"] for e in events] == ["create", "update"]
    assert '"impact": [5, 4]' in events[1]["changes"]


def test_archive_hides_a_record_and_restore_brings_it_back(register):
    hazard = register.create("hazard", HAZARD)
    register.archive("hazard", hazard["public_id"])
    assert register.list("hazard").total == 0
    assert register.list("hazard", ListQuery(archived=True)).total == 1
    register.restore("hazard", hazard["public_id"])
    assert register.list("hazard").total == 1
    actions = [e["action"] for e in register.history(hazard["public_id"])]
    assert actions == ["create", "archive", "restore"]


def test_unknown_public_id_is_not_found(register):
    with pytest.raises(NotFound):
        register.get("hazard", "no-such-id")


def test_list_filters_sorts_and_pages_in_sql(register):
    for i, title in enumerate(["Phishing email", "Misdirected fax", "Phishing text", "Ransomware"]):
        register.create("hazard", {**HAZARD, "title": title, "likelihood": i + 1})
    page = register.list("hazard", ListQuery(text="phish", sort="score", descending=True))
    assert [r["title"] for r in page.rows] == ["Phishing text", "Phishing email"]
    window = register.list("hazard", ListQuery(sort="title", offset=1, limit=2))
    assert window.total == 4
    assert [r["title"] for r in window.rows] == ["Phishing email", "Phishing text"]


def test_filter_text_with_like_wildcards_is_taken_literally(register):
    register.create("hazard", {**HAZARD, "title": "100% of notes unreviewed"})
    register.create("hazard", {**HAZARD, "title": "1000 records"})
    assert [r["title"] for r in register.list("hazard", ListQuery(text="100%")).rows] == [
        "100% of notes unreviewed"
    ]


def test_marking_reviewed_records_the_scores_and_sets_the_next_review(register):
    hazard = register.create("hazard", {**HAZARD, "review_cadence_months": 3})
    reviewed = register.mark_reviewed(hazard["public_id"], date(2026, 11, 20), "checked",
                                      expected_revision=1)
    assert reviewed["last_reviewed_on"] == date(2026, 11, 20)
    assert reviewed["next_review_on"] == date(2027, 2, 20)
    [review] = register.reviews(hazard["public_id"])
    assert (review["likelihood"], review["impact"], review["notes"]) == (3, 5, "checked")


def test_a_review_re_scores_the_hazard_in_the_same_transaction_and_keeps_the_scores_before(
        db, register):
    # Finding 23: the review dialog showed the scores and could not change them.
    from riskreg.services.audit_check import verify_database

    hazard = register.create("hazard", HAZARD)  # inherent 3×5, target 2×2, no current assessment
    reviewed = register.mark_reviewed(
        hazard["public_id"], date(2026, 11, 20), "Asked vendor for BAA; retention unknown.",
        expected_revision=1,
        scores={"likelihood": 4, "impact": 5, "current_likelihood": 2, "current_impact": 3,
                "target_likelihood": 2, "target_impact": 2})
    assert (reviewed["likelihood"], reviewed["score"]) == (4, 20)
    assert (reviewed["current_likelihood"], reviewed["current_impact"],
            reviewed["current_from"]) == (2, 3, date(2026, 11, 20))
    [review] = register.reviews(hazard["public_id"])
    assert (review["likelihood"], review["current_likelihood"], review["current_impact"]) == (
        4, 2, 3)
    # before: inherent 3×5, current 3×5 (it equalled inherent); the target did not change
    assert review["before"] == {"likelihood": 3, "current_likelihood": 3, "current_impact": 5}
    assert review["recorded_at"] is not None
    changes = [e["changes"] for e in register.history(hazard["public_id"])]
    assert '"likelihood": [3, 4]' in changes[-1] and '"last_reviewed_on"' in changes[-1]
    assert verify_database(db).ok  # the audit log explains the review and the new scores


def test_a_review_with_a_score_out_of_range_changes_nothing(register):
    hazard = register.create("hazard", HAZARD)
    with pytest.raises(ValidationError) as refused:
        register.mark_reviewed(hazard["public_id"], date(2026, 11, 20), "", 1,
                               scores={"impact": 6})
    assert refused.value.field == "impact"
    assert register.reviews(hazard["public_id"]) == []
    assert register.get("hazard", hazard["public_id"])["revision"] == 1


def test_overdue_lists_only_hazards_past_their_review_date(register):
    register.create("hazard", {**HAZARD, "title": "Late", "next_review_on": "2026-11-01"})
    register.create("hazard", {**HAZARD, "title": "Fine", "next_review_on": "2026-12-01"})
    assert [r["title"] for r in register.list("hazard", ListQuery(overdue=True)).rows] == ["Late"]


def test_links_attach_and_detach_tools_and_safeguards(register):
    hazard = register.create("hazard", HAZARD)
    tool = register.create("tool", {"name": "Laptop", "category": "device", "handles_phi": True,
                                    "baa_status": "not_needed"})
    safeguard = register.create("safeguard", {"title": "Full-disk encryption",
                                              "category": "technical", "requirement": "addressable",
                                              "decision_note": "implemented: FileVault"})
    register.link(hazard["public_id"], "tool", tool["public_id"])
    register.link(hazard["public_id"], "safeguard", safeguard["public_id"])
    register.link(hazard["public_id"], "tool", tool["public_id"])  # twice: still one link
    links = register.linked("hazard", hazard["public_id"])
    assert [t["name"] for t in links["tool"]] == ["Laptop"]
    assert [s["title"] for s in links["safeguard"]] == ["Full-disk encryption"]
    register.unlink(hazard["public_id"], "tool", tool["public_id"])
    assert register.linked("hazard", hazard["public_id"])["tool"] == []
    assert [h["title"] for h in register.linked("safeguard", safeguard["public_id"])["hazard"]] == [
        HAZARD["title"]
    ]


def test_owner_is_referenced_by_public_id_and_shown_by_name(register):
    owner = register.create("owner", {"name": "Dr. Rivera", "role": "Practitioner"})
    hazard = register.create("hazard", {**HAZARD, "owner": owner["public_id"]})
    assert hazard["owner"] == "Dr. Rivera"
    assert hazard["owner_public_id"] == owner["public_id"]
    page = register.list("hazard", ListQuery(sort="owner"))
    assert page.rows[0]["owner"] == "Dr. Rivera"
    with pytest.raises(ValidationError) as error:
        register.create("hazard", {**HAZARD, "owner": "nobody"})
    assert error.value.field == "owner"


def test_every_change_is_in_an_intact_audit_chain(register, db):
    hazard = register.create("hazard", HAZARD)
    register.update("hazard", hazard["public_id"], {"impact": 2}, expected_revision=1)
    register.archive("hazard", hazard["public_id"])
    with db.reading() as session:
        result = audit.verify(session)
    assert result.ok and result.checked == 3
