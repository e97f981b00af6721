"""The passphrase prompt in a terminal (reliability review D14): a new encrypted register is
asked for twice, and Ctrl-D or Ctrl-C at any prompt stops in one line with nothing created.
Each test runs riskreg on a real pseudo-terminal (its controlling terminal, as in a shell)."""

import sys

import pytest
from terminal import CTRL_C, CTRL_D, in_terminal

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are Unix's")


def _last_line(shown: str) -> str:
    return [line for line in shown.splitlines() if line.strip()][-1]


def test_init_encrypted_asks_twice_and_refuses_two_different_passphrases(tmp_path):
    db = tmp_path / "practice" / "r.db"
    code, shown = in_terminal(["init", "--encrypted", "--db", str(db)],
                              [b"correct horse\n", b"correct hose\n"])
    assert "New passphrase: " in shown and "Repeat the passphrase: " in shown, shown
    assert code == 1, shown
    assert _last_line(shown) == "riskreg: the two passphrases differ; nothing was changed"
    assert "Traceback" not in shown
    assert list(tmp_path.iterdir()) == []  # not the database, not its folder


def test_init_encrypted_with_the_same_passphrase_twice_creates_it(tmp_path):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")
    from riskreg.storage.database import open_database

    db = tmp_path / "r.db"
    code, shown = in_terminal(["init", "--encrypted", "--db", str(db)],
                              [b"correct horse\n", b"correct horse\n"])
    assert code == 0, shown
    assert "correct horse" not in shown  # never echoed
    open_database(db, passphrase="correct horse").close()


@pytest.mark.parametrize("typed", [[CTRL_D], [CTRL_C], [b"correct horse\n", CTRL_D],
                                   [b"correct horse\n", CTRL_C]],
                         ids=["ctrl-d first", "ctrl-c first", "ctrl-d repeat", "ctrl-c repeat"])
def test_ctrl_d_or_ctrl_c_at_a_passphrase_prompt_stops_in_one_line(tmp_path, typed):
    db = tmp_path / "r.db"
    code, shown = in_terminal(["init", "--encrypted", "--db", str(db)], typed)
    assert "Traceback" not in shown, shown
    assert code == 1, shown
    assert _last_line(shown) == "riskreg: no passphrase given; nothing was changed", shown
    assert list(tmp_path.iterdir()) == []


def test_ctrl_d_at_the_passphrase_of_an_existing_register_stops_in_one_line(tmp_path):
    pytest.importorskip("sqlcipher3", reason="sqlcipher3 has no wheel for this platform")
    db = tmp_path / "r.db"
    made = in_terminal(["init", "--encrypted", "--db", str(db)],
                       [b"correct horse\n", b"correct horse\n"])
    assert made[0] == 0, made[1]
    before = sorted(p.name for p in tmp_path.iterdir())
    code, shown = in_terminal(["list", "owners", "--encrypted", "--db", str(db)], [CTRL_D])
    assert "Passphrase: " in shown and "Traceback" not in shown, shown
    assert code == 1 and _last_line(shown) == "riskreg: no passphrase given; nothing was changed"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
