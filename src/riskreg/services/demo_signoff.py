"""The demo's signed risk analysis of last year, and a few changes since (issue 23), so that
"Changes since last sign-off" and the report's section show something."""

from __future__ import annotations

import uuid
from datetime import date

from dateutil.relativedelta import relativedelta

from riskreg.services.register import ListQuery, RegisterService
from riskreg.services.risk_analysis import RiskAnalysisService

SIGNED_BY = "Dr. Sam Rivera (demo)"


def _id(seed: int, what: str) -> str:
    """A public id the same for the same seed (the demo is reproducible)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"riskreg-demo:{seed}:{what}"))


def sign_last_year(register: RegisterService, today: date, seed: int = 7) -> dict[str, int]:
    """Sign the demo's analysis dated a year before `today`, then change the register: one
    hazard re-scored at a review, one tool retired, one safeguard put in place, one hazard added.
    Returns how each count of the demo moved (a tool retired: -1)."""
    moved = {"signed risk analysis": 1, "hazard": 1}
    signed_on = today - relativedelta(years=1)
    RiskAnalysisService(register.db, today=lambda: today).sign(
        SIGNED_BY, "Yearly review (demo)", on=signed_on, public_id=_id(seed, "sign-off"))
    everything = ListQuery(limit=None)
    hazards = register.list("hazard", ListQuery(limit=None, sort="score", descending=True)).rows
    if hazards:
        top = hazards[0]
        # Re-scored at its review: the history shows who, when and what changed.
        register.mark_reviewed(top["public_id"], today - relativedelta(days=30),
                               "Vendor now deletes recordings after 30 days (demo)",
                               top["revision"],
                               scores={"likelihood": max(1, top["likelihood"] - 1)})
    tools = [t for t in register.list("tool", everything).rows if not t["handles_phi"]]
    if tools:
        register.archive("tool", tools[-1]["public_id"])
        moved["tool"] = -1
    planned = [s for s in register.list("safeguard", everything).rows
               if s["status"] in ("planned", "in_progress")]
    if planned:
        register.update("safeguard", planned[0]["public_id"], {
            "status": "in_place", "evidence": "Set up and checked by the practitioner (demo)",
            "last_verified_on": today - relativedelta(days=20),
            "decision_note": planned[0]["decision_note"] or "Implemented as described (demo).",
        }, planned[0]["revision"])
    with register.db.writing() as session:
        register.create_in(session, "hazard", {
            "title": "AI note summaries copied into the wrong client's chart",
            "threat_source": "The practitioner, in a hurry", "vulnerability":
            "No check that a summary matches the open chart", "likelihood": 2, "impact": 3,
            "target_likelihood": 1, "target_impact": 3, "treatment": "mitigate",
        }, public_id=_id(seed, "new-hazard"))
    return moved
