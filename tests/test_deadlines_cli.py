"""`riskreg deadlines` as a user runs it: a subprocess, the worked examples, and bad input."""

import json
import os
import subprocess
import sys

import pytest

TODAY = "2026-03-12"


def deadlines(*args, today=TODAY):
    env = dict(os.environ, RISKREG_TODAY=today) if today else dict(os.environ)
    if not today:
        env.pop("RISKREG_TODAY", None)
    return subprocess.run(
        [sys.executable, "-m", "riskreg", "deadlines", *args],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def plan_json(*args):
    result = deadlines(*args, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return json.loads(result.stdout)


def by_id(data):
    return {o["id"]: o for o in data["obligations"]}


def test_example_1_prints_the_colorado_plan_as_json():
    data = plan_json("--discovered", "2026-03-10", "--affected", "3", "--state", "CO=3")
    obligations = by_id(data)
    assert (data["discovered"], data["affected"]) == ("2026-03-10", 3)
    assert obligations["individuals"]["due"] == "2026-05-09"
    assert obligations["individuals"]["weekend"] is True
    assert obligations["individuals"]["citation"] == "45 CFR 164.404(b)"
    assert (obligations["hhs"]["track"], obligations["hhs"]["due"]) == ("annual_log", "2027-03-01")
    assert not [i for i in obligations if i.startswith("media:")]
    assert obligations["state:CO"]["due"] == "2026-04-09"
    assert obligations["state:CO"]["verify_with_counsel"] is True
    assert data["earliest_due"] == "2026-04-09"


def test_example_2_sends_hhs_with_the_individual_notice():
    data = plan_json(
        "--discovered", "2026-06-15", "--affected", "500", "--state", "NY=300", "--state", "NJ=200"
    )
    obligations = by_id(data)
    assert obligations["individuals"]["due"] == "2026-08-14"
    assert obligations["hhs"]["track"] == "with_individual_notice"
    assert obligations["hhs"]["due"] == "2026-08-14"
    assert not [i for i in obligations if i.startswith("media:")]


def test_example_3_has_no_media_for_exactly_five_hundred_californians():
    obligations = by_id(
        plan_json("--discovered", "2026-09-01", "--affected", "500", "--state", "CA=500")
    )
    assert obligations["hhs"]["due"] == "2026-10-31"
    assert obligations["hhs"]["track"] == "with_individual_notice"
    assert "media:CA" not in obligations


def test_example_4_has_media_for_five_hundred_and_one_floridians():
    obligations = by_id(
        plan_json("--discovered", "2026-09-01", "--affected", "501", "--state", "FL=501")
    )
    for obligation_id in ("individuals", "media:FL", "hhs"):
        assert obligations[obligation_id]["due"] == "2026-10-31"
        assert obligations[obligation_id]["weekend"] is True


def test_example_5_applies_the_oral_hold_with_both_readings():
    data = plan_json(
        "--discovered",
        "2026-04-01",
        "--affected",
        "600",
        "--state",
        "IL=600",
        "--hold",
        "oral:2026-05-20",
    )
    assert data["holds"] == [
        {"kind": "oral", "statement_on": "2026-05-20", "ends_on": "2026-06-19"}
    ]
    obligations = by_id(data)
    for obligation_id in ("individuals", "media:IL", "hhs"):
        assert obligations[obligation_id]["due"] == "2026-06-19"
        assert obligations[obligation_id]["tolling_due"] == "2026-06-30"


def test_a_written_hold_takes_its_days_from_the_flag():
    data = plan_json(
        "--discovered", "2026-04-01", "--affected", "20", "--hold", "written:2026-05-10:45"
    )
    assert data["holds"] == [
        {"kind": "written", "statement_on": "2026-05-10", "ends_on": "2026-06-24"}
    ]
    assert by_id(data)["individuals"]["due"] == "2026-06-24"


def test_the_business_associates_date_is_the_discovery_date_when_it_is_an_agent():
    args = ("--discovered", "2026-05-10", "--affected", "4", "--ba-discovered", "2026-05-01")
    assert plan_json(*args)["discovered"] == "2026-05-01"
    assert plan_json(*args, "--ba-not-agent")["discovered"] == "2026-05-10"


def test_substitute_notice_part2_and_deceased_flags_reach_the_plan():
    data = plan_json(
        "--discovered",
        "2026-03-10",
        "--affected",
        "30",
        "--insufficient-contact",
        "12",
        "--deceased-with-kin",
        "1",
        "--part2",
    )
    obligations = by_id(data)
    assert "10 or more" in obligations["substitute_notice"]["explanation"]
    assert obligations["hhs_part2"]["track"] == "annual_log"
    assert "next of kin" in obligations["individuals"]["explanation"]


def test_the_json_says_at_top_level_that_it_is_not_legal_advice():
    data = plan_json("--discovered", "2026-03-10", "--affected", "3")
    assert data["not_legal_advice"] is True
    assert list(data)[0] == "not_legal_advice"


def test_part2_affected_gives_the_part2_report_its_own_track():
    data = plan_json("--discovered", "2026-03-10", "--affected", "600", "--part2-affected", "40")
    obligations = by_id(data)
    assert (obligations["hhs"]["track"], obligations["hhs"]["due"]) == (
        "with_individual_notice", "2026-05-09"
    )
    assert (obligations["hhs_part2"]["track"], obligations["hhs_part2"]["due"]) == (
        "annual_log", "2027-03-01"
    )
    assert "42 CFR 2.16" in obligations["hhs_part2"]["citation"]


def test_part2_affected_zero_means_no_part2_report():
    data = plan_json("--discovered", "2026-03-10", "--affected", "600", "--part2-affected", "0")
    assert "hhs_part2" not in by_id(data)


def test_part2_records_before_the_compliance_date_get_a_line_saying_why_there_is_no_report():
    data = plan_json("--discovered", "2026-02-15", "--affected", "3", "--part2-affected", "3")
    assert "hhs_part2" not in by_id(data)
    assert [w for w in data["warnings"] if "before 2026-02-16" in w]


def test_determined_moves_the_state_clocks_that_count_from_determination():
    # Tex. Bus. & Com. Code 521.053(b): 60 days after the determination: 2026-03-20 + 60.
    args = ("--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3")
    assert by_id(plan_json(*args))["state:TX"]["due"] == "2026-05-09"
    for flag in ("2026-03-20", "TX=2026-03-20"):
        obligations = by_id(plan_json(*args, "--determined", flag))
        assert obligations["state:TX"]["due"] == "2026-05-19"
        assert obligations["individuals"]["due"] == "2026-05-09"  # federal: from discovery


def test_urgent_reaches_the_individual_notice():
    data = plan_json("--discovered", "2026-03-10", "--affected", "3", "--urgent")
    assert "164.404(d)(3)" in by_id(data)["individuals"]["explanation"]


def test_the_substitute_notice_end_is_in_the_json_and_the_table():
    args = ("--discovered", "2026-03-10", "--affected", "30", "--insufficient-contact", "12")
    assert by_id(plan_json(*args))["substitute_notice"]["keep_until"] == "2026-08-07"
    result = deadlines(*args)
    assert result.returncode == 0, result.stderr
    assert "keep up until 2026-08-07" in result.stdout


def test_chained_oral_statements_are_warned_about_on_the_command_line():
    data = plan_json(
        "--discovered", "2026-03-10", "--affected", "20",
        "--hold", "oral:2026-04-01", "--hold", "oral:2026-04-25",
    )
    assert [w for w in data["warnings"] if "164.412(b)" in w and "54 days in total" in w]


def test_a_future_discovery_date_is_allowed_with_a_warning():
    data = plan_json("--discovered", "2027-01-04", "--affected", "3")
    assert any("after today" in w for w in data["warnings"])


def test_the_readable_table_shows_dates_citations_days_left_and_the_disclaimer():
    result = deadlines("--discovered", "2026-03-10", "--affected", "3", "--state", "CO=3")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    row = next(line for line in out.splitlines() if line.startswith("Notify affected individuals "))
    assert "2026-05-09" in row and "Sat" in row and " 58 " in row and "45 CFR 164.404(b)" in row
    assert "Colorado residents (C.R.S. 6-1-716)" in out and "state:CO" not in out
    assert "Verify with counsel: Colorado residents (C.R.S. 6-1-716)" in out
    assert "Saturday" in out
    assert "Not legal advice" in out


def test_the_db_option_is_accepted_and_no_database_is_created(tmp_path):
    db = tmp_path / "never.db"
    result = deadlines("--db", str(db), "--discovered", "2026-03-10", "--affected", "3", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["affected"] == 3
    assert not db.exists()


def test_today_comes_from_the_clock_when_riskreg_today_is_unset():
    result = deadlines("--discovered", "2026-03-10", "--affected", "3", today=None)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--discovered", "2026-02-30", "--affected", "3"], "2026-02-30 is not a date"),
        (["--discovered", "10/03/2026", "--affected", "3"], "YYYY-MM-DD"),
        (["--affected", "3"], "--discovered"),
        (["--discovered", "2026-03-10"], "--affected"),
        (["--discovered", "2026-03-10", "--affected", "-5"], "--affected"),
        (["--discovered", "2026-03-10", "--affected", "2.5"], "--affected"),
        (["--discovered", "2026-03-10", "--affected", "0"], "--affected"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "ZZ=3"], "ZZ"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "CO"], "XX=N"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "CO=-1"], "--state CO"),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--state", "CO=2", "--state", "CO=1"],
            "twice",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "5", "--state", "CO=3", "--state", "NY=3"],
            "more than the 5 affected",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--insufficient-contact", "x"],
            "--insufficient-contact",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--insufficient-contact", "4"],
            "--insufficient-contact",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--deceased-with-kin", "-1"],
            "--deceased-with-kin",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "oral:2026-03-01"],
            "before discovery",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "spoken:2026-04-01"],
            "--hold",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "written:2026-04-01"],
            "--hold",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "written:2026-04-01:0"],
            "1 or more (0 is refused",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "written:2026-04-01:-4"],
            "'-4': give a whole number of days",
        ),
        (  # dates computed from it would run past the year 9999
            ["--discovered", "2026-03-10", "--affected", "3", "--hold",
             "written:2026-04-01:99999999"],
            "more than 3,650 (ten years)",
        ),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--hold", "oral:2026-04-31"],
            "not a date",
        ),
        (["--discovered", "2026-03-10", "--affected", "3", "--ba-not-agent"], "--ba-discovered"),
        (["--discovered", "2026-03-10", "--affected", "0"], "0 is refused"),
        (["--discovered", "2026-03-10", "--affected", "3", "--part2-affected", "4"],
         "--part2-affected: Part 2 records of 4 people, more than the 3 affected"),
        (["--discovered", "2026-03-10", "--affected", "3", "--part2-affected", "-1"],
         "--part2-affected '-1': give a whole number of people, 0 or more"),
        (["--discovered", "2026-03-10", "--affected", "3", "--part2-affected", "two"],
         "--part2-affected"),
        (["--discovered", "2026-03-10", "--affected", "3", "--part2", "--part2-affected", "0"],
         "--part2-affected is 0"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "2026-03-09"], "--determined: determination date 2026-03-09 for TX is "
         "before discovery 2026-03-10"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "TX=2026-03-09"], "before discovery"),
        (["--discovered", "2026-03-10", "--affected", "3", "--determined", "2026-03-20"],
         "give the states with --state XX=N"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "CO=2026-03-20"], "no --state CO=N"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "TX=2026-02-30"], "--determined TX 2026-02-30 is not a date"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "20/03/2026"], "YYYY-MM-DD"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "=2026-03-20"], "XX=YYYY-MM-DD"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "TX=2026-03-20", "--determined", "tx=2026-03-21"], "twice"),
        (["--discovered", "2026-03-10", "--affected", "3", "--state", "TX=3",
          "--determined", "2026-03-20", "--determined", "2026-03-21"], "twice"),
        (["--discovered", "2026-03-10", "--affected", "3", "--ba-discovered", "2026-03-01",
          "--state", "TX=3", "--determined", "2026-02-28"], "before discovery 2026-03-01"),
        (
            ["--discovered", "2026-03-10", "--affected", "3", "--ba-discovered", "2026-13-01"],
            "--ba-discovered",
        ),
    ],
)
def test_bad_input_is_one_line_on_stderr_exit_2_and_nothing_on_stdout(args, message):
    result = deadlines(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("riskreg: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr


def test_a_malformed_riskreg_today_is_bad_input():
    result = deadlines("--discovered", "2026-03-10", "--affected", "3", today="tomorrow")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("riskreg: RISKREG_TODAY")


HYGIENE = """
import sys
from riskreg.cli import main
code = main(["deadlines", "--discovered", "2026-03-10", "--affected", "3", "--json"])
heavy = sorted(m for m in ("textual", "sqlmodel", "sqlalchemy", "alembic") if m in sys.modules)
print("HEAVY=" + ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def test_the_calculator_does_not_import_textual_or_sqlmodel():
    result = subprocess.run(
        [sys.executable, "-c", HYGIENE],
        check=False,
        capture_output=True,
        text=True,
        env=dict(os.environ, RISKREG_TODAY=TODAY),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["discovered"] == "2026-03-10"
    assert "HEAVY=\n" in result.stderr


def test_one_determination_date_for_every_state_and_one_for_a_single_state_combine():
    from datetime import date

    from riskreg.commands.deadlines import parse_determined

    got = parse_determined(["2026-03-20", "co=2026-03-25"], {"TX": 3, "CO": 3})
    assert got == {"TX": date(2026, 3, 20), "CO": date(2026, 3, 25)}
    assert parse_determined(["TX=2026-03-20"], {"TX": 3, "CO": 3}) == {"TX": date(2026, 3, 20)}
    assert parse_determined([], {"TX": 3}) == {}


def test_the_plan_says_which_state_rules_it_used_in_json_and_text():
    # Cal. Civ. Code 1798.82 as amended by SB 446: 30 days from discovery; Tenn. Code Ann.
    # 47-18-2107 exempts a HIPAA covered entity (no date, marked exempt).
    args = ("--discovered", "2026-02-02", "--affected", "4", "--state", "CA=3", "--state", "TN=1")
    data = plan_json(*args)
    assert data["state_rules_as_of"] == "2026-12-07"
    obligations = by_id(data)
    assert obligations["state:CA"]["due"] == "2026-03-04"
    assert (obligations["state:TN"]["due"], obligations["state:TN"]["hipaa_status"]) == (
        None, "exempt")
    result = deadlines(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("State rules as of 2026-12-07") == 1
    tennessee = next(line for line in result.stdout.splitlines()
                     if line.startswith("Tennessee residents"))
    assert "exempt (HIPAA covered entity)" in tennessee
    assert tennessee.split(")", 1)[1].split()[0] == "-"  # the Due column: no date
