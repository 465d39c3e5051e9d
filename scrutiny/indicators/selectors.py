"""Reads for indicator pages: current values (the latest vintage of each period), SPC results,
comparisons with Scotland and a comparator group, signals, and the published (gated) values.

Everything a dashboard needs comes from a fixed handful of queries, however many indicators."""

from __future__ import annotations

import hashlib
import statistics
import threading
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Q, QuerySet
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from scrutiny.analysis.spc import (
    Improvement,
    SpcInputError,
    SpcOptions,
    SpcResult,
    Variation,
    p_chart,
    run_chart,
    u_chart,
    xmr_chart,
)
from scrutiny.charts.lines_svg import Line, comparison_chart_svg
from scrutiny.charts.spc_svg import POINT_WORDS, VARIATION_ICONS, ChartEvent, spc_chart_svg
from scrutiny.indicators import disclosure
from scrutiny.indicators.models import (
    ChartType,
    GatePattern,
    Indicator,
    IndicatorLink,
    IndicatorSeries,
    Observation,
    Publication,
    Rebase,
    Unit,
)
from scrutiny.places.models import SCOTLAND_CODE, Area, ComparatorGroup, Partnership
from scrutiny.publishing import gate

NO_FIGURES = "No figures yet."
# Fewer points than this make no chart: limits from a handful of points say nothing about
# change (Making Data Count asks for at least 12 to 20, and marks limits from fewer as trial).
MIN_CHART_POINTS = 5
TOO_FEW = (
    "Too few figures for a chart: {count} {periods} with a figure, and a chart needs at least "
    "{minimum} to say anything about change. The figures are in the table."
)
FELL_BACK = (
    "Drawn as an XmR chart: a {chart} needs a numerator and a denominator for every period, "
    "and these figures have only the value."
)
OMITTED = "{count} suppressed {periods} not charted."
REBASE_IGNORED = "The limits were to be recalculated from {period}, which has no figure now."
LIMITS_NOT_USED = "Drawn with limits from all the points: the chosen limits do not fit ({problem})"
REBASE_UNKNOWN = "{period} is not one of the periods charted."
REBASE_FIRST = "{period} is the first period charted: the limits already start there."


@dataclass(frozen=True)
class Revision:
    vintage: date
    title: str
    value: float | None
    suppressed: bool


@dataclass
class Point:
    """The current value of one period, and the earlier vintages it revised."""

    period: str
    period_start: date
    value: float | None
    numerator: float | None
    denominator: float | None
    suppressed: bool
    vintage: date
    publication: str
    earlier: list[Revision] = field(default_factory=list)
    rule: str = ""  # why a published value is suppressed

    @property
    def revisions(self) -> list[Revision]:
        """Earlier vintages that gave another value (the others only repeated it)."""
        return [r for r in self.earlier if (r.value, r.suppressed) != (self.value, self.suppressed)]


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == Unit.COUNT:
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    if unit in (Unit.PERCENT, Unit.RATE_PER_1000):
        return f"{value:,.1f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class TableRow:
    period: str
    value: str
    point_type: str
    centre: str
    limits: str
    scotland: str
    comparator: str
    note: str


