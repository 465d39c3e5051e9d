from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class Scale(models.Model):
    """An evaluation scale, such as the six-point scale."""

    slug = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    source = models.TextField(blank=True)

    def __str__(self) -> str:
        return self.name


class ScaleLevel(models.Model):
    scale = models.ForeignKey(Scale, on_delete=models.CASCADE, related_name="levels")
    score = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=40)
    descriptor = models.CharField(max_length=200)

    class Meta:
        ordering = ["scale", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["scale", "score"], name="scale_level_unique_score")
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.grade}"


class Framework(models.Model):
    """A quality framework, e.g. *How well are we improving the lives of children…?* (2014)."""

    slug = models.SlugField(max_length=60, unique=True)
    title = models.CharField(max_length=250)
    year = models.CharField(max_length=20)
    source = models.TextField()
    verification = models.TextField(help_text="What in this framework's data is verified.")
    scale = models.ForeignKey(Scale, on_delete=models.PROTECT, related_name="frameworks")

    class Meta:
        ordering = ["year", "slug"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year_label})"

    @property
    def year_label(self) -> str:
        """The year for putting in brackets: "2018 (revised 2019)" reads "2018, revised 2019"."""
        return self.year.replace(" (", ", ").removesuffix(")") if " (" in self.year else self.year

    @property
    def current_version(self) -> FrameworkVersion:
        version = self.versions.order_by("-number").first()
        if version is None:
            raise FrameworkVersion.DoesNotExist(f"{self.slug} has no versions")
        return version


class FrameworkVersion(models.Model):
    """A frozen list of groups and QIs. Editing a framework makes a new version; an inspection
    keeps the version it started with."""

    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["framework", "number"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "number"], name="framework_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.framework.title} ({self.framework.year_label}), version {self.number}"


class Group(models.Model):
    """A heading QIs sit under: a report question (Model A), a domain, or a key question."""

    class Kind(models.TextChoices):
        REPORT_QUESTION = "report_question", "Report question"
        DOMAIN = "domain", "Domain"
        AREA = "area", "Area"
        KEY_QUESTION = "key_question", "Key question"

    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="groups")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    number = models.CharField(max_length=10, blank=True)
    title = models.CharField(max_length=300)
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()


class QualityIndicator(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="qis")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="qis")
    number = models.CharField(
        max_length=10, blank=True, help_text="Blank where no official number is published."
    )
    key = models.SlugField(
        max_length=80,
        help_text="Stays the same across versions, so grades can be compared over time.",
    )
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    evaluated_in = models.CharField(
        max_length=10,
        blank=True,
        help_text="Inspection models (letters, e.g. 'A') that grade this QI on the scale.",
    )
    verified = models.BooleanField(
        default=False, help_text="Number and title checked against a published source."
    )
    order = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["version", "order"]
        verbose_name = "quality indicator"
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="qi_key_unique")]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def clean(self) -> None:
        if self.group_id and self.version_id and self.group.version_id != self.version_id:
            raise ValidationError({"group": "The group must belong to the same framework version."})

    @property
    def label(self) -> str:
        return str(self)
