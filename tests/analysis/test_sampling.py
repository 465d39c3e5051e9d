from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.analysis.sampling import (
    SamplingError,
    StratumAllocation,
    allocate,
    random_seed,
    sample_size,
    stratified_sample,
)

populations = st.dictionaries(
    keys=st.text(alphabet="abcdefgh", min_size=1, max_size=3),
    values=st.integers(min_value=1, max_value=500),
    min_size=1,
    max_size=8,
)


def test_it_sizes_a_population_of_100_at_the_inspection_defaults() -> None:
    """
    90% confidence: z = Φ⁻¹(0.95) = 1.644854, z² = 2.705543.
    n0 = z² · 0.5 · 0.5 / 0.15² = 2.705543 · 0.25 / 0.0225 = 30.0616.
    n = n0 / (1 + (n0 - 1) / N) = 30.0616 / (1 + 29.0616 / 100) = 30.0616 / 1.290616 = 23.29,
    rounded up: 24 records.
    """
    assert sample_size(population=100) == 24


def test_it_sizes_a_population_of_10000_at_the_inspection_defaults() -> None:
    """n = 30.0616 / (1 + 29.0616 / 10,000) = 30.0616 / 1.00290616 = 29.97, rounded up: 30."""
    assert sample_size(population=10_000) == 30


def test_it_approaches_the_uncorrected_size_for_a_huge_population() -> None:
    """Without the correction n0 = 30.0616, so a very large population needs 31 records."""
    assert sample_size(population=10**12) == 31


def test_it_uses_the_confidence_and_margin_given() -> None:
    """95%, 10%: n0 = 1.959964² · 0.25 / 0.01 = 96.04; N = 500: 96.04 / 1.19008 = 80.7 → 81."""
    assert sample_size(population=500, confidence=0.95, margin=0.1) == 81


def test_it_never_asks_for_more_records_than_there_are() -> None:
    assert [sample_size(population=n) for n in (1, 2, 3)] == [1, 2, 3]


@pytest.mark.parametrize("margin", [0.7, 0.0, -0.1])
def test_it_rejects_a_margin_outside_zero_to_a_half(margin: float) -> None:
    with pytest.raises(SamplingError) as raised:
        sample_size(population=100, margin=margin)
    assert str(raised.value) == f"margin must be more than 0 and at most 0.5, not {margin:g}"


def test_it_accepts_a_margin_of_exactly_a_half() -> None:
    assert sample_size(population=100, margin=0.5) == 3


@pytest.mark.parametrize(
    ("arguments", "problem"),
    [
        ({"population": 0}, "population must be at least 1, not 0"),
        ({"population": 100, "confidence": 1.0}, "confidence must be more than 0"),
        ({"population": 100, "confidence": 0.0}, "confidence must be more than 0"),
        ({"population": 100, "p": 1.0}, "p must be more than 0 and less than 1"),
    ],
)
def test_it_rejects_impossible_settings(arguments: dict[str, float], problem: str) -> None:
    with pytest.raises(SamplingError, match=problem):
        sample_size(**arguments)  # type: ignore[arg-type]


@given(
    small=st.integers(min_value=1, max_value=100_000),
    extra=st.integers(min_value=0, max_value=100_000),
    confidence=st.floats(min_value=0.5, max_value=0.999),
    margin=st.floats(min_value=0.01, max_value=0.5),
)
def test_it_grows_with_the_population_and_never_exceeds_it(
    small: int, extra: int, confidence: float, margin: float
) -> None:
    smaller = sample_size(population=small, confidence=confidence, margin=margin)
    larger = sample_size(population=small + extra, confidence=confidence, margin=margin)
    assert 1 <= smaller <= small
    assert smaller <= larger <= small + extra


def test_it_allocates_in_proportion_to_the_strata() -> None:
    allocation = allocate(populations={"a": 50, "b": 30, "c": 20}, size=10)
    assert allocation == (
        StratumAllocation("a", 50, 5),
        StratumAllocation("b", 30, 3),
        StratumAllocation("c", 20, 2),
    )


def test_it_gives_left_over_rows_to_the_largest_remainders_then_the_larger_stratum() -> None:
    """
    Given shares 4.5 (a), 3.5 (b) and 2.0 (c) of a sample of 10
    When the one row left after the whole parts is given out
    Then it goes to a, whose remainder ties with b's but whose stratum is larger
    """
    allocation = allocate(populations={"a": 45, "b": 35, "c": 20}, size=10)
    assert [line.allocated for line in allocation] == [5, 3, 2]


def test_it_raises_small_strata_to_the_minimum() -> None:
    """Shares 0.03, 0.03 and 2.94 of 3: with a minimum of 1, every stratum gets one."""
    without = allocate(populations={"a": 1, "b": 1, "c": 98}, size=3)
    with_minimum = allocate(populations={"a": 1, "b": 1, "c": 98}, size=3, minimum=1)
    assert [line.allocated for line in without] == [0, 0, 3]
    assert [line.allocated for line in with_minimum] == [1, 1, 1]


