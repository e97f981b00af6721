"""Hostile values in a structurally valid import file (issue 16, D9 and D18).

`import --check` refuses, in one line naming the record and the field, every value the app could
not have saved itself; whatever it lets through imports, and every read command then runs on the
result without a traceback (a Hypothesis property, from the demo's own export).
"""

import copy
import json
from datetime import UTC, date, datetime

import pytest
from cli_helpers import run_main
from clock import FIXED_TODAY
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from riskreg.services import transfer
from riskreg.services.demo import build_demo
from riskreg.services.register import RegisterService
from riskreg.services.settings import SettingsService
from riskreg.storage.database import open_database


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    """The demo practice's export (with its practice settings), as a document."""
    db = open_database(tmp_path_factory.mktemp("demo") / "demo.db")
    build_demo(RegisterService(db, today=lambda: FIXED_TODAY), today=FIXED_TODAY, seed=7)
    SettingsService(db).update({"practice_name": "Demo practice",
                                "risk_analysis_reviewed_on": "2026-01-10"}, None)
    doc = transfer.export_document(db, datetime(2026, 11, 26, tzinfo=UTC))
    db.close()
    return doc


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setenv("RISKREG_TODAY", FIXED_TODAY.isoformat())


def _write(tmp_path, doc, name="hostile.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _set(table, field, value, index=0):
    def change(doc):
        doc["tables"][table][index][field] = value() if callable(value) else value
    return change


HOSTILE = {
    # the review's crashes (section 3b)
    "discovery in 9999": (_set("incident", "discovered_on", "9999-12-31"),
                          "tables.incident[0].discovered_on (incident INC-2026-001): '9999-12-31' "
                          "is not between 1900-01-01 and 2200-12-31"),
    "unknown step": (_set("incident", "step", "bogus"),
                     "tables.incident[0].step (incident INC-2026-001): 'bogus' is not a step"),
    "factors not an object": (_set("incident", "factors", "not an object"),
                              "tables.incident[0].factors (incident INC-2026-001): A rating for "
                              "each factor must be a set of named answers"),
    "exceptions a list": (_set("incident", "exceptions", [1, 2, 3]),
                          "tables.incident[0].exceptions (incident INC-2026-001): An answer for "
                          "each exception must be a set of named answers"),
    "risk analysis reviewed in 9999": (
        _set("practice_settings", "risk_analysis_reviewed_on", "9999-12-31"),
        "tables.practice_settings[0].risk_analysis_reviewed_on (practice settings "),
    "internal target 1000000 days": (
        _set("practice_settings", "internal_target_days", 1_000_000),
        "internal_target_days (practice settings "),
    "risk analysis every 0 months": (
        _set("practice_settings", "risk_analysis_cadence_months", 0),
        "The risk analysis interval in months must be between 1 and 36"),
    "hazard review in 9999": (_set("hazard", "next_review_on", "9999-12-31"),
                              "tables.hazard[0].next_review_on (hazard "),
    "BAA expiry in 9999": (_set("tool", "baa_expires_on", "9999-12-31"),
                           "tables.tool[0].baa_expires_on (tool "),
    "revision 2**63-1": (_set("hazard", "revision", 2**63 - 1),
                         "revision (hazard "),
    "affected 10**30": (_set("incident", "affected", 10**30),
                        "tables.incident[0].affected (incident INC-2026-001): "),
    # accepted, then refused later naming a flag the user did not give
    "bogus determination": (_set("incident", "determination", "definitely_fine"),
                            "tables.incident[0].determination (incident INC-2026-001): "
                            "'definitely_fine' is not one of not_phi"),
    "alarms not days": (_set("practice_settings", "alarm_days", "soon"),
                        "alarm_days (practice settings "),
    "unknown home state": (_set("practice_settings", "home_state", "ZZ"),
                           "home_state (practice settings "),
    "negative internal target": (_set("practice_settings", "internal_target_days", -1000),
                                 "The internal target in days must be between 0 and 59"),
    # D18: the incident step's limit, in words
    "a 100 MB description": (_set("incident", "description", lambda: "x" * 100_000_000),
                             "tables.incident[0].description (incident INC-2026-001): is "
                             "100,000,000 characters long; at most 20,000 fit"),
}


@pytest.mark.parametrize("spoil", list(HOSTILE), ids=list(HOSTILE))
def test_check_refuses_a_hostile_value_in_one_line_naming_the_record_and_field(
    spoil, export, tmp_path
):
    change, expected = HOSTILE[spoil]
    doc = copy.deepcopy(export)
    change(doc)
    path = _write(tmp_path, doc)
    code, out, err = run_main(["import", "json", str(path), "--check"])
    assert code == 2, (out, err)
    assert expected in out.splitlines()[0], out
    assert err.strip().endswith("cannot be imported: 1 problem listed above")

    db = tmp_path / "new.db"
    code, out, err = run_main(["import", "json", str(path), "--db", str(db)])
    assert code == 2 and err.count("\n") == 1 and expected in err, err
    assert err.rstrip().endswith("nothing was changed")
    assert not db.exists()


# -- the property: what --check lets through, every command reads ----------------------------

FAR_DATES = st.dates(min_value=date(1, 1, 1)).map(date.isoformat)
# Values at the edge of what the app takes: what passes the check is what the commands must read.
EDGES = st.sampled_from(["1900-01-01", "2200-12-31", 2**31 - 1, 1_000_000_000, 59, 36, 120, 1, 2,
                         5, "none", "14,7,1", "open", "plan", "tracking", "closeout"])
HOSTILE_VALUES = st.one_of(
    EDGES, EDGES,
    FAR_DATES,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 2**31, 2**63 - 1, 10**30, True, None, "", "bogus", "x" * 30_000,
                     [1, 2, 3], [], {}, {"a": 1}, "not an object", 3.5, "2026-02-30",
                     "9999-12-31", "0001-01-01", "closed", "notification_required"]),
)
# Every table of the demo's export but the links, whose only fields are references.
TABLES = ("owner", "tool", "hazard", "safeguard", "consent", "practice_settings", "incident",
          "incident_resident", "notice_sent", "incident_hazard")


