from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.analysis.intervals import IntervalError, wilson_interval


def test_it_gives_none_of_ten_an_interval_from_zero() -> None:
    """95%: z² = 3.8415; upper = (z²/n) / (1 + z²/n) = 0.38415 / 1.38415 = 0.2775."""
    lower, upper = wilson_interval(0, 10)
    assert lower == 0.0
    assert upper == pytest.approx(0.2775, abs=1e-4)


def test_it_gives_five_of_ten_an_interval_centred_on_a_half() -> None:
    """95%: 0.5 ± (1.96 / 1.38415) · √(0.025 + 0.0096) = 0.5 ± 0.2634."""
    assert wilson_interval(5, 10) == pytest.approx((0.2366, 0.7634), abs=1e-4)


def test_it_gives_ten_of_ten_an_interval_up_to_one() -> None:
    lower, upper = wilson_interval(10, 10)
    assert lower == pytest.approx(0.7225, abs=1e-4)
    assert upper == 1.0


def test_a_lower_confidence_gives_a_narrower_interval() -> None:
    lower_95, upper_95 = wilson_interval(30, 100)
    lower_90, upper_90 = wilson_interval(30, 100, confidence=0.9)
    assert lower_95 < lower_90 < 0.3 < upper_90 < upper_95


@pytest.mark.parametrize(
    ("successes", "trials", "confidence", "problem"),
    [
        (0, 0, 0.95, "the number of cases must be at least 1, not 0"),
        (11, 10, 0.95, "the count must be between 0 and 10, not 11"),
        (-1, 10, 0.95, "the count must be between 0 and 10, not -1"),
        (2.5, 10, 0.95, "the count must be a whole number, not 2.5"),
        (2, 10, 1.0, "confidence must be more than 0 and less than 1, not 1"),
    ],
)
def test_it_rejects_numbers_that_are_not_a_proportion(
    successes: int, trials: int, confidence: float, problem: str
) -> None:
    with pytest.raises(IntervalError) as raised:
        wilson_interval(successes, trials, confidence=confidence)
    assert str(raised.value) == problem


@given(
    trials=st.integers(min_value=1, max_value=100_000),
    data=st.data(),
    confidence=st.floats(min_value=0.5, max_value=0.999),
)
def test_the_interval_lies_in_0_1_and_contains_the_observed_proportion(
    trials: int, data: st.DataObject, confidence: float
) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=trials))
    lower, upper = wilson_interval(successes, trials, confidence=confidence)
    assert 0.0 <= lower <= successes / trials <= upper <= 1.0


@given(trials=st.integers(min_value=1, max_value=10_000), data=st.data())
def test_the_interval_is_symmetric_between_a_count_and_its_complement(
    trials: int, data: st.DataObject
) -> None:
    successes = data.draw(st.integers(min_value=0, max_value=trials))
    lower, upper = wilson_interval(successes, trials)
    other_lower, other_upper = wilson_interval(trials - successes, trials)
    assert lower == pytest.approx(1 - other_upper, abs=1e-12)
    assert upper == pytest.approx(1 - other_lower, abs=1e-12)
