"""A register holding terminal escape sequences, as an older version's import or a direct edit
of the file leaves it (issue 16, D8): shared by the CLI and the app's tests.

The records are made through the services, then their text is rewritten in SQLite directly,
bypassing the checks that now refuse it.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

# Sets the window title, clears the screen, a NUL, a C1 CSI, a right-to-left override.
HOSTILE = "\x1b]0;PWNED\x07 \x1b[2J nul\x00 \x9b2J \u202eevil\u202c"

# What must never reach a terminal raw (new lines and tabs are the program's own).
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# Every text a user can give, per table: a one-line field gets HOSTILE after its own text, a
# multi-line one HOSTILE on a line of its own.
COLUMNS = {
    "owner": ("name", "role", "contact", "notes"),
    "tool": ("name", "vendor", "baa_location", "notes"),
    "hazard": ("title", "description", "threat_source", "vulnerability"),
    "safeguard": ("title", "description", "citation", "evidence"),
    "consent": ("alternative_offered", "notes"),
    "practice_settings": ("practice_name", "practitioner"),
    "incident": ("title", "description", "discovered_by", "lessons_learned"),
}
MULTI_LINE = {"description", "notes", "evidence", "lessons_learned"}


def seed(db_path: Path, today) -> dict[str, str]:
    """One record of each kind and an incident, then HOSTILE in every text column. Returns the
    public ids (and the incident's reference)."""
    from riskreg.services.incidents import IncidentService
    from riskreg.services.register import RegisterService
    from riskreg.services.settings import SettingsService
    from riskreg.storage.database import open_database

    db = open_database(db_path)
    try:
        register = RegisterService(db, today=lambda: today)
        owner = register.create("owner", {"name": "Owner", "role": "Role"})
        tool = register.create("tool", {"name": "Tool", "category": "ai_scribe",
                                        "owner": owner["public_id"]})
        hazard = register.create("hazard", {
            "title": "Hazard", "likelihood": 4, "impact": 4, "target_likelihood": 2,
            "target_impact": 2, "owner": owner["public_id"], "next_review_on": "2026-11-01"})
        safeguard = register.create("safeguard", {"title": "Safeguard", "category": "technical",
                                                  "owner": owner["public_id"]})
        register.create("consent", {"client_code": "C-1", "tool": tool["public_id"],
                                    "disclosed_on": "2026-10-01"})
        register.link(hazard["public_id"], "tool", tool["public_id"])
        register.link(hazard["public_id"], "safeguard", safeguard["public_id"])
        SettingsService(db, today=lambda: today).update({"practice_name": "Practice"}, None)
        incident = IncidentService(db, today=lambda: today).create(
            {"title": "Incident", "discovered_on": "2026-11-20", "hazards": [hazard["public_id"]]})
    finally:
        db.close()
    with sqlite3.connect(db_path) as con:
        for table, columns in COLUMNS.items():
            for column in columns:
                con.execute(f"UPDATE {table} SET {column} = "  # noqa: S608 (our own names)
                            f"{column} || ? || ?", ("\n" if column in MULTI_LINE else " ", HOSTILE))
    con.close()
    return {"hazard": hazard["public_id"], "tool": tool["public_id"],
            "owner": owner["public_id"], "safeguard": safeguard["public_id"],
            "incident": incident["reference"]}