def test_it_caps_the_minimum_at_the_size_of_a_stratum() -> None:
    allocation = allocate(populations={"a": 2, "b": 100}, size=10, minimum=5)
    assert [line.allocated for line in allocation] == [2, 8]


def test_it_says_when_the_minimums_need_more_rows_than_the_sample() -> None:
    with pytest.raises(SamplingError) as raised:
        allocate(populations={"a": 10, "b": 10, "c": 10, "d": 10}, size=10, minimum=3)
    assert str(raised.value) == (
        "the minimum of 3 per stratum needs 12 rows across 4 strata, more than the sample size "
        "of 10: lower the minimum or raise the size"
    )


def test_it_refuses_a_sample_larger_than_the_population() -> None:
    with pytest.raises(SamplingError) as raised:
        stratified_sample(strata=["all"] * 20, size=21, seed=1)
    assert str(raised.value) == "sample size 21 is larger than the population of 20 rows"


@pytest.mark.parametrize(
    ("strata", "size", "seed", "problem"),
    [
        (["all"] * 5, 0, 1, "sample size must be at least 1, not 0"),
        ([], 1, 1, "there are no rows to sample from"),
        (["all"] * 5, 2, -1, "seed must be a whole number of at least 0, not -1"),
    ],
)
def test_it_rejects_a_draw_that_cannot_be_made(
    strata: list[str], size: int, seed: int, problem: str
) -> None:
    with pytest.raises(SamplingError) as raised:
        stratified_sample(strata=strata, size=size, seed=seed)
    assert str(raised.value) == problem


def test_it_reproduces_a_recorded_draw() -> None:
    """A seed written in an inspection's records must give the same children years later."""
    drawn = stratified_sample(strata=["a"] * 10 + ["b"] * 20 + ["c"] * 30, size=6, seed=2024)
    assert drawn.indices == (2, 11, 22, 38, 57, 58)
    assert drawn.seed == 2024


def test_it_draws_each_stratum_its_allocation_of_distinct_rows_in_input_order() -> None:
    strata = ["cp"] * 40 + ["lac"] * 60 + ["cp"] * 20 + ["vyp"] * 30
    drawn = stratified_sample(strata=strata, size=30, seed=7)
    assert list(drawn.indices) == sorted(set(drawn.indices))
    drawn_per_stratum = Counter(strata[i] for i in drawn.indices)
    assert {line.stratum: line.allocated for line in drawn.allocation} == drawn_per_stratum
    assert drawn_per_stratum == {"cp": 12, "lac": 12, "vyp": 6}


def test_different_seeds_draw_different_samples() -> None:
    strata = ["all"] * 1000
    first = stratified_sample(strata=strata, size=50, seed=1)
    second = stratified_sample(strata=strata, size=50, seed=2)
    assert first.indices != second.indices


def test_a_fresh_seed_is_a_non_negative_whole_number_that_can_be_recorded() -> None:
    seeds = {random_seed() for _ in range(20)}
    assert all(isinstance(seed, int) and 0 <= seed < 2**32 for seed in seeds)
    assert len(seeds) > 1


@given(populations=populations, data=st.data())
def test_allocations_add_up_to_the_size_and_never_exceed_a_stratum(
    populations: dict[str, int], data: st.DataObject
) -> None:
    total = sum(populations.values())
    size = data.draw(st.integers(min_value=1, max_value=total))
    allocation = allocate(populations=populations, size=size)
    assert sum(line.allocated for line in allocation) == size
    for line in allocation:
        assert 0 <= line.allocated <= line.population
        exact_share = size * line.population / total
        assert abs(line.allocated - exact_share) < 1


@given(populations=populations, data=st.data())
def test_allocations_respect_a_feasible_minimum(
    populations: dict[str, int], data: st.DataObject
) -> None:
    minimum = data.draw(st.integers(min_value=0, max_value=10))
    needed = sum(min(minimum, count) for count in populations.values())
    total = sum(populations.values())
    size = data.draw(st.integers(min_value=max(1, needed), max_value=max(1, total)))
    allocation = allocate(populations=populations, size=size, minimum=minimum)
    assert sum(line.allocated for line in allocation) == size
    for line in allocation:
        assert min(minimum, line.population) <= line.allocated <= line.population


@given(
    strata=st.lists(st.sampled_from(["cp", "lac", "vyp"]), min_size=1, max_size=300),
    seed=st.integers(min_value=0, max_value=2**63),
    data=st.data(),
)
def test_the_same_seed_draws_the_same_sample(
    strata: list[str], seed: int, data: st.DataObject
) -> None:
    size = data.draw(st.integers(min_value=1, max_value=len(strata)))
    first = stratified_sample(strata=strata, size=size, seed=seed)
    again = stratified_sample(strata=list(strata), size=size, seed=seed)
    assert first == again
    assert first.size == size
    assert all(0 <= i < len(strata) for i in first.indices)


def test_it_samples_a_single_stratum_like_a_simple_random_sample() -> None:
    drawn = stratified_sample(strata=["all"] * 100, size=24, seed=3)
    assert drawn.allocation == (StratumAllocation("all", 100, 24),)
    assert len(set(drawn.indices)) == 24
