"""SPC: XmR (Making Data Count / NHSRplotthedots), run charts (IHI + Anhøj), p- and u-charts.

The worked examples are small enough to check by hand; the numbers in the docstrings are the
hand calculation.
"""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import pairwise
from math import comb

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scrutiny.analysis import spc
from scrutiny.analysis.spc import (
    Assurance,
    Chart,
    DuplicatePeriodError,
    Improvement,
    NonFiniteValueError,
    PointType,
    Rule,
    SpcInputError,
    SpcOptions,
    TooFewPointsError,
    UnknownRebasePeriodError,
    Variation,
    assurance_of,
    crossings_lower_limit,
    p_chart,
    run_chart,
    runs_analysis,
    u_chart,
    variation_of,
    xmr_chart,
)

INCREASE = SpcOptions(improvement=Improvement.INCREASE)
DECREASE = SpcOptions(improvement=Improvement.DECREASE)
# Mean 2.6, moving ranges 2, 1, 2, 1 so AMR 1.5: limits 2.6 ± 3.99, near limits 2.6 ± 2.66.
BASELINE = [1.0, 3.0, 2.0, 4.0, 3.0]
# Alternates across its mean with big moving ranges: no rule fires inside it.
NOISE_ENDING_LOW = [10.0, 0.0] * 5
NOISE_ENDING_HIGH = [0.0, 10.0] * 5


def periods(n: int) -> list[str]:
    return [f"P{i:05d}" for i in range(1, n + 1)]


def xmr(values: list[float], options: SpcOptions | None = None) -> spc.SpcResult:
    return xmr_chart(periods=periods(len(values)), values=values, options=options)


def run(values: list[float], options: SpcOptions | None = None) -> spc.SpcResult:
    return run_chart(periods=periods(len(values)), values=values, options=options)


def rules(result: spc.SpcResult) -> list[Rule | None]:
    return [point.rule for point in result.points]


def after_baseline(later: list[float], options: SpcOptions | None = None) -> spc.SpcResult:
    """The later points judged against the limits of BASELINE (fixed after 5 points)."""
    options = options or SpcOptions()
    fixed = SpcOptions(improvement=options.improvement, target=options.target, fix_after=5)
    return xmr([*BASELINE, *later], fixed)


# ---------------------------------------------------------------------------------------------
# XmR limits


def test_it_computes_the_mean_and_limits_of_a_worked_example() -> None:
    """
    Given 1, 3, 2, 4, 3: mean 13/5 = 2.6; moving ranges 2, 1, 2, 1, AMR 1.5
    Then limits 2.6 ± 2.66 x 1.5 = -1.39 and 6.59; near limits 2.6 ± (2/3 x 2.66) x 1.5 =
    -0.06 and 5.26
    """
    group = xmr(BASELINE).groups[0]
    assert group.centre == pytest.approx(2.6, abs=1e-9)
    assert group.lower == pytest.approx(-1.39, abs=1e-9)
    assert group.upper == pytest.approx(6.59, abs=1e-9)
    assert group.near_lower == pytest.approx(-0.06, abs=1e-9)
    assert group.near_upper == pytest.approx(5.26, abs=1e-9)
    assert (group.start, group.end, group.n) == ("P00001", "P00005", 5)


def test_every_point_carries_its_groups_centre_and_limits() -> None:
    result = xmr(BASELINE)
    for point in result.points:
        assert point.centre == result.groups[0].centre
        assert (point.lower, point.upper) == (result.groups[0].lower, result.groups[0].upper)


def test_it_needs_a_point_strictly_beyond_a_limit_to_flag_it() -> None:
    """A point exactly on the upper limit is inside; the next float up is outside."""
    upper = after_baseline([]).groups[0].upper
    assert upper is not None
    on_limit = after_baseline([upper])
    beyond = after_baseline([math.nextafter(upper, math.inf)])
    assert on_limit.points[-1].rule is None
    assert beyond.points[-1].rule is Rule.OUTSIDE_LIMITS


def test_it_flags_a_point_below_the_lower_limit() -> None:
    result = after_baseline([-1.4])
    assert rules(result)[-1] is Rule.OUTSIDE_LIMITS
    assert after_baseline([-1.38]).points[-1].rule is None


def test_screening_drops_large_moving_ranges_before_computing_the_limits() -> None:
    """
    Given 10, 11, 10, 11, 10, 40, 10, 11, 10, 11: mean 134/10 = 13.4; moving ranges
    1, 1, 1, 1, 30, 30, 1, 1, 1, AMR 67/9 = 7.444
    When screening: 3.267 x 7.444 = 24.3, so both 30s go and AMR is 7/7 = 1
    Then limits 13.4 ± 2.66 (screened) instead of 13.4 ± 2.66 x 67/9 (not screened)
    """
    values = [10.0, 11, 10, 11, 10, 40, 10, 11, 10, 11]
    screened = xmr(values, SpcOptions(screen=True)).groups[0]
    plain = xmr(values).groups[0]
    assert screened.upper == pytest.approx(13.4 + 2.66, abs=1e-9)
    assert screened.lower == pytest.approx(13.4 - 2.66, abs=1e-9)
    assert plain.upper == pytest.approx(13.4 + 2.66 * 67 / 9, abs=1e-9)
    assert screened.centre == plain.centre == pytest.approx(13.4, abs=1e-9)


def test_screening_leaves_the_limits_alone_when_no_moving_range_is_large() -> None:
    assert xmr(BASELINE, SpcOptions(screen=True)).groups[0] == xmr(BASELINE).groups[0]


