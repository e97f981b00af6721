"""Calendar titles are cut at a word, with "…", never mid-word (issue 17, finding 19)."""

from datetime import UTC, date, datetime

from hypothesis import given
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