@dataclass
class ChartView:
    """One indicator as one partnership's chart: values, SPC result, comparisons."""

    indicator: Indicator
    partnership: Partnership
    series: IndicatorSeries | None
    points: list[Point]
    scotland: dict[str, float | None]
    comparator: dict[str, float | None]
    comparator_name: str
    # How many of the group's councils each period's median rests on, and the group's size.
    comparator_counts: dict[str, int] = field(default_factory=dict)
    comparator_size: int = 0
    # Days to mark on the chart (the partnership's inspection reports published), with words.
    events: list[tuple[date, str]] = field(default_factory=list)
    # The disclosure rules applied to Scotland's values (the comparator's are behind a median).
    scotland_rules: set[str] = field(default_factory=set)
    result: SpcResult | None = None
    problem: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.indicator.title}, {self.partnership.area.name}"

    @property
    def y_label(self) -> str:
        return Unit(self.indicator.unit).label

    @cached_property
    def svg(self) -> str:
        if self.result is None:
            return ""
        return spc_chart_svg(
            self.result,
            title=self.title,
            y_label=self.y_label,
            id_prefix=f"spc-{self.indicator.key}",
            events=self.chart_events,
        )

    @property
    def chart_events(self) -> list[ChartEvent]:
        """Each event, before the first charted period that starts after it."""
        if self.result is None:
            return []
        starts = {p.period: p.period_start for p in self.points}
        charted = [starts[point.period] for point in self.result.points]
        marked = []
        for day, label in self.events:
            index = next((i for i, start in enumerate(charted) if start > day), None)
            if index:  # not before the first point, nor after the last
                marked.append(ChartEvent(index, label))
        return marked

    @property
    def variation_words(self) -> str:
        if self.result is None:
            return ""
        return VARIATION_ICONS[self.result.variation][2]

    @property
    def assurance_words(self) -> str:
        if self.result is None or self.result.assurance is None:
            return ""
        from scrutiny.charts.spc_svg import ASSURANCE_ICONS

        return ASSURANCE_ICONS[self.result.assurance][2]

    @property
    def signal_kind(self) -> str:
        """improvement, concern, neutral or "" (common cause / no chart)."""
        if self.result is None or self.result.variation == Variation.COMMON_CAUSE:
            return ""
        return str(self.result.variation.value).rsplit("_", 1)[0]

    @property
    def latest(self) -> Point | None:
        return self.points[-1] if self.points else None

    def formatted(self, value: float | None) -> str:
        return _format(value, self.indicator.unit)

    def published_text(self, point: Point | None) -> str:
        """A point's value for a table: "—" when there is none, "*" when suppressed."""
        if point is None:
            return "—"
        if point.suppressed:
            return disclosure.SUPPRESSED_TEXT
        return self.formatted(point.value)

    @property
    def latest_text(self) -> str:
        return self.published_text(self.latest)

    @property
    def latest_scotland(self) -> str:
        point = self.latest
        return "—" if point is None else self.formatted(self.scotland.get(point.period))

    @property
    def latest_comparator(self) -> str:
        point = self.latest
        return "—" if point is None else self.formatted(self.comparator.get(point.period))

    def comparator_cell(self, period: str) -> str:
        """The group's median for the table, saying how many councils it rests on when some
        have no value."""
        value = self.formatted(self.comparator.get(period))
        found = self.comparator_counts.get(period, 0)
        if period in self.comparator and found < self.comparator_size:
            return f"{value} ({found} of {self.comparator_size} councils)"
        return value

    @property
    def table(self) -> list[TableRow]:
        by_period = {p.period: p for p in self.result.points} if self.result else {}
        rows = []
        for point in self.points:
            spc = by_period.get(point.period)
            if point.suppressed:
                note = disclosure.rule_words(point.rule) or "suppressed by the publisher"
            elif point.revisions:
                note = "revised: " + "; ".join(
                    f"{self.formatted(r.value) if not r.suppressed else '*'} "
                    + (
                        f"({_entered(self.indicator, r.title, r.vintage)})"
                        if self.indicator.is_local
                        else f"in {r.title} ({r.vintage:%d %b %Y})"
                    )
                    for r in point.revisions
                )
            else:
                note = ""
            limits = ""
            if spc is not None and spc.lower is not None and spc.upper is not None:
                limits = f"{self.formatted(spc.lower)} to {self.formatted(spc.upper)}"
            rows.append(
                TableRow(
                    period=point.period,
                    value="*" if point.suppressed else self.formatted(point.value),
                    point_type=POINT_WORDS[spc.point_type] if spc else "not charted",
                    centre=self.formatted(spc.centre) if spc else "",
                    limits=limits,
                    scotland=self.formatted(self.scotland.get(point.period)),
                    comparator=self.comparator_cell(point.period),
                    note=note,
                )
            )
        return rows

    @cached_property
    def table_html(self) -> str:
        """The figures table (built here rather than in a template loop: a dashboard has forty
        of them, and this keeps it well inside its time budget)."""
        area = self.partnership.area.name
        average = "Median" if self.result and self.result.chart == "run" else "Average"
        headings = [
            (self.indicator.period_unit.capitalize(), ""),
            (area, "scrutiny-numeric"),
            ("Point", ""),
            (average, "scrutiny-numeric"),
            ("Process limits", ""),
            ("Scotland", "scrutiny-numeric"),
        ]
        if self.comparator_name:
            headings.append((f"{self.comparator_name} (median)", "scrutiny-numeric"))
        headings.append(("Note", ""))
        head = format_html_join(
            "", '<th scope="col" class="{}">{}</th>', ((c, h) for h, c in headings)
        )
        rows = []
        for row in self.table:
            cells = [
                (row.value, "scrutiny-numeric"),
                (row.point_type, ""),
                (row.centre, "scrutiny-numeric"),
                (row.limits, ""),
                (row.scotland, "scrutiny-numeric"),
            ]
            if self.comparator_name:
                cells.append((row.comparator, "scrutiny-numeric"))
            cells.append((row.note, ""))
            rows.append(
                format_html(
                    '<tr><th scope="row">{}</th>{}</tr>',
                    row.period,
                    format_html_join("", '<td class="{}">{}</td>', ((c, v) for v, c in cells)),
                )
            )
        return format_html(
            '<div class="scrutiny-table-wrap" tabindex="0" role="region" '
            'aria-label="Figures: {}"><table class="ds_table"><caption>Figures for {}, {}'
            "</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>",
            self.indicator.title,
            self.indicator.title,
            area,
            head,
            mark_safe("".join(rows)),  # each row was built by format_html
        )

    @property
    def comparable(self) -> bool:
        return self.indicator.unit != Unit.COUNT

    def comparison_svg(self) -> str:
        periods = [p.period for p in self.points]
        if not self.comparable or not periods:
            return ""
        lines = [
            Line(self.partnership.area.name, [p.value for p in self.points]),
            Line("Scotland", [self.scotland.get(period) for period in periods]),
        ]
        if self.comparator_name:
            lines.append(
                Line(
                    f"{self.comparator_name} (median)",
                    [self.comparator.get(period) for period in periods],
                )
            )
        description = (
            f"{self.indicator.title}: {self.partnership.area.name} compared with Scotland"
            + (f" and the median of {self.comparator_name}" if self.comparator_name else "")
            + ". The table below gives the same figures."
        )
        return comparison_chart_svg(
            periods=periods,
            lines=lines,
            title=f"{self.indicator.title}: comparison",
            y_label=self.y_label,
            description=description,
        )


