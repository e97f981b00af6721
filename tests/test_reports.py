"""Reports: the risk analysis and the incident dossier, as self-contained HTML and as Markdown."""

import re
import stat
import subprocess
import sys
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from clock import FIXED_TODAY

from riskreg.errors import BadInput, NotFound
from riskreg.services.demo import build_demo
from riskreg.services.reports import (
    report_format,
    write_incident_report,
    write_risk_analysis,
)
from riskreg.services.reports.facts import NOT_LEGAL_ADVICE, gather

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HOSTILE = ('<script>alert("x")</script> & <img src=http://evil.example/x.png> '
           "[link](http://e) *b* | pipe")


@pytest.fixture
def demo(db, register):
    build_demo(register, today=FIXED_TODAY, seed=7)
    return db


def _incident_refs(db):
    from riskreg.services.incidents import IncidentService

    return [r["reference"] for r in IncidentService(db, today=lambda: FIXED_TODAY).list()]


class _Tags(HTMLParser):
    """Every tag and attribute, to prove nothing is loaded from outside the file."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _external(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    found = [f"<{t}>" for t, _ in parser.tags if t in ("script", "img", "link", "iframe", "object",
                                                          "embed", "svg", "video", "audio")]
    found += [f"{t}[{k}]" for t, attrs in parser.tags for k in attrs if k in ("src", "srcset")]
    found += [m for m in ("@import", "url(", "@font-face") if m in html]
    found += re.findall(r'href="(?!#)[^"]*"', html)
    return found


# -- the risk analysis ---------------------------------------------------------------------------


def test_the_risk_analysis_html_is_self_contained_private_and_prints_cleanly(demo, tmp_path):
    out = write_risk_analysis(demo, tmp_path / "ra.html", FIXED_TODAY, NOW)
    html = out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert html.startswith("<!DOCTYPE html>") and _external(html) == []
    assert "Content-Security-Policy" in html and "default-src &#x27;none&#x27;" in html
    assert "@media print" in html and "thead { display: table-header-group; }" in html
    assert "print-color-adjust: exact" in html


def test_the_risk_analysis_has_every_part_the_rule_asks_for(demo, register, tmp_path):
    html = write_risk_analysis(demo, tmp_path / "ra.html", FIXED_TODAY, NOW).read_text("utf-8")
    for heading in ("1. Scope", "2. Method", "3. Summary and heat maps", "4. Open items",
                    "5. Overdue and upcoming reviews", "6. Tools and systems", "7. Hazards",
                    "8. Safeguards", "9. Review history", "10. Owners"):
        assert f"<h2>{heading}</h2>" in html
    assert "As of 2026-11-26" in html and "Almost certain" in html and "10–16" in html
    assert html.count('<table class="heat">') == 3
    from html import escape

    for kind, key in (("hazard", "title"), ("tool", "name"), ("safeguard", "title")):
        for row in register.list(kind).rows:
            assert escape(row[key]) in html, row[key]
    assert "45 CFR 164.308(b)(1)" in html  # safeguard citations
    assert escape(NOT_LEGAL_ADVICE) in html


def test_open_items_and_overdue_reviews_come_from_the_register(demo, tmp_path):
    ra = gather(demo, FIXED_TODAY, NOW)
    assert ra.dashboard.reviews_overdue.total > 0 and ra.open_items
    assert any("BAA" in item.detail or "PHI" in item.detail for item in ra.open_items)
    md = write_risk_analysis(demo, tmp_path / "ra.md", FIXED_TODAY, NOW).read_text("utf-8")
    assert "review overdue by" in md


def test_the_heat_map_counts_every_current_hazard(demo):
    ra = gather(demo, FIXED_TODAY, NOW)
    current = [h for h in ra.hazards if h["status"] != "closed"]
    assert sum(ra.dashboard.heat_inherent.values()) == len(current)
    assert sum(ra.dashboard.heat_target.values()) == len(current)


def test_the_review_history_lists_each_review(demo, register, tmp_path):
    hazard = register.list("hazard").rows[0]
    register.mark_reviewed(hazard["public_id"], FIXED_TODAY, "Checked with the vendor",
                           hazard["revision"])
    md = write_risk_analysis(demo, tmp_path / "ra.md", FIXED_TODAY, NOW).read_text("utf-8")
    history = md.split("## 9. Review history")[1].split("## 10.")[0]
    assert "Checked with the vendor" in history and "2026-11-26" in history


def test_user_text_is_escaped_in_html_and_markdown(db, register, tmp_path):
    register.create("hazard", {"title": HOSTILE, "likelihood": 3, "impact": 4,
                               "target_likelihood": 2, "target_impact": 2,
                               "description": HOSTILE})
    register.create("tool", {"name": HOSTILE, "category": "ai_scribe", "vendor": "<b>v</b>"})
    html = write_risk_analysis(db, tmp_path / "ra.html", FIXED_TODAY, NOW).read_text("utf-8")
    assert "<script>" not in html and "<img" not in html and "<b>v</b>" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img" in html
    assert _external(html) == []
    md = write_risk_analysis(db, tmp_path / "ra.md", FIXED_TODAY, NOW).read_text("utf-8")
    assert not re.search(r"(?<!\\)<(script|img)", md)
    assert r"\<script\>" in md and r"\[link\](http://e)" in md and r"\| pipe" in md


def test_an_empty_register_still_gives_a_report(db, tmp_path):
    html = write_risk_analysis(db, tmp_path / "ra.html", FIXED_TODAY, NOW).read_text("utf-8")
    assert "No hazards in the register." in html and "(practice name not set)" in html


def test_the_practice_settings_name_the_practice(db, tmp_path):
    from riskreg.storage.models import PracticeSettings

    with db.writing() as session:
        session.add(PracticeSettings(
            practice_name="Rivera Counseling", practitioner="Dr. Sam Rivera",
            risk_analysis_reviewed_on=FIXED_TODAY.replace(month=1)))
    md = write_risk_analysis(db, tmp_path / "ra.md", FIXED_TODAY, NOW).read_text("utf-8")
    assert md.startswith("# HIPAA risk analysis — Rivera Counseling")
    assert "**Next review due:** 2027-01-26" in md


@pytest.mark.parametrize("name", ["ra.pdf", "ra", "ra.txt", "ra.html.bak"])
def test_a_format_other_than_html_or_md_is_refused(name, db, tmp_path):
    with pytest.raises(BadInput, match="choose a .html or .md file") as refused:
        write_risk_analysis(db, tmp_path / name, FIXED_TODAY, NOW)
    assert refused.value.exit_code == 2 and not (tmp_path / name).exists()


def test_the_extension_picks_the_format():
    assert [report_format(n) for n in ("a.html", "b.HTM", "c.md", "d.markdown")] == [
        "html", "html", "md", "md"]


# -- the incident dossier ------------------------------------------------------------------------


def test_the_incident_dossier_has_every_part(demo, tmp_path):
    refs = _incident_refs(demo)
    if not refs:
        pytest.skip("the demo builds no incidents")
    for ref in refs:
        html = write_incident_report(demo, ref, tmp_path / f"{ref}.html", FIXED_TODAY, NOW)[0]
        text = html.read_text("utf-8")
        for heading in ("1. Timeline", "2. Facts", "3. Determination", "4. Obligations",
                        "5. Law-enforcement holds", "6. Notices as sent", "7. Close-out",
                        "8. Audit trail", "9. Audit chain verification"):
            assert f"<h2>{heading}</h2>" in text, (ref, heading)
        assert "(i) Nature and extent of the PHI" in text and "(iv) Extent the risk" in text
        assert "Not legal advice" in text and _external(text) == []
        assert "Intact: all" in text


def test_the_dossier_shows_obligations_with_due_and_sent_dates(demo, tmp_path):
    from riskreg.services.incidents import IncidentService

    service = IncidentService(demo, today=lambda: FIXED_TODAY)
    with_notices = [r for r in _incident_refs(demo) if service.get(r)["notices"]]
    if not with_notices:
        pytest.skip("the demo records no notices")
    ref = with_notices[0]
    record = service.get(ref)
    md = write_incident_report(demo, ref, tmp_path / "i.md", FIXED_TODAY, NOW)[0].read_text("utf-8")
    obligations = md.split("## 4. Obligations")[1].split("## 5.")[0]
    for o in record["obligations"]:
        assert o["due"].isoformat() in obligations and o["citation"] in obligations
    for n in record["notices"]:
        assert n["sent_on"].isoformat() in md
    trail = md.split("## 8. Audit trail")[1]
    assert trail.count("\n| ") >= len(service.history(ref))


def test_the_dossier_lists_law_enforcement_holds_and_escapes_the_description(demo, tmp_path):
    from sqlmodel import select

    from riskreg.storage.incident_models import Incident, IncidentStatement

    with demo.writing() as session:
        incident = session.exec(
            select(Incident).where(Incident.determination == "notification_required")
        ).first()
        if incident is None:
            pytest.skip("the demo has no incident that requires notification")
        incident.description = HOSTILE
        session.add(incident)
        session.add(IncidentStatement(
            incident_id=incident.id, kind="oral", statement_on=incident.discovered_on,
            official="Det. Lee", agency="City police"))
        ref = incident.reference
    html = write_incident_report(demo, ref, tmp_path / "i.html", FIXED_TODAY, NOW)[0]
    text = html.read_text("utf-8")
    holds = text.split("5. Law-enforcement holds")[2].split("<h2>")[0]
    assert "Det. Lee City police" in holds and "Notice may go out on" in holds
    assert "<script>" not in text and "&lt;script&gt;" in text


def test_the_dossier_reports_a_broken_audit_chain(demo, tmp_path):
    from sqlalchemy import text

    refs = _incident_refs(demo)
    if not refs:
        pytest.skip("the demo builds no incidents")
    with demo.writing() as session:
        session.execute(text("UPDATE audit_event SET changes = '{}' WHERE id = 3"))
    md = write_incident_report(demo, refs[0], tmp_path / "i.md", FIXED_TODAY, NOW)[0]
    assert "BROKEN: event 3 was altered" in md.read_text("utf-8")


def test_an_unknown_incident_is_not_found(db, tmp_path):
    with pytest.raises(NotFound):
        write_incident_report(db, "INC-2026-999", tmp_path / "i.html", FIXED_TODAY, NOW)
    assert not (tmp_path / "i.html").exists()


# -- the command line ------------------------------------------------------------------------


def riskreg(*args):
    import os

    env = {**os.environ, "RISKREG_TODAY": "2026-11-26"}
    return subprocess.run([sys.executable, "-m", "riskreg", *args], check=False,
                          capture_output=True, text=True, env=env, timeout=120)


def _one_line(result, code):
    assert result.returncode == code, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("riskreg: ") and "Traceback" not in result.stderr
    return lines[0]


@pytest.mark.slow
def test_cli_reports_and_their_bad_input(tmp_path):
    db = str(tmp_path / "demo.db")
    assert riskreg("demo", "--db", db).returncode == 0
    done = riskreg("report", "risk-analysis", "--out", str(tmp_path / "ra.html"), "--db", db)
    assert done.returncode == 0 and "Risk analysis as of 2026-11-26 written to" in done.stdout
    assert (tmp_path / "ra.html").stat().st_size > 10_000
    assert "choose a .html or .md file" in _one_line(
        riskreg("report", "risk-analysis", "--out", str(tmp_path / "ra.pdf"), "--db", db), 2)
    assert "--out FILE.html or FILE.md is required" in _one_line(
        riskreg("report", "risk-analysis", "--db", db), 2)
    assert "does not exist" in _one_line(
        riskreg("report", "risk-analysis", "--out", str(tmp_path / "no" / "ra.md"), "--db", db), 1)
    incidents = riskreg("incidents", "list", "--json", "--db", db)
    import json

    refs = [r["reference"] for r in json.loads(incidents.stdout)] if not incidents.returncode else []
    if refs:
        made = riskreg("report", "incident", refs[0].lower(), "--out", str(tmp_path / "i.md"),
                       "--db", db)
        assert made.returncode == 0 and f"Incident dossier for {refs[0]}" in made.stdout
    _one_line(riskreg("report", "incident", "INC-2099-001", "--out", str(tmp_path / "x.md"),
                      "--db", db), 1)
    assert riskreg("report", "--db", db).returncode == 2


def test_help_answers_without_loading_heavy_modules_and_the_services_never_load_the_tui():
    code = (
        "import sys, contextlib, io\n"
        "from riskreg.cli import main\n"
        "for argv in (['report', '--help'], ['report', 'incident', '--help'],\n"
        "             ['import', 'json', '--help'], ['backup', '--help'], ['restore', '--help'],\n"
        "             ['export', 'json', '--help'], ['export', 'csv', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try: main(argv)\n"
        "        except SystemExit: pass\n"
        "heavy = [m for m in ('textual', 'sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules]\n"
        "import riskreg.services.reports, riskreg.services.reports.risk_analysis\n"
        "import riskreg.services.reports.dossier, riskreg.services.reports.html\n"
        "import riskreg.services.reports.md, riskreg.services.transfer, riskreg.services.csv_export\n"
        "import riskreg.storage.restore\n"
        "print(heavy, 'textual' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[] False"