def test_screening_a_constant_series_keeps_zero_width_limits() -> None:
    group = xmr([5.0] * 8, SpcOptions(screen=True)).groups[0]
    assert (group.lower, group.centre, group.upper) == (5.0, 5.0, 5.0)


def test_rebasing_gives_each_group_its_own_mean_and_limits() -> None:
    """
    Given BASELINE then 11, 13, 12, 14, 13, rebased at the sixth period
    Then the first group is as BASELINE, the second has mean 12.6 and AMR 1.5 (the jump of 8
    between the groups is not a moving range of either)
    """
    values = [*BASELINE, 11.0, 13, 12, 14, 13]
    result = xmr(values, SpcOptions(rebase=("P00006",)))
    first, second = result.groups
    assert (first.start, first.end, first.n) == ("P00001", "P00005", 5)
    assert (second.start, second.end, second.n) == ("P00006", "P00010", 5)
    assert first.upper == pytest.approx(6.59, abs=1e-9)
    assert second.centre == pytest.approx(12.6, abs=1e-9)
    assert second.upper == pytest.approx(12.6 + 3.99, abs=1e-9)
    assert [point.group for point in result.points] == [0] * 5 + [1] * 5
    assert result.points[7].centre == second.centre


def test_rebasing_keeps_rules_within_a_group() -> None:
    """Six points above the first mean and one above the second make no run of seven."""
    values = [0.0, 10, 0, 10, 0, 10, 0, 6, 6, 6, 6, 6, 6, 0, 10, 0, 10, 0, 10, 6]
    rebased = xmr(values, SpcOptions(rebase=("P00014",)))
    assert Rule.SHIFT not in rules(rebased)


def test_rebasing_at_the_first_period_changes_nothing() -> None:
    assert xmr(BASELINE, SpcOptions(rebase=("P00001",))).groups == xmr(BASELINE).groups


def test_fixed_limits_come_from_the_first_n_points_and_judge_the_rest() -> None:
    result = after_baseline([100.0, 100.0])
    group = result.groups[0]
    assert group.centre == pytest.approx(2.6, abs=1e-9)
    assert group.upper == pytest.approx(6.59, abs=1e-9)
    assert (group.n, group.baseline) == (7, 5)
    assert rules(result)[-2:] == [Rule.OUTSIDE_LIMITS, Rule.OUTSIDE_LIMITS]


def test_fix_after_more_points_than_the_group_has_uses_them_all() -> None:
    assert xmr(BASELINE, SpcOptions(fix_after=50)).groups[0].upper == pytest.approx(6.59)


def test_fix_after_applies_within_each_rebased_group() -> None:
    values = [*BASELINE, 100.0, 11, 13, 12, 14, 13, 100]
    result = xmr(values, SpcOptions(fix_after=5, rebase=("P00007",)))
    assert [group.centre for group in result.groups] == pytest.approx([2.6, 12.6])


def test_limits_from_fewer_than_13_points_are_trial_limits() -> None:
    assert xmr([*NOISE_ENDING_LOW, 5.0, 5.0]).groups[0].trial_limits is True  # 12 points
    assert xmr([*NOISE_ENDING_LOW, 5.0, 5.0, 5.0]).groups[0].trial_limits is False  # 13


def test_limits_fixed_after_fewer_than_13_points_are_trial_limits() -> None:
    assert xmr([float(i % 3) for i in range(30)], SpcOptions(fix_after=12)).groups[0].trial_limits


def test_the_summary_warns_of_trial_limits() -> None:
    assert "trial limits" in xmr(BASELINE).summary
    assert "trial limits" not in xmr([float(i % 3) for i in range(20)]).summary.lower()


def test_the_summary_names_the_trial_groups_of_a_rebased_chart() -> None:
    values = [float(i % 3) for i in range(20)] + BASELINE
    summary = xmr(values, SpcOptions(rebase=("P00021",))).summary
    assert "Trial limits" in summary
    assert "P00021" in summary


# ---------------------------------------------------------------------------------------------
# XmR rules


def test_it_flags_a_run_of_seven_above_the_mean() -> None:
    result = xmr([*NOISE_ENDING_LOW, *[6.0] * 7])
    assert rules(result) == [None] * 10 + [Rule.SHIFT] * 7


def test_it_does_not_flag_a_run_of_six_on_one_side() -> None:
    assert set(rules(xmr([*NOISE_ENDING_LOW, *[6.0] * 6]))) == {None}


def test_a_point_exactly_on_the_mean_breaks_a_shift() -> None:
    """
    Given the noise (sum 50) then 6, 6, 6, m, 6, 6, 6 with m = 86/16 = 5.375
    Then the mean (50 + 36 + 5.375)/17 = 5.375 = m exactly, and there are two runs of three
    """
    on_the_mean = xmr([*NOISE_ENDING_LOW, 6.0, 6, 6, 5.375, 6, 6, 6])
    assert on_the_mean.groups[0].centre == 5.375
    assert set(rules(on_the_mean)) == {None}


def test_it_flags_seven_points_each_higher_than_the_one_before() -> None:
    result = xmr([*NOISE_ENDING_HIGH, 1.0, 2, 3, 4, 5, 6, 7])
    assert rules(result) == [None] * 10 + [Rule.TREND] * 7


def test_a_trend_may_cross_the_mean() -> None:
    result = xmr([*NOISE_ENDING_HIGH, 1.0, 2, 3, 4, 5, 6, 7])
    trend = [point for point in result.points if point.rule is Rule.TREND]
    assert any(point.value < point.centre for point in trend)
    assert any(point.value > point.centre for point in trend)


def test_six_points_each_higher_are_not_a_trend() -> None:
    assert set(rules(xmr([*NOISE_ENDING_HIGH, 1.0, 2, 3, 4, 5, 6]))) == {None}