@dataclass(frozen=True)
class Limits:
    """A partnership's choices for its chart: the target, the periods from which the centre line
    and limits are recalculated, and a fixed baseline (limits from each group's first N points)."""

    target: float | None = None
    rebase: tuple[str, ...] = ()
    baseline_points: int | None = None


def _draw(indicator: Indicator, usable: Sequence[Point], options: SpcOptions) -> SpcResult:
    periods = [p.period for p in usable]
    kind = ChartType(indicator.chart)
    if kind in (ChartType.P, ChartType.U) and _has_fractions(usable):
        chart = p_chart if kind == ChartType.P else u_chart
        return chart(
            periods=periods,
            numerators=[p.numerator or 0.0 for p in usable],
            denominators=[p.denominator or 0.0 for p in usable],
            options=options,
            multiplier=indicator.multiplier,
        )
    values = [p.value or 0.0 for p in usable]
    if kind == ChartType.RUN:
        return run_chart(periods=periods, values=values, options=options)
    return xmr_chart(periods=periods, values=values, options=options)


def _has_fractions(usable: Sequence[Point]) -> bool:
    return bool(usable) and all(p.numerator is not None and p.denominator for p in usable)


def _usable(points: Sequence[Point]) -> list[Point]:
    return [p for p in points if not p.suppressed and p.value is not None]


def _options(indicator: Indicator, limits: Limits, rebase: tuple[str, ...]) -> SpcOptions:
    return SpcOptions(
        improvement=Improvement(indicator.improvement),
        target=limits.target,
        unit=indicator.period_unit,
        rebase=rebase,
        fix_after=limits.baseline_points,
    )


def _spc(
    indicator: Indicator, points: Sequence[Point], limits: Limits | None = None
) -> tuple[SpcResult | None, str, list[str]]:
    limits = limits or Limits()
    usable = _usable(points)
    notes: list[str] = []
    if len(usable) < len(points):
        count = len(points) - len(usable)
        notes.append(OMITTED.format(count=count, periods="period" if count == 1 else "periods"))
    if not points:
        return None, NO_FIGURES, notes
    if len(usable) < MIN_CHART_POINTS:
        periods = indicator.period_unit if len(usable) == 1 else f"{indicator.period_unit}s"
        problem = TOO_FEW.format(count=len(usable), periods=periods, minimum=MIN_CHART_POINTS)
        return None, problem, notes
    kind = ChartType(indicator.chart)
    if kind in (ChartType.P, ChartType.U) and not _has_fractions(usable):
        notes.append(FELL_BACK.format(chart=kind.label))
    present = {p.period for p in usable}
    rebase = tuple(period for period in limits.rebase if period in present)
    notes.extend(REBASE_IGNORED.format(period=p) for p in limits.rebase if p not in present)
    try:
        return _draw(indicator, usable, _options(indicator, limits, rebase)), "", notes
    except SpcInputError as exc:
        if not (rebase or limits.baseline_points):
            return None, f"No chart: {exc}", notes
        notes.append(LIMITS_NOT_USED.format(problem=exc))
    try:
        plain = _options(indicator, Limits(target=limits.target), ())
        return _draw(indicator, usable, plain), "", notes
    except SpcInputError as exc:
        return None, f"No chart: {exc}", notes


def _series_points(series: IndicatorSeries) -> list[Point]:
    area = series.partnership.area_id
    return _observations([series.indicator_id], [area]).get((series.indicator_id, area), [])


def charted_periods(*, series: IndicatorSeries) -> list[str]:
    """The periods of the partnership's chart with a figure, in order."""
    return [p.period for p in _usable(_series_points(series))]


