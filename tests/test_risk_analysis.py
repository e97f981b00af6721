"""The yearly risk analysis, signed and compared (issue 23): sign-off snapshots, what changed
since, the year's review checklist, and what `audit verify` says of a snapshot changed after."""

import json
import sqlite3
from datetime import date

import pytest
from cli_helpers import run_main
from clock import FIXED_TODAY
from hypothesis import given
from hypothesis import strategies as st

from riskreg.domain.register_diff import diff
from riskreg.services import transfer
from riskreg.services.annual_review import AnnualReviewService
from riskreg.services.audit_check import verify_database
from riskreg.services.risk_analysis import RiskAnalysisService, sha256_of
from riskreg.storage.database import open_database


@pytest.fixture
def small(register):
    owner = register.create("owner", {"name": "Dr. Rivera"})
    tool = register.create("tool", {"name": "Scribe", "category": "ai_scribe",
                                    "owner": owner["public_id"], "handles_phi": True})
    hazard = register.create("hazard", {"title": "Client named in a transcript", "likelihood": 3,
                                        "impact": 4, "target_likelihood": 2, "target_impact": 3})
    guard = register.create("safeguard", {"title": "Encrypted laptop", "category": "technical",
                                          "requirement": "addressable", "status": "planned"})
    register.link(hazard["public_id"], "tool", tool["public_id"])
    return {"owner": owner, "tool": tool, "hazard": hazard, "safeguard": guard}


@pytest.fixture
def ra(db):
    return RiskAnalysisService(db, today=lambda: FIXED_TODAY)


def test_a_sign_off_freezes_the_register_and_the_chain_head(db, small, ra):
    signed = ra.sign("Dr. Rivera", "yearly")
    snap = ra.get(signed["public_id"])
    tables = snap["body"]["tables"]
    assert [t["name"] for t in tables["tool"]] == ["Scribe"]
    hazard = tables["hazard"][0]
    assert (hazard["likelihood"], hazard["current_likelihood"], hazard["target_likelihood"]) == (
        3, 3, 2)
    assert tables["safeguard"][0]["status"] == "planned"
    assert snap["sha256"] == sha256_of(snap["body"])
    assert snap["signed_by"] == "Dr. Rivera" and snap["signed_on"] == FIXED_TODAY
    assert FIXED_TODAY.isoformat() in snap["statement"]
    with db.reading() as session:
        from riskreg.storage.models import AuditEvent
        events = session.exec(__import__("sqlmodel").select(AuditEvent)).all()
    sign = events[-1]
    assert (sign.action, sign.entity, sign.public_id) == ("sign", "risk_analysis_snapshot",
                                                         signed["public_id"])
    assert json.loads(sign.changes)["sha256"] == [None, signed["sha256"]]
    # The head recorded is the event before the sign-off's own (the settings' new review day).
    assert (snap["audit_seq"], snap["audit_hash"]) == (events[-2].id, events[-2].hash)
    assert verify_database(db).ok
    # Nothing was copied back: the register is as it was, and a diff against it is empty.
    assert ra.changes().lines == []
    # The sign-off is the documented review of the whole analysis: the settings say so, and
    # the snapshot holds it.
    from riskreg.services.settings import SettingsService
    assert SettingsService(db).get()["risk_analysis_reviewed_on"] == FIXED_TODAY
    [settings] = tables["practice_settings"]
    assert settings["risk_analysis_reviewed_on"] == FIXED_TODAY.isoformat()


def test_the_diff_shows_exactly_the_changes_made_since(db, small, register, ra):
    ra.sign("Dr. Rivera")
    h, t, s = small["hazard"], small["tool"], small["safeguard"]
    register.update("hazard", h["public_id"], {"likelihood": 2, "treatment": "transfer"},
                    h["revision"])
    register.update("tool", t["public_id"], {"baa_status": "signed",
                                             "baa_signed_on": date(2026, 11, 1)}, t["revision"])
    register.update("safeguard", s["public_id"], {"status": "in_place",
                                                  "decision_note": "Implemented"}, s["revision"])
    added = register.create("tool", {"name": "Email", "category": "email", "handles_phi": False})
    changes = ra.changes()
    lines = {(ln.group, ln.title, ln.what) for ln in changes.lines}
    assert lines == {
        ("Hazards", "Client named in a transcript",
         "re-scored: inherent 3×4 = 12 High -> 2×4 = 8 Moderate; "
         "current 3×4 = 12 High -> 2×4 = 8 Moderate"),
        ("Hazards", "Client named in a transcript", "treatment changed: mitigate -> transfer"),
        ("Tools and BAAs", "Scribe", "BAA signed"),
        ("Tools and BAAs", "Scribe", "BAA signing date: — -> 2026-11-01"),
        ("Tools and BAAs", "Email", "added"),
        ("Safeguards", "Encrypted laptop", "put in place"),
        ("Safeguards", "Encrypted laptop", "documented decision: — -> Implemented"),
    }
    assert {c.public_id for c in changes.diff.changes} == {
        h["public_id"], t["public_id"], s["public_id"], added["public_id"]}
    register.archive("tool", added["public_id"])
    register.unlink(h["public_id"], "tool", t["public_id"])
    later = ra.changes()
    assert ("Tools and BAAs", "Email", "added") not in {(ln.group, ln.title, ln.what)
                                                        for ln in later.lines}
    assert ("Hazards", "Client named in a transcript", "tools: [Scribe] -> []") in {
        (ln.group, ln.title, ln.what) for ln in later.lines}


