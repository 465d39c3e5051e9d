"""Check the three child-level files and load them into DuckDB as typed tables.

Each file is read once with DuckDB's CSV reader, every column declared ``VARCHAR`` so that a bad
value becomes a reported problem (file, data row, column, value) instead of a failed read, and
cast with strict formats into a typed table that keeps the original text only of the values that
could not be read. Rows are numbered from 1 at the first data row (the header is not counted).
Checks:

- a required column is missing from the header, or a row has more or fewer fields than the
  header: the file cannot be read, and is refused even with ``drop_invalid``;
- a blank required value, a bad date (``YYYY-MM-DD``), a bad birth month (``YYYY-MM``), an
  unknown council, placement type or concern code, a bad year or population;
- an end before its start (episodes, placements, registrations), a placement outside its episode;
- across rows, among rows without the problems above: a placement that overlaps an earlier
  placement of the same child, a row of an episode that disagrees with the episode's first row on
  its end or council, a second population for the same council and year.

Any problem refuses the files, unless ``drop_invalid`` is set: then every row with a problem is
left out and the rest is used. Loading leaves the typed tables ``la``, ``cp`` and ``pop`` in the
connection, with council codes mapped to current codes (``council`` and ``placement_type`` are
ENUMs of the codes, in code order).

Two passes. Most files have no problem, so the two large files are first read by a fast pass
that only finds out WHETHER a file has one: DuckDB's parallel CSV reader, every value typed in
one vectorised pass under conditions at least as strict as the checks above (a date must be
exactly the text DuckDB writes for it, so ``2020-1-01``, ``infinity`` and even `` 2020-01-01``,
which the checks trim, fail them), and the checks across rows made between neighbouring rows (in
the order read when each child's rows are together and in date order, as extracts usually are;
otherwise sorted by child and date). A file that passes has no problem, and its typed table is
used as it is. A file that does not pass, or cannot be read, is read again by the ordered pass,
which numbers the rows in file order and reports each problem with its row. The fast pass may
send a file without problems there (padded values, two episodes of a child interleaved), never
the reverse; ``tests/analysis/test_childlevel_validate.py`` checks that both passes give the
same tables and report. The population file, a few hundred rows, always takes the ordered pass.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from scrutiny.analysis.childlevel import formats
from scrutiny.tabular import DELIMITER_NAMES, delimiter

MISSING_FILE = "the file does not exist"
EMPTY_FILE = "the file is empty: it needs a header row"
MISSING_COLUMNS = "missing column(s): {columns}"
SEPARATED = (
    "the file is separated by {separator}; expected commas between the columns, with the header "
    "{columns}"
)
BAD_SHAPE = "line {line} (the header is line 1) has {found} fields where the header has {expected}"
UNREADABLE = "the file cannot be read as CSV: {reason}"

BLANK = "is blank"
NOT_A_DATE = "is not a date (YYYY-MM-DD)"
NOT_A_MONTH = "is not a month (YYYY-MM)"
NOT_A_COUNCIL = "is not a current or replaced S12 council code"
NOT_A_PLACEMENT_TYPE = "is not a placement type code"
NOT_A_CONCERN = "is not a concern code"
NOT_A_YEAR = "is not a year (four digits)"
NOT_A_POPULATION = "is not a whole number of at least 1"
END_BEFORE_START = "is before {start_column} {start}"
OUTSIDE_EPISODE = "to placement_end {end} lies outside its episode {episode_start} to {episode_end}"
OVERLAP = "overlaps the placement in row {other} of the same child_id {child}"
EPISODE_DISAGREES = "differs from row {other}, the first row of episode {child} {start}"
DUPLICATE_POPULATION = "repeats council {council} and year {year} of row {other}"

ONGOING = "ongoing"
LISTING_LIMIT = 50

_SEPARATOR = formats.CONCERN_SEPARATOR


@dataclass(frozen=True)
class ChildLevelFiles:
    """The three input files."""

    looked_after: Path
    child_protection: Path
    population: Path


@dataclass(frozen=True)
class Problem:
    """One problem in one file; ``row`` is the 1-based data row, ``None`` for the whole file."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file} row {self.row}"
        if self.column is None:
            return f"{where}: {self.message}"
        shown = "" if self.value is None else f' "{self.value}"'
        return f"{where}: {self.column}{shown} {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """The first problems (at most ``LISTING_LIMIT``), how many there are in all, and how many
    rows of each file have a problem (the rows left out with ``drop_invalid``)."""

    problems: tuple[Problem, ...] = ()
    total: int = 0
    invalid_rows: dict[str, int] = field(default_factory=dict)
    fatal: bool = False

    def listing(self) -> str:
        """The problems for people, one a line, capped, with the count of the rest."""
        lines = [
            f"{self.total} problem{'' if self.total == 1 else 's'} in the input files "
            "(rows are data rows, numbered from 1 after the header):",
            *(str(problem) for problem in self.problems),
        ]
        if self.total > len(self.problems):
            lines.append(f"… and {self.total - len(self.problems)} more.")
        return "\n".join(lines)


class ChildLevelDataError(Exception):
    """The input files are refused; ``report`` says why."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.listing())
        self.report = report


