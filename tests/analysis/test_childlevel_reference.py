"""The DuckDB indicators equal those of the plain pandas reference, exactly, on random synthetic
data (different seeds, sizes, councils, years and trend adjustments)."""

from __future__ import annotations

import math
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.indicators_pandas import YearsNotCovered, indicators_pandas
from scrutiny.analysis.childlevel import formats
from scrutiny.analysis.childlevel.compute import YearsError, indicators_compute
from scrutiny.analysis.childlevel.synth import SynthParams, TrendAdjustment, synth_write
from scrutiny.analysis.childlevel.validate import ChildLevelFiles

Row = tuple[str, int, str, int, int | None, float | None]


def _int(value: Any) -> int | None:
    return None if value is None or value is pd.NA else int(value)


def _float(value: Any) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


@st.composite
def synth_params(draw: st.DrawFn) -> tuple[SynthParams, int | None, int | None]:
    years = draw(st.integers(1, 6))
    last_year = draw(st.integers(2012, 2026))
    councils = draw(st.integers(1, 32))
    trend = None
    if draw(st.booleans()):
        council = formats.council_codes().current[draw(st.integers(0, councils - 1))]
        trend = TrendAdjustment(
            council=council,
            group=draw(st.sampled_from(["lac_away_11_15", "lac_away"])),
            start_year=draw(st.integers(last_year - years + 1, last_year)),
            yearly_factor=draw(st.floats(0.3, 1.0)),
        )
    params = SynthParams(
        children=draw(st.integers(1, 400)),
        councils=councils,
        years=years,
        last_year=last_year,
        seed=draw(st.integers(0, 2**32 - 1)),
        trend=trend,
    )
    if draw(st.booleans()):  # the years covered by the data
        return params, None, None
    # Within the years the files cover: they run to the last year, and (with children in care
    # for years before it) start some years before the first.
    first = draw(st.integers(last_year - years - 2, last_year))
    return params, first, draw(st.integers(first, last_year))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=synth_params())
def test_duckdb_equals_the_pandas_reference(
    case: tuple[SynthParams, int | None, int | None],
) -> None:
    params, first, last = case
    with TemporaryDirectory() as name:
        directory = Path(name)
        synth_write(params, directory)
        files = (
            directory / formats.LOOKED_AFTER_FILE,
            directory / formats.CHILD_PROTECTION_FILE,
            directory / formats.POPULATION_FILE,
        )
        try:
            reference = indicators_pandas(*files, first_year=first, last_year=last)
        except YearsNotCovered:  # a few children may not reach back before the first year
            with pytest.raises(YearsError, match="the files cover"):
                indicators_compute(files=ChildLevelFiles(*files), first_year=first, last_year=last)
            return
        result = indicators_compute(files=ChildLevelFiles(*files), first_year=first, last_year=last)
    assert result.report.total == 0
    ours: list[Row] = [
        (r.council, r.year, r.indicator, r.numerator, r.denominator, r.value) for r in result.rows
    ]
    theirs: list[Row] = [
        (council, int(year), indicator, int(numerator), _int(denominator), _float(value))
        for council, year, indicator, numerator, denominator, value in reference.itertuples(
            index=False
        )
    ]
    assert ours == theirs
