from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from scrutiny.frameworks.models import FrameworkVersion, QualityIndicator
from scrutiny.places.models import Partnership


class Model(models.TextChoices):
    A = "A", "Model A: services for children and young people"
    B = "B", "Model B: children and young people in need of care and protection"
    C = "C", "Model C: children at risk of harm"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    NOTIFIED = "notified", "Notified"
    EVIDENCE = "evidence", "Evidence gathering"
    EVALUATING = "evaluating", "Evaluating"
    QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
    FACTUAL_ACCURACY = "factual_accuracy", "Factual accuracy"
    PUBLISHED = "published", "Published"


STATUS_ORDER = [s.value for s in Status]

# The key dates in the order the steps happen, with the words messages use for them.
KEY_DATES: tuple[tuple[str, str], ...] = (
    ("notification_date", "notification"),
    ("return_due_date", "pre-inspection return due"),
    ("records_review_date", "records review"),
    ("onsite_date", "on-site"),
    ("qa_panel_date", "quality and consistency panel"),
    ("draft_date", "draft to partnership"),
    ("publication_date", "publication"),
)

# The fields of an inspection that its draft report shows, besides its title and key dates
# (the details form edits them; the factual-accuracy page lists their changes).
REPORT_TEXT_FIELDS: tuple[str, ...] = (
    "context",
    "conclusion",
    "progress_review_planned",
    "progress_review_due",
    "next_steps",
    "records_read",
    "staff_survey_responses",
    "children_met",
    "parents_met",
    "young_people_working_well",
    "young_people_get_better",
)

# Dates Scrutiny records on the day the step happens (planned until then): the status from
# which each one is a fact.
RECORDED_DATES: dict[str, str] = {
    "draft_date": Status.FACTUAL_ACCURACY,
    "publication_date": Status.PUBLISHED,
}


class Inspection(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="inspections"
    )
    title = models.CharField(max_length=250)
    model = models.CharField(max_length=1, choices=Model.choices)
    framework_version = models.ForeignKey(
        FrameworkVersion, on_delete=models.PROTECT, related_name="inspections"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)

    notification_date = models.DateField(null=True, blank=True)
    return_due_date = models.DateField("pre-inspection return due", null=True, blank=True)
    records_review_date = models.DateField("records review", null=True, blank=True)
    onsite_date = models.DateField("on-site", null=True, blank=True)
    qa_panel_date = models.DateField("quality and consistency panel", null=True, blank=True)
    draft_date = models.DateField("draft to partnership", null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)

    context = models.TextField(
        "the partnership and context", blank=True, help_text="Report section 3."
    )
    conclusion = models.TextField(blank=True, help_text="Report section 7, before the lists.")
    progress_review_planned = models.BooleanField(default=False)
    progress_review_due = models.DateField(null=True, blank=True)
    next_steps = models.TextField(
        "what happens next", blank=True, help_text="Report section 8, after the standard text."
    )
    records_read = models.PositiveIntegerField(null=True, blank=True)
    staff_survey_responses = models.PositiveIntegerField(null=True, blank=True)
    children_met = models.PositiveIntegerField(null=True, blank=True)
    parents_met = models.PositiveIntegerField(null=True, blank=True)

    # The version of the report for children and young people (published with the report when
    # either is written): one point a line, in plain words.
    young_people_working_well = models.TextField(
        "for children and young people: what is working well",
        blank=True,
        help_text="One point a line, in plain words for readers aged 8 and over.",
    )
    young_people_get_better = models.TextField(
        "for children and young people: what needs to get better",
        blank=True,
        help_text="One point a line, in plain words for readers aged 8 and over.",
    )

    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-notification_date", "partnership__name"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        stored = (
            Inspection.objects.filter(pk=self.pk).values(*(name for name, _ in KEY_DATES)).first()
            if self.pk
            else None
        )
        changed = {
            name for name, _ in KEY_DATES if stored is None or stored[name] != getattr(self, name)
        }
        for name, status in RECORDED_DATES.items():
            recorded = stored[name] if stored is not None else None
            if name in changed and recorded is not None and self.status_reached(status):
                raise ValidationError(
                    {
                        name: f"This date was recorded when it happened "
                        f"({recorded:%-d %B %Y}): it cannot be changed."
                    }
                )
        # Only the dates being changed are checked against the others, so dates stored out of
        # order never block an unrelated change.
        dated = [(name, label, getattr(self, name)) for name, label in KEY_DATES]
        for index, (first_name, first_label, first) in enumerate(dated):
            for second_name, second_label, second in dated[index + 1 :]:
                if first is None or second is None or second >= first:
                    continue
                if second_name in changed or first_name in changed:
                    raise ValidationError(
                        {
                            (second_name if second_name in changed else first_name): (
                                f"The {second_label} date ({second:%-d %B %Y}) is before the "
                                f"{first_label} date ({first:%-d %B %Y}): key dates must be in "
                                "order."
                            )
                        }
                    )
        if self.progress_review_planned and self.progress_review_due is None:
            raise ValidationError(
                {"progress_review_due": "Give the date when a progress review is planned."}
            )

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    @property
    def has_young_peoples_version(self) -> bool:
        return bool(self.young_people_working_well.strip() or self.young_people_get_better.strip())

    def status_reached(self, status: str) -> bool:
        return STATUS_ORDER.index(self.status) >= STATUS_ORDER.index(status)

    def evaluated_qis(self) -> models.QuerySet[QualityIndicator]:
        return self.framework_version.qis.filter(evaluated_in__contains=self.model).order_by(
            "order"
        )

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id, "inspection_id": self.pk}


