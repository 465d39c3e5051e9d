"""Confidence intervals for proportions.

The Wilson score interval behaves well for the small samples of fieldwork (a hundred records,
a few dozen survey answers) and at 0% and 100%, where the usual "p ± z·se" interval collapses
to a single point.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from scipy.stats import norm

TRIALS_TOO_SMALL = "the number of cases must be at least 1, not {trials}"
SUCCESSES_OUT_OF_RANGE = "the count must be between 0 and {trials}, not {successes}"
NOT_WHOLE = "{name} must be a whole number, not {value!r}"
CONFIDENCE_OUT_OF_RANGE = "confidence must be more than 0 and less than 1, not {value:g}"


class IntervalError(ValueError):
    """The interval cannot be computed from these numbers; the message says why."""


class Interval(NamedTuple):
    lower: float
    upper: float


def wilson_interval(successes: int, trials: int, *, confidence: float = 0.95) -> Interval:
    """Wilson score interval for ``successes`` out of ``trials``: (lower, upper) in [0, 1].

    centre = (p̂ + z²/2n) / (1 + z²/n); half-width = z / (1 + z²/n) · √(p̂(1 - p̂)/n + z²/4n²).
    At 0 successes the lower limit is exactly 0, and at ``trials`` the upper limit exactly 1.
    """
    for name, value in (("the count", successes), ("the number of cases", trials)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise IntervalError(NOT_WHOLE.format(name=name, value=value))
    if trials < 1:
        raise IntervalError(TRIALS_TOO_SMALL.format(trials=trials))
    if not 0 <= successes <= trials:
        raise IntervalError(SUCCESSES_OUT_OF_RANGE.format(trials=trials, successes=successes))
    if not 0 < confidence < 1:
        raise IntervalError(CONFIDENCE_OUT_OF_RANGE.format(value=confidence))
    z = float(norm.ppf(1 - (1 - confidence) / 2))
    n = trials
    p_hat = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p_hat + z2 / (2 * n)) / denominator
    half = z / denominator * math.sqrt(p_hat * (1 - p_hat) / n + z2 / (4 * n * n))
    # In exact arithmetic lower < p̂ < upper inside (0, 1); the clamps only absorb rounding.
    lower = 0.0 if successes == 0 else max(0.0, min(p_hat, centre - half))
    upper = 1.0 if successes == trials else min(1.0, max(p_hat, centre + half))
    return Interval(lower, upper)
