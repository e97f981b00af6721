"""Where a command may write: never over what the register owns (its database, the database's
-wal/-shm/-journal, its backups folder) and never through an odd target (a FIFO, a device, a
folder, a socket, a symbolic link). A refused command changes nothing (reliability review D1-D3,
D16).

Every writing command is run in-process against every owned or odd target; a hang (a FIFO opened
for writing or reading) fails the test through an alarm instead of hanging the suite."""

import contextlib
import hashlib
import io
import os
import shutil
import signal
import socket
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from riskreg.cli import main
from riskreg.errors import BadInput

PASSPHRASE = "correct horse battery staple"
HANG_SECONDS = 20


class Hung(BaseException):
    """Raised by the alarm: a BaseException, so that no `except OSError` in the CLI swallows it."""


def _run(argv: list[str]) -> tuple[int, str, str]:
    def _alarm(_signum, _frame):
        raise Hung(f"riskreg {' '.join(argv)} still running after {HANG_SECONDS}s")

    out, err = io.StringIO(), io.StringIO()
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = exit_.code
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return int(code or 0), out.getvalue(), err.getvalue()


# -- the register, laid out afresh for each test ------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A demo register (with incidents) and a daily copy of it in backups/, built once."""
    folder = tmp_path_factory.mktemp("template")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("RISKREG_TODAY", "2026-11-26")
        patch.setenv("XDG_DATA_HOME", str(folder / "xdg"))
        code, _, err = _run(["demo", "--db", str(folder / "d.db"), "--hazards", "5"])
    assert code == 0, err
    backups = folder / "backups"
    backups.mkdir(mode=0o700, exist_ok=True)
    for old in backups.iterdir():
        old.unlink()
    # Dated today, so that a command that does run takes no further daily copy.
    shutil.copy2(folder / "d.db", backups / f"d-{datetime.now(UTC):%Y%m%d}T000000-daily.db")
    return folder


class Layout:
    """reg/d.db (the register, also the working folder), reg/backups/, reg/sub/, out/."""

    def __init__(self, root: Path, template: Path) -> None:
        self.root = root
        self.reg = root / "reg"
        shutil.copytree(template, self.reg, ignore=shutil.ignore_patterns("xdg"))
        (self.reg / "sub").mkdir()
        self.out = root / "out"
        self.out.mkdir()
        self.db = self.reg / "d.db"
        self.backup = next((self.reg / "backups").glob("*-daily.db"))
        self.notes = self.out / "notes.txt"
        self.notes.write_text("precious")


@pytest.fixture
def layout(tmp_path, template, monkeypatch) -> Layout:
    here = Layout(tmp_path, template)
    monkeypatch.chdir(here.reg)
    monkeypatch.setenv("RISKREG_TODAY", "2026-11-26")
    monkeypatch.setenv("RISKREG_PASSPHRASE", PASSPHRASE)
    return here