def test_a_tie_breaks_a_trend() -> None:
    assert set(rules(xmr([*NOISE_ENDING_HIGH, 1.0, 2, 3, 3, 4, 5, 6, 7]))) == {None}


def test_it_flags_a_falling_trend() -> None:
    result = xmr([*NOISE_ENDING_LOW, 7.0, 6, 5, 4, 3, 2, 1], INCREASE)
    assert rules(result)[-7:] == [Rule.TREND] * 7
    assert {point.point_type for point in result.points[-7:]} == {PointType.SPECIAL_CAUSE_CONCERN}


def test_it_flags_the_close_points_of_two_in_three_beyond_the_near_limit() -> None:
    """Against mean 2.6, near upper 5.26, upper 6.59: 5.5 and 5.5 are close, 3 is above the
    mean but not close."""
    result = after_baseline([5.5, 3.0, 5.5])
    assert rules(result)[-3:] == [Rule.TWO_IN_THREE, None, Rule.TWO_IN_THREE]


def test_two_in_three_needs_all_three_on_the_same_side_of_the_mean() -> None:
    assert set(rules(after_baseline([5.5, 2.0, 5.5]))) == {None}


def test_one_close_point_in_three_is_not_two_in_three() -> None:
    assert set(rules(after_baseline([5.5, 3.0, 3.0]))) == {None}


def test_a_point_outside_the_limits_does_not_count_as_close() -> None:
    result = after_baseline([7.0, 3.0, 5.5])
    assert rules(result)[-3:] == [Rule.OUTSIDE_LIMITS, None, None]


def test_two_in_three_below_the_mean() -> None:
    result = after_baseline([-0.1, 2.0, -0.1])
    assert rules(result)[-3:] == [Rule.TWO_IN_THREE, None, Rule.TWO_IN_THREE]


def test_outside_limits_takes_precedence_over_a_shift() -> None:
    result = after_baseline([3.0, 3.0, 3.0, 7.0, 3.0, 3.0, 3.0])
    assert rules(result)[-7:] == [Rule.SHIFT] * 3 + [Rule.OUTSIDE_LIMITS] + [Rule.SHIFT] * 3


def test_a_trend_takes_precedence_over_a_shift() -> None:
    """The baseline's 4 and 3 start a run of nine above the mean of 2.6; from the 3 on, eight
    points rise."""
    result = after_baseline([3.1, 3.2, 3.3, 3.4, 3.5, 3.6, 3.7])
    assert rules(result)[3:] == [Rule.SHIFT] + [Rule.TREND] * 8


def test_two_in_three_takes_precedence_over_a_shift() -> None:
    result = after_baseline([3.0, 3.0, 5.5, 3.0, 5.5, 3.0, 3.0])
    assert rules(result)[3:] == [Rule.SHIFT] * 4 + [
        Rule.TWO_IN_THREE,
        Rule.SHIFT,
        Rule.TWO_IN_THREE,
        Rule.SHIFT,
        Rule.SHIFT,
    ]


def test_outside_limits_takes_precedence_over_a_trend() -> None:
    result = after_baseline([0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0])
    assert rules(result)[-1] is Rule.OUTSIDE_LIMITS
    assert rules(result)[-2] is Rule.TREND


def test_no_rule_fires_on_fewer_than_three_points() -> None:
    assert rules(xmr([1.0, 100.0])) == [None, None]


# ---------------------------------------------------------------------------------------------
# Point types, variation, assurance


@pytest.mark.parametrize(
    ("improvement", "high", "low"),
    [
        (
            Improvement.INCREASE,
            PointType.SPECIAL_CAUSE_IMPROVEMENT,
            PointType.SPECIAL_CAUSE_CONCERN,
        ),
        (
            Improvement.DECREASE,
            PointType.SPECIAL_CAUSE_CONCERN,
            PointType.SPECIAL_CAUSE_IMPROVEMENT,
        ),
        (
            Improvement.NEUTRAL,
            PointType.SPECIAL_CAUSE_NEUTRAL_HIGH,
            PointType.SPECIAL_CAUSE_NEUTRAL_LOW,
        ),
    ],
)
def test_point_types_follow_the_signal_and_the_improvement_direction(
    improvement: Improvement, high: PointType, low: PointType
) -> None:
    options = SpcOptions(improvement=improvement)
    above = xmr([*NOISE_ENDING_LOW, *[6.0] * 7], options)
    below = xmr([*NOISE_ENDING_HIGH, *[4.0] * 7], options)
    assert [point.point_type for point in above.points[-7:]] == [high] * 7
    assert [point.point_type for point in below.points[-7:]] == [low] * 7
    assert {point.point_type for point in above.points[:10]} == {PointType.COMMON_CAUSE}


def test_a_falling_trend_above_the_mean_takes_the_direction_of_the_trend() -> None:
    """Seven falling points, all above the mean of 2.6: with decrease the better, an
    improvement although above the mean."""
    result = after_baseline([5.0, 4.8, 4.6, 4.4, 4.2, 4.0, 3.8], DECREASE)
    trend = result.points[-7:]
    assert all(point.value > point.centre for point in trend)
    assert {point.rule for point in trend} == {Rule.TREND}
    assert {point.point_type for point in trend} == {PointType.SPECIAL_CAUSE_IMPROVEMENT}
    assert result.variation is Variation.IMPROVEMENT_LOW


def test_a_point_between_a_rising_and_a_falling_trend_takes_the_later_direction() -> None:
    values = [*NOISE_ENDING_HIGH, 1.0, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1]
    result = xmr(values, INCREASE)
    peak = result.points[16]
    assert peak.value == 7.0
    assert peak.rule is Rule.TREND
    assert peak.point_type is PointType.SPECIAL_CAUSE_CONCERN
    assert result.points[15].point_type is PointType.SPECIAL_CAUSE_IMPROVEMENT


