"""The three risk levels as a user meets them outside the screens: the services' rule for a
current assessment and a lapse, `list hazards --json`, the CSV and JSON exports, the report."""

import csv
import json
import subprocess
import sys
from datetime import date

import pytest
from clock import FIXED_TODAY

from riskreg.errors import ValidationError
from riskreg.services.dashboard import build_dashboard
from riskreg.services.register import ListQuery

TODAY = FIXED_TODAY
ENV = {"RISKREG_TODAY": "2026-11-26"}


def _hazard(register, title="Laptop stolen from the car", **extra):
    return register.create("hazard", {"title": title, "likelihood": 4, "impact": 4,
                                      "target_likelihood": 1, "target_impact": 2, **extra})


def _assess(register, hazard, likelihood, impact, on):
    return register.update("hazard", hazard["public_id"], {
        "current_assessed_likelihood": likelihood, "current_assessed_impact": impact,
        "current_assessed_on": on}, hazard["revision"])


def test_a_current_assessment_stands_until_a_linked_safeguard_lapses(register, db):
    hazard = _hazard(register)
    encryption = register.create("safeguard", {"title": "Full-disk encryption",
                                               "category": "technical", "status": "in_place"})
    register.link(hazard["public_id"], "safeguard", encryption["public_id"])
    hazard = register.get("hazard", hazard["public_id"])
    assert (hazard["current_score"], hazard["current_note"]) == (16, "assess the current risk")
    hazard = _assess(register, hazard, 2, 2, "2026-11-20")
    assert (hazard["current_level"], hazard["current_score"], hazard["current_from"]) == (
        "Low", 4, date(2026, 11, 20))

    register.update("safeguard", encryption["public_id"], {"status": "planned"},
                    encryption["revision"])
    assert register.get("safeguard", encryption["public_id"])["lapsed_on"] == TODAY
    hazard = register.get("hazard", hazard["public_id"])
    assert (hazard["current_score"], hazard["current_from"]) == (16, None)
    assert "lapsed on 2026-11-26" in hazard["current_note"]
    assert hazard["review_now"] == ("safeguard 'Full-disk encryption' is no longer in place "
                                    "(since 2026-11-26)")
    flagged = build_dashboard(db, TODAY).review_now.items
    assert [i.title for i in flagged] == ["Laptop stolen from the car"]


def test_a_current_assessment_needs_all_three_parts_and_no_future_date(register):
    hazard = _hazard(register)
    with pytest.raises(ValidationError) as part:
        register.update("hazard", hazard["public_id"], {"current_assessed_likelihood": 2},
                        hazard["revision"])
    assert part.value.field == "current_assessed_impact"
    with pytest.raises(ValidationError) as future:
        _assess(register, hazard, 2, 2, "2026-12-01")
    assert future.value.field == "current_assessed_on"


def test_hazards_sort_and_filter_by_their_current_score_as_the_rule_says(register):
    _assess(register, _hazard(register, "Assessed"), 1, 1, "2026-11-20")
    _hazard(register, "Not assessed")
    lapsed = _assess(register, _hazard(register, "Assessed, then a safeguard lapsed"), 1, 2,
                     "2026-11-20")
    backup = register.create("safeguard", {"title": "Backups", "category": "technical",
                                           "status": "verified"})
    register.link(lapsed["public_id"], "safeguard", backup["public_id"])
    register.update("safeguard", backup["public_id"], {"status": "in_progress"}, 1)
    rows = register.list("hazard", ListQuery(sort="current_score")).rows
    # The SQL order agrees with the records' current scores (equal scores: oldest first).
    assert [(r["title"], r["current_score"]) for r in rows] == [
        ("Assessed", 1), ("Not assessed", 16), ("Assessed, then a safeguard lapsed", 16)]
    in_cell = register.list("hazard", ListQuery(cell=(4, 4), level="current")).rows
    assert [r["title"] for r in in_cell] == ["Assessed, then a safeguard lapsed", "Not assessed"]


def _riskreg(*args, cwd):
    import os

    return subprocess.run([sys.executable, "-m", "riskreg", *args], capture_output=True,
                          text=True, env={**os.environ, **ENV}, cwd=cwd, timeout=120)


