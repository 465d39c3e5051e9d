from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner, Result

from scrutiny.cli import app

runner = CliRunner()

TABLE = """area,boys,girls,Total
Ayr,3,10,13
Troon,20,2,22
Irvine,15,16,31
Total,38,28,66
"""


def write(path: Path, text: str, *, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr
    assert result.stdout == ""


def test_it_writes_the_protected_table_as_csv_in_the_shape_it_was_read(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE)
    result = runner.invoke(
        app, ["sdc", str(source), "--total-row", "Total", "--total-col", "Total"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "area,boys,girls,Total\nAyr,*,*,13\nTroon,*,*,22\nIrvine,15,16,31\nTotal,38,28,66\n"
    )


PINNED = """service,Got better,Got worse,Cannot tell,Total
Ayr,4,8,20,32
Troon,4,8,20,32
Irvine,20,10,20,50
Total,28,26,60,114
"""


def test_it_protects_counts_a_reader_could_pin_down_from_the_totals_and_the_rules(
    tmp_path: Path,
) -> None:
    """
    Given a table where hiding the 4s and 8s alone would leave each with one possible value
    to a reader who knows a hidden count is at least 1 (and a small one at most 4)
    When it passes through `scrutiny sdc`
    Then a third row is suppressed too, so every hidden count could be one of several values
    """
    source = write(tmp_path / "table.csv", PINNED)
    result = runner.invoke(
        app, ["sdc", str(source), "--total-row", "Total", "--total-col", "Total"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "service,Got better,Got worse,Cannot tell,Total\n"
        "Ayr,*,*,20,32\nTroon,*,*,20,32\nIrvine,*,*,20,50\nTotal,28,26,60,114\n"
    )


def test_it_notes_the_rules_applied_on_stderr(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE)
    result = runner.invoke(
        app, ["sdc", str(source), "--total-row", "Total", "--total-col", "Total"]
    )
    assert result.stderr.splitlines() == [
        "Counts from 1 to 4 are suppressed (shown as *).",
        "Further counts are suppressed so that suppressed counts cannot be worked out from totals.",
    ]


def test_it_uses_the_threshold_given(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", "area,boys,girls,all\nAyr,6,10,16\nTroon,20,30,50\n")
    default = runner.invoke(app, ["sdc", str(source)])
    higher = runner.invoke(app, ["sdc", str(source), "--threshold", "7"])
    assert default.stdout == "area,boys,girls,all\nAyr,6,10,16\nTroon,20,30,50\n"
    assert higher.stdout == "area,boys,girls,all\nAyr,*,*,16\nTroon,*,*,50\n"


def test_it_reads_a_table_saved_by_excel_with_a_bom(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE, encoding="utf-8-sig")
    result = runner.invoke(
        app, ["sdc", str(source), "--total-row", "Total", "--total-col", "Total"]
    )
    assert result.stdout.splitlines()[0] == "area,boys,girls,Total"


def test_it_names_the_row_and_column_of_a_cell_that_is_not_a_number(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", "area,boys,girls\nAyr,3,10\nTroon,20,lots\n")
    result = runner.invoke(app, ["sdc", str(source)])
    assert_one_line_error(result, "row 'Troon', column 'girls': 'lots' is not a number")


def test_it_names_the_row_and_column_of_a_count_that_is_not_whole(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", "area,boys,girls\nAyr,3.5,10\n")
    result = runner.invoke(app, ["sdc", str(source)])
    assert_one_line_error(result, "row 'Ayr', column 'boys': '3.5' is not a whole number")


def test_it_refuses_a_negative_count(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", "area,boys,girls\nAyr,-3,10\n")
    result = runner.invoke(app, ["sdc", str(source)])
    assert_one_line_error(result, "row 'Ayr', column 'boys': -3 is negative")


def test_it_says_which_total_does_not_add_up(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE.replace("Total,38,28,66", "Total,38,29,67"))
    result = runner.invoke(app, ["sdc", str(source), "--total-row", "Total"])
    assert_one_line_error(
        result,
        "the total row 'Total' does not add up in column 'girls': "
        "the rows above sum to 28 but the total says 29",
    )


def test_it_says_when_the_total_label_is_not_in_the_table(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE)
    result = runner.invoke(app, ["sdc", str(source), "--total-col", "All"])
    assert_one_line_error(
        result, "there is no column labelled 'All'; the columns are: boys, girls, Total"
    )


def test_it_says_when_the_file_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = runner.invoke(app, ["sdc", str(missing)])
    assert_one_line_error(result, f"{missing}: no such file")


def test_it_refuses_an_invalid_threshold(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", TABLE)
    result = runner.invoke(app, ["sdc", str(source), "--threshold", "0"])
    assert_one_line_error(result, "the threshold must be a whole number of at least 1, not 0")


def test_sdc_does_not_start_django(tmp_path: Path) -> None:
    source = str(write(tmp_path / "table.csv", TABLE))
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from scrutiny.cli import app\n"
        f"result = CliRunner().invoke(app, ['sdc', {source!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('django' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_an_empty_file_is_refused_saying_what_a_table_holds(tmp_path: Path) -> None:
    source = write(tmp_path / "table.csv", "\n")
    result = runner.invoke(app, ["sdc", str(source)])
    assert_one_line_error(
        result,
        f"Error: {source}: is empty; expected a header row of column labels, then one row per "
        "row label with its counts.",
    )
    assert "per child" not in result.stderr
