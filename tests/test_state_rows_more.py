"""Schema and worked cases for data/state_rules_more.json (issue 19).

The file holds the state rows for every jurisdiction outside the 24 that h-states writes
(today's 20 rows plus IN, OK, PA, UT). Only json and the standard library are used, so the
file can be checked before the engine that reads it exists.

WORKED gives, per jurisdiction, a discovery date and the residents' due date computed by hand
from the statute (discovered + the statute's days; the engine defaults the determination date
to the discovery date, so a clock that counts from determination starts on the same day). None
means the statute fixes no number of days (or the row is exempt). For a deemed_compliant row the
date is the state's own clock, which binds an entity that does not meet the condition; the
engine shows the HIPAA date beside it.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MORE = ROOT / "data" / "state_rules_more.json"
TODAY = ROOT / "data" / "state_rules.json"

# Written by h-states (today's 20 rows converted, plus IN, OK, PA, UT).
OTHER_HELPER = frozenset(
    "CO FL WA ME NY TX VT CT DE AZ TN OH MD AL NM OR CA IL MA NJ IN OK PA UT".split()
)

TRIGGERS = {"medical", "health_insurance", "ssn", "financial", "drivers_license", "credentials",
            "biometric"}
HIPAA = {"applies", "exempt", "deemed_compliant", "unknown"}
COUNTED = {"discovery", "determination"}
DUTY_KINDS = {"regulator", "credit_agencies"}
DEADLINE_KINDS = {"days", "business_days", "with_residents", "before_residents",
                  "business_days_after_hhs", "days_after_residents", "none"}
NEEDS_DAYS = {"days", "business_days", "business_days_after_hhs", "days_after_residents"}
NEEDS_COUNTED = {"days", "business_days"}
CONFIDENCE = {"high", "medium", "low"}
REVIEWED_ON = "2026-12-07"
RULE_KEYS = {"effective_from", "effective_to", "statute", "triggers", "hipaa_status",
             "hipaa_condition", "residents", "duties", "law_enforcement_delay", "source",
             "confidence", "reviewed_on", "verify"}
RULE_OPTIONAL = {"amended_by"}
SLUG = re.compile(r"^[a-z][a-z0-9_]*$")

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

# Duties with a fixed number of days: (code, duty kind, duty id, start, expected due, section).
# start is the discovery date for "days" and the residents' notice date for
# "days_after_residents".
WORKED_DUTIES = [
    # 2026-02-20 + 10: Feb 28 (8), Mar 2 (10).
    ("PR", "regulator", None, "2026-02-20", "2026-03-02", "10 L.P.R.A. 4052: DACO within 10 days"),
    # 2026-04-10 + 45: Apr 30 (20), May 25 (45).
    ("AR", "regulator", None, "2026-04-10", "2026-05-25",
     "Ark. Code Ann. 4-110-105(d) (Act 1030 of 2019): AG within 45 days at the latest"),
    # 48 hours shown as 2 days: 2026-12-30 + 2.
    ("MN", "credit_agencies", None, "2026-12-30", "2027-01-01",
     "Minn. Stat. 325E.61 subd. 2: CRAs within 48 hours"),
    # Residents notified 2026-04-25; AG 10 days after.
    ("LA", "regulator", None, "2026-04-25", "2026-05-05", "LAC 16:III.701: AG within 10 days"),
    # Residents notified 2026-07-28; 5 calendar days (the statute says business days: later).
    ("IA", "regulator", None, "2026-07-28", "2026-08-02", "Iowa Code 715C.2(8): AG, 5 days after"),
]


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as f:
        return json.load(f)


def _more() -> dict:
    return _load(MORE)


def _day(text: str) -> date:
    assert isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text), text
    return date.fromisoformat(text)


def _rule_on(code: str, discovered: date) -> dict:
    """The rule in force on the discovery date (effective_to is the last day in force)."""
    found = []
    for rule in _more()[code]["rules"]:
        start = rule["effective_from"]
        end = rule["effective_to"]
        if start is not None and discovered < _day(start):
            continue
        if end is not None and discovered > _day(end):
            continue
        found.append(rule)
    assert len(found) == 1, (code, discovered, len(found))
    return found[0]


def _required_codes() -> set[str]:
    return set(_load(TODAY)["jurisdictions"]) - OTHER_HELPER


def test_every_other_jurisdiction_is_present():
    data = _more()
    missing = _required_codes() - set(data)
    assert not missing, sorted(missing)
    assert set(data) <= set(_load(TODAY)["jurisdictions"]), sorted(set(data))
    assert not set(data) & OTHER_HELPER, "rows h-states writes are not duplicated here"


def _check_residents(code: str, rule: dict) -> None:
    res = rule["residents"]
    assert set(res) == {"days", "counted_from", "wording"}, (code, sorted(res))
    days = res["days"]
    assert days is None or (isinstance(days, int) and not isinstance(days, bool) and days > 0)
    assert res["counted_from"] in COUNTED, code
    assert isinstance(res["wording"], str) and res["wording"].strip(), code


def _check_deadline(code: str, deadline: dict) -> None:
    kind = deadline.get("kind")
    assert kind in DEADLINE_KINDS, (code, kind)
    allowed = {"kind"}
    if kind in NEEDS_DAYS:
        allowed.add("days")
        days = deadline["days"]
        assert isinstance(days, int) and not isinstance(days, bool) and days > 0, code
    if kind in NEEDS_COUNTED:
        allowed.add("counted_from")
        assert deadline["counted_from"] in COUNTED, code
    assert set(deadline) == allowed, (code, sorted(deadline))


def _check_duties(code: str, duties: list) -> None:
    assert isinstance(duties, list), code
    seen_kinds: set[str] = set()
    seen_ids: set[str] = set()
    for duty in duties:
        assert set(duty) - {"note"} == {"kind", "id", "who", "threshold", "deadline"}, (
            code, sorted(duty))
        assert duty["kind"] in DUTY_KINDS, code
        if duty["kind"] in seen_kinds:
            assert isinstance(duty["id"], str) and SLUG.match(duty["id"]), (code, duty["id"])
            assert duty["id"] not in seen_ids, (code, duty["id"])
            seen_ids.add(duty["id"])
        else:
            assert duty["id"] is None, (code, "the first duty of a kind keeps today's id")
        seen_kinds.add(duty["kind"])
        assert isinstance(duty["who"], str) and duty["who"].strip(), code
        threshold = duty["threshold"]
        if threshold is not None:
            assert set(threshold) == {"op", "count"}, code
            assert threshold["op"] in {">", ">="}, code
            count = threshold["count"]
            assert isinstance(count, int) and not isinstance(count, bool) and count > 0, code
        _check_deadline(code, duty["deadline"])
        if "note" in duty:
            assert isinstance(duty["note"], str) and duty["note"].strip(), code


def test_every_rule_has_the_schema():
    for code, entry in _more().items():
        assert set(entry) == {"name", "rules"}, (code, sorted(entry))
        assert isinstance(entry["name"], str) and entry["name"].strip(), code
        assert isinstance(entry["rules"], list) and entry["rules"], code
        for rule in entry["rules"]:
            keys = set(rule)
            assert RULE_KEYS <= keys <= RULE_KEYS | RULE_OPTIONAL, (code, sorted(keys ^ RULE_KEYS))
            for key in ("effective_from", "effective_to"):
                if rule[key] is not None:
                    _day(rule[key])
            for key in ("statute", "law_enforcement_delay", "source"):
                assert isinstance(rule[key], str) and rule[key].strip(), (code, key)
            triggers = rule["triggers"]
            assert isinstance(triggers, list) and len(set(triggers)) == len(triggers), code
            assert set(triggers) <= TRIGGERS, (code, triggers)
            assert rule["hipaa_status"] in HIPAA, code
            assert isinstance(rule["hipaa_condition"], str), code
            if rule["hipaa_status"] in {"exempt", "deemed_compliant"}:
                assert rule["hipaa_condition"].strip(), (code, "say the condition or reason")
            else:
                assert rule["hipaa_condition"] == "", (code, "empty for applies/unknown")
            _check_residents(code, rule)
            _check_duties(code, rule["duties"])
            assert rule["confidence"] in CONFIDENCE, code
            assert isinstance(rule["verify"], str), code
            if rule["confidence"] != "high":
                assert rule["verify"].strip(), (code, "say why counsel should check")
            assert rule["reviewed_on"] == REVIEWED_ON, code
            if "amended_by" in rule:
                assert isinstance(rule["amended_by"], str) and rule["amended_by"].strip(), code


def test_dated_rules_do_not_overlap():
    for code, entry in _more().items():
        spans = []
        for rule in entry["rules"]:
            start = date.min if rule["effective_from"] is None else _day(rule["effective_from"])
            end = date.max if rule["effective_to"] is None else _day(rule["effective_to"])
            assert start <= end, code
            spans.append((start, end))
        spans.sort()
        for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
            assert end < start, (code, "rules overlap")
            assert end + timedelta(days=1) == start, (code, "a gap between dated rules")


def test_exempt_rules_carry_no_residents_days():
    for code, entry in _more().items():
        for rule in entry["rules"]:
            if rule["hipaa_status"] == "exempt":
                assert rule["residents"]["days"] is None, code


def test_a_jurisdiction_without_a_statute_says_so():
    for code, entry in _more().items():
        for rule in entry["rules"]:
            if rule["statute"] == "none found":
                assert rule["hipaa_status"] == "unknown", code
                assert rule["residents"]["days"] is None, code
                assert rule["confidence"] == "low", code
                assert "No breach-notification statute found" in rule["residents"]["wording"]
                assert "HIPAA" in rule["verify"], code


def test_every_jurisdiction_has_a_worked_case():
    assert {case[0] for case in WORKED} == set(_more())
    for case in WORKED:
        assert case[4].strip(), case


def test_worked_cases_match_the_rows():
    for code, discovered, expected, status, section in WORKED:
        rule = _rule_on(code, _day(discovered))
        assert rule["hipaa_status"] == status, (code, section)
        days = rule["residents"]["days"]
        due = None if days is None else _day(discovered) + timedelta(days=days)
        want = None if expected is None else _day(expected)
        assert due == want, (code, discovered, section, due)


def test_worked_duties_match_the_rows():
    for code, kind, duty_id, start, expected, section in WORKED_DUTIES:
        rule = _rule_on(code, _day(start))
        duties = [d for d in rule["duties"] if d["kind"] == kind and d["id"] == duty_id]
        assert len(duties) == 1, (code, kind, duty_id)
        deadline = duties[0]["deadline"]
        assert deadline["kind"] in {"days", "days_after_residents"}, (code, section)
        due = _day(start) + timedelta(days=deadline["days"])
        assert due == _day(expected), (code, section, due)
