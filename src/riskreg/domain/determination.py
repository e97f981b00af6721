"""Is it a breach? The decision path of 45 CFR 164.402, as data a wizard can show, and functions
that say what the rule presumes on the record so far. It never decides: the practitioner's
`Determination` (a choice plus a mandatory rationale) is an input (164.414(b): the burden of proof
is the practice's).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from riskreg.errors import ValidationError


@dataclass(frozen=True)
class Step:
    """One question of the decision path, with the text a UI shows beside it."""

    id: str
    title: str
    guidance: str
    citation: str


PHI_STEP = Step(
    "phi_involved",
    "Was protected health information involved?",
    "PHI is individually identifiable health information held or sent by the practice in any form: "
    "notes, appointment details, billing, even the fact that someone is a client. If no PHI was "
    "involved, the Breach Notification Rule does not apply (record why).",
    "45 CFR 160.103",
)

PERMITTED_STEP = Step(
    "use_permitted",
    "Was the use or disclosure permitted by the Privacy Rule?",
    "A breach is an acquisition, access, use or disclosure of PHI in a manner not permitted "
    "under subpart E (the Privacy Rule). A disclosure the Privacy Rule permits (treatment, "
    "payment or operations, 164.506; one required by law or for another purpose of 164.512; one "
    "the client authorized) or an incidental one that happens despite reasonable safeguards and "
    "minimum necessary (an overheard remark in a waiting room, 164.502(a)(1)(iii)) is not a "
    "breach. If it was permitted, HIPAA's analysis ends here: record which permission and why.",
    "45 CFR 164.402 (breach); 164.502(a), 164.502(a)(1)(iii), 164.512",
)

SECURED_STEP = Step(
    "secured_by",
    "Was the PHI secured (unusable, unreadable or indecipherable)?",
    "Secured means encrypted as HHS guidance describes (NIST SP 800-111 for data at rest; "
    "SP 800-52, 800-77 or 800-113 for data in motion) with the key not compromised, or destroyed "
    "per NIST SP 800-88 (paper shredded so it cannot be read or reconstructed; redaction does not "
    "count). The encryption must have protected the data at the moment of the incident: a laptop "
    "stolen while powered off or locked, with the key safe, is secured; ransomware on a running, "
    "unlocked machine or data copied out through a logged-in session found it decrypted, so it is "
    "not. Secured PHI carries no notification duty, but the assessment is still recorded.",
    "45 CFR 164.402 (unsecured PHI); HHS guidance under HITECH 13402(h)(2); HHS ransomware fact "
    "sheet (2016), Q8",
)

ENCRYPTION_IN_FORCE = (
    "Was the data still encrypted when it was taken or reached: the device powered off or "
    "locked, the encrypted file or drive never opened by the intruder? Ransomware on a running, "
    "unlocked machine, or data copied out through a logged-in session, found it decrypted: the "
    "safe harbor does not apply (HHS ransomware fact sheet, Q8)."
)


class SecuredBy(StrEnum):
    """How the PHI was protected: encryption, destruction, or not at all."""

    ENCRYPTION = "encryption"
    DESTRUCTION = "destruction"
    NONE = "none"


@dataclass(frozen=True)
class BreachException:
    """One of the three exceptions in the definition of breach (164.402(1)(i)-(iii))."""

    id: str
    title: str
    explanation: str
    citation: str


EXCEPTIONS: tuple[BreachException, ...] = (
    BreachException(
        "workforce_good_faith",
        "Unintentional access by workforce, in good faith",
        "Someone working for the practice or under its authority acquired, accessed or used the PHI "
        "unintentionally, in good faith and within the scope of their authority, and it was not "
        "used or disclosed any further. Example: a biller opens the wrong client's file, realises, "
        "closes it and tells you.",
        "45 CFR 164.402(1)(i)",
    ),
    BreachException(
        "inadvertent_internal",
        "Inadvertent disclosure between authorized people",
        "A person authorized to access PHI at the practice, its business associate or an organized "
        "health care arrangement inadvertently disclosed it to another person authorized at the "
        "same place, and it was not used or disclosed any further.",
        "45 CFR 164.402(1)(ii)",
    ),
    BreachException(
        "could_not_retain",
        "Recipient could not reasonably have retained it",
        "The practice believes in good faith that the person who received the PHI could not "
        "reasonably have kept it. Example: a letter returned unopened by the post office.",
        "45 CFR 164.402(1)(iii)",
    ),
)


class Rating(StrEnum):
    """How much a factor points towards compromise of the PHI."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


