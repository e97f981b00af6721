"""A register with one dated thing of each kind, at fixed dates, for the agenda's tests
(`riskreg due` and the dashboard's "Due in the next 7 days" panel).

Today is Wednesday 2026-12-02. What is due, by construction:
- INC-2026-001, closed, still owes the individual notice: due 2026-11-28 (discovery
  2026-09-29 + 60 days), 4 days overdue. Its internal target (2026-11-13) has passed: not listed.
- Hazard "Unlocked laptop": review due 2026-11-30, 2 days overdue.
- Safeguard "Screen lock": in place, verified 2025-12-04 every 12 months: verify 2026-12-04.
- Safeguard "Encrypt the laptop": planned, due 2026-12-05.
- Safeguard "Password manager": in place, its due date 2026-12-03 is done: not listed.
- Tool "AI scribe": BAA expires 2026-12-09 (the 7th day).
- INC-2026-002, open (discovered 2026-11-02): internal target 2026-12-17, individuals due
  2027-01-01 (the 30th day); HHS (2027-03-01) is later.
- Hazard "Vendor trains on notes": the risk acceptance expires 2026-12-20.
- The whole risk analysis, reviewed 2025-12-25 every 12 months: review due 2026-12-25.
"""

from datetime import date

TODAY = date(2026, 12, 2)

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}
FACTORS = {"factors": {key: {"rating": "high", "notes": "assessed"}
                       for key in ("nature_extent", "recipient", "acquired_viewed", "mitigation")}}


def _notification_required(incidents, discovered):
    r = incidents.create({"title": "Laptop stolen from the car",
                          "description": "Client Jane Example's notes were on it.",
                          "discovered_on": discovered})
    ref = r["reference"]
    r = incidents.save_phi(ref, {"phi_involved": True, "phi_types": ["name"]}, r["revision"])
    r = incidents.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = incidents.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = incidents.save_factors(ref, FACTORS, r["revision"])
    r = incidents.save_determination(ref, {"choice": "notification_required",
                                           "rationale": "Unsecured PHI was taken."},
                                     r["revision"])
    r = incidents.save_scope(ref, {"affected": 3, "residents": {}}, r["revision"])
    return incidents.complete_step(ref, "law_enforcement", r["revision"])


def build_agenda_register(db) -> None:
    from riskreg.services.incidents import IncidentService
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService

    register = RegisterService(db, today=lambda: TODAY)
    incidents = IncidentService(db, today=lambda: TODAY)
    closed = _notification_required(incidents, "2026-09-29")
    for step in ("plan", "notices", "tracking"):
        closed = incidents.complete_step(closed["reference"], step, closed["revision"])
    closed = incidents.save_closeout(closed["reference"], {"lessons_learned": "Encrypt."},
                                     closed["revision"])
    incidents.close(closed["reference"], closed["revision"])
    _notification_required(incidents, "2026-11-02")
    register.create("hazard", {"title": "Unlocked laptop", "likelihood": 3, "impact": 4,
                               "target_likelihood": 1, "target_impact": 4,
                               "next_review_on": "2026-11-30"})
    register.create("hazard", {"title": "Vendor trains on notes", "likelihood": 2, "impact": 3,
                               "target_likelihood": 2, "target_impact": 3, "treatment": "accept",
                               "acceptance_rationale": "The vendor's terms forbid it.",
                               "acceptance_expires_on": "2026-12-20",
                               "next_review_on": "2027-06-01"})
    register.create("safeguard", {"title": "Screen lock", "category": "technical",
                                  "status": "in_place", "last_verified_on": "2025-12-04",
                                  "verification_cadence_months": 12})
    register.create("safeguard", {"title": "Encrypt the laptop", "category": "technical",
                                  "status": "planned", "due_on": "2026-12-05"})
    register.create("safeguard", {"title": "Password manager", "category": "technical",
                                  "status": "in_place", "due_on": "2026-12-03"})
    register.create("tool", {"name": "AI scribe", "category": "ai_scribe", "handles_phi": True,
                             "baa_status": "signed", "baa_signed_on": "2025-12-09",
                             "baa_expires_on": "2026-12-09"})
    SettingsService(db, today=lambda: TODAY).update(
        {"practice_name": "Riverside Counseling", "risk_analysis_reviewed_on": "2025-12-25"}, None)


EXPECTED_7 = [
    ("2026-11-28", -4, "Notify affected individuals", "incident", "INC-2026-001"),
    ("2026-11-30", -2, "Review hazard", "hazard", "Unlocked laptop"),
    ("2026-12-04", 2, "Verify safeguard", "safeguard", "Screen lock"),
    ("2026-12-05", 3, "Safeguard due", "safeguard", "Encrypt the laptop"),
    ("2026-12-09", 7, "BAA expires", "tool", "AI scribe"),
]
EXPECTED_30 = EXPECTED_7 + [
    ("2026-12-17", 15, "Internal target: Notify affected individuals", "incident", "INC-2026-002"),
    ("2026-12-20", 18, "Risk acceptance expires", "hazard", "Vendor trains on notes"),
    ("2026-12-25", 23, "Review the whole risk analysis", "settings", "Practice settings"),
    ("2027-01-01", 30, "Notify affected individuals", "incident", "INC-2026-002"),
]
