"""Who makes a change: the name every audit event carries (45 CFR 164.312(b) audit controls,
164.312(a)(2)(i) unique user identification).

On PostgreSQL the server says who is connected (`session_user`: each clinician connects as
their own role, so the name is asserted by the server, not typed by the client). On SQLite, one
practitioner's file, it is the practitioner named in the practice settings, else the account
the app runs under.
"""

from __future__ import annotations

import getpass
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from riskreg.storage.models import PracticeSettings

LEGACY_ACTOR = "unknown (before actors were recorded)"
"""The actor of an event written before riskreg recorded one (migration 0008 gives it to every
older event; such an event's hash covers no actor, see audit.canonical_parsed)."""
MAX_ACTOR = 200
SERVER_USER = "riskreg_server_user"
"""session.info key, set by storage/database.py: the backend's `server_user` (on PostgreSQL the
role the clinician connected as; SQLite has no users of its own)."""


def current_actor(session: Session) -> str:
    """Who is making the change in this session's transaction: on a server, the role connected
    (each clinician connects as their own); on a file, the practitioner named, else the OS user."""
    ask = session.info.get(SERVER_USER)
    name = ask(session) if ask is not None else None
    if name:
        return _fit(str(name))
    # The name as it stood before this transaction's own changes: whoever sets the
    # practitioner's name (or clears it) is the one who was named until then.
    with session.no_autoflush:
        practitioner = session.execute(
            select(PracticeSettings.practitioner).order_by(PracticeSettings.id).limit(1)
        ).scalar()
    if isinstance(practitioner, str) and practitioner.strip():
        return _fit(practitioner.strip())
    return os_user()


def os_user() -> str:
    """The account the app runs under: its login name, else its numeric user id."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError, ImportError):  # no passwd entry and no LOGNAME/USER (containers)
        name = ""
    if name.strip():
        return _fit(name.strip())
    getuid = getattr(os, "getuid", None)
    return f"uid {getuid()}" if getuid else "unknown user"


def _fit(name: str) -> str:
    return name if len(name) <= MAX_ACTOR else name[:MAX_ACTOR]
