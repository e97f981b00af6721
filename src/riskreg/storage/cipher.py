"""Optional encryption at rest with SQLCipher (the `riskreg[encrypted]` extra).

The passphrase is handed to SQLCipher as the connection's first statement and kept only in
memory for the life of the process: never stored, never logged, never put in a URL or an error
message.
"""

from pathlib import Path
from typing import Any

from riskreg.errors import DatabaseError, WrongPassphrase

EXTRA_HINT = "encryption needs the optional extra: pip install 'riskreg[encrypted]'"


def driver() -> Any:
    """The sqlcipher3 DB-API module, or a clear error when the extra is not installed."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:
        raise DatabaseError(EXTRA_HINT) from None
    return dbapi2


def key_statement(passphrase: str) -> str:
    """`PRAGMA key` cannot take a bound parameter; quote the passphrase as an SQL literal."""
    return "PRAGMA key = '" + passphrase.replace("'", "''") + "'"


def connect(path: Path, passphrase: str, **kwargs: Any) -> Any:
    """A raw sqlcipher3 connection with the key applied and checked."""
    conn = driver().connect(str(path), **kwargs)
    # SQLCipher logs a failed key check to stderr itself; riskreg says it in one line instead.
    conn.execute("PRAGMA cipher_log_level = NONE")
    conn.execute(key_statement(passphrase))
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception:
        conn.close()
        raise WrongPassphrase(
            f"wrong passphrase for {path} (or it is not a riskreg database); nothing was changed"
        ) from None
    return conn


def encrypt_copy(plain: Path, target: Path, passphrase: str) -> None:
    """Write an encrypted copy of a plaintext database (SQLCipher's sqlcipher_export)."""
    conn = driver().connect(str(plain))
    try:
        conn.execute(
            f"ATTACH DATABASE '{str(target).replace(chr(39), chr(39) * 2)}' AS encrypted "
            f"KEY '{passphrase.replace(chr(39), chr(39) * 2)}'"
        )
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()
