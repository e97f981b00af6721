"""`riskreg encrypt --out NEW`: make a verified, encrypted copy of a plaintext database."""

from argparse import Namespace
from pathlib import Path

from riskreg.errors import UserError, one_line


def add_command(sub, common) -> None:
    p = sub.add_parser(
        "encrypt", parents=[common], help="make an encrypted copy of the database (SQLCipher)",
        description="Write an encrypted copy of the (plaintext) database to --out, check that it "
        "opens with the passphrase and holds every record, and leave the original untouched "
        "until you remove it yourself. Needs riskreg[encrypted]. The passphrase is asked twice, "
        "or read from $RISKREG_PASSPHRASE.",
    )
    p.add_argument("--out", required=True, metavar="PATH", help="where to write the encrypted copy")
    p.add_argument("--remove-plaintext-backups", action="store_true",
                   help="once the copy is verified, remove the original's backup copies in its "
                   "backups/ folder, which are not encrypted (in a terminal you are asked)")
    p.set_defaults(run=run)


def run(args: Namespace) -> int:
    import sys

    from riskreg.commands._db import ask_passphrase, resolve_db, server_backend
    from riskreg.storage import cipher
    from riskreg.storage.files import check_output_path
    from riskreg.storage.verify import compare_databases

    server = server_backend(args)
    if server is not None:
        raise UserError(server.encryption_words())
    source = Path(resolve_db(args)).expanduser().absolute()
    if not source.is_file():
        raise UserError(f"no database at {source}")
    target = check_output_path(args.out, database=source)
    if target.exists():
        raise UserError(f"{target} already exists; choose a new file name")
    if not target.parent.is_dir():
        raise UserError(f"folder {target.parent} does not exist")
    cipher.driver()
    from riskreg.storage.database import build_new_file, open_database, remove_stale_temp_files

    checked = open_database(source)  # checks the source and brings its schema up to date
    checked.close()
    # What a killed `encrypt` left beside --out, a partial copy under a temporary name, is ours.
    for notice in checked.notices + remove_stale_temp_files(target):
        print(f"riskreg: {one_line(notice)}", file=sys.stderr)
    passphrase = ask_passphrase("New passphrase: ", confirm=True)

    def encrypted_and_verified(tmp: Path) -> None:
        cipher.encrypt_copy(source, tmp, passphrase)
        compare_databases(source, tmp, passphrase)

    # Reliability review D21: a kill left a partial copy at --out that opened as an empty
    # register, or was refused, and blocked a retry. Now --out appears only once verified.
    try:
        made = build_new_file(target, encrypted_and_verified)
    except cipher.driver().Error as error:
        raise UserError(f"cannot write the encrypted copy {target}: {error}; nothing was "
                        "written") from None
    if not made:
        raise UserError(f"{target} appeared while the copy was made; choose a new file name")
    print(f"Encrypted copy written to {one_line(str(target))} and verified (every record and the audit chain).")
    print(f"The original {one_line(str(source))} is unchanged: once you have opened the copy with "
          "--encrypted, remove the original securely.")
    _plaintext_backups(source, args.remove_plaintext_backups)
    return 0


def _plaintext_backups(source: Path, remove: bool) -> None:
    """Say how many plaintext copies the original's backups/ holds, and remove them only when
    asked: by the flag, or by a yes in a terminal (reliability review D11)."""
    import sys

    from riskreg.commands._db import ask_yes_no
    from riskreg.storage.backup import backups_dir, plaintext_copies

    copies = plaintext_copies(source)
    if not copies:
        return
    folder = one_line(str(backups_dir(source)))
    count = f"{len(copies)} plaintext {'copy' if len(copies) == 1 else 'copies'}"
    if not remove and sys.stdin.isatty():
        remove = ask_yes_no(f"{folder} holds {count} of the register, not encrypted. Remove "
                            "them now?")
    if not remove:
        print(f"{folder} still holds {count} of the register, not encrypted: remove them with "
              "the original once you have tried the copy.")
        return
    for path in copies:
        try:
            path.unlink()
        except FileNotFoundError:
            continue
        except OSError as error:
            raise UserError(f"cannot remove {path}: {error.strerror}; the encrypted copy is "
                            "written and verified") from None
    print(f"Removed {count} from {folder}.")
