"""Issue 19, the workflow: state duties do not depend on HIPAA's determination (the plan keeps
the state rows after a safe harbor, an exception or a low-probability finding), the tentative
next deadline is the earliest running clock, the determination asks what 164.402 asks (a
permitted use or disclosure; encryption in force at the time), and the Part 2 count."""

from datetime import date

import pytest

from riskreg.errors import ValidationError
from riskreg.services.change_words import change_lines
from riskreg.services.incidents import IncidentService

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}
FACTOR_IDS = ("nature_extent", "recipient", "acquired_viewed", "mitigation")
TODAY = date(2026, 11, 26)


@pytest.fixture
def svc(db):
    return IncidentService(db, today=lambda: TODAY)


def new(svc, discovered="2026-11-02"):
    return svc.create({"title": "Laptop stolen from the car", "discovered_on": discovered})


def phi(svc, r, **more):
    # A name with a diagnosis: Colorado's personal information includes medical information
    # (C.R.S. 6-1-716(1)(g)); a name alone would not bring its law into play.
    return svc.save_phi(r["reference"], {"phi_involved": True,
                                         "phi_types": ["name", "diagnosis"],
                                         "use_permitted": False, **more}, r["revision"])


def low_probability(svc, r):
    ref = r["reference"]
    r = phi(svc, r)
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "low", "notes": "low"}
                                           for k in FACTOR_IDS}}, r["revision"])
    return svc.save_determination(ref, {"choice": "low_probability",
                                        "rationale": "Returned unread, destroyed."}, r["revision"])


# -- state duties do not depend on HIPAA's determination -------------------------------------------


def test_a_low_probability_finding_keeps_the_state_rows_and_drops_the_federal_notices(svc):
    r = low_probability(svc, new(svc))
    assert r["step"] == "closeout" and r["state_analysis_only"]
    assert svc.plan(r["reference"]) is None  # no scope yet: nothing to compute
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    assert r["step"] == "closeout"  # recording the scope does not reopen the HIPAA path
    plan = svc.plan(r["reference"])
    ids = [o.id for o in plan.obligations]
    assert "state:CO" in ids
    assert not {"individuals", "hhs", "substitute_notice", "hhs_part2"} & set(ids)
    assert not any(i.startswith("media:") for i in ids)
    assert plan.warnings[0].startswith("HIPAA requires no notice on your determination "
                                       "(Not a breach: low probability of compromise)")
    assert "separate analysis" in plan.warnings[0] and "Verify with counsel" in plan.warnings[0]
    # C.R.S. 6-1-716(2): 30 days (counted from discovery when no determination date is given).
    co = plan.obligation("state:CO")
    assert co.due == date(2026, 12, 2)
    nxt = r["next_deadline"]
    assert (nxt["obligation"], nxt["due"], nxt["tentative"]) == ("state:CO", date(2026, 12, 2),
                                                                 False)
    assert [o["id"] for o in r["obligations"]] == ids
    assert r["warnings"][0] == plan.warnings[0]


def test_a_state_notice_is_tracked_and_a_federal_one_is_refused_after_no_hipaa_breach(svc):
    r = low_probability(svc, new(svc))
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    with pytest.raises(ValidationError) as error:
        svc.record_notice_sent(r["reference"], {"obligation_id": "individuals",
                                                "sent_on": "2026-11-20", "method": "mail"},
                               r["revision"])
    assert error.value.field == "obligation_id"
    r = svc.record_notice_sent(r["reference"], {"obligation_id": "state:CO",
                                                "sent_on": "2026-11-20", "method": "mail",
                                                "count": 3}, r["revision"])
    assert by_id(r["obligations"])["state:CO"]["state"] == "done"
    assert r["next_deadline"] is None or r["next_deadline"]["obligation"] != "state:CO"
    assert svc.complete_step(r["reference"], "tracking", r["revision"])["step"] == "closeout"


