"""``scrutiny sdc TABLE.csv``: protect a table of counts before it is published.

The CSV has row labels in its first column and column labels in its header; every other cell
is a count. The protected table goes to stdout as CSV, in the same shape, with ``*`` for each
suppressed count; a note of the rules applied goes to stderr. Bad input stops with one line on
stderr and exit code 2.

It does not start Django. `scrutiny.analysis.sdc` loads NumPy and HiGHS only when a table is
protected, so importing it here keeps the other commands quick.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Annotated

import typer

from scrutiny.analysis import sdc
from scrutiny.commands.sampling import InputProblem, fail, read_csv_table

# A whole number, optionally written with a decimal point and zeros ("12", "12.0").
COUNT = re.compile(r"[+-]?\d+(?:\.0*)?")
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

MESSAGE_EMPTY = (
    "Error: {file}: is empty; expected a header row of column labels, then one row per row label "
    "with its counts."
)
MESSAGE_NO_COLUMNS = "Error: {file}: has no columns of counts; expected row labels and counts."
MESSAGE_NOT_A_NUMBER = "Error: {file}: row {row!r}, column {column!r}: {value!r} is not a number."
MESSAGE_NOT_WHOLE = (
    "Error: {file}: row {row!r}, column {column!r}: {value!r} is not a whole number."
)
MESSAGE_ANALYSIS = "Error: {file}: {message}."


def sdc_command(
    file: Annotated[
        Path,
        typer.Argument(metavar="TABLE.csv", help="Row labels in the first column, counts after."),
    ],
    threshold: Annotated[
        int, typer.Option(help="Counts from 1 to THRESHOLD - 1 are suppressed.")
    ] = sdc.DEFAULT_THRESHOLD,
    total_row: Annotated[
        str | None, typer.Option(metavar="LABEL", help="Label of the row of column totals.")
    ] = None,
    total_col: Annotated[
        str | None, typer.Option(metavar="LABEL", help="Label of the column of row totals.")
    ] = None,
) -> None:
    """Disclosure control: suppress small counts, and the cells that would give them away."""
    try:
        header, rows = read_csv_table(file, empty=MESSAGE_EMPTY)
        column_labels = header[1:]
        if not column_labels:
            raise InputProblem(MESSAGE_NO_COLUMNS.format(file=file))
        row_labels = [row[0] for row in rows]
        counts = [
            [
                _count(value, row=row[0], column=column, file=file)
                for column, value in zip(column_labels, row[1:], strict=True)
            ]
            for row in rows
        ]
        table = sdc.CountTable(
            row_labels=row_labels,
            column_labels=column_labels,
            counts=counts,
            total_row=total_row,
            total_column=total_col,
        )
        try:
            protected = sdc.protect_table(table, threshold=threshold)
        except sdc.DisclosureTableError as error:
            raise InputProblem(MESSAGE_ANALYSIS.format(file=file, message=error)) from None
    except InputProblem as problem:
        raise fail(problem) from None
    typer.echo(table_csv(protected, corner=header[0]), nl=False)
    for statement in protected.statements():
        typer.echo(statement, err=True)


def _count(value: str, *, row: str, column: str, file: Path) -> int:
    text = value.strip()
    if COUNT.fullmatch(text):
        return int(text.split(".")[0])
    if NUMBER.fullmatch(text):
        raise InputProblem(MESSAGE_NOT_WHOLE.format(file=file, row=row, column=column, value=value))
    raise InputProblem(MESSAGE_NOT_A_NUMBER.format(file=file, row=row, column=column, value=value))


def table_csv(protected: sdc.ProtectedTable, *, corner: str) -> str:
    """The protected table as CSV: the header as read, then one row per row label."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([corner, *protected.column_labels])
    for label, cells in zip(protected.row_labels, protected.text(), strict=True):
        writer.writerow([label, *cells])
    return out.getvalue()
