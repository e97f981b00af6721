"""`riskreg export vdir --out DIR` (issue 20): one .ics file per event, a VCALENDAR with one
VEVENT named from its UID, 0600 files in a 0700 folder; a removed source becomes a cancelled
item, and its file is removed on a later export; a folder that is not a calendar is refused
with one line. Each item is parsed back with icalendar; the CLI runs in a subprocess."""

import os
import stat
from datetime import UTC, datetime

import pytest
from calendar_helpers import check_all_day, check_lines, parse
from clock import FIXED_TODAY
from test_calendar import small_register
from test_calendar_cli import riskreg

from riskreg.errors import BadInput
from riskreg.services.calendar import CalendarService, ExportOptions
from riskreg.services.calendar_targets import item_name, load_ledger


@pytest.fixture
def calendar(db):
    return CalendarService(db, today=lambda: FIXED_TODAY,
                           now=lambda: datetime(2026, 11, 26, 15, tzinfo=UTC))


def items(folder) -> dict[str, object]:
    """UID -> VEVENT of every item, each checked: one VCALENDAR, one VEVENT, named from its
    UID, mode 0600, no METHOD (a CalDAV resource must not have one)."""
    found = {}
    for path in sorted(folder.glob("*.ics")):
        raw = path.read_bytes()
        check_lines(raw)
        cal = parse(raw)
        assert "METHOD" not in cal and "REFRESH-INTERVAL" not in cal
        (event,) = cal.walk("VEVENT")
        uid = str(event["UID"])
        assert path.name == item_name(uid) == uid + ".ics"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        check_all_day(event)
        found[uid] = event
    return found


def test_one_private_file_per_event_in_a_private_folder(register, calendar, tmp_path):
    small_register(register)
    folder = tmp_path / "cal" / "riskreg"
    summary = calendar.export_vdir(folder, ExportOptions())
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700
    found = items(folder)
    assert summary.count == summary.written == len(found) == 3
    # The same events as the .ics export.
    calendar.export(tmp_path / "all.ics", ExportOptions())
    whole = parse((tmp_path / "all.ics").read_bytes())
    assert {str(e["UID"]) for e in whole.walk("VEVENT")} == set(found)


def test_unchanged_items_are_left_alone_and_a_removed_one_is_cancelled_then_deleted(
        register, calendar, tmp_path):
    _, safeguard, _ = small_register(register)
    folder = tmp_path / "vdir"
    first = items(folder) if calendar.export_vdir(folder, ExportOptions()) else {}
    stamps = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    again = calendar.export_vdir(folder, ExportOptions())
    assert again.written == 0 and {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} \
        == stamps
    (due,) = [u for u in first if u.endswith("-due@riskreg")]
    register.update("safeguard", safeguard["public_id"], {"due_on": None},
                    safeguard["revision"])
    second = calendar.export_vdir(folder, ExportOptions())
    assert (second.removed, second.written, second.deleted) == (1, 1, 0)
    cancelled = items(folder)[due]
    assert str(cancelled["STATUS"]) == "CANCELLED" and not cancelled.walk("VALARM")
    assert str(cancelled["SUMMARY"]).startswith("[REMOVED] ")
    assert int(cancelled["SEQUENCE"]) == int(first[due]["SEQUENCE"]) + 1
    assert load_ledger(calendar.db, str(folder))[due].cancelled
    third = calendar.export_vdir(folder, ExportOptions())
    assert (third.deleted, third.written) == (1, 0)
    assert due not in items(folder) and len(items(folder)) == 2
    assert due not in load_ledger(calendar.db, str(folder))


def test_files_that_are_not_ours_are_never_touched(register, calendar, tmp_path):
    """An event synced down from the server (another UID) stays; metadata files are fine."""
    small_register(register)
    folder = tmp_path / "vdir"
    folder.mkdir()
    theirs = folder / "dentist.ics"
    theirs.write_bytes(b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n")
    (folder / "displayname").write_text("riskreg")
    calendar.export_vdir(folder, ExportOptions())
    calendar.export_vdir(folder, ExportOptions(groups=("baa",)))  # the others go cancelled
    calendar.export_vdir(folder, ExportOptions(groups=("baa",)))  # and are deleted
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith("@riskreg.ics")) \
        == ["dentist.ics", "displayname"]
    assert theirs.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert len(list(folder.glob("*@riskreg.ics"))) == 1


def test_a_folder_that_is_not_a_calendar_is_refused_and_left_as_it_is(register, calendar,
                                                                       tmp_path):
    small_register(register)
    odd = tmp_path / "documents"
    odd.mkdir()
    (odd / "letter.docx").write_bytes(b"x")
    with pytest.raises(BadInput, match="holds letter.docx that are not calendar items"):
        calendar.export_vdir(odd, ExportOptions())
    assert [p.name for p in odd.iterdir()] == ["letter.docx"]
    a_file = tmp_path / "cal.ics"
    a_file.write_bytes(b"mine")
    with pytest.raises(BadInput, match="is a file, not a folder"):
        calendar.export_vdir(a_file, ExportOptions())
    assert a_file.read_bytes() == b"mine"
    assert load_ledger(calendar.db, str(odd)) == {}


def test_item_names_are_safe_for_any_uid():
    assert item_name("abc-review@riskreg") == "abc-review@riskreg.ics"
    odd = item_name("../x/y\\z:*?")
    assert "/" not in odd and "\\" not in odd and not odd.startswith(".")
    assert item_name("a/b") != item_name("a_b")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    assert riskreg("demo", "--db", str(path)).returncode == 0
    return path


def test_the_cli_writes_the_vdir_and_refuses_bad_folders(demo_db, tmp_path):
    folder = tmp_path / "vdir"
    result = riskreg("--db", str(demo_db), "export", "vdir", "--out", str(folder),
                     "--only", "baa", "--alarms", "7")
    assert result.returncode == 0, result.stderr
    found = items(folder)
    assert found and all("-baa-expiry" in uid for uid in found)
    assert result.stdout.startswith(f"{len(found)} events in {folder} ({len(found)} written")
    again = riskreg("--db", str(demo_db), "export", "vdir", "--out", str(folder),
                    "--only", "baa", "--alarms", "7")
    assert f"(0 written, {len(found)} unchanged" in again.stdout
    for target, words in ((demo_db, "is the database itself"),
                          (demo_db.parent, "that are not calendar items"),
                          (folder / next(iter(os.listdir(folder))), "is a file, not a folder")):
        bad = riskreg("--db", str(demo_db), "export", "vdir", "--out", str(target))
        assert bad.returncode == 2
        lines = bad.stderr.strip().splitlines()
        assert len(lines) == 1 and words in lines[0], bad.stderr


def test_many_items_are_written_all_or_none_when_making_them_fails(tmp_path):
    from riskreg.errors import UserError
    from riskreg.storage.files import write_atomic_many

    (tmp_path / "old.ics").write_bytes(b"old")

    def items():
        yield "a.ics", b"new a"
        yield "old.ics", b"new old"
        raise OSError(28, "No space left on device")

    with pytest.raises(UserError, match="nothing was written"):
        write_atomic_many(tmp_path, items())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.ics"]
    assert (tmp_path / "old.ics").read_bytes() == b"old"
    assert write_atomic_many(tmp_path, iter([("a.ics", b"A"), ("old.ics", b"B")])) == 2
    assert (tmp_path / "a.ics").read_bytes() == b"A" and (tmp_path / "old.ics").read_bytes() == b"B"
    assert stat.S_IMODE((tmp_path / "a.ics").stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.ics", "old.ics"]