@pytest.mark.parametrize(
    ("point_type", "improvement", "variation"),
    [
        (PointType.COMMON_CAUSE, Improvement.INCREASE, Variation.COMMON_CAUSE),
        (PointType.COMMON_CAUSE, Improvement.NEUTRAL, Variation.COMMON_CAUSE),
        (PointType.SPECIAL_CAUSE_IMPROVEMENT, Improvement.INCREASE, Variation.IMPROVEMENT_HIGH),
        (PointType.SPECIAL_CAUSE_IMPROVEMENT, Improvement.DECREASE, Variation.IMPROVEMENT_LOW),
        (PointType.SPECIAL_CAUSE_CONCERN, Improvement.INCREASE, Variation.CONCERN_LOW),
        (PointType.SPECIAL_CAUSE_CONCERN, Improvement.DECREASE, Variation.CONCERN_HIGH),
        (PointType.SPECIAL_CAUSE_NEUTRAL_HIGH, Improvement.NEUTRAL, Variation.NEUTRAL_HIGH),
        (PointType.SPECIAL_CAUSE_NEUTRAL_LOW, Improvement.NEUTRAL, Variation.NEUTRAL_LOW),
    ],
)
def test_variation_comes_from_the_latest_point_type(
    point_type: PointType, improvement: Improvement, variation: Variation
) -> None:
    assert variation_of(point_type, improvement) is variation


def test_the_chart_variation_is_that_of_the_last_point() -> None:
    assert xmr([*NOISE_ENDING_LOW, *[6.0] * 7], DECREASE).variation is Variation.CONCERN_HIGH
    assert xmr([*NOISE_ENDING_HIGH, *[4.0] * 7], DECREASE).variation is Variation.IMPROVEMENT_LOW
    # The signal is over by the last point.
    ended = xmr([*NOISE_ENDING_LOW, *[6.0] * 7, 0.0], DECREASE)
    assert ended.variation is Variation.COMMON_CAUSE


@pytest.mark.parametrize(
    ("improvement", "target", "assurance"),
    [
        (Improvement.INCREASE, 11.0, Assurance.CONSISTENT_FAIL),
        (Improvement.INCREASE, -1.0, Assurance.CONSISTENT_PASS),
        (Improvement.INCREASE, 5.0, Assurance.INCONSISTENT),
        (Improvement.DECREASE, 11.0, Assurance.CONSISTENT_PASS),
        (Improvement.DECREASE, -1.0, Assurance.CONSISTENT_FAIL),
        (Improvement.DECREASE, 5.0, Assurance.INCONSISTENT),
        (Improvement.INCREASE, 10.0, Assurance.INCONSISTENT),  # on the limit
        (Improvement.INCREASE, 0.0, Assurance.INCONSISTENT),
    ],
)
def test_assurance_compares_the_target_with_the_latest_limits(
    improvement: Improvement, target: float, assurance: Assurance
) -> None:
    assert assurance_of(target=target, improvement=improvement, lower=0.0, upper=10.0) is assurance


def test_there_is_no_assurance_without_a_target_or_a_direction() -> None:
    assert assurance_of(target=None, improvement=Improvement.INCREASE, lower=0, upper=1) is None
    assert assurance_of(target=5.0, improvement=Improvement.NEUTRAL, lower=0, upper=1) is None
    assert xmr(BASELINE, SpcOptions(target=100.0)).assurance is None
    assert xmr(BASELINE, INCREASE).assurance is None


def test_assurance_uses_the_latest_groups_limits() -> None:
    """Target 9 is above the first group's upper limit (6.59) but inside the second's
    (12.6 ± 3.99)."""
    values = [*BASELINE, 11.0, 13, 12, 14, 13]
    options = SpcOptions(improvement=Improvement.INCREASE, target=9.0, rebase=("P00006",))
    assert xmr(values, options).assurance is Assurance.INCONSISTENT
    not_rebased = SpcOptions(improvement=Improvement.INCREASE, target=9.0)
    assert xmr(BASELINE, not_rebased).assurance is Assurance.CONSISTENT_FAIL


# ---------------------------------------------------------------------------------------------
# Summary


def test_the_summary_says_in_plain_words_what_the_latest_points_show() -> None:
    options = SpcOptions(improvement=Improvement.DECREASE, unit="quarter")
    summary = xmr([*NOISE_ENDING_HIGH, *[4.0] * 7], options).summary
    assert summary.startswith(
        "The last 7 quarters were all below the average: special cause improvement."
    )


def test_the_summary_also_gives_the_run_that_a_point_near_the_limit_ends() -> None:
    options = SpcOptions(improvement=Improvement.DECREASE, unit="year")
    steady = [10.0, 11, 10, 9, 10, 11, 10, 9, 10, 11, 10, 9, 10, 11]
    summary = xmr([*steady, *[9.5] * 6, 8.0, 9.4, 7.9], options).summary
    assert summary.startswith(
        "Two of the last three years are close to the lower process limit: special cause "
        "improvement. The last 9 years were all below the average. Average"
    )
    # No run to speak of: the near-limit sentence alone.
    alone = xmr([*steady, 11.0, 9.0, 7.9, 8.6, 7.8], options).summary
    assert alone.startswith("Two of the last three years are close to the lower process limit")
    assert "were all below" not in alone


