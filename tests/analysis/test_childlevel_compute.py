"""Indicators from hand-built child-level files with known answers (year 2021 = 1 Aug 2020 to
31 Jul 2021, snapshot 31 Jul 2021)."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from scrutiny.analysis.childlevel import formats
from scrutiny.analysis.childlevel.compute import (
    IndicatorRow,
    YearsError,
    indicators_compute,
    indicators_write_csv,
)
from scrutiny.analysis.childlevel.synth import SynthParams, synth_write
from scrutiny.analysis.childlevel.validate import ChildLevelFiles

SOUTH_AYRSHIRE = "S12000028"
EAST_AYRSHIRE = "S12000008"
FIFE = "S12000047"
FIFE_REPLACED = "S12000015"
SCOTLAND = "S92000003"

Row = dict[str, str]


def placement(
    child: str,
    start: str,
    end: str = "",
    kind: str = "foster",
    *,
    council: str = SOUTH_AYRSHIRE,
    birth_month: str = "2012-03",
    episode: tuple[str, str] | None = None,
) -> Row:
    episode_start, episode_end = episode if episode is not None else (start, end)
    return {
        "child_id": child,
        "council": council,
        "sex": "female",
        "birth_month": birth_month,
        "episode_start": episode_start,
        "episode_end": episode_end,
        "placement_start": start,
        "placement_end": end,
        "placement_type": kind,
    }


def registration(
    child: str,
    registered: str,
    deregistered: str = "",
    concerns: str = "",
    *,
    council: str = SOUTH_AYRSHIRE,
    birth_month: str = "2015-05",
) -> Row:
    return {
        "child_id": child,
        "council": council,
        "sex": "",
        "birth_month": birth_month,
        "registration_date": registered,
        "deregistration_date": deregistered,
        "concerns": concerns,
    }


def write(path: Path, columns: Sequence[str], rows: Sequence[Row]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def files(
    tmp_path: Path,
    looked_after: Sequence[Row] = (),
    child_protection: Sequence[Row] = (),
    population: Sequence[tuple[str, int, int]] = ((SOUTH_AYRSHIRE, 2021, 20000),),
) -> ChildLevelFiles:
    return ChildLevelFiles(
        looked_after=write(
            tmp_path / "looked_after.csv", formats.LOOKED_AFTER_COLUMNS, looked_after
        ),
        child_protection=write(
            tmp_path / "child_protection.csv", formats.CHILD_PROTECTION_COLUMNS, child_protection
        ),
        population=write(
            tmp_path / "population.csv",
            formats.POPULATION_COLUMNS,
            [{"council": c, "year": str(y), "population_0_17": str(p)} for c, y, p in population],
        ),
    )


def compute(
    tmp_path: Path,
    looked_after: Sequence[Row] = (),
    child_protection: Sequence[Row] = (),
    population: Sequence[tuple[str, int, int]] = ((SOUTH_AYRSHIRE, 2021, 20000),),
    years: tuple[int, int] | None = (2021, 2021),
) -> dict[tuple[str, int, str], IndicatorRow]:
    first, last = years if years is not None else (None, None)
    result = indicators_compute(
        files=files(tmp_path, looked_after, child_protection, population),
        first_year=first,
        last_year=last,
    )
    return {(row.council, row.year, row.indicator): row for row in result.rows}


def numerators(
    table: dict[tuple[str, int, str], IndicatorRow], council: str = SOUTH_AYRSHIRE, year: int = 2021
) -> dict[str, int]:
    return {
        indicator: row.numerator
        for (c, y, indicator), row in table.items()
        if c == council and y == year
    }


def test_it_gives_the_known_answer_for_every_indicator(tmp_path: Path) -> None:
    """
    Given a council with a few children looked after and on the register in 2020-21
    When the indicators are computed for 2021
    Then every indicator has the count worked out by hand
    """
    looked_after = [
        # A: foster then kinship within one episode that started in the year; aged 13.
        placement(
            "A", "2020-09-01", "2021-01-10", episode=("2020-09-01", ""), birth_month="2008-01"
        ),
        placement(
            "A", "2021-01-10", "", "kinship", episode=("2020-09-01", ""), birth_month="2008-01"
        ),
        # B: at home since 2019, still looked after.
        placement("B", "2019-05-01", "", "home"),
        # C: residential school, aged 16 (not 11-15); episode from 2018.
        placement("C", "2018-02-01", "", "residential_school", birth_month="2005-03"),
        # D: episode ended in the year (ceased), not looked after at the snapshot.
        placement("D", "2019-01-01", "2021-03-01", "foster"),
        # E: prospective adopters, aged 1.
        placement("E", "2020-11-01", "", "prospective_adopters", birth_month="2020-01"),
        # F: other community, aged 11 (born July 2010).
        placement("F", "2021-07-31", "", "other_community", birth_month="2010-07"),
    ]
    child_protection = [
        registration("P", "2020-10-01", "", "neglect;domestic_abuse"),  # on register
        registration("Q", "2019-03-01", "2020-12-01", "neglect"),  # de-registered in year
        registration("Q", "2021-05-01", "", "parental_drugs;neglect", birth_month=""),
        registration("R", "2021-02-01", "2021-06-01", "emotional_abuse;other;cse"),
    ]
    table = compute(tmp_path, looked_after, child_protection)
    expected = dict.fromkeys(formats.COUNT_INDICATORS, 0) | {
        "lac_total": 5,
        "lac_home": 1,
        "lac_kinship": 1,
        "lac_foster": 0,
        "lac_prospective_adopters": 1,
        "lac_other_community": 1,
        "lac_residential": 1,
        "lac_away": 4,
        "lac_away_11_15": 2,  # A (13) and F (11); C is 16
        "lac_starts": 3,  # A, E, F
        "lac_ceases": 1,  # D
        "cp_register": 2,  # P and Q (again)
        "cp_registrations": 3,  # P, Q's second, R
        "cp_deregistrations": 2,  # Q's first, R
        "cp_reregistrations_18m": 1,  # Q: de-registered 5 months before
        "cp_concern_neglect": 2,
        "cp_concern_domestic_abuse": 1,
        "cp_concern_parental_drugs": 1,
        "cp_concern_emotional_abuse": 1,
        "cp_concern_other": 1,
        "cp_concern_cse": 1,
        "lac_total_rate": 5,
        "lac_away_rate": 4,
        "cp_register_rate": 2,
    }
    assert numerators(table) == expected
    assert table[(SOUTH_AYRSHIRE, 2021, "lac_total_rate")].value == 5 / 20000 * 1000
    assert table[(SOUTH_AYRSHIRE, 2021, "lac_away_rate")].value == 4 / 20000 * 1000
    assert table[(SOUTH_AYRSHIRE, 2021, "cp_register_rate")].value == 2 / 20000 * 1000


def test_it_counts_a_placement_starting_on_31_july_but_not_one_ending_then(
    tmp_path: Path,
) -> None:
    episode = ("2020-01-01", "")
    table = compute(
        tmp_path,
        [
            placement("A", "2020-01-01", "2021-07-31", "foster", episode=episode),
            placement("A", "2021-07-31", "", "secure", episode=episode),
        ],
    )
    counts = numerators(table)
    assert (counts["lac_total"], counts["lac_foster"], counts["lac_residential"]) == (1, 0, 1)


def test_it_counts_a_placement_ending_on_1_august_at_the_snapshot_before(tmp_path: Path) -> None:
    table = compute(tmp_path, [placement("A", "2020-01-01", "2021-08-01", "kinship")])
    assert numerators(table)["lac_kinship"] == 1


def test_it_counts_each_placement_type_in_its_category(tmp_path: Path) -> None:
    rows = [placement(f"child-{kind}", "2021-01-01", "", kind) for kind in formats.PLACEMENT_TYPES]
    counts = numerators(compute(tmp_path, rows))
    assert {
        name: counts[name]
        for name in (
            "lac_total",
            "lac_home",
            "lac_kinship",
            "lac_foster",
            "lac_prospective_adopters",
            "lac_other_community",
            "lac_residential",
            "lac_away",
        )
    } == {
        "lac_total": 11,
        "lac_home": 1,
        "lac_kinship": 1,
        "lac_foster": 1,
        "lac_prospective_adopters": 1,
        "lac_other_community": 1,
        "lac_residential": 6,
        "lac_away": 10,
    }


@pytest.mark.parametrize(
    ("birth_month", "counted"),
    [
        ("2010-08", False),  # 10 on 31 July 2021
        ("2010-07", True),  # 11: born on 1 July 2010
        ("2005-08", True),  # 15
        ("2005-07", False),  # 16
    ],
)
def test_it_counts_ages_11_to_15_inclusive_at_the_snapshot(
    tmp_path: Path, birth_month: str, counted: bool
) -> None:
    table = compute(tmp_path, [placement("A", "2021-01-01", "", "foster", birth_month=birth_month)])
    assert numerators(table)["lac_away_11_15"] == int(counted)


def test_it_leaves_children_at_home_out_of_the_11_to_15_count(tmp_path: Path) -> None:
    table = compute(tmp_path, [placement("A", "2021-01-01", "", "home", birth_month="2008-01")])
    assert numerators(table)["lac_away_11_15"] == 0


def test_it_counts_episode_starts_and_ceases_with_both_year_boundaries_included(
    tmp_path: Path,
) -> None:
    rows = [
        placement("A", "2020-08-01", "2021-07-31"),  # starts and ceases in 2021
        placement("B", "2020-07-31", "2020-08-01"),  # starts in 2020, ceases in 2021
        placement("C", "2021-07-31", "2021-08-01"),  # starts in 2021, ceases in 2022
        placement("D", "2021-08-01", ""),  # starts in 2022
    ]
    counts = numerators(compute(tmp_path, rows))
    assert (counts["lac_starts"], counts["lac_ceases"]) == (2, 2)


def test_it_counts_an_episode_once_however_many_placements(tmp_path: Path) -> None:
    episode = ("2020-09-01", "2021-06-01")
    rows = [
        placement("A", "2020-09-01", "2020-12-01", "foster", episode=episode),
        placement("A", "2020-12-01", "2021-03-01", "kinship", episode=episode),
        placement("A", "2021-03-01", "2021-06-01", "la_home", episode=episode),
    ]
    counts = numerators(compute(tmp_path, rows))
    assert (counts["lac_starts"], counts["lac_ceases"]) == (1, 1)


def test_it_counts_the_register_at_the_snapshot(tmp_path: Path) -> None:
    rows = [
        registration("A", "2021-07-31"),  # registered on the snapshot day: counted
        registration("B", "2020-01-01", "2021-07-31"),  # removed on it: not counted
        registration("C", "2021-01-01", "2021-08-01"),  # removed the day after: counted
        registration("D", "2021-08-01"),  # registered after: not counted
    ]
    assert numerators(compute(tmp_path, child_protection=rows))["cp_register"] == 2


def test_it_counts_unborn_registrations_in_the_numerator_only(tmp_path: Path) -> None:
    rows = [
        registration("A", "2021-03-01", birth_month=""),
        registration("B", "2021-03-01", birth_month="2016-02"),
    ]
    table = compute(tmp_path, child_protection=rows)
    rate = table[(SOUTH_AYRSHIRE, 2021, "cp_register_rate")]
    assert (rate.numerator, rate.denominator, rate.value) == (2, 20000, 2 / 20000 * 1000)
    assert numerators(table)["cp_registrations"] == 2


def test_it_counts_a_child_on_the_register_once(tmp_path: Path) -> None:
    rows = [registration("A", "2020-01-01"), registration("A", "2021-01-01")]
    assert numerators(compute(tmp_path, child_protection=rows))["cp_register"] == 1


@pytest.mark.parametrize(
    ("deregistered", "registered", "counted"),
    [
        ("2019-02-28", "2020-08-31", True),  # 18 months back from 31 Aug is 28 Feb
        ("2019-02-27", "2020-08-31", False),  # a day earlier
        ("2020-01-30", "2021-07-31", False),  # 18 months back from 31 Jul 2021 is 31 Jan 2020
        ("2020-01-31", "2021-07-31", True),
        ("2021-06-30", "2021-07-01", True),  # the day before
        ("2021-07-01", "2021-07-01", False),  # the same day: a transfer
    ],
)
def test_it_counts_a_reregistration_within_18_calendar_months(
    tmp_path: Path, deregistered: str, registered: str, counted: bool
) -> None:
    rows = [registration("A", "2017-01-01", deregistered), registration("A", registered)]
    table = compute(tmp_path, child_protection=rows)
    assert numerators(table)["cp_reregistrations_18m"] == int(counted)


def test_it_counts_a_reregistration_in_the_council_of_the_new_registration(
    tmp_path: Path,
) -> None:
    rows = [
        registration("A", "2019-01-01", "2020-09-01", council=EAST_AYRSHIRE),
        registration("A", "2021-01-01", council=SOUTH_AYRSHIRE),
    ]
    table = compute(
        tmp_path,
        child_protection=rows,
        population=((SOUTH_AYRSHIRE, 2021, 20000), (EAST_AYRSHIRE, 2021, 25000)),
    )
    assert numerators(table)["cp_reregistrations_18m"] == 1
    assert numerators(table, EAST_AYRSHIRE)["cp_reregistrations_18m"] == 0


def test_it_counts_registrations_with_each_concern_once(tmp_path: Path) -> None:
    rows = [
        registration("A", "2020-09-01", concerns=" neglect ; neglect;physical_abuse;"),
        registration("B", "2021-01-01", concerns="neglect"),
        registration("C", "2021-01-01", concerns=""),
        registration("D", "2020-07-31", concerns="neglect"),  # previous year
    ]
    counts = numerators(compute(tmp_path, child_protection=rows))
    assert counts["cp_registrations"] == 3
    assert counts["cp_concern_neglect"] == 2
    assert counts["cp_concern_physical_abuse"] == 1
    assert sum(counts[f"cp_concern_{code}"] for code in formats.CONCERN_CODES) == 3


def test_it_maps_replaced_council_codes_to_current_ones(tmp_path: Path) -> None:
    table = compute(
        tmp_path,
        [placement("A", "2021-01-01", council=FIFE_REPLACED)],
        [registration("B", "2021-01-01", council=FIFE)],
        population=((FIFE_REPLACED, 2021, 70000),),
    )
    assert {council for council, _, _ in table} == {FIFE, SCOTLAND}
    assert numerators(table, FIFE)["lac_total"] == 1
    assert table[(FIFE, 2021, "cp_register_rate")].denominator == 70000


def test_scotland_is_the_sum_of_the_councils_with_their_population(tmp_path: Path) -> None:
    table = compute(
        tmp_path,
        [
            placement("A", "2021-01-01", council=SOUTH_AYRSHIRE),
            placement("B", "2021-01-01", council=EAST_AYRSHIRE),
            placement("C", "2021-01-01", "", "home", council=EAST_AYRSHIRE),
        ],
        population=((SOUTH_AYRSHIRE, 2021, 20000), (EAST_AYRSHIRE, 2021, 25000)),
    )
    scotland = table[(SCOTLAND, 2021, "lac_total_rate")]
    assert (scotland.numerator, scotland.denominator) == (3, 45000)
    assert scotland.value == 3 / 45000 * 1000
    assert numerators(table, SCOTLAND)["lac_away"] == 2
    assert table[(SCOTLAND, 2021, "lac_total")].denominator is None


def test_rates_are_blank_without_a_population(tmp_path: Path) -> None:
    table = compute(
        tmp_path,
        [
            placement("A", "2021-01-01", council=SOUTH_AYRSHIRE),
            placement("B", "2021-01-01", council=EAST_AYRSHIRE),
        ],
        population=((SOUTH_AYRSHIRE, 2021, 20000),),
    )
    east = table[(EAST_AYRSHIRE, 2021, "lac_total_rate")]
    scotland = table[(SCOTLAND, 2021, "lac_total_rate")]
    assert (east.numerator, east.denominator, east.value) == (1, None, None)
    assert (scotland.numerator, scotland.denominator, scotland.value) == (2, None, None)
    assert table[(SOUTH_AYRSHIRE, 2021, "lac_total_rate")].denominator == 20000


def test_it_writes_every_council_year_and_indicator_with_zeros(tmp_path: Path) -> None:
    table = compute(
        tmp_path,
        [placement("A", "2020-01-01")],
        population=tuple((SOUTH_AYRSHIRE, year, 20000) for year in (2020, 2021, 2022)),
        years=(2020, 2022),
    )
    assert len(table) == 2 * 3 * len(formats.INDICATORS)
    assert numerators(table, year=2020)["lac_starts"] == 1
    assert numerators(table, year=2021)["lac_ceases"] == 0
    assert numerators(table, year=2022)["lac_total"] == 1


@pytest.mark.parametrize(
    ("years", "message"),
    [
        (
            (1990, 1991),
            "--from 1990 is before the first reporting year the files cover: they "
            "cover 2021 to 2023",
        ),
        (
            (2021, 2030),
            "--to 2030 is after the last reporting year the files cover: they cover 2021 to 2023",
        ),
        ((2024, None), "--from 2024 is after the last reporting year"),
        ((None, 2020), "--to 2020 is before the first reporting year"),
    ],
)
def test_it_refuses_years_the_files_do_not_cover(
    tmp_path: Path, years: tuple[int | None, int | None], message: str
) -> None:
    """
    Given placements from 2020-21, one still open, and population years to 2023
    When years before 2021 or after 2023 are asked for
    Then they are refused, naming the years covered (open placements would be carried on, or
    the counts be zeros, in years the files say nothing about)
    """
    with pytest.raises(YearsError) as refused:
        indicators_compute(
            files=files(
                tmp_path,
                [placement("A", "2021-01-01"), placement("B", "2021-02-01", "2021-03-01")],
                population=tuple((SOUTH_AYRSHIRE, year, 9000) for year in range(2019, 2024)),
            ),
            first_year=years[0],
            last_year=years[1],
        )
    assert str(refused.value).startswith(message)


def test_years_without_population_are_covered_by_the_events(tmp_path: Path) -> None:
    """
    Given placements from 2018-19 to 2020-21, all ended, and population for 2021 only
    When 2019 to 2021 are asked for
    Then they are computed, with blank rates where there is no population
    """
    table = compute(
        tmp_path,
        [placement("A", "2018-09-01", "2020-12-01")],
        population=((SOUTH_AYRSHIRE, 2021, 20000),),
        years=(2019, 2021),
    )
    assert table[(SOUTH_AYRSHIRE, 2019, "lac_total")].numerator == 1
    assert table[(SOUTH_AYRSHIRE, 2019, "lac_total_rate")].value is None
    assert table[(SOUTH_AYRSHIRE, 2021, "lac_ceases")].numerator == 1


def test_counts_have_no_denominator_and_their_value_is_the_numerator(tmp_path: Path) -> None:
    table = compute(tmp_path, [placement("A", "2021-01-01")])
    row = table[(SOUTH_AYRSHIRE, 2021, "lac_total")]
    assert (row.numerator, row.denominator, row.value) == (1, None, 1.0)


def test_default_years_span_the_event_dates_within_the_population_years(tmp_path: Path) -> None:
    population = tuple((SOUTH_AYRSHIRE, year, 20000) for year in range(2015, 2031))
    result = indicators_compute(
        files=files(
            tmp_path,
            [placement("A", "2018-09-01", "2019-03-01")],
            [registration("B", "2020-01-01", "2022-08-01")],
            population,
        )
    )
    assert (result.first_year, result.last_year) == (2019, 2023)


def test_default_years_stop_at_the_population_years(tmp_path: Path) -> None:
    result = indicators_compute(
        files=files(
            tmp_path,
            [placement("A", "2010-01-01", "2024-03-01")],
            population=((SOUTH_AYRSHIRE, 2020, 1), (SOUTH_AYRSHIRE, 2021, 1)),
        )
    )
    assert (result.first_year, result.last_year) == (2020, 2021)


def test_default_years_run_to_the_last_population_year_while_a_placement_is_open(
    tmp_path: Path,
) -> None:
    population = tuple((SOUTH_AYRSHIRE, year, 20000) for year in range(2015, 2026))
    result = indicators_compute(
        files=files(tmp_path, [placement("A", "2018-09-01")], population=population)
    )
    assert (result.first_year, result.last_year) == (2019, 2025)


def test_it_refuses_an_empty_range_of_years(tmp_path: Path) -> None:
    with pytest.raises(YearsError):
        indicators_compute(
            files=files(tmp_path, [placement("A", "2021-01-01")]), first_year=2022, last_year=2021
        )


def test_it_writes_the_tidy_csv(tmp_path: Path) -> None:
    rows = [
        IndicatorRow(SOUTH_AYRSHIRE, 2021, "lac_total", 3, None, 3.0),
        IndicatorRow(SOUTH_AYRSHIRE, 2021, "lac_total_rate", 3, 7000, 3 / 7000 * 1000),
        IndicatorRow(EAST_AYRSHIRE, 2021, "lac_total_rate", 2, None, None),
    ]
    path = tmp_path / "out.csv"
    assert indicators_write_csv(rows, path) == 3
    assert path.read_text(encoding="utf-8").splitlines() == [
        "council,year,indicator,numerator,denominator,value",
        "S12000028,2021,lac_total,3,,3",
        "S12000028,2021,lac_total_rate,3,7000,0.42857142857142855",
        "S12000008,2021,lac_total_rate,2,,",
    ]


def _synthetic(directory: Path) -> ChildLevelFiles:
    synth_write(SynthParams(children=3000, councils=6, years=5, seed=11), directory)
    return ChildLevelFiles(
        directory / formats.LOOKED_AFTER_FILE,
        directory / formats.CHILD_PROTECTION_FILE,
        directory / formats.POPULATION_FILE,
    )


def _rewrite(path: Path, change: Callable[[list[str]], list[str]]) -> None:
    header, *rows = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([header, *change(rows)]) + "\n", encoding="utf-8")


def test_rows_in_any_order_give_the_same_indicators(tmp_path: Path) -> None:
    """
    Given synthetic files, and a copy with the rows of both event files shuffled
    When the indicators are computed from each
    Then they are the same (the fast pass checks the shuffled rows sorted)
    """
    files = _synthetic(tmp_path / "a")
    shuffled = _synthetic(tmp_path / "b")
    for path in (shuffled.looked_after, shuffled.child_protection):
        _rewrite(path, lambda rows: random.Random(3).sample(rows, len(rows)))
    assert indicators_compute(files=shuffled) == indicators_compute(files=files)


def test_files_read_by_the_ordered_pass_give_the_same_indicators(tmp_path: Path) -> None:
    """
    Given synthetic files, and a copy with every value padded with a space (allowed, trimmed)
    When the indicators are computed from each
    Then they are the same, though the copy is read by the ordered pass
    """
    files = _synthetic(tmp_path / "a")
    padded = _synthetic(tmp_path / "b")
    for path in (padded.looked_after, padded.child_protection, padded.population):
        _rewrite(path, lambda rows: [",".join(f" {v}" for v in row.split(",")) for row in rows])
    result = indicators_compute(files=padded)
    assert result.rows == indicators_compute(files=files).rows
    assert result.report.total == 0
