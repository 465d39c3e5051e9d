"""Every write to indicators. Each function runs in one transaction, checks what it is given and
raises ``IndicatorError`` with a message for people (naming the row of a file) when it is
wrong: nothing is half-saved."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import math
import re
import shutil
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from scrutiny.accounts.models import User
from scrutiny.indicators import selectors
from scrutiny.indicators.models import (
    FREQUENCY_UNIT,
    ChartType,
    ChildLevelRun,
    Direction,
    Frequency,
    GatePattern,
    Indicator,
    IndicatorLink,
    IndicatorSeries,
    Observation,
    Publication,
    Rebase,
    Unit,
)
from scrutiny.indicators.periods import PeriodError, period_parse
from scrutiny.inspections.models import AreaForImprovement
from scrutiny.places.models import Area, ComparatorGroup, Partnership
from scrutiny.places.selectors import area_lookup_table

SUPPRESSION_MARKS = frozenset({"*", "-", "c"})
LISTING_LIMIT = 20
MAX_UPLOAD_BYTES = 20 * 1024 * 1024

NOTHING_SAVED = "Nothing was saved."
EMPTY_FILE = "The file is empty: it needs a header row and at least one row of values."
NOT_TEXT = "The file is not UTF-8 text: save it as CSV (UTF-8) and upload it again."
TOO_BIG = "The file is larger than 20 MB."
UNKNOWN_FORMAT = (
    "The columns are not those of a statistics.gov.scot cube (FeatureCode, DateCode, "
    "Measurement, Units, Value) nor of a data.gov.scot table (GeographyCode, DateCode, "
    "Measurement, GeographyType, Value). The file's columns are: {columns}."
)
MISSING_COLUMNS = "The file has no {columns} column: the first row must be the header."
LOCAL_COLUMNS = (
    "The first row must be the header period,value (numerator and denominator optional)."
)
LOCAL_COLUMN_NAMES = ("period", "value", "numerator", "denominator")
UNKNOWN_LOCAL_COLUMNS = (
    "The file has {what} that a local measure does not take: {columns}. The columns are "
    "period, value, numerator and denominator (numerator and denominator optional)."
)
PROBLEMS = (
    "{count} problem{s} in the file (rows are numbered from 1 after the header, blank lines "
    "included):"
)
TOO_MANY_CELLS = (
    "row {row} has {cells} cells but the header has {columns} columns: write numbers without "
    'thousands separators (1234), or put them in quotes ("1,234")'
)
NAMELESS_COLUMN = "column {column} has no name in the header row, but row {row} has {value!r} in it"
MORE = "… and {count} more."
BLANK = "row {row}: {column} is blank"
NOT_A_NUMBER = "row {row}: {column} {value!r} is not a number, nor a suppression mark (*, -, c)"
NOT_A_LOCAL_NUMBER = "row {row}: {column} {value!r} is not a number"
NEGATIVE = "row {row}: {column} {value!r} is negative, and a {what} cannot be"
UNKNOWN_AREA = (
    "row {row}: {value!r} is not a Scottish council area code (S12…), Scotland (S92000003), a "
    "replaced code or a known council name"
)
BAD_PERIOD = "row {row}: DateCode {problem}"
BAD_LOCAL_PERIOD = "row {row}: period {problem}"
NO_INDICATOR = "row {row}: no indicator in the catalogue is {match}"
DUPLICATE = "row {row} repeats row {first}: the same indicator, area and period"
DUPLICATE_PERIOD = "row {row} repeats the period {period} of row {first}"
NUMERATOR_ABOVE = "row {row}: the numerator {numerator} is more than the denominator {denominator}"
VALUE_DISAGREES = (
    "row {row}: the value {value} does not agree with the numerator {numerator} and the "
    "denominator {denominator}, which give {expected} ({working}): correct one of them, or leave "
    "the value blank"
)
COUNT_DISAGREES = (
    "row {row}: the value {value} does not agree with the numerator {numerator}: a count's "
    "numerator is the count (give one of them)"
)
NOT_A_COUNT = "row {row}: a count is a whole number of 0 or more, not {value}"
COUNT_DENOMINATOR = (
    "row {row}: a count has no denominator: give the count as the value (or the numerator)"
)
NOT_A_PERCENTAGE = "row {row}: a percentage is from 0 to 100, not {value}"
NEGATIVE_RATE = "row {row}: a rate cannot be negative ({value})"
NOT_CSV = "The file is not a CSV file ({problem}): save it as CSV (UTF-8) and upload it again."
UNKNOWN_INDICATOR_KEYS = (
    "The catalogue has no indicator {keys}: load the catalogue (it ships with Scrutiny) before "
    "storing child-level results."
)
NOTHING_TO_STORE = "There are no values to store."
TITLE_TAKEN = "This partnership already has a local measure called {title!r}."
UNIT_FIXED = (
    "Unit: the measure already has figures as {unit}, so its unit cannot change. Add a new "
    "measure for figures of another unit."
)
UNIT_WORDS = {
    Unit.COUNT: "a count",
    Unit.PERCENT: "a percentage",
    Unit.RATE_PER_1000: "a rate per 1,000",
    Unit.NUMBER: "a number",
}
NOT_LOCAL = "Only a partnership's own local measures can be changed here."
AREA_OF_OTHER_PARTNERSHIP = "That area for improvement belongs to another partnership's inspection."
AREA_NOT_PUBLISHED = (
    "That area for improvement belongs to an inspection whose report is not published yet."
)
ALREADY_LINKED = "This indicator is already linked to {label!r}."
OBJECT_OF_OTHER_PARTNERSHIP = "That item belongs to another partnership."
GROUP_NAME_TAKEN = "The partnership already has a comparator group called {name!r}."
GROUP_EMPTY = "Choose at least one council to compare with."
GROUP_ONLY_COUNCILS = "A comparator group holds council areas only."
RUN_ACTIVE = "Child-level files are already being computed: wait until that run has finished."


class IndicatorError(Exception):
    """A change that cannot be made, with what was wrong."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _listing(problems: Sequence[str]) -> str:
    lines = [PROBLEMS.format(count=len(problems), s="" if len(problems) == 1 else "s")]
    lines.extend(problems[:LISTING_LIMIT])
    if len(problems) > LISTING_LIMIT:
        lines.append(MORE.format(count=len(problems) - LISTING_LIMIT))
    lines.append(NOTHING_SAVED)
    return "\n".join(lines)


