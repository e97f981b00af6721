"""The AI and security fields of a tool record and the fields of a consent that the 2025-2026
state laws on AI in therapy read (issue 23; research: findings/rules-2026.md sections 1.1, 4.3
and 4.4). Stdlib only: the vocabulary, the questions in the forms' words and the restore
priority's words. What the laws make of them is in `domain/ai_rules.py`.
"""

from __future__ import annotations

import re
from typing import Any

AI_USES = {
    "not_recorded": "Not recorded yet",
    "none": "No AI",
    "administrative": "Administrative support (scheduling, billing, reminders)",
    "supplementary": "Supplementary support (notes, transcripts, drafts)",
    "therapeutic": "Therapeutic or client-facing",
}
"""How a tool uses AI: the classes of Illinois 225 ILCS 155 section 10 and 15 (Nevada AB 406 and
Texas SB 1188 draw the same lines)."""

TOOL_QUESTIONS = {
    "records_sessions": "Records or transcribes sessions",
    "detects_emotions": "Detects emotions or mental states",
    "clinical_decisions": "Makes or suggests clinical decisions",
    "clinician_reviews_output": "You review every output before it is used",
    "mfa_enabled": "Multi-factor sign-in (MFA) is on",
    "encrypted_at_rest": "Encrypts stored data (at rest)",
    "encrypted_in_transit": "Encrypts data in transit",
}
"""The yes / no / not yet known questions of a tool (None: not answered)."""

TOOL_AI_FIELDS = ("ai_use", *TOOL_QUESTIONS, "restore_priority", "restore_target_hours",
                  "ba_verification_received_on", "ba_verification_due_on")
"""The tool's fields added by migration 0010_ai_tools, in the forms' order."""

CONSENT_METHODS = {
    "not_recorded": "Not recorded",
    "written": "Written (signed on paper)",
    "electronic": "Signed electronically",
    "verbal": "Verbal (documented)",
}
"""How consent was given: Illinois's consent is a written agreement, "including ... by
electronic means" (225 ILCS 155/10); verbal consent is not written."""

WRITTEN_METHODS = frozenset({"written", "electronic"})

CONSENT_AI_FIELDS = ("purpose_disclosed", "consent_method", "revoked_on", "sessions_recorded",
                     "client_state")
"""The consent's fields added by migration 0010_ai_tools."""

RESTORE_PRIORITIES = {1: "1 (first: restore within the day)", 2: "2 (within days)",
                      3: "3 (when convenient)"}
_PRIORITY_WORDS = {"high": 1, "first": 1, "medium": 2, "normal": 2, "low": 3, "last": 3}

MAX_RESTORE_HOURS = 8760
"""A year; the proposed Security Rule's restoration target is 72 hours (90 FR 898)."""

BA_VERIFICATION_MONTHS = 12
"""The proposed rule's yearly written verification by each business associate (90 FR 898,
proposed, not law): due 12 months after the last one, unless another date is given."""


def restore_priority(value: Any) -> int | None:
    """1, 2 or 3 from a number or a word (high / medium / low); None for blank. ValueError for
    anything else, worded for the user."""
    if value is None or isinstance(value, int) and not isinstance(value, bool) and value in (1, 2, 3):
        return value
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text == "":
        return None
    if text is not None:
        if re.fullmatch(r"[123]", text):
            return int(text)
        if text in _PRIORITY_WORDS:
            return _PRIORITY_WORDS[text]
    raise ValueError("The restore priority must be 1, 2 or 3 (or high, medium, low), or blank.")


def restore_hours(value: Any) -> int | None:
    """Whole hours from 1 to a year, or None for blank; ValueError otherwise."""
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return None
        if not re.fullmatch(r"[0-9]{1,5}", text, re.ASCII):
            raise ValueError(f"The restore target must be whole hours from 1 to "
                             f"{MAX_RESTORE_HOURS}, or blank (e.g. 72).")
        value = int(text)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RESTORE_HOURS:
        raise ValueError(f"The restore target must be whole hours from 1 to {MAX_RESTORE_HOURS}, "
                         "or blank (e.g. 72).")
    return value
