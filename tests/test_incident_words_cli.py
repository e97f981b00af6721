"""`incidents show` and the incident dossier, as counsel reads them: every factor says which way it
points, and no engine id, field name or raw JSON appears (issue 17, findings 5, 18, 24)."""

import os
import re
import subprocess
import sys

import pytest

TODAY = "2026-11-26"
REFS = ("INC-2026-001", "INC-2026-002", "INC-2026-003")
ENGINE_WORDS = [
    r"\b[a-z0-9]+_[a-z0-9_]+\b",          # snake_case: field names, ids, tracks
    r"\b(state|media|regulator):[A-Z]{2}\b",
    r"\bhhs\b",                             # the id, lowercase ("HHS" is the word)
    r"(^|\s)individuals\s{2}",              # the id in a table column
    r"\{\"|\[\"|\": ",                      # raw JSON
    r"state overlay",
]


def riskreg(*args, db):
    env = dict(os.environ, RISKREG_TODAY=TODAY)
    env.pop("RISKREG_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "riskreg", "--db", str(db), *args],
        check=False, capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("words") / "demo.db"
    result = riskreg("demo", db=path)
    assert result.returncode == 0, result.stderr
    return path


def engine_words(text: str) -> list[str]:
    found = []
    for line in text.splitlines():
        found += [line.strip() for pattern in ENGINE_WORDS if re.search(pattern, line)]
    return found


def test_incidents_show_says_which_way_each_factor_points(demo_db):
    result = riskreg("incidents", "show", "INC-2026-002", db=demo_db)
    assert result.returncode == 0, result.stderr
    assert "Risk assessment: the four factors (45 CFR 164.402(2))" in result.stdout
    assert "(iv) Extent the risk has been mitigated — points to compromise: little was " \
           "mitigated" in result.stdout
    assert "rated high" not in result.stdout


def test_the_dossier_says_which_way_each_factor_points(demo_db, tmp_path):
    out = tmp_path / "dossier.md"
    result = riskreg("report", "incident", "INC-2026-002", "--out", str(out), db=demo_db)
    assert result.returncode == 0, result.stderr
    text = out.read_text()
    assert "Which way it points" in text
    assert "points to compromise: little was mitigated" in text
