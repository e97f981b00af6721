"""The command line as a user or a script meets it: subprocesses, exit codes, one-line errors."""

import json
import sqlite3
import subprocess
import sys

import pytest

BOTH_BACKENDS = True  # tests/conftest.py: the tests that take `db_url` run on both backends


def riskreg(*args, env_extra=None, cwd=None):
    import os

    env = {**os.environ, "RISKREG_TODAY": "2026-11-26", **(env_extra or {})}
    return subprocess.run(
        [sys.executable, "-m", "riskreg", *args], capture_output=True, text=True, env=env, cwd=cwd,
        timeout=120,
    )


def test_version_and_help_answer_without_loading_textual_or_sqlmodel():
    code = (
        "import sys, contextlib, io\n"
        "from riskreg.cli import main\n"
        "for argv in (['--version'], ['--help'], ['list', '--help']):\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        try: main(argv)\n"
        "        except SystemExit: pass\n"
        "heavy = [m for m in ('textual', 'sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("argv", [
    [], ["--db", "x.db"], ["--db=x.db", "--area", "hazards"], ["--area", "tools", "--encrypted"],
    ["--are", "owners"], ["--encrypted", "--db", "list"], ["--db", "x.db", "list", "owners"],
    ["list", "hazards", "--db", "x.db"], ["--area=incidents"],
])
def test_the_app_s_command_line_is_read_as_the_full_parser_reads_it(argv):
    """Starting the app skips building every command's options; it must read the same."""
    from riskreg.cli import build_parser, parse_args

    quick, full = vars(parse_args(argv)), vars(build_parser().parse_args(argv))
    assert {k: quick.get(k) for k in ("db", "area", "encrypted", "command")} == (
        {k: full.get(k) for k in ("db", "area", "encrypted", "command")})


