"""The command line's small answers, as the new user read them (new-user run, finding 30): each
refusal says what is wrong in one line, the same rule in the same words, and the usage shown
is the usage of the command typed."""

import pytest
from cli_helpers import run_main


@pytest.fixture
def register(tmp_path):
    db = tmp_path / "r.db"
    code, _, err = run_main(["--db", str(db), "init"])
    assert code == 0, err
    return db


@pytest.mark.parametrize("value", ["-3", "0", "2.5"])
def test_affected_is_refused_with_one_rule_for_every_value(value):
    code, out, err = run_main(["deadlines", "--discovered", "2026-11-02", "--affected", value])
    assert code == 2 and out == ""
    assert err == (f"riskreg: --affected '{value}': give a whole number of people, 1 or more "
                   "(0 is refused, as a breach to notify affects at least one person)\n")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2028-02-30", "February 2028 has 29 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-04-00", "there is no day 0"),
    ],
)
def test_a_date_that_does_not_exist_says_which_part_is_wrong(value, reason):
    code, _, err = run_main(["deadlines", "--discovered", value, "--affected", "3"])
    assert code == 2
    assert err == f"riskreg: --discovered {value} is not a date ({reason})\n"


def test_a_settings_date_that_does_not_exist_says_why_and_changes_nothing(register):
    code, _, err = run_main(["--db", str(register), "settings",
                             "--risk-analysis-reviewed", "2026-13-01"])
    assert code == 2
    assert "risk analysis review date 2026-13-01 is not a date (there is no month 13)" in err
    assert "Nothing was changed" in err
    code, out, _ = run_main(["--db", str(register), "settings", "--json"])
    assert code == 0 and "2026-13-01" not in out


def test_an_unknown_flag_shows_the_usage_of_the_command_typed():
    code, out, err = run_main(["deadlines", "--discovered", "2026-11-02", "--bogus"])
    assert code == 2 and out == ""
    assert err.startswith("usage: riskreg deadlines ")
    assert err.rstrip().endswith("riskreg deadlines: error: unrecognized arguments: --bogus")


def test_an_unknown_flag_after_a_nested_command_shows_that_command_s_usage(register):
    code, _, err = run_main(["--db", str(register), "incidents", "show", "INC-2026-001", "--zzz"])
    assert code == 2
    assert err.startswith("usage: riskreg incidents show ")
    assert "unrecognized arguments: --zzz" in err


def test_an_unknown_flag_with_no_command_keeps_the_top_level_usage():
    code, _, err = run_main(["--zzz"])
    assert code == 2
    assert err.startswith("usage: riskreg [-h]")


@pytest.mark.parametrize("command", [["list", "tools"], ["backup", "--out", "{tmp}/copy.db"]])
def test_encrypted_on_a_plain_register_says_it_is_not_encrypted(
        register, tmp_path, monkeypatch, command):
    """Without a terminal the answer was "the database is encrypted: set RISKREG_PASSPHRASE",
    about a file that is not encrypted."""
    monkeypatch.delenv("RISKREG_PASSPHRASE", raising=False)
    before = register.read_bytes()
    argv = ["--db", str(register), "--encrypted", *(c.format(tmp=tmp_path) for c in command)]
    code, out, err = run_main(argv)
    assert code == 1 and out == ""
    assert err.startswith(f"riskreg: the register at {register} is not encrypted: leave out "
                          "--encrypted")
    assert "RISKREG_PASSPHRASE" not in err
    assert register.read_bytes() == before
    assert not (tmp_path / "copy.db").exists()


def test_encrypted_restore_of_a_plain_backup_says_the_backup_is_not_encrypted(
        register, tmp_path, monkeypatch):
    monkeypatch.delenv("RISKREG_PASSPHRASE", raising=False)
    code, _, err = run_main(["--db", str(register), "backup", "--out", str(tmp_path / "b.db")])
    assert code == 0, err
    code, _, err = run_main(["--db", str(register), "--encrypted", "restore",
                             str(tmp_path / "b.db"), "--yes"])
    assert code == 1
    assert f"the backup at {tmp_path / 'b.db'} is not encrypted" in err


def test_a_backup_over_an_earlier_backup_says_it_replaced_it(register, tmp_path):
    out = tmp_path / "copy.db"
    code, first, err = run_main(["--db", str(register), "backup", "--out", str(out)])
    assert code == 0, err
    assert first.startswith(f"Backup written to {out} (mode 600)")
    code, second, err = run_main(["--db", str(register), "backup", "--out", str(out)])
    assert code == 0, err
    assert second.startswith(f"Backup written to {out}, replacing the earlier backup there (mode 600)")


def test_the_app_started_encrypted_on_a_plain_register_says_so_before_any_dialog(
        register, monkeypatch):
    monkeypatch.setenv("RISKREG_PASSPHRASE", "anything")
    code, out, err = run_main(["--db", str(register), "--encrypted"])
    assert code == 1 and out == ""
    assert err.startswith(f"riskreg: the register at {register} is not encrypted")