@dataclass(frozen=True)
class Factor:
    """One factor of the risk assessment that can overcome the presumption (164.402(2))."""

    id: str
    title: str
    guidance: str
    citation: str


FACTORS: tuple[Factor, ...] = (
    Factor(
        "nature_extent",
        "(i) Nature and extent of the PHI",
        "Which identifiers and how much clinical detail were involved, and how likely it is that "
        "the people can be re-identified. Psychotherapy details, diagnoses, SSNs or financial data "
        "weigh more than an appointment time with initials.",
        "45 CFR 164.402(2)(i)",
    ),
    Factor(
        "recipient",
        "(ii) Who used it or received it",
        "The unauthorized person who used the PHI or to whom it went. Another covered entity bound "
        "by HIPAA is a lower risk than an unknown party, an acquaintance of the client or the "
        "public.",
        "45 CFR 164.402(2)(ii)",
    ),
    Factor(
        "acquired_viewed",
        "(iii) Was it actually acquired or viewed?",
        "Whether the PHI was actually taken or looked at, or only could have been. Forensic "
        "evidence that an encrypted-in-transit file was never opened lowers the risk.",
        "45 CFR 164.402(2)(iii)",
    ),
    Factor(
        "mitigation",
        "(iv) Extent the risk has been mitigated",
        "What was done to reduce the risk: the recipient's signed assurance that the PHI was "
        "destroyed and not further used or disclosed, a remote wipe, a password reset.",
        "45 CFR 164.402(2)(iv)",
    ),
)

FACTOR_IDS = tuple(f.id for f in FACTORS)

# Which way each rating points, in words: a rating alone ("mitigation is rated high") reads as the
# opposite of what it means for factor (iv), so every place that shows a rating shows this instead.
DIRECTIONS = {
    Rating.LOW: "points to a low probability",
    Rating.MEDIUM: "points partly to compromise",
    Rating.HIGH: "points to compromise",
}

SITUATIONS: dict[str, dict[Rating, str]] = {
    "nature_extent": {
        Rating.LOW: "few identifiers and little clinical detail, hard to re-identify",
        Rating.MEDIUM: "some identifiers or some clinical detail",
        Rating.HIGH: "sensitive identifiers or clinical detail, easy to re-identify",
    },
    "recipient": {
        Rating.LOW: "the recipient is bound by HIPAA or otherwise trustworthy",
        Rating.MEDIUM: "the recipient is known but not bound by HIPAA",
        Rating.HIGH: "the recipient is unknown or not trustworthy",
    },
    "acquired_viewed": {
        Rating.LOW: "the information was not actually acquired or viewed",
        Rating.MEDIUM: "it cannot be told whether the information was viewed",
        Rating.HIGH: "the information was acquired or viewed",
    },
    "mitigation": {
        Rating.LOW: "the risk was well mitigated (the information was returned unread or destroyed)",
        Rating.MEDIUM: "the risk was partly mitigated",
        Rating.HIGH: "little was mitigated",
    },
}


def factor_reading(factor_id: str, rating: Rating | str) -> str:
    """Which way one factor's rating points, in words: "points to compromise: little was
    mitigated" (45 CFR 164.402(2): the factors can show a low probability of compromise)."""
    rating = Rating(rating)
    return f"{DIRECTIONS[rating]}: {SITUATIONS[factor_id][rating]}"


def factor_options(factor_id: str) -> list[tuple[str, str]]:
    """(label, rating) for a picker, low first: "Points to compromise: little was mitigated"."""
    return [(_capital(factor_reading(factor_id, r)), r.value) for r in Rating]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
EXCEPTION_IDS = tuple(e.id for e in EXCEPTIONS)


@dataclass(frozen=True)
class FactorAssessment:
    """The practitioner's rating of one factor, with the notes that support it."""

    rating: Rating | None = None
    notes: str = ""

    @property
    def complete(self) -> bool:
        return self.rating is not None and bool(self.notes.strip())