def _text(content: bytes) -> str:
    if len(content) > MAX_UPLOAD_BYTES:
        raise IndicatorError(TOO_BIG)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IndicatorError(NOT_TEXT) from None
    if "\x00" in text:  # a binary file (a PDF or a spreadsheet) that happens to decode
        raise IndicatorError(NOT_TEXT)
    if not text.strip():
        raise IndicatorError(EMPTY_FILE)
    return text


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and the rows with their numbers, counted from 1 after the header as the file
    shows them (blank lines count, and are skipped). A row with more cells than the header is
    refused: its extra cells would be lost (``2024-05,1,234`` read as 1)."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [name.strip() for name in next(reader)]
        records = list(enumerate(reader, start=1))
    except StopIteration:
        raise IndicatorError(EMPTY_FILE) from None
    except csv.Error as exc:
        raise IndicatorError(NOT_CSV.format(problem=f"line {reader.line_num}: {exc}")) from None
    body = [(number, row) for number, row in records if any(cell.strip() for cell in row)]
    if not body:
        raise IndicatorError(EMPTY_FILE)
    problems = [
        TOO_MANY_CELLS.format(row=number, cells=len(row), columns=len(header))
        for number, row in body
        if any(cell.strip() for cell in row[len(header) :])
    ]
    for i in (i for i, name in enumerate(header) if not name):
        filled = next(((n, row[i]) for n, row in body if i < len(row) and row[i].strip()), None)
        if filled is not None:
            problems.append(NAMELESS_COLUMN.format(column=i + 1, row=filled[0], value=filled[1]))
    if problems:
        raise IndicatorError(_listing(problems))
    rows = [
        (
            number,
            {
                name: (row[i].strip() if i < len(row) else "")
                for i, name in enumerate(header)
                if name
            },
        )
        for number, row in body
    ]
    return [name for name in header if name], rows


_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?([eE][+-]?\d+)?$")


def _number(text: str) -> float | None:
    """A finite number (thousands separators allowed), or ``None``."""
    value = text.strip()
    if not value or not _NUMBER.match(value) or value in {"+", "-", "."}:
        return None
    try:
        number = float(value.replace(",", ""))
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


# --- series ------------------------------------------------------------------------------------


def _ensure_series(indicator_ids: Iterable[int], area_ids: Iterable[int]) -> None:
    """Every partnership of the areas follows the indicators (its chart page exists)."""
    partnerships = list(Partnership.objects.filter(area_id__in=set(area_ids)).values_list("pk"))
    wanted = {(p, i) for (p,) in partnerships for i in set(indicator_ids)}
    if not wanted:
        return
    existing = set(
        IndicatorSeries.objects.filter(
            partnership_id__in={p for p, _ in wanted}, indicator_id__in={i for _, i in wanted}
        ).values_list("partnership_id", "indicator_id")
    )
    IndicatorSeries.objects.bulk_create(
        [IndicatorSeries(partnership_id=p, indicator_id=i) for p, i in sorted(wanted - existing)]
    )


@transaction.atomic
def series_ensure(*, partnership: Partnership, indicator: Indicator) -> IndicatorSeries:
    series, _ = IndicatorSeries.objects.get_or_create(partnership=partnership, indicator=indicator)
    return series


