"""Every count said to a person agrees with its noun: "1 incident", not "1 incidents" (new-user
run, item 4)."""

import re

from cli_helpers import run_main

from riskreg.domain.text import plural
from riskreg.services.agenda import days_words


def test_plural():
    assert plural(1, "incident") == "1 incident"
    assert plural(0, "incident") == "0 incidents"
    assert plural(1200, "person", "people") == "1,200 people"
    assert days_words(-1) == "1 day late" and days_words(5) == "in 5 days"


def test_one_incident_and_one_record_are_singular(tmp_path, monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", "2026-11-26")
    db = str(tmp_path / "one.db")
    assert run_main(["--db", db, "init"])[0] == 0
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    database = open_database(tmp_path / "one.db")
    try:
        IncidentService(database).create({"title": "Fax", "discovered_on": "2026-11-20"})
    finally:
        database.close()
    code, out, err = run_main(["--db", db, "incidents", "list"])
    assert code == 0, err
    assert out.splitlines()[-1] == "1 incident, 1 open"
    code, out, err = run_main(["--db", db, "list", "owners"])
    assert code == 0, err
    assert re.fullmatch(r"[0-9,]+ owners?", out.splitlines()[-1])


def test_the_sources_say_no_count_with_a_fixed_plural():
    """No f-string puts a count before a fixed plural noun ("{n} days"); each goes through
    plural() (a few counts that are never 1 are listed)."""
    from pathlib import Path

    src = Path(__file__).parent.parent / "src" / "riskreg"
    nouns = ("incidents|hazards|tools|safeguards|owners|consents|records|events|notices|rows|"
             "drafts|recipients|residents|people|obligations|problems|hazards|days")
    pattern = re.compile(r"\{(len\([^{}]*\)|[a-z_]*(count|checked|total|records|events|days|"
                         r"owed|held|left)[a-z_'\"\[\]]*)(:,)?\} (" + nouns + r")\b")
    found = [f"{p.relative_to(src)}: {line.strip()}" for p in src.rglob("*.py")
             for line in p.read_text().splitlines() if pattern.search(line)]
    allowed = ("days_before == 1",  # already agrees
               "has {days} days",  # a month's length: 28 to 31
               "state_rules.py")  # a state's days (never 1); another helper's file just now
    assert [f for f in found if not any(a in f for a in allowed)] == []
