"""``scrutiny indicators compute`` and ``scrutiny synth``: files written, Scotland rows, and
bad input stopping with exit code 2 and a listing naming file and row."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from scrutiny.analysis.childlevel import formats
from scrutiny.cli import app

runner = CliRunner()

LA = (
    ",".join(formats.LOOKED_AFTER_COLUMNS)
    + """
A,S12000028,female,2008-01,2020-09-01,,2020-09-01,,foster
B,S12000028,male,2015-02,2019-05-01,,2019-05-01,,home
C,S12000015,male,2006-10,2021-02-01,2021-06-01,2021-02-01,2021-06-01,la_home
"""
)
CP = """child_id,council,sex,birth_month,registration_date,deregistration_date,concerns
P,S12000028,,,2021-03-01,,neglect;domestic_abuse
Q,S12000047,female,2012-04,2020-10-01,2021-01-05,neglect
"""
POPULATION = """council,year,population_0_17
S12000028,2021,19000
S12000047,2021,70000
"""


def write_inputs(tmp_path: Path, la: str = LA, cp: str = CP) -> list[str]:
    paths = []
    for name, text in (
        ("looked_after.csv", la),
        ("child_protection.csv", cp),
        ("population.csv", POPULATION),
    ):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(str(tmp_path / name))
    return [
        "indicators",
        "compute",
        "--looked-after",
        paths[0],
        "--child-protection",
        paths[1],
        "--population",
        paths[2],
    ]


def test_compute_writes_the_header_and_the_scotland_rows(tmp_path: Path) -> None:
    output = tmp_path / "indicators.csv"
    result = runner.invoke(app, [*write_inputs(tmp_path), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"Wrote {3 * len(formats.INDICATORS)} rows (3 areas, years 2021 to 2021) to {output}."
    )
    lines = output.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "council,year,indicator,numerator,denominator,value"
    scotland = [line for line in lines if line.startswith("S92000003,")]
    assert len(scotland) == len(formats.INDICATORS)
    assert lines[-len(scotland) :] == scotland  # Scotland sorts last
    assert {
        "S92000003,2021,lac_total,2,,2",
        "S92000003,2021,lac_away,1,,1",
        "S92000003,2021,lac_away_11_15,1,,1",
        "S92000003,2021,lac_starts,2,,2",
        "S92000003,2021,lac_ceases,1,,1",
        f"S92000003,2021,lac_total_rate,2,89000,{2 / 89000 * 1000!r}",
        "S92000003,2021,cp_register,1,,1",
        "S92000003,2021,cp_registrations,2,,2",
        "S92000003,2021,cp_deregistrations,1,,1",
        "S92000003,2021,cp_concern_neglect,2,,2",
        f"S92000003,2021,cp_register_rate,1,89000,{1 / 89000 * 1000!r}",
    } <= set(scotland)
    # The replaced code for Fife is reported under the current one.
    assert "S12000047,2021,lac_ceases,1,,1" in lines


def test_compute_takes_the_years_asked_for(tmp_path: Path) -> None:
    output = tmp_path / "indicators.csv"
    args = [*write_inputs(tmp_path), "--from", "2019", "--to", "2020", "-o", str(output)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    years = {line.split(",")[1] for line in output.read_text(encoding="utf-8").splitlines()[1:]}
    assert years == {"2019", "2020"}


def test_compute_refuses_years_the_files_do_not_cover(tmp_path: Path) -> None:
    output = tmp_path / "indicators.csv"
    for years in (["--from", "1990", "--to", "1991"], ["--from", "2020", "--to", "2030"]):
        result = runner.invoke(app, [*write_inputs(tmp_path), *years, "-o", str(output)])
        assert result.exit_code == 2
        assert len(result.stderr.splitlines()) == 1
        assert "the files cover: they cover 2019 to 2021" in result.stderr
        assert not output.exists()


def test_compute_stops_with_exit_code_2_naming_file_and_row(tmp_path: Path) -> None:
    bad = LA + "D,S12000028,male,2010-13,2021-01-01,,2021-01-01,,fostering\n"
    output = tmp_path / "indicators.csv"
    result = runner.invoke(app, [*write_inputs(tmp_path, la=bad), "-o", str(output)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "2 problems in the input files (rows are data rows, numbered from 1 after the header):",
        'looked_after.csv row 4: birth_month "2010-13" is not a month (YYYY-MM)',
        'looked_after.csv row 4: placement_type "fostering" is not a placement type code',
        "Nothing was written. Correct the rows listed, or run again with --drop-invalid to "
        "leave them out.",
    ]
    assert "Traceback" not in result.output
    assert not output.exists()


def test_compute_can_drop_the_rows_listed_and_says_how_many(tmp_path: Path) -> None:
    bad_cp = CP + "R,S12000028,,,2021-03-01,2021-01-01,\n"
    output = tmp_path / "indicators.csv"
    args = [*write_inputs(tmp_path, cp=bad_cp), "--drop-invalid", "-o", str(output)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines()[-1] == (
        "Left out 1 row with problems (child_protection.csv 1)."
    )
    assert "child_protection.csv row 3: deregistration_date" in result.stderr
    assert "S92000003,2021,cp_registrations,2,,2" in output.read_text(encoding="utf-8")


def test_compute_stops_on_a_missing_column_even_when_dropping_rows(tmp_path: Path) -> None:
    no_type = "\n".join(line.rsplit(",", 1)[0] for line in LA.splitlines()) + "\n"
    output = tmp_path / "indicators.csv"
    args = [*write_inputs(tmp_path, la=no_type), "--drop-invalid", "-o", str(output)]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "looked_after.csv: missing column(s): placement_type" in result.stderr
    assert not output.exists()


def test_compute_says_when_a_file_is_separated_by_semicolons(tmp_path: Path) -> None:
    """
    Given a looked_after.csv saved with semicolons (every column present)
    When the indicators are computed
    Then the command says the file is separated by semicolons, not that columns are missing
    """
    semicolons = LA.replace(",", ";")
    output = tmp_path / "indicators.csv"
    result = runner.invoke(app, [*write_inputs(tmp_path, la=semicolons), "-o", str(output)])
    assert result.exit_code == 2
    assert (
        "looked_after.csv: the file is separated by semicolons; expected commas between the "
        "columns" in result.stderr
    )
    assert "missing column" not in result.stderr
    assert not output.exists()


def test_compute_stops_on_an_empty_range_of_years(tmp_path: Path) -> None:
    args = [*write_inputs(tmp_path), "--from", "2021", "--to", "2020", "-o", str(tmp_path / "o")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: there are no years to compute")


def test_synth_writes_the_three_files(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["synth", "--children", "500", "--councils", "5", "--years", "3", "-o", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote synthetic data for 500 children, years 2023 to 2025")
    headers = {
        formats.LOOKED_AFTER_FILE: formats.LOOKED_AFTER_COLUMNS,
        formats.CHILD_PROTECTION_FILE: formats.CHILD_PROTECTION_COLUMNS,
        formats.POPULATION_FILE: formats.POPULATION_COLUMNS,
    }
    for name, columns in headers.items():
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()
        assert lines[0] == ",".join(columns)
        assert len(lines) > 1
    assert len((tmp_path / formats.POPULATION_FILE).read_text().splitlines()) == 1 + 5 * 3


def test_synth_output_is_accepted_by_compute(tmp_path: Path) -> None:
    runner.invoke(app, ["synth", "--children", "300", "--seed", "5", "-o", str(tmp_path)])
    output = tmp_path / "indicators.csv"
    result = runner.invoke(
        app,
        [
            "indicators",
            "compute",
            "--looked-after",
            str(tmp_path / formats.LOOKED_AFTER_FILE),
            "--child-protection",
            str(tmp_path / formats.CHILD_PROTECTION_FILE),
            "--population",
            str(tmp_path / formats.POPULATION_FILE),
            "-o",
            str(output),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "years 2016 to 2025" in result.stdout


def test_synth_refuses_bad_options_with_exit_code_2(tmp_path: Path) -> None:
    result = runner.invoke(app, ["synth", "--children", "0", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr.strip() == "Error: children must be at least 1, not 0."


def test_the_commands_do_not_start_django(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from scrutiny.cli import app\n"
        "try:\n"
        f"    app(['synth', '--children', '50', '-o', {str(tmp_path)!r}])\n"
        "except SystemExit:\n"
        "    pass\n"
        "d = str(sys.argv[1])\n"
        "try:\n"
        "    app(['indicators', 'compute', '--looked-after', d + '/looked_after.csv',\n"
        "         '--child-protection', d + '/child_protection.csv',\n"
        "         '--population', d + '/population.csv', '-o', d + '/out.csv'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('django' in sys.modules)\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert (tmp_path / "out.csv").exists()
    assert completed.stdout.strip().splitlines()[-1] == "False"
