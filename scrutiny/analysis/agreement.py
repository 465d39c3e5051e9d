"""How far coders agree when they code the same qualitative evidence.

Units are whatever was coded: whole comments, sentences or characters; callers say which.

* Percentage agreement and Cohen's kappa, for two coders who both coded every unit:
  kappa = (p_o - p_e) / (1 - p_e), with p_o the share of units on which they agree and p_e the
  agreement expected by chance from each coder's own label frequencies. For nominal labels
  (one label per unit) and, per code, for presence or absence of the code in each unit.
* Krippendorff's alpha (nominal), for any number of coders with missing codings, computed from
  the coincidence matrix: alpha = 1 - D_o / D_e.

When there is nothing to disagree about (every coding carries the same label, so p_e = 1 or
D_e = 0) both measures are 0 / 0. Scrutiny then reports 1.0, as NVivo does for complete
agreement: the coders agreed on every unit, and nothing else can be said. `PairAgreement` and
`AlphaResult` keep p_e and D_e, so a report can show that no variation was present.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass

LENGTHS_DIFFER = "the two coders coded different numbers of units: {first} and {second}"
NO_UNITS = "there are no coded units to compare"
MISSING_CODING = (
    "unit {unit} has no coding from the {coder} coder; Cohen's kappa needs both coders on every "
    "unit (Krippendorff's alpha allows missing codings)"
)
NOTHING_PAIRABLE = "no unit was coded by two or more coders, so agreement cannot be measured"

# The value of kappa or alpha when every coding carries the same label (see the module notes).
NO_VARIATION_AGREEMENT = 1.0


class AgreementError(ValueError):
    """Agreement cannot be measured from these codings; the message says why."""


@dataclass(frozen=True)
class PairAgreement:
    """Agreement between two coders over ``units`` units."""

    units: int
    agreed: int
    observed: float  # p_o: share of units with the same label
    expected: float  # p_e: agreement expected by chance
    kappa: float

    @property
    def percentage(self) -> float:
        return 100 * self.observed


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with what it was computed from."""

    alpha: float
    units: int  # units with at least two codings (pairable units)
    values: int  # n: codings in pairable units
    observed_disagreement: float  # D_o
    expected_disagreement: float  # D_e
    coincidences: dict[tuple[Hashable, Hashable], float]


def _check_lengths(first: int, second: int) -> None:
    if first != second:
        raise AgreementError(LENGTHS_DIFFER.format(first=first, second=second))
    if not first:
        raise AgreementError(NO_UNITS)


def _checked_pair(first: Sequence[Hashable | None], second: Sequence[Hashable | None]) -> int:
    _check_lengths(len(first), len(second))
    for unit, (a, b) in enumerate(zip(first, second, strict=True), start=1):
        for coder, value in (("first", a), ("second", b)):
            if value is None:
                raise AgreementError(MISSING_CODING.format(unit=unit, coder=coder))
    return len(first)


def percentage_agreement(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """The percentage (0-100) of units to which both coders gave the same label."""
    return cohen_kappa(first, second).percentage


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> PairAgreement:
    """Cohen's kappa for two coders' labels, one label per unit from each coder."""
    n = _checked_pair(first, second)
    agreed = sum(1 for a, b in zip(first, second, strict=True) if a == b)
    first_counts = Counter(first)
    second_counts = Counter(second)
    # Whole numbers throughout: p_e = chance / n², p_o = agreed / n.
    chance = sum(count * second_counts[label] for label, count in first_counts.items())
    no_variation = chance == n * n
    kappa = NO_VARIATION_AGREEMENT if no_variation else (agreed * n - chance) / (n * n - chance)
    return PairAgreement(
        units=n, agreed=agreed, observed=agreed / n, expected=chance / (n * n), kappa=kappa
    )


def presence_agreement(first: Sequence[bool], second: Sequence[bool]) -> PairAgreement:
    """Cohen's kappa for one code: whether each coder applied it to each unit."""
    return cohen_kappa([bool(value) for value in first], [bool(value) for value in second])


def code_agreements(
    first: Sequence[Collection[str]],
    second: Sequence[Collection[str]],
    *,
    codes: Iterable[str] | None = None,
) -> dict[str, PairAgreement]:
    """Presence/absence agreement per code, from the set of codes each coder gave each unit.

    ``codes`` defaults to every code either coder used; a code neither used gives complete
    agreement (kappa 1.0, see the module notes).
    """
    _check_lengths(len(first), len(second))
    names = sorted(
        set(codes) if codes is not None else {c for unit in (*first, *second) for c in unit}
    )
    return {
        code: presence_agreement(
            [code in unit for unit in first], [code in unit for unit in second]
        )
        for code in names
    }


def krippendorff_alpha(units: Sequence[Sequence[Hashable | None]]) -> AlphaResult:
    """Krippendorff's alpha for nominal codings: one sequence per unit, ``None`` for missing.

    Each unit holds the labels its coders gave (in any coder order; coders may be missing).
    Units with fewer than two labels cannot be paired and are left out. For a unit with m_u
    labels, every ordered pair of two different codings adds 1 / (m_u - 1) to the coincidence
    matrix o[c, k]; n_c = sum_k o[c, k], n = sum_c n_c, and

        D_o = sum_{c != k} o[c, k] / n,    D_e = sum_{c != k} n_c n_k / (n (n - 1)).
    """
    coincidences: dict[tuple[Hashable, Hashable], float] = {}
    pairable_units = 0
    for unit in units:
        counts = Counter(value for value in unit if value is not None)
        m = sum(counts.values())
        if m < 2:
            continue
        pairable_units += 1
        for c, count_c in counts.items():
            for k, count_k in counts.items():
                pairs = count_c * (count_k - (1 if c == k else 0))
                if pairs:
                    coincidences[c, k] = coincidences.get((c, k), 0.0) + pairs / (m - 1)
    if not pairable_units:
        raise AgreementError(NOTHING_PAIRABLE)
    totals: dict[Hashable, float] = {}
    for (c, _), weight in coincidences.items():
        totals[c] = totals.get(c, 0.0) + weight
    n = sum(totals.values())
    observed = sum(weight for (c, k), weight in coincidences.items() if c != k) / n
    expected = sum(totals[c] * totals[k] for c in totals for k in totals if c != k) / (n * (n - 1))
    alpha = NO_VARIATION_AGREEMENT if len(totals) == 1 else 1 - observed / expected
    return AlphaResult(
        alpha=alpha,
        units=pairable_units,
        values=round(n),
        observed_disagreement=observed,
        expected_disagreement=expected,
        coincidences=coincidences,
    )
