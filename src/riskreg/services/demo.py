"""A realistic demo practice, built from the starter catalog, reproducible for a seed.

Dates are relative to `today`, so some reviews are upcoming and some overdue whenever it is
built. `hazards=N` scales the register (tools and safeguards in proportion) for benchmarks.
"""

import random
import uuid
from datetime import date, timedelta
from typing import Any

from riskreg.domain.catalog import load_catalog
from riskreg.errors import UserError
from riskreg.services.demo_incidents import build_demo_incidents
from riskreg.services.register import RegisterService

OWNERS = (
    {"name": "Dr. Sam Rivera", "role": "Practitioner, security and privacy official",
     "contact": "office line"},
    {"name": "Billing service", "role": "Biller (business associate)", "contact": "vendor portal"},
    {"name": "IT consultant", "role": "Part-time IT support", "contact": "on call"},
)

# The clients in the consent log are codes: the app never asks for names.
CONSENT_DECISIONS = ("consented", "consented", "consented", "declined", "pending")


def _ids(rng: random.Random):
    while True:
        yield str(uuid.UUID(int=rng.getrandbits(128), version=4))


def build_demo(
    register: RegisterService, *, today: date, seed: int = 7, hazards: int | None = None
) -> dict[str, int]:
    """Fill an empty register with a demo practice; return the counts made."""
    if not register.is_empty():
        raise UserError("the demo builds only into an empty database; give a new --db path")
    rng = random.Random(seed)
    ids = _ids(rng)
    catalog = load_catalog()
    n_hazards = hazards or len(catalog.hazards)
    if n_hazards < 1:
        raise UserError("--hazards must be at least 1")
    scale = max(1, round(n_hazards / len(catalog.hazards)))
    counts: dict[str, int] = {}
    with register.db.writing() as session:
        def make(kind: str, data: dict[str, Any]) -> Any:
            counts[kind] = counts.get(kind, 0) + 1
            return register.create_in(session, kind, data, public_id=next(ids))

        owners = [make("owner", o) for o in OWNERS]
        practitioner = owners[0].public_id

        tools = {}
        for copy in range(scale):
            for t in catalog.tools:
                tools.setdefault(t.key, []).append(make("tool", _tool(t, copy, rng, today, practitioner)))
        safeguards = {}
        for copy in range(scale):
            for s in catalog.starter_safeguards:
                owner = rng.choice(owners).public_id
                safeguards.setdefault(s.key, []).append(make("safeguard", _safeguard(s, copy, rng, today, owner)))
        for i in range(n_hazards):
            h = catalog.hazards[i % len(catalog.hazards)]
            copy = i // len(catalog.hazards)
            hazard = make("hazard", _hazard(h, copy, rng, today, practitioner))
            for key in h.tools:
                register.link_in(session, hazard, "tool", tools[key][copy % scale])
            for key in catalog.starter_links(h):
                register.link_in(session, hazard, "safeguard", safeguards[key][copy % scale])
        ai_tools = [t[0] for key, t in tools.items() if catalog.tool(key).is_ai]
        for n in range(1, 9 * scale + 1):
            make("consent", {
                "client_code": f"C-{n:04d}",
                "tool": rng.choice(ai_tools).public_id if ai_tools else None,
                "disclosed_on": today - timedelta(days=rng.randint(1, 300)),
                "decision": rng.choice(CONSENT_DECISIONS),
                "written": rng.random() < 0.8,
                "alternative_offered": "Handwritten notes; no AI tools in sessions",
            })
    counts.update(build_demo_incidents(register.db, today=today, new_id=lambda: next(ids)))
    return counts


def _suffix(copy: int) -> str:
    return "" if copy == 0 else f" #{copy + 1}"


def _tool(t, copy: int, rng: random.Random, today: date, owner: str) -> dict[str, Any]:
    data = {"name": t.name + _suffix(copy), "vendor": t.vendor, "category": t.category,
            "handles_phi": t.handles_phi, "baa_status": t.baa_status, "notes": t.notes,
            "owner": owner, "catalog_key": t.key}
    if t.handles_phi:
        roll = rng.random()
        if roll < 0.6:
            signed = today - timedelta(days=rng.randint(30, 700))
            # Some BAAs run out within the next 60 days, so the dashboard has something to show.
            expires = today + timedelta(days=rng.choice([25, 45, 200, 400, 500]))
            data.update(baa_status="signed", baa_signed_on=signed, baa_expires_on=expires,
                        baa_location="Practice files / Contracts")
            data.update({k: True for k in (
                "check_explains_hipaa", "check_explains_data_use", "check_signs_baa",
                "check_no_sale_or_sharing")})
        elif roll < 0.75:
            data["baa_status"] = "requested"
    return data


SAFEGUARD_STATUSES = ("planned", "in_progress", "in_place", "in_place", "verified")


def _safeguard(s, copy: int, rng: random.Random, today: date, owner: str) -> dict[str, Any]:
    status = rng.choice(SAFEGUARD_STATUSES)
    data = {"title": s.title + _suffix(copy), "description": s.description,
            "category": s.category, "citation": s.citation, "requirement": s.requirement,
            "status": status, "verification_cadence_months": s.verification_cadence_months,
            "owner": owner, "catalog_key": s.key}
    if s.requirement == "addressable" and status != "planned":
        data["decision_note"] = "Reasonable and appropriate for a solo practice; implemented as described."
    if status in ("planned", "in_progress"):
        data["due_on"] = today + timedelta(days=rng.randint(-40, 120))
    else:
        data["last_verified_on"] = today - timedelta(days=rng.randint(10, 400))
        data["evidence"] = "Checked by the practitioner; screenshot in the compliance folder"
    return data


def _hazard(h, copy: int, rng: random.Random, today: date, owner: str) -> dict[str, Any]:
    likelihood = max(1, min(5, h.likelihood + rng.choice((-1, 0, 0, 1))))
    impact = max(1, min(5, h.impact + rng.choice((-1, 0, 0, 1))))
    data = {"title": h.title + _suffix(copy), "description": h.description,
            "threat_source": h.threat_source, "vulnerability": h.vulnerability,
            "likelihood": likelihood, "impact": impact,
            "target_likelihood": min(likelihood, h.target_likelihood),
            "target_impact": min(impact, h.target_impact),
            "treatment": "mitigate", "status": rng.choice(("open", "mitigating", "mitigating")),
            "review_cadence_months": h.review_cadence_months, "owner": owner,
            "catalog_key": h.key}
    # Last reviews spread over the past cadence and a bit more, so some are overdue.
    last = today - timedelta(days=rng.randint(5, int(h.review_cadence_months * 30.4) + 60))
    data["last_reviewed_on"] = last
    if data["status"] == "mitigating":
        # Being mitigated: the practitioner judged the current risk at the last review, halfway
        # between the inherent and the target (no random draw: the rest of the demo stays as it was).
        data.update(current_assessed_likelihood=(likelihood + data["target_likelihood"] + 1) // 2,
                    current_assessed_impact=(impact + data["target_impact"] + 1) // 2,
                    current_assessed_on=last)
    if rng.random() < 0.1:
        data.update(treatment="accept", status="accepted",
                    acceptance_rationale="The risk that remains is acceptable and the cost of "
                    "more controls outweighs the benefit for a solo practice.",
                    acceptance_expires_on=today + timedelta(days=rng.randint(60, 300)))
    return data
