"""The notices beyond the letters (issue 21, item 5): the substitute notice (45 CFR
164.404(d)(2)), the media notice per state (164.406) and the HHS portal checklist (164.408),
from incidents walked through the wizard's services, written as HTML and Markdown by the
services and by `riskreg notices ...` in a subprocess."""

import os
import stat
import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from riskreg.domain.substitute_notice import posting_ends, substitute_form
from riskreg.errors import BadInput, NotFound
from riskreg.services import other_notices as notices
from riskreg.services.incidents import IncidentService
from riskreg.storage import audit

TODAY = date(2026, 9, 10)
NO_EXCEPTION = {"workforce_good_faith": False, "inadvertent_internal": False,
                "could_not_retain": False}
FACTORS = {"factors": {k: {"rating": "high", "notes": f"{k} noted"}
                       for k in ("nature_extent", "recipient", "acquired_viewed", "mitigation")}}
CLIENT = "Jane Roe"
"""A client's name typed into the description, as a careless practitioner might."""


@pytest.fixture
def out(tmp_path):
    """The folder the notices go to (the register is in tmp_path/practice)."""
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


def service(db, today=TODAY):
    return IncidentService(db, today=lambda: today)


def walked(svc, scope, *, notice=True, breach_type="unauthorized", hazards=(),
           phi_types=("name", "diagnosis"), **intake):
    """An incident walked through the wizard's steps to the notices, notification required."""
    r = svc.create({"title": "Email to the wrong client", "discovered_on": "2026-09-01",
                    "occurred_on": "2026-08-30", "breach_type": breach_type,
                    "description": f"A summary for {CLIENT} was emailed to the wrong address.",
                    "hazards": list(hazards), **intake})
    ref = r["reference"]
    r = svc.save_phi(ref, {"phi_involved": True, "phi_types": list(phi_types)}, r["revision"])
    r = svc.save_secured(ref, {"secured_by": "none"}, r["revision"])
    r = svc.save_exceptions(ref, {"exceptions": NO_EXCEPTION}, r["revision"])
    r = svc.save_factors(ref, FACTORS, r["revision"])
    r = svc.save_determination(ref, {"choice": "notification_required", "decided_on":
                                     "2026-09-01", "rationale": "Presumed; factors high."},
                               r["revision"])
    r = svc.save_scope(ref, scope, r["revision"])
    r = svc.complete_step(ref, "law_enforcement", r["revision"])
    r = svc.complete_step(ref, "plan", r["revision"])
    if notice:
        r = svc.save_notice_content(ref, {
            "notice_steps": "Watch your insurer's statements.",
            "notice_actions": "We retrained staff and now check each address before sending.",
            "contact_toll_free": "1-800-555-0100", "contact_email": "privacy@example.test",
        }, r["revision"])
    return r


