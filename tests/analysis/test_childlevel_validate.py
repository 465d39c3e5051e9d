"""Checking child-level files: every problem is reported with file, data row (1 = the first row
after the header), column and value; files with problems are refused unless rows are dropped."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from tempfile import TemporaryDirectory

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# The fast pass (parallel read, checks that only say whether a file has a problem) and the
# ordered pass (file order, every problem with its row) must agree: same tables, same report.


def _tables(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple[object, ...]], ...]:
    return (
        con.execute("SELECT * FROM la ORDER BY ALL").fetchall(),
        con.execute(
            "SELECT * EXCLUDE (concerns), list_sort(concerns) FROM cp ORDER BY ALL"
        ).fetchall(),
        con.execute("SELECT * FROM pop ORDER BY ALL").fetchall(),
    )


def _outcome(files: ChildLevelFiles, *, fast: bool, drop_invalid: bool) -> tuple[object, ...]:
    with duckdb.connect() as con:
        try:
            report = load_validated(con, files, drop_invalid=drop_invalid, fast=fast)
        except ChildLevelDataError as exc:
            return ("refused", exc.report)
        return ("loaded", report, *_tables(con))


def _passes(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The files that the fast pass took (their typed tables are not the ordered pass's)."""
    names = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    return {key for key in ("la", "cp") if f"{key}_typed" not in names}


DATES = ["2019-12-31", "2020-01-01", "2020-03-01", "2020-06-01", "2020-09-01", "2021-01-01"]
# Values the ordered pass reads differently from DuckDB's casts, or not at all: blank, quoted,
# padded (trimmed by the ordered pass), lenient formats, impossible days, special values.
ODD_DATES = [
    "",
    '""',
    '" "',
    " 2020-01-01",
    "2020-01-01 ",
    "2020-1-01",
    "2020-01-1",
    "2020-01-1x",
    "2020/01/01",
    "2020-02-30",
    "20200101",
    "12020-01-01",
    "-202-01-01",
    "0202-01-01",
    "infinity",
    "epoch",
    "2020-01-01 00:00:00",
]
ODD_MONTHS = ["", '""', "2010-3", "2010-13", " 2010-03", "2010-03 ", "12010-03", "2010-03-01"]
ODD_IDS = ["", '""', " A", "A ", '"A"', '" A"', "a"]
ODD_COUNCILS = ["", " S12000028", "S12000099", "Fife", "s12000028", '"S12000028"']
ODD_TYPES = ["", " foster", "foster ", "fostr", "Foster", '"foster"']
ODD_CONCERNS = ["", " neglect ; cse", "neglect;;", "neglect;drugs", "NEGLECT", '"neglect;cse"']


@st.composite
def _placement(draw: st.DrawFn) -> str:
    # Mostly an episode holding its placement (start <= placement start <= end <= episode end),
    # sometimes any four dates; ends blank at random.
    dates = draw(st.lists(st.sampled_from(DATES), min_size=4, max_size=4))
    es, ps, pe, ee = sorted(dates) if draw(st.integers(0, 3)) else dates
    ee, pe = (draw(st.sampled_from([end, end, ""])) for end in (ee, pe))
    fields = [
        draw(st.sampled_from(["A", "A", "B"])),
        draw(st.sampled_from(["S12000047", "S12000047", "S12000015", "S12000028"])),  # 15 is 47
        "female",
        draw(st.sampled_from(["2010-03", "2008-11"])),
        es,
        ee,
        ps,
        pe,
        draw(st.sampled_from(["foster", "kinship", "home"])),
    ]
    odd = {0: ODD_IDS, 1: ODD_COUNCILS, 3: ODD_MONTHS, 8: ODD_TYPES}
    if not draw(st.integers(0, 3)):
        column = draw(st.integers(0, 8))
        fields[column] = draw(st.sampled_from(odd.get(column, ODD_DATES)))
    return ",".join(fields)


@st.composite
def _registration(draw: st.DrawFn) -> str:
    registered, deregistered = sorted(
        draw(st.lists(st.sampled_from(DATES), min_size=2, max_size=2))
    )
    fields = [
        draw(st.sampled_from(["A", "B", "P"])),
        draw(st.sampled_from(["S12000028", "S12000044"])),
        "",
        draw(st.sampled_from(["", "2015-05"])),
        registered,
        draw(st.sampled_from([deregistered, ""])),
        draw(st.sampled_from(["neglect", "neglect;cse", "", "cse; neglect;neglect"])),
    ]
    odd = {0: ODD_IDS, 1: ODD_COUNCILS, 3: ODD_MONTHS, 6: ODD_CONCERNS}
    if not draw(st.integers(0, 3)):
        column = draw(st.integers(0, 6))
        fields[column] = draw(st.sampled_from(odd.get(column, ODD_DATES)))
    return ",".join(fields)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    la=st.lists(_placement(), max_size=10),
    cp=st.lists(_registration(), max_size=5),
    drop_invalid=st.booleans(),
)
def test_the_fast_pass_agrees_with_the_ordered_pass(
    la: list[str], cp: list[str], drop_invalid: bool
) -> None:
    """
    Given small files with valid rows, rows that break checks across rows, and values that
    DuckDB's casts read but the formats do not allow (or the other way round)
    When they are loaded with the fast pass, and with the ordered pass only
    Then the tables and the report are the same
    """
    with TemporaryDirectory() as name:
        files = inputs(Path(name), la=la, cp=cp, pop=["S12000028,2021,19000"])
        fast = _outcome(files, fast=True, drop_invalid=drop_invalid)
        ordered = _outcome(files, fast=False, drop_invalid=drop_invalid)
    assert fast == ordered