def test_a_closed_incident_without_a_hipaa_breach_keeps_an_owed_state_notice(svc):
    r = low_probability(svc, new(svc))
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    r = svc.close(r["reference"], r["revision"])
    assert r["outstanding"] == [o["id"] for o in r["obligations"]]
    assert r["next_deadline"]["obligation"] == "state:CO"
    row = next(x for x in svc.list() if x["reference"] == r["reference"])
    assert row["next_deadline"]["due"] == date(2026, 12, 2) and row["still_owed"] >= 1


def test_a_safe_harbor_with_residents_outside_the_state_rules_says_so(svc):
    r = new(svc)
    ref = r["reference"]
    r = phi(svc, r)
    r = svc.save_secured(ref, {"secured_by": "destruction", "secured_basis": "Cross-cut shredder"},
                         r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "low", "notes": "low"}
                                           for k in FACTOR_IDS}}, r["revision"])
    r = svc.save_determination(ref, {"choice": "not_a_breach_safe_harbor",
                                     "rationale": "Shredded."}, r["revision"])
    r = svc.save_scope(ref, {"affected": 2}, r["revision"])
    plan = svc.plan(ref)
    assert plan.obligations == ()
    assert plan.warnings[0].startswith("HIPAA requires no notice on your determination "
                                       "(Not a breach: secured PHI (safe harbor))")
    assert "no row for the residents recorded" in plan.warnings[0]
    assert r["next_deadline"] is None


def test_notification_required_still_gives_the_whole_plan(svc):
    r = new(svc)
    ref = r["reference"]
    r = phi(svc, r)
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, {"factors": {k: {"rating": "high", "notes": "high"}
                                           for k in FACTOR_IDS}}, r["revision"])
    r = svc.save_determination(ref, {"choice": "notification_required", "rationale": "High."},
                               r["revision"])
    r = svc.save_scope(ref, {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    ids = [o.id for o in svc.plan(ref).obligations]
    assert {"individuals", "hhs", "state:CO"} <= set(ids)
    assert not r["state_analysis_only"]
    assert not any("HIPAA requires no notice" in w for w in r["warnings"])


# -- the tentative next deadline: the earliest running clock --------------------------------------


def test_before_a_determination_a_thirty_day_state_clock_is_the_tentative_next_deadline(svc):
    r = phi(svc, new(svc))
    assert r["next_deadline"]["obligation"] == "individuals"  # no residents yet: HIPAA's day 60
    assert r["next_deadline"]["due"] == date(2027, 1, 1)
    # The scope can be recorded once PHI was involved; it does not move the step on.
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    assert r["step"] == "secured" and r["determination"] is None
    nxt = r["next_deadline"]
    assert (nxt["obligation"], nxt["due"], nxt["tentative"]) == ("state:CO", date(2026, 12, 2),
                                                                 True)
    assert "if the state's definition of breach is met" in nxt["who"]
    tentative = {t["obligation"]: t["due"] for t in r["tentative_obligations"]}
    assert tentative["individuals"] == date(2027, 1, 1)
    assert tentative["state:CO"] == date(2026, 12, 2)
    assert svc.plan(r["reference"]) is None  # still no plan: nothing is determined
    row = next(x for x in svc.list() if x["reference"] == r["reference"])
    assert row["next_deadline"]["obligation"] == "state:CO"
    assert [x["reference"] for x in svc.open_deadlines()] == [r["reference"]]


def test_a_state_clock_later_than_day_sixty_leaves_hipaa_first(svc):
    r = phi(svc, new(svc))
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"TX": 3}}, r["revision"])
    assert r["next_deadline"]["obligation"] == "individuals"  # TX: 60 days, a tie goes to HIPAA
    assert r["next_deadline"]["due"] == date(2027, 1, 1)


def test_the_scope_is_not_recorded_before_phi_or_after_no_phi(svc):
    r = new(svc)
    with pytest.raises(ValidationError) as error:
        svc.save_scope(r["reference"], {"affected": 3}, r["revision"])
    assert error.value.field == "step"
    r = svc.save_phi(r["reference"], {"phi_involved": False, "phi_reason": "Blank forms."},
                     r["revision"])
    with pytest.raises(ValidationError) as error:
        svc.save_scope(r["reference"], {"affected": 3}, r["revision"])
    assert error.value.field == "phi_involved"


