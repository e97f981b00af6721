"""The breach workflow's services: every branch of 164.402, the deadline plan from stored facts
(RULES.md worked examples), holds, business associates, tracking, resuming, conflicts, audit,
and the draft notices."""

import json
import stat
from datetime import date

import pytest

from riskreg.errors import ConflictError, NotFound, ValidationError
from riskreg.services.incidents import IncidentService
from riskreg.storage import audit
from riskreg.storage.database import open_database

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False, "could_not_retain": False}
FACTOR_IDS = ("nature_extent", "recipient", "acquired_viewed", "mitigation")


def factors(rating="high"):
    return {"factors": {k: {"rating": rating, "notes": f"{k} noted"} for k in FACTOR_IDS}}


def service(db, today):
    return IncidentService(db, today=lambda: today)


@pytest.fixture
def incidents(db):
    return service(db, date(2026, 11, 26))


def new(svc, discovered="2026-11-02", **more):
    data = {"title": "Laptop stolen from the car", "description": "The practice laptop was "
            "taken from the car outside the office.", "discovered_on": discovered, **more}
    return svc.create(data)


def to_determination(svc, r, *, rating="high", phi_types=("name", "diagnosis")):
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": list(phi_types)}, r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    return svc.save_factors(ref, factors(rating), r["revision"])


def notified(svc, r, scope, statements=()):
    """Walk an intake through to the plan step with notification required."""
    ref = r["reference"]
    r = to_determination(svc, r)
    r = svc.save_determination(
        ref, {"choice": "notification_required", "rationale": "Presumed; factors high.",
              "decided_on": r["discovered_on"]}, r["revision"])
    r = svc.save_scope(ref, scope, r["revision"])
    for statement in statements:
        r = svc.add_statement(ref, statement, r["revision"])
    return svc.complete_step(ref, "law_enforcement", r["revision"])


def by_id(rows):
    return {row["id"]: row for row in rows}


# -- intake and references -------------------------------------------------------------------


