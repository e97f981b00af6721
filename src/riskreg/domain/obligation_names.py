"""Each notification obligation named in the practitioner's words.

The ids ("individuals", "hhs", "state:CA", "media:CA", the HHS track "annual_log") are the
engine's: they stay in `--json` and in the database. Every screen, text output, report and
calendar names an obligation through `obligation_name`, so it reads the same everywhere.
"""

# The states and other jurisdictions of 45 CFR 160.103 ("State" includes DC and the territories).
JURISDICTIONS = {
    "AK": "Alaska", "AL": "Alabama", "AR": "Arkansas", "AS": "American Samoa", "AZ": "Arizona",
    "CA": "California", "CO": "Colorado", "CT": "Connecticut", "DC": "District of Columbia",
    "DE": "Delaware", "FL": "Florida", "GA": "Georgia", "GU": "Guam", "HI": "Hawaii", "IA": "Iowa",
    "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "KS": "Kansas", "KY": "Kentucky",
    "LA": "Louisiana", "MA": "Massachusetts", "MD": "Maryland", "ME": "Maine", "MI": "Michigan",
    "MN": "Minnesota", "MO": "Missouri", "MP": "Northern Mariana Islands", "MS": "Mississippi",
    "MT": "Montana", "NC": "North Carolina", "ND": "North Dakota", "NE": "Nebraska",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NV": "Nevada",
    "NY": "New York", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "PR": "Puerto Rico", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VA": "Virginia", "VI": "Virgin Islands",
    "VT": "Vermont", "WA": "Washington", "WI": "Wisconsin", "WV": "West Virginia",
    "WY": "Wyoming",
}

HHS_TRACKS = {
    "with_individual_notice": "with the individual notices",
    "annual_log": "in the yearly log of breaches under 500",
}


# A state's second or later duty of a kind ("regulator:NY:after_hhs"), in words.
DUTY_WORDS = {
    "after_hhs": "after the HHS notice",
    "with_residents": "with the residents' notice",
}


def state_name(code: str) -> str:
    """"CA" -> "California"; an unknown code is given back as it is."""
    return JURISDICTIONS.get(code, code)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def obligation_name(obligation_id: str, track: str | None = None, citation: str = "") -> str:
    """What the obligation asks, in words: "Notify HHS (with the individual notices)", "Notice
    to California media", "California residents (Cal. Civ. Code 1798.82)". The citation is
    named only for a state's own law (state and regulator notices), where it says which law."""
    head, _, rest = obligation_id.partition(":")
    code, _, duty = rest.partition(":")
    place = state_name(code)
    when = HHS_TRACKS.get(track or "")
    if head == "individuals":
        return "Notify affected individuals"
    if head == "substitute_notice":
        return "Substitute notice (individuals who cannot be reached)"
    if head == "media":
        return f"Notice to {place} media"
    if head == "hhs":
        return f"Notify HHS ({when})" if when else "Notify HHS"
    if head == "hhs_part2":
        return f"Part 2 breach report to HHS ({when})" if when else "Part 2 breach report to HHS"
    law = f" ({citation})" if citation else ""
    if head == "state":
        return _capital(f"{place} residents{law}")
    then = f", {DUTY_WORDS.get(duty, duty.replace('_', ' '))}" if duty else ""
    if head == "regulator":
        return _capital(f"{place} state officials{then}{law}")
    if head == "cra":
        return _capital(f"{place} consumer reporting agencies{then}{law}")
    return _capital(obligation_id.replace("_", " "))
