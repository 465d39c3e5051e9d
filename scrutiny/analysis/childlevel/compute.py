"""Indicators per council and for Scotland from child-level data, in DuckDB.

The files are checked and loaded by ``validate.load_validated``; then a spine of reporting years
(1 August to 31 July, snapshot on 31 July) is joined to the placements (counted first per council,
type and the years they cover) and registrations, and all indicators come from five set-based
queries, run as one statement: the looked-after snapshot, episode starts and ceases, the child
protection register snapshot, registrations and their concerns, and re-registrations. The
definitions are in ``docs/data-dictionary.md`` ("Child-level data for indicators").

Councils reported are those appearing in either event file. Scotland (``S92000003``) is the sum
over them; its population is the sum of theirs, and is blank in a year when one of them has no
population. A council without a population in a year has its rates blank (no denominator).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from scrutiny.analysis.childlevel import formats
from scrutiny.analysis.childlevel.validate import (
    ChildLevelFiles,
    ValidationReport,
    load_validated,
)

NO_YEARS = (
    "there are no years to compute: the years {first} to {last} are empty. "
    "Give --from and --to, or check the dates and population years in the files."
)
NOT_COVERED = (
    "{option} {year} is {side} reporting year the files cover: they cover {first} to {last}"
)
NO_DATA = "there are no years to compute: the files have no dates and no population years"

DEFAULT_MEMORY_LIMIT = "3GB"
DEFAULT_THREADS = 2


class YearsError(ValueError):
    """The years asked for (or found in the data) make an empty range."""


@dataclass(frozen=True)
class IndicatorRow:
    """One tidy output row. Counts have no denominator and value = numerator."""

    council: str
    year: int
    indicator: str
    numerator: int
    denominator: int | None
    value: float | None


@dataclass(frozen=True)
class IndicatorResult:
    """The tidy rows (sorted by council, year, indicator), the years computed, and the report
    of the problems found (rows left out with ``drop_invalid``)."""

    rows: tuple[IndicatorRow, ...]
    first_year: int
    last_year: int
    report: ValidationReport


def _ry(column: str) -> str:
    """SQL: the reporting year (named by its 31 July) that a date falls in."""
    return f"(year({column}) + CAST(month({column}) >= 8 AS INTEGER))"


def _values(names: Iterable[str]) -> str:
    return ", ".join(f"('{name}')" for name in names)


def _resolve_years(
    con: duckdb.DuckDBPyConnection, first_year: int | None, last_year: int | None
) -> tuple[int, int]:
    """Without --from/--to: the reporting years from the earliest to the latest date in the two
    event files, limited to the years of the population file. A placement, episode or
    registration still open (blank end) goes on to the end of the data, which the files do not
    give: then the last year is the last population year.

    --from and --to must lie within the years the files cover: the same years, not limited by the
    population file (a year without population has blank rates), so from the earliest event date
    to the latest, or to the last population year if that is later while something is open.
    Outside them the counts would be zeros, or open placements carried on into years the files
    say nothing about."""
    dates = con.execute(
        """
        SELECT least(l.first_day, c.first_day), greatest(l.last_day, c.last_day),
               coalesce(l.still_open, false) OR coalesce(c.still_open, false)
        FROM (
            SELECT least(min(episode_start), min(placement_start)) AS first_day,
                   greatest(max(episode_end), max(placement_end),
                            max(episode_start), max(placement_start)) AS last_day,
                   bool_or(episode_end IS NULL OR placement_end IS NULL) AS still_open
            FROM la
        ) l, (
            SELECT min(registration_date) AS first_day,
                   greatest(max(registration_date), max(deregistration_date)) AS last_day,
                   bool_or(deregistration_date IS NULL) AS still_open
            FROM cp
        ) c
        """
    ).fetchone()
    years = con.execute("SELECT min(year), max(year) FROM pop").fetchone()
    has_dates = bool(dates and dates[0] is not None)
    has_population = bool(years and years[0] is not None)
    if not (has_dates or has_population):
        raise YearsError(NO_DATA)
    lows: list[int] = []
    highs: list[int] = []
    if years and has_population:
        lows.append(int(years[0]))
        highs.append(int(years[1]))
    covered = (lows[0], highs[0]) if lows else (0, 0)
    if dates and has_dates:
        events = (formats.reporting_year(dates[0]), formats.reporting_year(dates[1]))
        still_open = bool(dates[2]) and has_population
        covered = (events[0], max(events[1], *highs) if still_open else events[1])
        lows.append(events[0])
        if not still_open:
            highs.append(events[1])
    for option, year in (("--from", first_year), ("--to", last_year)):
        if year is not None and not covered[0] <= year <= covered[1]:
            raise YearsError(
                NOT_COVERED.format(
                    option=option,
                    year=year,
                    side="before the first" if year < covered[0] else "after the last",
                    first=covered[0],
                    last=covered[1],
                )
            )
    first = first_year if first_year is not None else max(lows)
    last = last_year if last_year is not None else min(highs)
    if first > last:
        raise YearsError(NO_YEARS.format(first=first, last=last))
    return first, last


def _lac_snapshot_sql() -> str:
    """Children looked after on each 31 July, by category. Validation refuses overlapping
    placements of a child, so a child has at most one placement covering a snapshot and counting
    covering placements counts children.

    A placement covers the snapshot of year Y (31 July Y) when it starts on or before it and ends
    after it: exactly when Y is from the reporting year of its start to the year before that of
    its end (every year on when it is open). So placements are first counted per council, type
    and these two years (one pass, a few thousand groups), and only those groups are matched to
    the years. A child born in month m of year b is aged Y - b - (1 if m >= 8 else 0) on 31 July
    Y, so aged 11 to 15 in a range of years too, and the placements away from home are counted
    per council and the years both ranges share.
    """
    residential = ", ".join(f"'{code}'" for code in formats.RESIDENTIAL_TYPES)
    community = ", ".join(f"'{code}'" for code in formats.COMMUNITY_TYPES)
    low, high = formats.AGE_11_15
    born = "(year(birth_month) + CAST(month(birth_month) >= 8 AS INTEGER))"
    return f"""
        WITH by_type AS (
            SELECT council, placement_type, {_ry("placement_start")} AS first_year,
                   {_ry("placement_end")} AS end_year, count(*) AS n
            FROM la GROUP BY ALL
        ),
        aged_11_15 AS (
            SELECT council, greatest({_ry("placement_start")}, {born} + {low}) AS first_year,
                   least(coalesce({_ry("placement_end")}, {born} + {high + 1}),
                         {born} + {high + 1}) AS end_year,
                   count(*) AS n
            FROM la WHERE placement_type <> 'home' GROUP BY ALL
        ),
        on_snapshot AS (
            SELECT t.council, y.year, t.placement_type, sum(t.n) AS n
            FROM by_type t JOIN years y
              ON t.first_year <= y.year AND (t.end_year IS NULL OR y.year < t.end_year)
            GROUP BY ALL
        )
        SELECT council, year, 'lac_' || placement_type AS indicator, n AS numerator
        FROM on_snapshot WHERE placement_type IN ({community})
        UNION ALL
        SELECT council, year, 'lac_total', sum(n) FROM on_snapshot GROUP BY ALL
        UNION ALL
        SELECT council, year, 'lac_residential', sum(n)
        FROM on_snapshot WHERE placement_type IN ({residential}) GROUP BY ALL
        UNION ALL
        SELECT council, year, 'lac_away', sum(n)
        FROM on_snapshot WHERE placement_type <> 'home' GROUP BY ALL
        UNION ALL
        SELECT a.council, y.year, 'lac_away_11_15', sum(a.n)
        FROM aged_11_15 a JOIN years y ON a.first_year <= y.year AND y.year < a.end_year
        GROUP BY ALL
    """  # noqa: S608  (SQL built from this module's constants only)


_EPISODES_SQL = f"""
    WITH episodes AS (SELECT DISTINCT council, child_id, episode_start, episode_end FROM la)
    SELECT council, {_ry("episode_start")} AS year, 'lac_starts' AS indicator,
           count(*) AS numerator
    FROM episodes GROUP BY ALL
    UNION ALL
    SELECT council, {_ry("episode_end")}, 'lac_ceases', count(*)
    FROM episodes WHERE episode_end IS NOT NULL GROUP BY ALL