@dataclass(frozen=True)
class _Check:
    """Rows of ``source`` matching ``where`` are problems with ``column``: the shown value is the
    SQL expression ``value``; the message is ``message`` formatted with ``args`` (name → SQL)."""

    source: str
    column: str
    where: str
    message: str
    value: str | None = None
    args: tuple[tuple[str, str], ...] = ()

    def sql(self, file_key: str, number: int) -> str:
        value = self.column if self.value is None else self.value
        args = ", ".join(f"CAST({expression} AS VARCHAR)" for _, expression in self.args)
        return (
            f"SELECT '{file_key}' AS file_key, row_no, {number} AS check_no, "  # noqa: S608
            f"CAST({value} AS VARCHAR) AS value, [{args}]::VARCHAR[] AS args "
            f"FROM {self.source} WHERE {self.where}"
        )


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _in_list(values: Sequence[str]) -> str:
    return ", ".join(_literal(value) for value in values)


def _date(column: str) -> str:
    """SQL: the value as a DATE when it is exactly ``YYYY-MM-DD`` and a real day, else NULL."""
    return (
        f"CASE WHEN length({column}) = 10 AND {column}[5] = '-' AND {column}[8] = '-' "
        f"THEN CAST(try_strptime({column}, '%Y-%m-%d') AS DATE) END"
    )


def _month(column: str) -> str:
    """SQL: the first day of the month when the value is exactly ``YYYY-MM``, else NULL."""
    return (
        f"CASE WHEN length({column}) = 7 AND {column}[5] = '-' "
        f"THEN CAST(try_strptime({column} || '-01', '%Y-%m-%d') AS DATE) END"
    )


def _count(column: str, digits: int) -> str:
    """SQL: the value as a whole number when it is 1 to ``digits`` digits, else NULL."""
    return (
        f"CASE WHEN regexp_full_match({column}, '[0-9]{{1,{digits}}}') "
        f"THEN CAST({column} AS BIGINT) END"
    )


# In the typed tables, a column ``x`` read as a type is ``x_d``; ``x`` keeps the text only when
# it could not be read (so it is NULL both when blank and when read).


def _blank(source: str, column: str, *, typed: bool = True) -> _Check:
    where = f"{column}_d IS NULL AND {column} IS NULL" if typed else f"{column} IS NULL"
    return _Check(source, column, where, BLANK)


def _unreadable(source: str, column: str, message: str) -> _Check:
    return _Check(source, column, f"{column} IS NOT NULL", message)


def _required(source: str, column: str, message: str) -> tuple[_Check, _Check]:
    return _blank(source, column), _unreadable(source, column, message)


def _end_before_start(source: str, end: str, start: str) -> _Check:
    return _Check(
        source,
        end,
        f"{end}_d < {start}_d",
        END_BEFORE_START,
        value=f"{end}_d",
        args=(("start_column", _literal(start)), ("start", f"{start}_d")),
    )


def _or_ongoing(column: str) -> str:
    return f"coalesce(CAST({column} AS VARCHAR), {_literal(ONGOING)})"


_LA = "la_typed"
_CP = "cp_typed"
_POP = "pop_typed"

_LOOKED_AFTER_ROW_CHECKS: tuple[_Check, ...] = (
    _blank(_LA, "child_id", typed=False),
    *_required(_LA, "council", NOT_A_COUNCIL),
    *_required(_LA, "birth_month", NOT_A_MONTH),
    *_required(_LA, "episode_start", NOT_A_DATE),
    _unreadable(_LA, "episode_end", NOT_A_DATE),
    *_required(_LA, "placement_start", NOT_A_DATE),
    _unreadable(_LA, "placement_end", NOT_A_DATE),
    _blank(_LA, "placement_type", typed=False),
    _Check(
        _LA,
        "placement_type",
        f"placement_type NOT IN ({_in_list(formats.PLACEMENT_TYPES)})",
        NOT_A_PLACEMENT_TYPE,
    ),
    _end_before_start(_LA, "episode_end", "episode_start"),
    _end_before_start(_LA, "placement_end", "placement_start"),
    _Check(
        _LA,
        "placement_start",
        # Only when the four dates are readable and each end is not before its start.
        "episode_start_d IS NOT NULL AND placement_start_d IS NOT NULL "
        "AND episode_end IS NULL AND placement_end IS NULL "
        "AND coalesce(episode_end_d >= episode_start_d, true) "
        "AND coalesce(placement_end_d >= placement_start_d, true) "
        "AND (placement_start_d < episode_start_d OR (episode_end_d IS NOT NULL "
        "AND (placement_end_d IS NULL OR placement_end_d > episode_end_d)))",
        OUTSIDE_EPISODE,
        value="placement_start_d",
        args=(
            ("end", _or_ongoing("placement_end_d")),
            ("episode_start", "episode_start_d"),
            ("episode_end", _or_ongoing("episode_end_d")),
        ),
    ),
)