def limits_problem(*, series: IndicatorSeries, limits: Limits) -> str | None:
    """Why the partnership's chart cannot be drawn with ``limits`` (None when it can): a period
    to rebase at that is not a charted period or is the first, or a group or baseline too short
    for the chart."""
    usable = _usable(_series_points(series))
    if not usable:
        return NO_FIGURES
    periods = [p.period for p in usable]
    for period in limits.rebase:
        if period not in periods:
            return REBASE_UNKNOWN.format(period=period)
        if period == periods[0]:
            return REBASE_FIRST.format(period=period)
    try:
        _draw(series.indicator, usable, _options(series.indicator, limits, limits.rebase))
    except SpcInputError as exc:
        return str(exc)
    return None


def _current(
    rows: Iterable[tuple[Any, ...]],
) -> dict[tuple[int, int], list[Point]]:
    """Rows ordered by indicator, area, period start, period, vintage, publication: the last
    of each period is current; the earlier ones are its history."""
    found: dict[tuple[int, int], list[Point]] = defaultdict(list)
    for (
        indicator_id,
        area_id,
        period,
        period_start,
        value,
        numerator,
        denominator,
        suppressed,
        vintage,
        title,
    ) in rows:
        points = found[(indicator_id, area_id)]
        point = Point(
            period=period,
            period_start=period_start,
            value=value,
            numerator=numerator,
            denominator=denominator,
            suppressed=suppressed,
            vintage=vintage,
            publication=title,
        )
        if points and points[-1].period == period:
            previous = points.pop()
            point.earlier = [
                *previous.earlier,
                Revision(
                    previous.vintage, previous.publication, previous.value, previous.suppressed
                ),
            ]
        points.append(point)
    return found


def _observations(
    indicator_ids: Iterable[int], area_ids: Iterable[int]
) -> dict[tuple[int, int], list[Point]]:
    rows = (
        Observation.objects.filter(indicator_id__in=list(indicator_ids), area_id__in=list(area_ids))
        .order_by(
            "indicator_id",
            "area_id",
            "period_start",
            "period",
            "publication__vintage",
            "publication_id",
        )
        .values_list(
            "indicator_id",
            "area_id",
            "period",
            "period_start",
            "value",
            "numerator",
            "denominator",
            "suppressed",
            "publication__vintage",
            "publication__title",
        )
    )
    return _current(rows)


def _by_period(points: Iterable[Point]) -> dict[str, float | None]:
    return {p.period: None if p.suppressed else p.value for p in points}


def _median(
    points_by_area: Sequence[list[Point]],
) -> tuple[dict[str, float | None], dict[str, int]]:
    """The group's median per period, and how many councils it rests on. A period where fewer
    than half the group's councils have a value (suppressed or missing) has no median: it would
    speak for councils it does not include."""
    values: dict[str, list[float]] = defaultdict(list)
    for points in points_by_area:
        for point in points:
            if not point.suppressed and point.value is not None:
                values[point.period].append(point.value)
    size = len(points_by_area)
    kept = {period: found for period, found in values.items() if 2 * len(found) >= size}
    return (
        {period: statistics.median(found) for period, found in kept.items()},
        {period: len(found) for period, found in kept.items()},
    )


def _gating_set(indicators: Sequence[Indicator]) -> list[Indicator]:
    """``indicators`` with the other parts of each breakdown they belong to and the counts their
    rates are built on: the gate protects these together, so a value is published the same
    whether one chart or the whole table is asked for (else one chart's download could show a
    part that the whole table suppresses to protect another)."""
    chosen = {indicator.pk: indicator for indicator in indicators}
    while True:
        parts = {i.part_of for i in chosen.values() if i.part_of}
        bases = {i.rate_of for i in chosen.values() if i.rate_of}
        if not parts and not bases:
            return list(chosen.values())
        extra = list(
            Indicator.objects.filter(partnership__isnull=True)
            .filter(Q(part_of__in=parts) | Q(key__in=bases))
            .exclude(pk__in=list(chosen))
        )
        if not extra:
            return list(chosen.values())
        chosen.update((indicator.pk, indicator) for indicator in extra)


_LINKED: dict[str, disclosure.LinkedPattern] = {}


def _national_counts() -> QuerySet[Indicator]:
    return Indicator.objects.filter(partnership__isnull=True, unit=Unit.COUNT)


def _family_fingerprints() -> list[tuple[str, list[Indicator]]]:
    """Each group of national counts that sums tie together (``disclosure.families``), with
    what its suppression pattern depends on: its figures (imports add observations and
    publications; figures are never changed in place), its breakdowns, the areas, the threshold
    and the version of the rules (``disclosure.PATTERN_VERSION``)."""
    national = list(_national_counts())
    figures = {
        row["indicator"]: (row["rows"], row["last"], row["publication"])
        for row in Observation.objects.filter(indicator__in=national)
        .values("indicator")
        .annotate(rows=Count("pk"), last=Max("pk"), publication=Max("publication_id"))
    }
    threshold = gate.threshold()
    areas = tuple(Area.objects.order_by("pk").values_list("pk", "kind", "code"))
    found = []
    for family in disclosure.families(national):
        facts = (
            disclosure.PATTERN_VERSION,
            threshold,
            areas,
            tuple((i.pk, i.key, i.part_of, figures.get(i.pk)) for i in family),
        )
        found.append((hashlib.sha256(repr(facts).encode()).hexdigest(), family))
    return found