class Tags(HTMLParser):
    """Well-formed enough: every element opened is closed, in order (void elements aside)."""

    VOID = {"meta", "br", "hr", "img", "input", "link"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.text: list[str] = []
        self.seen: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.seen.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parsed(html: str) -> Tags:
    tags = Tags()
    tags.feed(html)
    tags.close()
    assert tags.stack == [], tags.stack
    assert html.startswith("<!DOCTYPE html>")
    return tags


def text_of(path) -> str:
    """What a reader sees: the HTML's text, or the Markdown without its escapes."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        return " ".join(" ".join(parsed(raw).text).split())
    return " ".join(raw.replace("\\", "").split())


def headings(markdown: str) -> list[str]:
    return [line for line in markdown.splitlines() if line.startswith("#")]


# -- the 90 days of a substitute notice (164.404(d)(2)(ii)) --------------------------------------


@pytest.mark.parametrize(("posted", "ends"), [
    (date(2026, 1, 1), date(2026, 4, 1)),
    (date(2026, 10, 31), date(2027, 1, 29)),  # across the year's end
    (date(2027, 2, 1), date(2027, 5, 2)),     # February of 28 days
    (date(2028, 2, 1), date(2028, 5, 1)),     # February 29, 2028 counts as a day
    (date(2027, 12, 15), date(2028, 3, 14)),  # into a leap year's February
])
def test_the_posting_stays_up_90_calendar_days_from_the_day_it_goes_up(posted, ends):
    assert posting_ends(posted) == ends


def test_ten_or_more_without_contact_get_a_posting_fewer_another_way_none_nothing():
    assert [substitute_form(n) for n in (0, 1, 9, 10, 640)] == [
        None, "alternative", "alternative", "posting", "posting"]


def test_the_posting_end_date_is_computed_once_the_posting_is_recorded(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 40, "residents": {"FL": 40}, "insufficient_contact": 12})
    target = out / "substitute.html"
    notices.write_substitute(db, r["reference"], target, TODAY)
    text = text_of(target)
    assert "web posting and toll-free number (45 CFR 164.404(d)(2)(ii))" in text
    # Not posted yet: how the date will be computed, with the due date as the example.
    assert "the posting date is not recorded yet: it stays up until the posting date + 90 days" \
        in text
    assert "posted on the due date, 2026-10-31, that is 2027-01-29" in text
    assert "call us free of charge at 1-800-555-0100" in text
    assert "Was my information involved?" in text
    assert "How long is this number available? At least 90 days from the posting: [TO DO: " \
           "until the posting date + 90 days" in text
    assert "This text is public: check that it names no one" in text
    for item in ("(A) What happened", "(B) The types of unsecured PHI", "(C) Steps people",
                 "(D) What the practice is doing", "(E) Contact procedures"):
        assert f"✓ {item}" in text, item
    assert "August 30, 2026" in text and "September 1, 2026" in text
    assert "Full name" in text and "Diagnosis or disability code" in text

    r = svc.get(r["reference"])
    svc.record_notice_sent(r["reference"], {"obligation_id": "substitute_notice",
                                            "sent_on": "2026-09-08", "method": "website"},
                           r["revision"])
    notices.write_substitute(db, r["reference"], target, TODAY)
    text = text_of(target)
    assert "posted on 2026-09-08: keep it up, and the toll-free number active, until at " \
           "least 2026-12-07 (2026-09-08 + 90 days)" in text
    assert "not recorded yet" not in text
    assert "How long is this number available? At least 90 days from the posting: until at " \
           "least December 7, 2026." in text


def test_fewer_than_ten_get_the_written_notice_and_a_telephone_text(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 5, "residents": {"CO": 5}, "insufficient_contact": 3})
    out = out / "substitute.md"
    notices.write_substitute(db, r["reference"], out, TODAY)
    markdown = out.read_text()
    assert "## 2. The written notice" in headings(markdown)
    assert "## 3. The telephone text" in headings(markdown)
    text = text_of(out)
    assert "3 people cannot be reached at the address you have, fewer than 10" in text
    assert "164.404(d)(2)(i)" in text and "toll-free number active" not in text
    assert "We did not have a current address for you" in text


def test_no_substitute_notice_where_everyone_can_be_reached(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 5, "residents": {"CO": 5}})
    with pytest.raises(BadInput, match="no substitute notice is needed"):
        notices.write_substitute(db, r["reference"], out / "s.html", TODAY)
    assert list(out.iterdir()) == []


# -- the media notice (164.406) -----------------------------------------------------------------


def test_a_press_release_for_each_state_over_500_and_none_for_exactly_500(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 1661, "residents": {"FL": 560, "NY": 501, "CA": 500,
                                                      "GA": 100}})
    written, ref = notices.write_media(db, r["reference"], out / "media.html", TODAY)
    assert [(s, p.name) for s, p in written] == [("FL", "media-FL.html"), ("NY", "media-NY.html")]
    assert sorted(p.name for p in out.iterdir()) == ["media-FL.html", "media-NY.html"]
    florida = text_of(out / "media-FL.html")
    assert "prominent media outlets serving Florida" in florida
    assert "560 residents of Florida" in florida and "1,661 people in all" in florida
    assert "2026-10-31 (Saturday)" in florida and "45 CFR 164.406" in florida  # discovery + 60
    assert "What happened" in florida and "1-800-555-0100" in florida
    assert "New York" in text_of(out / "media-NY.html")
    for state in ("CA", "GA"):
        with pytest.raises(BadInput, match="not more than 500: no media notice there"):
            notices.write_media(db, ref, out / "x.html", TODAY, state=state)
    one, _ = notices.write_media(db, ref, out / "ny.md", TODAY, state="ny")
    assert one == [("NY", out / "ny.md")]
    assert "# Media notice — INC-2026-001 — New York" in headings((out / "ny.md").read_text())


def test_no_media_notice_where_no_state_has_more_than_500(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 500, "residents": {"CA": 500}})
    with pytest.raises(BadInput, match="no state has more than 500 residents affected"):
        notices.write_media(db, r["reference"], out / "m.html", TODAY)
    with pytest.raises(BadInput, match="not a state or jurisdiction code"):
        notices.write_media(db, r["reference"], out / "m.html", TODAY, state="ZZ")
    assert list(out.iterdir()) == []


# -- the HHS portal checklist (164.408) ---------------------------------------------------------


def test_the_hhs_checklist_is_filled_from_the_wizard_and_says_to_do_where_unknown(
        db, register, out):
    from riskreg.services.settings import SettingsService

    SettingsService(db, today=lambda: TODAY).update(
        {"practice_name": "Harbor Counseling", "practitioner": "Dr. Ada Park"}, 0)
    hazard = register.create("hazard", {"title": "Email to the wrong address", "likelihood": 3,
                                        "impact": 4, "target_likelihood": 2,
                                        "target_impact": 2})
    guard = register.create("safeguard", {"title": "Address check before sending",
                                          "category": "administrative", "status": "in_place",
                                          "citation": "164.308(a)(5)"})
    planned = register.create("safeguard", {"title": "Encrypted portal", "category": "technical",
                                            "status": "planned"})
    for s in (guard, planned):
        register.link(hazard["public_id"], "safeguard", s["public_id"])
    svc = service(db)
    r = walked(svc, {"affected": 640, "residents": {"FL": 560, "GA": 80},
                     "insufficient_contact": 12}, hazards=[hazard["public_id"]])
    out = out / "hhs.html"
    notices.write_hhs(db, r["reference"], out, TODAY)
    text = text_of(out)
    html = out.read_text()
    expected = {
        "Name of covered entity": "Harbor Counseling",
        "Contact name": "Dr. Ada Park",
        "Contact email": "privacy@example.test",
        "Breach start date": "2026-08-30",
        "Discovery start date": "2026-09-01",
        "Approximate number of individuals affected": "640",
        "Type of breach": "Unauthorized Access/Disclosure",
        "Breach affecting": "500 or more individuals",
        "Was substitute notice required?": "Yes: 12 people",
        "Was media notice required?": "Yes: FL",
        "Security Rule Administrative Safeguards": "Yes: Address check before sending",
        "Describe the actions taken": "We retrained staff",
    }
    for question, answer in expected.items():
        assert f"<td>{question}</td><td>{answer}" in html.replace("&#x27;", "'"), question
    assert "Demographic: Name" in text and "Clinical: Diagnosis/conditions" in text
    assert "Encrypted portal" not in text  # planned is not in place
    # Unknown: a visible [TO DO], flagged.
    assert '<td class="warn">[TO DO: the practice&#x27;s address]</td>' in html
    assert "Security Rule Technical Safeguards [TO DO: no technical safeguard" in text
    assert "Individual notice provided: start date [TO DO: not yet recorded in Tracking; " \
           "due 2026-10-31]" in text
    # 500 or more: with the individual notice, 60 days after discovery (164.408(b)).
    assert "2026-10-31 (Saturday)" in text and "164.408(b)" in text
    assert "Business associate" in text and "None: no business associate" in text
    assert "Part 2" not in text


def test_fewer_than_500_go_in_the_yearly_log_and_unknowns_stay_to_do(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 3, "residents": {"CO": 3}}, notice=False, breach_type="",
               phi_types=("name",))
    r = svc.record_notice_sent(r["reference"], {"obligation_id": "individuals",
                                                "sent_on": "2026-09-08", "method": "mail"},
                               r["revision"])
    out = out / "hhs.md"
    notices.write_hhs(db, r["reference"], out, TODAY)
    markdown = out.read_text()
    for heading in ("## 1. The report", "## 2. Covered entity", "## 3. Business associate",
                    "## 4. The breach", "## 5. Safeguards in place prior to the breach",
                    "## 6. Notice of the breach", "## 7. Actions taken in response to the breach"):
        assert heading in headings(markdown), heading
    text = text_of(out)
    assert "Fewer than 500 individuals" in text
    assert "2027-03-01 (Monday)" in text and "164.408(c)" in text  # Dec 31 + 60 days
    assert "Type of breach | ⚠ [TO DO: choose it in step 1" in text
    assert "Name of covered entity | ⚠ [TO DO: the practice's name (Settings)]" in text
    assert "Describe the actions taken | ⚠ [TO DO" in text
    assert "Individual notice provided: start date | 2026-09-08" in text
    assert "Was substitute notice required? | No" in text


# -- both formats, names, refusals --------------------------------------------------------------


def test_every_notice_parses_in_both_formats_and_file_names_carry_the_reference_only(
        db, out):
    svc = service(db)
    r = walked(svc, {"affected": 640, "residents": {"FL": 560, "GA": 80},
                     "insufficient_contact": 12})
    for fmt in ("html", "md"):
        folder = out / fmt
        paths = notices.write_all(db, r["reference"], folder, TODAY, fmt=fmt)
        assert sorted(p.name for p in paths) == sorted([
            f"INC-2026-001-substitute-notice.{fmt}", f"INC-2026-001-media-notice-FL.{fmt}",
            f"INC-2026-001-hhs-portal-checklist.{fmt}"])
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in paths:
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            assert "Jane" not in path.name and "Roe" not in path.name
            raw = path.read_text()
            if fmt == "html":
                tags = parsed(raw)
                assert {"h1", "h2", "ul"} <= set(tags.seen)
                assert "<script" not in raw
            else:
                assert headings(raw)[0].startswith("# ") and len(headings(raw)) > 4
            assert "Not legal advice" in raw
    # Each file is kept with the incident as a draft written (its dossier lists them), once.
    notices.write_all(db, r["reference"], out / "html", TODAY)
    drafts = sorted((d["kind"], Path(d["path"]).name) for d in svc.get(r["reference"])["drafts"])
    assert drafts == sorted((kind, f"INC-2026-001-{name}.{fmt}") for fmt in ("html", "md")
                            for kind, name in (("hhs", "hhs-portal-checklist"),
                                               ("media:FL", "media-notice-FL"),
                                               ("substitute", "substitute-notice")))
    with db.reading() as session:
        assert audit.verify(session).ok


def test_markup_in_the_facts_is_escaped_in_both_formats(db, out):
    svc = service(db)
    r = walked(svc, {"affected": 3, "residents": {"CO": 3}})
    svc.save_notice_content(r["reference"], {"notice_actions": "<script>alert(1)</script> [x](y)"},
                            svc.get(r["reference"])["revision"])
    notices.write_hhs(db, r["reference"], out / "h.html", TODAY)
    notices.write_hhs(db, r["reference"], out / "h.md", TODAY)
    assert "<script>" not in (out / "h.html").read_text()
    assert "&lt;script&gt;" in (out / "h.html").read_text()
    assert "\\<script\\>" in (out / "h.md").read_text()


def test_the_notices_need_a_breach_requiring_notification_and_a_known_reference(db, out):
    svc = service(db)
    svc.create({"title": "Maybe", "discovered_on": "2026-09-01"})
    with pytest.raises(BadInput, match="once you determine that notification is required"):
        notices.write_hhs(db, "INC-2026-001", out / "h.html", TODAY)
    with pytest.raises(NotFound, match="no incident INC-2026-404"):
        notices.write_hhs(db, "INC-2026-404", out / "h.html", TODAY)
    with pytest.raises(BadInput, match="choose a .html or .md file"):
        notices.write_hhs(db, "INC-2026-001", out / "h.pdf", TODAY)
    with pytest.raises(BadInput, match="--format md but --out h.html"):
        notices.write_hhs(db, "INC-2026-001", out / "h.html", TODAY, fmt="md")
    assert list(out.iterdir()) == []


# -- the command line, as a user runs it ---------------------------------------------------------


def riskreg(*args, db):
    env = dict(os.environ, RISKREG_TODAY=TODAY.isoformat())
    env.pop("RISKREG_DB", None)
    return subprocess.run([sys.executable, "-m", "riskreg", "--db", str(db), *args],
                          check=False, capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture
def cli_db(db, db_path):
    walked(service(db), {"affected": 640, "residents": {"FL": 560, "GA": 80},
                         "insufficient_contact": 12})
    db.close()
    return db_path


def test_the_commands_write_each_notice_and_refuse_bad_input_in_one_line(cli_db, out):
    for args, code, said in [
        (("substitute", "INC-2026-001", "--out", str(out / "s.html")), 0,
         "Substitute notice for INC-2026-001 written to"),
        (("media", "INC-2026-001", "--out", str(out / "m.md")), 0,
         "Media notice for INC-2026-001 (FL) written to"),
        (("hhs", "INC-2026-001", "--format", "md", "--out", str(out / "h.txt")), 0,
         "HHS portal checklist for INC-2026-001 written to"),
        (("hhs", "INC-2026-404", "--out", str(out / "x.html")), 1, "no incident INC-2026-404"),
        (("media", "INC-2026-001", "--state", "XX", "--out", str(out / "x.html")), 2,
         "--state 'XX' is not a state or jurisdiction code"),
        (("media", "INC-2026-001", "--state", "GA", "--out", str(out / "x.html")), 2,
         "80 residents of Georgia affected, not more than 500"),
        (("hhs", "INC-2026-001", "--out", str(cli_db)), 2, "is the database itself"),
        (("substitute", "INC-2026-001"), 2, "--out FILE.html or FILE.md is required"),
    ]:
        result = riskreg("notices", *args, db=cli_db)
        assert result.returncode == code, (args, result.stderr)
        assert "Traceback" not in result.stderr
        if code:
            lines = result.stderr.strip().splitlines()
            assert len(lines) == 1 and said in lines[0], (args, lines)
        else:
            assert said in result.stdout, (args, result.stdout)
    assert sorted(p.name for p in out.iterdir()) == ["h.txt", "m.md", "s.html"]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in out.iterdir())
    assert headings((out / "h.txt").read_text())[0] == \
        "# HHS breach portal checklist — INC-2026-001"
    assert CLIENT not in result.stdout + result.stderr
    verified = riskreg("audit", "verify", db=cli_db)  # each file written is explained by the log
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_notices_without_a_choice_says_which_there_are(cli_db):
    result = riskreg("notices", db=cli_db)
    assert result.returncode == 2
    assert "choose a notice: letters, sent, substitute, media, hhs" in result.stderr


def test_the_notices_step_offers_only_the_notices_the_plan_asks_for(db):
    svc = service(db)
    many = walked(svc, {"affected": 640, "residents": {"FL": 560, "GA": 80},
                        "insufficient_contact": 12})
    few = walked(svc, {"affected": 500, "residents": {"CA": 500}})
    assert notices.offered(svc.get(many["reference"])) == ["substitute", "media", "hhs"]
    assert notices.offered(svc.get(few["reference"])) == ["hhs"]
    assert notices.offered(svc.create({"title": "Not yet", "discovered_on": "2026-09-02"})) == []
