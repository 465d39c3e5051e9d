from __future__ import annotations

from collections.abc import Hashable, Sequence

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrutiny.analysis.agreement import (
    AgreementError,
    code_agreements,
    cohen_kappa,
    krippendorff_alpha,
    percentage_agreement,
    presence_agreement,
)

labels = st.sampled_from(["safe", "healthy", "nurtured", "included"])


def brute_force_alpha(units: Sequence[Sequence[Hashable | None]]) -> float:
    """Nominal alpha straight from its definition over pairable values, with no coincidence
    matrix: D_o averages disagreement over pairs of values within a unit (each unit's pairs
    weighted 1 / (m_u - 1)); D_e averages it over all pairs of pairable values in the data."""
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    within = 0.0
    for unit in pairable:
        m = len(unit)
        pairs = sum(1 for i in range(m) for j in range(m) if i != j and unit[i] != unit[j])
        within += pairs / (m - 1)
    between = sum(1 for i in range(n) for j in range(n) if i != j and values[i] != values[j])
    observed = within / n
    expected = between / (n * (n - 1))
    return 1 - observed / expected


def test_it_computes_the_textbook_kappa() -> None:
    """
    50 proposals read by two reviewers: both yes 20, A yes and B no 5, A no and B yes 10,
    both no 15. p_o = 35/50 = 0.7; A says yes to 25 (0.5), B to 30 (0.6);
    p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    """
    first = ["yes"] * 20 + ["yes"] * 5 + ["no"] * 10 + ["no"] * 15
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    result = cohen_kappa(first, second)
    assert result.observed == pytest.approx(0.7)
    assert result.expected == pytest.approx(0.5)
    assert result.kappa == pytest.approx(0.4)
    assert percentage_agreement(first, second) == pytest.approx(70.0)


def test_it_computes_a_small_kappa_and_alpha_worked_by_hand() -> None:
    """
    Three comments; coder 1 says a, a, b; coder 2 says a, b, b.
    Kappa: p_o = 2/3; p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9; kappa = (2/9) / (5/9) = 0.4.
    Alpha: coincidences o_aa = 2 (unit 1), o_ab = o_ba = 1 (unit 2), o_bb = 2 (unit 3);
    n_a = n_b = 3, n = 6; alpha = 1 - (n - 1) · (o_ab + o_ba) / (2 · n_a · n_b)
    = 1 - 5 · 2 / 18 = 4/9.
    """
    assert cohen_kappa("aab", "abb").kappa == pytest.approx(0.4)
    result = krippendorff_alpha([["a", "a"], ["a", "b"], ["b", "b"]])
    assert result.alpha == pytest.approx(4 / 9)
    assert result.coincidences == {
        ("a", "a"): 2.0,
        ("a", "b"): 1.0,
        ("b", "a"): 1.0,
        ("b", "b"): 2.0,
    }
    assert (result.units, result.values) == (3, 6)


def test_it_reproduces_krippendorffs_published_example_with_missing_values() -> None:
    """Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability": four observers,
    twelve units, some values missing; nominal alpha = 0.743."""
    x = None
    observers = [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, x, x, x],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, x, 3],
        [x, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, x],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, x],
    ]
    units = [list(unit) for unit in zip(*observers, strict=True)]
    result = krippendorff_alpha(units)
    assert result.alpha == pytest.approx(0.743, abs=5e-4)
    assert result.units == 11  # unit 12 has one value and cannot be paired
    assert result.values == 40


def test_kappa_is_one_when_both_coders_used_one_label_throughout() -> None:
    """p_e = 1 makes kappa 0 / 0; complete agreement is reported as 1.0."""
    result = cohen_kappa(["none"] * 5, ["none"] * 5)
    assert result.expected == 1.0
    assert result.kappa == 1.0


def test_alpha_is_one_when_every_coding_has_the_same_label() -> None:
    result = krippendorff_alpha([["a", "a", None], ["a", "a", "a"]])
    assert result.expected_disagreement == 0.0
    assert result.alpha == 1.0


def test_kappa_is_below_zero_when_coders_disagree_more_than_chance() -> None:
    assert cohen_kappa("abab", "baba").kappa == pytest.approx(-1.0)


def test_it_measures_agreement_on_the_presence_of_one_code() -> None:
    """Coder 1 applied the code to units 1-3, coder 2 to units 1, 2 and 4, out of 6:
    p_o = 4/6; p_e = (3/6)(3/6) + (3/6)(3/6) = 0.5; kappa = (2/3 - 1/2) / (1/2) = 1/3."""
    first = [True, True, True, False, False, False]
    second = [True, True, False, True, False, False]
    assert presence_agreement(first, second).kappa == pytest.approx(1 / 3)


def test_it_measures_presence_agreement_for_every_code() -> None:
    first = [{"safe", "healthy"}, {"safe"}, set(), {"included"}]
    second = [{"safe"}, {"safe"}, {"healthy"}, {"included"}]
    results = code_agreements(first, second)
    assert sorted(results) == ["healthy", "included", "safe"]
    assert results["safe"].kappa == 1.0
    assert results["included"].kappa == 1.0
    assert results["healthy"].agreed == 2
    assert results["healthy"].kappa == pytest.approx(-1 / 3)
    assert code_agreements(first, second, codes=["respected"])["respected"].percentage == 100.0


@pytest.mark.parametrize(
    ("first", "second", "problem"),
    [
        (["a", "b"], ["a"], "the two coders coded different numbers of units: 2 and 1"),
        ([], [], "there are no coded units to compare"),
        (["a", None], ["a", "b"], "unit 2 has no coding from the first coder"),
    ],
)
def test_it_rejects_codings_kappa_cannot_compare(
    first: list[str | None], second: list[str | None], problem: str
) -> None:
    with pytest.raises(AgreementError, match=problem):
        cohen_kappa(first, second)


def test_alpha_needs_a_unit_with_two_codings() -> None:
    with pytest.raises(AgreementError, match="no unit was coded by two or more coders"):
        krippendorff_alpha([["a", None], [None, "b"]])


@given(st.lists(labels, min_size=1, max_size=60))
def test_kappa_is_one_for_identical_codings(codings: list[str]) -> None:
    assert cohen_kappa(codings, list(codings)).kappa == 1.0


@given(st.lists(st.tuples(labels, labels), min_size=1, max_size=60))
def test_kappa_is_at_most_one_and_the_same_either_way_round(pairs: list[tuple[str, str]]) -> None:
    first = [a for a, _ in pairs]
    second = [b for _, b in pairs]
    kappa = cohen_kappa(first, second).kappa
    assert kappa <= 1.0
    assert kappa == pytest.approx(cohen_kappa(second, first).kappa)


units_with_gaps = st.lists(
    st.lists(st.one_of(st.none(), labels), min_size=1, max_size=5), min_size=1, max_size=25
)


@given(units_with_gaps)
def test_alpha_equals_a_brute_force_computation_over_pairable_values(
    units: list[list[str | None]],
) -> None:
    pairable = [[v for v in unit if v is not None] for unit in units]
    pairable = [unit for unit in pairable if len(unit) >= 2]
    if not pairable:
        with pytest.raises(AgreementError):
            krippendorff_alpha(units)
        return
    if len({v for unit in pairable for v in unit}) == 1:
        assert krippendorff_alpha(units).alpha == 1.0
        return
    assert krippendorff_alpha(units).alpha == pytest.approx(brute_force_alpha(units), abs=1e-12)
