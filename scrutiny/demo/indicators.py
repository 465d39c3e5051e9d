"""Demonstration indicators: ten years of synthetic child-level data for all 32 councils,
computed and stored; two small synthetic statistics.gov.scot-style tables (the second revising
the first); a local measure, a comparator group, a target and a link for South Ayrshire.

Every number is invented. South Ayrshire's children aged 11 to 15 looked after away from home
fall by about a sixth a year from 2017 (to about a fifth in nine years), after its 2016
inspection, so that its chart shows a genuine special cause improvement.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import numpy as np

from scrutiny.accounts.models import User
from scrutiny.indicators import services
from scrutiny.indicators.catalogue import catalogue_load
from scrutiny.indicators.models import ChartType, Direction, Frequency, Indicator, Publication, Unit
from scrutiny.inspections.models import AreaForImprovement
from scrutiny.places.models import Area, Partnership

SOUTH_AYRSHIRE = "S12000028"
CHILD_LEVEL_TITLE = "Synthetic child-level returns, 2016 to 2025 (demonstration data)"
CUBE_TITLES = (
    "Children's Social Work Statistics 2022-23: synthetic demonstration table",
    "Children's Social Work Statistics 2023-24: synthetic demonstration table",
)
CHILDREN = 80_000
SEED = 7
TREND_START = 2017
TREND_FACTOR = 0.84
LOCAL_TITLE = "Care leavers with a pathway plan"
COMPARATOR = "Ayrshire and similar councils"
COMPARATOR_COUNCILS = ("East Ayrshire", "North Ayrshire", "Dumfries and Galloway", "Inverclyde")
LEAD = "lead@south-ayrshire.example"

_STATUSES = (
    ("At Home", 0.20),
    ("Foster / Prospective Adopters", 0.33),
    ("Other Community Placement", 0.36),
    ("Residential Care", 0.11),
)
# Council, children aged 0-17 (rough) and looked-after rate per 1,000 (invented).
_CUBE_AREAS = (
    ("S12000028", 19_000, 15.0),
    ("S12000008", 23_000, 16.5),
    ("S12000021", 25_000, 18.0),
    ("S12000023", 4_000, 8.0),
    ("S92000003", 1_000_000, 12.1),
)


def build() -> None:
    catalogue_load(Indicator)
    _child_level()
    _cubes()
    _south_ayrshire()


def _child_level() -> None:
    if Publication.objects.filter(title=CHILD_LEVEL_TITLE).exists():
        return
    from scrutiny.analysis.childlevel.compute import indicators_compute
    from scrutiny.analysis.childlevel.synth import SynthParams, TrendAdjustment, synth_write
    from scrutiny.analysis.childlevel.validate import ChildLevelFiles

    trend = TrendAdjustment(SOUTH_AYRSHIRE, "lac_away_11_15", TREND_START, TREND_FACTOR)
    params = SynthParams(children=CHILDREN, years=10, last_year=2025, seed=SEED, trend=trend)
    with tempfile.TemporaryDirectory(prefix="scrutiny-demo-") as name:
        directory = Path(name)
        synth_write(params, directory)
        result = indicators_compute(
            files=ChildLevelFiles(
                looked_after=directory / "looked_after.csv",
                child_protection=directory / "child_protection.csv",
                population=directory / "population.csv",
            )
        )
    services.child_level_store(
        rows=result.rows,
        title=CHILD_LEVEL_TITLE,
        vintage=date(2025, 12, 9),
        by=None,
        file_name="synthetic looked_after.csv, child_protection.csv, population.csv",
        note="Synthetic data from scrutiny.analysis.childlevel.synth: not real children.",
    )


def cube_csv(*, first: int, last: int, revise: float = 1.0) -> str:
    """A statistics.gov.scot-style cube CSV of invented figures (one suppressed cell)."""
    lines = ["FeatureCode,DateCode,Measurement,Units,Value,Residential Status"]
    for code, population, rate in _CUBE_AREAS:
        for year in range(first, last + 1):
            rng = np.random.default_rng([year, int(code[-5:])])
            total = round(population * rate / 1000 * rng.normal(1, 0.03))
            if year == last - 1:
                total = round(total * revise)
            counts = {"All": total}
            for status, share in _STATUSES:
                counts[status] = round(total * share)
            counts["All"] = sum(counts[s] for s, _ in _STATUSES)
            for status, count in counts.items():
                suppressed = (code, year, status) == ("S12000023", 2019, "Residential Care")
                value = "*" if suppressed else str(count)
                ratio = "*" if suppressed else f"{count / population * 1000:.1f}"
                lines.append(f"{code},{year},Count,Children,{value},{status}")
                lines.append(
                    f"{code},{year},Ratio,Rate per 1000 children aged 0-17,{ratio},{status}"
                )
    return "\n".join(lines) + "\n"


def _cubes() -> None:
    if Publication.objects.filter(title=CUBE_TITLES[0]).exists():
        return
    services.cube_import(
        content=cube_csv(first=2014, last=2023).encode(),
        file_name="looked-after-children-2023-demo.csv",
        title=CUBE_TITLES[0],
        vintage=date(2024, 3, 26),
        by=None,
        source="Synthetic table in the shape of statistics.gov.scot's looked-after-children cube",
    )
    # The next release revises 2023 (every figure 3% higher) and adds 2024.
    services.cube_import(
        content=cube_csv(first=2014, last=2024, revise=1.03).encode(),
        file_name="looked-after-children-2024-demo.csv",
        title=CUBE_TITLES[1],
        vintage=date(2025, 3, 25),
        by=None,
        source="Synthetic table in the shape of statistics.gov.scot's looked-after-children cube",
    )


def local_csv() -> str:
    """Care leavers with a pathway plan, quarterly: about 60% until 2022, about 82% from 2023."""
    rng = np.random.default_rng(19)
    lines = ["period,value,numerator,denominator"]
    for year in range(2021, 2026):
        for quarter in range(1, 5):
            denominator = int(rng.integers(38, 52))
            share = 0.6 if year < 2023 else 0.82
            numerator = min(denominator, int(rng.binomial(denominator, share)))
            lines.append(f"{year}-Q{quarter},,{numerator},{denominator}")
    return "\n".join(lines) + "\n"


def _south_ayrshire() -> None:
    partnership = Partnership.objects.get(area__code=SOUTH_AYRSHIRE)
    if Indicator.objects.filter(partnership=partnership, title=LOCAL_TITLE).exists():
        return
    lead = User.objects.get(email=LEAD)
    local = services.local_indicator_create(
        partnership=partnership,
        title=LOCAL_TITLE,
        definition="Care leavers aged 16 to 25 in touch with the council who have a pathway "
        "plan, as a percentage of those in touch, at the end of each quarter. (Demonstration "
        "measure with invented figures.)",
        numerator="Care leavers with a pathway plan",
        denominator="Care leavers in touch with the council",
        unit=Unit.PERCENT,
        improvement=Direction.INCREASE,
        frequency=Frequency.QUARTERLY,
        chart=ChartType.P,
        by=lead,
    )
    services.local_values_upload(
        indicator=local, content=local_csv().encode(), file_name="pathway-plans.csv", by=lead
    )
    services.series_target_set(
        series=services.series_ensure(partnership=partnership, indicator=local), target=75.0
    )
    services.comparator_group_save(
        partnership=partnership,
        name=COMPARATOR,
        areas=Area.objects.filter(name__in=COMPARATOR_COUNCILS),
    )
    away = services.series_ensure(
        partnership=partnership, indicator=Indicator.objects.get(key="lac_away_11_15")
    )
    services.series_target_set(series=away, target=30.0)
    area = (
        AreaForImprovement.objects.filter(
            inspection__partnership=partnership, title__contains="11 to 15"
        )
        .order_by("number")
        .first()
    )
    if area is not None:
        services.indicator_link_area_add(series=away, area=area, by=lead)