class TeamMember(models.Model):
    class Role(models.TextChoices):
        LEAD_INSPECTOR = "lead_inspector", "Lead inspector"
        INSPECTOR = "inspector", "Inspector"
        ASSOCIATE_ASSESSOR = "associate_assessor", "Associate assessor"
        YOUNG_INSPECTION_VOLUNTEER = "young_inspection_volunteer", "Young inspection volunteer"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="inspection_roles",
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=Role.choices)
    scrutiny_body = models.CharField(max_length=150, default="Care Inspectorate")

    class Meta:
        ordering = ["inspection", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "user"],
                condition=models.Q(user__isnull=False),
                name="team_member_once_per_inspection",
            ),
            models.UniqueConstraint(
                fields=["inspection"],
                condition=models.Q(role="lead_inspector"),
                name="one_lead_inspector_per_inspection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class StatusChange(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["inspection", "at"]

    def __str__(self) -> str:
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


def evidence_upload_to(instance: EvidenceFile, filename: str) -> str:
    today = timezone.now()
    return f"evidence/{instance.evidence_item.inspection_id}/{today:%Y%m}/{filename}"


class EvidenceItem(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document reviewed"
        DISCUSSION = "discussion", "Professional discussion"
        FOCUS_GROUP = "focus_group", "Focus group"
        STAFF_SURVEY = "staff_survey", "Staff survey results"
        SURVEY = "survey", "Survey results (children, young people or families)"
        RECORD_READING = "record_reading", "Record reading results"
        POSITION_STATEMENT = "position_statement", "Position statement"
        OTHER = "other", "Other"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    date = models.DateField()
    source = models.CharField(max_length=200)
    summary = models.TextField()
    qis = models.ManyToManyField(QualityIndicator, related_name="evidence_items")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inspection", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.source} ({self.date:%d %b %Y})"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class EvidenceFile(models.Model):
    evidence_item = models.ForeignKey(EvidenceItem, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=evidence_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["evidence_item", "original_name"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def inspection(self) -> Inspection:
        return self.evidence_item.inspection


class Evaluation(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="evaluations")
    qi = models.ForeignKey(QualityIndicator, on_delete=models.PROTECT, related_name="evaluations")
    grade = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    narrative = models.TextField(blank=True)
    evidence = models.ManyToManyField(EvidenceItem, blank=True, related_name="evaluations")
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "qi__order"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "qi"], name="one_evaluation_per_qi"),
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=6),
                name="evaluation_grade_1_to_6",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.qi}: {self.grade or 'no grade'}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class KeyStrength(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="key_strengths"
    )
    order = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        ordering = ["inspection", "order"]

    def __str__(self) -> str:
        return self.text[:80]

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class AreaForImprovement(models.Model):
    """What reports call an area for improvement and press releases a recommendation."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="areas_for_improvement"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=250)
    text = models.TextField()
    qis = models.ManyToManyField(QualityIndicator, related_name="areas_for_improvement")

    class Meta:
        ordering = ["inspection", "number"]
        verbose_name = "area for improvement"
        verbose_name_plural = "areas for improvement"
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="afi_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def partnership_id(self) -> int:
        return self.inspection.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class GoodPractice(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="good_practice"
    )
    title = models.CharField(max_length=250)
    text = models.TextField()

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name_plural = "good practice examples"

    def __str__(self) -> str:
        return self.title

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }


class QASignOff(models.Model):
    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned to the team"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="qa_signoffs")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["inspection", "at"]
        verbose_name = "QA sign-off"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.by}"


class FactualAccuracyComment(models.Model):
    class Response(models.TextChoices):
        PENDING = "pending", "Awaiting response"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="factual_accuracy_comments"
    )
    section = models.CharField(max_length=40)
    comment = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    response = models.CharField(max_length=10, choices=Response.choices, default=Response.PENDING)
    reason = models.TextField(blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["inspection", "at"]

    def __str__(self) -> str:
        return f"Comment on {self.section}: {self.comment[:60]}"

    def get_additional_data(self) -> dict[str, Any]:
        return {
            "partnership_id": self.inspection.partnership_id,
            "inspection_id": self.inspection_id,
        }