def linked_fingerprint() -> str:
    """What the suppression pattern of all the national counts depends on."""
    return hashlib.sha256(
        " ".join(fingerprint for fingerprint, _ in _family_fingerprints()).encode()
    ).hexdigest()


# The patterns of groups of national counts worked out by this process, by fingerprint.
_FAMILIES: dict[str, dict[tuple[int, int, str], str]] = {}


def linked_pattern_compute() -> disclosure.LinkedPattern:
    """Work out the suppression pattern of every national count, all areas and periods
    together (``disclosure.linked_pattern``, a group of counts tied by sums at a time; about
    two seconds for the demonstration's figures). Groups whose figures have not changed
    since this process last worked them out are not worked out again."""
    families = _family_fingerprints()
    found = {fingerprint: _FAMILIES.get(fingerprint) for fingerprint, _ in families}
    missing = [(key, family) for key, family in families if found[key] is None]
    if missing:
        areas = list(Area.objects.values_list("pk", "kind", "code"))
        wanted = [i for _, family in missing for i in family]
        observations = _observations([i.pk for i in wanted], [pk for pk, _, _ in areas])
        cells = {
            (indicator_id, area_id, point.period): disclosure.Cell(
                point.value, point.numerator, point.denominator, point.suppressed
            )
            for (indicator_id, area_id), points in observations.items()
            for point in points
        }
        for fingerprint, family in missing:
            ids = {i.pk for i in family}
            rules = dict(
                disclosure.linked_pattern(
                    indicators=family,
                    cells={key: cell for key, cell in cells.items() if key[0] in ids},
                    scotland=next(pk for pk, _, code in areas if code == SCOTLAND_CODE),
                    councils=[pk for pk, kind, _ in areas if kind == Area.Kind.COUNCIL],
                    threshold=gate.threshold(),
                ).rules
            )
            found[fingerprint] = rules
            _FAMILIES[fingerprint] = rules
    for fingerprint in list(_FAMILIES):
        if fingerprint not in found:
            _FAMILIES.pop(fingerprint, None)
    merged: dict[tuple[int, int, str], str] = {}
    for family_rules in found.values():
        merged.update(family_rules or {})
    return disclosure.LinkedPattern(rules=merged)


_LOCK = threading.Lock()  # one thread works the pattern out; the others wait for it


def _linked_pattern() -> disclosure.LinkedPattern:
    """The current suppression pattern of the national counts: as kept by this process, else
    as stored after the last import (``services.gate_pattern_refresh``), else worked out now."""
    fingerprint = linked_fingerprint()
    found = _LINKED.get(fingerprint)
    if found is not None:
        return found
    with _LOCK:
        found = _LINKED.get(fingerprint)
        if found is not None:
            return found
        stored = (
            GatePattern.objects.filter(fingerprint=fingerprint)
            .values_list("rules", flat=True)
            .first()
        )
        if stored is not None:
            found = disclosure.LinkedPattern(
                rules={(int(i), int(a), str(p)): str(rule) for i, a, p, rule in stored}
            )
        else:
            found = linked_pattern_compute()
        _LINKED.clear()  # only the current figures matter
        _LINKED[fingerprint] = found
    return found


def _published(
    indicators: Sequence[Indicator],
    observations: dict[tuple[int, int], list[Point]],
    area_ids: Iterable[int],
) -> tuple[dict[tuple[int, int], list[Point]], set[str]]:
    """The points of the areas ``area_ids`` as they may be published: copies, each value the
    gate suppresses ``None`` with its rule, without the counts and revisions behind it; and the
    rules the gate applied. ``indicators`` must be a ``_gating_set`` covering
    ``observations``."""
    areas = set(area_ids)
    cells = {
        (indicator_id, area_id, point.period): disclosure.Cell(
            point.value, point.numerator, point.denominator, point.suppressed
        )
        for (indicator_id, area_id), points in observations.items()
        if area_id in areas
        for point in points
    }
    gated, rules = disclosure.protect_cells(
        indicators=indicators, cells=cells, linked=_linked_pattern()
    )
    published: dict[tuple[int, int], list[Point]] = {}
    for (indicator_id, area_id), points in observations.items():
        if area_id not in areas:
            continue
        kept = []
        for point in points:
            result = gated[(indicator_id, area_id, point.period)]
            kept.append(
                replace(
                    point,
                    value=result.value,
                    suppressed=result.value is None,
                    rule=result.rule,
                    numerator=None,
                    denominator=None,
                    earlier=[],
                )
            )
        published[(indicator_id, area_id)] = kept
    return published, rules