def test_two_snapshots_compare_and_a_retired_tool_is_named(db, small, register, ra):
    first = ra.sign("Dr. Rivera")
    register.archive("tool", small["tool"]["public_id"])
    second = ra.sign("Dr. Rivera")
    between = ra.changes(first["public_id"][:8], second["public_id"])
    assert [(ln.title, ln.what) for ln in between.lines] == [("Scribe", "retired")]
    back = ra.changes(second["public_id"], first["public_id"])
    assert [(ln.title, ln.what) for ln in back.lines] == [("Scribe", "added")]


# -- properties ---------------------------------------------------------------------------------

IDS = [f"{n:08d}-0000-4000-8000-000000000000" for n in range(6)]
VALUES = st.one_of(st.none(), st.integers(1, 5), st.sampled_from(["a", "b", "2026-01-01"]))


def _rows(kind_fields):
    return st.dictionaries(st.sampled_from(IDS), st.fixed_dictionaries({
        **{f: VALUES for f in kind_fields},
        "archived_at": st.sampled_from([None, None, "2026-01-01T00:00:00+00:00"]),
        "revision": st.integers(1, 3)}), max_size=5).map(
        lambda d: [{"public_id": k, **v} for k, v in d.items()])


STATES = st.fixed_dictionaries({
    "hazard": _rows(("title", "likelihood", "impact", "treatment")),
    "tool": _rows(("name", "baa_status", "baa_expires_on")),
    "hazard_tool": st.lists(st.fixed_dictionaries({
        "public_id": st.uuids().map(str), "hazard": st.sampled_from(IDS),
        "tool": st.sampled_from(IDS), "archived_at": st.none()}), max_size=3),
})


@given(STATES)
def test_a_register_compared_with_itself_has_no_changes(state):
    assert not diff(state, state)


@given(STATES, STATES)
def test_the_diff_back_is_the_inverse_of_the_diff_there(a, b):
    there, back = diff(a, b), diff(b, a)
    assert there.inverse() == back
    assert {c.public_id for c in there.of("hazard", "added")} == {
        c.public_id for c in back.of("hazard", "removed")}


# -- audit verify ---------------------------------------------------------------------------------


def _sql(db, statement, *args):
    with sqlite3.connect(db.path) as conn:
        conn.execute(statement, args)
    conn.close()


def test_a_snapshot_changed_in_sql_fails_audit_verify_naming_it(db, small, ra):
    signed = ra.sign("Dr. Rivera")
    _sql(db, "update risk_analysis_snapshot set body = replace(body, 'Scribe', 'Scrybe')")
    report = verify_database(db)
    assert not report.ok
    assert report.unexplained == [
        f"risk_analysis_snapshot {signed['public_id']}: its content does not match the SHA-256 "
        "recorded when it was signed (changed after signing)"]
    code, out, _ = run_main(["audit", "verify", "--db", str(db.path)])
    assert code == 1 and signed["public_id"] in out


def test_a_snapshot_whose_hash_was_rewritten_too_is_named_by_its_event(db, small, ra):
    signed = ra.sign("Dr. Rivera")
    with db.reading() as session:
        from riskreg.storage.signoff_models import RiskAnalysisSnapshot
        body = session.get(RiskAnalysisSnapshot, 1).body
    body["tables"]["tool"][0]["name"] = "Scrybe"
    _sql(db, "update risk_analysis_snapshot set body = ?, sha256 = ?", json.dumps(body),
         sha256_of(body))
    found = verify_database(db).unexplained
    assert found == [f"risk_analysis_snapshot {signed['public_id']}: sha256 is not what its "
                     "audit log records (changed without an event)"]


