"""``scrutiny synth``: write synthetic child-level data (clearly not real children).

Writes ``looked_after.csv``, ``child_protection.csv`` and ``population.csv`` in the formats that
``scrutiny indicators compute`` reads, with placement mix and rates near the national figures;
the same options and seed always give the same files. The Python API
(``scrutiny.analysis.childlevel.synth``) also takes a trend adjustment for one council.

It does not start Django; NumPy and DuckDB are imported only when the command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

MESSAGE_WRITTEN = (
    "Wrote synthetic data for {children} children, years {first} to {last}, {councils} councils, "
    "to {directory}: {placements} placement rows, {registrations} registrations, "
    "{population} population rows."
)
MESSAGE_ERROR = "Error: {message}."
MESSAGE_NOT_WRITTEN = "Error: {directory}: cannot be written ({reason})."


def synth_command(
    children: Annotated[
        int, typer.Option("--children", help="Distinct children across both files.")
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", file_okay=False, help="Directory to write into.")
    ],
    councils: Annotated[
        int, typer.Option("--councils", help="How many councils (the first in code-list order).")
    ] = 32,
    years: Annotated[int, typer.Option("--years", help="How many reporting years.")] = 10,
    last_year: Annotated[
        int, typer.Option("--last-year", help="The last reporting year (ends 31 July).")
    ] = 2025,
    seed: Annotated[int, typer.Option("--seed", help="Random seed: same seed, same files.")] = 0,
) -> None:
    """Write synthetic looked_after.csv, child_protection.csv and population.csv."""
    from scrutiny.analysis.childlevel.synth import SynthError, SynthParams, synth_write

    params = SynthParams(
        children=children, councils=councils, years=years, last_year=last_year, seed=seed
    )
    try:
        summary = synth_write(params, output)
    except SynthError as exc:
        typer.echo(MESSAGE_ERROR.format(message=exc), err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        typer.echo(
            MESSAGE_NOT_WRITTEN.format(directory=output, reason=exc.strerror or exc), err=True
        )
        raise typer.Exit(2) from None
    typer.echo(
        MESSAGE_WRITTEN.format(
            children=f"{summary.children:,}",
            first=summary.first_year,
            last=summary.last_year,
            councils=councils,
            directory=output,
            placements=f"{summary.placement_rows:,}",
            registrations=f"{summary.registrations:,}",
            population=f"{summary.population_rows:,}",
        )
    )