def _device(path: Path) -> str:
    """A character device node to aim at. Made in the test's own folder (1,7 like /dev/full), so
    that a riskreg that replaced device nodes would replace this one and not the machine's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 7))
    except (PermissionError, AttributeError):
        if os.geteuid() == 0:
            pytest.skip("cannot make a device node here; /dev/full is not risked as root")
        return "/dev/full"  # not root: /dev is not writable, so nothing could be replaced
    return str(path)


def _socket(path: Path) -> str:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    # Relative to the working folder: an absolute path under pytest's tmp could pass the 108 bytes
    # a socket's address may have.
    sock.bind(os.path.relpath(path))
    sock.close()  # the socket file stays
    return str(path)


# Each target: (what the test makes, given the layout and the file extension) -> the path to give.
TARGETS = {
    "db": lambda t, ext: str(t.db),
    "db-relative": lambda t, ext: "d.db",
    "db-dotdot": lambda t, ext: "sub/../d.db",
    "db-linked-folder": lambda t, ext: _linked_folder(t),
    "wal": lambda t, ext: "d.db-wal",
    "shm": lambda t, ext: str(t.reg / "d.db-shm"),
    "journal": lambda t, ext: "d.db-journal",
    "hard-link": lambda t, ext: _hard_link(t, ext),
    "backup-file": lambda t, ext: str(t.backup),
    "fifo": lambda t, ext: _made(t.out / f"pipe.{ext}", os.mkfifo),
    "folder": lambda t, ext: _made(t.out / f"folder.{ext}", os.mkdir),
    "socket": lambda t, ext: _socket(t.out / f"sock.{ext}"),
    "device": lambda t, ext: _device(t.out / f"full.{ext}"),
    "symlink-db": lambda t, ext: _symlink(t.out / f"link.{ext}", t.db),
    "symlink-file": lambda t, ext: _symlink(t.out / f"link.{ext}", t.notes),
    "symlink-dangling": lambda t, ext: _symlink(t.out / f"link.{ext}", t.out / f"gone.{ext}"),
}


def _made(path: Path, make) -> str:
    make(path)
    return str(path)


def _linked_folder(t: Layout) -> str:
    (t.out / "same").symlink_to(t.reg, target_is_directory=True)
    return str(t.out / "same" / "d.db")


def _hard_link(t: Layout, ext: str) -> str:
    os.link(t.db, t.out / f"hard.{ext}")
    return str(t.out / f"hard.{ext}")


def _symlink(path: Path, to: Path) -> str:
    path.symlink_to(to)
    return str(path)


OWN_DB = "is the database itself"
OUT_REFUSALS = {
    "db": OWN_DB, "db-relative": OWN_DB, "db-dotdot": OWN_DB, "db-linked-folder": OWN_DB,
    "wal": "belongs to the register's database (its -wal file)",
    "shm": "belongs to the register's database (its -shm file)",
    "journal": "belongs to the register's database (its -journal file)",
    "hard-link": "is another name (a hard link) for the register's database",
    "backup-file": "is inside the register's backups folder",
    "fifo": "is not a regular file (a named pipe)",
    "folder": "is a folder",
    "socket": "is not a regular file (a socket)",
    "device": "is not a regular file (a character device)",
    "symlink-db": "is a symbolic link to", "symlink-file": "is a symbolic link to",
    "symlink-dangling": "is a symbolic link to",
}
# restore FILE reads its backup: a copy in backups/ is what it is for, and a symbolic link to a
# backup is as good as the backup.
SOURCE_REFUSALS = {
    **{k: v for k, v in OUT_REFUSALS.items() if k not in ("backup-file", "symlink-file",
                                                          "symlink-dangling", "symlink-db")},
    "symlink-db": OWN_DB,
    "symlink-file": "is not a riskreg backup",
    "symlink-dangling": "no file at",
}
# init and demo write the database they are given: a name of the register's own is refused only
# where it is not a database of its own (a companion file, a backup copy, a second name, an odd
# file); d.db and a symbolic link to it are the register itself.
DB_REFUSALS = {
    "wal": "belongs to the database", "shm": "belongs to the database",
    "journal": "belongs to the database",
    "hard-link": "has another name (a hard link)",
    "backup-file": "is one of the register's backup copies",
    "fifo": "is not a regular file (a named pipe)",
    "folder": "is a folder",
    "socket": "is not a regular file (a socket)",
    "device": "is not a regular file (a character device)",
    "symlink-file": "is not a riskreg database",
    "symlink-dangling": "is a symbolic link to",
}

# command -> (argv for a target, the file extension it wants, its refusals)
COMMANDS = {
    "export ics": (lambda db, t: ["--db", db, "export", "ics", "--out", t], "ics", OUT_REFUSALS),
    "export json": (lambda db, t: ["--db", db, "export", "json", "--out", t], "json",
                    OUT_REFUSALS),
    "export csv": (lambda db, t: ["--db", db, "export", "csv", "--what", "hazards", "--out", t],
                   "csv", OUT_REFUSALS),
    "report risk-analysis": (lambda db, t: ["--db", db, "report", "risk-analysis", "--out", t],
                             "html", OUT_REFUSALS),
    "report incident": (lambda db, t: ["--db", db, "report", "incident", "INC-2026-001",
                                       "--out", t], "md", OUT_REFUSALS),
    "notices substitute": (lambda db, t: ["--db", db, "notices", "substitute", "INC-2026-002",
                                          "--out", t], "html", OUT_REFUSALS),
    "notices media": (lambda db, t: ["--db", db, "notices", "media", "INC-2026-002",
                                     "--state", "FL", "--out", t], "md", OUT_REFUSALS),
    "notices hhs": (lambda db, t: ["--db", db, "notices", "hhs", "INC-2026-002", "--out", t],
                    "html", OUT_REFUSALS),
    "backup": (lambda db, t: ["--db", db, "backup", "--out", t], "db", OUT_REFUSALS),
    "encrypt": (lambda db, t: ["--db", db, "encrypt", "--out", t], "db", OUT_REFUSALS),
    "restore": (lambda db, t: ["--db", db, "restore", t, "--yes"], "db", SOURCE_REFUSALS),
    "init": (lambda db, t: ["init", "--db", t], "db", DB_REFUSALS),
    "demo": (lambda db, t: ["demo", "--db", t, "--hazards", "2"], "db", DB_REFUSALS),
}

MATRIX = [(command, target) for command, (_, _, refusals) in COMMANDS.items()
          for target in TARGETS if target in refusals]


def _tree(root: Path) -> dict[str, tuple]:
    """Every file under `root`: its type, mode, size, mtime and content hash (or link target)."""
    seen = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if stat.S_ISREG(info.st_mode):
                with open(path, "rb") as fh:
                    detail = hashlib.sha256(fh.read()).hexdigest()
            elif stat.S_ISLNK(info.st_mode):
                detail = os.readlink(path)
            else:
                detail = None
            seen[os.path.relpath(path, root)] = (info.st_mode, info.st_size, info.st_mtime_ns,
                                                 detail)
    return seen


def _opens(db: Path) -> int:
    """The database's hazard count, after its integrity check. Read-write, not mode=ro: the last
    connection to close removes the -wal and -shm it made, so none is left to be mistaken for a
    file a command wrote."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return conn.execute("SELECT count(*) FROM hazard").fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize(("command", "target"), MATRIX, ids=[f"{c}-{t}" for c, t in MATRIX])