@pytest.fixture(scope="module")
def starter(tmp_path_factory):
    folder = tmp_path_factory.mktemp("starter")
    assert _riskreg("init", "--starter", "--db", "r.db", cwd=folder).returncode == 0
    return folder


def test_on_a_fresh_starter_register_current_is_inherent_and_the_report_says_so(starter):
    out = _riskreg("list", "hazards", "--json", "--db", "r.db", cwd=starter)
    hazards = json.loads(out.stdout)
    assert hazards and all(h["current_level"] == h["level"] for h in hazards)
    assert all(h["current_score"] == h["score"] and h["safeguards_in_place"] == 0
               for h in hazards)
    table = _riskreg("list", "hazards", "--db", "r.db", cwd=starter).stdout
    assert {"Inherent", "Current", "Target"} <= set(table.splitlines()[0].split())  # in words
    assert _riskreg("report", "risk-analysis", "--db", "r.db", "--out", "ra.md",
                    cwd=starter).returncode == 0
    report = (starter / "ra.md").read_text()
    summary = report[report.index("## 3. Summary"):report.index("## 4. Open items")]
    assert "Current risk equals inherent risk until safeguards are in place" in summary
    assert "| Level | Inherent | Current | Target |" in summary
    assert "Residual" not in report and "0 of 3 safeguards in place" in report


def test_the_csv_and_json_exports_carry_the_current_and_target_levels(starter):
    assert _riskreg("export", "csv", "--what", "hazards", "--out", "h.csv", "--db", "r.db",
                    cwd=starter).returncode == 0
    rows = list(csv.DictReader((starter / "h.csv").open(encoding="utf-8")))
    for key in ("current_likelihood", "current_impact", "current_score", "current_level",
                "target_likelihood", "target_impact", "target_score", "target_level"):
        assert key in rows[0], key
    assert all(r["current_level"] == r["level"] for r in rows)
    assert _riskreg("export", "json", "--out", "all.json", "--db", "r.db",
                    cwd=starter).returncode == 0
    (hazard, *_) = json.loads((starter / "all.json").read_text())["tables"]["hazard"]
    assert hazard["current_score"] == hazard["score"]
    assert {"current_likelihood", "current_level", "current_impact", "target_likelihood", "target_impact",
            "target_score"} <= set(hazard)


def test_an_export_of_the_previous_release_imports_its_residual_scores_as_the_target(starter):
    assert _riskreg("export", "json", "--out", "now.json", "--db", "r.db",
                    cwd=starter).returncode == 0
    doc = json.loads((starter / "now.json").read_text())
    for row in doc["tables"]["hazard"]:
        for key in ("current_likelihood", "current_impact", "current_score", "current_level",
                    "current_assessed_likelihood", "current_assessed_impact",
                    "current_assessed_on"):
            row.pop(key)
        for part in ("likelihood", "impact", "score"):
            row[f"residual_{part}"] = row.pop(f"target_{part}")
    for row in doc["tables"]["safeguard"]:
        row.pop("lapsed_on")
    doc["schema"] = "0002_incidents"
    (starter / "old.json").write_text(json.dumps(doc))
    out = _riskreg("import", "json", "old.json", "--db", "new.db", cwd=starter)
    assert out.returncode == 0, out.stderr
    before = {h["public_id"]: h["residual_score"] for h in doc["tables"]["hazard"]}
    after = json.loads(_riskreg("list", "hazards", "--json", "--db", "new.db",
                                cwd=starter).stdout)
    assert {h["public_id"]: h["target_score"] for h in after} == before


def test_a_review_records_the_current_risk_of_that_day(register):
    hazard = _assess(register, _hazard(register), 2, 3, "2026-11-20")
    register.mark_reviewed(hazard["public_id"], date(2026, 11, 25), "checked", hazard["revision"])
    (review,) = register.reviews(hazard["public_id"])
    assert (review["likelihood"], review["current_likelihood"], review["current_impact"],
            review["target_likelihood"]) == (4, 2, 3, 1)
