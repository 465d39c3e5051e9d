"""How many children's records to read, and which ones.

`sample_size` sizes a simple random sample for estimating a proportion (for example, the share
of records where the child was seen) to a given confidence and margin of error, with the finite
population correction. Inspections have used 90% confidence and a 15% margin, the defaults here.

`stratified_sample` draws a stratified random sample with proportional allocation, so that each
group in the pre-inspection return (say, child protection register, looked after at home, away
from home) is represented in proportion to its size. The draw is reproducible: the same rows,
size, minimum and seed always give the same sample.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import norm

POPULATION_TOO_SMALL = "population must be at least 1, not {value}"
CONFIDENCE_OUT_OF_RANGE = "confidence must be more than 0 and less than 1, not {value:g}"
MARGIN_OUT_OF_RANGE = "margin must be more than 0 and at most 0.5, not {value:g}"
P_OUT_OF_RANGE = "the expected proportion p must be more than 0 and less than 1, not {value:g}"
SIZE_TOO_SMALL = "sample size must be at least 1, not {size}"
SIZE_TOO_LARGE = "sample size {size} is larger than the population of {population} rows"
NO_ROWS = "there are no rows to sample from"
MINIMUM_NEGATIVE = "minimum per stratum must be 0 or more, not {minimum}"
MINIMUMS_EXCEED_SIZE = (
    "the minimum of {minimum} per stratum needs {needed} rows across {strata} strata, "
    "more than the sample size of {size}: lower the minimum or raise the size"
)
SEED_INVALID = "seed must be a whole number of at least 0, not {seed}"

# Rounding noise in n0 / (1 + (n0 - 1) / N) must not push an exact whole number up by one.
_SIZE_DECIMALS = 9


class SamplingError(ValueError):
    """The sample cannot be sized or drawn as asked; the message says why, for people."""


def sample_size(
    *, population: int, confidence: float = 0.9, margin: float = 0.15, p: float = 0.5
) -> int:
    """Records to read to estimate a proportion within ``margin`` at ``confidence``.

    n0 = z² · p(1 - p) / e², with z the two-sided normal quantile for the confidence; the finite
    population correction gives n = n0 / (1 + (n0 - 1) / N), rounded up, never more than N and
    never less than 1. p = 0.5 (the default) is the most cautious assumption.
    """
    if isinstance(population, bool) or not isinstance(population, int) or population < 1:
        raise SamplingError(POPULATION_TOO_SMALL.format(value=population))
    if not 0 < confidence < 1:
        raise SamplingError(CONFIDENCE_OUT_OF_RANGE.format(value=confidence))
    if not 0 < margin <= 0.5:
        raise SamplingError(MARGIN_OUT_OF_RANGE.format(value=margin))
    if not 0 < p < 1:
        raise SamplingError(P_OUT_OF_RANGE.format(value=p))
    z = float(norm.ppf(1 - (1 - confidence) / 2))
    n0 = z * z * p * (1 - p) / (margin * margin)
    corrected = n0 / (1 + (n0 - 1) / population)
    return min(population, max(1, math.ceil(round(corrected, _SIZE_DECIMALS))))


@dataclass(frozen=True)
class StratumAllocation:
    """One line of the allocation table."""

    stratum: str
    population: int
    allocated: int


@dataclass(frozen=True)
class StratifiedSample:
    """The rows drawn (0-based indices into the input, ascending) and how they were allocated."""

    indices: tuple[int, ...]
    allocation: tuple[StratumAllocation, ...]
    seed: int

    @property
    def size(self) -> int:
        return len(self.indices)


def random_seed() -> int:
    """A fresh seed to record with a draw when the user did not give one."""
    return secrets.randbelow(2**32)


def allocate(
    *, populations: Mapping[str, int], size: int, minimum: int = 0
) -> tuple[StratumAllocation, ...]:
    """Share ``size`` among strata in proportion to their populations.

    Largest-remainder rounding: each stratum first gets the whole part of its exact share
    size x N_h / N; the rows left over go one each to the strata with the largest fractional
    parts (ties: larger stratum first, then stratum name), so the allocations add up to
    ``size`` exactly and never exceed a stratum's population.

    ``minimum`` (capped at each stratum's population) is guaranteed to every stratum: strata
    whose proportional share falls below their minimum are fixed at it, and the rest of the
    sample is shared proportionally among the others, repeating until no share falls short.
    Strata are listed in name order.
    """
    if minimum < 0:
        raise SamplingError(MINIMUM_NEGATIVE.format(minimum=minimum))
    names = sorted(populations)
    total = sum(populations.values())
    if total == 0:
        raise SamplingError(NO_ROWS)
    if size < 1:
        raise SamplingError(SIZE_TOO_SMALL.format(size=size))
    if size > total:
        raise SamplingError(SIZE_TOO_LARGE.format(size=size, population=total))
    floors = {name: min(minimum, populations[name]) for name in names}
    needed = sum(floors.values())
    if needed > size:
        raise SamplingError(
            MINIMUMS_EXCEED_SIZE.format(
                minimum=minimum, needed=needed, strata=len(names), size=size
            )
        )
    fixed: dict[str, int] = {}
    while True:
        free = [name for name in names if name not in fixed]
        shares = _largest_remainder(
            {name: populations[name] for name in free}, size - sum(fixed.values())
        )
        short = [name for name in free if shares[name] < floors[name]]
        if not short:
            break
        fixed.update((name, floors[name]) for name in short)
    allocated = {**shares, **fixed}
    return tuple(StratumAllocation(name, populations[name], allocated[name]) for name in names)


def _largest_remainder(populations: Mapping[str, int], size: int) -> dict[str, int]:
    total = sum(populations.values())
    if total == 0:
        return dict.fromkeys(populations, 0)
    # Exact integer arithmetic: share = size * N_h / total = whole + remainder / total.
    whole = {name: size * count // total for name, count in populations.items()}
    remainder = {name: size * count % total for name, count in populations.items()}
    left = size - sum(whole.values())
    order = sorted(populations, key=lambda name: (-remainder[name], -populations[name], name))
    for name in order[:left]:
        whole[name] += 1
    return whole


def stratified_sample(
    *, strata: Sequence[str], size: int, seed: int, minimum: int = 0
) -> StratifiedSample:
    """Draw ``size`` rows at random within strata, allocated proportionally.

    ``strata`` gives each row's stratum (use one value, e.g. "all", for a simple random sample).
    Rows are drawn without replacement with NumPy's default generator seeded with ``seed``:
    strata in name order, each drawing its allocation from its rows in input order.
    """
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise SamplingError(SEED_INVALID.format(seed=seed))
    rows_by_stratum: dict[str, list[int]] = {}
    for index, stratum in enumerate(strata):
        rows_by_stratum.setdefault(stratum, []).append(index)
    allocation = allocate(
        populations={name: len(rows) for name, rows in rows_by_stratum.items()},
        size=size,
        minimum=minimum,
    )
    generator = np.random.default_rng(seed)
    chosen: list[npt.NDArray[np.int64]] = []
    for line in allocation:
        if line.allocated:
            rows = np.asarray(rows_by_stratum[line.stratum], dtype=np.int64)
            chosen.append(generator.choice(rows, size=line.allocated, replace=False))
    indices = np.sort(np.concatenate(chosen))
    return StratifiedSample(
        indices=tuple(int(i) for i in indices), allocation=allocation, seed=seed
    )
