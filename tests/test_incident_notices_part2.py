"""The HHS portal checklist's Part 2 line follows the Part 2 report's own track (42 CFR 2.16)."""

from datetime import date

from riskreg.domain.deadlines import BreachFacts, compute_plan
from riskreg.services.incident_notices import _part2_line, _substitute_rule


def line(**kwargs):
    return _part2_line(compute_plan(BreachFacts(date(2026, 3, 10), 600, **kwargs), date(2026, 3, 12)))


def test_no_part2_records_no_line():
    assert line() == ""


def test_the_same_track_says_the_same_clock():
    assert "as well, on the same clock;" in line(part2_affected=500)


def test_a_smaller_part2_count_gives_the_part2_reports_own_date():
    text = line(part2_affected=40)
    assert "due 2027-03-01 (annual log)" in text and "42 CFR 2.16" in text


def test_the_substitute_rule_gives_the_end_date_when_known():
    record = {"insufficient_contact": 12}
    assert "until at least 2026-08-07" in _substitute_rule(record, date(2026, 8, 7))
    assert "until at least" not in _substitute_rule(record)