"""  # noqa: S608

_REGISTER_SQL = """
    SELECT c.council, y.year, 'cp_register' AS indicator, count(DISTINCT c.child_id) AS numerator
    FROM cp c JOIN years y
      ON c.registration_date <= y.snapshot
     AND y.snapshot < coalesce(c.deregistration_date, 'infinity'::DATE)
    GROUP BY ALL
"""

_REGISTRATIONS_SQL = f"""
    SELECT council, {_ry("registration_date")} AS year, 'cp_registrations' AS indicator,
           count(*) AS numerator
    FROM cp GROUP BY ALL
    UNION ALL
    SELECT council, {_ry("deregistration_date")}, 'cp_deregistrations', count(*)
    FROM cp WHERE deregistration_date IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT council, {_ry("registration_date")}, 'cp_concern_' || code, count(*)
    FROM (SELECT council, registration_date, unnest(concerns) AS code FROM cp)
    GROUP BY ALL
"""  # noqa: S608

# A registration is a re-registration when the same child was de-registered on a day d with
# registration_date - 18 calendar months <= d < registration_date.
_REREGISTRATIONS_SQL = f"""
    SELECT a.council, {_ry("a.registration_date")} AS year,
           'cp_reregistrations_18m' AS indicator, count(*) AS numerator
    FROM cp a
    WHERE EXISTS (
        SELECT 1 FROM cp b
        WHERE b.child_id = a.child_id
          AND b.deregistration_date < a.registration_date
          AND b.deregistration_date >= CAST(
              a.registration_date - INTERVAL {formats.REREGISTRATION_MONTHS} MONTH AS DATE)
    )
    GROUP BY ALL
