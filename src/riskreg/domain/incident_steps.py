"""The steps of the breach workflow (DESIGN.md "The breach workflow"), as data, and the order in
which an incident moves through them.

Pure: which step follows which depends only on the answers recorded so far. The practitioner's
determination is an input; nothing here decides whether something is a breach.
"""

from dataclasses import dataclass

# The determination's labels live with it; the wizard names them as steps.CHOICE_LABELS too.
from riskreg.domain.determination import CHOICE_LABELS, SHORT_CHOICE_LABELS, Choice  # noqa: F401


@dataclass(frozen=True)
class WizardStep:
    """One step of the workflow: its id, its title in the wizard, and a line of plain guidance."""

    id: str
    title: str
    summary: str


STEPS: tuple[WizardStep, ...] = (
    WizardStep("intake", "What happened", "What happened, when, who found it, any business associate."),
    WizardStep("phi", "PHI involved?", "Was PHI involved, and was its use or disclosure one the Privacy Rule permits?"),
    WizardStep("secured", "Secured?", "Was it encrypted (key safe) or destroyed: the safe harbor."),
    WizardStep("exceptions", "Exceptions", "Does one of the three exceptions of 164.402 apply?"),
    WizardStep("factors", "Risk assessment", "The four factors: how likely is it that the PHI was compromised?"),
    WizardStep("determination", "Determination", "Your decision, with your reasons."),
    WizardStep("scope", "Scope", "How many people, in which states, and anything special."),
    WizardStep("law_enforcement", "Law enforcement", "Has law enforcement asked you to wait?"),
    WizardStep("plan", "Plan", "Every notice you owe, by when, and why."),
    WizardStep("notices", "Notices", "The content checklist and draft notices to finish and send."),
    WizardStep("tracking", "Tracking", "Record each notice as it goes out."),
    WizardStep("closeout", "Close-out", "Lessons learned, the register, and closing the incident."),
)

STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)
CLOSED = "closed"
"""The `step` of a closed incident (after close-out)."""

# Steps asked only when PHI was involved (and its use or disclosure was not a permitted one), and
# steps owed only when HIPAA requires notification.
ONLY_WITH_PHI = ("secured", "exceptions", "factors")
ONLY_WITH_NOTIFICATION = ("law_enforcement", "notices")

# Steps the state analysis needs as well: state duties do not depend on HIPAA's determination
# (state definitions of breach and encryption differ), so after a safe harbor, an exception or a
# low-probability finding the scope can still be recorded, the plan shows the state rows, and the
# state notices sent are tracked. Not after "not PHI" or a permitted use or disclosure.
WITH_STATE_ANALYSIS = ("scope", "plan", "tracking")
STATE_ANALYSIS_CHOICES = (
    Choice.NOT_A_BREACH_SAFE_HARBOR.value,
    Choice.NOT_A_BREACH_EXCEPTION.value,
    Choice.LOW_PROBABILITY.value,
)
"""Determinations under which HIPAA requires no notice but a state law still may."""

# Steps with nothing to fill in: they are completed by moving on.
PASS_THROUGH = ("law_enforcement", "plan", "notices", "tracking")

def step(step_id: str) -> WizardStep:
    for s in STEPS:
        if s.id == step_id:
            return s
    raise KeyError(step_id)


def index(step_id: str) -> int:
    """The position of a step; a closed incident is past every step."""
    return len(STEPS) if step_id == CLOSED else STEP_IDS.index(step_id)


def title(step_id: str) -> str:
    return "Closed" if step_id == CLOSED else step(step_id).title


def following(step_id: str) -> str:
    """The step after `step_id` in the full order (close-out is followed by closed)."""
    position = index(step_id)
    return STEP_IDS[position + 1] if position + 1 < len(STEPS) else CLOSED


def next_step(
    step_id: str,
    *,
    phi_involved: bool | None = None,
    safe_harbor: bool = False,
    exception_applies: bool = False,
    determination: str | None = None,
) -> str:
    """The step that follows `step_id` given the answers so far.

    - No PHI, or a use or disclosure the Privacy Rule permits: the incident ends as "not PHI"
      or "not a breach: permitted" (close-out) with its reason (164.402).
    - Secured PHI (safe harbor): the exceptions do not matter, but the four-factor assessment is
      still recorded (RULES.md "Unsecured PHI only").
    - An exception recorded as applying: on to the determination.
    - A determination other than "notification required" is a documented end state: close-out
      (the scope, plan and tracking stay open for the state analysis: `applies`).
    """
    if step_id == "phi" and (
        phi_involved is False or determination == Choice.NOT_A_BREACH_PERMITTED.value
    ):
        return "closeout"
    if step_id == "secured" and safe_harbor:
        return "factors"
    if step_id == "exceptions" and exception_applies:
        return "determination"
    if step_id == "determination" and determination != Choice.NOTIFICATION_REQUIRED.value:
        return "closeout"
    return following(step_id)


