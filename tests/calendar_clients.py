"""Real calendar clients for the calendar tests (issue 20): a Radicale CalDAV server on
127.0.0.1, vdirsyncer syncing a vdir to it, and khal reading a vdir.

Each tool runs as a subprocess with HOME and the XDG folders under the test's tmp_path, so
nothing is read from or written to the user's home; the only network is 127.0.0.1. The tools
come from the `test` extra (pyproject.toml). Under CI (CI=true) a missing tool fails the test;
elsewhere the test is skipped with a one-line reason.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

TIMEOUT = 120


def tool(name: str) -> str | None:
    """The path of a client program: beside the running Python first (the test venv), then
    on PATH (Debian's khal)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def need(*names: str) -> dict[str, str]:
    """{name: path} of every client named; under CI a missing one fails, elsewhere it skips."""
    found = {name: tool(name) for name in names}
    missing = [name for name, path in found.items() if path is None]
    if missing:
        reason = f"calendar client not installed: {', '.join(missing)} (pip install -e '.[test]')"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return {name: str(path) for name, path in found.items()}


def private_env(home: Path) -> dict[str, str]:
    """The environment of a client subprocess: its own HOME and XDG folders, UTC."""
    env = dict(os.environ)
    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        env.pop(name, None)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"),
               XDG_DATA_HOME=str(home / ".local/share"), XDG_CACHE_HOME=str(home / ".cache"),
               XDG_STATE_HOME=str(home / ".local/state"), TZ="UTC", LANG="C.UTF-8",
               LC_ALL="C.UTF-8")
    home.mkdir(parents=True, exist_ok=True)
    return env


def run(argv: list[str], env: dict[str, str], stdin: str | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, input=stdin, capture_output=True, text=True, env=env,
                          timeout=TIMEOUT, check=False, cwd=cwd)


# -- the loopback network (the suite's conftest refuses internet sockets) -----------------------

def _loopback_socket() -> socket.socket:
    """A TCP socket, bypassing the suite's no-network guard (conftest.no_network), which the
    callers only ever connect or bind to 127.0.0.1."""
    cls = socket.socket
    while cls.__name__ == "_NoNetworkSocket":
        cls = cls.__mro__[1]
    return cls(socket.AF_INET, socket.SOCK_STREAM)