# -- the determination asks what 164.402 asks -------------------------------------------------------


def test_a_permitted_disclosure_ends_the_path_as_not_a_breach_with_its_reason(svc):
    r = new(svc)
    ref = r["reference"]
    with pytest.raises(ValidationError) as error:
        svc.save_phi(ref, {"phi_involved": True, "use_permitted": True}, r["revision"])
    assert error.value.field == "permitted_basis"
    basis = "Incidental: a client overheard a name at the front desk; 164.502(a)(1)(iii)."
    r = svc.save_phi(ref, {"phi_involved": True, "use_permitted": True,
                           "permitted_basis": basis}, r["revision"])
    assert (r["determination"], r["determination_rationale"], r["step"]) == (
        "not_a_breach_permitted", basis, "closeout")
    assert r["decided_on"] == TODAY
    assert r["presumption"]["outcome"] == "permitted" and r["review_notes"] == []
    assert r["determination_label"] == "Not a breach: a permitted or incidental use or disclosure"
    assert r["next_deadline"] is None and svc.plan(ref) is None
    with pytest.raises(ValidationError) as error:
        svc.save_scope(ref, {"affected": 1}, r["revision"])
    assert error.value.field == "determination"
    with pytest.raises(ValidationError) as error:
        svc.add_statement(ref, {"kind": "oral", "statement_on": "2026-11-20",
                                "official": "Det. A", "agency": "Police"}, r["revision"])
    assert error.value.field == "determination"
    with pytest.raises(ValidationError) as error:
        svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    assert error.value.field == "use_permitted"
    # Withdrawn: the determination rested on it alone, and the path resumes.
    r = svc.save_phi(ref, {"phi_involved": True, "use_permitted": False}, r["revision"])
    assert r["determination"] is None and r["step"] == "secured"
    assert (r["use_permitted"], r["permitted_basis"]) == (False, "")
    history = svc.history(ref)
    words = [line for event in history for line in change_lines(event["changes"])]
    assert any(line.startswith("Use or disclosure permitted by the Privacy Rule") for line in words)
    assert any(line.startswith("Why (permitted)") for line in words)


def test_encryption_not_in_force_at_the_time_is_not_the_safe_harbor(svc):
    r = phi(svc, new(svc))
    ref = r["reference"]
    r = svc.save_secured(ref, {"secured_by": "encryption", "key_compromised": False,
                               "encryption_in_force": False,
                               "secured_basis": "BitLocker, but ransomware ran while unlocked"},
                         r["revision"])
    assert r["presumption"]["outcome"] == "presumed_breach"
    assert r["step"] == "exceptions"  # not the safe harbor: the exceptions are asked
    r = svc.save_secured(ref, {"secured_by": "encryption", "key_compromised": False,
                               "encryption_in_force": True,
                               "secured_basis": "BitLocker; stolen powered off"}, r["revision"])
    assert r["presumption"]["outcome"] == "safe_harbor"
    words = [line for event in svc.history(ref) for line in change_lines(event["changes"])]
    assert "Encryption protected the data at the time: no → yes" in words
    # Another method clears the answer, as it clears the key's.
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    assert r["encryption_in_force"] is None and r["key_compromised"] is None


# -- the Part 2 count -------------------------------------------------------------------------------