# -- export and import ------------------------------------------------------------------------


def test_export_and_import_carry_the_snapshots(db, small, ra, tmp_path):
    signed = ra.sign("Dr. Rivera", "kept")
    doc = transfer.export_document(db)
    assert [s["public_id"] for s in doc["tables"]["risk_analysis_snapshot"]] == [
        signed["public_id"]]
    path = tmp_path / "out.json"
    transfer.export_json(db, path)
    other = open_database(tmp_path / "other.db")
    try:
        transfer.import_json(other, path)
        copy = RiskAnalysisService(other, today=lambda: FIXED_TODAY)
        assert copy.get(signed["public_id"])["sha256"] == signed["sha256"]
        assert copy.get(signed["public_id"])["body"] == ra.get(signed["public_id"])["body"]
        assert verify_database(other).ok
    finally:
        other.close()
    # A file whose snapshot was changed by hand is refused, naming it; nothing is imported.
    doc = json.loads(path.read_text())
    doc["tables"]["risk_analysis_snapshot"][0]["body"]["tables"]["tool"][0]["name"] = "Scrybe"
    path.write_text(json.dumps(doc))
    third = open_database(tmp_path / "third.db")
    try:
        with pytest.raises(Exception, match=f"risk_analysis_snapshot {signed['public_id']}: "
                                            "its content does not match"):
            transfer.import_json(third, path)
        assert RiskAnalysisService(third).snapshots() == []
    finally:
        third.close()


# -- the year's review ------------------------------------------------------------------------