def comparator_groups(*, partnership: Partnership) -> QuerySet[ComparatorGroup]:
    return ComparatorGroup.objects.filter(partnership=partnership).prefetch_related("areas")


def comparator_choose(*, partnership: Partnership, group_id: str | None) -> ComparatorGroup | None:
    groups = list(comparator_groups(partnership=partnership))
    if group_id:
        for group in groups:
            if str(group.pk) == group_id:
                return group
    return groups[0] if groups else None


def dashboard_indicators(*, partnership: Partnership) -> list[Indicator]:
    return list(
        Indicator.objects.filter(is_active=True)
        .filter(Q(partnership__isnull=True) | Q(partnership=partnership))
        .order_by(F("partnership_id").asc(nulls_first=True), "order", "title")
    )


@dataclass
class Dashboard:
    partnership: Partnership
    charts: list[ChartView]
    comparator: ComparatorGroup | None
    groups: list[ComparatorGroup]

    @property
    def themes(self) -> list[tuple[str, list[ChartView]]]:
        grouped: dict[str, list[ChartView]] = {}
        for chart in self.charts:
            grouped.setdefault(chart.indicator.theme or "Other", []).append(chart)
        return list(grouped.items())

    @property
    def with_figures(self) -> list[ChartView]:
        return [chart for chart in self.charts if chart.points]

    @property
    def without_figures(self) -> list[ChartView]:
        return [chart for chart in self.charts if not chart.points]


def _charts(
    *,
    partnership: Partnership,
    indicators: Sequence[Indicator],
    comparator: ComparatorGroup | None,
    public: bool = False,
) -> list[ChartView]:
    """The charts of ``indicators`` for the partnership. Scotland's values and the comparator
    councils' (behind the group's median) are always their published values, through the
    disclosure gate; the partnership's own values are too when ``public``, else they are shown
    to the partnership as they are (with their counts and revisions)."""
    scotland = Area.objects.get(code=SCOTLAND_CODE)
    comparator_areas = [a.pk for a in comparator.areas.all()] if comparator else []
    area_ids = {partnership.area_id, scotland.pk, *comparator_areas}
    gating = _gating_set(indicators)
    observations = _observations([i.pk for i in gating], area_ids)
    published, _ = _published(
        gating, observations, area_ids if public else area_ids - {partnership.area_id}
    )
    if not public:
        published.update(
            (key, points) for key, points in observations.items() if key[1] == partnership.area_id
        )
    series = {
        s.indicator_id: s
        for s in IndicatorSeries.objects.filter(
            partnership=partnership, indicator_id__in=[i.pk for i in indicators]
        ).prefetch_related("rebases")
    }
    events = _inspection_events(partnership)
    charts = []
    for indicator in indicators:
        points = published.get((indicator.pk, partnership.area_id), [])
        own = series.get(indicator.pk)
        median, counts = _median(
            [published.get((indicator.pk, area), []) for area in comparator_areas]
        )
        if own is not None:
            own.partnership = partnership
            own.indicator = indicator
        view = ChartView(
            indicator=indicator,
            partnership=partnership,
            series=own,
            points=points,
            scotland=_by_period(published.get((indicator.pk, scotland.pk), [])),
            scotland_rules={
                p.rule for p in published.get((indicator.pk, scotland.pk), []) if p.rule
            },
            comparator=median,
            comparator_name=comparator.name if comparator else "",
            comparator_counts=counts,
            comparator_size=len(comparator_areas),
            events=events,
        )
        # The public charts are drawn from the published values, without the partnership's
        # own choices of target and limits.
        limits = Limits() if public else series_limits(own)
        view.result, view.problem, view.notes = _spc(indicator, points, limits)
        charts.append(view)
    return charts


def _inspection_events(partnership: Partnership) -> list[tuple[date, str]]:
    """The partnership's published inspection reports, to mark on its charts."""
    from scrutiny.inspections.models import Inspection, Status

    published = Inspection.objects.filter(
        partnership=partnership, status=Status.PUBLISHED, publication_date__isnull=False
    ).values_list("publication_date", flat=True)
    return [(day, f"Inspection report {day:%b %Y}") for day in published if day is not None]


def series_limits(series: IndicatorSeries | None) -> Limits:
    """The partnership's choices for the chart of ``series`` (none without one)."""
    if series is None:
        return Limits()
    return Limits(
        target=series.target,
        rebase=tuple(r.period for r in series.rebases.all()),
        baseline_points=series.baseline_points,
    )


def dashboard(*, partnership: Partnership, group_id: str | None = None) -> Dashboard:
    """Every active national indicator and the partnership's own local measures."""
    groups = list(comparator_groups(partnership=partnership))
    comparator = next((g for g in groups if str(g.pk) == group_id), groups[0] if groups else None)
    charts = _charts(
        partnership=partnership,
        indicators=dashboard_indicators(partnership=partnership),
        comparator=comparator,
    )
    return Dashboard(partnership=partnership, charts=charts, comparator=comparator, groups=groups)