@transaction.atomic
def series_target_set(*, series: IndicatorSeries, target: float | None) -> IndicatorSeries:
    if target is not None and not math.isfinite(target):
        raise IndicatorError("The target must be a number.")
    unit = series.indicator.unit
    if target is not None and unit == Unit.PERCENT and not 0 <= target <= 100:
        raise IndicatorError(f"A target for a percentage is from 0 to 100, not {target:g}.")
    if target is not None and unit != Unit.NUMBER and target < 0:
        raise IndicatorError(f"The target cannot be negative for this measure ({target:g}).")
    series.target = target
    series.save(update_fields=["target"])
    return series


REASON_NEEDED = "Give the reason for new limits: the change in the process that starts there."
REBASE_TWICE = "The limits are already recalculated from {period}."
BASELINE_TOO_SHORT = "A fixed baseline needs at least 2 points."


def _limits_check(series: IndicatorSeries, limits: selectors.Limits) -> None:
    problem = selectors.limits_problem(series=series, limits=limits)
    if problem is not None:
        raise IndicatorError(problem)


@transaction.atomic
def series_rebase_add(
    *, series: IndicatorSeries, period: str, reason: str, by: User | None
) -> Rebase:
    """Recalculate the chart's centre line and limits from ``period`` on, for ``reason``."""
    period, reason = period.strip(), reason.strip()
    if not reason:
        raise IndicatorError(REASON_NEEDED)
    limits = selectors.series_limits(series)
    if period in limits.rebase:
        raise IndicatorError(REBASE_TWICE.format(period=period))
    _limits_check(
        series,
        dataclasses.replace(limits, rebase=(*limits.rebase, period)),
    )
    return Rebase.objects.create(series=series, period=period, reason=reason, created_by=by)


@transaction.atomic
def series_rebase_remove(*, rebase: Rebase) -> None:
    rebase.delete()


@transaction.atomic
def series_baseline_set(*, series: IndicatorSeries, points: int | None) -> IndicatorSeries:
    """Fix each group's centre and limits on its first ``points`` points (None: on all)."""
    if points is not None:
        if points < 2:
            raise IndicatorError(BASELINE_TOO_SHORT)
        limits = selectors.series_limits(series)
        _limits_check(
            series,
            dataclasses.replace(limits, baseline_points=points),
        )
    series.baseline_points = points
    series.save(update_fields=["baseline_points"])
    return series


# --- aggregate imports: statistics.gov.scot and data.gov.scot ----------------------------------

STATISTICS_COLUMNS = ("FeatureCode", "DateCode", "Measurement", "Units", "Value")
DATA_GOV_COLUMNS = ("GeographyCode", "DateCode", "Measurement", "GeographyType", "Value")
# Columns that describe a row rather than pick the indicator.
_NOT_DIMENSIONS = frozenset(
    {*STATISTICS_COLUMNS, *DATA_GOV_COLUMNS, "FeatureName", "GeographyName", "DateName"}
)


@dataclass(frozen=True)
class _Value:
    indicator_id: int
    area_id: int
    period: str
    period_start: date
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool


def _cube_format(header: Sequence[str]) -> tuple[str, str]:
    """The publication kind and the name of the geography column."""
    columns = set(header)
    if "FeatureCode" in columns:
        missing = [c for c in STATISTICS_COLUMNS if c not in columns]
        if missing:
            raise IndicatorError(MISSING_COLUMNS.format(columns=", ".join(missing)))
        return Publication.Kind.STATISTICS_GOV_SCOT, "FeatureCode"
    if "GeographyCode" in columns:
        missing = [c for c in DATA_GOV_COLUMNS if c not in columns]
        if missing:
            raise IndicatorError(MISSING_COLUMNS.format(columns=", ".join(missing)))
        return Publication.Kind.DATA_GOV_SCOT, "GeographyCode"
    raise IndicatorError(UNKNOWN_FORMAT.format(columns=", ".join(header) or "none"))


def _match_words(row: dict[str, str], dimensions: Sequence[str]) -> str:
    parts = [f"Measurement {row.get('Measurement', '')!r}"]
    parts.extend(f"{name} {row.get(name, '')!r}" for name in dimensions)
    return ", ".join(parts)


