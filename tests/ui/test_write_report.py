"""Reports from the app (issue 7): the risk analysis from the dashboard (w) and the palette, an
incident's dossier from the Incidents area (w), its screen (ctrl+r) and the palette; the calendar
export from the dashboard (x). Each written file is checked, with its mode 0600 and the message
naming it; a bad path is explained in the dialog and nothing is written."""

from __future__ import annotations

import stat

import pytest
from icalendar import Calendar
from incident_pilot import incidents_service, open_incidents, open_wizard, seed_to_plan, wait_for
from pilot_helpers import ready, settle
from textual.widgets import RadioButton

from riskreg.ui.dialogs.export_calendar import ExportCalendarDialog
from riskreg.ui.dialogs.write_report import WriteReportDialog


def said(app) -> list[str]:
    return [n.message for n in app._notifications]


async def dialog_of(pilot, kind):
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, kind) and app.screen.query("Input"),
                   kind.__name__)
    await pilot.pause()
    return app.screen


async def type_path(pilot, path) -> None:
    """Clear the focused file field and type `path` (the dialog focuses the field)."""
    await pilot.press("ctrl+u", *str(path))


def problem(dialog: WriteReportDialog) -> str:
    shown = dialog.query_one("#report-problem")
    return str(shown.content) if shown.display else ""


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# -- the dashboard -------------------------------------------------------------------------------


async def test_x_on_the_dashboard_exports_the_calendar(make_app, small_register, tmp_path):
    out = tmp_path / "deadlines.ics"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("x")
        await dialog_of(pilot, ExportCalendarDialog)
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportCalendarDialog),
                       "the export")
        events = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
        assert f"{len(events)} calendar events written to {out}" in said(app)
    assert len(events) >= 4
    assert mode(out) == 0o600


async def test_the_dashboard_footer_shows_the_calendar_and_report_keys(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()
                 if b.binding.show and b.enabled}
        assert shown["x"] == "Calendar" and shown["w"] == "Report"
        assert shown["t"] == "Current"  # t names what it shows next
        await pilot.press("t", "t")
        await pilot.pause()
        shown = {b.binding.key: b.binding.description for b in app.screen.active_bindings.values()
                 if b.binding.show and b.enabled}
        assert shown["t"] == "Inherent"
        assert app.screen.query_one("#heat-panel").border_subtitle == "t inherent · enter list"
        await pilot.press("2")
        await settle(pilot)
        keys = {b.binding.key for b in app.screen.active_bindings.values()}
        assert "x" not in keys and "w" not in keys  # the dashboard's keys, not a table's


async def test_w_on_the_dashboard_writes_the_risk_analysis(make_app, small_register, tmp_path):
    out = tmp_path / "risk-analysis.html"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("w")
        dialog = await dialog_of(pilot, WriteReportDialog)
        assert dialog.path_input.value == "~/riskreg-risk-analysis-2026-11-26.html"
        # Three levels now (new-user run, item 4), not "before and after its safeguards".
        assert "at three levels (inherent, current" in dialog.about
        assert "before and after" not in dialog.about
        await type_path(pilot, out)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, WriteReportDialog), "the report")
        assert f"Risk analysis as of 2026-11-26 written to {out}" in said(app)
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") or html.lstrip().lower().startswith("<!doctype")
    for hazard in ("Laptop stolen from the car", "Phishing email", "Misdirected fax"):
        assert hazard in html
    assert "Scribe AI" in html and "Full-disk encryption" in html
    assert mode(out) == 0o600


async def test_the_markdown_choice_sets_the_extension_and_writes_markdown(
        make_app, small_register, tmp_path):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("w")
        dialog = await dialog_of(pilot, WriteReportDialog)
        await type_path(pilot, tmp_path / "analysis.html")
        await pilot.click("#format-md")
        await pilot.pause()
        assert dialog.path_input.value == str(tmp_path / "analysis.md")
        await pilot.press("tab")  # from the choice to the file
        assert dialog.focused is dialog.path_input
        await type_path(pilot, tmp_path / "typed.htm")  # and the extension sets the choice
        await pilot.pause()
        assert dialog.query_one("#format-html", RadioButton).value
        await type_path(pilot, tmp_path / "analysis.md")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WriteReportDialog), "the report")
    text = (tmp_path / "analysis.md").read_text()
    assert text.startswith("# HIPAA risk analysis")
    assert "Laptop stolen from the car" in text
    assert mode(tmp_path / "analysis.md") == 0o600
    assert not (tmp_path / "typed.htm").exists()