@dataclass(frozen=True)
class DeterminationFacts:
    """What has been recorded so far on the decision path; None means "not recorded yet".

    `exceptions` maps an exception id to whether the practitioner recorded that it applies;
    `factors` maps a factor id to its assessment.
    """

    phi_involved: bool | None = None
    use_permitted: bool | None = None
    """True: a use or disclosure the Privacy Rule permits, or an incidental one (not a breach)."""
    secured_by: SecuredBy | None = None
    key_compromised: bool | None = None
    encryption_in_force: bool | None = None
    """For encryption: whether it protected the data at the moment of the incident."""
    exceptions: Mapping[str, bool] = field(default_factory=dict)
    factors: Mapping[str, FactorAssessment] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.secured_by is not None:
            try:
                object.__setattr__(self, "secured_by", SecuredBy(self.secured_by))
            except ValueError:
                raise ValidationError(
                    "secured_by", f"{self.secured_by!r} is not one of encryption, destruction, none"
                ) from None
        for key in self.exceptions:
            if key not in EXCEPTION_IDS:
                raise ValidationError("exceptions", f"{key!r} is not one of the three exceptions")
        for key, assessment in self.factors.items():
            if key not in FACTOR_IDS:
                raise ValidationError("factors", f"{key!r} is not one of the four factors")
            if assessment.rating is not None:
                try:
                    Rating(assessment.rating)
                except ValueError:
                    raise ValidationError(
                        f"factors.{key}", f"rating {assessment.rating!r} is not low, medium or high"
                    ) from None


class Outcome(StrEnum):
    """What the rule presumes on the record so far (never a decision)."""

    INCOMPLETE = "incomplete"
    NOT_PHI = "not_phi"
    PERMITTED = "permitted"
    SAFE_HARBOR = "safe_harbor"
    EXCEPTION = "exception"
    LOW_PROBABILITY_SUPPORTED = "low_probability_supported"
    PRESUMED_BREACH = "presumed_breach"


@dataclass(frozen=True)
class Missing:
    """Something that must still be recorded: the field it goes in and what to record."""

    field: str
    what: str


@dataclass(frozen=True)
class Presumption:
    """The rule's presumption, the reasons for it, and what is still missing from the record."""

    outcome: Outcome
    reasons: tuple[str, ...]
    missing: tuple[Missing, ...]


def _factor_gaps(facts: DeterminationFacts) -> list[Missing]:
    gaps = []
    for factor in FACTORS:
        assessment = facts.factors.get(factor.id)
        if assessment is None or not assessment.complete:
            gaps.append(
                Missing(
                    f"factors.{factor.id}", f"Rate {factor.title} and note why ({factor.citation})."
                )
            )
    return gaps


def _secured(facts: DeterminationFacts) -> tuple[bool | None, list[Missing], str]:
    """Whether the safe harbor applies: None when it cannot be told yet."""
    if facts.secured_by is None:
        return (
            None,
            [Missing("secured_by", "Record whether the PHI was encrypted or destroyed.")],
            "",
        )
    if facts.secured_by == SecuredBy.DESTRUCTION:
        return True, [], "The PHI was destroyed per NIST SP 800-88: it is secured PHI."
    if facts.secured_by == SecuredBy.ENCRYPTION:
        if facts.key_compromised is None:
            return None, [Missing("key_compromised", "Record whether the key was compromised.")], ""
        if facts.key_compromised:
            return False, [], "Encrypted, but the key was compromised: the PHI is unsecured."
        if facts.encryption_in_force is False:
            return False, [], (
                "Encrypted, but the data was not protected by it at the moment of the incident "
                "(a running, unlocked device or a logged-in session): the PHI is unsecured (HHS "
                "ransomware fact sheet, Q8)."
            )
        if facts.encryption_in_force is None:
            # Recorded before the app asked (migration 0005): the safe harbor stands as it was
            # presumed then, with the question still to answer.
            return True, [Missing("encryption_in_force", (
                "Record whether the encryption protected the data at the moment of the incident "
                "(device off or locked; not ransomware on an unlocked machine)."))], (
                "Encrypted per HHS guidance with the key not compromised: secured PHI, if the "
                "encryption protected the data at the moment of the incident (not yet recorded)."
            )
        return True, [], (
            "Encrypted per HHS guidance, the key not compromised, and the data protected by it at "
            "the moment of the incident: secured PHI."
        )
    return False, [], "Neither encrypted nor destroyed: the PHI is unsecured."