@transaction.atomic
def cube_import(
    *,
    content: bytes,
    file_name: str,
    title: str,
    vintage: date,
    by: User | None,
    source: str = "",
) -> Publication:
    """Import a statistics.gov.scot cube CSV or its data.gov.scot copy as one publication.

    Each row is matched to the catalogue indicator whose ``cube_match`` gives its Measurement
    and dimension values; areas are resolved through codes, replaced codes and name variants;
    ``*``, ``-`` and ``c`` are kept as suppressed. Any problem refuses the whole file.
    """
    header, rows = _rows(_text(content))
    kind, geography = _cube_format(header)
    dimensions = [name for name in header if name not in _NOT_DIMENSIONS]
    candidates = [
        indicator
        for indicator in Indicator.objects.filter(partnership__isnull=True).exclude(cube_match={})
        if set(indicator.cube_match) - {"Measurement"} <= set(header)
    ]
    areas = area_lookup_table()
    problems: list[str] = []
    values: list[_Value] = []
    seen: dict[tuple[int, int, str], int] = {}
    for number, row in rows:
        indicator = next(
            (
                candidate
                for candidate in candidates
                if all(
                    row.get(name, "").casefold() == str(wanted).strip().casefold()
                    for name, wanted in candidate.cube_match.items()
                )
            ),
            None,
        )
        if indicator is None:
            problems.append(NO_INDICATOR.format(row=number, match=_match_words(row, dimensions)))
            continue
        code = row[geography]
        area = areas.get(code.strip().lower()) if code.strip() else None
        if area is None:
            problems.append(
                BLANK.format(row=number, column=geography)
                if not code.strip()
                else UNKNOWN_AREA.format(row=number, value=code)
            )
            continue
        try:
            period, start = period_parse(row["DateCode"], Frequency.YEARLY)
        except PeriodError as exc:
            problems.append(BAD_PERIOD.format(row=number, problem=exc))
            continue
        raw = row["Value"]
        suppressed = raw.casefold() in SUPPRESSION_MARKS
        value = None if suppressed else _number(raw)
        if not suppressed:
            if not raw:
                problems.append(BLANK.format(row=number, column="Value"))
                continue
            if value is None:
                problems.append(NOT_A_NUMBER.format(row=number, column="Value", value=raw))
                continue
            if value < 0:
                problems.append(
                    NEGATIVE.format(row=number, column="Value", value=raw, what="count or rate")
                )
                continue
            if indicator.unit == Unit.COUNT and value != int(value):
                problems.append(NOT_A_COUNT.format(row=number, value=raw))
                continue
        key = (indicator.pk, area.pk, period)
        if key in seen:
            problems.append(DUPLICATE.format(row=number, first=seen[key]))
            continue
        seen[key] = number
        count = indicator.unit == Unit.COUNT
        values.append(
            _Value(
                indicator_id=indicator.pk,
                area_id=area.pk,
                period=period,
                period_start=start,
                value=value,
                numerator=value if count else None,
                denominator=None,
                suppressed=suppressed,
            )
        )
    if problems:
        raise IndicatorError(_listing(problems))
    publication = Publication.objects.create(
        kind=kind,
        title=title,
        source=source or dict(Publication.Kind.choices)[kind],
        vintage=vintage,
        file_name=file_name[:255],
        sha256=_sha256(content),
        rows=len(values),
        created_by=by,
    )
    _store(publication, values)
    return publication


def _store(publication: Publication, values: Sequence[_Value]) -> None:
    Observation.objects.bulk_create(
        [
            Observation(
                publication=publication,
                indicator_id=v.indicator_id,
                area_id=v.area_id,
                period=v.period,
                period_start=v.period_start,
                value=v.value,
                numerator=v.numerator,
                denominator=v.denominator,
                suppressed=v.suppressed,
            )
            for v in values
        ],
        batch_size=2000,
    )
    _ensure_series({v.indicator_id for v in values}, {v.area_id for v in values})
    if publication.partnership_id is None:
        gate_pattern_refresh()


def gate_pattern_refresh() -> GatePattern:
    """Work out and keep the disclosure gate's suppression pattern of the national counts for
    the figures as they now are (pages would otherwise work it out on first use)."""
    fingerprint = selectors.linked_fingerprint()
    pattern = selectors.linked_pattern_compute()
    GatePattern.objects.exclude(fingerprint=fingerprint).delete()
    stored, _ = GatePattern.objects.update_or_create(
        fingerprint=fingerprint,
        defaults={"rules": [[i, a, p, rule] for (i, a, p), rule in sorted(pattern.rules.items())]},
    )
    return stored


# --- child-level results -----------------------------------------------------------------------

CHILD_LEVEL_SOURCE = "Child-level looked-after and child protection returns, computed by Scrutiny"


