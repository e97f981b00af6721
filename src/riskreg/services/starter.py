"""Load the starter register (data/catalog) into an empty database, in one transaction."""

from typing import Any

from riskreg.domain.catalog import Catalog, load_catalog
from riskreg.errors import UserError
from riskreg.services.register import RegisterService

STARTER_OWNER = {"name": "Practice owner", "role": "Practitioner and security official",
                 "notes": "Rename to yourself; assign others as they take on duties."}


def load_starter(register: RegisterService, catalog: Catalog | None = None) -> dict[str, int]:
    """Create the catalog's tools, safeguards and hazards, linked as the catalog says.

    Refuses a register that already has records, so nothing is duplicated. Returns the counts.
    """
    if not register.is_empty():
        raise UserError("the register already has records; the starter register loads only into "
                        "an empty database (use another --db, or add records yourself)")
    catalog = catalog or load_catalog()
    with register.db.writing() as session:
        owner = register.create_in(session, "owner", STARTER_OWNER)
        made = _create_all(register, session, catalog, owner.public_id)
    return {"owners": 1, **{kind: len(items) for kind, items in made.items()}}


def _create_all(register: RegisterService, session: Any, catalog: Catalog, owner: str) -> dict:
    tools = {
        t.key: register.create_in(session, "tool", {
            "name": t.name, "vendor": t.vendor, "category": t.category,
            "handles_phi": t.handles_phi, "baa_status": t.baa_status, "notes": t.notes,
            "owner": owner, "catalog_key": t.key,
        })
        for t in catalog.tools
    }
    safeguards = {
        s.key: register.create_in(session, "safeguard", {
            "title": s.title, "description": s.description, "category": s.category,
            "citation": s.citation, "requirement": s.requirement, "status": "planned",
            "verification_cadence_months": s.verification_cadence_months, "owner": owner,
            "catalog_key": s.key,
        })
        for s in catalog.starter_safeguards  # the conditional ones are offered, not loaded
    }
    hazards = {}
    for h in catalog.hazards:
        hazard = register.create_in(session, "hazard", {
            "title": h.title, "description": h.description, "threat_source": h.threat_source,
            "vulnerability": h.vulnerability, "likelihood": h.likelihood, "impact": h.impact,
            "target_likelihood": h.target_likelihood, "target_impact": h.target_impact,
            "treatment": h.treatment if h.treatment != "accept" else "mitigate",
            "review_cadence_months": h.review_cadence_months, "owner": owner,
            "catalog_key": h.key,
        })
        hazards[h.key] = hazard
        for key in h.tools:
            register.link_in(session, hazard, "tool", tools[key])
        for key in catalog.starter_links(h):
            register.link_in(session, hazard, "safeguard", safeguards[key])
    return {"tools": tools, "safeguards": safeguards, "hazards": hazards}
