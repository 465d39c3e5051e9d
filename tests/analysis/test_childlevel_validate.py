"""Checking child-level files: every problem is reported with file, data row (1 = the first row
after the header), column and value; files with problems are refused unless rows are dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from scrutiny.analysis.childlevel import formats, validate
from scrutiny.analysis.childlevel.validate import (
    ChildLevelDataError,
    ChildLevelFiles,
    Problem,
    ValidationReport,
    load_validated,
)

LA_HEADER = ",".join(formats.LOOKED_AFTER_COLUMNS)
CP_HEADER = ",".join(formats.CHILD_PROTECTION_COLUMNS)
POP_HEADER = ",".join(formats.POPULATION_COLUMNS)

GOOD_PLACEMENT = "A,S12000028,female,2010-03,2020-01-01,,2020-01-01,,foster"
GOOD_REGISTRATION = "P,S12000028,,,2021-01-01,,neglect"
GOOD_POPULATION = "S12000028,2021,19000"


def inputs(
    tmp_path: Path,
    la: list[str] | None = None,
    cp: list[str] | None = None,
    pop: list[str] | None = None,
    *,
    la_header: str = LA_HEADER,
) -> ChildLevelFiles:
    paths = []
    for name, header, rows, default in (
        ("looked_after.csv", la_header, la, GOOD_PLACEMENT),
        ("child_protection.csv", CP_HEADER, cp, GOOD_REGISTRATION),
        ("population.csv", POP_HEADER, pop, GOOD_POPULATION),
    ):
        path = tmp_path / name
        lines = [header, *(rows if rows is not None else [default])]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return ChildLevelFiles(*paths)


def load(files: ChildLevelFiles, *, drop_invalid: bool = False) -> ValidationReport:
    with duckdb.connect() as con:
        return load_validated(con, files, drop_invalid=drop_invalid)


def problems(files: ChildLevelFiles) -> list[Problem]:
    with pytest.raises(ChildLevelDataError) as caught:
        load(files)
    return list(caught.value.report.problems)


def where(found: list[Problem]) -> list[tuple[str, int | None, str | None, str | None]]:
    return [(p.file, p.row, p.column, p.value) for p in found]


def test_it_accepts_valid_files(tmp_path: Path) -> None:
    report = load(inputs(tmp_path))
    assert (report.total, report.problems) == (0, ())


def test_it_accepts_replaced_council_codes(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=["A,S12000015,female,2010-03,2020-01-01,,2020-01-01,,foster"],
        pop=["S12000024,2021,30000"],
    )
    assert load(files).total == 0


def test_it_accepts_an_end_on_the_start_day(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=["A,S12000028,,2010-03,2020-01-01,2020-01-01,2020-01-01,2020-01-01,foster"],
        cp=["P,S12000028,,,2021-01-01,2021-01-01,"],
    )
    assert load(files).total == 0


def test_it_refuses_a_file_with_a_missing_column(tmp_path: Path) -> None:
    header = LA_HEADER.replace(",placement_type", "").replace("birth_month,", "")
    files = inputs(tmp_path, la=["A,S12000028,female,2020-01-01,,2020-01-01,"], la_header=header)
    with pytest.raises(ChildLevelDataError) as caught:
        load(files, drop_invalid=True)
    report = caught.value.report
    assert report.fatal
    assert [str(p) for p in report.problems] == [
        "looked_after.csv: missing column(s): birth_month, placement_type"
    ]


def test_it_refuses_a_row_with_the_wrong_number_of_fields(tmp_path: Path) -> None:
    files = inputs(tmp_path, cp=[GOOD_REGISTRATION, GOOD_REGISTRATION, "Q,S12000028,,"])
    found = problems(files)
    assert [str(p) for p in found] == [
        "child_protection.csv: " + validate.BAD_SHAPE.format(line=4, found=4, expected=7)
    ]


def test_it_refuses_a_missing_file(tmp_path: Path) -> None:
    files = inputs(tmp_path)
    files.population.unlink()
    assert [str(p) for p in problems(files)] == [f"population.csv: {validate.MISSING_FILE}"]


def test_it_reads_columns_in_any_order_and_ignores_extra_ones(tmp_path: Path) -> None:
    header = "note," + ",".join(reversed(formats.LOOKED_AFTER_COLUMNS))
    row = "x," + ",".join(reversed(GOOD_PLACEMENT.split(",")))
    assert load(inputs(tmp_path, la=[row], la_header=header)).total == 0


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (",S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster", "child_id", None, validate.BLANK),
        (
            "A,S12000099,f,2010-03,2020-01-01,,2020-01-01,,foster",
            "council",
            "S12000099",
            validate.NOT_A_COUNCIL,
        ),
        (
            "A,South Ayrshire,f,2010-03,2020-01-01,,2020-01-01,,foster",
            "council",
            "South Ayrshire",
            validate.NOT_A_COUNCIL,
        ),
        ("A,,f,2010-03,2020-01-01,,2020-01-01,,foster", "council", None, validate.BLANK),
        (
            "A,S12000028,f,2010-13,2020-01-01,,2020-01-01,,foster",
            "birth_month",
            "2010-13",
            validate.NOT_A_MONTH,
        ),
        ("A,S12000028,f,,2020-01-01,,2020-01-01,,foster", "birth_month", None, validate.BLANK),
        (
            "A,S12000028,f,2010-03,2020-02-30,,2020-02-30,,foster",
            "episode_start",
            "2020-02-30",
            validate.NOT_A_DATE,
        ),
        (
            "A,S12000028,f,2010-03,2020-01-01,31/12/2020,2020-01-01,,foster",
            "episode_end",
            "31/12/2020",
            validate.NOT_A_DATE,
        ),
        (
            "A,S12000028,f,2010-03,2020-01-01,,2020-1-01,,foster",
            "placement_start",
            "2020-1-01",
            validate.NOT_A_DATE,
        ),
        (
            "A,S12000028,f,2010-03,2020-01-01,,2020-01-01,2021-01-1,foster",
            "placement_end",
            "2021-01-1",
            validate.NOT_A_DATE,
        ),
        (
            "A,S12000028,f,2010-03,2020-01-01,,2020-01-01,,fostering",
            "placement_type",
            "fostering",
            validate.NOT_A_PLACEMENT_TYPE,
        ),
        ("A,S12000028,f,2010-03,2020-01-01,,2020-01-01,,", "placement_type", None, validate.BLANK),
        (
            "A,S12000028,f,2010-03,2020-01-01,2019-12-31,2020-01-01,2019-12-31,foster",
            "episode_end",
            "2019-12-31",
            validate.END_BEFORE_START.format(start_column="episode_start", start="2020-01-01"),
        ),
    ],
)
def test_it_reports_a_bad_looked_after_value_with_its_row(
    tmp_path: Path, row: str, column: str, value: str | None, message: str
) -> None:
    found = problems(inputs(tmp_path, la=[GOOD_PLACEMENT, row]))
    assert Problem("looked_after.csv", 2, column, value, message) in found


def test_it_reports_a_placement_ending_before_it_starts(tmp_path: Path) -> None:
    row = "A,S12000028,f,2010-03,2020-01-01,,2020-03-01,2020-02-01,foster"
    assert where(problems(inputs(tmp_path, la=[row]))) == [
        ("looked_after.csv", 1, "placement_end", "2020-02-01")
    ]


@pytest.mark.parametrize(
    "row",
    [
        # starts before its episode
        "A,S12000028,f,2010-03,2020-02-01,,2020-01-01,,foster",
        # ends after its episode
        "A,S12000028,f,2010-03,2020-01-01,2020-06-01,2020-01-01,2020-07-01,foster",
        # still open when its episode has ended
        "A,S12000028,f,2010-03,2020-01-01,2020-06-01,2020-01-01,,foster",
    ],
)
def test_it_reports_a_placement_outside_its_episode(tmp_path: Path, row: str) -> None:
    found = problems(inputs(tmp_path, la=[row]))
    assert where(found) == [("looked_after.csv", 1, "placement_start", row.split(",")[6])]
    assert "lies outside its episode" in found[0].message


def test_it_reports_overlapping_placements_of_a_child_naming_both_rows(tmp_path: Path) -> None:
    episode = "A,S12000028,f,2010-03,2020-01-01,"
    files = inputs(
        tmp_path,
        la=[
            episode + ",2020-01-01,2020-06-01,foster",
            "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster",
            episode + ",2020-06-01,,kinship",  # adjoining: fine
            episode + ",2020-05-01,2020-06-01,la_home",  # overlaps row 1
        ],
    )
    found = problems(files)
    assert [str(p) for p in found] == [
        'looked_after.csv row 4: placement_start "2020-05-01" '
        + validate.OVERLAP.format(other=1, child="A")
    ]


def test_a_placement_of_no_days_overlaps_nothing(tmp_path: Path) -> None:
    episode = "A,S12000028,f,2010-03,2020-01-01,"
    files = inputs(
        tmp_path,
        la=[
            episode + ",2020-01-01,2020-06-01,foster",
            episode + ",2020-01-01,2020-01-01,kinship",
            episode + ",2020-03-01,2020-03-01,kinship",
        ],
    )
    assert load(files).total == 0


def test_it_reports_placements_starting_on_the_same_day(tmp_path: Path) -> None:
    episode = "A,S12000028,f,2010-03,2020-01-01,"
    files = inputs(
        tmp_path,
        la=[episode + ",2020-01-01,2020-06-01,foster", episode + ",2020-01-01,,kinship"],
    )
    assert where(problems(files)) == [("looked_after.csv", 2, "placement_start", "2020-01-01")]


def test_it_reports_overlapping_placements_of_a_child_in_two_councils(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=[
            "A,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster",
            "A,S12000008,f,2010-03,2021-01-01,,2021-01-01,,kinship",
        ],
        pop=["S12000028,2021,19000", "S12000008,2021,25000"],
    )
    assert where(problems(files)) == [("looked_after.csv", 2, "placement_start", "2021-01-01")]


def test_it_reports_rows_of_an_episode_that_disagree_with_its_first_row(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=[
            "A,S12000028,f,2010-03,2020-01-01,2021-01-01,2020-01-01,2020-06-01,foster",
            "A,S12000008,f,2010-03,2020-01-01,,2020-06-01,,kinship",
        ],
    )
    found = problems(files)
    assert where(found) == [
        ("looked_after.csv", 2, "episode_end", validate.ONGOING),
        ("looked_after.csv", 2, "council", "S12000008"),
    ]
    assert found[0].message == validate.EPISODE_DISAGREES.format(
        other=1, child="A", start="2020-01-01"
    )


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        ("P,S12000028,,2020-1,2021-01-01,,neglect", "birth_month", "2020-1", validate.NOT_A_MONTH),
        ("P,S12000028,,,,,neglect", "registration_date", None, validate.BLANK),
        (
            "P,S12000028,,,2021-01-01,2021-13-01,neglect",
            "deregistration_date",
            "2021-13-01",
            validate.NOT_A_DATE,
        ),
        (
            "P,S12000028,,,2021-01-01,2020-12-31,neglect",
            "deregistration_date",
            "2020-12-31",
            validate.END_BEFORE_START.format(start_column="registration_date", start="2021-01-01"),
        ),
        (
            "P,S12000028,,,2021-01-01,,neglect;drug_misuse",
            "concerns",
            "drug_misuse",
            validate.NOT_A_CONCERN,
        ),
        ("P,S99999999,,,2021-01-01,,", "council", "S99999999", validate.NOT_A_COUNCIL),
    ],
)
def test_it_reports_a_bad_child_protection_value_with_its_row(
    tmp_path: Path, row: str, column: str, value: str | None, message: str
) -> None:
    found = problems(inputs(tmp_path, cp=[GOOD_REGISTRATION, GOOD_REGISTRATION, row]))
    assert Problem("child_protection.csv", 3, column, value, message) in found


def test_it_accepts_a_blank_birth_month_for_an_unborn_child(tmp_path: Path) -> None:
    assert load(inputs(tmp_path, cp=["P,S12000028,,,2021-01-01,,"])).total == 0


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        ("S12000028,21,19000", "year", "21", validate.NOT_A_YEAR),
        ("S12000028,2021,0", "population_0_17", "0", validate.NOT_A_POPULATION),
        ("S12000028,2021,19 000", "population_0_17", "19 000", validate.NOT_A_POPULATION),
        ("S12000028,2021,", "population_0_17", None, validate.BLANK),
        ("Scotland,2021,1000000", "council", "Scotland", validate.NOT_A_COUNCIL),
    ],
)
def test_it_reports_a_bad_population_value_with_its_row(
    tmp_path: Path, row: str, column: str, value: str | None, message: str
) -> None:
    found = problems(inputs(tmp_path, pop=["S12000028,2020,19000", row]))
    assert Problem("population.csv", 2, column, value, message) in found


def test_it_reports_a_second_population_for_a_council_and_year(tmp_path: Path) -> None:
    # The replaced code for Fife is the same council as the current one.
    found = problems(inputs(tmp_path, pop=["S12000047,2021,70000", "S12000015,2021,71000"]))
    assert [str(p) for p in found] == [
        'population.csv row 2: year "2021" '
        + validate.DUPLICATE_POPULATION.format(council="S12000047", year=2021, other=1)
    ]


def test_it_reports_every_problem_in_every_file_in_order(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=[GOOD_PLACEMENT, "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,fostr"],
        cp=["P,S12000028,,,2021-01-01,,neglect;x", "Q,S1,,,2021-01-01,,"],
        pop=["S12000028,2021,-1"],
    )
    with pytest.raises(ChildLevelDataError) as caught:
        load(files)
    report = caught.value.report
    assert where(list(report.problems)) == [
        ("looked_after.csv", 2, "placement_type", "fostr"),
        ("child_protection.csv", 1, "concerns", "x"),
        ("child_protection.csv", 2, "council", "S1"),
        ("population.csv", 1, "population_0_17", "-1"),
    ]
    assert report.invalid_rows == {
        "looked_after.csv": 1,
        "child_protection.csv": 2,
        "population.csv": 1,
    }


def test_it_caps_the_listing_and_counts_the_rest(tmp_path: Path) -> None:
    rows = [f"C{i},S12000028,f,2010-03,2020-01-01,,2020-01-01,,bad" for i in range(60)]
    with pytest.raises(ChildLevelDataError) as caught:
        load(inputs(tmp_path, la=rows))
    report = caught.value.report
    assert (report.total, len(report.problems)) == (60, validate.LISTING_LIMIT)
    lines = report.listing().splitlines()
    assert lines[0].startswith("60 problems in the input files (rows are data rows")
    assert lines[1] == 'looked_after.csv row 1: placement_type "bad" is not a placement type code'
    assert lines[-1] == "… and 10 more."


def test_dropping_invalid_rows_keeps_the_rest(tmp_path: Path) -> None:
    episode = "A,S12000028,f,2010-03,2020-01-01,"
    files = inputs(
        tmp_path,
        la=[
            episode + ",2020-01-01,2020-06-01,foster",
            episode + ",2020-05-01,,la_home",  # overlaps row 1: dropped
            "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,fostr",  # dropped
            "C,S12000028,f,2010-03,2020-01-01,,2020-01-01,,kinship",
        ],
        cp=[GOOD_REGISTRATION, "Q,S12000028,,,2021-01-01,2020-01-01,"],
    )
    with duckdb.connect() as con:
        report = load_validated(con, files, drop_invalid=True)
        kept = con.execute("SELECT child_id, placement_type FROM la ORDER BY ALL").fetchall()
        registrations = con.execute("SELECT child_id FROM cp").fetchall()
    assert report.invalid_rows == {"looked_after.csv": 2, "child_protection.csv": 1}
    assert kept == [("A", "foster"), ("C", "kinship")]
    assert registrations == [("P",)]


def test_dropping_invalid_rows_still_refuses_an_unreadable_file(tmp_path: Path) -> None:
    files = inputs(tmp_path, la_header="child_id,council")
    with pytest.raises(ChildLevelDataError):
        load(files, drop_invalid=True)


def test_it_loads_typed_tables_with_current_council_codes(tmp_path: Path) -> None:
    files = inputs(
        tmp_path,
        la=["A,S12000046,f,2010-03,2020-01-01,,2020-01-01,,foster"],
        cp=["P,S12000044,,,2021-01-01,,neglect; cse"],
    )
    with duckdb.connect() as con:
        load_validated(con, files)
        la = con.execute("SELECT council, birth_month, placement_end FROM la").fetchall()
        cp = con.execute("SELECT council, list_sort(concerns) FROM cp").fetchall()
    assert la == [("S12000049", dt.date(2010, 3, 1), None)]
    assert cp == [("S12000050", ["cse", "neglect"])]


def test_it_numbers_the_rows_of_a_large_file_in_file_order(tmp_path: Path) -> None:
    """
    Given a file large enough to be read in parallel (about 40 MB)
    When rows near its start, middle and end are bad
    Then each is reported with its own row number
    """
    rows = [
        f"C{i:07d},S12000028,female,2010-03,2020-01-01,,2020-01-01,,foster" for i in range(500_000)
    ]
    for bad in (0, 250_000, 499_999):
        rows[bad] = rows[bad].replace("foster", "fostr")
    found = problems(inputs(tmp_path, la=rows))
    assert where(found) == [
        ("looked_after.csv", 1, "placement_type", "fostr"),
        ("looked_after.csv", 250_001, "placement_type", "fostr"),
        ("looked_after.csv", 500_000, "placement_type", "fostr"),
    ]