@transaction.atomic
def child_level_store(
    *,
    rows: Iterable[Any],
    title: str,
    vintage: date,
    by: User | None,
    file_name: str = "",
    note: str = "",
) -> Publication:
    """Store the tidy rows of ``indicators_compute`` (council, year, indicator, numerator,
    denominator, value) as one publication. Rates without a population are left out."""
    indicators = dict(Indicator.objects.filter(partnership__isnull=True).values_list("key", "pk"))
    areas = dict(Area.objects.values_list("code", "pk"))
    values: list[_Value] = []
    unknown: set[str] = set()
    for row in rows:
        indicator_id = indicators.get(row.indicator)
        if indicator_id is None:
            unknown.add(row.indicator)
            continue
        if row.value is None:
            continue
        values.append(
            _Value(
                indicator_id=indicator_id,
                area_id=areas[row.council],
                period=str(row.year),
                period_start=date(int(row.year), 1, 1),
                value=float(row.value),
                numerator=float(row.numerator),
                denominator=None if row.denominator is None else float(row.denominator),
                suppressed=False,
            )
        )
    if unknown:
        raise IndicatorError(UNKNOWN_INDICATOR_KEYS.format(keys=", ".join(sorted(unknown))))
    if not values:
        raise IndicatorError(NOTHING_TO_STORE)
    publication = Publication.objects.create(
        kind=Publication.Kind.CHILD_LEVEL,
        title=title,
        source=CHILD_LEVEL_SOURCE,
        vintage=vintage,
        file_name=file_name[:255],
        rows=len(values),
        note=note,
        created_by=by,
    )
    _store(publication, values)
    return publication


def dropped_rows_note(report: Any) -> str:
    """How many rows with problems were left out, per file (no values: they are child-level)."""
    if not report.total:
        return ""
    rows = sum(report.invalid_rows.values())
    files = ", ".join(f"{name} {count:,}" for name, count in report.invalid_rows.items())
    return f"Left out {rows:,} row{'' if rows == 1 else 's'} with problems ({files})."


def _private_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "child-level"


@dataclass(frozen=True)
class ChildLevelUpload:
    looked_after: IO[bytes]
    child_protection: IO[bytes]
    population: IO[bytes]


@transaction.atomic
def child_level_run_start(
    *,
    files: ChildLevelUpload,
    title: str,
    vintage: date,
    drop_invalid: bool,
    by: User,
) -> ChildLevelRun:
    """Keep the three files in a private folder and queue their computation. The files are
    deleted as soon as the aggregates are stored (or the files refused)."""
    from scrutiny.analysis.childlevel import formats
    from scrutiny.indicators.tasks import compute_child_level

    if ChildLevelRun.objects.filter(
        status__in=[ChildLevelRun.Status.QUEUED, ChildLevelRun.Status.RUNNING]
    ).exists():
        raise IndicatorError(RUN_ACTIVE)
    directory = _private_dir() / uuid.uuid4().hex
    directory.mkdir(parents=True)
    for name, stream in (
        (formats.LOOKED_AFTER_FILE, files.looked_after),
        (formats.CHILD_PROTECTION_FILE, files.child_protection),
        (formats.POPULATION_FILE, files.population),
    ):
        with (directory / name).open("wb") as out:
            shutil.copyfileobj(stream, out)
    run = ChildLevelRun.objects.create(
        title=title,
        vintage=vintage,
        directory=str(directory),
        drop_invalid=drop_invalid,
        created_by=by,
    )
    result = compute_child_level.enqueue(run.pk)
    ChildLevelRun.objects.filter(pk=run.pk).update(task_id=str(result.id)[:64])
    run.refresh_from_db()
    return run


def child_level_run_execute(*, run_id: int) -> ChildLevelRun:
    """Compute a queued run's files, store the aggregates as one publication, delete the files."""
    from scrutiny.analysis.childlevel import formats
    from scrutiny.analysis.childlevel.compute import YearsError, indicators_compute
    from scrutiny.analysis.childlevel.validate import ChildLevelDataError, ChildLevelFiles

    run = ChildLevelRun.objects.select_related("created_by").get(pk=run_id)
    if run.status != ChildLevelRun.Status.QUEUED:
        return run
    run.status = ChildLevelRun.Status.RUNNING
    run.message = ""
    run.save(update_fields=["status", "message"])
    directory = Path(run.directory)
    try:
        result = indicators_compute(
            files=ChildLevelFiles(
                looked_after=directory / formats.LOOKED_AFTER_FILE,
                child_protection=directory / formats.CHILD_PROTECTION_FILE,
                population=directory / formats.POPULATION_FILE,
            ),
            drop_invalid=run.drop_invalid,
        )
        note = dropped_rows_note(result.report)
        publication = child_level_store(
            rows=result.rows,
            title=run.title,
            vintage=run.vintage,
            by=run.created_by,
            file_name="looked_after.csv, child_protection.csv, population.csv",
            note=note,
        )
    except ChildLevelDataError as exc:
        run.status = ChildLevelRun.Status.FAILED
        run.message = f"{exc.report.listing()}\n{NOTHING_SAVED}"
    except (YearsError, IndicatorError) as exc:
        run.status = ChildLevelRun.Status.FAILED
        run.message = f"{exc}\n{NOTHING_SAVED}"
    else:
        run.status = ChildLevelRun.Status.DONE
        run.publication = publication
        areas = len({row.council for row in result.rows})
        run.message = (
            f"Stored {publication.rows:,} values for {areas} areas, years {result.first_year} "
            f"to {result.last_year}."
        )
        if result.report.total:
            # The listing quotes the files' values: it stays on this run, whose page is
            # administrators' only and logged, and never reaches the publication.
            run.message += f"\n{note}\n{result.report.listing()}"
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    run.directory = ""
    run.finished_at = timezone.now()
    run.save()
    return run