def free_port() -> int:
    with _loopback_socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(port: int, method: str, path: str, body: str = "",
         headers: dict[str, str] | None = None) -> tuple[int, str]:
    """(status, body) of one HTTP/1.0 request to 127.0.0.1:`port`."""
    lines = [f"{method} {path} HTTP/1.0", "Host: 127.0.0.1", "Connection: close",
             f"Content-Length: {len(body.encode())}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    request = ("\r\n".join(lines) + "\r\n\r\n" + body).encode()
    with _loopback_socket() as s:
        s.settimeout(10)
        s.connect(("127.0.0.1", port))
        s.sendall(request)
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    raw = b"".join(chunks).decode("utf-8", "replace")
    head, _, rest = raw.partition("\r\n\r\n")
    return int(head.split()[1]), rest


# -- Radicale -----------------------------------------------------------------------------------

@dataclass
class Radicale:
    port: int
    storage: Path
    user: str = "riskreg"
    password: str = "not-checked"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def collection_files(self) -> dict[str, list[Path]]:
        """{collection name: its .ics items} as the server stored them (Radicale's
        filesystem storage: collection-root/USER/COLLECTION/ITEM)."""
        root = self.storage / "collection-root" / self.user
        if not root.is_dir():
            return {}
        return {c.name: sorted(c.glob("*.ics")) for c in sorted(root.iterdir())
                if c.is_dir() and not c.name.startswith(".")}

    def hrefs(self, collection: str) -> list[str]:
        """The items' addresses the server lists in `collection` (PROPFIND, depth 1)."""
        auth = _basic(self.user, self.password)
        status, body = http(self.port, "PROPFIND", f"/{self.user}/{collection}/",
                            '<?xml version="1.0"?><propfind xmlns="DAV:"><prop><getetag/>'
                            "</prop></propfind>",
                            {"Depth": "1", "Authorization": auth,
                             "Content-Type": "application/xml"})
        assert status == 207, (status, body[:300])
        import re

        found = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", body)
        return [h for h in found if h.rstrip("/") != f"/{self.user}/{collection}"]


def _basic(user: str, password: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def start_radicale(base: Path) -> Iterator[Radicale]:
    """A Radicale server on 127.0.0.1 with its storage under `base`, no authentication (any
    user name is taken as given), stopped when the generator is closed."""
    paths = need("radicale")
    storage = base / "radicale-storage"
    storage.mkdir(parents=True)
    port = free_port()
    config = base / "radicale.conf"
    config.write_text(
        "[server]\n"
        f"hosts = 127.0.0.1:{port}\n"
        "[auth]\ntype = none\n"
        "[rights]\ntype = owner_only\n"
        f"[storage]\nfilesystem_folder = {storage}\n"
        "[web]\ntype = none\n"
        "[logging]\nlevel = warning\n"
    )
    env = private_env(base / "radicale-home")
    log = (base / "radicale.log").open("w")
    process = subprocess.Popen([paths["radicale"], "--config", str(config)], env=env,
                               stdout=log, stderr=subprocess.STDOUT)
    server = Radicale(port, storage)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise AssertionError("Radicale stopped at start-up: "
                                     + (base / "radicale.log").read_text()[-2000:])
            try:
                status, _ = http(port, "OPTIONS", "/")
                if status < 500:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("Radicale did not answer on 127.0.0.1 within 30 s")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# -- vdirsyncer ---------------------------------------------------------------------------------

VDIRSYNCER_CONFIG = """\
[general]
status_path = "{status}"

[pair riskreg]
a = "riskreg_local"
b = "riskreg_server"
collections = ["from a"]
conflict_resolution = "a wins"

[storage riskreg_local]
type = "filesystem"
path = "{vdirs}"
fileext = ".ics"

[storage riskreg_server]
type = "caldav"
url = "{url}"
username = "{user}"
password = "{password}"
"""
"""The README's configuration ("Deadlines in your calendar"): `vdirs` is the folder holding
the vdir `riskreg export vdir --out` writes (the vdir's own name is the collection's)."""


@dataclass
class Vdirsyncer:
    config: Path
    env: dict[str, str]
    program: str

    def __call__(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return run([self.program, "--config", str(self.config), *args], self.env, stdin)

    def discover(self) -> None:
        # The server has no such calendar yet: vdirsyncer asks whether to create it ("y").
        result = self("discover", stdin="y\n" * 10)
        assert result.returncode == 0, result.stdout + result.stderr

    def sync(self) -> None:
        result = self("sync")
        assert result.returncode == 0, result.stdout + result.stderr


def vdirsyncer_for(base: Path, vdir: Path, server: Radicale) -> Vdirsyncer:
    """vdirsyncer configured to sync the vdir `vdir` (a folder inside a folder of vdirs) to a
    calendar of the same name on `server`."""
    paths = need("vdirsyncer")
    base.mkdir(parents=True, exist_ok=True)
    config = base / "vdirsyncer.conf"
    config.write_text(VDIRSYNCER_CONFIG.format(
        status=base / "vdirsyncer-status", vdirs=vdir.parent, url=server.url,
        user=server.user, password=server.password))
    return Vdirsyncer(config, private_env(base / "vdirsyncer-home"), paths["vdirsyncer"])


# -- khal ---------------------------------------------------------------------------------------

KHAL_CONFIG = """\
[calendars]
[[riskreg]]
path = {vdir}
type = calendar

[locale]
local_timezone = UTC
default_timezone = UTC
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M

[default]
default_calendar = riskreg

[sqlite]
path = {db}
"""

SEP = "\x1f"
"""Between the fields of khal's --format (no event text holds it: input refuses it)."""


@dataclass(frozen=True)
class KhalEvent:
    uid: str
    day: date
    cancelled: bool
    title: str


@dataclass
class Khal:
    config: Path
    env: dict[str, str]
    program: str

    def __call__(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run([self.program, "--config", str(self.config), *args], self.env)

    def list(self, start: date, end: date) -> list[KhalEvent]:
        """Every event khal shows from `start` to `end` (inclusive), as it prints them."""
        fmt = SEP.join(("{uid}", "{start-date}", "{cancelled}", "{title}"))
        result = self("list", "--format", fmt, "--day-format", "",
                      start.isoformat(), end.isoformat())
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", result.stderr
        shown = []
        for line in result.stdout.splitlines():
            if not line.strip():
                continue
            uid, day, cancelled, title = line.split(SEP)
            shown.append(KhalEvent(uid, date.fromisoformat(day), cancelled == "CANCELLED ",
                                   title))
        return shown

    def by_uid(self, start: date, end: date) -> dict[str, KhalEvent]:
        """`list`, by UID; fails if khal shows one UID twice (a duplicate)."""
        found: dict[str, KhalEvent] = {}
        for event in self.list(start, end):
            assert event.uid not in found, f"khal shows {event.uid} twice"
            found[event.uid] = event
        return found

    def import_batch(self, ics: Path) -> subprocess.CompletedProcess[str]:
        return self("import", "--batch", "-a", "riskreg", str(ics))


def khal_for(base: Path, vdir: Path) -> Khal:
    """khal with one calendar, the vdir `vdir`, in UTC, dates as YYYY-MM-DD."""
    paths = need("khal")
    vdir.mkdir(parents=True, exist_ok=True)
    base.mkdir(parents=True, exist_ok=True)
    config = base / "khal.conf"
    config.write_text(KHAL_CONFIG.format(vdir=vdir, db=base / "khal.db"))
    return Khal(config, private_env(base / "khal-home"), paths["khal"])


# -- a vdir made by the tests, until `riskreg export vdir` exists -------------------------------

def vdir_name(uid: str) -> str:
    """A file name from a UID, as the vdir format asks (safe characters only)."""
    return "".join(c if c.isalnum() or c in "-_.@" else "_" for c in uid) + ".ics"


def split_into_vdir(ics: Path, vdir: Path) -> dict[str, Path]:
    """One file per VEVENT of the export `ics`, each a VCALENDAR with the export's calendar
    properties, in `vdir`: the vdir shape `export vdir` writes. {uid: file}."""
    from icalendar import Calendar

    source = Calendar.from_ical(ics.read_bytes())
    vdir.mkdir(parents=True, exist_ok=True)
    written = {}
    for event in source.walk("VEVENT"):
        one = Calendar()
        for key in ("VERSION", "PRODID"):
            one.add(key, source[key])
        one.add_component(event)
        path = vdir / vdir_name(str(event["UID"]))
        replace_file(path, one.to_ical())
        written[str(event["UID"])] = path
    return written


def cancel_in_vdir(path: Path) -> None:
    """Rewrite one vdir file as the export's contract says a vanished source is written: the
    same UID, STATUS:CANCELLED, "[REMOVED]" before its title, no alarms, SEQUENCE + 1."""
    from icalendar import Calendar

    cal = Calendar.from_ical(path.read_bytes())
    event = next(iter(cal.walk("VEVENT")))
    event.subcomponents = [c for c in event.subcomponents if c.name != "VALARM"]
    for key, value in (("STATUS", "CANCELLED"), ("SUMMARY", f"[REMOVED] {event['SUMMARY']}"),
                       ("SEQUENCE", int(event.get("SEQUENCE", 0)) + 1)):
        event.pop(key, None)
        event.add(key, value)
    replace_file(path, cal.to_ical())


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` as a new file renamed into place. khal notices a change in a vdir by the
    folder's modification time (its "ctag"), which a rename moves and an overwrite in place
    does not: a file rewritten in place is never read again."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)


def vdir_events(vdir: Path) -> dict[str, object]:
    """UID -> VEVENT of every .ics file in a vdir; fails if a UID is in two files."""
    from icalendar import Calendar

    found: dict[str, object] = {}
    for path in sorted(vdir.glob("*.ics")):
        for event in Calendar.from_ical(path.read_bytes()).walk("VEVENT"):
            uid = str(event["UID"])
            assert uid not in found, f"{uid} is in two files of {vdir}"
            found[uid] = event
    return found
