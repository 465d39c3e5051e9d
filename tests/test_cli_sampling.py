from __future__ import annotations

import csv
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from scrutiny.cli import app

runner = CliRunner()

RETURN_ROWS = [
    ("child", "process", "council"),
    *[(f"C{n:03}", "CP register", "Ayr") for n in range(1, 21)],
    *[(f"C{n:03}", "Looked after", "Troon") for n in range(21, 51)],
    *[(f"C{n:03}", "Looked after", "Ayr") for n in range(51, 101)],
]


def write_return(
    path: Path, *, encoding: str = "utf-8", rows: Sequence[tuple[str, ...]] | None = None
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows or RETURN_ROWS)
    return path


def read_sample(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def assert_one_line_error(result: Result, *fragments: str) -> None:
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr


def test_sample_size_prints_only_the_number() -> None:
    result = runner.invoke(app, ["sample-size", "--population", "100"])
    assert result.exit_code == 0
    assert result.stdout == "24\n"


def test_sample_size_uses_the_confidence_and_margin_given() -> None:
    result = runner.invoke(
        app, ["sample-size", "--population", "500", "--confidence", "0.95", "--margin", "0.1"]
    )
    assert result.stdout == "81\n"


def test_sample_size_rejects_a_margin_outside_zero_to_a_half() -> None:
    result = runner.invoke(app, ["sample-size", "--population", "100", "--margin", "0.7"])
    assert_one_line_error(result, "margin must be more than 0 and at most 0.5, not 0.7")
    assert result.stdout == ""


def test_sample_size_rejects_an_empty_population() -> None:
    result = runner.invoke(app, ["sample-size", "--population", "0"])
    assert_one_line_error(result, "population must be at least 1, not 0")


def test_sample_writes_the_sampled_rows_in_input_order_with_their_stratum(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    output = tmp_path / "sample.csv"
    result = runner.invoke(
        app,
        [
            "sample",
            str(source),
            "--size",
            "10",
            "--strata",
            "process,council",
            "--seed",
            "42",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = read_sample(output)
    assert rows[0] == ["child", "process", "council", "stratum"]
    body = rows[1:]
    assert len(body) == 10
    assert [row[0] for row in body] == sorted(row[0] for row in body)
    originals = {row[0]: list(row) for row in RETURN_ROWS[1:]}
    for row in body:
        assert row[:3] == originals[row[0]]
        assert row[3] == f"{row[1]} / {row[2]}"
    strata = [row[3] for row in body]
    assert strata.count("CP register / Ayr") == 2
    assert strata.count("Looked after / Troon") == 3
    assert strata.count("Looked after / Ayr") == 5


def test_sample_prints_the_seed_and_the_allocation_table(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    result = runner.invoke(
        app,
        [
            "sample",
            str(source),
            "--size",
            "10",
            "--strata",
            "process",
            "--seed",
            "42",
            "-o",
            str(tmp_path / "s.csv"),
        ],
    )
    assert "Seed: 42" in result.stdout
    assert re.search(r"^CP register\s+20\s+2$", result.stdout, re.MULTILINE)
    assert re.search(r"^Looked after\s+80\s+8$", result.stdout, re.MULTILINE)
    assert re.search(r"^total\s+100\s+10$", result.stdout, re.MULTILINE)


def test_the_same_seed_draws_the_same_sample(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    for name in ("first.csv", "second.csv"):
        runner.invoke(
            app, ["sample", str(source), "--size", "15", "--seed", "7", "-o", str(tmp_path / name)]
        )
    assert read_sample(tmp_path / "first.csv") == read_sample(tmp_path / "second.csv")


def test_without_a_seed_it_picks_one_and_prints_it_so_the_draw_can_be_repeated(
    tmp_path: Path,
) -> None:
    source = write_return(tmp_path / "return.csv")
    first = runner.invoke(
        app, ["sample", str(source), "--size", "15", "-o", str(tmp_path / "a.csv")]
    )
    match = re.search(r"--seed (\d+)", first.stdout)
    assert match is not None
    runner.invoke(
        app,
        ["sample", str(source), "--size", "15", "--seed", match[1], "-o", str(tmp_path / "b.csv")],
    )
    assert read_sample(tmp_path / "a.csv") == read_sample(tmp_path / "b.csv")


def test_without_strata_every_row_is_in_the_stratum_all(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    output = tmp_path / "sample.csv"
    runner.invoke(app, ["sample", str(source), "--size", "5", "--seed", "1", "-o", str(output)])
    assert [row[3] for row in read_sample(output)[1:]] == ["all"] * 5


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252"])
def test_sample_reads_utf8_with_or_without_bom_and_windows_1252(
    tmp_path: Path, encoding: str
) -> None:
    # The en dash is byte 0x96 in Windows-1252, which is not valid UTF-8 on its own.
    place = "Eilean Siar \u2013 Steòrnabhagh"
    rows = [("child", "council"), ("C1", place), ("C2", "Perth & Kinross")]
    source = write_return(tmp_path / "return.csv", encoding=encoding, rows=rows)
    output = tmp_path / "sample.csv"
    result = runner.invoke(
        app,
        [
            "sample",
            str(source),
            "--size",
            "2",
            "--strata",
            "council",
            "--seed",
            "1",
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert read_sample(output) == [
        ["child", "council", "stratum"],
        ["C1", place, place],
        ["C2", "Perth & Kinross", "Perth & Kinross"],
    ]


def test_sample_refuses_a_sample_larger_than_the_population(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    output = tmp_path / "sample.csv"
    result = runner.invoke(app, ["sample", str(source), "--size", "101", "-o", str(output)])
    assert_one_line_error(result, "sample size 101 is larger than the population of 100 rows")
    assert not output.exists()


def test_sample_names_missing_strata_columns_and_lists_the_columns(tmp_path: Path) -> None:
    source = write_return(tmp_path / "return.csv")
    result = runner.invoke(
        app,
        [
            "sample",
            str(source),
            "--size",
            "5",
            "--strata",
            "process,area,age",
            "-o",
            str(tmp_path / "s.csv"),
        ],
    )
    assert_one_line_error(
        result, "no column named 'area', 'age'", "the columns are: 'child', 'process', 'council'"
    )


def test_sample_says_when_the_file_is_missing(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    result = runner.invoke(
        app, ["sample", str(missing), "--size", "5", "-o", str(tmp_path / "s.csv")]
    )
    assert_one_line_error(result, f"{missing}: no such file")


def test_sample_says_when_a_row_is_the_wrong_length(tmp_path: Path) -> None:
    source = tmp_path / "return.csv"
    source.write_text("child,council\nC1,Ayr\nC2,Ayr,extra\n", encoding="utf-8")
    result = runner.invoke(
        app, ["sample", str(source), "--size", "1", "-o", str(tmp_path / "s.csv")]
    )
    assert_one_line_error(result, "line 3: expected 2 fields as in the header, found 3")


def test_sample_commands_do_not_start_django(tmp_path: Path) -> None:
    source = str(write_return(tmp_path / "return.csv"))
    output = str(tmp_path / "s.csv")
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from scrutiny.cli import app\n"
        "runner = CliRunner()\n"
        "assert runner.invoke(app, ['sample-size', '--population', '50']).exit_code == 0\n"
        f"result = runner.invoke(app, ['sample', {source!r}, '--size', '3', '-o', {output!r}])\n"
        "assert result.exit_code == 0, result.output\n"
        "print('django' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"


def test_the_minimum_per_stratum_is_an_option_and_printed_to_repeat_the_draw(
    tmp_path: Path,
) -> None:
    """
    Given a return whose smallest stratum would get 1 row of 10
    When it is sampled with --minimum 3
    Then the stratum gets 3, and the printed repeat line names the minimum
    """
    source = write_return(tmp_path / "return.csv")
    arguments = ["sample", str(source), "--size", "10", "--strata", "process"]
    result = runner.invoke(
        app, [*arguments, "--minimum", "3", "--seed", "4", "-o", str(tmp_path / "a.csv")]
    )
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^CP register\s+20\s+3$", result.stdout, re.MULTILINE)
    match = re.search(r"repeat this draw with (--seed \d+ --minimum \d+)", result.stdout)
    assert match is not None
    runner.invoke(app, [*arguments, *match[1].split(), "-o", str(tmp_path / "b.csv")])
    assert read_sample(tmp_path / "a.csv") == read_sample(tmp_path / "b.csv")


def _sample(source: Path, output: Path, *options: str) -> Result:
    return runner.invoke(app, ["sample", str(source), *options, "-o", str(output)])


def test_a_child_id_repeated_in_a_file_without_lists_is_refused_naming_the_lines(
    tmp_path: Path,
) -> None:
    """
    Given a return whose child_id C2 is on two rows, and no list column
    When it is sampled
    Then it is refused (the population is each child once), naming both lines
    """
    source = write_return(
        tmp_path / "return.csv",
        rows=[("child_id", "team"), ("C1", "Ayr"), ("C2", "Ayr"), ("C3", "Troon"), ("C2", "Ayr")],
    )
    output = tmp_path / "sample.csv"
    result = _sample(source, output, "--size", "4", "--seed", "1")
    assert_one_line_error(
        result, f"{source} line 5: child_id 'C2' is already at line 3", "each child once"
    )
    assert not output.exists()


def test_a_child_on_two_lists_is_sampled_once_in_the_first_list(tmp_path: Path) -> None:
    """
    Given a return with C1 both looked after and on the child protection register
    When every child is sampled
    Then C1 is drawn once, in the register (the service's rule: the first list in the return's
    order), and the output says how many rows were left out
    """
    source = write_return(
        tmp_path / "return.csv",
        rows=[
            ("list", "child_id", "team"),
            ("looked_after", "C1", "Ayr"),
            ("looked_after", "C2", "Ayr"),
            ("Child protection register", "C1", "Troon"),
        ],
    )
    output = tmp_path / "sample.csv"
    result = _sample(source, output, "--size", "2", "--strata", "list", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert read_sample(output) == [
        ["list", "child_id", "team", "stratum"],
        ["looked_after", "C2", "Ayr", "looked_after"],
        ["Child protection register", "C1", "Troon", "Child protection register"],
    ]
    assert "Sampled 2 of 2 children" in result.stdout
    assert "left out 1 row of a child also on an earlier list" in result.stdout


def test_a_child_twice_on_the_same_list_is_refused(tmp_path: Path) -> None:
    source = write_return(
        tmp_path / "return.csv",
        rows=[("list", "child_id"), ("looked_after", "C1"), ("Looked after", "C1")],
    )
    result = _sample(source, tmp_path / "sample.csv", "--size", "1")
    assert_one_line_error(
        result, "line 3: child_id 'C1' is already at line 2 in the list 'Looked after'"
    )


def test_a_row_whose_list_is_not_a_list_of_the_return_is_refused(tmp_path: Path) -> None:
    source = write_return(
        tmp_path / "return.csv", rows=[("list", "child_id"), ("looked_after", "C1"), ("x", "C2")]
    )
    result = _sample(source, tmp_path / "sample.csv", "--size", "1")
    assert_one_line_error(result, "line 3: list 'x' is not a list of the return")


def test_an_input_with_a_stratum_column_is_refused(tmp_path: Path) -> None:
    """
    Given a return that already has a stratum column (a sample drawn before, say)
    When it is sampled
    Then it is refused, rather than writing the header child,stratum,stratum
    """
    source = write_return(
        tmp_path / "return.csv", rows=[("child", "stratum"), ("C1", "a"), ("C2", "b")]
    )
    output = tmp_path / "sample.csv"
    result = _sample(source, output, "--size", "1")
    assert_one_line_error(result, "already has a column named 'stratum'")
    assert not output.exists()