# --- the catalogue ---------------------------------------------------------------------------

CATALOGUE_FIELDS = (
    "title",
    "theme",
    "definition",
    "numerator",
    "denominator",
    "unit",
    "improvement",
    "frequency",
    "source",
    "chart",
    "is_active",
)


def _frequency_problem(indicator: Indicator, stored: str, frequency: str) -> str | None:
    """Why the indicator's stored figures forbid a change to ``frequency`` (their periods are
    of another length: yearly figures cannot be charted as months), or None."""
    periods = (
        Observation.objects.filter(indicator=indicator).values_list("period", flat=True).distinct()
    )
    for period in periods:
        try:
            period_parse(period, frequency)
        except PeriodError:
            unit = FREQUENCY_UNIT[Frequency(stored)]
            return (
                f"Frequency: the indicator already has figures by {unit} "
                f"(such as {period}), so it cannot become "
                f"{Frequency(frequency).label.lower()}. Add a new indicator for figures of "
                "another frequency."
            )
    return None


def _stored_frequency_check(indicator: Indicator, data: dict[str, Any]) -> None:
    frequency = data.get("frequency")
    # As stored: a model form has already copied the new value onto ``indicator``.
    stored = Indicator.objects.filter(pk=indicator.pk).values_list("frequency", flat=True).first()
    if frequency and frequency != stored:
        problem = _frequency_problem(indicator, stored or frequency, frequency)
        if problem:
            raise IndicatorError(problem)


