from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.analysis.proportions import (
    PROPORTION_SOURCE,
    PROPORTION_TERMS,
    PROPORTION_WORDS,
    ProportionError,
    narrative_fits,
    percent_text,
    proportion_word,
    proportion_word_fits,
    proportion_words_in,
    proportion_words_out_of_line,
)

fractions = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@pytest.mark.parametrize(
    ("fraction", "word"),
    [
        (1.0, "all"),
        (0.999, "almost all"),
        (0.9001, "almost all"),
        (0.9, "most"),  # "almost all" is *over* 90%
        (9 / 10, "most"),
        (27 / 30, "most"),
        (0.75, "most"),
        (0.745, "majority"),  # in the published gap 74-75%: below 75%, so not "most"
        (0.7499, "majority"),
        (0.5, "majority"),
        (0.4999, "less than half"),
        (0.495, "less than half"),  # in the gap 49-50%: below half
        (0.1501, "less than half"),
        (0.15, "few"),  # "few" is *up to* 15%
        (3 / 20, "few"),
        (0.001, "few"),
        (0.0, "none"),
    ],
)
def test_it_names_each_fraction_with_the_standard_word(fraction: float, word: str) -> None:
    assert proportion_word(fraction) == word


@pytest.mark.parametrize("fraction", [-0.01, 1.01, math.nan])
def test_it_rejects_what_is_not_a_proportion(fraction: float) -> None:
    with pytest.raises(ProportionError, match="a proportion must be between 0 and 1"):
        proportion_word(fraction)


def test_the_published_terms_are_documented_with_their_source() -> None:
    assert PROPORTION_WORDS == (
        "all",
        "almost all",
        "most",
        "majority",
        "less than half",
        "few",
        "none",
    )
    published = {term.word: term.published for term in PROPORTION_TERMS}
    assert published["almost all"] == "over 90%"
    assert published["few"] == "up to 15%"
    assert "Education Scotland" in PROPORTION_SOURCE


def test_both_words_fit_exactly_fifteen_percent_where_the_published_ranges_meet() -> None:
    assert proportion_word_fits("few", 0.15)
    assert proportion_word_fits("less than half", 0.15)
    assert not proportion_word_fits("less than half", 0.1499)
    assert not proportion_word_fits("few", 0.1501)


def test_a_word_fits_only_its_own_range() -> None:
    assert proportion_word_fits("Most", 0.8)
    assert not proportion_word_fits("most", 0.95)
    assert not proportion_word_fits("almost all", 0.9)
    assert not proportion_word_fits("all", 0.999)


def test_it_rejects_a_word_that_is_not_a_proportion_word() -> None:
    with pytest.raises(ProportionError, match="'lots' is not a proportion word; the words are"):
        proportion_word_fits("lots", 0.5)


def test_it_finds_the_proportion_words_of_a_narrative_in_order() -> None:
    text = (
        "Almost all children were seen by their lead professional. Most had a chronology, "
        "but a few did not. The majority of staff were confident; less than half of parents "
        "had been asked for their views, and none of the plans was reviewed on time."
    )
    found = proportion_words_in(text)
    assert [match.word for match in found] == [
        "almost all",
        "most",
        "few",
        "majority",
        "less than half",
        "none",
    ]
    assert [match.text for match in found][:3] == ["Almost all", "Most", "a few"]
    assert text[found[3].start : found[3].end] == "The majority"


def test_it_leaves_out_idioms_that_are_not_proportions() -> None:
    text = (
        "Above all, the most vulnerable children were not at all involved; "
        "first of all, plans were at most partly complete."
    )
    assert proportion_words_in(text) == ()


def test_it_does_not_read_almost_all_as_all() -> None:
    assert [match.word for match in proportion_words_in("almost all records")] == ["almost all"]


def test_it_flags_words_out_of_line_with_the_fraction() -> None:
    narrative = "Most children had a plan; all plans were reviewed."
    flagged = proportion_words_out_of_line(narrative, 0.95)
    assert [(match.word, match.text) for match in flagged] == [("most", "Most"), ("all", "all")]
    assert not narrative_fits(narrative, 0.95)


def test_a_narrative_whose_words_fit_the_fraction_is_consistent() -> None:
    assert narrative_fits("Most children had a plan.", 0.8)
    assert proportion_words_out_of_line("Most children had a plan.", 0.8) == ()


def test_a_narrative_without_proportion_words_is_consistent() -> None:
    assert narrative_fits("Plans were reviewed.", 0.3)


@given(fractions)
def test_every_fraction_has_a_standard_word_that_fits_it(fraction: float) -> None:
    word = proportion_word(fraction)
    assert word in PROPORTION_WORDS
    assert proportion_word_fits(word, fraction)


@given(fractions, fractions)
def test_a_larger_fraction_never_gets_a_smaller_word(first: float, second: float) -> None:
    low, high = sorted((first, second))
    rank = {word: position for position, word in enumerate(reversed(PROPORTION_WORDS))}
    assert rank[proportion_word(low)] <= rank[proportion_word(high)]


@pytest.mark.parametrize(
    ("count", "total", "shown"),
    [
        (3, 4, "75%"),  # most
        (149, 200, "74.5%"),  # majority: 75% would read as most
        (181, 200, "91%"),  # almost all
        (9004, 10000, "90.04%"),  # almost all: 90% and 90.0% would read as most
        (199, 200, "99.5%"),  # not all
        (1, 1000, "0.1%"),  # not none
        (99, 200, "49.5%"),  # less than half
        (2, 3, "67%"),
    ],
)
def test_a_percentage_is_shown_so_that_it_agrees_with_its_word(
    count: int, total: int, shown: str
) -> None:
    assert percent_text(count / total) == shown


@given(
    st.integers(min_value=1, max_value=5000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_property_the_shown_percentage_reads_as_the_same_word(pair: tuple[int, int]) -> None:
    count, total = pair
    text = percent_text(count / total)
    assert text.endswith("%")
    shown = float(text.removesuffix("%")) / 100
    assert proportion_word(min(shown, 1.0)) == proportion_word(count / total)
    assert abs(shown - count / total) <= 0.005 + 1e-12  # no further off than rounding to whole %
