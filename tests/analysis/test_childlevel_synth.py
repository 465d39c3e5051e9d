"""Synthetic child-level data: exact number of children, reproducible, valid, near the national
figures, and with a trend adjustment that makes one council's numbers fall."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from scrutiny.analysis.childlevel import formats
from scrutiny.analysis.childlevel.compute import IndicatorRow, indicators_compute
from scrutiny.analysis.childlevel.synth import (
    SynthError,
    SynthParams,
    TrendAdjustment,
    synth_write,
)
from scrutiny.analysis.childlevel.validate import ChildLevelFiles, load_validated

SOUTH_AYRSHIRE = "S12000028"
SCOTLAND = "S92000003"


def files(directory: Path) -> ChildLevelFiles:
    return ChildLevelFiles(
        directory / formats.LOOKED_AFTER_FILE,
        directory / formats.CHILD_PROTECTION_FILE,
        directory / formats.POPULATION_FILE,
    )


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def table(directory: Path) -> dict[tuple[str, int, str], IndicatorRow]:
    result = indicators_compute(files=files(directory))
    return {(r.council, r.year, r.indicator): r for r in result.rows}


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About half of Scotland, over ten years."""
    directory = tmp_path_factory.mktemp("national")
    synth_write(SynthParams(children=40_000, seed=7), directory)
    return directory


@pytest.mark.parametrize("children", [1, 2, 7, 250])
def test_it_writes_exactly_the_number_of_children_asked_for(tmp_path: Path, children: int) -> None:
    synth_write(SynthParams(children=children, councils=4, years=3, seed=children), tmp_path)
    ids = {row["child_id"] for row in rows(tmp_path / formats.LOOKED_AFTER_FILE)}
    ids |= {row["child_id"] for row in rows(tmp_path / formats.CHILD_PROTECTION_FILE)}
    assert len(ids) == children


def test_the_same_seed_gives_the_same_files_and_another_seed_other_files(tmp_path: Path) -> None:
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        synth_write(SynthParams(children=300, seed=seed), tmp_path / name)
    for file in (formats.LOOKED_AFTER_FILE, formats.CHILD_PROTECTION_FILE):
        first, same, other = ((tmp_path / n / file).read_bytes() for n in "abc")
        assert first == same
        assert first != other


def test_it_writes_valid_files_in_the_first_councils(tmp_path: Path) -> None:
    synth_write(SynthParams(children=2000, councils=3, years=4, last_year=2020), tmp_path)
    with duckdb.connect() as con:
        assert load_validated(con, files(tmp_path)).total == 0
    councils = {row["council"] for row in rows(tmp_path / formats.LOOKED_AFTER_FILE)}
    assert councils == set(formats.council_codes().current[:3])
    population = rows(tmp_path / formats.POPULATION_FILE)
    assert {int(row["year"]) for row in population} == {2017, 2018, 2019, 2020}
    assert len(population) == 12


def test_it_follows_the_national_placement_mix_and_rate(national: Path) -> None:
    result = table(national)
    share = {
        name: result[(SCOTLAND, 2025, name)].numerator
        / result[(SCOTLAND, 2025, "lac_total")].numerator
        for name in (
            "lac_kinship",
            "lac_foster",
            "lac_home",
            "lac_residential",
            "lac_prospective_adopters",
            "lac_other_community",
        )
    }
    assert 0.31 <= share["lac_kinship"] <= 0.37
    assert 0.29 <= share["lac_foster"] <= 0.35
    assert 0.17 <= share["lac_home"] <= 0.23
    assert 0.09 <= share["lac_residential"] <= 0.13
    assert 0.005 <= share["lac_prospective_adopters"] <= 0.02
    assert 0.008 <= share["lac_other_community"] <= 0.025
    rates = [result[(SCOTLAND, year, "lac_total_rate")].value for year in range(2016, 2026)]
    assert all(rate is not None and 11.5 <= rate <= 12.7 for rate in rates)
    assert result[(SCOTLAND, 2025, "cp_reregistrations_18m")].numerator > 0