@transaction.atomic
def indicator_update(*, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    _stored_frequency_check(indicator, data)
    for name in CATALOGUE_FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    indicator.full_clean()
    indicator.save()
    return indicator


# --- local measures ----------------------------------------------------------------------------


def _local_key(partnership: Partnership, title: str) -> str:
    base = slugify(f"{partnership.slug} {title}")[:70] or partnership.slug
    key, n = base, 1
    while Indicator.objects.filter(key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def local_indicator_create(
    *,
    partnership: Partnership,
    title: str,
    definition: str,
    unit: str,
    improvement: str = Direction.NEUTRAL,
    frequency: str = Frequency.QUARTERLY,
    chart: str = ChartType.XMR,
    numerator: str = "",
    denominator: str = "",
    source: str = "",
    by: User | None,
) -> Indicator:
    if Indicator.objects.filter(partnership=partnership, title__iexact=title.strip()).exists():
        raise IndicatorError(TITLE_TAKEN.format(title=title.strip()))
    indicator = Indicator(
        key=_local_key(partnership, title),
        title=title.strip(),
        theme="Local measures",
        definition=definition,
        numerator=numerator,
        denominator=denominator,
        unit=unit,
        improvement=improvement,
        frequency=frequency,
        chart=chart,
        source=source or f"{partnership.name} (local measure)",
        partnership=partnership,
        order=10_000,
        created_by=by,
    )
    indicator.full_clean()
    indicator.save()
    IndicatorSeries.objects.create(partnership=partnership, indicator=indicator)
    return indicator


@transaction.atomic
def local_indicator_update(*, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    if not indicator.is_local:
        raise IndicatorError(NOT_LOCAL)
    title = str(data.get("title", indicator.title)).strip()
    if (
        Indicator.objects.filter(partnership=indicator.partnership, title__iexact=title)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise IndicatorError(TITLE_TAKEN.format(title=title))
    _stored_frequency_check(indicator, data)
    # A measure's figures were checked against its unit when they were given (a percentage from
    # 0 to 100, a whole count): under another unit they would mean something else.
    unit = data.get("unit")
    stored_unit = Indicator.objects.filter(pk=indicator.pk).values_list("unit", flat=True).first()
    if (
        unit
        and stored_unit
        and unit != stored_unit
        and Observation.objects.filter(indicator=indicator).exists()
    ):
        raise IndicatorError(UNIT_FIXED.format(unit=UNIT_WORDS[Unit(stored_unit)]))
    for name in (*CATALOGUE_FIELDS, "numerator", "denominator"):
        if name in data:
            setattr(indicator, name, data[name])
    indicator.title = title
    indicator.full_clean()
    indicator.save()
    return indicator


@dataclass(frozen=True)
class LocalValue:
    period: str
    value: float | None
    numerator: float | None = None
    denominator: float | None = None


_ROW_PREFIX = re.compile(r"^row \d+: ")


def _local_values(
    indicator: Indicator, entries: Sequence[tuple[int, dict[str, str]]], *, in_file: bool = True
) -> list[_Value]:
    """The values checked (``in_file``: rows of an uploaded file; else values typed into the
    form, whose problems are given without row numbers)."""
    problems: list[str] = []
    values: list[_Value] = []
    seen: dict[str, int] = {}
    area_id = indicator.partnership.area_id if indicator.partnership else None
    assert area_id is not None
    for number, row in entries:
        raw_period = row.get("period", "")
        if not raw_period:
            problems.append(BLANK.format(row=number, column="period"))
            continue
        try:
            period, start = period_parse(raw_period, indicator.frequency)
        except PeriodError as exc:
            problems.append(BAD_LOCAL_PERIOD.format(row=number, problem=exc))
            continue
        parsed: dict[str, float | None] = {}
        bad = False
        for column in ("value", "numerator", "denominator"):
            raw = row.get(column, "")
            if not raw:
                parsed[column] = None
                continue
            number_value = _number(raw)
            if number_value is None:
                problems.append(NOT_A_LOCAL_NUMBER.format(row=number, column=column, value=raw))
                bad = True
            elif number_value < 0 and column != "value":
                problems.append(NEGATIVE.format(row=number, column=column, value=raw, what=column))
                bad = True
            parsed[column] = number_value
        if bad:
            continue
        numerator, denominator = parsed["numerator"], parsed["denominator"]
        value = parsed["value"]
        if value is None and numerator is not None and denominator:
            value = numerator / denominator * indicator.multiplier
        if value is None:
            problems.append(BLANK.format(row=number, column="value"))
            continue
        if (
            indicator.unit == Unit.PERCENT
            and numerator is not None
            and denominator is not None
            and numerator > denominator
        ):
            problems.append(
                NUMERATOR_ABOVE.format(
                    row=number, numerator=raw_number(numerator), denominator=raw_number(denominator)
                )
            )
            continue
        if parsed["value"] is not None:
            disagreement = _disagreement(indicator, number, row["value"], value, parsed)
            if disagreement:
                problems.append(disagreement)
                continue
        unit_problem = _unit_problem(indicator, number, value, denominator)
        if unit_problem:
            problems.append(unit_problem)
            continue
        if period in seen:
            problems.append(DUPLICATE_PERIOD.format(row=number, period=period, first=seen[period]))
            continue
        seen[period] = number
        values.append(
            _Value(
                indicator_id=indicator.pk,
                area_id=area_id,
                period=period,
                period_start=start,
                value=value,
                numerator=numerator
                if numerator is not None
                else (value if indicator.unit == Unit.COUNT else None),
                denominator=denominator,
                suppressed=False,
            )
        )
    if problems and in_file:
        raise IndicatorError(_listing(problems))
    if problems:
        raise IndicatorError(
            "\n".join(_sentence(_ROW_PREFIX.sub("", problem)) for problem in problems)
        )
    return values


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _disagreement(
    indicator: Indicator, number: int, raw: str, value: float, parsed: dict[str, float | None]
) -> str:
    """Why a given value disagrees with the row's numerator and denominator ("" when it agrees,
    allowing for the value's rounding to the decimals it is given with)."""
    numerator, denominator = parsed["numerator"], parsed["denominator"]
    if numerator is None:
        return ""
    if denominator is None:
        if indicator.unit != Unit.COUNT or value == numerator:
            return ""
        return COUNT_DISAGREES.format(
            row=number, value=raw_number(value), numerator=raw_number(numerator)
        )
    if not denominator:
        return ""
    expected = numerator / denominator * indicator.multiplier
    # "33" stands for 33.33…; "33.3" too, but "33.4" does not. Trailing zeros add no precision
    # ("20.0", as a form gives it back, stands for 20).
    exponent = Decimal(raw.replace(",", "")).normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    tolerance = 0.5 * 10**-decimals + 1e-9 * max(1.0, abs(expected))
    if abs(value - expected) <= tolerance:
        return ""
    working = f"{raw_number(numerator)} divided by {raw_number(denominator)}"
    if indicator.multiplier != 1:
        working += f", times {indicator.multiplier:,.0f}"
    return VALUE_DISAGREES.format(
        row=number,
        value=raw_number(value),
        numerator=raw_number(numerator),
        denominator=raw_number(denominator),
        expected=f"{expected:.2f}".rstrip("0").rstrip("."),
        working=working,
    )


def _unit_problem(
    indicator: Indicator, number: int, value: float, denominator: float | None
) -> str:
    """What is wrong with a value for the measure's unit ("" when nothing)."""
    shown = raw_number(value)
    if indicator.unit == Unit.COUNT:
        if denominator is not None:
            return COUNT_DENOMINATOR.format(row=number)
        if value < 0 or value != int(value):
            return NOT_A_COUNT.format(row=number, value=shown)
    elif indicator.unit == Unit.PERCENT and not 0 <= value <= 100:
        return NOT_A_PERCENTAGE.format(row=number, value=shown)
    elif indicator.unit == Unit.RATE_PER_1000 and value < 0:
        return NEGATIVE_RATE.format(row=number, value=shown)
    return ""


def raw_number(value: float) -> str:
    return f"{value:g}"


@transaction.atomic
def local_values_enter(
    *, indicator: Indicator, values: Sequence[LocalValue], by: User
) -> Publication:
    """Values typed into the form: one publication (a later entry for a period is a revision)."""
    if not indicator.is_local:
        raise IndicatorError(NOT_LOCAL)
    entries = [
        (
            number,
            {
                "period": v.period,
                "value": "" if v.value is None else repr(v.value),
                "numerator": "" if v.numerator is None else repr(v.numerator),
                "denominator": "" if v.denominator is None else repr(v.denominator),
            },
        )
        for number, v in enumerate(values, start=1)
    ]
    stored = _local_values(indicator, entries, in_file=False)
    if not stored:
        raise IndicatorError(NOTHING_TO_STORE)
    publication = Publication.objects.create(
        kind=Publication.Kind.LOCAL_ENTRY,
        title=f"{indicator.title}: entered by {by.full_name}",
        source=indicator.source,
        vintage=timezone.localdate(),
        partnership_id=indicator.partnership_id,
        rows=len(stored),
        created_by=by,
    )
    _store(publication, stored)
    return publication


@transaction.atomic
def local_values_upload(
    *, indicator: Indicator, content: bytes, file_name: str, by: User
) -> Publication:
    """A ``period,value`` CSV (optionally ``numerator,denominator``) as one publication."""
    if not indicator.is_local:
        raise IndicatorError(NOT_LOCAL)
    header, rows = _rows(_text(content))
    names = {name.lower() for name in header}
    if "period" not in names or not names & {"value", "numerator"}:
        raise IndicatorError(LOCAL_COLUMNS)
    unknown = [name for name in header if name.lower() not in LOCAL_COLUMN_NAMES]
    if unknown:
        raise IndicatorError(
            UNKNOWN_LOCAL_COLUMNS.format(
                what="a column" if len(unknown) == 1 else "columns",
                columns=", ".join(unknown),
            )
        )
    entries = [(number, {name.lower(): text for name, text in row.items()}) for number, row in rows]
    stored = _local_values(indicator, entries)
    publication = Publication.objects.create(
        kind=Publication.Kind.LOCAL_UPLOAD,
        title=f"{indicator.title}: {file_name}"[:250],
        source=indicator.source,
        vintage=timezone.localdate(),
        partnership_id=indicator.partnership_id,
        file_name=file_name[:255],
        sha256=_sha256(content),
        rows=len(stored),
        created_by=by,
    )
    _store(publication, stored)
    return publication


# --- comparator groups -------------------------------------------------------------------------


@transaction.atomic
def comparator_group_save(
    *,
    partnership: Partnership,
    name: str,
    areas: Iterable[Area],
    group: ComparatorGroup | None = None,
) -> ComparatorGroup:
    chosen = list(areas)
    name = name.strip()
    if not chosen:
        raise IndicatorError(GROUP_EMPTY)
    if any(area.kind != Area.Kind.COUNCIL for area in chosen):
        raise IndicatorError(GROUP_ONLY_COUNCILS)
    clash = ComparatorGroup.objects.filter(partnership=partnership, name__iexact=name)
    if group is not None:
        clash = clash.exclude(pk=group.pk)
    if clash.exists():
        raise IndicatorError(GROUP_NAME_TAKEN.format(name=name))
    if group is None:
        group = ComparatorGroup.objects.create(partnership=partnership, name=name)
    else:
        group.name = name
        group.save(update_fields=["name"])
    group.areas.set(chosen)
    return group


@transaction.atomic
def comparator_group_delete(*, group: ComparatorGroup) -> None:
    group.delete()


# --- links to areas for improvement and actions ------------------------------------------------


@transaction.atomic
def indicator_link_area_add(
    *, series: IndicatorSeries, area: AreaForImprovement, by: User
) -> IndicatorLink:
    if area.inspection.partnership_id != series.partnership_id:
        raise IndicatorError(AREA_OF_OTHER_PARTNERSHIP)
    if not area.inspection.is_published:
        raise IndicatorError(AREA_NOT_PUBLISHED)
    label = f"Area for improvement {area}"
    if series.links.filter(area_for_improvement=area).exists():
        raise IndicatorError(ALREADY_LINKED.format(label=label))
    return IndicatorLink.objects.create(
        series=series, area_for_improvement=area, label=label[:300], added_by=by
    )


@transaction.atomic
def indicator_link_delete(*, link: IndicatorLink) -> None:
    link.delete()