def test_the_part2_count_is_recorded_checked_and_passed_to_the_engine(svc, monkeypatch):
    r = low_probability(svc, new(svc))
    ref = r["reference"]
    with pytest.raises(ValidationError) as error:
        svc.save_scope(ref, {"affected": 3, "part2_affected": 4}, r["revision"])
    assert error.value.field == "part2_affected"
    r = svc.save_scope(ref, {"affected": 3, "part2_affected": 2}, r["revision"])
    assert (r["part2_affected"], r["part2"]) == (2, True)
    r = svc.save_scope(ref, {"affected": 3, "part2_affected": 0}, r["revision"])
    assert (r["part2_affected"], r["part2"]) == (0, False)
    # A form or a file that only says "Part 2 records": every affected person, as before.
    r = svc.save_scope(ref, {"affected": 3, "part2": True}, r["revision"])
    assert (r["part2_affected"], r["part2"]) == (3, True)
    import riskreg.services.incidents.record as record

    seen = []
    real = record.compute_plan
    monkeypatch.setattr(record, "compute_plan",
                        lambda facts, *a, **k: seen.append(facts) or real(facts, *a, **k))
    r = svc.save_scope(ref, {"affected": 3, "part2_affected": 1}, r["revision"])
    assert seen and all((f.part2_affected, f.part2) == (1, True) for f in seen)


def by_id(rows):
    return {row["id"]: row for row in rows}


# -- the calendar ---------------------------------------------------------------------------------


def test_the_calendar_has_the_tentative_state_clock_beside_hipaas_before_a_determination(svc, db):
    from riskreg.services.calendar import incident_inputs

    r = phi(svc, new(svc))
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    (incident,) = incident_inputs(db, lambda: TODAY, None)
    rows = {o.id: o for o in incident.obligations}
    assert rows["individuals"].tentative and rows["individuals"].due == date(2027, 1, 1)
    co = rows["state:CO"]
    assert co.tentative and co.due == date(2026, 12, 2)
    assert "State duties do not depend on HIPAA's determination" in co.explanation


def test_the_calendar_keeps_the_state_rows_and_cancels_hipaas_after_a_low_probability(svc, db):
    from riskreg.services.calendar import incident_inputs

    r = low_probability(svc, new(svc))
    r = svc.save_scope(r["reference"], {"affected": 3, "residents": {"CO": 3}}, r["revision"])
    (incident,) = incident_inputs(db, lambda: TODAY, None)
    rows = {o.id: o for o in incident.obligations}
    assert rows["individuals"].not_required and not rows["individuals"].tentative
    assert not rows["state:CO"].not_required and not rows["state:CO"].tentative
    assert rows["state:CO"].due == date(2026, 12, 2)
    assert "hhs" not in rows


def test_a_permitted_determination_chosen_at_the_determination_step_stays_when_phi_is_resaved(svc):
    r = low_probability(svc, new(svc))
    ref = r["reference"]
    r = svc.save_determination(ref, {"choice": "not_a_breach_permitted",
                                     "rationale": "A 164.512(f) disclosure to the police."},
                               r["revision"])
    assert any("permitted" in n.lower() for n in r["review_notes"])  # the record says otherwise
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": ["name", "diagnosis"],
                           "use_permitted": False},
                     r["revision"])
    assert r["determination"] == "not_a_breach_permitted"  # not the PHI step's to withdraw


# -- the dossier ----------------------------------------------------------------------------------


def test_the_dossier_says_the_state_analysis_is_separate(svc, db, tmp_path):
    from datetime import UTC, datetime

    from riskreg.services.reports import write_incident_report

    r = low_probability(svc, new(svc))
    ref = r["reference"]
    md = write_incident_report(db, ref, tmp_path / "a.md", TODAY,
                               datetime(2026, 11, 26, tzinfo=UTC))[0].read_text("utf-8")
    obligations = md.split("## 4. Obligations")[1].split("## 5.")[0]
    assert "HIPAA requires no notification" in obligations and "record the scope" in obligations
    r = svc.save_scope(ref, {"affected": 3, "residents": {"CO": 3}, "part2_affected": 2},
                       r["revision"])
    md = write_incident_report(db, ref, tmp_path / "b.md", TODAY,
                               datetime(2026, 11, 26, tzinfo=UTC))[0].read_text("utf-8")
    obligations = md.split("## 4. Obligations")[1].split("## 5.")[0]
    assert "2026-12-02" in obligations and "separate analysis" in obligations
    assert "164.404(b)" not in obligations
    assert "2 of the affected" in md  # the Part 2 count, in the facts
