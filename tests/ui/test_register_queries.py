"""What the register service adds for the tables: rows without counting, counting apart,
case-insensitive filters, catalog suggestions."""

from riskreg.services.register import ListQuery

HAZARD = {"title": "x", "likelihood": 3, "impact": 3, "target_likelihood": 1,
          "target_impact": 1}


def test_rows_can_come_without_the_count_and_the_count_separately(register):
    for title in ("Phishing email", "phishing text", "Ransomware", "Lost PHONE"):
        register.create("hazard", {**HAZARD, "title": title})
    query = ListQuery(text="PHISH", limit=1)
    counted = register.list("hazard", query)
    quick = register.list("hazard", ListQuery(text="PHISH", limit=1, count=False))
    assert quick.rows == counted.rows and quick.total == -1
    assert register.count_matching("hazard", query) == counted.total == 2


def test_sorting_by_a_column_that_is_never_empty_still_pages_stably(register):
    for n in range(7):
        register.create("hazard", {**HAZARD, "title": "Same title", "likelihood": n % 5 + 1})
    pages = [register.list("hazard", ListQuery(sort="title", offset=o, limit=3)).rows
             for o in (0, 3, 6)]
    ids = [r["public_id"] for page in pages for r in page]
    assert len(ids) == len(set(ids)) == 7


def test_a_hazard_not_from_the_catalog_has_no_suggested_safeguards(register):
    hazard = register.create("hazard", HAZARD)
    assert register.suggested_safeguards(hazard["public_id"]) == []