_EPISODE_A = "A,S12000028,f,2010-03,2020-01-01,2020-12-31,"


@pytest.mark.parametrize(
    ("la", "refused"),
    [
        # Dates and months that DuckDB writes back as they are, but are not YYYY-MM-DD.
        (["A,S12000028,f,2010-03,infinity,,infinity,,foster"], True),
        (["A,S12000028,f,2010-03,12020-01-01,,12020-01-01,,foster"], True),
        (["A,S12000028,f,12010-03,2020-01-01,,2020-01-01,,foster"], True),
        (["A,S12000028,f,2010-03,2020-01-01,,2020-01-01,2020-01-1x,foster"], True),
        (["A,S12000028,f,2010-03,2020-01-01,,2020-01-01,+2020-01-01,foster"], True),
        # Padded values, trimmed by the ordered pass: accepted, and the same child.
        (["A,S12000028,f,2010-03,2020-01-01,, 2020-01-01,,foster"], False),
        ([" A,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster"], False),
        (
            [
                "A ,S12000028,f,2010-03,2020-01-01,,2020-01-01,2020-06-01,foster",
                "A,S12000028,f,2010-03,2020-01-01,,2020-05-01,,foster",
            ],
            True,
        ),
        # Rows of an episode differing in one thing only.
        ([_EPISODE_A + "2020-01-01,2020-06-01,foster", _EPISODE_A + "2020-06-01,,foster"], True),
        (
            [
                _EPISODE_A + "2020-01-01,2020-06-01,foster",
                "A,S12000028,f,2010-03,2020-01-01,2021-01-31,2020-06-01,2020-12-31,foster",
            ],
            True,
        ),
        (
            [
                _EPISODE_A + "2020-01-01,2020-06-01,foster",
                "A,S12000008,f,2010-03,2020-01-01,2020-12-31,2020-06-01,2020-12-31,foster",
            ],
            True,
        ),
        (
            [
                _EPISODE_A + "2020-01-01,2020-06-01,foster",
                "A,S12000015,f,2010-03,2020-01-01,2020-12-31,2020-06-01,2020-12-31,foster",
                "A,S12000047,f,2010-03,2020-01-01,2020-12-31,2020-12-31,2020-12-31,kinship",
            ],
            True,
        ),
        (
            [
                "A,S12000047,f,2010-03,2020-01-01,2020-12-31,2020-01-01,2020-06-01,foster",
                "A,S12000015,f,2010-03,2020-01-01,2020-12-31,2020-06-01,2020-12-31,foster",
            ],
            False,
        ),
    ],
)
def test_the_fast_pass_passes_only_what_the_ordered_pass_accepts(
    tmp_path: Path, la: list[str], refused: bool
) -> None:
    files = inputs(tmp_path, la=la)
    fast = _outcome(files, fast=True, drop_invalid=False)
    assert fast == _outcome(files, fast=False, drop_invalid=False)
    assert (fast[0] == "refused") == refused


@pytest.mark.parametrize(
    "row",
    [
        "P,S12000028,,12015-05,2021-01-01,,neglect",
        "P,S12000028,,,infinity,,neglect",
        "P,S12000028,,,2021-01-01,12021-01-01,neglect",
        "P,S12000028,,,2021-01-01,2020-12-31,neglect",
        "P,S12000028,,,2021-01-01,,neglect;Neglect",
        ",S12000028,,,2021-01-01,,neglect",
    ],
)
def test_the_fast_pass_refuses_what_the_ordered_pass_refuses_in_child_protection(
    tmp_path: Path, row: str
) -> None:
    files = inputs(tmp_path, cp=[GOOD_REGISTRATION, row])
    fast = _outcome(files, fast=True, drop_invalid=False)
    assert fast == _outcome(files, fast=False, drop_invalid=False)
    assert fast[0] == "refused"


def test_clean_files_take_the_fast_pass(tmp_path: Path) -> None:
    with duckdb.connect() as con:
        report = load_validated(con, inputs(tmp_path))
        assert _passes(con) == {"la", "cp"}
    assert report.total == 0


def test_a_file_with_a_problem_takes_the_ordered_pass_alone(tmp_path: Path) -> None:
    files = inputs(tmp_path, la=[GOOD_PLACEMENT.replace("foster", "fostr")])
    with duckdb.connect() as con:
        report = load_validated(con, files, drop_invalid=True)
        assert _passes(con) == {"cp"}
        assert con.execute("SELECT count(*) FROM la").fetchone() == (0,)
    assert report.invalid_rows == {"looked_after.csv": 1}


