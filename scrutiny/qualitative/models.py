"""Qualitative evidence: sources of text, a codebook, codings, double-coding checks, assisted
coding, and a quote bank.

The unit of text is the *segment*. A comments source (a survey's free-text answers, a bulk
import of comments) holds one segment per comment; any other source (focus-group notes, a
document) is split into one segment per paragraph. Every segment knows its character offsets
into its source's text, so a coding is always a span ``[start, end)`` of the source's text:

* coding a whole comment stores the comment's own span (and the segment it covers);
* coding a selection stores the selected span (and the segment it lies in, when it lies in one).

Both kinds are counted, searched and exchanged (REFI-QDA ``PlainTextSelection``) the same way.
Offsets count Unicode code points, as Python strings and the REFI-QDA standard do.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import AreaForImprovement, Inspection
from scrutiny.places.models import Partnership


class RespondentType(models.TextChoices):
    CHILD = "child", "Child or young person"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    STAFF = "staff", "Member of staff"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not recorded"


class Agency(models.TextChoices):
    HEALTH = "health", "Health"
    EDUCATION = "education", "Education"
    SOCIAL_WORK = "social_work", "Social work"
    POLICE = "police", "Police"
    THIRD_SECTOR = "third_sector", "Third sector"
    COUNCIL = "council", "Other council services"
    OTHER = "other", "Other"
    NONE = "", "Not recorded"


class Shanarri(models.TextChoices):
    """The eight wellbeing indicators of Getting it right for every child (GIRFEC)."""

    SAFE = "safe", "Safe"
    HEALTHY = "healthy", "Healthy"
    ACHIEVING = "achieving", "Achieving"
    NURTURED = "nurtured", "Nurtured"
    ACTIVE = "active", "Active"
    RESPECTED = "respected", "Respected"
    RESPONSIBLE = "responsible", "Responsible"
    INCLUDED = "included", "Included"


colour_validator = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", "Give the colour as # and six hexadecimal digits, e.g. #0065bd."
)


class Project(models.Model):
    """A body of qualitative evidence: a partnership's own, or an inspection's."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="qualitative_projects"
    )
    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="qualitative_projects",
        help_text="Set when the evidence was gathered by an inspection team.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    memo = models.TextField(blank=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership__name", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("qualitative:project", args=[self.pk])

    is_published = False

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class Source(models.Model):
    class Kind(models.TextChoices):
        COMMENTS = "comments", "Comments"
        SURVEY = "survey", "Survey free-text answers"
        FOCUS_GROUP = "focus_group", "Focus group notes"
        DISCUSSION = "discussion", "Professional discussion notes"
        CASE_STUDY = "case_study", "Case study"
        DOCUMENT = "document", "Document"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    text = models.TextField()
    respondent_type = models.CharField(
        "who", max_length=10, choices=RespondentType.choices, default=RespondentType.UNKNOWN
    )
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    collected_on = models.DateField("when", null=True, blank=True)
    origin = models.CharField(
        "where from", max_length=200, blank=True, help_text="E.g. 'Staff survey, March 2026'."
    )
    original_filename = models.CharField(max_length=255, blank=True)
    external_ref = models.CharField(max_length=100, blank=True)
    memo = models.TextField(blank=True)
    guid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("qualitative:source", args=[self.project_id, self.pk])

    @property
    def is_comments(self) -> bool:
        return self.kind in (self.Kind.COMMENTS, self.Kind.SURVEY)

    @property
    def unit_word(self) -> str:
        return "comment" if self.is_comments else "paragraph"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.project.partnership_id}


class Segment(models.Model):
    """A comment (in a comments source) or a paragraph (in any other source)."""

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    respondent_type = models.CharField(
        max_length=10, choices=RespondentType.choices, default=RespondentType.UNKNOWN
    )
    agency = models.CharField(max_length=20, choices=Agency.choices, blank=True)
    role = models.CharField(max_length=100, blank=True)
    date = models.DateField(null=True, blank=True)
    external_ref = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["source", "position"]
        constraints = [
            models.UniqueConstraint(fields=["source", "position"], name="segment_position_unique"),
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="segment_not_empty"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="qual_segment_date")]

    def __str__(self) -> str:
        return self.text[:80]


class Code(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="codes")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    colour = models.CharField(max_length=7, default="#0065bd", validators=[colour_validator])
    memo = models.TextField(blank=True)
    shanarri = models.JSONField(
        "SHANARRI wellbeing indicators", default=list, blank=True
    )  # list of Shanarri values
    qis = models.ManyToManyField(
        QualityIndicator, blank=True, related_name="qualitative_codes", verbose_name="QIs"
    )
    areas_for_improvement = models.ManyToManyField(
        AreaForImprovement, blank=True, related_name="qualitative_codes"
    )
    order = models.PositiveIntegerField(default=0)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["project", "order", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "project", name="qual_code_name_unique_in_project"
            ),
            models.UniqueConstraint(fields=["project", "guid"], name="qual_code_guid_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("qualitative:code-edit", args=[self.project_id, self.pk])

    def shanarri_labels(self) -> list[str]:
        labels = dict(Shanarri.choices)
        return [str(labels[value]) for value in self.shanarri if value in labels]

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.project.partnership_id}


