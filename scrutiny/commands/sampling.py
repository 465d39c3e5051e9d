"""``scrutiny sample-size`` and ``scrutiny sample``: size and draw a sample of records.

``sample`` reads a CSV of the pre-inspection return (one row per child, a header row first;
with a ``child_id`` column, each child is taken once as in the service), draws a stratified
random sample with proportional allocation (``--minimum`` rows guaranteed to each stratum), and
writes the sampled rows, in input order, with a final ``stratum`` column. The seed is always
printed with the minimum, so that the draw can be repeated with ``--seed`` and ``--minimum``.

Neither command starts Django, and the analysis (NumPy, SciPy) is imported only when a command
runs. Bad input stops with one line on stderr and exit code 2.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from scrutiny.tabular import NotText, csv_rows, decode_text

if TYPE_CHECKING:
    from scrutiny.analysis.sampling import StratumAllocation

STRATUM_COLUMN = "stratum"
CHILD_ID_COLUMN = "child_id"
LIST_COLUMN = "list"
STRATA_SEPARATOR = " / "
UNSTRATIFIED = "all"

MESSAGE_NO_FILE = "Error: {file}: no such file."
MESSAGE_UNREADABLE = "Error: {file}: cannot be read ({reason})."
MESSAGE_NOT_TEXT = "Error: {file}: is neither UTF-8 nor Windows-1252 text; save the CSV as UTF-8."
MESSAGE_EMPTY = "Error: {file}: is empty; expected a header row and then one row per child."
MESSAGE_FIELDS = (
    "Error: {file} line {line}: expected {expected} fields as in the header, found {count}."
)
MESSAGE_NO_COLUMN = "Error: {file}: no column named {missing}; the columns are: {columns}."
MESSAGE_NO_STRATA = "Error: --strata names no column; give column names separated by commas."
MESSAGE_HAS_STRATUM = (
    "Error: {file}: already has a column named 'stratum', which the sample adds; rename or remove "
    "that column."
)
MESSAGE_DUPLICATE_CHILD = (
    "Error: {file} line {line}: child_id {child!r} is already at line {first}{where}; the "
    "population is each child once (a child on several lists in a list column is taken in the "
    "first list)."
)
MESSAGE_UNKNOWN_LIST = (
    "Error: {file} line {line}: list {value!r} is not a list of the return ({codes})."
)
MESSAGE_LEFT_OUT = (
    "Each child once: left out {rows} row{s} of a child also on an earlier list of the return."
)
MESSAGE_NOT_WRITTEN = "Error: {file}: cannot be written ({reason})."
MESSAGE_ANALYSIS = "Error: {message}."


class InputProblem(Exception):
    """A one-line message for stderr."""


def fail(problem: InputProblem) -> typer.Exit:
    """Print the problem on stderr and return the exit (code 2) to raise."""
    typer.echo(str(problem), err=True)
    return typer.Exit(2)


def read_csv_table(file: Path, *, empty: str) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a CSV (UTF-8, with or without BOM, or Windows-1252).

    Blank lines are skipped; every other row must have as many fields as the header. ``empty``
    is the command's message for a file with no header (``{file}`` is filled in): it says what
    that command's file should hold.
    """
    header, rows = read_csv_lines(file, empty=empty)
    return header, [row for _, row in rows]