def test_starting_the_app_does_not_load_the_commands_and_mistakes_get_the_full_usage(tmp_path):
    code = (
        "import sys\n"
        "from riskreg.cli import parse_args\n"
        "args = parse_args(['--db', 'x.db', '--area', 'hazards'])\n"
        "print(args.command, args.area, [m for m in sys.modules if m.startswith('riskreg.commands.')])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None hazards []"
    for argv, said in ((["--area", "nope"], "argument --area: invalid choice: 'nope'"),
                       (["--db"], "argument --db: expected one argument"),
                       (["--db", "x.db", "frobnicate"], "invalid choice: 'frobnicate'"),
                       (["--=x"], "ambiguous option: --=x")):
        result = riskreg(*argv, cwd=tmp_path)
        assert result.returncode == 2 and said in result.stderr
        assert result.stderr.startswith("usage: riskreg [-h] [--db PATH] [--encrypted] [--version]")
    assert list(tmp_path.iterdir()) == []


def test_version_prints_the_package_version():
    from riskreg import __version__

    result = riskreg("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"riskreg {__version__}"


def test_domain_and_storage_never_import_the_tui():
    code = (
        "import sys\n"
        "import riskreg.domain.deadlines, riskreg.domain.catalog, riskreg.domain.scoring\n"
        "assert 'textual' not in sys.modules and 'sqlmodel' not in sys.modules, 'domain'\n"
        "import riskreg.services.register, riskreg.services.starter, riskreg.storage.database\n"
        "assert 'textual' not in sys.modules, 'services'\n"
        "print('clean')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.stdout.strip() == "clean", out.stderr


def test_db_may_be_given_before_or_after_the_subcommand(db_url):
    db = db_url
    assert riskreg("init", "--starter", "--db", str(db)).returncode == 0
    before = riskreg("--db", str(db), "list", "hazards", "--json")
    after = riskreg("list", "hazards", "--json", "--db", str(db))
    assert before.returncode == after.returncode == 0
    assert json.loads(before.stdout) == json.loads(after.stdout)
    assert len(json.loads(before.stdout)) >= 25


def test_riskreg_db_environment_variable_names_the_database(tmp_path):
    db = tmp_path / "env.db"
    assert riskreg("init", "--starter", env_extra={"RISKREG_DB": str(db)}).returncode == 0
    assert db.exists()


def test_list_json_is_one_array_of_records_with_public_ids(db_url):
    db = db_url
    assert riskreg("demo", "--db", str(db)).returncode == 0
    records = json.loads(riskreg("list", "tools", "--json", "--db", str(db)).stdout)
    assert isinstance(records, list) and records
    assert all(len(r["public_id"]) == 36 and r["name"] for r in records)
    assert "id" not in records[0]


def test_list_overdue_shows_only_hazards_past_their_review(db_url):
    db = db_url
    riskreg("demo", "--db", str(db))
    overdue = json.loads(riskreg("list", "hazards", "--overdue", "--json", "--db", str(db)).stdout)
    everything = json.loads(riskreg("list", "hazards", "--json", "--db", str(db)).stdout)
    assert overdue, "the demo has overdue reviews by design"
    assert all(r["next_review_on"] < "2026-11-26" for r in overdue)
    assert len(overdue) < len(everything)


def test_the_demo_is_the_same_for_the_same_seed(tmp_path):
    outputs = []
    for name in ("a.db", "b.db"):
        riskreg("demo", "--seed", "3", "--db", str(tmp_path / name))
        records = json.loads(riskreg("list", "hazards", "--json", "--db", str(tmp_path / name)).stdout)
        outputs.append([(r["public_id"], r["title"], r["score"], r["next_review_on"]) for r in records])
    assert outputs[0] == outputs[1]


def test_starter_refuses_a_register_that_is_not_empty(db_url):
    db = db_url
    riskreg("init", "--starter", "--db", str(db))
    again = riskreg("init", "--starter", "--db", str(db))
    assert again.returncode == 1
    assert "already has records" in again.stderr and "Traceback" not in again.stderr


def test_audit_verify_passes_then_names_an_event_edited_with_sqlite(tmp_path):
    db = tmp_path / "p.db"
    riskreg("init", "--starter", "--db", str(db))
    ok = riskreg("audit", "verify", "--db", str(db))
    assert ok.returncode == 0 and "events checked" in ok.stdout
    with sqlite3.connect(db) as conn:
        conn.execute("update audit_event set public_id = 'someone-else' where id = 5")
    bad = riskreg("audit", "verify", "--db", str(db))
    assert bad.returncode == 1 and "event 5" in bad.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all", "not a riskreg database"),
        (b"SQLite format 3\x00" + b"\x00" * 50, "damaged"),
    ],
)
def test_a_bad_database_file_gets_one_line_and_is_left_as_it_was(tmp_path, content, message):
    path = tmp_path / "bad.db"
    path.write_bytes(content)
    result = riskreg("list", "hazards", "--db", str(path))
    assert result.returncode != 0
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert path.read_bytes() == content


def test_a_folder_given_as_the_database_gets_a_clear_message(tmp_path):
    result = riskreg("list", "hazards", "--db", str(tmp_path))
    assert result.returncode == 1 and "is a folder" in result.stderr


def test_demo_rejects_a_non_positive_hazard_count(tmp_path):
    result = riskreg("demo", "--hazards", "0", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "at least 1" in result.stderr


def test_demo_rejects_a_hazard_count_with_a_typo_s_extra_zeros(tmp_path):
    result = riskreg("demo", "--hazards", "1000000", "--db", str(tmp_path / "x.db"))
    assert result.returncode == 2 and "at most 100,000" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_what_the_user_typed_is_echoed_escaped_never_as_terminal_control(tmp_path):
    """argparse repeats unrecognized arguments as typed, and the import check named its file
    as given: an escape sequence there would drive the terminal."""
    (tmp_path / "a\x1eb.json").write_text("[]", encoding="utf-8")
    for argv, said in (
        (["list", "hazards", "\x1b[31mX"], "unrecognized arguments: \\x1b[31mX"),
        (["import", "json", str(tmp_path / "a\x1eb.json"), "--check"], "a\\x1eb.json"),
        (["import", "json", str(tmp_path / "a\x1eb.json")], "a\\x1eb.json"),
    ):
        result = riskreg("--db", str(tmp_path / "r.db"), *argv)
        assert result.returncode == 2, result.stderr
        assert said in result.stderr
        assert not any(ch in result.stdout + result.stderr for ch in "\x1b\x1e\r")
    # A restore that succeeds names both files, escaped.
    assert riskreg("--db", str(tmp_path / "r.db"), "init").returncode == 0
    assert riskreg("--db", str(tmp_path / "r.db"), "backup", "--out",
                   str(tmp_path / "b\x1ek.db")).returncode == 0
    result = riskreg("--db", str(tmp_path / "r.db"), "restore", str(tmp_path / "b\x1ek.db"),
                     "--yes")
    assert result.returncode == 0, result.stderr
    assert "b\\x1ek.db" in result.stdout
    assert not any(ch in result.stdout + result.stderr for ch in "\x1b\x1e\r")


@pytest.mark.parametrize("command", [
    ["list", "tools"], ["list", "hazards", "--json"], ["incidents", "list"], ["settings"],
    ["settings", "--practitioner", "Dr. Lee"], ["audit", "verify"], ["backup", "--out", "b.db"],
    ["export", "json", "--out", "e.json"], ["export", "ics", "--out", "e.ics"],
    ["report", "risk-analysis", "--out", "r.html"],
])
def test_a_mistyped_db_is_refused_naming_init_and_nothing_is_created(tmp_path, command):
    # A mistyped --db once made an empty register (and its folders) and answered "0 tools".
    missing = tmp_path / "typo" / "riskreg.db"
    result = riskreg("--db", str(missing), *command, cwd=tmp_path)
    assert result.returncode != 0
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert str(missing) in line and ("riskreg init" in line or "no database" in line)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_the_default_register_missing_says_how_to_make_one(tmp_path):
    result = riskreg("list", "tools", env_extra={"XDG_DATA_HOME": str(tmp_path / "data"),
                                                  "HOME": str(tmp_path)}, cwd=tmp_path)
    assert result.returncode == 1
    assert "no register yet" in result.stderr and "`riskreg init`" in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize("command", [["init"], ["demo"]])
def test_the_commands_that_make_a_register_still_create_it(tmp_path, command):
    made = tmp_path / "new" / "riskreg.db"
    assert riskreg("--db", str(made), *command).returncode == 0
    assert riskreg("--db", str(made), "list", "tools").returncode == 0
