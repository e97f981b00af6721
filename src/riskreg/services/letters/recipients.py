"""The recipients file: a CSV the practitioner exports from their EHR or practice-management
system, read for the letters and checked before anything is written (issue 21).

The names and addresses stay in memory only, for the time of one run: nothing here writes,
logs or stores them. Every problem is one line naming a row by its number (the header is row 1,
as in a spreadsheet), never by a name. Problems that leave nothing useful to print raise
BadInput (exit 2); the others are warnings the caller shows before writing.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from riskreg.domain.state_rules import jurisdictions, state_rules
from riskreg.errors import BadInput, one_line

MAX_FILE_BYTES = 20 * 1024 * 1024
"""A recipients file larger than this is refused (100,000 people fit in a tenth of it)."""
MAX_CELL = 500
"""The most characters one cell may hold (a name, one address line)."""
MAX_ROWS = 200_000

FIELDS = ("name", "first", "last", "address1", "address2", "city", "state", "zip", "kin")
"""What --map may name: the letter's fields."""

# Header names, compared lower-case with everything but letters and digits removed.
VARIANTS: dict[str, tuple[str, ...]] = {
    "name": ("name", "fullname", "client", "clientname", "patient", "patientname",
             "recipient", "recipientname", "addressee"),
    "first": ("first", "firstname", "givenname", "forename"),
    "last": ("last", "lastname", "surname", "familyname"),
    "address1": ("address", "address1", "addressline1", "street", "streetaddress", "address1line",
                 "mailingaddress", "addr1", "line1"),
    "address2": ("address2", "addressline2", "addr2", "line2", "apt", "suite", "unit"),
    "city": ("city", "town", "locality"),
    "state": ("state", "st", "province", "region", "stateprovince"),
    "zip": ("zip", "zipcode", "postalcode", "postcode", "zippostalcode", "postal"),
    "kin": ("nextofkin", "nok", "kin", "deceased", "sendtonextofkin", "nextofkinletter"),
}

TRUE_WORDS = frozenset({"y", "yes", "true", "1", "x", "deceased", "nextofkin", "nok", "kin"})
"""A next-of-kin marker cell that means "this letter goes to the next of kin"."""

_KEY = re.compile(r"[^a-z0-9]")


def _key(header: str) -> str:
    return _KEY.sub("", header.lower())


@dataclass(frozen=True)
class Recipient:
    row: int
    """Its row in the file (the header is row 1)."""
    name: str
    lines: tuple[str, ...]
    """The address lines under the name, as printed."""
    state: str
    """The 2-letter code, or "" when the file has no state (or an unknown one)."""
    next_of_kin: bool


@dataclass
class Recipients:
    letters: list[Recipient]
    warnings: list[str] = field(default_factory=list)
    left_out: int = 0
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)
    """The letter's field -> the header it was read from."""

    def per_state(self) -> dict[str, int]:
        counts = Counter(r.state or "unknown" for r in self.letters)
        return dict(sorted(counts.items()))


def parse_map(text: str | None) -> dict[str, str]:
    """--map name=Client,address1=Street: the letter's field -> the file's header."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        key, sep, header = part.partition("=")
        key = key.strip().lower()
        if not sep or not header.strip():
            raise BadInput(f"--map: {one_line(part.strip())!r} is not FIELD=HEADER "
                           f"(fields: {', '.join(FIELDS)})")
        if key not in FIELDS:
            raise BadInput(f"--map: {one_line(key)!r} is not a field of the letter "
                           f"(fields: {', '.join(FIELDS)})")
        mapping[key] = header.strip()
    return mapping


def decode(data: bytes, shown: str) -> str:
    """The file's text: UTF-8, with or without a byte-order mark. Anything else is refused with
    what to do (a guessed encoding would misprint names)."""
    if not data.strip():
        raise BadInput(f"{shown} is empty: no recipients, no letters written")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BadInput(f"{shown} is UTF-16 text, not a CSV file in UTF-8: save it again as "
                       "\"CSV UTF-8\" and try again")
    if b"\x00" in data:
        raise BadInput(f"{shown} is not a CSV file (it holds NUL bytes: a spreadsheet or other "
                       "binary file?); export it as CSV UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise BadInput(f"{shown} is not UTF-8 text (byte 0x{data[error.start]:02x} on line {line}): "
                       "save it again as \"CSV UTF-8\" and try again") from None


def read_file(path: Path) -> bytes:
    shown = one_line(str(path))
    try:
        if not path.is_file():
            raise BadInput(f"--recipients {shown} is not a file" if path.exists()
                           else f"--recipients {shown} does not exist")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise BadInput(f"--recipients {shown} is {size / 1048576:,.1f} MB; the limit is "
                           f"{MAX_FILE_BYTES // 1048576} MB: is it the right file?")
        return path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read --recipients {shown}: {error.strerror}") from None


def _columns(headers: list[str], mapping: Mapping[str, str], shown: str) -> dict[str, int]:
    """The letter's field -> the column it is read from."""
    keys = [_key(h) for h in headers]
    found: dict[str, int] = {}
    for wanted, header in mapping.items():
        if header not in headers and _key(header) not in keys:
            raise BadInput(f"{shown}: --map {wanted}={one_line(header)}: there is no column "
                           f"{one_line(header)!r} (the columns: {_listed(headers)})")
        found[wanted] = headers.index(header) if header in headers else keys.index(_key(header))
    for wanted, variants in VARIANTS.items():
        if wanted in found:
            continue
        for variant in variants:
            if variant in keys and keys.index(variant) not in found.values():
                found[wanted] = keys.index(variant)
                break
    if "name" not in found and not {"first", "last"} <= found.keys():
        raise BadInput(f"{shown}: no name column (looked for Name, Full name, Client, Patient "
                       f"name, or First name and Last name; the columns: {_listed(headers)}); "
                       "name it with --map name=HEADER")
    if "address1" not in found:
        raise BadInput(f"{shown}: no address column (looked for Address, Address 1, Street, "
                       f"Address line 1; the columns: {_listed(headers)}); name it with "
                       "--map address1=HEADER")
    return found