def test_values_the_fast_pass_cannot_settle_are_read_by_the_ordered_pass(tmp_path: Path) -> None:
    """Padded values are trimmed, a placement of no days inside another is allowed, and two
    episodes of a child may interleave: the fast pass sends such files to the ordered pass."""
    files = inputs(
        tmp_path,
        la=[
            " A , S12000028 ,f, 2010-03 , 2020-01-01 ,, 2020-01-01 ,, foster ",
            "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster",
            "B,S12000028,f,2010-03,2020-01-01,,2020-03-01,2020-03-01,kinship",
            "C,S12000028,f,2010-03,2020-01-01,2020-12-31,2020-01-01,2020-03-01,foster",
            "C,S12000028,f,2010-03,2020-02-01,,2020-03-01,2020-05-01,foster",
            "C,S12000028,f,2010-03,2020-01-01,2020-12-31,2020-05-01,2020-12-31,foster",
        ],
    )
    with duckdb.connect() as con:
        assert load_validated(con, files).total == 0
        assert _passes(con) == {"cp"}
        assert con.execute("SELECT count(*) FROM la WHERE child_id = 'A'").fetchone() == (1,)


def test_rows_in_any_order_take_the_fast_pass(tmp_path: Path) -> None:
    """
    Given a child's placements out of date order and its rows apart in the file
    When the file is loaded
    Then the fast pass checks them sorted, and they pass
    """
    episode = "A,S12000028,f,2010-03,2020-01-01,,"
    files = inputs(
        tmp_path,
        la=[
            episode + "2020-06-01,,kinship",
            "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster",
            episode + "2020-01-01,2020-06-01,foster",
        ],
    )
    with duckdb.connect() as con:
        assert load_validated(con, files).total == 0
        assert _passes(con) == {"la", "cp"}


def test_it_reports_a_disagreeing_row_of_an_episode_interleaved_with_another(
    tmp_path: Path,
) -> None:
    """The rows of episode 2020-01-01 are apart in date order (episode 2020-02-01 comes between):
    the fast pass cannot compare them as neighbours, and leaves the file to the ordered pass."""
    files = inputs(
        tmp_path,
        la=[
            "A,S12000028,f,2010-03,2020-01-01,2020-12-31,2020-01-01,2020-03-01,foster",
            "A,S12000028,f,2010-03,2020-02-01,,2020-03-01,2020-05-01,foster",
            "A,S12000028,f,2010-03,2020-01-01,,2020-05-01,,foster",
        ],
    )
    assert where(problems(files)) == [("looked_after.csv", 3, "episode_end", validate.ONGOING)]


def test_rows_in_any_order_with_an_overlap_are_reported(tmp_path: Path) -> None:
    episode = "A,S12000028,f,2010-03,2020-01-01,,"
    files = inputs(
        tmp_path,
        la=[
            episode + "2020-05-01,,kinship",
            "B,S12000028,f,2010-03,2020-01-01,,2020-01-01,,foster",
            episode + "2020-01-01,2020-06-01,foster",
        ],
    )
    assert [str(p) for p in problems(files)] == [
        'looked_after.csv row 1: placement_start "2020-05-01" '
        + validate.OVERLAP.format(other=3, child="A")
    ]


def _large_placements(children: int) -> list[str]:
    """Three chained placements in one episode for each child: about 40 MB for 170,000."""
    rows = []
    for i in range(children):
        episode = f"C{i:07d},S12000028,female,2010-03,2020-01-01,2021-06-30,"
        rows += [
            episode + "2020-01-01,2020-04-01,foster",
            episode + "2020-04-01,2020-09-01,kinship",
            episode + "2020-09-01,2021-06-30,la_home",
        ]
    return rows


def test_a_large_clean_file_takes_the_fast_pass(tmp_path: Path) -> None:
    """
    Given a file large enough to be read in parallel (about 40 MB) and without problems
    When it is loaded
    Then the fast pass takes it, and the table holds every row
    """
    rows = _large_placements(170_000)
    with duckdb.connect() as con:
        assert load_validated(con, inputs(tmp_path, la=rows)).total == 0
        assert _passes(con) == {"la", "cp"}
        assert con.execute("SELECT count(*) FROM la").fetchone() == (len(rows),)


def test_it_numbers_overlaps_in_a_large_file_in_file_order(tmp_path: Path) -> None:
    """
    Given the same large file with an overlap near its start, middle and end
    When it is loaded
    Then the ordered pass reports each with its own row and the row it overlaps
    """
    rows = _large_placements(170_000)
    for second in (1, 255_001, 509_998):  # the second placement of a child starts a day early
        rows[second] = rows[second].replace(",2020-04-01,2020-09-01,", ",2020-03-31,2020-09-01,")
    found = problems(inputs(tmp_path, la=rows))
    assert [(p.row, p.message) for p in found] == [
        (row + 1, validate.OVERLAP.format(other=row, child=f"C{row // 3:07d}"))
        for row in (1, 255_001, 509_998)
    ]