def test_the_summary_describes_a_trend_and_a_point_outside_the_limits() -> None:
    trend = xmr([*NOISE_ENDING_HIGH, 1.0, 2, 3, 4, 5, 6, 7], INCREASE).summary
    assert trend.startswith(
        "The last 7 points have each been higher than the one before: special cause improvement."
    )
    outside = after_baseline([100.0], INCREASE).summary
    assert outside.startswith("The latest point (P00006, 100) is above the upper process limit")


def test_the_summary_says_when_the_latest_point_is_common_cause() -> None:
    summary = xmr(BASELINE).summary
    assert "common cause variation" in summary
    assert "Average 2.6, process limits -1.39 to 6.59." in summary


def test_the_summary_mentions_assurance_when_a_target_is_given() -> None:
    options = SpcOptions(improvement=Improvement.INCREASE, target=50.0)
    assert (
        "Target 50: the process will consistently fail to meet it."
        in xmr(BASELINE, options).summary
    )
    assert "Target" not in xmr(BASELINE, INCREASE).summary


def test_the_summary_asks_for_a_direction_when_a_target_has_none() -> None:
    assert (
        "choose whether an increase or a decrease" in xmr(BASELINE, SpcOptions(target=1.0)).summary
    )


# ---------------------------------------------------------------------------------------------
# Errors


def test_an_xmr_chart_needs_two_points() -> None:
    with pytest.raises(TooFewPointsError, match=r"needs at least 2 points; 1 was given"):
        xmr([1.0])
    with pytest.raises(TooFewPointsError, match=r"needs at least 2 points; 0 were given"):
        xmr([])


def test_an_xmr_chart_needs_two_points_in_each_group() -> None:
    with pytest.raises(TooFewPointsError, match=r"group starting at period 'P00005' has 1") as info:
        xmr(BASELINE, SpcOptions(rebase=("P00005",)))
    assert info.value.index == 4


def test_it_rejects_a_value_that_is_not_finite() -> None:
    with pytest.raises(NonFiniteValueError, match=r"period 'P00002' is nan") as info:
        xmr([1.0, math.nan, 3.0])
    assert info.value.index == 1
    with pytest.raises(NonFiniteValueError):
        run([1.0, math.inf])


def test_it_rejects_a_period_given_twice() -> None:
    with pytest.raises(DuplicatePeriodError, match=r"'2024' appears more than once") as info:
        xmr_chart(periods=["2023", "2024", "2024"], values=[1.0, 2.0, 3.0])
    assert info.value.index == 2


def test_it_rejects_a_rebase_period_that_is_not_in_the_series() -> None:
    with pytest.raises(UnknownRebasePeriodError, match=r"'2030'"):
        xmr(BASELINE, SpcOptions(rebase=("2030",)))


def test_it_rejects_periods_and_values_of_different_lengths() -> None:
    with pytest.raises(SpcInputError, match=r"3 periods but 2 values"):
        xmr_chart(periods=["a", "b", "c"], values=[1.0, 2.0])


def test_it_rejects_fixing_xmr_limits_after_one_point() -> None:
    with pytest.raises(SpcInputError, match=r"after 2 or more points, not after 1"):
        xmr(BASELINE, SpcOptions(fix_after=1))


def test_input_errors_are_value_errors() -> None:
    assert issubclass(SpcInputError, ValueError)


# ---------------------------------------------------------------------------------------------
# Run charts

# Median 3; its last point (1) is below, so it starts no run above.
RUN_BASELINE = [2.0, 4.0, 3.0, 5.0, 1.0]


def run_after_baseline(later: list[float]) -> spc.SpcResult:
    return run([*RUN_BASELINE, *later], SpcOptions(fix_after=5))


def test_a_run_chart_centre_is_the_median_of_the_baseline() -> None:
    result = run_after_baseline([40.0, 50.0])
    assert result.groups[0].centre == 3.0
    assert run([1.0, 2.0, 10.0, 20.0]).groups[0].centre == 6.0
    assert result.points[0].lower is None and result.groups[0].upper is None
    assert result.groups[0].trial_limits is False


def test_a_run_chart_flags_six_points_on_one_side_of_the_median() -> None:
    result = run_after_baseline([4.0] * 6)
    assert rules(result) == [None] * 5 + [Rule.SHIFT] * 6
    assert set(rules(run_after_baseline([4.0] * 5))) == {None}


def test_points_on_the_median_neither_count_nor_break_a_shift() -> None:
    result = run_after_baseline([4.0, 4.0, 4.0, 3.0, 4.0, 4.0, 4.0])
    assert rules(result)[5:] == [Rule.SHIFT] * 3 + [None] + [Rule.SHIFT] * 3
    assert set(rules(run_after_baseline([4.0, 4.0, 3.0, 4.0, 4.0, 4.0]))) == {None}


def test_a_run_chart_flags_five_points_going_up() -> None:
    """1, 2, 3, 4, 5 have median 3: two points below, two above, so no shift either."""
    assert rules(run([1.0, 2.0, 3.0, 4.0, 5.0])) == [Rule.TREND] * 5
    assert set(rules(run([1.0, 2.0, 3.0, 4.0]))) == {None}


def test_repeated_values_neither_count_nor_break_a_trend() -> None:
    assert rules(run([1.0, 2.0, 2.0, 3.0, 4.0, 5.0])) == [Rule.TREND] * 6
    assert set(rules(run([1.0, 2.0, 2.0, 3.0, 4.0]))) == {None}


def test_a_run_chart_trend_takes_the_direction_of_the_trend() -> None:
    result = run([5.0, 4.0, 3.0, 2.0, 1.0], INCREASE)
    assert {point.point_type for point in result.points} == {PointType.SPECIAL_CAUSE_CONCERN}
    assert result.variation is Variation.CONCERN_LOW