def _listed(headers: list[str]) -> str:
    shown = ", ".join(one_line(h[:40]) for h in headers[:20])
    return shown + (", ..." if len(headers) > 20 else "") if shown else "none"


def _state_code(text: str) -> str:
    code = text.strip().upper()
    if code in jurisdictions():
        return code
    by_name = {rule.name.upper(): c for c, rule in state_rules().items()}
    return by_name.get(code, "")


def _rows(text: str, shown: str) -> list[list[str]]:
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for cells in reader:
            rows.append(cells)
            for cell in cells:
                if len(cell) > MAX_CELL:
                    raise BadInput(f"{shown}: row {len(rows)} has a cell of {len(cell):,} "
                                   f"characters; the limit is {MAX_CELL}: is it the right file?")
            if len(rows) > MAX_ROWS:
                raise BadInput(f"{shown}: more than {MAX_ROWS:,} rows; split the file")
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise BadInput(f"{shown}: row {len(rows) + 1} has a cell of more than "
                           f"{csv.field_size_limit():,} characters; the limit is {MAX_CELL}: "
                           "is it the right file?") from None
        raise BadInput(f"{shown}: not readable as CSV near row {len(rows) + 1} "
                       f"({one_line(str(error))})") from None
    return rows


def _rows_words(rows: list[int]) -> str:
    shown = ", ".join(str(r) for r in rows[:30])
    more = f" and {len(rows) - 30:,} more" if len(rows) > 30 else ""
    return f"row{'s' if len(rows) > 1 else ''} {shown}{more}"


def read_recipients(path: Path | str, *, mapping: Mapping[str, str] | None = None,
                    keep_incomplete: bool = False) -> Recipients:
    """The letters to print from the recipients file at `path`, with the warnings to show."""
    path = Path(path).expanduser()
    shown = one_line(path.name)
    text = decode(read_file(path), f"--recipients {shown}")
    rows = _rows(text, shown)
    while rows and not any(c.strip() for c in rows[-1]):
        rows.pop()
    if not rows:
        raise BadInput(f"{shown} is empty: no recipients, no letters written")
    headers = [h.strip() for h in rows[0]]
    columns = _columns(headers, mapping or {}, shown)
    result = Recipients([], rows=len(rows) - 1,
                        columns={k: headers[i] for k, i in columns.items()})
    if len(rows) == 1:
        raise BadInput(f"{shown} has a header row and no recipients: no letters written")
    incomplete: list[int] = []
    duplicates: list[str] = []
    seen: dict[tuple[str, ...], int] = {}
    blank = 0
    unknown_state: list[int] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            blank += 1
            continue
        recipient = _recipient(number, cells, columns)
        if recipient is None:
            incomplete.append(number)
            if not keep_incomplete:
                continue
            recipient = _recipient(number, cells, columns, complete=False)
        if not recipient.state and "state" in columns and _cell(cells, columns["state"]):
            unknown_state.append(number)
        key = (recipient.name.casefold(), *(line.casefold() for line in recipient.lines))
        if key in seen:
            duplicates.append(f"{number} (same as row {seen[key]})")
            continue
        seen[key] = number
        result.letters.append(recipient)
    result.warnings += _warnings(incomplete, duplicates, blank, keep_incomplete)
    if unknown_state:
        result.warnings.append(f"{_rows_words(unknown_state)}: the state is not a US state or "
                               "territory (USPS code or name); counted as unknown")
    result.left_out = (0 if keep_incomplete else len(incomplete)) + len(duplicates)
    if not result.letters:
        raise BadInput(f"{shown}: no row has a name and a complete address: no letters written")
    return result


def _warnings(incomplete: list[int], duplicates: list[str], blank: int,
              keep_incomplete: bool) -> list[str]:
    warnings = []
    if incomplete:
        fate = "printed as they are (--keep-incomplete)" if keep_incomplete else \
            "left out (--keep-incomplete prints them)"
        warnings.append(f"{_rows_words(incomplete)}: no name or an incomplete address; {fate}")
    if duplicates:
        warnings.append(f"duplicate rows left out (one letter each): {_rows_words(duplicates)}")
    if blank:
        warnings.append(f"{blank:,} blank row{'s' if blank > 1 else ''} skipped")
    return warnings


def _cell(cells: list[str], index: int | None) -> str:
    """A cell with its spaces and line breaks made single spaces ("" when the row is short)."""
    return " ".join(cells[index].split()) if index is not None and index < len(cells) else ""


def _recipient(number: int, cells: list[str], columns: Mapping[str, int], *,
               complete: bool = True) -> Recipient | None:
    def cell(name: str) -> str:
        return _cell(cells, columns.get(name))

    name = cell("name") or " ".join(p for p in (cell("first"), cell("last")) if p)
    city, state, zip_ = cell("city"), cell("state"), cell("zip")
    missing = not name or not cell("address1") or any(
        part in columns and not cell(part) for part in ("city", "zip"))
    if complete and missing:
        return None
    last_line = " ".join(p for p in (f"{city}," if city and (state or zip_) else city, state, zip_)
                         if p)
    lines = tuple(line for line in (cell("address1"), cell("address2"), last_line) if line)
    kin = _key(cell("kin")) in TRUE_WORDS
    return Recipient(number, name, lines, _state_code(state), kin)
