"""Worked cases, through the engine, for the 32 jurisdictions whose rows were added with issue 19
beside the 24 that tests/test_deadlines.py works through (the loader's schema checks are in
tests/test_state_rules.py).

WORKED gives, per jurisdiction, a discovery date and the residents' due date computed by hand
from the statute (discovered + the statute's days; with no determination date given, a clock
that counts from determination starts on the discovery date). None means the statute fixes no
number of days, or the row is exempt. For a deemed_compliant row the date given is the state's
own clock, which binds an entity that does not meet the condition; the plan shows the HIPAA
individual-notice date instead, with the condition.
"""

from __future__ import annotations

from datetime import date

from riskreg.domain.deadlines import BreachFacts, compute_plan
from riskreg.domain.state_rules import jurisdictions, state_rules

TODAY = date(2026, 12, 7)
# Covered by tests/test_deadlines.py's worked cases.
WORKED_ELSEWHERE = frozenset(
    "CO FL WA ME NY TX VT CT DE AZ TN OH MD AL NM OR CA IL MA NJ IN OK PA UT".split()
)

# (code, discovered, expected residents' due or None, expected hipaa_status, section cited)
WORKED = [
    ("AK", "2026-03-10", None, "applies", "Alaska Stat. 45.48.010(b): most expeditious time"),
    ("AR", "2026-04-10", None, "unknown", "Ark. Code Ann. 4-110-105(a): most expedient time"),
    ("AS", "2026-05-04", None, "unknown", "no American Samoa statute found"),
    ("DC", "2026-02-02", None, "deemed_compliant", "D.C. Code 28-3852(a): most expedient time"),
    ("GA", "2026-06-15", None, "applies", "O.C.G.A. 10-1-912(a): most expedient time"),
    ("GU", "2026-07-01", None, "unknown", "9 GCA 48.10 et seq.: without unreasonable delay"),
    ("HI", "2026-08-03", None, "deemed_compliant", "Haw. Rev. Stat. 487N-2(a): no fixed days"),
    ("IA", "2026-07-20", None, "unknown", "Iowa Code 715C.2(1): most expeditious manner"),
    ("ID", "2026-09-09", None, "unknown", "Idaho Code 28-51-105(1): most expedient time"),
    ("KS", "2026-10-01", None, "unknown", "K.S.A. 50-7a02(a): most expedient time"),
    ("KY", "2026-03-03", None, "exempt", "KRS 365.732(8): HIPAA entities exempt"),
    # 2026-03-02 + 60: Mar 2 -> Apr 1 is 30 days, -> May 1 is 60.
    ("LA", "2026-03-02", "2026-05-01", "applies", "La. R.S. 51:3074(E): 60 days from discovery"),
    # 2026-11-15 + 60 across the year end: Nov 30 (15), Dec 31 (46), Jan 14 (60).
    ("LA", "2026-11-15", "2027-01-14", "applies", "La. R.S. 51:3074(E): 60 days from discovery"),
    ("MI", "2026-04-20", None, "deemed_compliant", "MCL 445.72(4): without unreasonable delay"),
    ("MN", "2026-12-30", None, "applies", "Minn. Stat. 325E.61 subd. 1(a): most expedient time"),
    ("MO", "2026-05-18", None, "unknown", "Mo. Rev. Stat. 407.1500.2: without unreasonable delay"),
    ("MP", "2026-06-01", None, "unknown", "no Northern Mariana Islands statute found"),
    ("MS", "2026-01-05", None, "unknown", "Miss. Code Ann. 75-24-29(3): no fixed days"),
    ("MT", "2026-02-27", None, "unknown", "Mont. Code Ann. 30-14-1704(1): no fixed days"),
    ("NC", "2026-03-31", None, "applies", "N.C. Gen. Stat. 75-65(a): without unreasonable delay"),
    ("ND", "2026-04-30", None, "deemed_compliant", "N.D. Cent. Code 51-30-02: most expedient"),
    ("NE", "2026-05-29", None, "unknown", "Neb. Rev. Stat. 87-803(1): as soon as possible"),
    ("NH", "2026-06-30", None, "applies", "N.H. RSA 359-C:20, I(a): as soon as possible"),
    ("NV", "2026-07-31", None, "unknown", "Nev. Rev. Stat. 603A.220(1): most expedient time"),
    ("PR", "2026-02-20", None, "unknown", "10 L.P.R.A. 4052: as expeditiously as possible"),
    # 2026-06-01 + 45 (from confirmation; determination defaults to discovery): Jun 30 (29),
    # Jul 16 (45).
    ("RI", "2026-06-01", "2026-07-16", "deemed_compliant",
     "R.I. Gen. Laws 11-49.3-4(a)(2): 45 calendar days after confirmation"),
    ("SC", "2026-08-31", None, "applies", "S.C. Code Ann. 39-1-90(A): most expedient time"),
    # 2026-01-15 + 60: Jan 31 (16), Feb 28 (44), Mar 16 (60).
    ("SD", "2026-01-15", "2026-03-16", "deemed_compliant",
     "S.D. Codified Laws 22-40-20: 60 days from discovery"),
    # Leap year: 2028-01-15 + 60: Jan 31 (16), Feb 29 (45), Mar 15 (60).
    ("SD", "2028-01-15", "2028-03-15", "deemed_compliant",
     "S.D. Codified Laws 22-40-20: 60 days from discovery"),
    ("VA", "2026-09-30", None, "unknown", "Va. Code 18.2-186.6(B): without unreasonable delay"),
    ("VI", "2026-10-30", None, "unknown", "14 V.I.C. 2208: most expedient time"),
    # Exempt: a covered entity complying with 45 CFR part 164 has no Wisconsin date.
    ("WI", "2026-11-02", None, "exempt", "Wis. Stat. 134.98(3m): HIPAA covered entities"),
    ("WV", "2026-12-01", None, "unknown", "W. Va. Code 46A-2A-102(a): without unreasonable delay"),
    ("WY", "2026-12-07", None, "deemed_compliant", "Wyo. Stat. 40-12-502: HIPAA deemed compliant"),
]


