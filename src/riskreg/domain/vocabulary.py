"""The register's vocabulary: value -> label dictionaries shared with validation, the catalog and
the UI. Values are stored, labels are shown.

Kept apart from `catalog` (which reads and checks the starter catalog's files) so that the app
can label what it shows without loading the catalog's reader on its way to the first frame.
"""

TOOL_CATEGORIES = {
    "dictation_transcription": "Dictation and transcription (AI)",
    "ai_scribe": "AI scribe",
    "intake_communication": "Intake and communication (AI)",
    "clinical_decision_support": "Clinical decision support (AI)",
    "marketing_business": "Marketing and business",
    "ehr": "EHR / practice management",
    "email": "Email",
    "device": "Device",
    "cloud_storage": "Cloud storage",
    "paper": "Paper records",
    "other": "Other",
}

# The AI categories, listed first wherever tools are shown (DESIGN.md, "The register").
AI_TOOL_CATEGORIES = (
    "dictation_transcription",
    "ai_scribe",
    "intake_communication",
    "clinical_decision_support",
    "marketing_business",
)

BAA_STATUSES = {
    "not_needed": "Not needed",
    "missing": "Missing",
    "requested": "Requested",
    "signed": "Signed",
    "expired": "Expired",
}

SAFEGUARD_CATEGORIES = {
    "administrative": "Administrative",
    "physical": "Physical",
    "technical": "Technical",
}

# Security Rule implementation specifications are required or addressable (45 CFR 164.306(d)).
REQUIREMENTS = {
    "required": "Required",
    "addressable": "Addressable",
}

TREATMENTS = {
    "mitigate": "Mitigate",
    "accept": "Accept",
    "transfer": "Transfer",
    "avoid": "Avoid",
}

REVIEW_CADENCES_MONTHS = (3, 6, 12)
