"""Migration 0003 (three risk levels): a register made by the previous release keeps its data;
its typed "residual" scores become the target, and current starts as the inherent risk."""

import sqlite3
from datetime import date

from alembic import command
from sqlalchemy import create_engine

from riskreg.services.register import RegisterService
from riskreg.storage.database import open_database
from riskreg.storage.migrate import alembic_config

HAZARD = ("INSERT INTO hazard (public_id, created_at, updated_at, revision, title, description, "
          "threat_source, vulnerability, likelihood, impact, residual_likelihood, residual_impact,"
          " score, residual_score, treatment, acceptance_rationale, status, review_cadence_months,"
          " review_now_reason) VALUES ('6f1c1f0e-0000-4000-8000-000000000001', '2026-11-01 "
          "10:00:00', '2026-11-01 10:00:00', 3, 'Laptop stolen from the car', '', '', '', 4, 4, 2,"
          " 3, 16, 6, 'mitigate', '', 'open', 12, '')")
REVIEW = ("INSERT INTO review (public_id, created_at, updated_at, revision, hazard_id, reviewed_on,"
          " notes, likelihood, impact, residual_likelihood, residual_impact, next_review_on) "
          "VALUES ('6f1c1f0e-0000-4000-8000-000000000002', '2026-11-02 10:00:00', '2026-11-02 "
          "10:00:00', 1, 1, '2026-11-02', 'checked', 4, 4, 2, 3, '2027-11-02')")


def _previous_release_register(db_path) -> None:
    """A register at schema 0002 (the previous release) holding one scored hazard and a review."""
    open_database(db_path).close()
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0002_incidents")
    engine.dispose()
    with sqlite3.connect(db_path) as conn:
        conn.execute(HAZARD)
        conn.execute(REVIEW)
    conn.close()


def test_a_previous_release_register_keeps_its_residual_scores_as_the_target(db_path):
    _previous_release_register(db_path)
    db = open_database(db_path)
    try:
        register = RegisterService(db, today=lambda: date(2026, 11, 26))
        (hazard,) = register.list("hazard").rows
        assert (hazard["title"], hazard["revision"]) == ("Laptop stolen from the car", 3)
        assert (hazard["target_likelihood"], hazard["target_impact"], hazard["target_score"],
                hazard["target_level"]) == (2, 3, 6, "Moderate")
        assert (hazard["current_score"], hazard["current_level"]) == (16, hazard["level"])
        assert hazard["current_assessed_on"] is None
    finally:
        db.close()
    with sqlite3.connect(db_path) as conn:
        review = conn.execute("SELECT notes, target_likelihood, target_impact, current_likelihood "
                              "FROM review")
        assert review.fetchall() == [("checked", 2, 3, None)]  # its current risk was not recorded
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    conn.close()