_LOOKED_AFTER_CROSS_CHECKS: tuple[_Check, ...] = (
    # Sorted by start, a placement overlaps an earlier one when it starts before the latest end
    # so far (half-open intervals; blank end = ongoing). The other row named is the one holding
    # that latest end.
    _Check(
        "la_overlap",
        "placement_start",
        "placement_start_d < previous_end",
        OVERLAP,
        value="placement_start_d",
        args=(("other", "previous_row"), ("child", "child_id")),
    ),
    _Check(
        "la_episodes",
        "episode_end",
        "episode_end_d IS DISTINCT FROM first_end",
        EPISODE_DISAGREES,
        value=_or_ongoing("episode_end_d"),
        args=(("other", "first_row"), ("child", "child_id"), ("start", "episode_start_d")),
    ),
    _Check(
        "la_episodes",
        "council",
        "council_d <> first_council",
        EPISODE_DISAGREES,
        value="council_d",
        args=(("other", "first_row"), ("child", "child_id"), ("start", "episode_start_d")),
    ),
)

_CHILD_PROTECTION_ROW_CHECKS: tuple[_Check, ...] = (
    _blank(_CP, "child_id", typed=False),
    *_required(_CP, "council", NOT_A_COUNCIL),
    _unreadable(_CP, "birth_month", NOT_A_MONTH),
    *_required(_CP, "registration_date", NOT_A_DATE),
    _unreadable(_CP, "deregistration_date", NOT_A_DATE),
    _end_before_start(_CP, "deregistration_date", "registration_date"),
    _Check(
        f"(SELECT row_no, unnest(concerns_d) AS code FROM {_CP})",  # noqa: S608
        "concerns",
        f"code NOT IN ({_in_list(formats.CONCERN_CODES)})",
        NOT_A_CONCERN,
        value="code",
    ),
)

_POPULATION_ROW_CHECKS: tuple[_Check, ...] = (
    *_required(_POP, "council", NOT_A_COUNCIL),
    *_required(_POP, "year", NOT_A_YEAR),
    *_required(_POP, "population_0_17", NOT_A_POPULATION),
)

_POPULATION_CROSS_CHECKS: tuple[_Check, ...] = (
    _Check(
        "pop_duplicates",
        "year",
        "first_row <> row_no",
        DUPLICATE_POPULATION,
        value="year_d",
        args=(("council", "council_d"), ("year", "year_d"), ("other", "first_row")),
    ),
)


def _header(path: Path) -> list[str] | None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh), None)


def _csv_error(message: str) -> str:
    line = re.search(r"CSV Error on Line: (\d+)", message)
    shape = re.search(r"Expected Number of Columns: (\d+) Found: (\d+)", message)
    if line and shape:
        return BAD_SHAPE.format(line=line.group(1), found=shape.group(2), expected=shape.group(1))
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    return UNREADABLE.format(reason=first)


def _header_of(path: Path, required: Sequence[str]) -> list[str] | Problem:
    """The file's header, trimmed; or the problem that stops the file being read."""
    name = path.name
    if not path.is_file():
        return Problem(name, None, None, None, MISSING_FILE)
    try:
        header = _header(path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return Problem(name, None, None, None, UNREADABLE.format(reason=exc))
    if not header:
        return Problem(name, None, None, None, EMPTY_FILE)
    header = [column.strip() for column in header]
    missing = [column for column in required if column not in header]
    if missing:
        # A header read as one column may be one separated by semicolons (or tabs): say so,
        # rather than that every column is missing.
        separator = delimiter(",".join(header))
        if separator != ",":
            message = SEPARATED.format(
                separator=DELIMITER_NAMES[separator], columns=",".join(required)
            )
            return Problem(name, None, None, None, message)
        return Problem(name, None, None, None, MISSING_COLUMNS.format(columns=", ".join(missing)))
    return header


def _read_csv(path: Path, header: Sequence[str]) -> str:
    """SQL: DuckDB's CSV reader on the file, every field text, columns named by position (so that
    odd or repeated header cells cannot break the SQL): ``c0``, ``c1``, …"""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(header)))
    return (
        f"read_csv({_literal(str(path))}, header = true, auto_detect = false, "
        f"delim = ',', quote = '\"', escape = '\"', columns = {{{columns}}})"
    )


def _source(path: Path, header: Sequence[str], required: Sequence[str]) -> str:
    """SQL for the file's rows in file order: ``row_no`` and the required columns, trimmed,
    blanks as NULL."""
    selected = ", ".join(
        f"NULLIF(trim(c{header.index(column)}), '') AS {column}" for column in required
    )
    # The CSV reader gives the rows in file order, and a window function with an empty OVER
    # clause keeps that order (DuckDB's documented order preservation), so row_number() OVER ()
    # is the data row number. (A table's rowid is not: a parallel CREATE TABLE AS reorders.)
    return (
        f"(SELECT row_number() OVER () AS row_no, {selected} "  # noqa: S608
        f"FROM {_read_csv(path, header)})"
    )


