"""Demo incidents for `riskreg demo`: three breaches at different points of the workflow.

- one on the annual-log track (fewer than 500 affected), still open: the individual and state
  notices sent, the HHS log not yet filed;
- one at a business associate acting as the practice's agent, with more than 500 residents of
  one state (media and HHS with the individual notice), part-way through tracking;
- one closed as a low probability of compromise after the four-factor assessment.

Every step goes through IncidentService, so the demo is audited like real use. Dates are relative
to `today`; public ids come from the caller's seeded generator, so a seed gives the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from sqlmodel import col, select

from riskreg.services.incidents import IncidentService
from riskreg.storage.database import Database
from riskreg.storage.models import Hazard, Tool

NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False, "could_not_retain": False}


def _by_key(db: Database, model: Any, key: str) -> str | None:
    with db.reading() as session:
        row = session.exec(
            select(model).where(model.catalog_key == key).order_by(col(model.id))
        ).first()
        return row.public_id if row else None


def _factors(rating: str, notes: dict[str, str]) -> dict[str, Any]:
    return {"factors": {key: {"rating": rating, "notes": text} for key, text in notes.items()}}


def build_demo_incidents(db: Database, *, today: date, new_id: Callable[[], str]) -> dict[str, int]:
    """Add the three demo incidents; return {"incident": 3}."""
    service = IncidentService(db, today=lambda: today, new_id=new_id)

    def days(n: int) -> date:
        return today - timedelta(days=n)

    # In order of discovery, so the references follow the calendar.
    _low_probability(service, db, days)
    _media_and_hhs(service, db, days)
    _annual_log(service, db, days)
    return {"incident": 3}


def _walk_to_determination(
    service: IncidentService, ref: str, rev: int, phi_types: list[str], factors: dict[str, Any],
    choice: str, rationale: str, decided_on: date,
) -> dict[str, Any]:
    r = service.save_phi(ref, {"phi_involved": True, "phi_types": phi_types,
                               "phi_reason": "Client information left the practice.",
                               "use_permitted": False}, rev)
    r = service.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = service.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = service.save_factors(ref, factors, r["revision"])
    return service.save_determination(
        ref, {"choice": choice, "rationale": rationale, "decided_on": decided_on}, r["revision"]
    )


def _annual_log(service: IncidentService, db: Database, days: Callable[[int], date]) -> None:
    hazard = _by_key(db, Hazard, "misdirected_email")
    r = service.create({
        "title": "Appointment reminder emailed to the wrong client",
        "description": "A reminder with another client's name and appointment time went to a "
        "client with a similar email address. The recipient replied to say so.",
        "breach_type": "unauthorized",
        "occurred_on": days(19), "discovered_on": days(18), "discovered_by": "Practitioner",
        "hazards": [hazard] if hazard else [],
    })
    ref = r["reference"]
    r = _walk_to_determination(
        service, ref, r["revision"], ["name", "appointments"],
        _factors("medium", {
            "nature_extent": "Name and appointment time: reveals that the person is a client.",
            "recipient": "Another client, not bound by HIPAA; known to the practice.",
            "acquired_viewed": "The recipient opened and read the email.",
            "mitigation": "Recipient confirmed by phone that the email was deleted.",
        }),
        "notification_required",
        "The email was read by someone not entitled to it and revealed a client relationship; "
        "the assessment does not show a low probability of compromise.",
        days(16),
    )
    r = service.save_scope(ref, {"affected": 1, "residents": {"CO": 1}}, r["revision"])
    r = service.complete_step(ref, "law_enforcement", r["revision"])
    r = service.complete_step(ref, "plan", r["revision"])
    r = service.save_notice_content(ref, {
        "notice_steps": "Be alert to unexpected messages mentioning your appointments.",
        "notice_actions": "We now check the address before sending and use the portal's "
        "reminders instead of email.",
        "contact_email": "office@example-practice.test",
    }, r["revision"])
    r = service.complete_step(ref, "notices", r["revision"])
    r = service.record_notice_sent(ref, {"obligation_id": "individuals", "sent_on": days(12),
                                         "method": "mail", "count": 1}, r["revision"])
    service.record_notice_sent(ref, {"obligation_id": "state:CO", "sent_on": days(12),
                                     "method": "mail", "count": 1,
                                     "notes": "Same letter serves the Colorado notice."},
                               r["revision"])


def _media_and_hhs(service: IncidentService, db: Database, days: Callable[[int], date]) -> None:
    tool = _by_key(db, Tool, "billing_clearinghouse")
    hazards = [h for h in (_by_key(db, Hazard, "business_associate_breach"),
                           _by_key(db, Hazard, "ransomware")) if h]
    r = service.create({
        "title": "Ransomware at the billing service",
        "description": "The billing service reported that ransomware encrypted and copied its "
        "claims server, including the practice's claims files.",
        "breach_type": "hacking",
        "occurred_on": days(45), "occurred_until": days(43), "discovered_on": days(35),
        "discovered_by": "Billing service account manager (phone call)",
        "ba_involved": True, "ba_tool": tool, "ba_discovered_on": days(42), "ba_is_agent": True,
        "hazards": hazards,
    })
    ref = r["reference"]
    r = _walk_to_determination(
        service, ref, r["revision"], ["name", "address", "date_of_birth", "insurance", "diagnosis"],
        _factors("high", {
            "nature_extent": "Names, dates of birth, insurance numbers and diagnosis codes.",
            "recipient": "Unknown criminal group; data posted for sale is possible.",
            "acquired_viewed": "The billing service's forensic firm confirmed the files were copied.",
            "mitigation": "Passwords reset; no assurance from the attackers is possible.",
        }),
        "notification_required",
        "Unsecured claims data was copied by an unknown party: presumed a breach, and the factors "
        "all point to compromise.",
        days(30),
    )
    r = service.save_scope(ref, {"affected": 640, "residents": {"FL": 560, "GA": 80},
                                 "insufficient_contact": 3}, r["revision"])
    r = service.complete_step(ref, "law_enforcement", r["revision"])
    r = service.complete_step(ref, "plan", r["revision"])
    r = service.save_notice_content(ref, {
        "notice_steps": "Review the explanation of benefits from your insurer; consider a free "
        "fraud alert with the credit bureaus.",
        "notice_actions": "The billing service restored its systems from clean backups and added "
        "multi-factor authentication; we are reviewing our agreement with it.",
        "contact_toll_free": "1-800-555-0100",
        "contact_postal": "PO Box 100, Tampa FL 33601",
    }, r["revision"])
    r = service.complete_step(ref, "notices", r["revision"])
    sent = [
        {"obligation_id": "state:FL", "sent_on": days(14), "method": "mail", "count": 560},
        {"obligation_id": "regulator:FL", "sent_on": days(13), "method": "email",
         "reference": "Department of Legal Affairs acknowledgement"},
        {"obligation_id": "individuals", "sent_on": days(14), "method": "mail", "count": 637},
        {"obligation_id": "substitute_notice", "sent_on": days(10), "method": "phone", "count": 3},
        {"obligation_id": "media:FL", "sent_on": days(9), "method": "media",
         "reference": "Press release to two regional newspapers and a TV station"},
    ]
    for notice in sent:
        r = service.record_notice_sent(ref, notice, r["revision"])


def _low_probability(service: IncidentService, db: Database, days: Callable[[int], date]) -> None:
    hazard = _by_key(db, Hazard, "misdirected_fax")
    r = service.create({
        "title": "Treatment summary faxed to the wrong clinic",
        "description": "A one-page treatment summary was faxed to a neighbouring clinic because "
        "of a mistyped number.",
        "breach_type": "unauthorized",
        "occurred_on": days(121), "discovered_on": days(120), "discovered_by": "Practitioner",
        "hazards": [hazard] if hazard else [],
    })
    ref = r["reference"]
    r = _walk_to_determination(
        service, ref, r["revision"], ["name", "diagnosis"],
        _factors("low", {
            "nature_extent": "One page: name, diagnosis code and a two-line summary.",
            "recipient": "A clinic that is itself a HIPAA covered entity.",
            "acquired_viewed": "The clinic's privacy officer saw only the cover page.",
            "mitigation": "Written assurance that the fax was shredded and not kept or shared.",
        }),
        "low_probability",
        "The recipient is a covered entity bound by HIPAA, saw only the cover page and attested in "
        "writing that the fax was destroyed: low probability of compromise on all four factors.",
        days(115),
    )
    r = service.save_closeout(ref, {
        "lessons_learned": "Use saved fax numbers only; send a test page to a new number first.",
    }, r["revision"])
    service.close(ref, r["revision"], days(110))
