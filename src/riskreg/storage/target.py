"""What `--db` / $RISKREG_DB names: an SQLite file (a path) or a PostgreSQL server (a URL).

Read before anything heavy is imported (no SQLAlchemy here): the CLI decides from this which
backend opens the register (storage/backend.py). Anything that looks like a URL (`scheme://`)
and is not a supported one is refused in one line; it used to be taken for a file path and made
a folder named `postgresql:`.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from riskreg.errors import BadInput, one_line

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")
POSTGRES_SCHEMES = ("postgresql", "postgresql+psycopg")


@dataclass(frozen=True)
class Target:
    kind: str
    """"sqlite" or "postgresql"."""
    text: str
    """As given: a path, or the URL (with its password, if one was written into it)."""

    @property
    def is_server(self) -> bool:
        return self.kind != "sqlite"

    @property
    def shown(self) -> str:
        """For messages: the path, or the URL without its password."""
        return redact(self.text) if self.kind == "postgresql" else self.text


def looks_like_url(text: str) -> bool:
    return bool(_URL.match(text))


def parse_target(text: str, label: str = "--db") -> Target:
    """The target `text` names; BadInput (one line) for a URL of a scheme riskreg cannot use."""
    if not looks_like_url(text):
        return Target("sqlite", text)
    scheme = text.split("://", 1)[0].lower()
    if scheme not in POSTGRES_SCHEMES:
        raise BadInput(
            f"{label}: {one_line(redact(text))} is a {one_line(scheme)}:// URL, which riskreg "
            "cannot use; give a file path (SQLite) or a postgresql://user@host:port/dbname URL")
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (a port that is not a number raises here)
    except ValueError as error:
        raise BadInput(f"{label}: {one_line(redact(text))} is not a valid URL ({error}); "
                       "give postgresql://user@host:port/dbname") from None
    if not parts.path.strip("/"):
        raise BadInput(f"{label}: {one_line(redact(text))} names no database; add /dbname to "
                       "the URL (postgresql://user@host:port/dbname)")
    return Target("postgresql", text)


def redact(url: str) -> str:
    """`url` without a password written into it (user:secret@host -> user@host); the query
    string's `password=` too. Nothing else is changed."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc
    except ValueError:
        return re.sub(r"//[^@/]*@", "//***@", url)
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        netloc = f"{userinfo.split(':', 1)[0]}@{host}"
    query = re.sub(r"(?i)(^|&)password=[^&]*", r"\1password=***", parts.query)
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def strip_secret(text: str, url: str) -> str:
    """`text` (a driver's message) with the URL's password, if any, cut out wherever it appears."""
    try:
        password = urlsplit(url).password
    except ValueError:
        password = None
    if password:
        text = text.replace(password, "***")
    return text.replace(url, redact(url))