def test_it_gives_about_two_and_a_half_placements_and_under_a_third_of_a_registration_per_child(
    national: Path,
) -> None:
    placements = len(rows(national / formats.LOOKED_AFTER_FILE))
    registrations = rows(national / formats.CHILD_PROTECTION_FILE)
    assert 2.3 <= placements / 40_000 <= 2.7
    assert 0.25 <= len(registrations) / 40_000 <= 0.33
    unborn = sum(1 for row in registrations if not row["birth_month"])
    assert 0.05 <= unborn / len(registrations) <= 0.15


def test_it_records_concerns_at_the_national_shares(national: Path) -> None:
    concerns = Counter(
        code
        for row in rows(national / formats.CHILD_PROTECTION_FILE)
        for code in row["concerns"].split(";")
    )
    total = sum(concerns.values())
    assert set(concerns) == set(formats.CONCERN_CODES)
    assert 0.14 <= concerns["domestic_abuse"] / total <= 0.18
    assert 0.13 <= concerns["neglect"] / total <= 0.17
    assert concerns["cse"] / total <= 0.03


def test_a_trend_adjustment_makes_one_councils_away_numbers_fall(tmp_path: Path) -> None:
    base = SynthParams(children=60_000, seed=11)
    trend = TrendAdjustment(SOUTH_AYRSHIRE, "lac_away_11_15", start_year=2021, yearly_factor=0.7)
    synth_write(base, tmp_path / "plain")
    synth_write(SynthParams(children=60_000, seed=11, trend=trend), tmp_path / "adjusted")
    plain, adjusted = table(tmp_path / "plain"), table(tmp_path / "adjusted")

    def away(result: dict[tuple[str, int, str], IndicatorRow], council: str, year: int) -> int:
        return result[(council, year, "lac_away_11_15")].numerator

    for year in range(2016, 2021):
        assert away(adjusted, SOUTH_AYRSHIRE, year) == away(plain, SOUTH_AYRSHIRE, year)
    for year in range(2023, 2026):
        assert away(adjusted, SOUTH_AYRSHIRE, year) < 0.55 * away(plain, SOUTH_AYRSHIRE, year)
    # Other councils, South Ayrshire's total looked after and the other files are untouched.
    for name in (formats.CHILD_PROTECTION_FILE, formats.POPULATION_FILE):
        assert (tmp_path / "plain" / name).read_bytes() == (
            tmp_path / "adjusted" / name
        ).read_bytes()
    for year in range(2016, 2026):
        assert away(adjusted, "S12000008", year) == away(plain, "S12000008", year)
        assert (
            adjusted[(SOUTH_AYRSHIRE, year, "lac_total")].numerator
            == plain[(SOUTH_AYRSHIRE, year, "lac_total")].numerator
        )
    with duckdb.connect() as con:
        assert load_validated(con, files(tmp_path / "adjusted")).total == 0


@pytest.mark.parametrize(
    "params",
    [
        SynthParams(children=0),
        SynthParams(children=10, councils=33),
        SynthParams(children=10, years=0),
        SynthParams(children=10, trend=TrendAdjustment(SOUTH_AYRSHIRE, "lac_away", 2020, 1.5)),
        SynthParams(children=10, trend=TrendAdjustment(SOUTH_AYRSHIRE, "cp_register", 2020, 0.8)),
        SynthParams(children=10, trend=TrendAdjustment(SOUTH_AYRSHIRE, "lac_away", 2030, 0.8)),
        SynthParams(
            children=10, councils=2, trend=TrendAdjustment(SOUTH_AYRSHIRE, "lac_away", 2020, 0.8)
        ),
    ],
)
def test_it_refuses_parameters_it_cannot_generate(tmp_path: Path, params: SynthParams) -> None:
    with pytest.raises(SynthError):
        synth_write(params, tmp_path)