def test_a_run_chart_has_no_assurance() -> None:
    result = run([1.0, 2.0, 3.0], SpcOptions(improvement=Improvement.INCREASE, target=2.0))
    assert result.assurance is None
    assert "a run chart has no process limits" in result.summary


@pytest.mark.parametrize(
    ("useful", "longest_run_limit", "crossings_min"),
    [
        # round(log2(10)) + 3 = 3 + 3; P(X <= 1) = 10/512 < 0.05 <= P(X <= 2) = 46/512, X ~ B(9)
        (10, 6, 2),
        # round(log2(20)) + 3 = 4 + 3; P(X <= 5) = 16664/2^19 < 0.05 <= P(X <= 6) = 43796/2^19
        (20, 7, 6),
        # round(log2(24)) + 3 = 5 + 3; P(X <= 7) = 390656/2^23 = 0.047 < 0.05 <= P(X <= 8) = 0.105
        (24, 8, 8),
    ],
)
def test_the_anhoej_limits_follow_the_formula(
    useful: int, longest_run_limit: int, crossings_min: int
) -> None:
    analysis = runs_analysis([1, -1] * (useful // 2))
    assert analysis.useful == useful
    assert analysis.longest_run_limit == longest_run_limit
    assert analysis.crossings_min == crossings_min


def test_the_anhoej_analysis_signals_a_long_run() -> None:
    """24 useful points, a run of 9 > 8."""
    sides = [1] * 9 + [-1, 1] * 7 + [-1]
    analysis = runs_analysis(sides)
    assert (analysis.useful, analysis.longest_run, analysis.signal) == (24, 9, True)
    assert analysis.crossings is not None and analysis.crossings >= 8
    assert runs_analysis([1] * 8 + [-1, 1] * 8).signal is False


def test_the_anhoej_analysis_signals_too_few_crossings() -> None:
    """24 useful points in six runs of four: 5 crossings < 8, longest run 4 <= 8."""
    analysis = runs_analysis(([1] * 4 + [-1] * 4) * 3)
    assert (analysis.longest_run, analysis.crossings, analysis.signal) == (4, 5, True)


def test_points_on_the_median_are_not_useful_for_the_runs_analysis() -> None:
    analysis = runs_analysis([1, 0, 1, 0, -1, 0])
    assert (analysis.useful, analysis.longest_run, analysis.crossings) == (3, 2, 1)


def test_the_runs_analysis_of_points_all_on_the_median_has_no_signal() -> None:
    analysis = runs_analysis([0, 0, 0])
    assert analysis == spc.RunsAnalysis(0, None, None, None, None, signal=False)


def test_a_run_chart_reports_the_runs_analysis_of_its_latest_group() -> None:
    values = [1.0] * 10 + [5.0, 6.0] * 6
    result = run(values, SpcOptions(rebase=("P00011",)))
    assert result.runs == result.groups[-1].runs
    assert result.runs is not None and result.runs.useful == 12
    assert result.groups[0].runs == runs_analysis([0] * 10)


def exact_quantile(trials: int) -> int:
    """The definition, with fractions: the smallest x with P(X <= x) >= 0.05."""
    total = Fraction(0)
    for x in range(trials + 1):
        total += Fraction(comb(trials, x), 2**trials)
        if total >= Fraction(1, 20):
            return x
    return trials


@pytest.mark.parametrize("useful", [1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144])
def test_crossings_lower_limit_is_the_5_percent_binomial_quantile(useful: int) -> None:
    assert crossings_lower_limit(useful) == exact_quantile(useful - 1)


def test_crossings_lower_limit_agrees_with_scipy_where_it_hands_over(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scipy.stats import binom

    exact = [crossings_lower_limit(n) for n in range(2, 400)]
    monkeypatch.setattr(spc, "EXACT_QUANTILE_MAX_TRIALS", 0)
    assert [crossings_lower_limit(n) for n in range(2, 400)] == exact
    assert exact == [int(binom.ppf(0.05, n - 1, 0.5)) for n in range(2, 400)]


def test_the_run_chart_summary_reports_the_runs_analysis() -> None:
    """Twelve 3s and twelve 1s, median 2: runs of 9, 1, 1, 1, 1, 1, 1 and 9."""
    summary = run([3.0] * 9 + [1.0, 3.0] * 3 + [1.0] * 9).summary
    assert summary.startswith("The last 9 points were all below the median")
    assert (
        "Runs analysis (Anhøj): longest run 9 (limit 8), 7 crossings of the median "
        "(at least 8 expected): non-random variation (a signal)."
    ) in summary


def test_the_run_chart_summary_counts_a_shift_around_points_on_the_median() -> None:
    summary = run_after_baseline([4.0, 4.0, 4.0, 3.0, 4.0, 4.0, 4.0]).summary
    assert summary.startswith("The last 6 points (besides 1 on the median) were all above")


# ---------------------------------------------------------------------------------------------
# p- and u-charts


def test_a_p_chart_has_limits_per_point_from_the_pooled_proportion() -> None:
    """p̄ = 60/400 = 0.15; n = 100: 0.15 ± 3 √(0.15 x 0.85/100); n = 200: ... /200."""
    result = p_chart(periods=["a", "b", "c"], numerators=[10, 20, 30], denominators=[100, 100, 200])
    assert result.chart is Chart.P
    assert result.groups[0].centre == pytest.approx(0.15, abs=1e-12)
    assert result.groups[0].lower is None  # the limits vary point by point
    for point, n in zip(result.points, [100, 100, 200], strict=True):
        sigma = math.sqrt(0.15 * 0.85 / n)
        assert point.upper == pytest.approx(0.15 + 3 * sigma, abs=1e-12)
        assert point.lower == pytest.approx(0.15 - 3 * sigma, abs=1e-12)
        assert point.near_upper == pytest.approx(0.15 + 2 * sigma, abs=1e-12)
    assert [point.value for point in result.points] == pytest.approx([0.1, 0.2, 0.15])


def test_p_chart_limits_stay_between_0_and_1() -> None:
    result = p_chart(periods=["a", "b"], numerators=[9, 10], denominators=[10, 10])
    assert result.points[0].upper == 1.0
    assert result.points[0].lower == pytest.approx(0.95 - 3 * math.sqrt(0.95 * 0.05 / 10))


def test_a_p_chart_flags_a_proportion_beyond_its_own_limit() -> None:
    numerators = [15] * 12 + [40]
    result = p_chart(
        periods=periods(13),
        numerators=numerators,
        denominators=[100] * 13,
        options=SpcOptions(improvement=Improvement.INCREASE),
    )
    assert result.points[-1].rule is Rule.OUTSIDE_LIMITS
    assert result.points[-1].point_type is PointType.SPECIAL_CAUSE_IMPROVEMENT


def test_a_p_chart_can_show_percentages() -> None:
    result = p_chart(periods=["a", "b"], numerators=[1, 3], denominators=[10, 10], multiplier=100)
    assert result.groups[0].centre == pytest.approx(20.0)
    assert [point.value for point in result.points] == pytest.approx([10.0, 30.0])


def test_a_u_chart_has_limits_per_point_from_the_pooled_rate() -> None:
    """ū = 10/5 = 2; n = 1: 2 ± 3√2, lower clipped to 0; n = 2: 2 ± 3 √(2/2) = -1 → 0 and 5."""
    result = u_chart(periods=["a", "b", "c"], numerators=[2, 3, 5], denominators=[1, 2, 2])
    assert result.groups[0].centre == pytest.approx(2.0)
    assert result.points[0].upper == pytest.approx(2 + 3 * math.sqrt(2))
    assert [point.lower for point in result.points] == [0.0, 0.0, 0.0]
    assert result.points[1].upper == pytest.approx(5.0)


def test_a_u_chart_can_show_a_rate_per_thousand() -> None:
    result = u_chart(
        periods=["a", "b"], numerators=[2, 6], denominators=[1000, 1000], multiplier=1000
    )
    assert result.groups[0].centre == pytest.approx(4.0)
    assert result.points[1].upper == pytest.approx(1000 * (0.004 + 3 * math.sqrt(0.004 / 1000)))


def test_ratio_charts_reject_impossible_counts() -> None:
    with pytest.raises(SpcInputError, match=r"denominators must be greater than 0") as info:
        u_chart(periods=["a", "b"], numerators=[1, 1], denominators=[1, 0])
    assert info.value.index == 1
    with pytest.raises(SpcInputError, match=r"at most the denominator"):
        p_chart(periods=["a"], numerators=[11], denominators=[10])
    with pytest.raises(SpcInputError, match=r"0 or more"):
        u_chart(periods=["a"], numerators=[-1], denominators=[10])


# ---------------------------------------------------------------------------------------------
# Properties

moderate = st.floats(
    min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False, allow_subnormal=False
)
small_integers = st.integers(min_value=-50, max_value=50)
# Far from the subnormal range even when scaled by 2^-20 and subtracted (moving ranges).
scalable = moderate.filter(lambda value: value == 0 or abs(value) > 1e-200)


def limit_margin(result: spc.SpcResult) -> float:
    """The smallest distance of a value from its centre, limits or near limits."""
    distances = []
    for point in result.points:
        for line in (point.centre, point.lower, point.upper, point.near_lower, point.near_upper):
            if line is not None and point.value != line:
                distances.append(abs(point.value - line))
    return min(distances, default=math.inf)


def limits(result: spc.SpcResult) -> tuple[float, float]:
    group = result.groups[-1]
    assert group.lower is not None and group.upper is not None
    return group.lower, group.upper


def shifted_types(types: list[PointType]) -> list[PointType]:
    swap = {
        PointType.SPECIAL_CAUSE_IMPROVEMENT: PointType.SPECIAL_CAUSE_CONCERN,
        PointType.SPECIAL_CAUSE_CONCERN: PointType.SPECIAL_CAUSE_IMPROVEMENT,
    }
    return [swap.get(point_type, point_type) for point_type in types]


@given(st.lists(moderate, min_size=2, max_size=60))
def test_limits_are_symmetric_about_the_centre(values: list[float]) -> None:
    group = xmr(values).groups[0]
    assert group.upper is not None and group.lower is not None
    assert group.near_upper is not None and group.near_lower is not None
    tolerance = 1e-9 * (1 + abs(group.centre) + group.upper - group.lower)
    assert group.upper - group.centre == pytest.approx(group.centre - group.lower, abs=tolerance)
    assert group.near_upper - group.centre == pytest.approx(
        group.centre - group.near_lower, abs=tolerance
    )
    assert group.lower <= group.near_lower <= group.centre <= group.near_upper <= group.upper


@given(st.lists(small_integers, min_size=2, max_size=60), small_integers)
def test_adding_a_constant_moves_centre_and_limits_but_not_the_rules(
    values: list[int], constant: int
) -> None:
    before = xmr([float(value) for value in values])
    assume(limit_margin(before) > 1e-6)
    after = xmr([float(value + constant) for value in values])
    assert rules(after) == rules(before)
    assert after.groups[0].centre == pytest.approx(before.groups[0].centre + constant)
    (lower, upper), (new_lower, new_upper) = limits(before), limits(after)
    assert (new_lower, new_upper) == pytest.approx((lower + constant, upper + constant))


@given(st.lists(scalable, min_size=2, max_size=60), st.integers(min_value=-20, max_value=20))
def test_scaling_by_a_power_of_two_scales_the_limits_and_keeps_the_rules(
    values: list[float], power: int
) -> None:
    """Scaling by 2^k is exact in floating point (for normal numbers: a subnormal one loses
    digits when halved), so the rules must match exactly."""
    scale = 2.0**power
    before = xmr(values)
    after = xmr([value * scale for value in values])
    assert rules(after) == rules(before)
    (lower, upper), (new_lower, new_upper) = limits(before), limits(after)
    assert (new_lower, new_upper) == (lower * scale, upper * scale)


@given(
    st.lists(small_integers, min_size=2, max_size=60),
    st.floats(min_value=1e-3, max_value=1e3),
)
def test_scaling_by_a_positive_constant_scales_the_limits(values: list[int], scale: float) -> None:
    before = xmr([float(value) for value in values])
    assume(limit_margin(before) > 1e-6)
    after = xmr([value * scale for value in values])
    assert rules(after) == rules(before)
    (lower, upper), (new_lower, new_upper) = limits(before), limits(after)
    assert (new_lower, new_upper) == pytest.approx((lower * scale, upper * scale))


@given(st.lists(moderate, min_size=2, max_size=60))
def test_reversing_the_improvement_direction_swaps_improvement_and_concern(
    values: list[float],
) -> None:
    increase = xmr(values, INCREASE)
    decrease = xmr(values, DECREASE)
    assert [point.point_type for point in decrease.points] == shifted_types(
        [point.point_type for point in increase.points]
    )
    assert rules(decrease) == rules(increase)


@given(st.lists(moderate, min_size=2, max_size=60))
def test_negating_the_values_and_the_direction_keeps_the_point_types(
    values: list[float],
) -> None:
    increase = xmr(values, INCREASE)
    mirrored = xmr([-value for value in values], DECREASE)
    assert [point.point_type for point in mirrored.points] == [
        point.point_type for point in increase.points
    ]


@given(st.lists(small_integers, min_size=2, max_size=60))
def test_reversing_time_reverses_the_rules(values: list[int]) -> None:
    """Integer values make the sums, and so the mean and limits, exact in either order."""
    forwards = xmr([float(value) for value in values])
    backwards = xmr([float(value) for value in reversed(values)])
    assert rules(backwards) == list(reversed(rules(forwards)))


@given(moderate, st.integers(min_value=2, max_value=40), st.booleans())
def test_no_rule_fires_on_a_constant_series(value: float, n: int, screen: bool) -> None:
    for result in (xmr([value] * n, SpcOptions(screen=screen)), run([value] * n)):
        assert set(rules(result)) == {None}
        assert result.variation is Variation.COMMON_CAUSE


def longest_stretch_through(index: int, same: list[bool]) -> int:
    """The number of points in the longest stretch through ``index`` where each step
    ``same[k]`` (between points k and k + 1) holds."""
    left = index
    while left > 0 and same[left - 1]:
        left -= 1
    right = index
    while right < len(same) and same[right]:
        right += 1
    return right - left + 1


@given(st.lists(st.integers(min_value=0, max_value=6), min_size=2, max_size=80))
def test_every_shift_or_trend_point_lies_in_seven_qualifying_points(values: list[int]) -> None:
    """An independent check of each flagged point: a shift point is in 7+ consecutive points on
    one side of the mean; a trend point in 7+ consecutive strictly rising or falling ones."""
    result = xmr([float(value) for value in values])
    centre = result.groups[0].centre
    side = [int(np.sign(value - centre)) for value in values]
    same_side = [a == b != 0 for a, b in pairwise(side)]
    steps = [int(np.sign(b - a)) for a, b in pairwise(values)]
    rising = [step == 1 for step in steps]
    falling = [step == -1 for step in steps]
    for index, point in enumerate(result.points):
        if point.rule is Rule.SHIFT:
            assert longest_stretch_through(index, same_side) >= 7
        if point.rule is Rule.TREND:
            assert (
                max(longest_stretch_through(index, rising), longest_stretch_through(index, falling))
                >= 7
            )


@given(st.lists(moderate, min_size=1, max_size=80))
def test_the_runs_analysis_counts_add_up(values: list[float]) -> None:
    result = run(values)
    analysis = result.runs
    assert analysis is not None
    median = result.groups[0].centre
    assert analysis.useful == sum(1 for value in values if value != median)
    if analysis.useful:
        assert analysis.longest_run is not None and analysis.crossings is not None
        assert 1 <= analysis.longest_run <= analysis.useful
        assert 0 <= analysis.crossings <= analysis.useful - 1


@settings(max_examples=50)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=50)),
        min_size=1,
        max_size=40,
    )
)
def test_p_chart_limits_stay_within_0_and_1_and_contain_the_centre(
    counts: list[tuple[int, int]],
) -> None:
    numerators = [min(numerator, size) for numerator, size in counts]
    sizes = [size for _, size in counts]
    result = p_chart(periods=periods(len(counts)), numerators=numerators, denominators=sizes)
    for point in result.points:
        assert point.lower is not None and point.upper is not None
        assert 0.0 <= point.lower <= point.centre <= point.upper <= 1.0


def test_the_runs_sentence_does_not_expect_zero_crossings() -> None:
    short = spc.run_chart(periods=periods(5), values=[1.0, 3, 2, 4, 5]).summary
    assert "at least 0 expected" not in short
    assert "(too few points for crossings to tell anything)" in short
    longer = spc.run_chart(periods=periods(20), values=[float(i % 4) for i in range(20)]).summary
    assert "expected)" in longer and "at least 0" not in longer
