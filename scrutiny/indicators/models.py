"""Performance indicators: the catalogue, where figures came from, the figures, and the charts a
partnership follows.

- ``Indicator``: one measure, with its definition, unit, improvement direction and chart type.
  National indicators (``partnership`` blank) come from the data files in ``indicators/data``;
  a partnership defines its own local measures.
- ``Publication``: one batch of figures from one source and vintage (a statistics release, a
  child-level computation, a partnership's upload). A revision is a new publication: values are
  never overwritten, and the current value of a period is the one from the latest vintage.
- ``Observation``: one value of one indicator, for one area and period, from one publication;
  ``suppressed`` marks a cell published as ``*``, ``-`` or ``c`` (never stored as zero).
- ``IndicatorSeries``: an indicator as followed by one partnership (its chart page, its target,
  its fixed baseline, its links to areas for improvement and actions). Other apps link to it
  generically.
- ``Rebase``: a period from which a partnership's chart gets a new centre line and limits,
  recorded with the reason (a known change in the process).
- ``ChildLevelRun``: one upload of child-level files, computed in the background; the files are
  deleted once the aggregates are stored.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from scrutiny.inspections.models import AreaForImprovement
from scrutiny.places.models import Area, Partnership


class Unit(models.TextChoices):
    COUNT = "count", "Count"
    PERCENT = "percent", "Percentage"
    RATE_PER_1000 = "rate_per_1000", "Rate per 1,000 children aged 0 to 17"
    NUMBER = "number", "Number (other)"


class Direction(models.TextChoices):
    INCREASE = "increase", "An increase is an improvement"
    DECREASE = "decrease", "A decrease is an improvement"
    NEUTRAL = "neutral", "Neither direction is in itself better"


class Frequency(models.TextChoices):
    YEARLY = "yearly", "Yearly"
    QUARTERLY = "quarterly", "Quarterly"
    MONTHLY = "monthly", "Monthly"


class ChartType(models.TextChoices):
    XMR = "xmr", "XmR chart"
    RUN = "run", "Run chart"
    P = "p", "p-chart (proportions)"
    U = "u", "u-chart (rates)"


FREQUENCY_UNIT = {
    Frequency.YEARLY: "year",
    Frequency.QUARTERLY: "quarter",
    Frequency.MONTHLY: "month",
}


class Indicator(models.Model):
    """One measure in the catalogue (national) or a partnership's own local measure."""

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    theme = models.CharField(max_length=100, blank=True)
    definition = models.TextField()
    numerator = models.CharField(max_length=300, blank=True)
    denominator = models.CharField(max_length=300, blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    improvement = models.CharField(
        "improvement direction", max_length=10, choices=Direction.choices
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    source = models.CharField(max_length=300)
    chart = models.CharField("chart type", max_length=5, choices=ChartType.choices)
    # For disclosure control: the count this rate is built on, and the total a count is part of.
    rate_of = models.CharField(max_length=80, blank=True)
    part_of = models.CharField(max_length=80, blank=True)
    # How a statistics.gov.scot / data.gov.scot row is matched to this indicator: the
    # Measurement and each extra dimension column, e.g. {"Measurement": "Count", ...}.
    cube_match = models.JSONField(default=dict, blank=True)
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="local_indicators",
        help_text="Blank for the national catalogue; set for a partnership's local measure.",
    )
    order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField("shown on dashboards", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("indicators:definition", args=[self.key])

    def clean(self) -> None:
        """A p-chart is for percentages and a u-chart for rates, each from a numerator and a
        denominator; a count has no denominator."""
        errors: dict[str, str] = {}
        needs = {ChartType.P: Unit.PERCENT, ChartType.U: Unit.RATE_PER_1000}.get(
            ChartType(self.chart) if self.chart in ChartType.values else ChartType.XMR
        )
        if needs is not None:
            if self.unit != needs:
                errors["chart"] = (
                    f"A {ChartType(self.chart).label} needs the unit "
                    f"“{Unit(needs).label}”: choose that unit, or an XmR or run chart."
                )
            if not self.numerator.strip() or not self.denominator.strip():
                errors.setdefault(
                    "denominator",
                    f"A {ChartType(self.chart).label} needs a numerator and a denominator: "
                    "say what each counts.",
                )
        if self.unit == Unit.COUNT and self.denominator.strip():
            errors["denominator"] = "A count has no denominator: leave it blank."
        if errors:
            raise ValidationError(errors)

    @property
    def is_local(self) -> bool:
        return self.partnership_id is not None

    @property
    def period_unit(self) -> str:
        return FREQUENCY_UNIT[Frequency(self.frequency)]

    @property
    def multiplier(self) -> float:
        return {Unit.PERCENT: 100.0, Unit.RATE_PER_1000: 1000.0}.get(Unit(self.unit), 1.0)

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class Publication(models.Model):
    """One batch of figures from one source and vintage."""

    class Kind(models.TextChoices):
        CHILD_LEVEL = "child_level", "Computed from child-level data"
        STATISTICS_GOV_SCOT = "statistics_gov_scot", "statistics.gov.scot cube"
        DATA_GOV_SCOT = "data_gov_scot", "data.gov.scot table"
        LOCAL_ENTRY = "local_entry", "Entered by the partnership"
        LOCAL_UPLOAD = "local_upload", "Uploaded by the partnership"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=250)
    source = models.CharField(max_length=300, blank=True)
    vintage = models.DateField(
        default=date.today, help_text="When these figures were published or extracted."
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="indicator_publications",
    )
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-vintage", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.vintage:%d %b %Y})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class Observation(models.Model):
    """One value: never changed once stored (a revision is a new publication's value)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="observations"
    )
    period = models.CharField(max_length=10)  # 2023, 2023-Q1, 2023-04
    period_start = models.DateField()
    value = models.FloatField(null=True, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)

    class Meta:
        ordering = ["indicator", "area", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "indicator", "area", "period"], name="observation_once"
            ),
            models.CheckConstraint(
                condition=Q(suppressed=True, value__isnull=True) | Q(suppressed=False),
                name="observation_suppressed_has_no_value",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "area"], name="observation_series")]

    def __str__(self) -> str:
        shown = "suppressed" if self.suppressed else self.value
        return f"{self.indicator_id} {self.area_id} {self.period}: {shown}"


class IndicatorSeries(models.Model):
    """An indicator as one partnership follows it: the chart page other apps link to."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicator_series"
    )
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="series")
    target = models.FloatField(null=True, blank=True)
    # Each group's centre and limits from its first N points only (blank: from all of them).
    baseline_points = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["partnership", "indicator__order", "indicator__title"]
        verbose_name_plural = "indicator series"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "indicator"], name="series_once")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.title} — {self.partnership.area.name} (chart)"

    def get_absolute_url(self) -> str:
        return reverse("indicators:chart", args=[self.partnership.slug, self.indicator.key])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class Rebase(models.Model):
    """From ``period`` on, the chart has a new centre line and limits, because of ``reason``."""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="rebases")
    period = models.CharField(max_length=10)
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "period"]
        constraints = [
            models.UniqueConstraint(fields=["series", "period"], name="rebase_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.series}: new limits from {self.period}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.series.partnership_id}


class IndicatorLink(models.Model):
    """A link from a partnership's indicator chart to one of its areas for improvement. (A chart
    that measures an action's success is the action's own measure, in improvement.)"""

    series = models.ForeignKey(IndicatorSeries, on_delete=models.CASCADE, related_name="links")
    area_for_improvement = models.ForeignKey(
        AreaForImprovement, on_delete=models.CASCADE, related_name="indicator_links"
    )
    label = models.CharField(max_length=300)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["series", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "area_for_improvement"], name="indicator_link_area_once"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def partnership_id(self) -> int:
        return self.series.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.series.partnership_id}


class ChildLevelRun(models.Model):
    """One upload of the three child-level files, computed in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting for the background worker"
        RUNNING = "running", "Computing"
        DONE = "done", "Stored"
        FAILED = "failed", "Refused"

    title = models.CharField(max_length=250)
    vintage = models.DateField(default=date.today)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    message = models.TextField(blank=True)
    drop_invalid = models.BooleanField("leave out rows with problems", default=False)
    directory = models.CharField(max_length=300, blank=True)
    publication = models.OneToOneField(
        Publication, on_delete=models.SET_NULL, null=True, blank=True, related_name="run"
    )
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display().lower()})"

    def get_absolute_url(self) -> str:
        return reverse("indicators:child-level-run", args=[self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": None}


class GatePattern(models.Model):
    """The disclosure gate's suppression pattern of the national counts (see
    ``disclosure.linked_pattern``), kept so that pages do not work it out again.

    Derived data, written after each national import: ``fingerprint`` says which figures,
    breakdowns and threshold it was worked out from, and a pattern whose fingerprint no longer
    matches is not used. ``rules`` lists ``[indicator id, area id, period, rule]`` of each count
    suppressed."""

    fingerprint = models.CharField(max_length=64, unique=True)
    rules = models.JSONField(default=list)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Suppression pattern {self.fingerprint[:12]} ({len(self.rules)} counts)"
