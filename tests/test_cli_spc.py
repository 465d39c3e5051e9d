"""``scrutiny spc``: the command's JSON and CSV contract, and one clear line for bad input."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from scrutiny.cli import app

runner = CliRunner()

# Ten noisy months, then seven below the average.
MONTHS = [f"2024-{month:02d}" for month in range(1, 13)] + [
    f"2025-{month:02d}" for month in range(1, 6)
]
VALUES = [0, 10] * 5 + [4] * 7
TOP_KEYS = {"chart", "improvement", "groups", "points", "variation", "assurance", "summary"}
GROUP_KEYS = {
    "start",
    "end",
    "n",
    "centre",
    "lower",
    "upper",
    "near_lower",
    "near_upper",
    "trial_limits",
}
POINT_KEYS = {"period", "value", "centre", "lower", "upper", "rule", "point_type"}
RUNS_KEYS = {"useful", "longest_run", "longest_run_limit", "crossings", "crossings_min", "signal"}


def write_csv(tmp_path: Path, text: str, name: str = "measure.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def measure(tmp_path: Path) -> Path:
    rows = "".join(f"{period},{value}\n" for period, value in zip(MONTHS, VALUES, strict=True))
    return write_csv(tmp_path, "period,value\n" + rows)


def spc(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["spc", *map(str, args)])
    return result.exit_code, result.stdout, result.stderr


def test_it_prints_one_json_object_with_the_contracts_keys(tmp_path: Path) -> None:
    code, out, err = spc(measure(tmp_path), "--improvement", "decrease")
    assert (code, err) == (0, "")
    chart = json.loads(out)
    assert set(chart) == TOP_KEYS
    assert chart["chart"] == "xmr"
    assert chart["improvement"] == "decrease"
    assert [set(group) for group in chart["groups"]] == [GROUP_KEYS]
    assert all(set(point) == POINT_KEYS for point in chart["points"])
    assert [point["period"] for point in chart["points"]] == MONTHS
    assert chart["points"][-1]["rule"] == "shift"
    assert chart["points"][-1]["point_type"] == "special_cause_improvement"
    assert chart["points"][0]["rule"] is None
    assert chart["variation"] == "improvement_low"
    assert chart["assurance"] is None
    assert chart["summary"].startswith("The last 7 points were all below the average")


def test_it_reports_the_groups_limits_in_periods(tmp_path: Path) -> None:
    _, out, _ = spc(measure(tmp_path), "--rebase", "2024-11")
    groups = json.loads(out)["groups"]
    assert [(group["start"], group["end"], group["n"]) for group in groups] == [
        ("2024-01", "2024-10", 10),
        ("2024-11", "2025-05", 7),
    ]
    assert groups[0]["centre"] == pytest.approx(5.0)
    assert groups[1]["centre"] == pytest.approx(4.0)
    assert groups[0]["trial_limits"] is True
    assert groups[0]["upper"] > groups[0]["near_upper"] > groups[0]["centre"]


def test_defaults_are_an_xmr_chart_with_neutral_improvement(tmp_path: Path) -> None:
    chart = json.loads(spc(measure(tmp_path))[1])
    assert (chart["chart"], chart["improvement"]) == ("xmr", "neutral")
    assert chart["points"][-1]["point_type"] == "special_cause_neutral_low"
    assert chart["variation"] == "neutral_low"


def test_it_gives_assurance_against_a_target(tmp_path: Path) -> None:
    chart = json.loads(spc(measure(tmp_path), "--improvement", "increase", "--target", "100")[1])
    assert chart["assurance"] == "consistent_fail"
    assert "Target 100" in chart["summary"]


def test_fixed_limits_come_from_the_first_points(tmp_path: Path) -> None:
    plain = json.loads(spc(measure(tmp_path))[1])["groups"][0]
    fixed = json.loads(spc(measure(tmp_path), "--fix-after", "10")[1])["groups"][0]
    assert plain["centre"] == pytest.approx(78 / 17)
    assert fixed["centre"] == pytest.approx(5.0)


def test_screening_drops_large_moving_ranges_only_when_asked(tmp_path: Path) -> None:
    """Moving ranges 1, 1, 1, 1, 30, 30, 1, 1, 1: screened, AMR 1 and limits 13.4 ± 2.66."""
    values = [10, 11, 10, 11, 10, 40, 10, 11, 10, 11]
    path = write_csv(
        tmp_path, "period,value\n" + "".join(f"{i},{v}\n" for i, v in enumerate(values))
    )
    screened = json.loads(spc(path, "--screen")[1])["groups"][0]
    plain = json.loads(spc(path)[1])["groups"][0]
    assert screened["upper"] == pytest.approx(13.4 + 2.66)
    assert plain["upper"] == pytest.approx(13.4 + 2.66 * 67 / 9)


def test_a_run_chart_has_the_median_no_limits_and_the_runs_analysis(tmp_path: Path) -> None:
    code, out, _ = spc(measure(tmp_path), "--chart", "run")
    assert code == 0
    chart = json.loads(out)
    assert set(chart) == TOP_KEYS | {"runs"}
    assert set(chart["runs"]) == RUNS_KEYS
    assert chart["chart"] == "run"
    assert chart["groups"][0]["centre"] == 4.0  # median of 0 x 5, 4 x 7, 10 x 5
    assert {chart["groups"][0][key] for key in ("lower", "upper", "near_lower", "near_upper")} == {
        None
    }
    assert {(point["lower"], point["upper"]) for point in chart["points"]} == {(None, None)}
    # The seven 4s sit on the median: ten useful points, alternating.
    assert chart["runs"]["useful"] == 10
    assert chart["runs"]["crossings"] == 9
    assert chart["runs"]["signal"] is False


def test_an_xmr_chart_has_no_runs_analysis(tmp_path: Path) -> None:
    assert "runs" not in json.loads(spc(measure(tmp_path))[1])


def test_it_prints_the_points_as_csv(tmp_path: Path) -> None:
    code, out, _ = spc(measure(tmp_path), "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["period", "value", "centre", "lower", "upper", "rule", "point_type"]
    assert [row[0] for row in rows[1:]] == MONTHS
    assert rows[1][5] == ""
    assert rows[-1][5:] == ["shift", "special_cause_neutral_low"]
    assert float(rows[1][2]) == pytest.approx(78 / 17)


def test_a_run_chart_as_csv_leaves_the_limits_empty(tmp_path: Path) -> None:
    out = spc(measure(tmp_path), "--chart", "run", "--format", "csv")[1]
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(row["lower"], row["upper"]) for row in rows} == {("", "")}


def test_periods_are_kept_as_given_in_file_order(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "period,value\nQ3 2024,1\nQ1 2024,2\n 007 ,3\n")
    points = json.loads(spc(path)[1])["points"]
    assert [point["period"] for point in points] == ["Q3 2024", "Q1 2024", " 007 "]


def test_it_accepts_a_byte_order_mark_and_blank_lines(tmp_path: Path) -> None:
    path = write_csv(tmp_path, "\ufeffperiod,value\r\n2024,1\r\n\r\n2025,2\r\n")
    code, out, _ = spc(path)
    assert code == 0
    assert len(json.loads(out)["points"]) == 2


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty; expected the header 'period,value'"),
        (
            "date,amount\n2024,1\n",
            "line 1: expected the header 'period,value', found 'date,amount'",
        ),
        ("period,value\n2024,1\n2025,lots\n", "line 3: value 'lots' is not a number"),
        ("period,value\n2024,1\n2025,\n", "line 3: value '' is not a number"),
        ("period,value\n2024,1\n2025,nan\n", "line 3: value 'nan' is not a number"),
        ("period,value\n2024,1\n2025,1e999\n", "line 3: value '1e999' is too large"),
        (
            "period,value\n2024,1\n2025,2\n2024,3\n",
            "line 4: period '2024' already appears on line 2",
        ),
        ("period,value\n2024,1,2\n", "line 2: expected 2 fields (period,value), found 3"),
        ("period,value\n,1\n", "line 2: the period is empty"),
        ("period,value\n", "An XmR chart needs at least 2 points; 0 were given."),
        ("period,value\n2024,1\n", "An XmR chart needs at least 2 points; 1 was given."),
    ],
)
def test_bad_input_stops_with_one_line_naming_the_line_and_exit_code_2(
    tmp_path: Path, text: str, message: str
) -> None:
    code, out, err = spc(write_csv(tmp_path, text))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert err.startswith(f"Error: {tmp_path / 'measure.csv'}")
    assert message in err
    assert "Traceback" not in err


def test_a_missing_file_stops_with_one_line(tmp_path: Path) -> None:
    code, _, err = spc(tmp_path / "nowhere.csv")
    assert code == 2
    assert err == f"Error: {tmp_path / 'nowhere.csv'}: no such file.\n"


def test_it_reads_windows_1252_as_the_other_commands_do(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("period,value\nJanvier é,1\nFévrier,2\n".encode("cp1252"))
    code, out, _ = spc(path)
    assert code == 0
    assert [point["period"] for point in json.loads(out)["points"]] == ["Janvier é", "Février"]


def test_a_file_that_is_not_text_stops_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "measure.xlsx"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    code, _, err = spc(path)
    assert code == 2
    assert err == f"Error: {path}: is neither UTF-8 nor Windows-1252 text; save the CSV as UTF-8.\n"


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_file_separated_by_semicolons_or_tabs_is_refused_saying_so(
    tmp_path: Path, separator: str, name: str
) -> None:
    path = write_csv(tmp_path, f"period{separator}value\n2024{separator}1,5\n2025{separator}2\n")
    code, _, err = spc(path)
    assert code == 2
    assert err == (
        f"Error: {path} line 1: the file is separated by {name}; expected commas, with the "
        "header 'period,value' (and a full stop as the decimal mark).\n"
    )


def test_a_rebase_period_not_in_the_file_stops_with_one_line(tmp_path: Path) -> None:
    code, _, err = spc(measure(tmp_path), "--rebase", "2030-01")
    assert code == 2
    assert err.strip() == (
        f"Error: {tmp_path / 'measure.csv'}: Cannot rebase at period '2030-01': "
        "it is not one of the periods."
    )


def test_a_rebased_group_of_one_point_names_its_line(tmp_path: Path) -> None:
    code, _, err = spc(measure(tmp_path), "--rebase", "2025-05")
    assert code == 2
    assert f"{tmp_path / 'measure.csv'} line 18: An XmR chart needs at least 2 points" in err


def test_a_target_that_is_not_finite_stops_with_one_line(tmp_path: Path) -> None:
    code, _, err = spc(measure(tmp_path), "--target", "inf")
    assert code == 2
    assert err.strip() == "Error: --target must be a finite number, not inf."


def test_a_run_chart_accepts_a_single_point(tmp_path: Path) -> None:
    code, out, _ = spc(write_csv(tmp_path, "period,value\n2024,1\n"), "--chart", "run")
    assert code == 0
    assert json.loads(out)["runs"]["useful"] == 0


def test_the_command_is_listed_in_help() -> None:
    result = runner.invoke(app, ["--help"])
    assert "  spc " in result.output
