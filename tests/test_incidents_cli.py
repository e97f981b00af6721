"""`riskreg incidents list|show` as a user runs them: subprocesses on a demo database."""

import json
import os
import subprocess
import sys

import pytest

TODAY = "2026-11-26"


def riskreg(*args, db):
    env = dict(os.environ, RISKREG_TODAY=TODAY)
    env.pop("RISKREG_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "riskreg", "--db", str(db), *args],
        check=False, capture_output=True, text=True, env=env, timeout=120,
    )


def make_demo(tmp_path_factory):
    """The demo register, made by `riskreg demo` as a user would (one per test module)."""
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    result = riskreg("demo", db=path)
    assert result.returncode == 0, result.stderr
    assert "3 incidents" in result.stdout
    return path


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    return make_demo(tmp_path_factory)


def test_list_json_gives_each_incident_with_its_step_and_next_deadline(demo_db):
    result = riskreg("incidents", "list", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["reference"] for r in rows] == ["INC-2026-002", "INC-2026-003", "INC-2026-001"]
    assert [r["status"] for r in rows] == ["open", "open", "closed"]
    media, annual, closed = rows
    assert media["next_deadline"] == {
        "obligation": "hhs", "name": "Notify HHS (with the individual notices)",
        "who": "Secretary of HHS (OCR breach portal)",
        "due": "2026-12-14", "days_left": 18, "tentative": False, "owed": 1,
    }
    assert annual["next_deadline"]["due"] == "2027-03-01"  # Dec 31 + 60 days, 164.408(c)
    assert closed["determination"] == "low_probability" and closed["next_deadline"] is None


def test_list_prints_a_table_with_days_left(demo_db):
    result = riskreg("incidents", "list", db=demo_db)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:4] == ["Reference", "Status", "Step", "Determination"]
    assert "INC-2026-002" in lines[1] and "18 days left" in lines[1]
    assert lines[-1] == "3 incidents, 2 open"


def test_show_json_has_facts_determination_and_obligations_with_sent_dates(demo_db):
    result = riskreg("incidents", "show", "inc-2026-002", "--json", db=demo_db)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["reference"] == "INC-2026-002"
    assert record["determination"] == "notification_required" and record["determination_rationale"]
    assert record["ba_is_agent"] and record["effective_discovered"] == "2026-10-15"
    obligations = {o["id"]: o for o in record["obligations"]}
    assert obligations["media:FL"]["state"] == "done"
    assert obligations["media:FL"]["sent"][0]["sent_on"] == "2026-11-17"
    assert obligations["hhs"]["state"] == "due" and obligations["hhs"]["due"] == "2026-12-14"
    assert obligations["hhs"]["citation"] == "45 CFR 164.408(b)"


def test_show_prints_obligations_and_says_it_is_not_legal_advice(demo_db):
    result = riskreg("incidents", "show", "INC-2026-002", db=demo_db)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Breach: notification required" in out
    hhs = next(line for line in out.splitlines() if "Notify HHS" in line)
    assert "(with the individual notices)" in hhs and "2026-12-14  Mon  due in 18 days" in hhs
    assert "Notice to Florida media" in out and "done 2026-11-17" in out
    assert "verify with counsel" in out and "Not legal advice" in out


def test_show_of_an_unknown_reference_is_one_line_and_exit_1(demo_db):
    result = riskreg("incidents", "show", "INC-2026-099", db=demo_db)
    assert result.returncode == 1
    assert result.stderr == "riskreg: no incident INC-2026-099\n"
    assert result.stdout == ""


def test_show_without_a_reference_is_a_usage_error(demo_db):
    result = riskreg("incidents", "show", db=demo_db)
    assert result.returncode == 2
    assert "REF" in result.stderr


def test_an_empty_database_lists_no_incidents(tmp_path):
    assert riskreg("init", db=tmp_path / "empty.db").returncode == 0
    result = riskreg("incidents", "list", "--json", db=tmp_path / "empty.db")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_show_lists_the_plan_s_warnings_except_those_about_notices_already_sent(demo_db):
    result = riskreg("incidents", "show", "INC-2026-002", db=demo_db)
    assert result.returncode == 0, result.stderr
    warnings = " ".join(result.stdout.split("\nWarnings\n")[1].split("\n\n")[0].split())
    assert "Business associate acting as the practice's agent" in warnings
    assert "so no Georgia notice is listed for its 80 residents" in warnings
    record = json.loads(riskreg("incidents", "show", "INC-2026-002", "--json", db=demo_db).stdout)
    assert record["warnings"] and all(" ".join(w.split()) in warnings for w in record["warnings"])
    # The Florida Department's notice (Fla. Stat. 501.171(3), 30 days) was due before today and
    # went out in time: no "has passed" about it. (The residents' notice is deemed compliant with
    # the HIPAA notice, 501.171(4)(g), so it is due with it, after today.)
    florida = next(o for o in record["obligations"] if o["id"] == "regulator:FL")
    assert florida["due"] < TODAY and florida["state"] == "done"
    assert "Florida state officials" not in warnings and "has passed" not in warnings