@pytest.mark.parametrize(("name", "expected"), [
    ("report.pdf", "report.pdf has .pdf: a report is an .html or .md file"),
    ("report", "report has no extension: a report is an .html or .md file"),
    ("folder", "{out} is a folder: give a file name in it, e.g. {out}/report.html"),
    ("missing/report.html", "cannot write {out}: folder {parent} does not exist"),
])
async def test_a_path_that_cannot_be_written_is_explained_and_nothing_is_written(
        make_app, small_register, tmp_path, name, expected):
    where = tmp_path / "out"
    (where / "folder").mkdir(parents=True)
    out = where / name
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("w")
        dialog = await dialog_of(pilot, WriteReportDialog)
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: problem(dialog), "the problem")
        await settle(pilot, 1)
        assert problem(dialog) == expected.format(out=out, parent=out.parent)
        assert app.screen is dialog and not dialog.busy
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, WriteReportDialog)
    assert sorted(p.name for p in where.rglob("*")) == ["folder"]


async def test_a_failure_while_writing_leaves_the_old_file_whole(
        make_app, small_register, tmp_path, monkeypatch):
    from riskreg.services.reports import html as report_html

    (tmp_path / "out").mkdir()
    out = tmp_path / "out" / "risk-analysis.html"
    out.write_text("last year's analysis")

    def broken(doc):
        raise RuntimeError("renderer broke")

    monkeypatch.setattr(report_html, "render", broken)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("w")
        dialog = await dialog_of(pilot, WriteReportDialog)
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: problem(dialog), "the problem")
        assert problem(dialog) == "The report failed: RuntimeError: renderer broke"
    assert out.read_text() == "last year's analysis"
    assert [p.name for p in out.parent.iterdir()] == ["risk-analysis.html"]


async def test_the_palette_writes_the_risk_analysis(make_app, small_register, tmp_path):
    out = tmp_path / "ra.md"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"risk analysis report")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await dialog_of(pilot, WriteReportDialog)
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: out.exists(), "the report")
    assert "Phishing email" in out.read_text()


# -- an incident's dossier -----------------------------------------------------------------------


@pytest.fixture
def incident_ref(db, small_register):
    return seed_to_plan(incidents_service(db))["reference"]


async def test_w_in_the_incidents_area_writes_the_highlighted_dossier(
        make_app, incident_ref, tmp_path):
    out = tmp_path / f"{incident_ref}.md"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_incidents(pilot)
        await pilot.press("w")
        dialog = await dialog_of(pilot, WriteReportDialog)
        assert dialog.path_input.value == f"~/riskreg-{incident_ref}-dossier.html"
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WriteReportDialog), "the dossier")
        assert f"Incident dossier for {incident_ref} written to {out}" in said(app)
    text = out.read_text()
    assert incident_ref in text and "Laptop stolen from the car" in text
    assert mode(out) == 0o600


async def test_ctrl_r_on_the_incident_screen_writes_its_dossier(make_app, incident_ref, tmp_path):
    out = tmp_path / "dossier.html"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, incident_ref)
        await pilot.press("ctrl+r")
        dialog = await dialog_of(pilot, WriteReportDialog)
        assert str(dialog.query_one("#report-heading").content) == \
            f"Write {incident_ref}'s dossier"
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not isinstance(app.screen, WriteReportDialog), "the dossier")
        assert app.screen.ref == incident_ref  # back on the incident
    assert incident_ref in out.read_text()
    assert mode(out) == 0o600


async def test_a_new_incident_has_no_dossier_yet(make_app, small_register):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot)
        await pilot.press("ctrl+r")
        await settle(pilot, 1)
        assert not isinstance(app.screen, WriteReportDialog)
        assert "Save the incident's first step before writing its dossier." in said(app)


async def test_the_palette_offers_the_current_incidents_dossier_only_on_it(
        make_app, incident_ref, tmp_path):
    from riskreg.ui.commands import action_commands

    out = tmp_path / "from-palette.md"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert not [c for c in action_commands(app) if "dossier" in c.title]
        await open_wizard(pilot, incident_ref)
        await pilot.press("ctrl+p")
        await pilot.pause(0.2)
        await pilot.press(*"dossier")
        await pilot.pause(0.5)
        await pilot.press("enter")
        dialog = await dialog_of(pilot, WriteReportDialog)
        assert dialog.path_input.value == f"~/riskreg-{incident_ref}-dossier.html"
        await type_path(pilot, out)
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: out.exists(), "the dossier")
    assert incident_ref in out.read_text()


async def test_the_help_lists_the_new_keys(make_app, small_register):
    from riskreg.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        lines = app.screen.text.splitlines()
        for key, description in (("x", "Calendar"), ("w", "Report"), ("w", "Dossier"),
                                 ("^r", "Dossier")):
            assert any(line.startswith(f"{key} ") and f" {description}: " in line
                       for line in lines), (key, description)
        assert app.screen.query_one("#help-scroll").size.width <= 80