def applies(step_id: str, *, phi_involved: bool | None, determination: str | None) -> bool:
    """Whether a step applies to an incident with these answers: no PHI (or a permitted use or
    disclosure), no safe harbor or exceptions question and no risk assessment (164.402 concerns
    impermissible uses of PHI only); a determination other than "notification required", no
    law-enforcement hold or HIPAA notices, though the scope, plan and tracking stay for the state
    analysis after a safe harbor, an exception or a low-probability finding. Not answered yet
    counts as applying: the step may still be needed."""
    if step_id in ONLY_WITH_PHI:
        return phi_involved is not False and determination != Choice.NOT_A_BREACH_PERMITTED.value
    if step_id in ONLY_WITH_NOTIFICATION:
        return determination in (None, Choice.NOTIFICATION_REQUIRED.value)
    if step_id in WITH_STATE_ANALYSIS:
        return determination in (None, Choice.NOTIFICATION_REQUIRED.value,
                                 *STATE_ANALYSIS_CHOICES)
    return True


def skipped(step_id: str, *, presumption: str | None, exceptions_recorded: bool,
            factors_recorded: bool) -> bool:
    """A step the path went past without needing it, still open to fill in: the exceptions
    after a safe harbor (`next_step` goes on to the factors), the factors after an exception."""
    if step_id == "exceptions":
        return presumption == "safe_harbor" and not exceptions_recorded
    if step_id == "factors":
        return presumption == "exception" and not factors_recorded
    return False


def later(a: str, b: str) -> str:
    """The later of two steps."""
    return a if index(a) >= index(b) else b


# The kinds of PHI a notice must name (164.404(c)(1)(B)), in a therapist's words. Stored as the
# values (left), shown as the labels (right).
PHI_TYPES = {
    "name": "Full name",
    "address": "Home address",
    "contact": "Phone number or email address",
    "date_of_birth": "Date of birth",
    "ssn": "Social Security number",
    "insurance": "Insurance or account number",
    "financial": "Payment card or bank details",
    "appointments": "Appointment dates, or the fact of being a client",
    "diagnosis": "Diagnosis or disability code",
    "treatment_notes": "Session or treatment notes",
    "medications": "Medications",
    "drivers_license": "Driver's licence or state ID number",
    "login": "Username or email with password",
    "biometric": "Biometric data",
    "other": "Other information (describe it in the notice)",
}

# The HHS breach portal's "type of breach", in the portal's own words (the practitioner picks the
# same one there). Stored as the values (left); "" is not answered yet.
BREACH_TYPES = {
    "hacking": "Hacking/IT Incident",
    "improper_disposal": "Improper Disposal",
    "loss": "Loss",
    "theft": "Theft",
    "unauthorized": "Unauthorized Access/Disclosure",
    "other": "Other",
}
BREACH_TYPE_CHOICES = {"": "Not answered", **BREACH_TYPES}

SECURED_BY = {
    "none": "Neither encrypted nor destroyed",
    "encryption": "Encrypted per HHS guidance (NIST SP 800-111 at rest; 800-52, 800-77, 800-113 in motion)",
    "destruction": "Destroyed per NIST SP 800-88 (shredded, wiped; redaction does not count)",
}

STATEMENT_KINDS = {
    "oral": "Oral statement (delays notice at most 30 days, 164.412(b))",
    "written": "Written statement specifying a period (164.412(a))",
}

NOTICE_METHODS = {
    "mail": "First-class mail",
    "email": "Email (the person agreed to email notice)",
    "phone": "Telephone",
    "website": "Website posting",
    "media": "Print or broadcast media",
    "portal": "HHS breach portal",
    "other": "Other",
}

DRAFT_KINDS = {"individual": "Letter to affected individuals", "substitute": "Substitute notice",
               "hhs": "HHS portal checklist"}
"""A notice draft's kind in words; a media or state draft ("media:CA") is named by its
obligation (`draft_kind_words`)."""


def draft_kind_words(kind: str) -> str:
    """"hhs" -> "HHS portal checklist", "media:CA" -> "Notice to California media"."""
    from riskreg.domain.obligation_names import obligation_name

    return DRAFT_KINDS.get(kind) or obligation_name(kind)


def method_words(method: str) -> str:
    """A notice's method within a sentence: "by first-class mail", "by HHS breach portal" (the
    label's first letter lowered unless it starts an abbreviation)."""
    label = NOTICE_METHODS.get(method, method)
    return label if label[:2].isupper() else label[:1].lower() + label[1:]


INCIDENT_STATUSES = {"open": "Open", "closed": "Closed"}