def test_references_count_up_within_each_discovery_year(incidents):
    first = new(incidents)
    second = new(incidents, discovered="2026-01-05")
    older = new(incidents, discovered="2025-12-30")
    assert [first["reference"], second["reference"], older["reference"]] == [
        "INC-2026-001", "INC-2026-002", "INC-2025-001"]
    assert first["step"] == "phi" and first["status"] == "open" and first["revision"] == 1
    assert incidents.get("inc-2026-002")["public_id"] == second["public_id"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"discovered_on": "2026-02-30"}, "discovered_on"),
        ({"discovered_on": "2026-12-01"}, "discovered_on"),
        ({"occurred_on": "2026-11-05"}, "occurred_on"),
        ({"occurred_on": "2026-10-05", "occurred_until": "2026-10-01"}, "occurred_until"),
        ({"ba_involved": True, "ba_tool": "no-such-tool"}, "ba_tool"),
        ({"hazards": ["no-such-hazard"]}, "hazards"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_bad_intake_names_the_field_and_writes_nothing(incidents, change, field):
    with pytest.raises(ValidationError) as error:
        new(incidents, **change)
    assert error.value.field == field
    assert incidents.list() == []


def test_an_impossible_date_says_it_is_not_a_date(incidents):
    with pytest.raises(ValidationError) as error:
        new(incidents, discovered="2026-02-30")
    assert str(error.value) == "discovered_on: The discovery date 2026-02-30 is not a date (February 2026 has 28 days)."


def test_an_unknown_reference_is_not_found(incidents):
    with pytest.raises(NotFound, match="no incident INC-2026-404"):
        incidents.get("INC-2026-404")


# -- the branches of 164.402 -------------------------------------------------------------------


def test_no_phi_ends_the_path_with_the_reason_recorded_as_the_determination(incidents):
    r = new(incidents)
    with pytest.raises(ValidationError) as error:
        incidents.save_phi(r["reference"], {"phi_involved": False}, r["revision"])
    assert error.value.field == "phi_reason"
    r = incidents.save_phi(
        r["reference"], {"phi_involved": False, "phi_reason": "The laptop held only blank forms."},
        r["revision"])
    assert r["step"] == "closeout"
    assert r["determination"] == "not_phi"
    assert r["determination_rationale"] == "The laptop held only blank forms."
    assert r["presumption"]["outcome"] == "not_phi"
    assert r["next_deadline"] is None and incidents.plan(r["reference"]) is None
    r = incidents.close(r["reference"], r["revision"])
    assert (r["status"], r["step"], r["closed_on"]) == ("closed", "closed", date(2026, 11, 26))
    assert r["retain_until"] == date(2032, 11, 26)  # six years, 164.530(j)


def test_encryption_with_the_key_safe_is_the_safe_harbor_and_skips_the_exceptions(incidents):
    r = new(incidents)
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": True}, r["revision"])
    with pytest.raises(ValidationError) as error:
        incidents.save_secured(ref, {"secured_by": "encryption", "secured_basis": "FileVault"},
                               r["revision"])
    assert error.value.field == "key_compromised"
    with pytest.raises(ValidationError) as error:  # issue 19: was it in force at the time?
        incidents.save_secured(ref, {"secured_by": "encryption", "key_compromised": False,
                                     "secured_basis": "FileVault"}, r["revision"])
    assert error.value.field == "encryption_in_force"
    r = incidents.save_secured(ref, {"secured_by": "encryption", "key_compromised": False,
                                     "encryption_in_force": True,
                                     "secured_basis": "FileVault (AES-256), password not stored"},
                               r["revision"])
    assert r["presumption"]["outcome"] == "safe_harbor"
    assert r["step"] == "factors"  # the assessment is still recorded (RULES.md)
    r = incidents.save_factors(ref, factors("low"), r["revision"])
    assert r["step"] == "determination" and r["determination"] is None
    r = incidents.save_determination(
        ref, {"choice": "not_a_breach_safe_harbor", "rationale": "Encrypted, key safe."},
        r["revision"])
    assert r["step"] == "closeout" and r["review_notes"] == []
    assert incidents.plan(ref) is None and r["obligations"] == []


def test_encryption_with_a_compromised_key_is_unsecured(incidents):
    r = new(incidents)
    r = incidents.save_phi(r["reference"], {"phi_involved": True}, r["revision"])
    r = incidents.save_secured(r["reference"], {"secured_by": "encryption", "key_compromised": True,
                                                "secured_basis": "Password on a sticky note"},
                               r["revision"])
    assert r["presumption"]["outcome"] != "safe_harbor"
    assert r["step"] == "exceptions"


def test_destruction_needs_its_basis(incidents):
    r = new(incidents)
    r = incidents.save_phi(r["reference"], {"phi_involved": True}, r["revision"])
    with pytest.raises(ValidationError) as error:
        incidents.save_secured(r["reference"], {"secured_by": "destruction"}, r["revision"])
    assert error.value.field == "secured_basis"


def test_an_exception_leads_to_the_determination_and_must_be_named(incidents):
    r = new(incidents)
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": True}, r["revision"])
    r = incidents.save_secured(ref, {"secured_by": "none"}, r["revision"])
    with pytest.raises(ValidationError) as error:
        incidents.save_exceptions(ref, {"exceptions": {"could_not_retain": True}}, r["revision"])
    assert error.value.field == "exceptions.workforce_good_faith"
    with pytest.raises(ValidationError) as error:
        incidents.save_exceptions(ref, {"exceptions": {**NO_EXCEPTION, "could_not_retain": True}},
                                  r["revision"])
    assert error.value.field == "notes"
    r = incidents.save_exceptions(
        ref, {"exceptions": {**NO_EXCEPTION, "could_not_retain": True},
              "notes": "Letter returned unopened by the post office."}, r["revision"])
    assert r["step"] == "determination"
    assert r["presumption"]["outcome"] == "exception"
    with pytest.raises(ValidationError) as error:
        incidents.save_determination(
            ref, {"choice": "not_a_breach_exception", "rationale": "Returned unopened."},
            r["revision"])
    assert error.value.field == "exception_id"
    r = incidents.save_determination(
        ref, {"choice": "not_a_breach_exception", "exception_id": "could_not_retain",
              "rationale": "Returned unopened."}, r["revision"])
    assert r["step"] == "closeout" and r["review_notes"] == []


def test_all_factors_low_supports_low_probability_but_the_practitioner_decides(incidents):
    r = to_determination(incidents, new(incidents), rating="low")
    assert r["presumption"]["outcome"] == "low_probability_supported"
    assert r["determination"] is None and r["step"] == "determination"
    r = incidents.save_determination(
        r["reference"], {"choice": "low_probability", "rationale": "Recipient is a covered entity; "
                         "destroyed unread."}, r["revision"])
    assert r["determination_label"] == "Not a breach: low probability of compromise"
    assert r["step"] == "closeout" and r["obligations"] == []


def test_a_determination_against_the_presumption_is_recorded_with_points_to_address(incidents):
    r = to_determination(incidents, new(incidents), rating="high")
    assert r["presumption"]["outcome"] == "presumed_breach"
    r = incidents.save_determination(
        r["reference"], {"choice": "low_probability", "rationale": "I think it is fine."},
        r["revision"])
    assert r["determination"] == "low_probability"
    assert any('The record points to "Breach: notification required"; you chose "Not a breach: '
               'low probability of compromise"' in note for note in r["review_notes"])


def test_a_determination_needs_a_rationale(incidents):
    r = to_determination(incidents, new(incidents))
    with pytest.raises(ValidationError) as error:
        incidents.save_determination(
            r["reference"], {"choice": "notification_required", "rationale": "   "}, r["revision"])
    assert error.value.field == "rationale"
    assert incidents.get(r["reference"])["determination"] is None


def test_the_four_factors_each_need_a_rating_and_notes(incidents):
    r = new(incidents)
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": True}, r["revision"])
    r = incidents.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = incidents.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    data = factors()
    data["factors"]["mitigation"]["notes"] = ""
    with pytest.raises(ValidationError) as error:
        incidents.save_factors(ref, data, r["revision"])
    assert error.value.field == "factors.mitigation.notes"
    data["factors"]["mitigation"] = {"rating": "severe", "notes": "x"}
    with pytest.raises(ValidationError) as error:
        incidents.save_factors(ref, data, r["revision"])
    assert error.value.field.startswith("factors.mitigation")


def test_a_step_cannot_be_skipped(incidents):
    r = new(incidents)
    with pytest.raises(ValidationError) as error:
        incidents.save_factors(r["reference"], factors(), r["revision"])
    assert error.value.field == "step"
    with pytest.raises(ValidationError) as error:
        incidents.save_scope(r["reference"], {"affected": 3}, r["revision"])
    assert error.value.field == "step"


def test_hipaa_notices_apply_only_when_notification_is_required(incidents):
    # Issue 19: the scope stays open for the state analysis; holds and drafts stay HIPAA's.
    r = to_determination(incidents, new(incidents), rating="low")
    r = incidents.save_determination(r["reference"], {"choice": "low_probability",
                                                      "rationale": "All four low."}, r["revision"])
    r = incidents.save_scope(r["reference"], {"affected": 3}, r["revision"])
    assert r["step"] == "closeout"
    with pytest.raises(ValidationError, match="notification is required"):
        incidents.add_statement(r["reference"], {"kind": "oral", "statement_on": "2026-11-20",
                                                 "official": "Det. A", "agency": "Police"},
                                r["revision"])


def test_changing_no_phi_to_phi_withdraws_that_determination_and_resumes_the_path(incidents):
    r = new(incidents)
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": False, "phi_reason": "Blank forms."}, r["revision"])
    r = incidents.save_phi(ref, {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
    assert r["determination"] is None and r["step"] == "secured"


# -- notification: the plan from stored facts (RULES.md worked examples) -----------------------


def test_example_1_three_colorado_residents_go_on_the_annual_log(db):
    svc = service(db, date(2026, 3, 12))
    r = notified(svc, new(svc, discovered="2026-03-10"), {"affected": 3, "residents": {"CO": 3}})
    plan = svc.plan(r["reference"])
    assert plan.obligation("individuals").due == date(2026, 5, 9)
    assert plan.obligation("individuals").weekend  # a Saturday: warned, never moved
    hhs = plan.obligation("hhs")
    assert (hhs.track, hhs.due) == ("annual_log", date(2027, 3, 1))
    assert not [o for o in plan.obligations if o.id.startswith("media:")]
    assert plan.obligation("state:CO").due == date(2026, 4, 9)
    assert r["step"] == "plan"


def test_example_4_more_than_500_in_one_state_brings_media_and_hhs_with_the_notice(db):
    svc = service(db, date(2026, 9, 10))
    r = notified(svc, new(svc, discovered="2026-09-01"), {"affected": 501, "residents": {"FL": 501}})
    status = by_id(svc.obligation_status(r["reference"]))
    for oid in ("individuals", "media:FL", "hhs"):
        assert status[oid]["due"] == date(2026, 10, 31)
        assert status[oid]["weekday"] == "Sat" and status[oid]["weekend"]
        assert status[oid]["state"] == "due" and status[oid]["days_left"] == 51
    assert status["hhs"]["track"] == "with_individual_notice"
    assert status["media:FL"]["citation"] == "45 CFR 164.406(b)"


def test_the_internal_target_follows_the_practice_settings(db):
    from riskreg.services.settings import SettingsService

    svc = service(db, date(2026, 9, 10))
    r = notified(svc, new(svc, discovered="2026-09-01"), {"affected": 3})
    individuals = svc.plan(r["reference"]).obligation("individuals")
    assert (individuals.due, individuals.internal_target) == (date(2026, 10, 31),
                                                               date(2026, 10, 16))  # 15 before
    SettingsService(db, today=lambda: date(2026, 9, 10)).update(
        {"internal_target_days": 30}, expected_revision=0)
    assert svc.plan(r["reference"]).obligation("individuals").internal_target == date(2026, 10, 1)


def test_example_3_exactly_500_in_one_state_brings_no_media_notice(db):
    svc = service(db, date(2026, 9, 10))
    r = notified(svc, new(svc, discovered="2026-09-01"), {"affected": 500, "residents": {"CA": 500}})
    ids = [o["id"] for o in svc.obligation_status(r["reference"])]
    assert "media:CA" not in ids
    assert by_id(svc.obligation_status(r["reference"]))["hhs"]["track"] == "with_individual_notice"


def test_example_5_an_oral_law_enforcement_statement_holds_notice_30_days(db):
    svc = service(db, date(2026, 5, 25))
    statement = {"kind": "oral", "statement_on": "2026-05-20", "official": "Det. A. Ortiz",
                 "agency": "Springfield Police Department"}
    r = notified(svc, new(svc, discovered="2026-04-01"), {"affected": 600, "residents": {"IL": 600}},
                 [statement])
    plan = svc.plan(r["reference"])
    assert [(h.statement_on, h.ends_on) for h in plan.holds] == [(date(2026, 5, 20), date(2026, 6, 19))]
    for oid in ("individuals", "media:IL", "hhs"):
        o = plan.obligation(oid)
        assert (o.original_due, o.due, o.tolling_due) == (
            date(2026, 5, 31), date(2026, 6, 19), date(2026, 6, 30))
        assert o.verify_with_counsel
    # Withdrawn by mistake: the clock goes back to the original due date.
    r = svc.withdraw_statement(r["reference"], r["statements"][0]["public_id"], r["revision"])
    assert r["statements"] == []
    assert svc.plan(r["reference"]).obligation("individuals").due == date(2026, 5, 31)


def test_an_oral_statement_needs_the_officials_identity_and_a_written_one_its_period(db):
    svc = service(db, date(2026, 5, 25))
    r = notified(svc, new(svc, discovered="2026-04-01"), {"affected": 3, "residents": {"IL": 3}})
    with pytest.raises(ValidationError) as error:
        svc.add_statement(r["reference"], {"kind": "oral", "statement_on": "2026-05-20",
                                           "agency": "Police"}, r["revision"])
    assert error.value.field == "official"
    with pytest.raises(ValidationError) as error:
        svc.add_statement(r["reference"], {"kind": "written", "statement_on": "2026-05-20",
                                           "agency": "FBI"}, r["revision"])
    assert error.value.field == "days"
    with pytest.raises(ValidationError) as error:
        svc.add_statement(r["reference"], {"kind": "written", "statement_on": "2026-03-20",
                                           "days": 10, "agency": "FBI"}, r["revision"])
    assert error.value.field == "statement_on"
    r = svc.add_statement(r["reference"], {"kind": "written", "statement_on": "2026-05-20",
                                           "days": 45, "agency": "FBI"}, r["revision"])
    assert svc.plan(r["reference"]).obligation("individuals").due == date(2026, 7, 4)


def test_a_business_associate_acting_as_agent_starts_the_clock_at_its_own_discovery(db, register):
    tool = register.create("tool", {"name": "Billing service", "category": "other"})
    svc = service(db, date(2026, 5, 20))
    intake = {"ba_involved": True, "ba_tool": tool["public_id"], "ba_discovered_on": "2026-05-01"}
    agent = notified(svc, new(svc, discovered="2026-05-10", **intake), {"affected": 3})
    assert agent["effective_discovered"] == date(2026, 5, 1)
    assert agent["ba_tool_name"] == "Billing service"
    assert svc.plan(agent["reference"]).obligation("individuals").due == date(2026, 6, 30)
    contractor = notified(svc, new(svc, discovered="2026-05-10", **intake, ba_is_agent=False),
                          {"affected": 3})
    assert svc.plan(contractor["reference"]).obligation("individuals").due == date(2026, 7, 9)


def test_scope_is_checked_by_the_engines_rules(db):
    svc = service(db, date(2026, 9, 10))
    r = new(svc, discovered="2026-09-01")
    r = to_determination(svc, r)
    r = svc.save_determination(r["reference"], {"choice": "notification_required",
                                                 "rationale": "Presumed."}, r["revision"])
    for scope, field in [
        ({"affected": 10, "residents": {"FL": 11}}, "residents"),
        ({"affected": 10, "residents": {"XX": 1}}, "residents"),
        ({"affected": 0}, "affected"),
        ({"affected": 10, "insufficient_contact": 11}, "insufficient_contact"),
        ({"affected": 10, "residents": {"FL": 10}, "determined": {"FL": "2026-08-01"}}, "determined"),
    ]:
        with pytest.raises(ValidationError) as error:
            svc.save_scope(r["reference"], scope, r["revision"])
        assert error.value.field == field, scope
    r = svc.save_scope(r["reference"], {"affected": 10, "residents": {"fl": 6, "GA": 4}}, r["revision"])
    assert r["residents"] == {"FL": 6, "GA": 4}
    r = svc.save_scope(r["reference"], {"affected": 10, "residents": {"FL": 10}}, r["revision"])
    assert r["residents"] == {"FL": 10}  # GA's row is archived, not deleted


def test_before_a_determination_the_60_day_outer_limit_is_already_running(incidents):
    r = new(incidents, discovered="2026-11-02")
    nxt = r["next_deadline"]
    assert (nxt["due"], nxt["days_left"], nxt["tentative"]) == (date(2027, 1, 1), 36, True)
    assert incidents.list()[0]["next_deadline"]["due"] == date(2027, 1, 1)


def test_blank_or_bad_numbers_are_field_problems_not_crashes(db):
    svc = service(db, date(2026, 5, 25))
    r = notified(svc, new(svc, discovered="2026-04-01"), {"affected": 3, "residents": {"IL": 3}})
    for statement, field in [
        ({"kind": "written", "statement_on": "2026-05-20", "days": "", "agency": "FBI"}, "days"),
        ({"kind": "written", "statement_on": "2026-05-20", "days": "-3", "agency": "FBI"}, "days"),
        ({"kind": "written", "statement_on": "2026-05-20", "days": "ten", "agency": "FBI"}, "days"),
    ]:
        with pytest.raises(ValidationError) as error:
            svc.add_statement(r["reference"], statement, r["revision"])
        assert error.value.field == field
    r = svc.add_statement(r["reference"], {"kind": "oral", "statement_on": "2026-05-20",
                                           "days": "", "official": "Det. B", "agency": "Police"},
                          r["revision"])
    r = svc.record_notice_sent(r["reference"], {"obligation_id": "hhs", "sent_on": "2026-05-21",
                                                "method": "portal", "count": ""}, r["revision"])
    assert r["notices"][0]["count"] is None
    with pytest.raises(ValidationError) as error:
        svc.save_scope(r["reference"], {"affected": ""}, r["revision"])
    assert error.value.field == "affected"


# -- tracking ------------------------------------------------------------------------------------


def test_a_notice_sent_after_its_due_date_shows_as_done_late_and_unsent_ones_as_late(db):
    svc = service(db, date(2026, 5, 20))
    r = notified(svc, new(svc, discovered="2026-03-10"), {"affected": 3, "residents": {"CO": 3}})
    ref = r["reference"]
    status = by_id(svc.obligation_status(ref))
    assert status["state:CO"]["state"] == "late" and status["state:CO"]["late_by"] == 41
    assert status["individuals"]["state"] == "late" and status["individuals"]["late_by"] == 11
    r = svc.record_notice_sent(ref, {"obligation_id": "individuals", "sent_on": "2026-05-12",
                                     "method": "mail", "count": 3}, r["revision"])
    status = by_id(r["obligations"])
    assert status["individuals"]["state"] == "done"
    assert status["individuals"]["late_by"] == 3
    assert status["individuals"]["status"] == "done 2026-05-12, 3 days late"
    assert status["individuals"]["sent"][0]["count"] == 3
    assert status["hhs"]["state"] == "due"
    assert "state:CO" in r["outstanding"] and "individuals" not in r["outstanding"]
    assert r["next_deadline"]["obligation"] == "state:CO"


def test_a_notice_is_recorded_only_for_the_plan_and_not_before_it_is_sent(db):
    svc = service(db, date(2026, 5, 20))
    r = notified(svc, new(svc, discovered="2026-03-10"), {"affected": 3, "residents": {"CO": 3}})
    r = svc.complete_step(r["reference"], "plan", r["revision"])
    r = svc.complete_step(r["reference"], "notices", r["revision"])
    for notice, field in [
        ({"obligation_id": "media:CO", "sent_on": "2026-05-01", "method": "media"}, "obligation_id"),
        ({"obligation_id": "individuals", "sent_on": "2026-05-21", "method": "mail"}, "sent_on"),
        ({"obligation_id": "individuals", "sent_on": "2026-03-01", "method": "mail"}, "sent_on"),
        ({"obligation_id": "individuals", "sent_on": "2026-05-01", "method": "pigeon"}, "method"),
    ]:
        with pytest.raises(ValidationError) as error:
            svc.record_notice_sent(r["reference"], notice, r["revision"])
        assert error.value.field == field
    r = svc.record_notice_sent(r["reference"], {"obligation_id": "hhs", "sent_on": "2026-05-01",
                                                "method": "portal", "reference": "OCR-123"},
                               r["revision"])
    r = svc.withdraw_notice(r["reference"], r["notices"][0]["public_id"], r["revision"])
    assert r["notices"] == [] and by_id(r["obligations"])["hhs"]["state"] == "due"


# -- resuming, conflicts, closing ------------------------------------------------------------------


def test_a_half_done_incident_resumes_where_it_was_after_reopening_the_database(db_path):
    today = date(2026, 11, 26)
    first = open_database(db_path)
    svc = service(first, today)
    r = new(svc)
    r = svc.save_phi(r["reference"], {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
    r = svc.save_secured(r["reference"], {"secured_by": "none"}, r["revision"])
    first.close()

    second = open_database(db_path)
    try:
        svc = service(second, today)
        r = svc.get("INC-2026-001")
        assert r["step"] == "exceptions" and r["phi_types"] == ["name"]
        assert r["secured_by"] == "none"
        r = svc.save_exceptions(r["reference"], {"exceptions": NO_EXCEPTION}, r["revision"])
        assert r["step"] == "factors"
    finally:
        second.close()


def test_a_stale_revision_is_refused_and_changes_nothing(incidents):
    r = new(incidents)
    incidents.save_phi(r["reference"], {"phi_involved": True}, r["revision"])
    with pytest.raises(ConflictError, match="changed elsewhere"):
        incidents.save_phi(r["reference"], {"phi_involved": False, "phi_reason": "x"}, r["revision"])
    assert incidents.get(r["reference"])["phi_involved"] is True


def test_a_closed_incident_is_read_only_until_reopened(incidents):
    r = new(incidents)
    r = incidents.save_phi(r["reference"], {"phi_involved": False, "phi_reason": "Blank forms."},
                           r["revision"])
    r = incidents.save_closeout(r["reference"], {"lessons_learned": "Lock the car."}, r["revision"])
    r = incidents.close(r["reference"], r["revision"], "2026-11-20")
    with pytest.raises(ValidationError, match="closed"):
        incidents.save_closeout(r["reference"], {"lessons_learned": "x"}, r["revision"])
    assert incidents.list()[0]["status"] == "closed"
    r = incidents.reopen(r["reference"], r["revision"])
    assert (r["status"], r["step"], r["closed_on"]) == ("open", "closeout", None)


def test_closing_needs_a_determination_and_a_date_that_is_not_in_the_future(incidents):
    r = new(incidents)
    with pytest.raises(ValidationError) as error:
        incidents.close(r["reference"], r["revision"])
    assert error.value.field in ("step", "determination")
    r = incidents.save_phi(r["reference"], {"phi_involved": False, "phi_reason": "No PHI."},
                           r["revision"])
    with pytest.raises(ValidationError) as error:
        incidents.close(r["reference"], r["revision"], "2026-12-01")
    assert error.value.field == "closed_on"


# -- the register: hazards flagged, created from close-out -------------------------------------


HAZARD = {"title": "Laptop stolen", "likelihood": 3, "impact": 5, "target_likelihood": 2,
          "target_impact": 2}


def test_linking_a_hazard_flags_it_for_review_with_an_audit_event(incidents, register, db):
    hazard = register.create("hazard", HAZARD)
    r = new(incidents, hazards=[hazard["public_id"]])
    assert [h["public_id"] for h in r["hazards"]] == [hazard["public_id"]]
    flagged = register.get("hazard", hazard["public_id"])
    assert flagged["review_now"] == "incident INC-2026-001 linked"
    assert flagged["revision"] == 2
    with db.reading() as session:
        actions = [(e.entity, e.action) for e in audit.history(session, hazard["public_id"])]
    assert actions == [("hazard", "create"), ("hazard", "update")]
    # A review clears the flag, as for any review.
    register.mark_reviewed(hazard["public_id"], date(2026, 11, 26), "Checked", 2)
    assert register.get("hazard", hazard["public_id"])["review_now"] == ""
    r = incidents.unlink_hazard(r["reference"], hazard["public_id"], r["revision"])
    assert r["hazards"] == []


def test_close_out_creates_a_hazard_and_a_safeguard_in_the_register(incidents, register):
    r = new(incidents)
    r = incidents.save_phi(r["reference"], {"phi_involved": False, "phi_reason": "No PHI."},
                           r["revision"])
    hazard = incidents.create_hazard(r["reference"], HAZARD, r["revision"])
    assert hazard["review_now"] == "incident INC-2026-001 linked"
    r = incidents.get(r["reference"])
    safeguard = incidents.create_safeguard(
        r["reference"], {"title": "Full-disk encryption", "category": "technical"},
        hazard["public_id"], r["revision"])
    linked = register.linked("hazard", hazard["public_id"])
    assert [s["public_id"] for s in linked["safeguard"]] == [safeguard["public_id"]]
    assert [h["title"] for h in incidents.get(r["reference"])["hazards"]] == ["Laptop stolen"]


# -- the audit log ----------------------------------------------------------------------------------


def test_every_step_is_written_with_an_audit_event_and_the_chain_holds(db, tmp_path):
    svc = service(db, date(2026, 5, 20))
    r = notified(svc, new(svc, discovered="2026-04-01"), {"affected": 3, "residents": {"IL": 3}},
                 [{"kind": "oral", "statement_on": "2026-04-20", "official": "Det. B",
                   "agency": "Police"}])
    ref = r["reference"]
    r = svc.complete_step(ref, "plan", r["revision"])
    r = svc.save_notice_content(ref, {"contact_toll_free": "1-800-555-0100"}, r["revision"])
    svc.write_drafts(ref, tmp_path / "notices")
    r = svc.complete_step(ref, "notices", svc.get(ref)["revision"])
    r = svc.record_notice_sent(ref, {"obligation_id": "individuals", "sent_on": "2026-05-15",
                                     "method": "mail", "count": 3}, r["revision"])
    r = svc.complete_step(ref, "tracking", r["revision"])
    r = svc.save_closeout(ref, {"lessons_learned": "Encrypt the laptop."}, r["revision"])
    svc.close(ref, r["revision"])
    events = svc.history(ref)
    incident_updates = [json.loads(e["changes"]) for e in events if e["entity"] == "incident"]
    changed = set().union(*incident_updates)
    for field in ("phi_involved", "secured_by", "exceptions", "factors", "determination",
                  "determination_rationale", "affected", "contact_toll_free", "lessons_learned",
                  "status", "closed_on", "step"):
        assert field in changed, field
    entities = {e["entity"] for e in events}
    assert {"incident", "incident_resident", "incident_statement", "notice_sent",
            "notice_draft"} <= entities
    assert events[0]["action"] == "create" and events[-1]["action"] == "close"
    with db.reading() as session:
        assert audit.verify(session).ok


def test_a_refused_step_writes_no_audit_event(incidents, db):
    r = new(incidents)
    with db.reading() as session:
        before = audit.verify(session).checked
    with pytest.raises(ValidationError):
        incidents.save_phi(r["reference"], {"phi_involved": False}, r["revision"])
    with db.reading() as session:
        assert audit.verify(session).checked == before


# -- drafts -------------------------------------------------------------------------------------------


def test_drafts_are_private_named_by_reference_and_carry_the_content_checklist(db, tmp_path):
    svc = service(db, date(2026, 9, 10))
    r = new(svc, discovered="2026-09-01", occurred_on="2026-08-30",
            description="Client Jane's file was emailed to the wrong address")
    r = notified(svc, r, {"affected": 640, "residents": {"FL": 560, "GA": 80},
                          "insufficient_contact": 12, "deceased_with_kin": 1, "part2": True})
    r = svc.complete_step(r["reference"], "plan", r["revision"])
    svc.save_notice_content(r["reference"], {
        "notice_steps": "Watch your insurer's statements.",
        "notice_actions": "We retrained staff and added a check before sending.",
        "contact_toll_free": "1-800-555-0100", "contact_email": "privacy@example.test",
    }, r["revision"])
    folder = tmp_path / "notices"
    paths = svc.write_drafts(r["reference"], folder)
    names = sorted(p.name for p in paths)
    assert names == [
        "INC-2026-001-hhs-portal-checklist.md",
        "INC-2026-001-individual-notice.md",
        "INC-2026-001-media-notice-FL.md",
        "INC-2026-001-substitute-notice.md",
    ]
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert "Jane" not in path.name and "email" not in path.name.lower()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    letter = (folder / "INC-2026-001-individual-notice.md").read_text()
    for item in ("(A) What happened", "(B) The types of unsecured PHI",
                 "(C) Steps people should take", "(D) What the practice is doing",
                 "(E) Contact procedures"):
        assert f"- [x] {item}" in letter, item
    assert "- [ ] Written in plain language" in letter
    assert "August 30, 2026" in letter and "September 1, 2026" in letter
    assert "Full name" in letter and "Diagnosis or disability code" in letter
    assert "next of kin" in letter and "1-800-555-0100" in letter
    assert "Not legal advice" in letter
    substitute = (folder / "INC-2026-001-substitute-notice.md").read_text()
    assert "toll-free" in substitute.lower() and "1-800-555-0100" in substitute
    assert "90 days" in substitute and "164.404(d)(2)(ii)" in substitute
    assert "until at least 2027-01-29" in substitute  # due 2026-10-31 + 90 days
    media = (folder / "INC-2026-001-media-notice-FL.md").read_text()
    assert "Florida" in media and "560" in media
    hhs = (folder / "INC-2026-001-hhs-portal-checklist.md").read_text()
    assert "164.408(b)" in hhs and "42 CFR 2.16" in hhs
    assert "Part 2 breach report as well, on the same clock" in hhs  # all 640 counted
    record = svc.get(r["reference"])
    assert sorted(d["kind"] for d in record["drafts"]) == ["hhs", "individual", "media:FL", "substitute"]
    # Writing again replaces the files and updates the same draft records.
    svc.write_drafts(r["reference"], folder)
    assert len(svc.get(r["reference"])["drafts"]) == 4


def test_missing_notice_content_is_left_as_a_visible_to_do(db, tmp_path):
    svc = service(db, date(2026, 3, 12))
    r = notified(svc, new(svc, discovered="2026-03-10"), {"affected": 3, "residents": {"CO": 3},
                                                           "insufficient_contact": 2})
    paths = svc.write_drafts(r["reference"], tmp_path)
    assert sorted(p.name for p in paths) == [
        "INC-2026-001-hhs-portal-checklist.md", "INC-2026-001-individual-notice.md"]
    letter = (tmp_path / "INC-2026-001-individual-notice.md").read_text()
    assert "- [ ] (D) What the practice is doing" in letter
    assert "[TO DO: how people can ask questions" in letter
    assert "2 people cannot be reached by mail" in letter  # fewer than 10: another way
    hhs = (tmp_path / "INC-2026-001-hhs-portal-checklist.md").read_text()
    assert "annual log" in hhs and "2027-03-01" in hhs


def test_drafts_need_a_breach_requiring_notification(incidents, tmp_path):
    r = new(incidents)
    with pytest.raises(ValidationError, match="notification is required"):
        incidents.write_drafts(r["reference"], tmp_path / "out")
    assert not (tmp_path / "out").exists()


# -- the demo ---------------------------------------------------------------------------------------


def _demo(path, today):
    from riskreg.services.demo import build_demo
    from riskreg.services.register import RegisterService

    db = open_database(path)
    counts = build_demo(RegisterService(db, today=lambda: today), today=today, seed=3)
    return db, counts


def test_the_demo_has_an_annual_log_incident_a_media_one_part_tracked_and_a_closed_one(tmp_path):
    today = date(2026, 11, 26)
    db, counts = _demo(tmp_path / "a.db", today)
    try:
        svc = service(db, today)
        assert counts["incident"] == 3
        rows = {r["title"]: r for r in svc.list()}
        closed = [r for r in rows.values() if r["status"] == "closed"]
        assert [r["determination"] for r in closed] == ["low_probability"]
        opened = [svc.get(r["reference"]) for r in rows.values() if r["status"] == "open"]
        tracks = {by_id(r["obligations"])["hhs"]["track"]: r for r in opened}
        annual = by_id(tracks["annual_log"]["obligations"])
        assert annual["hhs"]["state"] == "due" and annual["individuals"]["state"] == "done"
        media = tracks["with_individual_notice"]
        statuses = by_id(media["obligations"])
        assert any(oid.startswith("media:") for oid in statuses)
        assert {s["state"] for s in statuses.values()} >= {"done", "due"}
        assert media["ba_involved"] and media["ba_is_agent"]
        with db.reading() as session:
            assert audit.verify(session).ok
    finally:
        db.close()
    again, _ = _demo(tmp_path / "b.db", today)
    try:
        same = {r["reference"]: r["public_id"] for r in service(again, today).list()}
    finally:
        again.close()
    assert same == {r["reference"]: r["public_id"] for r in rows.values()}
