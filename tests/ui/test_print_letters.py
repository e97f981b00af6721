"""The Notices step's "Print letters…" (issue 21): the dialog asks for the recipients file and
the letters' file, shows the checks' result before writing, then writes the letters; tracking
then offers the count of the letters printed for the individuals' notice."""

from __future__ import annotations

import re

from incident_pilot import at_step, click, incidents_service, open_wizard, screen, seed_to_plan
from pilot_helpers import settle, workers_done

ROWS = ("Full name,Address 1,City,State,ZIP\n"
        "Ana Quokkaperson,1 Palm St,Denver,CO,80201\n"
        "Ben Quokkaperson,2 Palm St,Denver,CO,80202\n"
        "Ben Quokkaperson,2 Palm St,Denver,CO,80202\n"
        "Cy Quokkaperson,,Denver,CO,80203\n")


def at_notices(db) -> str:
    svc = incidents_service(db)
    r = seed_to_plan(svc)
    return svc.complete_step(r["reference"], "plan", r["revision"])["reference"]


async def replace_text(pilot, text: str) -> None:
    await pilot.press("end", "ctrl+u")
    await pilot.press(*["space" if c == " " else c for c in text])


async def wait_workers(pilot) -> None:
    await workers_done(pilot.app)
    await settle(pilot)


async def test_print_letters_checks_then_writes(make_app, db, tmp_path):
    from riskreg.ui.dialogs.print_letters import PrintLettersDialog

    ref = at_notices(db)
    recipients = tmp_path / "clients.csv"
    recipients.write_text(ROWS, encoding="utf-8")
    out = tmp_path / "letters.html"
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        await click(pilot, "#print-letters")
        assert isinstance(app.screen, PrintLettersDialog)
        await replace_text(pilot, str(recipients))  # the recipients field has the focus
        await pilot.press("tab")
        await replace_text(pilot, str(out))
        await pilot.press("ctrl+s")
        await wait_workers(pilot)
        checks = str(app.screen.query_one("#letters-checks").content)
        assert "2 letters for" in checks and "(CO 2)" in checks
        assert "row 5: no name or an incomplete address; left out" in checks
        assert "row 4 (same as row 3)" in checks
        assert "CO: 2 letters, the scope records 3 residents" in checks
        assert "Quokka" not in checks
        assert not out.exists()  # checked, not written yet
        assert "Write 2 letters" in str(app.screen.query_one("#letters-write").label)
        await pilot.press("ctrl+s")
        await wait_workers(pilot)
        assert not isinstance(app.screen, PrintLettersDialog)
        html = out.read_text(encoding="utf-8")
        assert len(re.findall('<section class="letter">', html)) == 2
        assert "Ana Quokkaperson" in html


async def test_a_bad_recipients_file_is_said_in_the_dialog(make_app, db, tmp_path):
    from riskreg.ui.dialogs.print_letters import PrintLettersDialog

    ref = at_notices(db)
    recipients = tmp_path / "clients.csv"
    recipients.write_bytes(b"\x00\x01binary")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "notices")
        await click(pilot, "#print-letters")
        await replace_text(pilot, str(recipients))
        await pilot.press("ctrl+s")
        await wait_workers(pilot)
        assert isinstance(app.screen, PrintLettersDialog)
        problem = str(app.screen.query_one("#letters-problem").content)
        assert "not a CSV file" in problem
        await pilot.press("escape")
        await settle(pilot)
        assert screen(app).panel.step_id == "notices"


async def test_tracking_offers_the_count_of_the_last_letters_printed(make_app, db, tmp_path):
    from clock import FIXED_TODAY

    from riskreg.services.letters.service import LettersService

    ref = at_notices(db)
    recipients = tmp_path / "clients.csv"
    recipients.write_text(ROWS, encoding="utf-8")
    letters = LettersService(db, today=lambda: FIXED_TODAY)
    letters.write(letters.check(ref, recipients), tmp_path / "letters.html")
    svc = incidents_service(db)
    svc.complete_step(ref, "notices", svc.get(ref)["revision"])
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_wizard(pilot, ref)
        await at_step(pilot, "tracking")
        panel = screen(app).panel
        chooser = panel.widget("obligation_id")
        assert app.focused is chooser
        for _ in range(8):
            if chooser.value == "individuals":
                break
            await pilot.press("right")
            await settle(pilot, 1)
        assert chooser.value == "individuals"
        assert panel.query_one("#f-count").value == "2"
