"""The dashboard's read model: heat maps, reviews, BAAs and safeguards that need attention."""


from clock import FIXED_TODAY

from riskreg.services.dashboard import build_dashboard
from riskreg.services.register import ListQuery

TODAY = FIXED_TODAY
HAZARD = {"title": "Laptop stolen", "likelihood": 3, "impact": 5,
          "target_likelihood": 2, "target_impact": 2}


def test_the_heat_maps_count_current_hazards_per_cell(register, db):
    register.create("hazard", HAZARD)
    register.create("hazard", {**HAZARD, "title": "Second"})
    closed = register.create("hazard", {**HAZARD, "title": "Closed", "status": "closed"})
    archived = register.create("hazard", {**HAZARD, "title": "Archived"})
    register.archive("hazard", archived["public_id"])
    board = build_dashboard(db, TODAY)
    assert board.hazards == 2
    assert board.heat_inherent == {(3, 5): 2}
    assert board.heat_target == {(2, 2): 2}
    assert closed["public_id"] not in {i.public_id for i in board.reviews_overdue.items}


def test_reviews_are_split_into_overdue_and_due_within_thirty_days(register, db):
    register.create("hazard", {**HAZARD, "title": "Late", "next_review_on": "2026-11-01"})
    register.create("hazard", {**HAZARD, "title": "Soon", "next_review_on": "2026-12-10"})
    register.create("hazard", {**HAZARD, "title": "Today", "next_review_on": "2026-11-26"})
    register.create("hazard", {**HAZARD, "title": "Later", "next_review_on": "2027-03-01"})
    board = build_dashboard(db, TODAY)
    assert [(i.title, i.detail) for i in board.reviews_overdue.items] == [
        ("Late", "review overdue by 25 days")
    ]
    assert [(i.title, i.detail) for i in board.reviews_due.items] == [
        ("Today", "review due today"), ("Soon", "review due in 14 days")
    ]


def test_a_hazard_whose_tool_handles_phi_without_a_baa_needs_review_now(register, db):
    hazard = register.create("hazard", HAZARD)
    calm = register.create("hazard", {**HAZARD, "title": "Calm"})
    scribe = register.create("tool", {"name": "Scribe", "category": "ai_scribe",
                                      "baa_status": "missing"})
    signed = register.create("tool", {"name": "EHR", "category": "ehr", "baa_status": "signed",
                                      "baa_signed_on": "2026-01-01", "baa_expires_on": "2027-01-10"})
    register.link(hazard["public_id"], "tool", scribe["public_id"])
    register.link(calm["public_id"], "tool", signed["public_id"])
    board = build_dashboard(db, TODAY)
    assert [(i.title, i.detail) for i in board.review_now.items] == [
        ("Laptop stolen", "linked tool 'Scribe' handles PHI without a signed, current BAA")
    ]
    assert [(i.title, i.detail) for i in board.baa_gaps.items] == [
        ("Scribe", "handles PHI without a BAA")
    ]
    assert [(i.title, i.detail) for i in board.baas_expiring.items] == [
        ("EHR", "BAA expires in 45 days (2027-01-10)")
    ]
    # The same flag is on the hazard's record, in lists and on its own.
    rows = {r["title"]: r["review_now"] for r in register.list("hazard").rows}
    assert rows == {"Calm": "", "Laptop stolen": board.review_now.items[0].detail}
    assert register.get("hazard", hazard["public_id"])["review_now"] == rows["Laptop stolen"]


def test_unlinking_the_tool_clears_the_review_now_flag(register, db):
    hazard = register.create("hazard", HAZARD)
    scribe = register.create("tool", {"name": "Scribe", "category": "ai_scribe"})
    register.link(hazard["public_id"], "tool", scribe["public_id"])
    register.unlink(hazard["public_id"], "tool", scribe["public_id"])
    assert build_dashboard(db, TODAY).review_now.total == 0


def test_overdue_safeguards_say_which_date_they_missed(register, db):
    register.create("safeguard", {"title": "Encrypt laptop", "category": "technical",
                                  "due_on": "2026-11-20"})
    register.create("safeguard", {"title": "Done late", "category": "technical",
                                  "status": "in_place", "due_on": "2026-11-20"})
    register.create("safeguard", {"title": "Check backups", "category": "technical",
                                  "status": "in_place", "last_verified_on": "2025-10-01",
                                  "verification_cadence_months": 12})
    board = build_dashboard(db, TODAY)
    assert [(i.title, i.detail) for i in board.safeguards_overdue.items] == [
        ("Check backups", "verification due 2026-10-01, 56 days ago"),
        ("Encrypt laptop", "due 2026-11-20, 6 days ago"),
    ]


def test_lists_are_bounded_but_their_totals_count_everything(register, db):
    for n in range(7):
        register.create("hazard", {**HAZARD, "title": f"H{n}", "next_review_on": "2026-01-01"})
    board = build_dashboard(db, TODAY, limit=3)
    assert len(board.reviews_overdue.items) == 3 and board.reviews_overdue.total == 7


def test_an_empty_register_says_so(db):
    assert build_dashboard(db, TODAY).empty


def test_a_heat_map_cell_filters_the_hazard_list(register):
    register.create("hazard", HAZARD)
    register.create("hazard", {**HAZARD, "title": "Other", "likelihood": 1})
    assert register.list("hazard", ListQuery(cell=(3, 5))).total == 1
    assert register.list("hazard", ListQuery(cell=(2, 2), level="target")).total == 2