def presumption(facts: DeterminationFacts) -> Presumption:
    """What 45 CFR 164.402 presumes on the record so far, why, and what must still be recorded.

    An impermissible use or disclosure of PHI is presumed a breach unless an exception applies or
    a risk assessment of at least the four factors shows a low probability of compromise; only
    unsecured PHI triggers notification (164.402, 164.404(a)). The practitioner decides.
    """
    if facts.phi_involved is None:
        return Presumption(
            Outcome.INCOMPLETE,
            ("Nothing can be presumed until it is recorded whether PHI was involved.",),
            (Missing("phi_involved", "Record whether protected health information was involved."),),
        )
    if not facts.phi_involved:
        return Presumption(
            Outcome.NOT_PHI,
            ("No PHI was involved: the Breach Notification Rule does not apply (45 CFR 164.402).",),
            (),
        )
    if facts.use_permitted:
        return Presumption(
            Outcome.PERMITTED,
            ("Recorded as a use or disclosure the Privacy Rule permits, or an incidental one: not "
             "a breach (45 CFR 164.402; 164.502(a)(1)(iii), 164.512). Document which permission "
             "applies.",),
            (),
        )
    permitted_gap = [] if facts.use_permitted is not None else [Missing(
        "use_permitted",
        "Record whether the use or disclosure was one the Privacy Rule permits (45 CFR 164.402).",
    )]
    secured, missing, why = _secured(facts)
    missing = permitted_gap + missing
    reasons = [why] if why else []
    if secured:
        reasons.append(
            "Secured PHI: no notification duty (45 CFR 164.402, 164.404(a)); the risk assessment "
            "is still recorded."
        )
        return Presumption(Outcome.SAFE_HARBOR, tuple(reasons),
                           tuple(missing + _factor_gaps(facts)))
    applying = [e for e in EXCEPTIONS if facts.exceptions.get(e.id)]
    if applying:
        reasons += [f"Recorded as applying: {e.title} ({e.citation})." for e in applying]
        reasons.append("If it holds, this is not a breach; document the facts that show it.")
        return Presumption(Outcome.EXCEPTION, tuple(reasons), tuple(missing))
    missing += [
        Missing(f"exceptions.{e.id}", f"Record whether '{e.title}' applies ({e.citation}).")
        for e in EXCEPTIONS
        if e.id not in facts.exceptions
    ]
    gaps = _factor_gaps(facts)
    missing += gaps
    rated = {k: a.rating for k, a in facts.factors.items() if a.rating is not None}
    # Every rated factor, saying which way it points: the summary a reader checks the decision by.
    readings = [f"{f.title}: {factor_reading(f.id, rated[f.id])}." for f in FACTORS if f.id in rated]
    if not gaps and all(Rating(r) == Rating.LOW for r in rated.values()):
        reasons.append(
            "All four factors are rated low with notes: the record may support a low probability "
            "that the PHI has been compromised (45 CFR 164.402(2)). Your determination decides."
        )
        return Presumption(Outcome.LOW_PROBABILITY_SUPPORTED, tuple(reasons + readings),
                           tuple(missing))
    reasons.append(
        "An impermissible use or disclosure of PHI is presumed to be a breach unless an exception "
        "applies or the four-factor risk assessment shows a low probability of compromise "
        "(45 CFR 164.402(2))."
    )
    return Presumption(Outcome.PRESUMED_BREACH, tuple(reasons + readings), tuple(missing))


class Choice(StrEnum):
    """The practitioner's determination at the end of the decision path."""

    NOT_PHI = "not_phi"
    NOT_A_BREACH_PERMITTED = "not_a_breach_permitted"
    NOT_A_BREACH_SAFE_HARBOR = "not_a_breach_safe_harbor"
    NOT_A_BREACH_EXCEPTION = "not_a_breach_exception"
    LOW_PROBABILITY = "low_probability"
    NOTIFICATION_REQUIRED = "notification_required"