# Duties with a fixed number of days: (obligation id, discovered, residents, expected due,
# section), computed by hand.
WORKED_DUTIES = [
    # 2026-02-20 + 10: Feb 28 is day 8, Mar 2 day 10.
    ("regulator:PR", "2026-02-20", 1, "2026-03-02", "10 L.P.R.A. 4052: DACO within 10 days"),
    # 2026-04-10 + 45: Apr 30 is day 20, May 25 day 45.
    ("regulator:AR", "2026-04-10", 1001, "2026-05-25",
     "Ark. Code Ann. 4-110-105(d) (Act 1030 of 2019): AG within 45 days at the latest"),
    # 48 hours, shown as 2 days: 2026-12-30 + 2.
    ("cra:MN", "2026-12-30", 501, "2027-01-01", "Minn. Stat. 325E.61 subd. 2: CRAs within 48 hours"),
    # Residents: 2026-02-25 + 60 = 2026-04-26 (Feb 28 is day 3, Mar 31 day 34); AG 10 days after.
    ("regulator:LA", "2026-02-25", 1, "2026-05-06", "LAC 16:III.701: AG within 10 days"),
]


def _plan(code: str, discovered: str, residents: int = 1):
    return compute_plan(
        BreachFacts(discovered=date.fromisoformat(discovered), affected=residents,
                    residents={code: residents}),
        TODAY,
    )


def test_every_jurisdiction_has_a_row_and_a_worked_case():
    assert set(state_rules()) == set(jurisdictions())
    assert {case[0] for case in WORKED} == set(jurisdictions()) - WORKED_ELSEWHERE
    for case in WORKED:
        assert case[4].strip(), case


def test_worked_cases_give_the_hand_computed_residents_date():
    for code, discovered, expected, status, section in WORKED:
        plan = _plan(code, discovered)
        row = plan.obligation(f"state:{code}")
        assert row is not None and row.hipaa_status == status, (code, section)
        if status == "deemed_compliant":
            # Satisfied by the HIPAA notice: shown with its date and the condition.
            assert row.due == plan.obligation("individuals").due, (code, section)
        else:
            want = None if expected is None else date.fromisoformat(expected)
            assert row.due == want, (code, discovered, section, row.due)


def test_worked_duties_give_the_hand_computed_date():
    for obligation_id, discovered, residents, expected, section in WORKED_DUTIES:
        code = obligation_id.split(":")[1]
        row = _plan(code, discovered, residents).obligation(obligation_id)
        assert row is not None, (obligation_id, section)
        assert row.due == date.fromisoformat(expected), (obligation_id, section, row.due)


def test_every_row_names_its_source_and_review_date():
    for code, entry in state_rules().items():
        for rule in entry.rules:
            assert rule.source.strip() and rule.reviewed_on is not None, code