def _council_type() -> str:
    """SQL type of the council columns of ``la``, ``cp`` and ``pop``: an ENUM of the current codes
    in code order (a byte a value, so grouping by council is quick; it sorts as the text)."""
    return f"ENUM({_in_list(sorted(formats.council_codes().current))})"


_PLACEMENT_TYPE = f"ENUM({_in_list(sorted(formats.PLACEMENT_TYPES))})"


def _canonical_council(column: str) -> str:
    """SQL: the current code for a current or replaced council code, else NULL."""
    codes = formats.council_codes()
    replaced = " ".join(
        f"WHEN {_literal(old)} THEN {_literal(new)}" for old, new in codes.replaced.items()
    )
    return (
        f"CASE WHEN {column} IN ({_in_list(codes.current)}) THEN {column} "
        f"ELSE CASE {column} {replaced} END END"
    )


def _concern_list(column: str) -> str:
    """SQL: the distinct concern codes of a ``;``-separated text, each trimmed, blanks left out."""
    return (
        f"list_distinct(list_filter(list_transform(string_split({column}, '{_SEPARATOR}'), "
        "lambda code: trim(code)), lambda code: code <> ''))"
    )


def _kept_if_unread(*columns: str) -> str:
    """SQL select list: ``x_d`` and ``x`` (the text, only when it could not be read)."""
    return ", ".join(
        f"{column}_d, CASE WHEN {column}_d IS NULL THEN {column} END AS {column}"
        for column in columns
    )


def _looked_after_sql(source: str) -> str:
    kept = _kept_if_unread(
        "council", "birth_month", "episode_start", "episode_end", "placement_start", "placement_end"
    )
    return f"""
        CREATE TEMP TABLE la_typed AS
        SELECT row_no, child_id, placement_type, {kept}
        FROM (
            SELECT r.*, {_canonical_council("r.council")} AS council_d,
                   {_month("r.birth_month")} AS birth_month_d,
                   {_date("r.episode_start")} AS episode_start_d,
                   {_date("r.episode_end")} AS episode_end_d,
                   {_date("r.placement_start")} AS placement_start_d,
                   {_date("r.placement_end")} AS placement_end_d
            FROM {source} r
        )
    """  # noqa: S608  (SQL built from this module's constants and a quoted path only)


def _child_protection_sql(source: str) -> str:
    kept = _kept_if_unread("council", "birth_month", "registration_date", "deregistration_date")
    return f"""
        CREATE TEMP TABLE cp_typed AS
        SELECT row_no, child_id, concerns_d, {kept}
        FROM (
            SELECT r.*, {_canonical_council("r.council")} AS council_d,
                   {_month("r.birth_month")} AS birth_month_d,
                   {_date("r.registration_date")} AS registration_date_d,
                   {_date("r.deregistration_date")} AS deregistration_date_d,
                   {_concern_list("coalesce(r.concerns, '')")} AS concerns_d
            FROM {source} r
        )
    """  # noqa: S608


def _population_sql(source: str) -> str:
    kept = _kept_if_unread("council", "year", "population_0_17")
    return f"""
        CREATE TEMP TABLE pop_typed AS
        SELECT row_no, {kept}
        FROM (
            SELECT r.*, {_canonical_council("r.council")} AS council_d,
                   CASE WHEN regexp_full_match(r.year, '[0-9]{{4}}')
                        THEN CAST(r.year AS INTEGER) END AS year_d,
                   NULLIF({_count("r.population_0_17", 15)}, 0) AS population_0_17_d
            FROM {source} r
        )
    """  # noqa: S608


def _load(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    header: Sequence[str],
    required: Sequence[str],
    sql: Callable[[str], str],
) -> Problem | None:
    """Read, type and keep one file in file order; or return the problem that stops it being
    read."""
    try:
        con.execute(sql(_source(path, header, required)))
    except duckdb.Error as exc:
        return Problem(path.name, None, None, None, _csv_error(str(exc)))
    return None


def _collect(
    con: duckdb.DuckDBPyConnection, file_key: str, checks: Sequence[_Check], *, start: int = 0
) -> None:
    """Add the problems found by ``checks`` (numbered from ``start``) to the table ``problems``."""
    for number, check in enumerate(checks, start=start):
        con.execute(f"INSERT INTO problems {check.sql(file_key, number)}")


def _without_problem_rows(con: duckdb.DuckDBPyConnection, file_key: str) -> str:
    """SQL condition leaving out the rows of a file with a problem (none: no condition)."""
    found = con.execute("SELECT count(*) FROM problems WHERE file_key = ?", [file_key]).fetchone()
    if not found or not found[0]:
        return "true"
    return f"row_no NOT IN (SELECT row_no FROM problems WHERE file_key = '{file_key}')"  # noqa: S608