@st.composite
def mutations(draw, export):
    doc = copy.deepcopy(export)
    for _ in range(draw(st.integers(1, 2))):
        table = draw(st.sampled_from(TABLES))
        rows = doc["tables"][table]
        row = rows[draw(st.integers(0, len(rows) - 1))]
        field = draw(st.sampled_from(sorted(k for k in row if k != "public_id")))
        row[field] = draw(HOSTILE_VALUES)
    return doc


def _reads(db, references, out):
    """Every read command a user might run on the imported register."""
    yield from (["list", kind] for kind in ("tools", "hazards", "safeguards", "owners",
                                            "consents"))
    yield ["incidents", "list"]
    for ref in references:
        yield ["incidents", "show", ref]
        yield ["report", "incident", ref, "--out", str(out / "incident.md")]
    yield ["settings"]
    yield ["export", "ics", "--out", str(out / "all.ics")]
    yield ["export", "json", "--out", str(out / "all.json")]
    yield ["export", "csv", "--what", "incidents", "--out", str(out / "incidents.csv")]
    yield ["report", "risk-analysis", "--out", str(out / "risk.html")]
    yield ["report", "risk-analysis", "--out", str(out / "risk.md")]
    yield ["audit", "verify"]


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(data=st.data())
def test_a_file_check_lets_through_imports_and_every_command_then_reads_it(
    data, export, tmp_path_factory
):
    doc = data.draw(mutations(export))
    folder = tmp_path_factory.mktemp("hostile")
    path = _write(folder, doc)
    code, out, err = run_main(["import", "json", str(path), "--check"])
    assert code in (0, 2), err
    if code == 2:
        assert err.count("\n") == 1 and out.strip(), (out, err)
        return
    db = folder / "imported.db"
    code, out, err = run_main(["import", "json", str(path), "--db", str(db)])
    assert code == 0, err
    references = [row["reference"] for row in doc["tables"]["incident"]]
    for argv in _reads(db, references, folder):
        code, out, err = run_main([*argv, "--db", str(db)])
        # The records no longer match their copied log: `audit verify` may say so (exit 1).
        assert code == 0 or (argv == ["audit", "verify"] and code == 1), (argv, code, err)