class CodingCheck(models.Model):
    """A blind double-coding exercise on a sample: how far do coders agree?"""

    class Unit(models.TextChoices):
        COMMENT = "comment", "Whole comments"
        CHARACTER = "character", "Characters"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="checks")
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=Unit.choices, default=Unit.COMMENT)
    first_coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    segments = models.ManyToManyField(Segment, blank=True, related_name="+")
    sources = models.ManyToManyField(Source, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    reconciled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("qualitative:check", args=[self.project_id, self.pk])

    @property
    def partnership_id(self) -> int:
        return self.project.partnership_id

    @property
    def inspection(self) -> Inspection | None:
        return self.project.inspection

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.project.partnership_id}


class CheckCoder(models.Model):
    """A second (third, ...) coder in a check, who codes the sample blind."""

    check_run = models.ForeignKey(CodingCheck, on_delete=models.CASCADE, related_name="coders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["check_run", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["check_run", "user"], name="qual_check_coder_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Coding(models.Model):
    """A code applied to a span of a source's text by one coder.

    ``check_run`` is empty for the project's own coding; codings made inside a double-coding
    check (including the frozen copy of the first coder's work) belong to that check only.
    """

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="codings")
    segment = models.ForeignKey(
        Segment, on_delete=models.CASCADE, null=True, blank=True, related_name="codings"
    )
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="codings")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    coder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_coder = models.CharField(
        max_length=150, blank=True, help_text="The coder's name in the tool it was imported from."
    )
    check_run = models.ForeignKey(
        CodingCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="codings"
    )
    memo = models.TextField(blank=True)
    guid = models.UUIDField(default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["source", "start", "end", "code__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")), name="coding_not_empty"
            ),
            models.UniqueConstraint(
                fields=["source", "code", "start", "end"],
                condition=models.Q(check_run__isnull=True),
                name="qual_coding_once_per_span",
            ),
            models.UniqueConstraint(
                fields=["check_run", "coder", "source", "code", "start", "end"],
                condition=models.Q(check_run__isnull=False),
                name="qual_check_coding_once_per_span",
            ),
        ]
        indexes = [
            models.Index(fields=["code", "check_run"], name="qual_coding_code"),
            models.Index(fields=["segment", "check_run"], name="qual_coding_segment"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def is_whole_segment(self) -> bool:
        segment = self.segment
        return segment is not None and (self.start, self.end) == (segment.start, segment.end)

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.source.project.partnership_id}


class PendingImport(models.Model):
    """An uploaded table of comments waiting for its columns to be mapped."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    data = models.BinaryField()
    headers = models.JSONField(default=list)
    preview = models.JSONField(default=list)
    row_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.filename


class SuggestionRun(models.Model):
    """One training of the assisted-coding model, run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Finished"
        FAILED = "failed", "Failed"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="suggestion_runs")
    method = models.CharField(max_length=20, default="tfidf")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    message = models.TextField(blank=True)
    n_train = models.PositiveIntegerField(default=0)
    n_codes = models.PositiveIntegerField(default=0)
    n_suggested = models.PositiveIntegerField(default=0)
    model = models.BinaryField(null=True, blank=True, editable=False)
    task_id = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Suggestions {self.created_at:%d %b %Y %H:%M} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.project.partnership_id}


class CandidateTheme(models.Model):
    """A group of uncoded comments that seem to share a theme, for a person to name."""

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField()
    terms = models.JSONField(default=list)
    segments = models.ManyToManyField(Segment, related_name="+")
    named_code = models.ForeignKey(
        Code, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["run", "number"]

    def __str__(self) -> str:
        return ", ".join(self.terms[:4])


class Suggestion(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a decision"
        ACCEPTED = "accepted", "Accepted"
        REJECTED = "rejected", "Rejected"

    run = models.ForeignKey(SuggestionRun, on_delete=models.CASCADE, related_name="suggestions")
    segment = models.ForeignKey(Segment, on_delete=models.CASCADE, related_name="suggestions")
    code = models.ForeignKey(Code, on_delete=models.CASCADE, related_name="suggestions")
    confidence = models.FloatField(null=True, blank=True)
    rank = models.PositiveSmallIntegerField(default=1)
    theme = models.ForeignKey(
        CandidateTheme, on_delete=models.CASCADE, null=True, blank=True, related_name="suggestions"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "segment", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "segment", "code"], name="qual_suggestion_once_per_run"
            )
        ]
        indexes = [models.Index(fields=["run", "status"], name="qual_suggestion_status")]

    def __str__(self) -> str:
        return f"{self.code} for {self.segment}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.run.project.partnership_id}


class Quote(models.Model):
    """A coded extract chosen for reports. Only the redacted text, once a person has confirmed
    it, ever leaves the project."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Waiting for a person to check"
        CONFIRMED = "confirmed", "Confirmed for reports"

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="quotes")
    coding = models.ForeignKey(Coding, on_delete=models.CASCADE, related_name="quotes")
    original = models.TextField()
    redacted = models.TextField()
    attribution = models.CharField(max_length=100)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["project", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["coding"], name="qual_quote_once_per_coding")
        ]

    def __str__(self) -> str:
        return self.redacted[:80]

    def get_absolute_url(self) -> str:
        return reverse("qualitative:quote", args=[self.project_id, self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.project.partnership_id}
