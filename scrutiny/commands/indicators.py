"""``scrutiny indicators compute``: indicators per council and for Scotland from child-level data.

Reads ``looked_after.csv``, ``child_protection.csv`` and ``population.csv`` (formats and
definitions in ``docs/data-dictionary.md``, "Child-level data for indicators"), checks them, and
writes the tidy CSV ``council,year,indicator,numerator,denominator,value``. Problems in the files
are listed on stderr (file, data row, column, value) and stop the command with exit code 2,
unless ``--drop-invalid`` leaves the rows listed out.

It does not start Django; DuckDB is imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MESSAGE_REFUSED = (
    "Nothing was written. Correct the rows listed, or run again with --drop-invalid to leave "
    "them out."
)
MESSAGE_UNREADABLE = "Nothing was written: a file could not be read."
MESSAGE_DROPPED = "Left out {rows} row{s} with problems ({files})."
MESSAGE_WRITTEN = "Wrote {rows} rows ({areas} areas, years {first} to {last}) to {output}."
MESSAGE_NOT_WRITTEN = "Error: {file}: cannot be written ({reason})."
MESSAGE_YEARS = "Error: {message}"

indicators_app = typer.Typer(
    help="Indicators from child-level looked-after and child protection data.",
    no_args_is_help=True,
)


@indicators_app.command("compute")
def compute_command(
    looked_after: Annotated[
        Path,
        typer.Option(
            "--looked-after", dir_okay=False, help="looked_after.csv: one row per placement."
        ),
    ],
    child_protection: Annotated[
        Path,
        typer.Option(
            "--child-protection",
            dir_okay=False,
            help="child_protection.csv: one row per registration.",
        ),
    ],
    population: Annotated[
        Path,
        typer.Option(
            "--population", dir_okay=False, help="population.csv: council, year, population_0_17."
        ),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", dir_okay=False, help="The CSV to write.")
    ],
    first_year: Annotated[
        int | None,
        typer.Option("--from", help="First reporting year (year Y runs 1 Aug Y-1 to 31 Jul Y)."),
    ] = None,
    last_year: Annotated[int | None, typer.Option("--to", help="Last reporting year.")] = None,
    drop_invalid: Annotated[
        bool,
        typer.Option("--drop-invalid", help="Leave out rows with problems instead of stopping."),
    ] = False,
) -> None:
    """Compute looked-after and child protection indicators per council, Scotland and year.

    Without --from/--to: the years covered by the data, from the earliest to the latest date in
    the two event files, limited to the years in the population file. --from and --to must lie
    within the years the files cover (a year without population has blank rates).
    """
    from scrutiny.analysis.childlevel.compute import (
        YearsError,
        indicators_compute,
        indicators_write_csv,
    )
    from scrutiny.analysis.childlevel.validate import ChildLevelDataError, ChildLevelFiles

    files = ChildLevelFiles(
        looked_after=looked_after, child_protection=child_protection, population=population
    )
    try:
        result = indicators_compute(
            files=files, first_year=first_year, last_year=last_year, drop_invalid=drop_invalid
        )
    except ChildLevelDataError as exc:
        typer.echo(exc.report.listing(), err=True)
        typer.echo(MESSAGE_UNREADABLE if exc.report.fatal else MESSAGE_REFUSED, err=True)
        raise typer.Exit(2) from None
    except YearsError as exc:
        typer.echo(MESSAGE_YEARS.format(message=exc), err=True)
        raise typer.Exit(2) from None
    report = result.report
    if report.total:
        typer.echo(report.listing(), err=True)
        dropped = sum(report.invalid_rows.values())
        per_file = ", ".join(f"{name} {count:,}" for name, count in report.invalid_rows.items())
        typer.echo(
            MESSAGE_DROPPED.format(
                rows=f"{dropped:,}", s="" if dropped == 1 else "s", files=per_file
            ),
            err=True,
        )
    try:
        written = indicators_write_csv(result.rows, output)
    except OSError as exc:
        typer.echo(MESSAGE_NOT_WRITTEN.format(file=output, reason=exc.strerror or exc), err=True)
        raise typer.Exit(2) from None
    areas = len({row.council for row in result.rows})
    typer.echo(
        MESSAGE_WRITTEN.format(
            rows=f"{written:,}",
            areas=areas,
            first=result.first_year,
            last=result.last_year,
            output=output,
        )
    )