"""  # noqa: S608


def _tidy_sql() -> str:
    rates = ", ".join(f"('{rate}', '{count}')" for rate, count in formats.RATE_INDICATORS.items())
    return f"""
        WITH councils AS (
            SELECT CAST(council AS VARCHAR) AS council FROM la
            UNION SELECT CAST(council AS VARCHAR) FROM cp
        ),
        names AS (SELECT * FROM (VALUES {_values(formats.COUNT_INDICATORS)}) t(indicator)),
        council_counts AS (
            SELECT g.council, y.year, n.indicator, coalesce(c.numerator, 0) AS numerator
            FROM councils g CROSS JOIN years y CROSS JOIN names n
            LEFT JOIN counts c
              ON c.council = g.council AND c.year = y.year AND c.indicator = n.indicator
        ),
        all_counts AS (
            SELECT * FROM council_counts
            UNION ALL
            SELECT '{formats.SCOTLAND}', year, indicator, sum(numerator)
            FROM council_counts GROUP BY year, indicator
        ),
        populations AS (
            SELECT CAST(p.council AS VARCHAR) AS council, p.year, p.population_0_17 FROM pop p
            WHERE CAST(p.council AS VARCHAR) IN (SELECT council FROM councils)
        ),
        all_populations AS (
            SELECT * FROM populations
            UNION ALL
            SELECT '{formats.SCOTLAND}', year,
                   CASE WHEN count(*) = (SELECT count(*) FROM councils)
                        THEN sum(population_0_17) END
            FROM populations GROUP BY year
        ),
        rate_names AS (SELECT * FROM (VALUES {rates}) t(indicator, count_indicator))
        SELECT council, year, indicator, numerator, NULL::BIGINT AS denominator,
               CAST(numerator AS DOUBLE) AS value
        FROM all_counts
        UNION ALL
        SELECT c.council, c.year, r.indicator, c.numerator, p.population_0_17,
               c.numerator / p.population_0_17 * {formats.RATE_PER}
        FROM all_counts c
        JOIN rate_names r ON r.count_indicator = c.indicator
        LEFT JOIN all_populations p ON p.council = c.council AND p.year = c.year
        ORDER BY council, year, indicator
    """  # noqa: S608


def _connect(temp_dir: str, memory_limit: str, threads: int) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "temp_directory": temp_dir,
            # Rows keep the file's order, so that problems are reported with their row number.
            "preserve_insertion_order": True,
        }
    )
    con.execute("SET enable_progress_bar = false")  # nothing on the terminal but our messages
    return con


def indicators_compute(
    *,
    files: ChildLevelFiles,
    first_year: int | None = None,
    last_year: int | None = None,
    drop_invalid: bool = False,
    memory_limit: str = DEFAULT_MEMORY_LIMIT,
    threads: int = DEFAULT_THREADS,
) -> IndicatorResult:
    """Check the files, then compute every indicator for every council, Scotland and year.

    Raises ``ChildLevelDataError`` when the files are refused and ``YearsError`` when there is
    no year to compute.
    """
    with (
        tempfile.TemporaryDirectory(prefix="scrutiny-duckdb-") as temp_dir,
        _connect(temp_dir, memory_limit, threads) as con,
    ):
        report = load_validated(con, files, drop_invalid=drop_invalid)
        first, last = _resolve_years(con, first_year, last_year)
        con.execute(
            "CREATE TEMP TABLE years AS SELECT CAST(range AS INTEGER) AS year, "
            "make_date(CAST(range AS INTEGER), 7, 31) AS snapshot FROM range(?, ?)",
            [first, last + 1],
        )
        con.execute(
            "CREATE TEMP TABLE counts (council VARCHAR, year INTEGER, indicator VARCHAR, "
            "numerator BIGINT)"
        )
        queries = (
            _lac_snapshot_sql(),
            _EPISODES_SQL,
            _REGISTER_SQL,
            _REGISTRATIONS_SQL,
            _REREGISTRATIONS_SQL,
        )
        union = " UNION ALL ".join(f"SELECT * FROM ({query})" for query in queries)  # noqa: S608
        con.execute(f"INSERT INTO counts {union}")
        rows = tuple(
            IndicatorRow(
                council=council,
                year=int(year),
                indicator=indicator,
                numerator=int(numerator),
                denominator=None if denominator is None else int(denominator),
                value=None if value is None else float(value),
            )
            for council, year, indicator, numerator, denominator, value in con.execute(
                _tidy_sql()
            ).fetchall()
        )
    return IndicatorResult(rows=rows, first_year=first, last_year=last, report=report)


def format_value(row: IndicatorRow) -> str:
    """Counts as whole numbers; rates with full double precision; blank when unknown."""
    if row.indicator not in formats.RATE_INDICATORS:
        return str(row.numerator)
    return "" if row.value is None else repr(row.value)


def indicators_write_csv(rows: Iterable[IndicatorRow], path: Path) -> int:
    """Write the tidy CSV (header ``council,year,indicator,numerator,denominator,value``)."""
    written = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(formats.OUTPUT_COLUMNS)
        for row in rows:
            denominator = "" if row.denominator is None else str(row.denominator)
            writer.writerow(
                (
                    row.council,
                    row.year,
                    row.indicator,
                    row.numerator,
                    denominator,
                    format_value(row),
                )
            )
            written += 1
    return written