def read_csv_lines(file: Path, *, empty: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """As ``read_csv_table``, each row with the line of the file it starts on."""
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise InputProblem(MESSAGE_NO_FILE.format(file=file)) from None
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputProblem(MESSAGE_UNREADABLE.format(file=file, reason=reason)) from None
    try:
        text = decode_text(data)
    except NotText:
        raise InputProblem(MESSAGE_NOT_TEXT.format(file=file)) from None
    header: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    for line, row in csv_rows(text):
        if header is None:
            header = row
            continue
        if len(row) != len(header):
            raise InputProblem(
                MESSAGE_FIELDS.format(file=file, line=line, expected=len(header), count=len(row))
            )
        rows.append((line, row))
    if header is None:
        raise InputProblem(empty.format(file=file))
    return header, rows


def sample_size_command(
    population: Annotated[int, typer.Option(help="Number of records to sample from.")],
    confidence: Annotated[float, typer.Option(help="Confidence level.")] = 0.9,
    margin: Annotated[
        float, typer.Option(help="Margin of error, more than 0, at most 0.5.")
    ] = 0.15,
) -> None:
    """Print how many records to read for a proportion at this confidence and margin."""
    from scrutiny.analysis import sampling

    try:
        size = sampling.sample_size(population=population, confidence=confidence, margin=margin)
    except sampling.SamplingError as error:
        raise fail(InputProblem(MESSAGE_ANALYSIS.format(message=error))) from None
    typer.echo(str(size))


def sample_command(
    file: Annotated[
        Path, typer.Argument(metavar="RETURN.csv", help="CSV with a header row, one row per child.")
    ],
    size: Annotated[int, typer.Option(help="Number of rows to sample.")],
    output: Annotated[
        Path,
        typer.Option("-o", "--output", metavar="SAMPLE.csv", help="Where to write the sample."),
    ],
    strata: Annotated[
        str | None,
        typer.Option(metavar="COL[,COL]", help="Columns whose values define the strata."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the random draw (printed when not given).")
    ] = None,
    minimum: Annotated[
        int,
        typer.Option(
            help="Rows guaranteed to each stratum (the rest shared proportionally).", min=0
        ),
    ] = 0,
) -> None:
    """Draw a stratified random sample of rows (proportional allocation), reproducible by seed."""
    from scrutiny.analysis import sampling

    try:
        header, lines = read_csv_lines(file, empty=MESSAGE_EMPTY)
        if any(name.strip().casefold() == STRATUM_COLUMN for name in header):
            raise InputProblem(MESSAGE_HAS_STRATUM.format(file=file))
        rows, left_out = each_child_once(file, header, lines)
        positions = _strata_positions(strata, header, file)
        labels = [
            STRATA_SEPARATOR.join(row[k] for k in positions) if positions else UNSTRATIFIED
            for row in rows
        ]
        used_seed = sampling.random_seed() if seed is None else seed
        try:
            drawn = sampling.stratified_sample(
                strata=labels, size=size, seed=used_seed, minimum=minimum
            )
        except sampling.SamplingError as error:
            raise InputProblem(MESSAGE_ANALYSIS.format(message=error)) from None
        _write_sample(output, header, [[*rows[i], labels[i]] for i in drawn.indices])
    except InputProblem as problem:
        raise fail(problem) from None
    if left_out:
        typer.echo(MESSAGE_LEFT_OUT.format(rows=left_out, s="" if left_out == 1 else "s"))
    units = "children" if _child_id_position(header) is not None else "rows"
    typer.echo(f"Sampled {drawn.size} of {len(rows)} {units} from {file} into {output}.")
    typer.echo(
        f"Seed: {used_seed} (repeat this draw with --seed {used_seed} --minimum {minimum}, "
        "the same file, --size and --strata)"
    )
    typer.echo(allocation_text(drawn.allocation), nl=False)


def _child_id_position(header: list[str]) -> int | None:
    from scrutiny.fieldwork.returns import normalise_header

    names = [normalise_header(name) for name in header]
    return names.index(CHILD_ID_COLUMN) if CHILD_ID_COLUMN in names else None


def each_child_once(
    file: Path, header: list[str], lines: list[tuple[int, list[str]]]
) -> tuple[list[list[str]], int]:
    """The population is each child once, as in the service (``docs/data-dictionary.md``,
    "Sampling from the return"): with a ``child_id`` column, a child on more than one list (a
    ``list`` column) is kept in the first list in the return's order; a child twice on one list,
    or twice in a file without lists, is refused. Returns the rows kept, in file order, and how
    many rows were left out."""
    from scrutiny.fieldwork.returns import LIST_CODES, LIST_LABELS, LIST_PRIORITY, list_code
    from scrutiny.fieldwork.returns import normalise_header as normalise

    child = _child_id_position(header)
    if child is None:
        return [row for _, row in lines], 0
    names = [normalise(name) for name in header]
    lists = names.index(LIST_COLUMN) if LIST_COLUMN in names else None
    first: dict[tuple[str, str], int] = {}
    kept: dict[str, tuple[int, int]] = {}  # child -> (priority, position in lines)
    for position, (line, row) in enumerate(lines):
        code = ""
        if lists is not None:
            found = list_code(row[lists].strip())
            if found is None:
                raise InputProblem(
                    MESSAGE_UNKNOWN_LIST.format(
                        file=file, line=line, value=row[lists], codes=", ".join(LIST_CODES)
                    )
                )
            code = found
        child_id = row[child].strip()
        if (child_id, code) in first:
            where = f" in the list {LIST_LABELS[code]!r}" if code else ""
            raise InputProblem(
                MESSAGE_DUPLICATE_CHILD.format(
                    file=file, line=line, child=child_id, first=first[child_id, code], where=where
                )
            )
        first[child_id, code] = line
        rank = LIST_PRIORITY[code] if code else 0
        if child_id not in kept or rank < kept[child_id][0]:
            kept[child_id] = (rank, position)
    positions = sorted(position for _, position in kept.values())
    return [lines[position][1] for position in positions], len(lines) - len(positions)


def _strata_positions(strata: str | None, header: list[str], file: Path) -> list[int]:
    if strata is None:
        return []
    names = [name.strip() for name in strata.split(",") if name.strip()]
    if not names:
        raise InputProblem(MESSAGE_NO_STRATA)
    columns = [name.strip() for name in header]
    missing = [name for name in names if name not in columns]
    if missing:
        raise InputProblem(
            MESSAGE_NO_COLUMN.format(
                file=file,
                missing=", ".join(repr(name) for name in missing),
                columns=", ".join(repr(name) for name in header),
            )
        )
    return [columns.index(name) for name in names]


def _write_sample(output: Path, header: list[str], rows: list[list[str]]) -> None:
    try:
        with output.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([*header, STRATUM_COLUMN])
            writer.writerows(rows)
    except OSError as error:
        reason = error.strerror or type(error).__name__
        raise InputProblem(MESSAGE_NOT_WRITTEN.format(file=output, reason=reason)) from None


def allocation_text(allocation: tuple[StratumAllocation, ...]) -> str:
    """The allocation table as aligned plain text, one stratum a line, with a total."""
    heading = (STRATUM_COLUMN, "population", "allocated")
    lines = [(line.stratum, str(line.population), str(line.allocated)) for line in allocation]
    total = (
        "total",
        str(sum(line.population for line in allocation)),
        str(sum(line.allocated for line in allocation)),
    )
    width = max(len(text) for text, _, _ in (heading, *lines, total))
    numbers = [max(len(row[k]) for row in (heading, *lines, total)) for k in (1, 2)]
    return "".join(
        f"{name:<{width}}  {population:>{numbers[0]}}  {allocated:>{numbers[1]}}\n"
        for name, population, allocated in (heading, *lines, total)
    )