def _build_cross_sources(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> None:
    """The sources of the checks across rows, for the files (keys) read in file order."""
    if "pop" in keys:
        _build_population_cross_sources(con)
    if "la" not in keys:
        return
    con.execute(
        "CREATE TEMP VIEW la_ok AS SELECT * FROM la_typed "  # noqa: S608
        f"WHERE {_without_problem_rows(con, 'la')}"
    )
    con.execute(
        """
        CREATE TEMP VIEW la_overlap AS
        SELECT row_no, child_id, placement_start_d,
               max(coalesce(placement_end_d, 'infinity'::DATE)) OVER earlier AS previous_end,
               arg_max(row_no, {'end': coalesce(placement_end_d, 'infinity'::DATE),
                                'first': -row_no}) OVER earlier AS previous_row
        FROM la_ok
        -- A placement of no days (end = start) covers no day, so it overlaps nothing.
        WHERE placement_end_d IS NULL OR placement_end_d > placement_start_d
        WINDOW earlier AS (PARTITION BY child_id ORDER BY placement_start_d, row_no
                           ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
        """
    )
    # Episodes whose rows disagree are found by grouping (fast); only their rows are then
    # compared with the episode's first row.
    con.execute(
        """
        CREATE TEMP TABLE la_episodes AS
        WITH disagreeing AS (
            SELECT child_id, episode_start_d FROM la_ok
            GROUP BY child_id, episode_start_d
            HAVING min(coalesce(episode_end_d, 'infinity'::DATE))
                       <> max(coalesce(episode_end_d, 'infinity'::DATE))
                OR min(council_d) <> max(council_d)
        )
        SELECT row_no, child_id, council_d, episode_start_d, episode_end_d,
               first_value(episode_end_d) OVER episode AS first_end,
               first_value(council_d) OVER episode AS first_council,
               first_value(row_no) OVER episode AS first_row
        FROM la_ok JOIN disagreeing USING (child_id, episode_start_d)
        WINDOW episode AS (PARTITION BY child_id, episode_start_d ORDER BY row_no)
        """
    )


def _build_population_cross_sources(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """
        CREATE TEMP VIEW pop_duplicates AS
        SELECT row_no, council_d, year_d,
               first_value(row_no) OVER (PARTITION BY council_d, year_d ORDER BY row_no)
                   AS first_row
        FROM pop_typed
        WHERE row_no NOT IN (SELECT row_no FROM problems WHERE file_key = 'pop')
        """
    )


def _all_checks() -> dict[str, tuple[_Check, ...]]:
    """Every check of each file, in the order listed (rows, then across rows)."""
    return {
        "la": (*_LOOKED_AFTER_ROW_CHECKS, *_LOOKED_AFTER_CROSS_CHECKS),
        "cp": _CHILD_PROTECTION_ROW_CHECKS,
        "pop": (*_POPULATION_ROW_CHECKS, *_POPULATION_CROSS_CHECKS),
    }


def _report(con: duckdb.DuckDBPyConnection, names: dict[str, str], limit: int) -> ValidationReport:
    checks = _all_checks()
    total_row = con.execute("SELECT count(*) FROM problems").fetchone()
    total = int(total_row[0]) if total_row else 0
    first = con.execute(
        """
        SELECT file_key, row_no, check_no, value, args FROM problems
        ORDER BY CASE file_key WHEN 'la' THEN 0 WHEN 'cp' THEN 1 ELSE 2 END, row_no, check_no,
                 value
        LIMIT ?
        """,
        [limit],
    ).fetchall()
    problems = []
    for file_key, row_no, check_no, value, args in first:
        check = checks[file_key][check_no]
        message = check.message.format(
            **dict(zip((name for name, _ in check.args), args, strict=True))
        )
        problems.append(Problem(names[file_key], int(row_no), check.column, value, message))
    counts = con.execute(
        "SELECT file_key, count(DISTINCT row_no) FROM problems GROUP BY file_key"
    ).fetchall()
    invalid = {names[key]: int(count) for key, count in counts}
    return ValidationReport(problems=tuple(problems), total=total, invalid_rows=invalid)


_CLEAN_TABLES: dict[str, str] = {
    "la": """
        SELECT child_id, CAST(council_d AS {council}) AS council, birth_month_d AS birth_month,
               episode_start_d AS episode_start, episode_end_d AS episode_end,
               placement_start_d AS placement_start, placement_end_d AS placement_end,
               CAST(placement_type AS {placement}) AS placement_type
        FROM la_typed
    """,
    "cp": """
        SELECT child_id, CAST(council_d AS {council}) AS council, birth_month_d AS birth_month,
               registration_date_d AS registration_date,
               deregistration_date_d AS deregistration_date, concerns_d AS concerns
        FROM cp_typed
    """,
    "pop": """
        SELECT CAST(council_d AS {council}) AS council, year_d AS year,
               population_0_17_d AS population_0_17
        FROM pop_typed
    """,
}


def _build_clean_tables(con: duckdb.DuckDBPyConnection, keys: Sequence[str]) -> None:
    """The tables used by ``compute`` for the files (keys) read in file order, without the rows
    that have a problem: views of the typed tables when there are none (no copy), tables
    otherwise."""
    for view in ("la_overlap", "la_ok", "pop_duplicates"):
        con.execute(f"DROP VIEW IF EXISTS {view}")
    con.execute("DROP TABLE IF EXISTS la_episodes")
    for key in keys:
        kept = _without_problem_rows(con, key)
        kind = "VIEW" if kept == "true" else "TABLE"
        select = _CLEAN_TABLES[key].format(council=_council_type(), placement=_PLACEMENT_TYPE)
        con.execute(f"CREATE TEMP {kind} {key} AS {select} WHERE {kept}")


# The fast pass. Its typed tables keep, besides the typed columns, ``ok``: the row passes every
# check of its own. Each condition below is at least as strict as its check (a row may fail it
# and pass the check, never the reverse): values must be exactly as DuckDB writes them for their
# type, with nothing to trim, so no rule of the ordered pass can tell them apart.


def _fast_date(column: str) -> str:
    """SQL: the text of ``column`` (``column_text``) is a real day written exactly
    ``YYYY-MM-DD``: its date written back by DuckDB is the same text. ``strlen`` keeps out
    ``infinity`` and years of five digits, which DuckDB also writes back as they were."""
    return f"(strlen({column}_text) = 10 AND CAST({column} AS VARCHAR) = {column}_text)"


def _fast_month(column: str) -> str:
    """SQL: the text of ``column`` is a month written exactly ``YYYY-MM``."""
    return f"(strlen({column}_text) = 7 AND strftime({column}, '%Y-%m') = {column}_text)"


def _fast_child_id() -> str:
    """SQL: the child ID is not blank and needs no trimming (the ordered pass trims it)."""
    return "(child_id <> '' AND NOT starts_with(child_id, ' ') AND NOT ends_with(child_id, ' '))"


def _codes(kind: str) -> tuple[list[tuple[str, str]], str]:
    """The codes of a kind of coded column, as (text read, code), and their SQL type."""
    if kind == "COUNCIL":
        codes = formats.council_codes()
        current = [(code, code) for code in codes.current]
        return [*current, *codes.replaced.items()], _council_type()
    return [(code, code) for code in formats.PLACEMENT_TYPES], _PLACEMENT_TYPE


def _fast_source(path: Path, header: Sequence[str], columns: dict[str, str]) -> str:
    """SQL: the file's rows, each column typed from its text (``columns``: name → kind), with
    ``name_text`` the text of each date and month. Council codes and placement types are looked
    up in small tables (a hash join: quicker than lists of codes): NULL when not a code."""
    selected = []
    joins = []
    for column, kind in columns.items():
        text = f"r.c{header.index(column)}"
        if kind == "TEXT":
            selected.append(f"{text} AS {column}")
        elif kind in ("COUNCIL", "PLACEMENT"):
            pairs, sql_type = _codes(kind)
            values = ", ".join(
                f"({_literal(read)}, CAST({_literal(code)} AS {sql_type}))" for read, code in pairs
            )
            joins.append(
                f"LEFT JOIN (VALUES {values}) {column}_codes(text, code) "
                f"ON {column}_codes.text = {text}"
            )
            selected.append(f"{column}_codes.code AS {column}")
        elif kind == "MONTH":
            selected.append(
                f"{text} AS {column}_text, TRY_CAST({text} || '-01' AS DATE) AS {column}"
            )
        else:
            selected.append(f"{text} AS {column}_text, TRY_CAST({text} AS DATE) AS {column}")
    return (
        f"(SELECT {', '.join(selected)} "  # noqa: S608
        f"FROM {_read_csv(path, header)} r {' '.join(joins)})"
    )


def _fast_looked_after_sql(path: Path, header: Sequence[str]) -> str:
    typed = _fast_source(
        path,
        header,
        {
            "child_id": "TEXT",
            "council": "COUNCIL",
            "birth_month": "MONTH",
            "episode_start": "DATE",
            "episode_end": "DATE",
            "placement_start": "DATE",
            "placement_end": "DATE",
            "placement_type": "PLACEMENT",
        },
    )
    ok = f"""
        {_fast_child_id()} AND council IS NOT NULL AND {_fast_month("birth_month")}
        AND {_fast_date("episode_start")} AND {_fast_date("placement_start")}
        AND (episode_end_text IS NULL OR {_fast_date("episode_end")})
        AND (placement_end_text IS NULL OR {_fast_date("placement_end")})
        AND placement_type IS NOT NULL
        AND (episode_end IS NULL OR episode_end >= episode_start)
        AND (placement_end IS NULL OR placement_end >= placement_start)
        AND placement_start >= episode_start
        AND (episode_end IS NULL OR placement_end <= episode_end)
    """
    return f"""
        CREATE OR REPLACE TEMP TABLE la_fast AS
        SELECT child_id, council, birth_month, episode_start, episode_end, placement_start,
               placement_end, placement_type, coalesce({ok}, false) AS ok
        FROM {typed}
    """  # noqa: S608  (SQL built from this module's constants and a quoted path only)


_CROSSING = """
    same_child AND (
        placement_start < previous_end
        OR episode_start < previous_start
        OR (episode_start = previous_start
            AND (episode_end IS DISTINCT FROM previous_episode_end
                 OR council <> previous_council)))
"""


def _neighbours(source: str, order: str) -> str:
    """SQL: the rows of ``source`` in ``order`` (empty: as stored), each with ``same_child``
    (the row before is of the same child) and ``crossing``: the two rows break a check across
    rows when taken in date order.

    Rows of a child in date order pass every check across rows when each starts on or after the
    end of the one before (so each placement ends no later than the next starts: none overlap),
    its episode does not start before that one's, and when the episode is the same its end and
    council are too (so every row of an episode agrees with its first). A placement of no days
    inside another, or two episodes of a child interleaved, do not pass though they are allowed:
    the ordered pass then decides.
    """
    return f"""
        SELECT ok, child_id, coalesce(same_child, false) AS same_child,
               coalesce({_CROSSING}, false) AS crossing
        FROM (
            SELECT ok, child_id, council, episode_start, episode_end, placement_start,
                   lag(child_id) OVER w = child_id AS same_child,
                   lag(coalesce(placement_end, 'infinity'::DATE)) OVER w AS previous_end,
                   lag(episode_start) OVER w AS previous_start,
                   lag(episode_end) OVER w AS previous_episode_end,
                   lag(council) OVER w AS previous_council
            FROM {source}
            WINDOW w AS ({order})
        )
    """  # noqa: S608


def _fast_looked_after_passes(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether every row of ``la_fast`` passes the checks of its own and across rows.

    The rows are first taken as stored (file order, but for the few blocks that a parallel read
    stores out of order): a child whose rows are one run there, in date order, is settled. The
    others (``la_suspects``: rows in several runs or not in date order) are then checked sorted
    by child and date; when a file is not grouped by child at all, that is every child.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE la_suspects AS
        SELECT child_id, count(*) FILTER (WHERE NOT ok) AS bad
        FROM ({_neighbours("la_fast", "")})
        WHERE NOT same_child OR NOT ok OR crossing
        GROUP BY child_id
        HAVING count(*) > 1 OR bool_or(NOT ok)
        """  # noqa: S608
    )
    found = con.execute("SELECT coalesce(sum(bad), 0), count(*) FROM la_suspects").fetchone()
    if found is None or found[0]:
        return False
    if found[1]:
        suspects = "(SELECT * FROM la_fast WHERE child_id IN (SELECT child_id FROM la_suspects))"
        crossing = con.execute(
            "SELECT count(*) FILTER (WHERE crossing) FROM "  # noqa: S608
            f"({_neighbours(suspects, 'ORDER BY child_id, placement_start, placement_end')})"
        ).fetchone()
        if crossing is None or crossing[0]:
            return False
    return True


def _fast_looked_after(con: duckdb.DuckDBPyConnection, path: Path, header: Sequence[str]) -> bool:
    """Read ``looked_after.csv`` by the fast pass; when it passes, ``la`` is its typed table."""
    try:
        con.execute(_fast_looked_after_sql(path, header))
    except duckdb.Error:
        con.execute("DROP TABLE IF EXISTS la_fast")
        return False
    passed = _fast_looked_after_passes(con)
    con.execute("DROP TABLE la_suspects")
    if not passed:
        con.execute("DROP TABLE la_fast")
        return False
    con.execute(
        "CREATE OR REPLACE TEMP VIEW la AS SELECT child_id, council, birth_month, episode_start, "
        "episode_end, placement_start, placement_end, placement_type FROM la_fast"
    )
    return True


def _fast_child_protection_sql(path: Path, header: Sequence[str]) -> str:
    typed = _fast_source(
        path,
        header,
        {
            "child_id": "TEXT",
            "council": "COUNCIL",
            "birth_month": "MONTH",
            "registration_date": "DATE",
            "deregistration_date": "DATE",
            "concerns": "TEXT",
        },
    )
    ok = f"""
        {_fast_child_id()} AND council IS NOT NULL
        AND (birth_month_text IS NULL OR {_fast_month("birth_month")})
        AND {_fast_date("registration_date")}
        AND (deregistration_date_text IS NULL OR {_fast_date("deregistration_date")})
        AND (deregistration_date IS NULL OR deregistration_date >= registration_date)
    """
    return f"""
        CREATE OR REPLACE TEMP TABLE cp_fast AS
        SELECT child_id, council, birth_month, registration_date, deregistration_date,
               coalesce(concerns, '') AS concerns_text, coalesce({ok}, false) AS ok
        FROM {typed}
    """  # noqa: S608


def _fast_child_protection(
    con: duckdb.DuckDBPyConnection, path: Path, header: Sequence[str]
) -> bool:
    """Read ``child_protection.csv`` by the fast pass; when it passes, ``cp`` is its typed table
    with the concern codes, which are read and checked once per distinct text."""
    try:
        con.execute(_fast_child_protection_sql(path, header))
    except duckdb.Error:
        con.execute("DROP TABLE IF EXISTS cp_fast")
        return False
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE cp_concerns AS
        SELECT concerns_text, {_concern_list("concerns_text")} AS concerns
        FROM (SELECT DISTINCT concerns_text FROM cp_fast)
        """  # noqa: S608
    )
    found = con.execute(
        f"""
        SELECT (SELECT count(*) FROM cp_fast WHERE NOT ok)
               + (SELECT count(*) FROM (SELECT unnest(concerns) AS code FROM cp_concerns)
                  WHERE code NOT IN ({_in_list(formats.CONCERN_CODES)}))
        """  # noqa: S608
    ).fetchone()
    if found is None or found[0]:
        con.execute("DROP TABLE cp_fast")
        con.execute("DROP TABLE cp_concerns")
        return False
    # A table, not a view: the indicators read it several times, and it is a tenth of ``la``.
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE cp AS
        SELECT f.child_id, f.council, f.birth_month, f.registration_date, f.deregistration_date,
               c.concerns
        FROM cp_fast f JOIN cp_concerns c USING (concerns_text)
        """
    )
    con.execute("DROP TABLE cp_fast")
    con.execute("DROP TABLE cp_concerns")
    return True


_FastPass = Callable[[duckdb.DuckDBPyConnection, Path, Sequence[str]], bool]


@dataclass(frozen=True)
class _File:
    key: str
    path: Path
    required: tuple[str, ...]
    ordered: Callable[[str], str]
    fast: _FastPass | None


def load_validated(
    con: duckdb.DuckDBPyConnection,
    files: ChildLevelFiles,
    *,
    drop_invalid: bool = False,
    limit: int = LISTING_LIMIT,
    fast: bool = True,
) -> ValidationReport:
    """Check the files and create the tables ``la``, ``cp`` and ``pop`` in ``con``.

    Returns the report of problems found (empty when there are none), whose rows were left out
    because ``drop_invalid`` was set. Raises ``ChildLevelDataError`` when a file cannot be read,
    or when there are problems and ``drop_invalid`` is not set. ``fast=False`` reads every file
    by the ordered pass (the fast pass gives the same tables and the same report).
    """
    inputs = (
        _File(
            "la",
            files.looked_after,
            formats.LOOKED_AFTER_COLUMNS,
            _looked_after_sql,
            _fast_looked_after,
        ),
        _File(
            "cp",
            files.child_protection,
            formats.CHILD_PROTECTION_COLUMNS,
            _child_protection_sql,
            _fast_child_protection,
        ),
        _File("pop", files.population, formats.POPULATION_COLUMNS, _population_sql, None),
    )
    names = {file.key: file.path.name for file in inputs}
    unreadable: list[Problem] = []
    ordered: list[str] = []  # the files read by the ordered pass
    for file in inputs:
        header = _header_of(file.path, file.required)
        if isinstance(header, Problem):
            unreadable.append(header)
            continue
        if fast and file.fast is not None and file.fast(con, file.path, header):
            continue
        problem = _load(con, file.path, header, file.required, file.ordered)
        if problem is None:
            ordered.append(file.key)
        else:
            unreadable.append(problem)
    if unreadable:
        raise ChildLevelDataError(
            ValidationReport(problems=tuple(unreadable), total=len(unreadable), fatal=True)
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE problems (file_key VARCHAR, row_no BIGINT, "
        "check_no INTEGER, value VARCHAR, args VARCHAR[])"
    )
    row_checks = {
        "la": _LOOKED_AFTER_ROW_CHECKS,
        "cp": _CHILD_PROTECTION_ROW_CHECKS,
        "pop": _POPULATION_ROW_CHECKS,
    }
    for key in ordered:
        _collect(con, key, row_checks[key])
    # Across rows, only among rows without a problem of their own.
    _build_cross_sources(con, ordered)
    if "la" in ordered:
        _collect(con, "la", _LOOKED_AFTER_CROSS_CHECKS, start=len(_LOOKED_AFTER_ROW_CHECKS))
    if "pop" in ordered:
        _collect(con, "pop", _POPULATION_CROSS_CHECKS, start=len(_POPULATION_ROW_CHECKS))
    report = _report(con, names, limit)
    if report.total and not drop_invalid:
        raise ChildLevelDataError(report)
    _build_clean_tables(con, ordered)
    return report
