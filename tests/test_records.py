"""The register's records have the shapes services/records.py declares: every key its TypedDict
names and no other, for each kind and each way of reading them (review 4.7: a renamed field is
a type error; this holds the declarations to what the service returns)."""

from __future__ import annotations

from datetime import date

import pytest

from riskreg.services import records
from riskreg.services.demo import build_demo
from riskreg.services.register import ListQuery

BOTH_BACKENDS = True  # tests/conftest.py: each test on SQLite and on PostgreSQL

SHAPES = {"owner": records.OwnerRecord, "tool": records.ToolRecord,
          "hazard": records.HazardRecord, "safeguard": records.SafeguardRecord,
          "consent": records.ConsentRecord}
LINKED = {"tool": records.ToolFields, "hazard": records.HazardFields,
          "safeguard": records.SafeguardFields}


def keys(shape: type) -> set[str]:
    return set(shape.__required_keys__) | set(shape.__optional_keys__)


@pytest.fixture
def demo(register):
    build_demo(register, today=date(2026, 11, 26), hazards=8)
    return register


@pytest.mark.parametrize("kind", sorted(SHAPES))
def test_each_kind_lists_and_gets_the_keys_its_record_declares(demo, kind):
    rows = demo.list(kind, ListQuery(limit=None, archived=False)).rows
    assert rows
    for row in rows:
        assert set(row) == keys(SHAPES[kind])
    assert set(demo.get(kind, rows[0]["public_id"])) == keys(SHAPES[kind])


def test_linked_records_have_their_own_fields_without_their_owner(demo):
    for kind in ("hazard", "tool", "safeguard"):
        for row in demo.list(kind, ListQuery(limit=5)).rows:
            for other, linked in demo.linked(kind, row["public_id"]).items():
                for record in linked:
                    assert set(record) == keys(LINKED[other]), (kind, other)


def test_a_review_a_history_and_a_suggestion_have_their_declared_keys(demo):
    hazard = next(h for h in demo.list("hazard").rows if h["catalog_key"])
    demo.mark_reviewed(hazard["public_id"], date(2026, 11, 20), "looked again",
                       hazard["revision"], scores={"likelihood": 1})
    reviews = demo.reviews(hazard["public_id"])
    assert reviews and all(set(r) == keys(records.ReviewRecord) for r in reviews)
    history = demo.history(hazard["public_id"], "hazard")
    assert any(e["linked"] for e in history)  # its links' events are in it too
    assert all(set(e) == keys(records.HistoryEvent) for e in history)
    suggested = demo.suggested_safeguards(hazard["public_id"])
    assert suggested and all(set(s) == keys(records.SuggestedSafeguard) for s in suggested)
    reviewed = demo.mark_reviewed(hazard["public_id"], date(2026, 11, 21), "",
                                  hazard["revision"] + 1)
    assert set(reviewed) == keys(records.HazardRecord)
