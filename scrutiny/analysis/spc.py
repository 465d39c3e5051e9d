"""Statistical process control: is a change in a measure real, or noise?

Four charts, all returning the same :class:`SpcResult`:

* :func:`xmr_chart` — the XmR chart of NHS England's *Making Data Count*, with the rules, point
  types, icons, rebasing, screening and fixed limits as implemented by the R package
  NHSRplotthedots;
* :func:`run_chart` — the IHI run chart (shift and trend rules) with the Anhøj runs analysis of
  qicharts2;
* :func:`p_chart` and :func:`u_chart` — proportions and rates with varying denominators, limits
  per point from the binomial or Poisson model, judged with the same rules as the XmR chart.

The domain specification is ``shared/domain/spc.md``. Plain data in, plain data out: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
SignArray = NDArray[np.int8]
BoolArray = NDArray[np.bool_]

# Making Data Count constants, exactly as NHSRplotthedots writes them.
LIMIT_SIGMAS = 2.66
NEAR_LIMIT_SIGMAS = 2 * (LIMIT_SIGMAS / 3)
SCREEN_MOVING_RANGE_ABOVE = 3.267
TRIAL_LIMITS_BELOW = 13
XMR_RUN_LENGTH = 7
# IHI run chart rules.
RUN_CHART_SHIFT_LENGTH = 6
RUN_CHART_TREND_LENGTH = 5
# The exact crossings quantile sums big integers (quadratic time); SciPy takes over beyond this.
EXACT_QUANTILE_MAX_TRIALS = 20_000

MESSAGE_LENGTHS_DIFFER = (
    "There are {periods} periods but {values} values; give one value per period."
)
MESSAGE_TOO_FEW = "{chart} needs at least {needed} {points}; {given} {were} given."
MESSAGE_TOO_FEW_IN_GROUP = (
    "{chart} needs at least {needed} {points} in each group; the group starting at "
    "period {start!r} has {given}."
)
MESSAGE_NOT_FINITE = (
    "The value for period {period!r} is {value}: every value must be a finite number."
)
MESSAGE_DUPLICATE_PERIOD = (
    "Period {period!r} appears more than once (points {first} and {second}); "
    "each period must appear once."
)
MESSAGE_UNKNOWN_REBASE = "Cannot rebase at period {period!r}: it is not one of the periods."
MESSAGE_FIX_AFTER = "{chart} can fix its limits after {needed} or more points, not after {given}."
MESSAGE_BAD_DENOMINATOR = (
    "The denominator for period {period!r} is {value}: denominators must be greater than 0."
)
MESSAGE_BAD_NUMERATOR = (
    "The numerator for period {period!r} is {value}: numerators must be 0 or more{and_at_most}."
)
MESSAGE_BAD_MULTIPLIER = "The multiplier must be greater than 0, not {value}."


class Chart(StrEnum):
    XMR = "xmr"
    RUN = "run"
    P = "p"
    U = "u"


class Improvement(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class Rule(StrEnum):
    """Special-cause rules, in order of precedence."""

    OUTSIDE_LIMITS = "outside_limits"
    TREND = "trend"
    TWO_IN_THREE = "two_in_three"
    SHIFT = "shift"


class PointType(StrEnum):
    COMMON_CAUSE = "common_cause"
    SPECIAL_CAUSE_IMPROVEMENT = "special_cause_improvement"
    SPECIAL_CAUSE_CONCERN = "special_cause_concern"
    SPECIAL_CAUSE_NEUTRAL_HIGH = "special_cause_neutral_high"
    SPECIAL_CAUSE_NEUTRAL_LOW = "special_cause_neutral_low"


class Variation(StrEnum):
    COMMON_CAUSE = "common_cause"
    IMPROVEMENT_HIGH = "improvement_high"
    IMPROVEMENT_LOW = "improvement_low"
    CONCERN_HIGH = "concern_high"
    CONCERN_LOW = "concern_low"
    NEUTRAL_HIGH = "neutral_high"
    NEUTRAL_LOW = "neutral_low"


class Assurance(StrEnum):
    CONSISTENT_PASS = "consistent_pass"  # noqa: S105  (not a password)
    CONSISTENT_FAIL = "consistent_fail"
    INCONSISTENT = "inconsistent"


class SpcInputError(ValueError):
    """Data no chart can be drawn from. The message says what was wrong and what was expected;
    ``index`` is the 0-based position of the offending point when there is one."""

    def __init__(self, message: str, *, index: int | None = None) -> None:
        super().__init__(message)
        self.index = index


class TooFewPointsError(SpcInputError):
    pass


class NonFiniteValueError(SpcInputError):
    pass


class DuplicatePeriodError(SpcInputError):
    pass


class UnknownRebasePeriodError(SpcInputError):
    pass


@dataclass(frozen=True, slots=True)
class SpcOptions:
    """How to draw and judge a chart.

    ``fix_after``: compute each group's centre and limits from its first ``fix_after`` points
    only (the baseline) and judge the later points against them. ``rebase``: periods that start
    a new group with its own centre and limits. ``screen``: drop moving ranges of 3.267 times the
    average moving range or more before computing XmR limits (NHSRplotthedots' default; off in
    the Making Data Count spreadsheet). ``unit``: the word for one period in the summary
    ("month", "quarter"); the plural adds an "s".
    """

    improvement: Improvement = Improvement.NEUTRAL
    target: float | None = None
    screen: bool = False
    fix_after: int | None = None
    rebase: tuple[str, ...] = ()
    unit: str = "point"


@dataclass(frozen=True, slots=True)
class RunsAnalysis:
    """The Anhøj runs analysis of a run chart (as qicharts2's ``runs.analysis``).

    ``useful`` counts the points not on the centre line; the other numbers are ``None`` when
    there are none. ``crossings_min`` is ``qbinom(0.05, useful - 1, 0.5)``: the smallest x with
    P(X ≤ x) ≥ 0.05 for X ~ Binomial(useful - 1, 1/2).
    """

    useful: int
    longest_run: int | None
    longest_run_limit: int | None
    crossings: int | None
    crossings_min: int | None
    signal: bool


@dataclass(frozen=True, slots=True)
class SpcGroup:
    """A stretch of points sharing one centre line and one set of limits.

    ``lower``/``upper`` (and the near limits) are ``None`` for run charts, and for p- and
    u-charts, whose limits differ from point to point. ``baseline`` is the number of points the
    centre and limits were computed from.
    """

    start: str
    end: str
    n: int
    baseline: int
    centre: float
    lower: float | None
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    trial_limits: bool
    runs: RunsAnalysis | None


@dataclass(frozen=True, slots=True)
class SpcPoint:
    period: str
    value: float
    centre: float
    lower: float | None
    upper: float | None
    near_lower: float | None
    near_upper: float | None
    rule: Rule | None
    point_type: PointType
    group: int


@dataclass(frozen=True, slots=True)
class SpcResult:
    """``runs`` is the runs analysis of the latest group (run charts only)."""

    chart: Chart
    improvement: Improvement
    target: float | None
    unit: str
    groups: tuple[SpcGroup, ...]
    points: tuple[SpcPoint, ...]
    variation: Variation
    assurance: Assurance | None
    runs: RunsAnalysis | None
    summary: str


# Rule codes, in order of precedence; 0 is no rule.
_NO_RULE = 0
_RULES: tuple[Rule, ...] = (Rule.OUTSIDE_LIMITS, Rule.TREND, Rule.TWO_IN_THREE, Rule.SHIFT)
_CODE = {rule: code for code, rule in enumerate(_RULES, start=1)}

_CHART_NAMES = {
    Chart.XMR: "An XmR chart",
    Chart.RUN: "A run chart",
    Chart.P: "A p-chart",
    Chart.U: "A u-chart",
}
_MINIMUM_POINTS = {Chart.XMR: 2, Chart.RUN: 1, Chart.P: 1, Chart.U: 1}


@dataclass(frozen=True, slots=True)
class _Limits:
    """One group's centre and per-point limits (``None`` for run charts)."""

    centre: float
    baseline: int
    lower: FloatArray | None
    upper: FloatArray | None
    near_lower: FloatArray | None
    near_upper: FloatArray | None
    constant: bool


# ---------------------------------------------------------------------------------------------
# Public entry points


def xmr_chart(
    *,
    periods: Sequence[str],
    values: Sequence[float] | FloatArray,
    options: SpcOptions | None = None,
) -> SpcResult:
    """The Making Data Count XmR chart (individuals with moving-range limits)."""
    options = options or SpcOptions()
    y = _checked_series(Chart.XMR, periods, values, options)
    bounds = _group_bounds(Chart.XMR, periods, options.rebase)

    def limits(start: int, end: int) -> _Limits:
        return _xmr_limits(y[start:end], fix_after=options.fix_after, screen=options.screen)

    return _control_chart(Chart.XMR, periods, y, bounds, limits, options)


def p_chart(
    *,
    periods: Sequence[str],
    numerators: Sequence[float] | FloatArray,
    denominators: Sequence[float] | FloatArray,
    options: SpcOptions | None = None,
    multiplier: float = 1.0,
) -> SpcResult:
    """Proportions with varying denominators: p̄ ± 3 √(p̄(1 - p̄)/n_i), clipped to [0, 1].

    p̄ is the pooled proportion Σ numerators / Σ denominators of the baseline points. Values,
    centre and limits are multiplied by ``multiplier`` (100 for percentages).
    """
    return _ratio_chart(Chart.P, periods, numerators, denominators, options, multiplier)


def u_chart(
    *,
    periods: Sequence[str],
    numerators: Sequence[float] | FloatArray,
    denominators: Sequence[float] | FloatArray,
    options: SpcOptions | None = None,
    multiplier: float = 1.0,
) -> SpcResult:
    """Rates: ū ± 3 √(ū/n_i), the lower limit clipped at 0.

    ū is the pooled rate Σ numerators / Σ denominators of the baseline points. Values, centre
    and limits are multiplied by ``multiplier`` (1000 for a rate per 1,000).
    """
    return _ratio_chart(Chart.U, periods, numerators, denominators, options, multiplier)


def run_chart(
    *,
    periods: Sequence[str],
    values: Sequence[float] | FloatArray,
    options: SpcOptions | None = None,
) -> SpcResult:
    """The IHI run chart around the median of the baseline points, with the Anhøj analysis.

    A shift is 6 or more points in a row on one side of the median (points on the median
    neither count nor break it); a trend is 5 or more points each going up (or down), repeated
    equal values counting once (all of them are marked). When both flag a point the trend
    wins, as on the XmR chart. There are no limits, so there is no assurance.
    """
    options = options or SpcOptions()
    y = _checked_series(Chart.RUN, periods, values, options)
    bounds = _group_bounds(Chart.RUN, periods, options.rebase)
    codes = np.zeros(len(y), dtype=np.int8)
    directions = np.zeros(len(y), dtype=np.int8)
    group_limits: list[_Limits] = []
    analyses: list[RunsAnalysis] = []
    for start, end in bounds:
        segment = y[start:end]
        baseline = segment[: options.fix_after] if options.fix_after else segment
        centre = float(np.median(baseline))
        group_limits.append(_Limits(centre, len(baseline), None, None, None, None, constant=True))
        side = _sign(segment - centre)
        codes[start:end], directions[start:end] = _run_chart_rules(segment, side)
        analyses.append(runs_analysis(side))
    return _assemble(
        Chart.RUN, periods, y, bounds, group_limits, codes, directions, options, analyses
    )


def runs_analysis(side: Sequence[int] | SignArray) -> RunsAnalysis:
    """The Anhøj runs analysis of the sides (-1 below, 0 on, +1 above) of a centre line."""
    signs = np.asarray(side, dtype=np.int8)
    useful = signs[signs != 0]
    n = len(useful)
    if n == 0:
        return RunsAnalysis(0, None, None, None, None, signal=False)
    _, lengths, _ = _runs(useful)
    longest = int(lengths.max())
    crossings = len(lengths) - 1
    longest_limit = round(math.log2(n)) + 3
    crossings_min = crossings_lower_limit(n)
    signal = longest > longest_limit or crossings < crossings_min
    return RunsAnalysis(n, longest, longest_limit, crossings, crossings_min, signal=signal)


def crossings_lower_limit(useful: int) -> int:
    """``qbinom(0.05, useful - 1, 0.5)`` in R: the smallest x with P(X ≤ x) ≥ 0.05, X ~ Bin(m, ½).

    Computed exactly with integers (20 · Σ_{k≤x} C(m, k) ≥ 2^m; equality cannot happen, so no
    rounding question arises) up to ``EXACT_QUANTILE_MAX_TRIALS`` trials, by SciPy beyond.
    """
    trials = max(useful - 1, 0)
    if trials > EXACT_QUANTILE_MAX_TRIALS:
        from scipy.stats import binom

        return int(binom.ppf(0.05, trials, 0.5))
    total = 1 << trials
    cumulative = 0
    coefficient = 1
    for k in range(trials + 1):
        cumulative += coefficient
        if 20 * cumulative >= total:
            return k
        coefficient = coefficient * (trials - k) // (k + 1)
    return trials


# ---------------------------------------------------------------------------------------------
# Input checks and groups


def _checked_series(
    chart: Chart, periods: Sequence[str], values: Sequence[float] | FloatArray, options: SpcOptions
) -> FloatArray:
    if len(periods) != len(values):
        raise SpcInputError(MESSAGE_LENGTHS_DIFFER.format(periods=len(periods), values=len(values)))
    y = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(y)
    if not finite.all():
        index = int(np.flatnonzero(~finite)[0])
        message = MESSAGE_NOT_FINITE.format(period=periods[index], value=y[index])
        raise NonFiniteValueError(message, index=index)
    _check_unique(periods)
    needed = _MINIMUM_POINTS[chart]
    if len(y) < needed:
        raise TooFewPointsError(
            MESSAGE_TOO_FEW.format(
                chart=_CHART_NAMES[chart],
                needed=needed,
                points=_plural(needed, "point"),
                given=len(y),
                were="was" if len(y) == 1 else "were",
            )
        )
    if options.fix_after is not None and options.fix_after < needed:
        raise SpcInputError(
            MESSAGE_FIX_AFTER.format(
                chart=_CHART_NAMES[chart], needed=needed, given=options.fix_after
            )
        )
    return y


def _check_unique(periods: Sequence[str]) -> None:
    seen: dict[str, int] = {}
    for index, period in enumerate(periods):
        first = seen.setdefault(period, index)
        if first != index:
            message = MESSAGE_DUPLICATE_PERIOD.format(
                period=period, first=first + 1, second=index + 1
            )
            raise DuplicatePeriodError(message, index=index)


def _group_bounds(
    chart: Chart, periods: Sequence[str], rebase: Sequence[str]
) -> list[tuple[int, int]]:
    position = {period: index for index, period in enumerate(periods)}
    starts = {0}
    for period in rebase:
        if period not in position:
            raise UnknownRebasePeriodError(MESSAGE_UNKNOWN_REBASE.format(period=period))
        starts.add(position[period])
    ordered = sorted(starts)
    bounds = list(zip(ordered, [*ordered[1:], len(periods)], strict=True))
    needed = _MINIMUM_POINTS[chart]
    for start, end in bounds:
        if end - start < needed:
            raise TooFewPointsError(
                MESSAGE_TOO_FEW_IN_GROUP.format(
                    chart=_CHART_NAMES[chart],
                    needed=needed,
                    points=_plural(needed, "point"),
                    start=periods[start],
                    given=end - start,
                ),
                index=start,
            )
    return bounds


# ---------------------------------------------------------------------------------------------
# Limits


def _xmr_limits(segment: FloatArray, *, fix_after: int | None, screen: bool) -> _Limits:
    baseline = segment[:fix_after] if fix_after else segment
    mean = _mean(baseline)
    moving_ranges = np.abs(np.diff(baseline))
    amr = float(moving_ranges.mean())
    if screen and amr > 0:
        amr = float(moving_ranges[moving_ranges < SCREEN_MOVING_RANGE_ABOVE * amr].mean())
    n = len(segment)
    return _Limits(
        centre=mean,
        baseline=len(baseline),
        lower=np.full(n, mean - LIMIT_SIGMAS * amr),
        upper=np.full(n, mean + LIMIT_SIGMAS * amr),
        near_lower=np.full(n, mean - NEAR_LIMIT_SIGMAS * amr),
        near_upper=np.full(n, mean + NEAR_LIMIT_SIGMAS * amr),
        constant=True,
    )


def _mean(values: FloatArray) -> float:
    """The mean, refined by a second pass as R's ``mean`` does: the mean of a constant series
    is then exactly its value, so its points sit exactly on the centre line."""
    n = len(values)
    mean = math.fsum(values.tolist()) / n
    return mean + math.fsum((values - mean).tolist()) / n


def _ratio_chart(
    chart: Chart,
    periods: Sequence[str],
    numerators: Sequence[float] | FloatArray,
    denominators: Sequence[float] | FloatArray,
    options: SpcOptions | None,
    multiplier: float,
) -> SpcResult:
    options = options or SpcOptions()
    if not (math.isfinite(multiplier) and multiplier > 0):
        raise SpcInputError(MESSAGE_BAD_MULTIPLIER.format(value=multiplier))
    counts = _checked_series(chart, periods, numerators, options)
    sizes = np.asarray(denominators, dtype=np.float64)
    if len(sizes) != len(counts):
        raise SpcInputError(MESSAGE_LENGTHS_DIFFER.format(periods=len(periods), values=len(sizes)))
    bad = np.flatnonzero(~(np.isfinite(sizes) & (sizes > 0)))
    if len(bad):
        index = int(bad[0])
        message = MESSAGE_BAD_DENOMINATOR.format(period=periods[index], value=sizes[index])
        raise SpcInputError(message, index=index)
    impossible = counts < 0
    if chart is Chart.P:
        impossible |= counts > sizes
    bad = np.flatnonzero(impossible)
    if len(bad):
        index = int(bad[0])
        message = MESSAGE_BAD_NUMERATOR.format(
            period=periods[index],
            value=counts[index],
            and_at_most=" and at most the denominator" if chart is Chart.P else "",
        )
        raise SpcInputError(message, index=index)
    bounds = _group_bounds(chart, periods, options.rebase)

    def limits(start: int, end: int) -> _Limits:
        n = sizes[start:end]
        base = slice(0, options.fix_after) if options.fix_after else slice(None)
        centre = float(counts[start:end][base].sum() / n[base].sum())
        if chart is Chart.P:
            sigma = np.sqrt(centre * (1 - centre) / n)
            ceiling = 1.0
        else:
            sigma = np.sqrt(centre / n)
            ceiling = math.inf
        return _Limits(
            centre=centre * multiplier,
            baseline=len(n[base]),
            lower=np.clip(centre - 3 * sigma, 0, ceiling) * multiplier,
            upper=np.clip(centre + 3 * sigma, 0, ceiling) * multiplier,
            near_lower=np.clip(centre - 2 * sigma, 0, ceiling) * multiplier,
            near_upper=np.clip(centre + 2 * sigma, 0, ceiling) * multiplier,
            constant=False,
        )

    return _control_chart(chart, periods, counts / sizes * multiplier, bounds, limits, options)


# ---------------------------------------------------------------------------------------------
# Rules


def _control_chart(
    chart: Chart,
    periods: Sequence[str],
    y: FloatArray,
    bounds: list[tuple[int, int]],
    limits_for: Callable[[int, int], _Limits],
    options: SpcOptions,
) -> SpcResult:
    codes = np.zeros(len(y), dtype=np.int8)
    directions = np.zeros(len(y), dtype=np.int8)
    group_limits = []
    for start, end in bounds:
        limits = limits_for(start, end)
        group_limits.append(limits)
        codes[start:end], directions[start:end] = _control_rules(y[start:end], limits)
    return _assemble(chart, periods, y, bounds, group_limits, codes, directions, options, None)


def _control_rules(y: FloatArray, limits: _Limits) -> tuple[NDArray[np.int8], SignArray]:
    """Each point's rule code (highest precedence) and the direction of its signal."""
    assert limits.lower is not None and limits.upper is not None
    assert limits.near_lower is not None and limits.near_upper is not None
    side = _sign(y - limits.centre)
    outside = (y > limits.upper) | (y < limits.lower)
    trend, trend_direction = _trend(y, XMR_RUN_LENGTH)
    close = ~outside & ((y < limits.near_lower) | (y > limits.near_upper))
    two_in_three = _two_in_three(close, side)
    shift = _shift(side, XMR_RUN_LENGTH)
    codes = np.select(
        [outside, trend, two_in_three, shift],
        [_CODE[rule] for rule in _RULES],
        default=_NO_RULE,
    ).astype(np.int8)
    directions = np.where(trend & ~outside, trend_direction, side).astype(np.int8)
    return codes, np.where(codes == _NO_RULE, 0, directions).astype(np.int8)


def _run_chart_rules(y: FloatArray, side: SignArray) -> tuple[NDArray[np.int8], SignArray]:
    # Repeated equal values count once: judge the trend on blocks of equal consecutive values.
    first_of_block = np.concatenate(([True], y[1:] != y[:-1]))
    block = np.cumsum(first_of_block) - 1
    block_trend, block_direction = _trend(y[first_of_block], RUN_CHART_TREND_LENGTH)
    trend, trend_direction = block_trend[block], block_direction[block]
    # Points on the median neither count nor break a shift.
    useful = np.flatnonzero(side != 0)
    shift = np.zeros(len(y), dtype=np.bool_)
    shift[useful] = _shift(side[useful], RUN_CHART_SHIFT_LENGTH)
    codes = np.select(
        [trend, shift], [_CODE[Rule.TREND], _CODE[Rule.SHIFT]], default=_NO_RULE
    ).astype(np.int8)
    directions = np.where(trend, trend_direction, np.where(shift, side, 0)).astype(np.int8)
    return codes, directions


def _trend(y: FloatArray, length: int) -> tuple[BoolArray, SignArray]:
    """Points in a run of ``length`` or more, each strictly above (below) the one before.

    A tie breaks the run; a run may cross the centre line. A point ending one trend and starting
    the next takes the direction of the later one (as NHSRplotthedots: "use right side").
    """
    flagged = np.zeros(len(y), dtype=np.bool_)
    direction = np.zeros(len(y), dtype=np.int8)
    if len(y) < length:
        return flagged, direction
    steps = _sign(np.diff(y))
    starts, lengths, signs = _runs(steps)
    for start, steps_in_run, sign in zip(starts, lengths, signs, strict=True):
        if sign != 0 and steps_in_run >= length - 1:
            flagged[start : start + steps_in_run + 1] = True
            direction[start : start + steps_in_run + 1] = sign
    return flagged, direction


def _two_in_three(close: BoolArray, side: SignArray) -> BoolArray:
    """Close points in a window of three with two or more close and all three on one side."""
    flagged = np.zeros(len(close), dtype=np.bool_)
    if len(close) < 3:
        return flagged
    count = close[:-2].astype(np.int8) + close[1:-1] + close[2:]
    same_side = np.abs(side[:-2] + side[1:-1] + side[2:]) == 3
    fired = (count >= 2) & same_side
    flagged[:-2] |= fired
    flagged[1:-1] |= fired
    flagged[2:] |= fired
    return flagged & close


def _shift(side: SignArray, length: int) -> BoolArray:
    """Points in a run of ``length`` or more on the same side (0, on the line, breaks a run)."""
    if len(side) == 0:
        return np.zeros(0, dtype=np.bool_)
    _, lengths, signs = _runs(side)
    return np.repeat((lengths >= length) & (signs != 0), lengths)


def _runs(labels: SignArray) -> tuple[NDArray[np.intp], NDArray[np.intp], SignArray]:
    """Start, length and label of each run of equal consecutive labels."""
    changes = np.flatnonzero(labels[1:] != labels[:-1]) + 1
    starts = np.concatenate(([0], changes)).astype(np.intp)
    ends = np.concatenate((changes, [len(labels)])).astype(np.intp)
    return starts, ends - starts, labels[starts]


def _sign(x: FloatArray) -> SignArray:
    return np.sign(x).astype(np.int8)


# ---------------------------------------------------------------------------------------------
# Point types, icons and the result


def _point_types(
    codes: NDArray[np.int8], directions: SignArray, improvement: Improvement
) -> list[PointType]:
    if improvement is Improvement.NEUTRAL:
        high, low = PointType.SPECIAL_CAUSE_NEUTRAL_HIGH, PointType.SPECIAL_CAUSE_NEUTRAL_LOW
    elif improvement is Improvement.INCREASE:
        high, low = PointType.SPECIAL_CAUSE_IMPROVEMENT, PointType.SPECIAL_CAUSE_CONCERN
    else:
        high, low = PointType.SPECIAL_CAUSE_CONCERN, PointType.SPECIAL_CAUSE_IMPROVEMENT
    by_direction = {1: high, -1: low, 0: PointType.COMMON_CAUSE}
    return [
        by_direction[direction] if code else PointType.COMMON_CAUSE
        for code, direction in zip(codes.tolist(), directions.tolist(), strict=True)
    ]


def variation_of(point_type: PointType, improvement: Improvement) -> Variation:
    """The variation icon for the latest point's type."""
    increase = improvement is Improvement.INCREASE
    return {
        PointType.COMMON_CAUSE: Variation.COMMON_CAUSE,
        PointType.SPECIAL_CAUSE_IMPROVEMENT: (
            Variation.IMPROVEMENT_HIGH if increase else Variation.IMPROVEMENT_LOW
        ),
        PointType.SPECIAL_CAUSE_CONCERN: (
            Variation.CONCERN_LOW if increase else Variation.CONCERN_HIGH
        ),
        PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: Variation.NEUTRAL_HIGH,
        PointType.SPECIAL_CAUSE_NEUTRAL_LOW: Variation.NEUTRAL_LOW,
    }[point_type]


def assurance_of(
    *, target: float | None, improvement: Improvement, lower: float | None, upper: float | None
) -> Assurance | None:
    """Will the process meet the target? Judged from the latest limits."""
    if target is None or improvement is Improvement.NEUTRAL or lower is None or upper is None:
        return None
    increase = improvement is Improvement.INCREASE
    if target > upper:
        return Assurance.CONSISTENT_FAIL if increase else Assurance.CONSISTENT_PASS
    if target < lower:
        return Assurance.CONSISTENT_PASS if increase else Assurance.CONSISTENT_FAIL
    return Assurance.INCONSISTENT


def _assemble(
    chart: Chart,
    periods: Sequence[str],
    y: FloatArray,
    bounds: list[tuple[int, int]],
    group_limits: list[_Limits],
    codes: NDArray[np.int8],
    directions: SignArray,
    options: SpcOptions,
    analyses: list[RunsAnalysis] | None,
) -> SpcResult:
    n = len(y)
    centre = np.empty(n)
    names = ("lower", "upper", "near_lower", "near_upper")
    limit_arrays = {name: np.empty(n) for name in names}
    groups = []
    for index, ((start, end), limits) in enumerate(zip(bounds, group_limits, strict=True)):
        centre[start:end] = limits.centre
        scalar: dict[str, float | None] = dict.fromkeys(names)
        for name in names:
            values: FloatArray | None = getattr(limits, name)
            if values is not None:
                limit_arrays[name][start:end] = values
                if limits.constant:
                    scalar[name] = float(values[0])
        groups.append(
            SpcGroup(
                start=periods[start],
                end=periods[end - 1],
                n=end - start,
                baseline=limits.baseline,
                centre=limits.centre,
                lower=scalar["lower"],
                upper=scalar["upper"],
                near_lower=scalar["near_lower"],
                near_upper=scalar["near_upper"],
                trial_limits=chart is not Chart.RUN and limits.baseline < TRIAL_LIMITS_BELOW,
                runs=analyses[index] if analyses else None,
            )
        )
    columns: dict[str, list[float] | list[None]] = {
        name: array.tolist() if chart is not Chart.RUN else [None] * n
        for name, array in limit_arrays.items()
    }
    group_of = np.repeat(np.arange(len(bounds)), [end - start for start, end in bounds])
    rules = [_RULES[code - 1] if code else None for code in codes.tolist()]
    types = _point_types(codes, directions, options.improvement)
    rows = zip(
        periods,
        y.tolist(),
        centre.tolist(),
        columns["lower"],
        columns["upper"],
        columns["near_lower"],
        columns["near_upper"],
        rules,
        types,
        group_of.tolist(),
        strict=True,
    )
    points = tuple(
        SpcPoint(
            period=str(row[0]),
            value=row[1],
            centre=row[2],
            lower=row[3],
            upper=row[4],
            near_lower=row[5],
            near_upper=row[6],
            rule=row[7],
            point_type=row[8],
            group=row[9],
        )
        for row in rows
    )
    last = points[-1]
    result = SpcResult(
        chart=chart,
        improvement=options.improvement,
        target=options.target,
        unit=options.unit,
        groups=tuple(groups),
        points=points,
        variation=variation_of(last.point_type, options.improvement),
        assurance=assurance_of(
            target=options.target,
            improvement=options.improvement,
            lower=last.lower,
            upper=last.upper,
        ),
        runs=analyses[-1] if analyses else None,
        summary="",
    )
    return replace(result, summary=summarise(result))


# ---------------------------------------------------------------------------------------------
# Plain words


def summarise(result: SpcResult) -> str:
    """A few plain sentences: the latest signal (and a run on one side of the average that it
    is part of), the centre and limits, trial limits, runs analysis and assurance."""
    sentences = [_latest_sentence(result)]
    run = _run_sentence(result)
    if run:
        sentences.append(run)
    sentences.append(_centre_sentence(result))
    trial = [group for group in result.groups if group.trial_limits]
    if trial:
        sentences.append(_trial_sentence(trial, len(result.groups)))
    if result.runs is not None:
        sentences.append(_runs_sentence(result.runs))
    target_sentence = _target_sentence(result)
    if target_sentence:
        sentences.append(target_sentence)
    return " ".join(sentences)


_KIND = {
    PointType.SPECIAL_CAUSE_IMPROVEMENT: "special cause improvement",
    PointType.SPECIAL_CAUSE_CONCERN: "special cause concern",
    PointType.SPECIAL_CAUSE_NEUTRAL_HIGH: (
        "special cause variation (high; neither better nor worse)"
    ),
    PointType.SPECIAL_CAUSE_NEUTRAL_LOW: (
        "special cause variation (low; neither better nor worse)"
    ),
}


def _latest_sentence(result: SpcResult) -> str:
    points = result.points
    last = points[-1]
    unit = result.unit
    high = last.value > last.centre
    if last.rule is None:
        sentence = (
            f"The latest {unit} ({last.period}) shows common cause variation: "
            "no sign of a real change."
        )
        earlier = sum(1 for point in points if point.rule is not None)
        if earlier:
            sentence += (
                f" Earlier, {earlier} of the {len(points)} {_plural(len(points), unit)} "
                "showed special cause variation."
            )
        return sentence
    kind = _KIND[last.point_type]
    if last.rule is Rule.OUTSIDE_LIMITS:
        where = "above the upper" if high else "below the lower"
        return (
            f"The latest {unit} ({last.period}, {_number(last.value)}) is {where} "
            f"process limit: {kind}."
        )
    if last.rule is Rule.TWO_IN_THREE:
        where = "upper" if high else "lower"
        return (
            f"Two of the last three {_plural(3, unit)} are close to the {where} process limit: "
            f"{kind}."
        )
    count, skipped = _trailing(result, last.rule)
    if last.rule is Rule.TREND:
        rising = last.point_type in _HIGH_TYPES[result.improvement]
        if result.chart is Chart.RUN:
            way = "up" if rising else "down"
            return f"The last {count} {_plural(count, unit)} have been going {way}: {kind}."
        way = "higher" if rising else "lower"
        return (
            f"The last {count} {_plural(count, unit)} have each been {way} than the one before: "
            f"{kind}."
        )
    where = "above" if high else "below"
    average = "median" if result.chart is Chart.RUN else "average"
    also = f" (besides {skipped} on the median)" if skipped else ""
    return f"The last {count} {_plural(count, unit)}{also} were all {where} the {average}: {kind}."


def _run_sentence(result: SpcResult) -> str:
    """When the latest signal is a point near or beyond a limit, but the latest points are also
    a long run on one side of the average (a shift): say so too, since it is the larger part of
    the story ("" otherwise)."""
    points = result.points
    last = points[-1]
    if result.chart is not Chart.XMR or last.rule not in (Rule.OUTSIDE_LIMITS, Rule.TWO_IN_THREE):
        return ""
    high = last.value > last.centre
    count = 0
    for point in reversed(points):
        if point.group != last.group or point.value == point.centre:
            break
        if (point.value > point.centre) != high:
            break
        count += 1
    if count < XMR_RUN_LENGTH:
        return ""
    where = "above" if high else "below"
    return f"The last {count} {_plural(count, result.unit)} were all {where} the average."


_HIGH_TYPES = {
    Improvement.INCREASE: {PointType.SPECIAL_CAUSE_IMPROVEMENT},
    Improvement.DECREASE: {PointType.SPECIAL_CAUSE_CONCERN},
    Improvement.NEUTRAL: {PointType.SPECIAL_CAUSE_NEUTRAL_HIGH},
}


def _trailing(result: SpcResult, rule: Rule) -> tuple[int, int]:
    """How many of the latest points in a row carry the rule, and how many run chart points on
    the median were passed over inside that run."""
    points = result.points
    last = points[-1]
    count = skipped = 0
    for point in reversed(points):
        if point.group != last.group:
            break
        if point.rule is rule and point.point_type is last.point_type:
            count += 1
        elif rule is Rule.SHIFT and result.chart is Chart.RUN and point.value == point.centre:
            skipped += 1
        else:
            break
    trailing_on_median = 0
    for point in reversed(points[len(points) - count - skipped :]):
        if point.rule is rule:
            break
        trailing_on_median += 1
    return count, skipped - trailing_on_median


def _centre_sentence(result: SpcResult) -> str:
    group = result.groups[-1]
    rebased = (
        f"The chart is rebased into {len(result.groups)} groups; the latest starts at "
        f"{group.start}. "
        if len(result.groups) > 1
        else ""
    )
    fixed = (
        f" (computed from its first {group.baseline} {_plural(group.baseline, result.unit)})"
        if group.baseline < group.n
        else ""
    )
    if result.chart is Chart.RUN:
        return f"{rebased}Median {_number(group.centre)}{fixed}."
    if group.lower is None or group.upper is None:
        return (
            f"{rebased}Average {_number(group.centre)}{fixed}; the process limits vary with "
            "each period's denominator."
        )
    return (
        f"{rebased}Average {_number(group.centre)}{fixed}, process limits "
        f"{_number(group.lower)} to {_number(group.upper)}."
    )


def _trial_sentence(trial: Sequence[SpcGroup], groups: int) -> str:
    if groups == 1:
        group = trial[0]
        return (
            f"These are trial limits: they rest on only {group.baseline} "
            f"{_plural(group.baseline, 'point')} (fewer than {TRIAL_LIMITS_BELOW}), so treat "
            "signals with caution."
        )
    starts = ", ".join(group.start for group in trial)
    return (
        f"Trial limits (fewer than {TRIAL_LIMITS_BELOW} points) for the "
        f"{_plural(len(trial), 'group')} starting at {starts}: treat signals with caution."
    )


def _runs_sentence(runs: RunsAnalysis) -> str:
    if runs.useful == 0 or runs.longest_run is None:
        return "Runs analysis: every point is on the median, so there is nothing to test."
    verdict = (
        "non-random variation (a signal)" if runs.signal else "no sign of non-random variation"
    )
    crossings = f"{runs.crossings} {_plural(runs.crossings or 0, 'crossing')} of the median"
    if runs.crossings_min:
        crossings += f" (at least {runs.crossings_min} expected)"
    else:
        crossings += " (too few points for crossings to tell anything)"
    return (
        f"Runs analysis (Anhøj): longest run {runs.longest_run} (limit "
        f"{runs.longest_run_limit}), {crossings}: {verdict}."
    )


_ASSURANCE_WORDS = {
    Assurance.CONSISTENT_PASS: "the process will consistently meet it",
    Assurance.CONSISTENT_FAIL: "the process will consistently fail to meet it",
    Assurance.INCONSISTENT: "the process will sometimes meet it and sometimes not",
}


def _target_sentence(result: SpcResult) -> str | None:
    if result.target is None:
        return None
    target = _number(result.target)
    if result.assurance is not None:
        return f"Target {target}: {_ASSURANCE_WORDS[result.assurance]}."
    if result.chart is Chart.RUN:
        return f"Target {target}: a run chart has no process limits to judge it against."
    return (
        f"Target {target}: choose whether an increase or a decrease is an improvement to judge "
        "whether it will be met."
    )


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _number(value: float) -> str:
    """A number for a sentence: about four significant figures, no trailing zeros."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    decimals = min(max(3 - math.floor(math.log10(abs(value))), 0), 6)
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
