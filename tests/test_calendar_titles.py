"""Calendar titles are cut at a word, with "…", never mid-word (issue 17, finding 19)."""

from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from riskreg.domain.calendar_event import cut_at_word
from riskreg.domain.calendar_register import hazard_events

LONG = "Inaccurate or biased AI-generated note enters the record unreviewed"


def test_a_long_hazard_title_is_cut_after_a_whole_word():
    assert cut_at_word(LONG) == "Inaccurate or biased AI-generated note enters the…"
    assert cut_at_word("Short title") == "Short title"
    assert cut_at_word("Email with client information sent to the wrong person", 40) == \
        "Email with client information sent to…"


def test_the_calendar_gives_the_whole_title_in_the_description():
    hazard = {"public_id": "h1", "title": LONG, "next_review_on": date(2027, 1, 4),
              "revision": 1, "updated_at": datetime(2026, 11, 1, tzinfo=UTC)}
    (event,) = hazard_events(hazard, date(2026, 11, 26))
    assert event.title == "Review hazard: Inaccurate or biased AI-generated note enters the…"
    assert event.description.startswith(LONG + ". ")


WORDS = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Zs", "Cc")), min_size=1,
                max_size=15)
TITLES = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)


@given(TITLES, st.integers(min_value=2, max_value=80))
def test_a_cut_title_fits_ends_with_an_ellipsis_and_never_splits_a_word(title, limit):
    cut = cut_at_word(title, limit)
    assert len(cut) <= limit
    if len(title) <= limit:
        assert cut == title
        return
    assert cut.endswith("…")
    stem = cut[:-1]
    assert title.startswith(stem)
    first_word = title.split(" ")[0]
    if len(first_word) < limit:  # a first word longer than the limit has no end to cut at
        assert stem.strip() and not title[len(stem)].isalnum()  # cut where a word ends


# -- every SUMMARY the exporter writes (new-user run: the .ics showed titles broken mid-word) ------

STAMP = datetime(2026, 11, 1, tzinfo=UTC)
TODAY = date(2026, 11, 26)
DAYS = st.dates(min_value=date(2026, 1, 1), max_value=date(2028, 12, 31))
REFERENCES = st.from_regex(r"INC-20[0-9]{2}-[0-9]{3}", fullmatch=True)
OBLIGATION_IDS = st.sampled_from(["individuals", "hhs", "media", "state:CA", "state:NY",
                                  "ba_to_ce", "ce_to_individuals"])


@st.composite
def obligations(draw):
    from riskreg.domain.calendar_event import ObligationInput

    due = draw(DAYS)
    return ObligationInput(
        id=draw(OBLIGATION_IDS), due=due, citation=draw(st.sampled_from(
            ["45 CFR 164.404(b)", "45 CFR 164.408(b)", "Cal. Civ. Code 1798.82(a)"])),
        internal_target=draw(st.none() | st.just(due - timedelta(days=10))),
        done_on=draw(st.none() | st.just(due)), tentative=draw(st.booleans()),
        not_required=draw(st.booleans()),
    )


@st.composite
def event_inputs(draw):
    from riskreg.domain.calendar_event import HoldInput, IncidentInput
    from riskreg.domain.calendar_events import EventInputs

    archived = st.none() | st.just(STAMP)
    hazards = [{"public_id": f"h{i}", "title": draw(TITLES), "next_review_on": draw(DAYS),
                "acceptance_expires_on": draw(st.none() | DAYS), "treatment": "accept",
                "status": draw(st.sampled_from(["open", "closed"])),
                "archived_at": draw(archived), "revision": 1, "updated_at": STAMP}
               for i in range(draw(st.integers(0, 2)))]
    safeguards = [{"public_id": f"s{i}", "title": draw(TITLES), "due_on": draw(DAYS),
                   "next_verification_on": draw(DAYS), "archived_at": draw(archived),
                   "status": draw(st.sampled_from(["planned", "in_place", "not_applicable"])),
                   "citation": "45 CFR 164.312(a)(2)(iv)", "revision": 1, "updated_at": STAMP}
                  for i in range(draw(st.integers(0, 2)))]
    tools = [{"public_id": f"t{i}", "name": draw(TITLES), "baa_expires_on": draw(DAYS),
              "archived_at": draw(archived), "revision": 1, "updated_at": STAMP}
             for i in range(draw(st.integers(0, 1)))]
    incidents = [IncidentInput(
        public_id=f"i{i}", reference=draw(REFERENCES), title=draw(TITLES), revision=1,
        updated_at=STAMP, closed=draw(st.booleans()),
        obligations=tuple(draw(st.lists(obligations(), max_size=3))),
        holds=tuple(HoldInput(f"k{n}", "oral", TODAY, day)
                    for n, day in enumerate(draw(st.lists(DAYS, max_size=1)))),
    ) for i in range(draw(st.integers(0, 2)))]
    practice = {"public_id": "p", "risk_analysis_reviewed_on": draw(DAYS), "revision": 1,
                "updated_at": STAMP}
    return EventInputs(hazards=hazards, safeguards=safeguards, tools=tools, settings=practice,
                       incidents=incidents)


@settings(deadline=None, max_examples=150)
@given(event_inputs(), st.booleans(), st.booleans(), DAYS)
def test_every_summary_in_the_file_fits_one_line_and_ends_at_a_word(inputs, details, reminders,
                                                                    today):
    """Every event kind (reviews, acceptances, safeguards, BAAs, the risk analysis, obligations,
    internal targets, holds, reminders) with every mark ([DONE], [OVERDUE]...): the SUMMARY line
    in the .ics is never folded, and a cut one ends after a whole word with "…"; the record's
    whole name is then in the description."""
    from riskreg.domain.calendar_events import build_events
    from riskreg.services.calendar import render_calendar

    events = build_events(inputs, today, reminders=reminders, details=details)
    lines = render_calendar(events).decode("utf-8").split("\r\n")
    summaries = [(n, line) for n, line in enumerate(lines) if line.startswith("SUMMARY:")]
    assert len(summaries) == len(events)
    for event, (n, line) in zip(events, summaries, strict=True):
        assert not lines[n + 1].startswith(" "), line  # not folded
        whole = f"[{event.mark}] {event.title}" if event.mark else event.title
        written = event.summary
        if written == whole:
            continue
        assert written.endswith("…"), written
        stem = written[:-1]
        assert whole.startswith(stem)
        after = whole[len(stem):]
        first_word = whole.split(" ")[0]
        if len(first_word.encode("utf-8")) < 60:
            assert stem.strip() and (after[0].isspace() or after[0] in ",;:-–—"), (whole,
                                                                                  written)
        if event.record_name:
            assert event.record_name in event.description


def test_the_incident_titles_the_new_user_saw_cut_mid_word():
    from riskreg.domain.calendar_event import IncidentInput, ObligationInput
    from riskreg.domain.calendar_incidents import incident_events

    ob = ObligationInput("hhs", date(2027, 1, 1), "45 CFR 164.408(b)",
                         track="with_individual_notice", internal_target=date(2026, 12, 20), done_on=date(2026, 12, 1))
    incident = IncidentInput("i1", "INC-2026-001", "t", 1, STAMP, obligations=(ob,))
    summaries = [e.summary for e in incident_events(incident, TODAY)]
    for summary in summaries:
        assert len(("SUMMARY:" + summary).encode("utf-8")) <= 74
        assert summary.startswith("[DONE] INC-2026-001: ")
    assert any(s.endswith("…") for s in summaries)
    assert "individ…" not in "".join(summaries)
