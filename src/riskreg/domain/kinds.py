"""The kinds of register record by name: what the CLI, the first-page reader, the services and
the screens call each one, the field that names a record to a person, the table's default sort
and the record a kind refers to. Stdlib only: the first frame reads it before SQLModel loads.

A kind's database side (its table, searched and sortable columns, what makes it overdue) is in
`services/kinds.py`; its columns and form are presentation (`ui/kinds.py`, `ui/dialogs/fields.py`).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from riskreg.domain.register import hazard_derived, safeguard_derived, tool_derived

Derived = Callable[[dict[str, Any], date], dict[str, Any]]


@dataclass(frozen=True)
class KindNames:
    kind: str
    """The services' and the table's name ("hazard")."""
    singular: str
    plural: str
    cli: str
    """`riskreg list <cli>`."""
    title_field: str
    """The field that names a record to a person."""
    default_sort: str
    """What a table is sorted by until the user chooses (the first of its sortable columns)."""
    reference: str | None = None
    """The kind of record this one names, by public id in input and by name in records: a
    tool, hazard or safeguard names its owner, a consent its tool."""
    links: tuple[str, ...] = ()
    """The kinds its records are linked to, in the order the keys offer them (`l` links the
    first; `t` links tools, when tools are among them)."""
    reviewed: bool = False
    """Its records are scored and reviewed on a schedule ("Mark reviewed"), and flagged when
    one needs a review before its date (`review_now`)."""
    derived: Derived | None = None
    """What a record shows beside its stored fields (a hazard's levels and overdue flag, a
    tool's BAA gap), worked out from them: the same for both of the ways records are read (the
    services' ORM path and the app's first page, `storage.first_page`)."""

    def derived_fields(self, record: dict[str, Any], today: date) -> dict[str, Any]:
        return self.derived(record, today) if self.derived is not None else {}

    @property
    def reference_column(self) -> str | None:
        """The table's foreign key to the referenced record ("owner_id")."""
        return f"{self.reference}_id" if self.reference else None


OWNER = KindNames("owner", "owner", "owners", "owners", "name", "name")
TOOL = KindNames("tool", "tool", "tools", "tools", "name", "name", reference="owner",
                 links=("hazard",), derived=tool_derived)
HAZARD = KindNames("hazard", "hazard", "hazards", "hazards", "title", "title", reference="owner",
                   links=("safeguard", "tool"), reviewed=True, derived=hazard_derived)
SAFEGUARD = KindNames("safeguard", "safeguard", "safeguards", "safeguards", "title", "title",
                      reference="owner", links=("hazard",), derived=safeguard_derived)
CONSENT = KindNames("consent", "consent", "consents", "consents", "client_code",
                    "client_code", reference="tool")

KINDS: dict[str, KindNames] = {k.kind: k for k in (OWNER, TOOL, HAZARD, SAFEGUARD, CONSENT)}
"""Every register kind, in the order error messages list them."""

BY_CLI_NAME: dict[str, str] = {k.cli: k.kind for k in KINDS.values()}

HIDDEN = frozenset({"id", "owner_id", "tool_id", "hazard_id", "safeguard_id"})
"""Internal ids: never in a record (records name each other by public id)."""
