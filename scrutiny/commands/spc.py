"""``scrutiny spc FILE.csv``: an XmR or run chart of a measure, as JSON or CSV.

The command reads a CSV with the header ``period,value`` (periods kept as given, in file
order) and prints one JSON object (or the points as CSV). Bad input stops with one line on
stderr naming the file line (the header is line 1) and exit code 2.

It does not start Django, and the analysis (NumPy) is imported only when the command runs, so
the other commands start as quickly as before.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from scrutiny.analysis.spc import SpcResult

HEADER = ("period", "value")
POINT_COLUMNS = ("period", "value", "centre", "lower", "upper", "rule", "point_type")
GROUP_KEYS = (
    "start",
    "end",
    "n",
    "centre",
    "lower",
    "upper",
    "near_lower",
    "near_upper",
    "trial_limits",
)
RUNS_KEYS = (
    "useful",
    "longest_run",
    "longest_run_limit",
    "crossings",
    "crossings_min",
    "signal",
)
# A plain decimal number: "12", "-3.5", ".5", "1e3". No "nan", "inf", "1_000" or "1,000".
NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")

MESSAGE_NO_FILE = "Error: {file}: no such file."
MESSAGE_UNREADABLE = "Error: {file}: cannot be read ({reason})."
MESSAGE_NOT_TEXT = "Error: {file}: is neither UTF-8 nor Windows-1252 text; save the CSV as UTF-8."
MESSAGE_SEPARATOR = (
    "Error: {file} line 1: the file is separated by {separator}; expected commas, with the "
    "header 'period,value' (and a full stop as the decimal mark)."
)
MESSAGE_EMPTY = "Error: {file}: is empty; expected the header 'period,value' and then data rows."
MESSAGE_HEADER = "Error: {file} line 1: expected the header 'period,value', found {found!r}."
MESSAGE_FIELDS = "Error: {file} line {line}: expected 2 fields (period,value), found {count}."
MESSAGE_NO_PERIOD = "Error: {file} line {line}: the period is empty; expected a period label."
MESSAGE_NOT_NUMBER = (
    "Error: {file} line {line}: value {value!r} is not a number; expected a plain number "
    "such as 12 or -3.5."
)
MESSAGE_NOT_FINITE = (
    "Error: {file} line {line}: value {value!r} is too large; expected a finite number."
)
MESSAGE_DUPLICATE = (
    "Error: {file} line {line}: period {period!r} already appears on line {first}; "
    "expected each period once."
)
MESSAGE_ANALYSIS = "Error: {file}{where}: {message}"
MESSAGE_TARGET = "Error: --target must be a finite number, not {target}."


class ChartChoice(StrEnum):
    XMR = "xmr"
    RUN = "run"


class ImprovementChoice(StrEnum):
    """The values of ``scrutiny.analysis.spc.Improvement``; repeated here so that loading the
    CLI does not load NumPy."""

    INCREASE = "increase"
    DECREASE = "decrease"
    NEUTRAL = "neutral"


class OutputFormat(StrEnum):
    JSON = "json"
    CSV = "csv"


class InputProblem(Exception):
    """A one-line message for stderr."""


def spc_command(
    file: Annotated[
        Path, typer.Argument(metavar="FILE.csv", help="CSV file with the header period,value.")
    ],
    chart: Annotated[ChartChoice, typer.Option(help="Chart type.")] = ChartChoice.XMR,
    improvement: Annotated[
        ImprovementChoice, typer.Option(help="Which direction is better.")
    ] = ImprovementChoice.NEUTRAL,
    target: Annotated[
        float | None, typer.Option(help="Target, for the assurance icon (XmR).")
    ] = None,
    screen: Annotated[
        bool,
        typer.Option("--screen", help="Drop moving ranges >= 3.267 x their average (XmR)."),
    ] = False,
    fix_after: Annotated[
        int | None,
        typer.Option(min=1, help="Compute each group's centre and limits from its first N points."),
    ] = None,
    rebase: Annotated[
        list[str] | None,
        typer.Option(metavar="PERIOD", help="Start a new group at PERIOD (repeatable)."),
    ] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.JSON,
) -> None:
    """Statistical process control: an XmR (Making Data Count) or run chart of a measure."""
    from scrutiny.analysis import spc

    try:
        if target is not None and not math.isfinite(target):
            raise InputProblem(MESSAGE_TARGET.format(target=target))
        periods, values, lines = read_series(file)
        options = spc.SpcOptions(
            improvement=spc.Improvement(improvement.value),
            target=target,
            screen=screen,
            fix_after=fix_after,
            rebase=tuple(rebase or ()),
        )
        draw = spc.run_chart if chart is ChartChoice.RUN else spc.xmr_chart
        try:
            result = draw(periods=periods, values=values, options=options)
        except spc.SpcInputError as error:
            where = f" line {lines[error.index]}" if error.index is not None else ""
            raise InputProblem(
                MESSAGE_ANALYSIS.format(file=file, where=where, message=error)
            ) from None
    except InputProblem as problem:
        typer.echo(str(problem), err=True)
        raise typer.Exit(2) from None
    if output_format is OutputFormat.CSV:
        typer.echo(points_csv(result), nl=False)
    else:
        typer.echo(json.dumps(result_json(result)))


def read_series(file: Path) -> tuple[list[str], list[float], list[int]]:
    """Periods, values and the file line of each data row; ``InputProblem`` on bad input.

    Read as the other commands read their CSV files (``scrutiny.tabular``: UTF-8 with or without
    a byte-order mark, or Windows-1252; blank lines skipped), but only with commas: a file
    separated by semicolons would have decimal commas, so it is refused saying so."""
    from scrutiny.tabular import DELIMITER_NAMES, NotText, csv_rows, decode_text, delimiter

    try:
        text = decode_text(file.read_bytes())
    except FileNotFoundError:
        raise InputProblem(MESSAGE_NO_FILE.format(file=file)) from None
    except NotText:
        raise InputProblem(MESSAGE_NOT_TEXT.format(file=file)) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputProblem(MESSAGE_UNREADABLE.format(file=file, reason=reason)) from None
    if not text.strip():
        raise InputProblem(MESSAGE_EMPTY.format(file=file))
    separator = delimiter(text)
    if separator != ",":
        raise InputProblem(
            MESSAGE_SEPARATOR.format(file=file, separator=DELIMITER_NAMES[separator])
        )
    rows = csv_rows(text)
    header_line, header = next(rows)
    if header_line != 1 or tuple(name.strip().lower() for name in header) != HEADER:
        found = ",".join(header) if header_line == 1 else ""
        raise InputProblem(MESSAGE_HEADER.format(file=file, found=found))
    periods: list[str] = []
    values: list[float] = []
    lines: list[int] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        if len(row) != 2:
            raise InputProblem(MESSAGE_FIELDS.format(file=file, line=line, count=len(row)))
        period, raw = row
        if not period.strip():
            raise InputProblem(MESSAGE_NO_PERIOD.format(file=file, line=line))
        if not NUMBER.fullmatch(raw.strip()):
            raise InputProblem(MESSAGE_NOT_NUMBER.format(file=file, line=line, value=raw))
        value = float(raw)
        if not math.isfinite(value):
            raise InputProblem(MESSAGE_NOT_FINITE.format(file=file, line=line, value=raw))
        first = first_line.setdefault(period, line)
        if first != line:
            raise InputProblem(
                MESSAGE_DUPLICATE.format(file=file, line=line, period=period, first=first)
            )
        periods.append(period)
        values.append(value)
        lines.append(line)
    return periods, values, lines


def result_json(result: SpcResult) -> dict[str, Any]:
    """The JSON object of the command's contract."""
    payload: dict[str, Any] = {
        "chart": result.chart.value,
        "improvement": result.improvement.value,
        "groups": [{key: getattr(group, key) for key in GROUP_KEYS} for group in result.groups],
        "points": [
            {
                "period": point.period,
                "value": point.value,
                "centre": point.centre,
                "lower": point.lower,
                "upper": point.upper,
                "rule": point.rule.value if point.rule is not None else None,
                "point_type": point.point_type.value,
            }
            for point in result.points
        ],
        "variation": result.variation.value,
        "assurance": result.assurance.value if result.assurance is not None else None,
        "summary": result.summary,
    }
    if result.runs is not None:
        payload["runs"] = {key: getattr(result.runs, key) for key in RUNS_KEYS}
    return payload


def points_csv(result: SpcResult) -> str:
    """The points table, one row per period; empty cells for no limit or no rule."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(POINT_COLUMNS)
    for point in result.points:
        writer.writerow(
            (
                point.period,
                point.value,
                point.centre,
                "" if point.lower is None else point.lower,
                "" if point.upper is None else point.upper,
                point.rule.value if point.rule is not None else "",
                point.point_type.value,
            )
        )
    return out.getvalue()