CHOICE_LABELS = {
    Choice.NOT_PHI.value: "Not PHI",
    Choice.NOT_A_BREACH_PERMITTED.value: "Not a breach: a permitted or incidental use or disclosure",
    Choice.NOT_A_BREACH_SAFE_HARBOR.value: "Not a breach: secured PHI (safe harbor)",
    Choice.NOT_A_BREACH_EXCEPTION.value: "Not a breach: an exception applies",
    Choice.LOW_PROBABILITY.value: "Not a breach: low probability of compromise",
    Choice.NOTIFICATION_REQUIRED.value: "Breach: notification required",
}

SHORT_CHOICE_LABELS = {
    Choice.NOT_PHI.value: "not PHI",
    Choice.NOT_A_BREACH_PERMITTED.value: "permitted",
    Choice.NOT_A_BREACH_SAFE_HARBOR.value: "safe harbor",
    Choice.NOT_A_BREACH_EXCEPTION.value: "exception",
    Choice.LOW_PROBABILITY.value: "low probability",
    Choice.NOTIFICATION_REQUIRED.value: "notification required",
}

# The choice each presumption points to; the practitioner may still choose otherwise, with reasons.
CONSISTENT_CHOICE = {
    Outcome.NOT_PHI: Choice.NOT_PHI,
    Outcome.PERMITTED: Choice.NOT_A_BREACH_PERMITTED,
    Outcome.SAFE_HARBOR: Choice.NOT_A_BREACH_SAFE_HARBOR,
    Outcome.EXCEPTION: Choice.NOT_A_BREACH_EXCEPTION,
    Outcome.LOW_PROBABILITY_SUPPORTED: Choice.LOW_PROBABILITY,
    Outcome.PRESUMED_BREACH: Choice.NOTIFICATION_REQUIRED,
}


@dataclass(frozen=True)
class Determination:
    """The practitioner's decision, with the rationale the burden of proof requires (164.414(b)).

    `exception_id` names the exception for `not_a_breach_exception` (and only then).
    """

    choice: Choice
    rationale: str
    decided_on: date | None = None
    exception_id: str | None = None

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "choice", Choice(self.choice))
        except ValueError:
            allowed = ", ".join(c.value for c in Choice)
            raise ValidationError("choice", f"{self.choice!r} is not one of {allowed}") from None
        if not isinstance(self.rationale, str) or not self.rationale.strip():
            raise ValidationError(
                "rationale",
                "a rationale is required: say why, in your own words (45 CFR 164.414(b))",
            )
        if self.choice == Choice.NOT_A_BREACH_EXCEPTION:
            if self.exception_id not in EXCEPTION_IDS:
                raise ValidationError(
                    "exception_id",
                    "name the exception that applies: "
                    + "; ".join(f"{e.title} ({e.id})" for e in EXCEPTIONS),
                )
        elif self.exception_id is not None:
            raise ValidationError(
                "exception_id", "only a not_a_breach_exception names an exception"
            )

    @property
    def notification_required(self) -> bool:
        """True when notices must go out (the deadline plan applies)."""
        return self.choice == Choice.NOTIFICATION_REQUIRED


def review_determination(determination: Determination, facts: DeterminationFacts) -> list[str]:
    """Where a determination departs from the presumption on the record: points to address in the
    rationale, never a refusal (the practitioner decides; 164.402, 164.414(b))."""
    found = presumption(facts)
    notes = []
    expected = CONSISTENT_CHOICE.get(found.outcome)
    if found.outcome == Outcome.INCOMPLETE:
        notes.append("The record does not yet say whether PHI was involved.")
    elif expected is not None and determination.choice != expected:
        notes.append(
            f"The record points to \"{CHOICE_LABELS[expected.value]}\"; you chose "
            f"\"{CHOICE_LABELS[determination.choice.value]}\": make sure the rationale explains "
            "why."
        )
    if determination.choice == Choice.LOW_PROBABILITY:
        gaps = [f.title for f in FACTORS
                if any(m.field == f"factors.{f.id}" for m in found.missing)]
        if gaps:
            notes.append(
                "A low-probability finding needs all four factors assessed with notes "
                f"(45 CFR 164.402(2)); missing: {'; '.join(gaps)}."
            )
    if determination.choice == Choice.NOT_A_BREACH_EXCEPTION and not facts.exceptions.get(
        determination.exception_id or ""
    ):
        titles = {e.id: e.title for e in EXCEPTIONS}
        named = titles.get(determination.exception_id or "", "named")
        notes.append(f"The record does not show the exception \"{named}\" applying.")
    return notes