def test_a_command_refuses_to_write_over_what_the_register_owns_or_through_an_odd_file(
        layout, command, target):
    argv, ext, refusals = COMMANDS[command]
    path = TARGETS[target](layout, ext)
    hazards = _opens(layout.db)  # first: it leaves the folder's mtime changed
    before = _tree(layout.root)

    code, out, err = _run(argv(str(layout.db), path))

    assert code != 0, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("riskreg: "), err
    assert "Traceback" not in err
    assert refusals[target] in lines[0], lines[0]
    assert _tree(layout.root) == before  # the database byte for byte, the target, no new file
    assert _opens(layout.db) == hazards


POSITIVE = [c for c in COMMANDS if c != "restore"]


@pytest.mark.parametrize("command", POSITIVE)
def test_a_command_writes_an_ordinary_new_file_owner_only(layout, command):
    argv, ext, _ = COMMANDS[command]
    target = layout.out / "new" / f"written.{ext}"
    target.parent.mkdir()
    code, out, err = _run(argv(str(layout.db), str(target)))
    assert code == 0, err
    assert "Traceback" not in err
    assert stat.S_ISREG(target.lstat().st_mode)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert _opens(layout.db) > 0


def test_restore_takes_a_copy_from_the_backups_folder(layout):
    code, out, err = _run(["--db", str(layout.db), "restore", str(layout.backup), "--yes"])
    assert code == 0, err
    assert "Restored" in out
    assert stat.S_IMODE(layout.db.stat().st_mode) == 0o600
    assert _opens(layout.db) > 0


def test_an_export_over_an_ordinary_existing_file_replaces_it(layout):
    code, _, err = _run(["--db", str(layout.db), "export", "json", "--out", str(layout.notes)])
    assert code == 0, err
    assert layout.notes.read_text().startswith("{")
    assert stat.S_IMODE(layout.notes.stat().st_mode) == 0o600


def _check(*args, **kwargs):
    from riskreg.storage.files import check_output_path

    return check_output_path(*args, **kwargs)


def test_the_message_names_the_path_as_given_and_escapes_control_characters(layout):
    odd = layout.out / "new\nline.ics"
    os.mkfifo(odd)
    with pytest.raises(BadInput) as refused:
        _check(odd, database=layout.db)
    message = str(refused.value)
    assert "\n" not in message and "new\\nline.ics" in message
    assert message.endswith("is not a regular file (a named pipe); give the name of a new file")


def test_a_symbolic_link_is_refused_naming_where_it_points(layout):
    link = layout.out / "cal.ics"
    link.symlink_to(layout.notes)
    with pytest.raises(BadInput, match="is a symbolic link to .*notes.txt; give the real file"):
        _check(link, database=layout.db)


def test_a_file_in_a_new_folder_under_backups_is_refused(layout):
    with pytest.raises(BadInput, match="inside the register's backups folder"):
        _check(layout.reg / "backups" / "new" / "x.ics", database=layout.db)


def test_the_checked_path_is_the_real_folder_and_the_name_as_given(layout):
    (layout.out / "same").symlink_to(layout.out, target_is_directory=True)
    checked = _check(layout.out / "same" / ".." / "out" / "x.ics", database=layout.db)
    assert checked == Path(os.path.realpath(layout.out)) / "x.ics"


def test_notice_drafts_are_refused_inside_the_backups_folder(layout):
    from riskreg.services.incidents import IncidentService
    from riskreg.storage.database import open_database

    db = open_database(layout.db)
    try:
        service = IncidentService(db)
        open_refs = [i["reference"] for i in service.list() if i["status"] == "open"]
        before = _tree(layout.reg / "backups")
        with pytest.raises(BadInput, match="inside the register's backups folder"):
            service.write_drafts(open_refs[0], layout.reg / "backups" / "drafts")
        assert _tree(layout.reg / "backups") == before
        written = service.write_drafts(open_refs[0], layout.out / "drafts")
        assert written and all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
    finally:
        db.close()


def test_an_import_of_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    done = subprocess.run([sys.executable, "-c", "from riskreg.cli import main; raise SystemExit(main())", "--db", str(tmp_path / "d.db"),
                           "import", "json", str(fifo), "--check"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