@dataclass
class ChartPage:
    chart: ChartView
    comparator: ComparatorGroup | None
    groups: list[ComparatorGroup]
    comparator_rows: list[tuple[str, list[str]]]
    area_links: list[IndicatorLink]
    measured_by: list[Any]
    rebases: list[Rebase] = field(default_factory=list)

    @property
    def rebase_choices(self) -> list[str]:
        """The charted periods the limits could be recalculated from: not the first one, nor
        one already chosen."""
        chosen = {r.period for r in self.rebases}
        periods = [p.period for p in _usable(self.chart.points)]
        return [p for p in periods[1:] if p not in chosen]


def _other_links(series: IndicatorSeries) -> list[Any]:
    """Actions (in improvement) that name this chart as a measure of their success."""
    try:
        measure = apps.get_model("improvement", "ActionMeasure")
    except LookupError:
        return []
    content_type = ContentType.objects.get_for_model(IndicatorSeries)
    return list(
        measure.objects.filter(content_type=content_type, object_id=series.pk).select_related(
            "action__plan__inspection"
        )
    )


def chart_page(
    *, partnership: Partnership, indicator: Indicator, group_id: str | None = None
) -> ChartPage:
    groups = list(comparator_groups(partnership=partnership))
    comparator = next((g for g in groups if str(g.pk) == group_id), groups[0] if groups else None)
    (chart,) = _charts(partnership=partnership, indicators=[indicator], comparator=comparator)
    rows: list[tuple[str, list[str]]] = []
    if comparator is not None:
        # The partnership's own row as its chart shows it; the other councils' through the gate.
        others = sorted(
            (a for a in comparator.areas.all() if a.pk != partnership.area_id),
            key=lambda a: a.name,
        )
        gating = _gating_set([indicator])
        published, _ = _published(
            gating,
            _observations([i.pk for i in gating], [a.pk for a in others]),
            [a.pk for a in others],
        )
        rows.append((partnership.area.name, [chart.published_text(p) for p in chart.points]))
        for area in others:
            found = {p.period: p for p in published.get((indicator.pk, area.pk), [])}
            rows.append(
                (area.name, [chart.published_text(found.get(p.period)) for p in chart.points])
            )
    links: list[IndicatorLink] = []
    measured: list[Any] = []
    rebases: list[Rebase] = []
    if chart.series is not None:
        order = {p.period: i for i, p in enumerate(chart.points)}
        rebases = sorted(chart.series.rebases.all(), key=lambda r: order.get(r.period, -1))
        links = list(chart.series.links.select_related("area_for_improvement__inspection"))
        measured = _other_links(chart.series)
    return ChartPage(
        chart=chart,
        comparator=comparator,
        groups=groups,
        comparator_rows=rows,
        area_links=links,
        measured_by=measured,
        rebases=rebases,
    )


# --- signals ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorSignal:
    """The latest point of a partnership's chart shows special cause variation."""

    label: str
    detail: str
    url: str
    kind: str  # improvement, concern or neutral
    period: str
    on: date | None = None


def latest_signals(*, partnership: Partnership) -> list[IndicatorSignal]:
    """Charts of the partnership whose latest point is special cause variation, concerns first.

    Other apps (the link inspector's monitoring page) call this."""
    charts = _charts(
        partnership=partnership,
        indicators=dashboard_indicators(partnership=partnership),
        comparator=None,
    )
    found = []
    for chart in charts:
        if not chart.signal_kind or chart.result is None:
            continue
        last = chart.result.points[-1]
        found.append(
            IndicatorSignal(
                label=f"{chart.indicator.title}: {POINT_WORDS[last.point_type]}",
                detail=chart.result.summary.split(". ")[0].rstrip(".") + ".",
                url=chart.series.get_absolute_url() if chart.series else "",
                kind=chart.signal_kind,
                period=last.period,
                on=chart.points[-1].vintage if chart.points else None,
            )
        )
    order = {"concern": 0, "improvement": 1, "neutral": 2}
    return sorted(found, key=lambda s: (order.get(s.kind, 3), s.label))


# --- published values ------------------------------------------------------------------------


@dataclass
class PublicIndicators:
    partnership: Partnership
    charts: list[ChartView]
    statements: list[str]


def public_indicators(*, partnership: Partnership) -> PublicIndicators:
    """The national indicators for the partnership's council, through the disclosure gate:
    charts are drawn from the published values only. Scotland's values are published statistics
    of a whole country: counts are large, but they pass the same gate."""
    indicators = [i for i in dashboard_indicators(partnership=partnership) if not i.is_local]
    charts = [
        c
        for c in _charts(
            partnership=partnership, indicators=indicators, comparator=None, public=True
        )
        if c.points
    ]
    rules: set[str] = set()
    for chart in charts:
        rules |= {p.rule for p in chart.points if p.rule} | chart.scotland_rules
    return PublicIndicators(
        partnership=partnership, charts=charts, statements=disclosure.statements(rules)
    )