def test_the_years_review_counts_what_is_left_and_signing_warns(db, small, register, ra,
                                                                monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", FIXED_TODAY.isoformat())
    review = AnnualReviewService(db, today=lambda: FIXED_TODAY)
    assert review.progress() is None
    progress = review.start()
    assert progress.lines() == [
        f"0 of 1 hazards reviewed or carried forward since {FIXED_TODAY}",
        f"0 of 1 tools' BAAs and checklists confirmed since {FIXED_TODAY}",
        f"0 of 1 addressable safeguards' decisions re-confirmed since {FIXED_TODAY}"]
    h = small["hazard"]
    register.mark_reviewed(h["public_id"], FIXED_TODAY, "looked again", h["revision"])
    review.settle("tool", small["tool"]["public_id"][:8], "confirmed")
    progress = review.progress()
    assert [i.kind for i in progress.left] == ["safeguard"]
    with pytest.raises(Exception, match="needs a reason"):
        review.settle("hazard", h["public_id"], "carried_forward", " ")
    db_arg = ["--db", str(db.path)]
    code, out, err = run_main(["risk-analysis", "sign", "--by", "Dr. Rivera", *db_arg])
    assert code == 1 and "1 items left" in err and "nothing was signed" in err
    assert ra.snapshots() == []
    code, out, err = run_main(["risk-analysis", "sign", "--by", "Dr. Rivera", "--force",
                               *db_arg])
    assert code == 0 and "1 items left" in err and "Signed the risk analysis" in out
    assert review.progress() is None  # the sign-off ended the review
    assert verify_database(db).ok


# -- the CLI's bad input ------------------------------------------------------------------------


def test_the_cli_says_in_one_line_what_is_wrong(db, small, monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", FIXED_TODAY.isoformat())
    db_arg = ["--db", str(db.path)]
    code, _, err = run_main(["risk-analysis", "diff", *db_arg])
    assert code == 1 and err.count("\n") == 1 and "no risk analysis has been signed yet" in err
    run_main(["risk-analysis", "sign", "--by", "Dr. Rivera", *db_arg])
    for argv, words in ((["2026-02-30"], "is not a date"),
                        (["26-11-2026"], "not a date in the form YYYY-MM-DD"),
                        (["last"], "neither a snapshot's date"),
                        (["2026-1-5"], "YYYY-MM-DD"),
                        (["2025-01-01"], "no risk analysis was signed on 2025-01-01"),
                        (["deadbeef"], "no signed risk analysis has the id")):
        code, out, err = run_main(["risk-analysis", "diff", *argv, *db_arg])
        assert code != 0 and out == "" and err.count("\n") == 1 and words in err, (argv, err)
    code, _, err = run_main(["risk-analysis", "sign", "--by", " ", *db_arg])
    assert code == 2 and err.count("\n") == 1
    code, out, _ = run_main(["risk-analysis", "list", "--json", *db_arg])
    assert code == 0 and len(json.loads(out)) == 1
    code, out, _ = run_main(["risk-analysis", "diff", FIXED_TODAY.isoformat(), "--json", *db_arg])
    assert code == 0 and json.loads(out)["changes"] == []


# -- the report, on the demo ------------------------------------------------------------------


def test_the_report_on_the_demo_lists_the_changes_since_and_the_years_reviews(db, register,
                                                                               tmp_path):
    from riskreg.services.demo import build_demo
    from riskreg.services.demo_signoff import SIGNED_BY, sign_last_year
    from riskreg.services.reports import write_risk_analysis

    build_demo(register, today=FIXED_TODAY)
    sign_last_year(register, FIXED_TODAY)
    md = write_risk_analysis(db, tmp_path / "ra.md", FIXED_TODAY).read_text("utf-8")
    changes = md.split("## 11. Changes since the analysis signed on 2025-11-26")[1]
    changes, history = changes.split("## 12. Review history, last 12 months")
    assert "| Hazards | AI note summaries copied into the wrong client's chart | added |" in changes
    assert "| Tools and BAAs | " in changes and "| retired |" in changes
    assert "| put in place |" in changes and "re-scored: inherent" in changes
    assert "| Incidents in the period | INC-2026-001 |" in changes
    assert "element 9: periodic review and update" in changes
    assert f"| 2025-11-26 | {SIGNED_BY} | the whole risk analysis, signed |" in history
    review_row = next(line for line in history.splitlines() if line.startswith("| 2026-10-27 |"))
    assert "| hazard: " in review_row and "inherent likelihood" in review_row
    assert "element 9" in history


def test_riskreg_demo_signs_last_years_analysis_and_changes_the_register_since(tmp_path,
                                                                             monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", FIXED_TODAY.isoformat())
    db_arg = ["--db", str(tmp_path / "demo.db")]
    code, out, err = run_main(["demo", *db_arg])
    assert code == 0 and "1 signed risk analysis" in out, err
    code, out, _ = run_main(["risk-analysis", "list", "--json", *db_arg])
    [signed] = json.loads(out)
    assert signed["signed_on"] == "2025-11-26"
    code, out, _ = run_main(["risk-analysis", "diff", "--json", *db_arg])
    whats = {(c["group"], c["what"]) for c in json.loads(out)["changes"]}
    assert {("Hazards", "added"), ("Tools and BAAs", "retired"),
            ("Safeguards", "put in place")} <= whats
    assert any(w.startswith("re-scored: inherent") for _, w in whats)
    code, out, _ = run_main(["audit", "verify", *db_arg])
    assert code == 0, out


def test_the_cli_review_starts_carries_forward_and_confirms(db, small, monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", FIXED_TODAY.isoformat())
    db_arg = ["--db", str(db.path)]
    code, out, _ = run_main(["risk-analysis", "review", *db_arg])
    assert code == 0 and "No review is under way" in out
    code, out, _ = run_main(["risk-analysis", "review", "--start", *db_arg])
    assert code == 0 and f"0 of 1 hazards reviewed or carried forward since {FIXED_TODAY}" in out
    code, _, err = run_main(["risk-analysis", "review", "--start", *db_arg])
    assert code == 2 and "already under way" in err
    hazard = small["hazard"]["public_id"][:8]
    code, _, err = run_main(["risk-analysis", "review", "--carry-forward", hazard, *db_arg])
    assert code == 2 and err.count("\n") == 1 and "needs a reason" in err
    code, _, err = run_main(["risk-analysis", "review", "--confirm", "hazard", hazard, *db_arg])
    assert code == 2 and "only a hazard is carried forward" in err
    code, _, err = run_main(["risk-analysis", "review", "--confirm", "tool", "12345678", *db_arg])
    assert code == 1 and "no tool has the id" in err
    run_main(["risk-analysis", "review", "--carry-forward", hazard, "--reason", "unchanged",
              *db_arg])
    run_main(["risk-analysis", "review", "--confirm", "tool", small["tool"]["public_id"],
              *db_arg])
    run_main(["risk-analysis", "review", "--confirm", "safeguard",
              small["safeguard"]["public_id"], "--reason", "still reasonable", *db_arg])
    code, out, _ = run_main(["risk-analysis", "review", "--json", *db_arg])
    progress = json.loads(out)
    assert progress["left"] == 0 and [i["how"] for i in progress["items"]] == [
        f"carried forward {FIXED_TODAY}: unchanged", f"confirmed {FIXED_TODAY}",
        f"confirmed {FIXED_TODAY}: still reasonable"]
    code, out, err = run_main(["risk-analysis", "sign", "--by", "Dr. Rivera", *db_arg])
    assert code == 0 and err == ""
    assert verify_database(db).ok