CSV_DECIMALS = 2


def _plain(value: float | None, unit: str = Unit.NUMBER) -> str:
    """A value for a CSV file: ``*`` when suppressed, whole numbers without a decimal point, a
    percentage or a rate to two decimal places (it needs no more), any other number to six
    significant figures (a small one keeps its digits)."""
    if value is None:
        return disclosure.SUPPRESSED_TEXT
    if float(value).is_integer():
        return str(int(value))
    if unit in (Unit.PERCENT, Unit.RATE_PER_1000):
        text = f"{value:.{CSV_DECIMALS}f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:.6g}"
    return "0" if text in ("-0", "0") else text


@dataclass(frozen=True)
class ExportRow:
    area_code: str
    area: str
    indicator: str
    title: str
    unit: str
    period: str
    value: str
    note: str
    source: str


def export_rows(
    *, partnership: Partnership, indicators: Sequence[Indicator], group: ComparatorGroup | None
) -> tuple[list[ExportRow], list[str]]:
    """Current values of the indicators for the partnership's area, Scotland and the
    comparator group's councils, each through the disclosure gate; and the rule statements."""
    scotland = Area.objects.get(code=SCOTLAND_CODE)
    areas = [partnership.area, scotland]
    if group is not None:
        areas.extend(a for a in group.areas.all() if a.pk != partnership.area_id)
    gating = _gating_set(indicators)
    area_ids = [a.pk for a in areas]
    published, applied = _published(
        gating, _observations([i.pk for i in gating], area_ids), area_ids
    )
    # The statements name the rules applied to the rows written (the gating set may hold other
    # indicators); "as entered" can only come from the local measures, which are all written.
    rules = applied & {disclosure.AS_ENTERED_RULE}
    rows = []
    for indicator in indicators:
        for area in areas:
            for point in published.get((indicator.pk, area.pk), []):
                if point.rule:
                    rules.add(point.rule)
                rows.append(
                    ExportRow(
                        area_code=area.code,
                        area=area.name,
                        indicator=indicator.key,
                        title=indicator.title,
                        unit=Unit(indicator.unit).label,
                        period=point.period,
                        value=_plain(point.value, indicator.unit),
                        note=disclosure.rule_words(point.rule),
                        source=indicator.source,
                    )
                )
    return rows, disclosure.statements(rules)


def publications(*, partnership: Partnership | None = None) -> QuerySet[Publication]:
    found = Publication.objects.select_related("created_by", "partnership")
    if partnership is None:
        return found.filter(partnership__isnull=True)
    return found.filter(partnership=partnership)


def partnership_areas_for_improvement(*, partnership: Partnership) -> QuerySet[Any]:
    from scrutiny.inspections.models import AreaForImprovement, Status

    return AreaForImprovement.objects.filter(
        inspection__partnership=partnership, inspection__status=Status.PUBLISHED
    ).select_related("inspection")


def partnership_actions(*, partnership: Partnership) -> list[Any]:
    """The partnership's actions in its action plans, when the improvement app is installed."""
    try:
        action = apps.get_model("improvement", "Action")
    except LookupError:
        return []
    return list(action.objects.filter(plan__partnership=partnership).order_by("plan", "number"))


@dataclass(frozen=True)
class LocalValueRow:
    """A local measure's value as its values page shows it: who entered it (or the file it came
    in) and when, and the earlier values it revised, said the same way."""

    point: Point
    entered: str
    earlier: list[tuple[float | None, str]]


def _entered(indicator: Indicator, title: str, day: date) -> str:
    """ "entered by Jamie Boyd, 3 Mar 2026" or "uploaded in values.csv, 3 Mar 2026": the
    publication's title ("<measure's name then>: entered by …" or ": <file>") without the
    name, which the page already gives and which may have changed since."""
    prefix = f"{indicator.title}: "
    if title.startswith(prefix):
        how = title.removeprefix(prefix)
    elif ": entered by " in title:
        how = "entered by " + title.rpartition(": entered by ")[2]
    else:
        how = title.rpartition(": ")[2]
    if not how.startswith("entered by "):
        how = f"uploaded in {how}"
    return f"{how}, {day.day} {day:%b %Y}"


def local_values(*, indicator: Indicator, partnership: Partnership) -> list[LocalValueRow]:
    """The current value of each period of a local measure, with the values it revised."""
    points = _observations([indicator.pk], [partnership.area_id])
    return [
        LocalValueRow(
            point=point,
            entered=_entered(indicator, point.publication, point.vintage),
            earlier=[
                (revision.value, _entered(indicator, revision.title, revision.vintage))
                for revision in point.earlier
            ],
        )
        for point in points.get((indicator.pk, partnership.area_id), [])
    ]
