"""After the report: the partnership's action plan, the link inspector's monitoring, and
progress reviews with their published (frozen) versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from scrutiny.analysis.rag import MilestoneDates, Rag, derive_rag, rag_with_override
from scrutiny.dates import long_date
from scrutiny.inspections.models import AreaForImprovement, Inspection, TeamMember
from scrutiny.places.models import Partnership

PLAN_DUE_AFTER = timedelta(weeks=6)

# A monitoring date (a contact, a monitoring note, a concern raised or resolved, support offered)
# and the date of an action's update or milestone is a day that has happened, no earlier than
# 1 January 2000: joint inspections of children's services began in 2005 and community planning
# partnerships in 2003, so an earlier date is a slip of the keyboard (0001, 1026), as is a date to
# come.
EARLIEST_DATE = date(2000, 1, 1)


def date_problem(day: date, what: str) -> str | None:
    """Why ``day`` cannot be the date of something that happened; None when it can be."""
    if day > timezone.localdate():
        return f"{what} ({long_date(day)}) is in the future: give a date on or before today."
    if day < EARLIEST_DATE:
        return (
            f"{what} ({long_date(day)}) is before {long_date(EARLIEST_DATE)}: give a date on or "
            f"after {long_date(EARLIEST_DATE)}, and on or before today."
        )
    return None


# A planned date (an action's start and due dates, a progress review's fieldwork, a concern's
# follow-up) falls in a window: before the work could begin, or years to come (9999), it is a slip
# of the keyboard, and reminders would count the days to it. Actions run for years (a plan's
# longest are three to five years), so ten; fieldwork and a follow-up come within months, so five.
ACTION_HORIZON_YEARS = 10
FIELDWORK_HORIZON_YEARS = 5
FOLLOW_UP_HORIZON_YEARS = 5

_YEARS_IN_WORDS = {5: "five", 10: "ten"}


def years_after(day: date, years: int) -> date:
    """The same day ``years`` later (28 February for a 29 February in a year without one)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class DateWindow:
    """The days a planned date may fall on, each end with what it is, for the message."""

    earliest: date
    earliest_is: str
    latest: date
    latest_is: str

    @classmethod
    def ahead(
        cls, earliest: date, earliest_is: str, *, years: int, start: date | None = None
    ) -> DateWindow:
        """From ``earliest`` to ``years`` after ``start`` (today when not given)."""
        origin = start or timezone.localdate()
        words = _YEARS_IN_WORDS.get(years, str(years))
        after = "today" if start is None else earliest_is
        return cls(earliest, earliest_is, years_after(origin, years), f"{words} years from {after}")

    def problem(self, day: date, what: str) -> str | None:
        """Why ``day`` cannot be ``what``; None when it falls in the window."""
        if self.earliest <= day <= self.latest:
            return None
        if day < self.earliest:
            where = f"before {self.earliest_is} ({long_date(self.earliest)})"
        else:
            where = f"later than {self.latest_is} ({long_date(self.latest)})"
        return (
            f"{what} ({long_date(day)}) is {where}: give a date from "
            f"{long_date(self.earliest)} to {long_date(self.latest)}."
        )


# --- action plans ------------------------------------------------------------------------------


class ActionPlan(models.Model):
    """The partnership's improvement (action) plan after a published inspection report."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted to the link inspector"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    inspection = models.OneToOneField(
        Inspection, on_delete=models.PROTECT, related_name="action_plan"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="action_plans"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_on = models.DateField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partnership__name", "-inspection__publication_date"]

    def __str__(self) -> str:
        return f"Action plan: {self.inspection}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:plan", args=[self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}

    @classmethod
    def not_started(cls, inspection: Inspection) -> ActionPlan:
        """The plan a published report is owed while nobody has started it: never saved, it
        answers when it is due (and how overdue) by the same rule as a started plan."""
        return cls(
            inspection=inspection,
            partnership_id=inspection.partnership_id,
            status=cls.Status.DRAFT,
        )

    @property
    def is_started(self) -> bool:
        return self.pk is not None

    @property
    def due_date(self) -> date | None:
        """Six weeks after the report's publication."""
        published = self.inspection.publication_date
        return published + PLAN_DUE_AFTER if published else None

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    def action_window(self) -> DateWindow:
        """Where an action's start and due dates may fall: from the day the inspection was
        notified (work the inspection prompted often starts before the report is published, and
        belongs in the plan) to ten years from today."""
        notified = self.inspection.notification_date
        if notified is not None and notified > EARLIEST_DATE:
            return DateWindow.ahead(
                notified, "the day the inspection was notified", years=ACTION_HORIZON_YEARS
            )
        return DateWindow.ahead(
            EARLIEST_DATE, "the earliest date Scrutiny accepts", years=ACTION_HORIZON_YEARS
        )

    def days_to_due(self, today: date | None = None) -> int | None:
        """Days left before the plan is due (negative once overdue); None once submitted."""
        if self.due_date is None or self.first_submitted_on is not None:
            return None
        return (self.due_date - (today or timezone.localdate())).days

    @property
    def days_left(self) -> int | None:
        return self.days_to_due()

    @property
    def days_overdue(self) -> int:
        days = self.days_to_due()
        return -days if days is not None and days < 0 else 0

    @property
    def is_overdue(self) -> bool:
        return self.days_overdue > 0

    @property
    def submitted_late_by(self) -> int:
        if self.due_date is None or self.first_submitted_on is None:
            return 0
        return max(0, (self.first_submitted_on - self.due_date).days)


class PlanEvent(models.Model):
    """Submission, return (with comments) and acceptance of a plan: its review history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned with comments"
        ACCEPTED = "accepted", "Accepted"

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["plan", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.by}"

    @property
    def partnership_id(self) -> int:
        return self.plan.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.plan.partnership_id}


class RagChoice(models.TextChoices):
    GREEN = Rag.GREEN.value, "Green: on track"
    AMBER = Rag.AMBER.value, "Amber: at risk"
    RED = Rag.RED.value, "Red: overdue"


class Action(models.Model):
    """A SMART action: what, who (person and lead agency), when, and how success is measured."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.PositiveSmallIntegerField()
    title = models.CharField("what will be done", max_length=250)
    description = models.TextField("detail", blank=True)
    areas = models.ManyToManyField(
        AreaForImprovement, related_name="actions", verbose_name="areas for improvement"
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_actions",
        verbose_name="owner (a Scrutiny user)",
    )
    owner_name = models.CharField("owner's name", max_length=150, blank=True)
    owner_email = models.EmailField("owner's email", blank=True)
    lead_agency = models.CharField(max_length=150)
    start_date = models.DateField()
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    stated_measure = models.TextField(
        "how success will be measured",
        blank=True,
        help_text="In words, where no indicator or qualitative theme is linked.",
    )
    rag_override = models.CharField(
        "status set by hand", max_length=10, choices=RagChoice.choices, blank=True
    )
    rag_override_reason = models.TextField(blank=True)
    rag_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rag_override_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    # Worked out once per action by ``selectors.plan_actions`` for pages listing many.
    status: Rag
    overridden: bool
    overdue: bool

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_number_unique"),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("start_date")),
                name="action_due_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.number}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("improvement:action", args=[self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.plan.partnership_id}

    def clean(self) -> None:
        if self.start_date and self.due_date and self.due_date < self.start_date:
            raise ValidationError(
                {
                    "due_date": f"The due date ({long_date(self.due_date)}) is before the "
                    f"start date ({long_date(self.start_date)})."
                }
            )
        if self.completed_on and self.start_date and self.completed_on < self.start_date:
            raise ValidationError(
                {"completed_on": "An action cannot be completed before it starts."}
            )
        if self.rag_override and not self.rag_override_reason.strip():
            raise ValidationError(
                {"rag_override_reason": "Give a reason for setting the status by hand."}
            )

    @property
    def partnership_id(self) -> int:
        return self.plan.partnership_id

    @property
    def inspection(self) -> Inspection:
        return self.plan.inspection

    @property
    def owner_display(self) -> str:
        if self.owner_user_id is not None:
            return self.owner_user.full_name if self.owner_user else self.owner_name
        return self.owner_name

    @property
    def owner_address(self) -> str:
        """The email reminders go to: the user account's, or the named person's."""
        if self.owner_user is not None:
            return self.owner_user.email
        return self.owner_email

    @property
    def milestone_list(self) -> list[Milestone]:
        """Milestones, from a ``Prefetch(..., to_attr="prefetched_milestones")`` when there."""
        prefetched: list[Milestone] | None = getattr(self, "prefetched_milestones", None)
        return prefetched if prefetched is not None else list(self.milestones.all())

    def derived_rag(self, today: date | None = None) -> Rag:
        """From dates and milestones (``milestones`` prefetched keeps this query-free)."""
        return derive_rag(
            due=self.due_date,
            completed=self.completed_on,
            milestones=[MilestoneDates(m.due_date, m.done_on) for m in self.milestone_list],
            today=today or timezone.localdate(),
        )

    @property
    def rag(self) -> Rag:
        return rag_with_override(self.derived_rag(), self.rag_override or None)

    @property
    def is_overridden(self) -> bool:
        return bool(self.rag_override) and self.rag is not self.derived_rag()

    @property
    def is_overdue(self) -> bool:
        return self.completed_on is None and self.due_date < timezone.localdate()


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=250)
    due_date = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["action", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def partnership_id(self) -> int:
        return self.action.plan.partnership_id

    @property
    def is_late(self) -> bool:
        return self.done_on is None and self.due_date < timezone.localdate()

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.action.plan.partnership_id}


class ActionUpdate(models.Model):
    """A dated status update on an action: together they are the action's history."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    narrative = models.TextField()
    rag = models.CharField(
        "status when written", max_length=10, choices=[(r.value, r.label) for r in Rag]
    )
    marks_complete = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action", "-date", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.date.day} {self.date:%b %Y}"

    @property
    def partnership_id(self) -> int:
        return self.action.plan.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.action.plan.partnership_id}


def update_upload_to(instance: ActionUpdateFile, filename: str) -> str:
    return f"improvement/{instance.update.action.plan_id}/{timezone.now():%Y%m}/{filename}"


class ActionUpdateFile(models.Model):
    """An attachment to an update, kept privately and served only after an authorisation check."""

    update = models.ForeignKey(ActionUpdate, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=update_upload_to, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["update", "original_name"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def partnership_id(self) -> int:
        return self.update.action.plan.partnership_id


# --- links to objects of other apps ------------------------------------------------------------


class GenericLink(models.Model):
    """A link to an object of any app (an indicator chart, record-reading results, a coded
    theme, an evidence item, an action), kept with a human label so it reads well even if the
    object is later removed."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    label = models.CharField(max_length=300)
    note = models.TextField(blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def url(self) -> str:
        """The linked object's page, when it has one."""
        target = self.target
        getter = getattr(target, "get_absolute_url", None)
        if getter is None:
            return ""
        try:
            return str(getter())
        except NoReverseMatch:
            return ""


class ActionMeasure(GenericLink):
    """How an action's success is measured: a linked indicator or qualitative theme."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="measures")

    class Meta:
        ordering = ["action", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "content_type", "object_id"], name="action_measure_once"
            )
        ]

    @property
    def partnership_id(self) -> int:
        return self.action.plan.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.action.plan.partnership_id}


# --- link-inspector monitoring -----------------------------------------------------------------


class Contact(models.Model):
    """A link inspector's contact with a partnership. Its notes are inspectorate-only; the
    partnership's timeline shows only the date and type."""

    class Kind(models.TextChoices):
        MEETING = "meeting", "Meeting"
        CALL = "call", "Call"
        OBSERVATION = "observation", "Observation of a group"
        DOCUMENT_REVIEW = "document_review", "Document review"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField()
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    participants = models.CharField("who took part", max_length=500)
    notes = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.date.day} {self.date:%b %Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class MonitoringNote(models.Model):
    """An internal note on progress against one area for improvement."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="monitoring_notes"
    )
    area = models.ForeignKey(
        AreaForImprovement, on_delete=models.PROTECT, related_name="monitoring_notes"
    )
    date = models.DateField()
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership", "-date", "-pk"]

    def __str__(self) -> str:
        return f"Note on {self.area} ({self.date.day} {self.date:%b %Y})"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class Concern(models.Model):
    """An inspectorate-only concern about a partnership, with its follow-up."""

    class Severity(models.TextChoices):
        LOW = "low", "Low"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        RESOLVED = "resolved", "Resolved"

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="concerns")
    raised_on = models.DateField()
    title = models.CharField(max_length=250)
    detail = models.TextField()
    severity = models.CharField(max_length=10, choices=Severity.choices)
    follow_up = models.TextField("follow-up agreed", blank=True)
    follow_up_by = models.DateField("follow up by", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolved_on = models.DateField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["partnership", "status", "-raised_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.follow_up_by and self.raised_on and self.follow_up_by < self.raised_on:
            raise ValidationError(
                {"follow_up_by": "The follow-up date is before the date the concern was raised."}
            )
        if self.resolved_on and self.raised_on and self.resolved_on < self.raised_on:
            raise ValidationError(
                {"resolved_on": "A concern cannot be resolved before it was raised."}
            )

    def follow_up_window(self) -> DateWindow:
        """Where the follow-up date may fall: from the day the concern was raised to five years
        from it. Measured from that day, not from today, so a concern raised and followed up
        in the past can still be recorded."""
        return DateWindow.ahead(
            self.raised_on,
            "the day the concern was raised",
            years=FOLLOW_UP_HORIZON_YEARS,
            start=self.raised_on,
        )

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


class SupportOffer(models.Model):
    """Support the link inspector offered the partnership (shown on its timeline)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="support_offers"
    )
    date = models.DateField()
    description = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["partnership", "-date", "-pk"]

    def __str__(self) -> str:
        return f"Support offered {self.date.day} {self.date:%b %Y}"

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


# --- progress reviews --------------------------------------------------------------------------


class ProgressLevel(models.Model):
    """One step of the progress scale. No official scale is published: the default levels are
    Scrutiny's own, shipped as data and editable by administrators."""

    order = models.PositiveSmallIntegerField(unique=True, help_text="1 is the most progress.")
    label = models.CharField(max_length=100, unique=True)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.label


class ProgressReview(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        QUALITY_ASSURANCE = "quality_assurance", "Quality assurance"
        SIGNED_OFF = "signed_off", "Signed off"
        PUBLISHED = "published", "Published"

    class FurtherScrutiny(models.TextChoices):
        NONE = "none", "No further review required"
        FURTHER_REVIEW = "further_review", "A further review"

    inspection = models.ForeignKey(
        Inspection, on_delete=models.PROTECT, related_name="progress_reviews"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="progress_reviews"
    )
    title = models.CharField(max_length=250)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    fieldwork_start = models.DateField(null=True, blank=True)
    fieldwork_end = models.DateField(null=True, blank=True)
    publication_date = models.DateField(null=True, blank=True)
    method = models.TextField(
        "how we carried out the review",
        blank=True,
        help_text="Report section 2, after the standard text.",
    )
    conclusion = models.TextField("overall conclusion", blank=True)
    further_scrutiny = models.CharField(
        "decision on further scrutiny", max_length=20, choices=FurtherScrutiny.choices, blank=True
    )
    further_review_date = models.DateField(null=True, blank=True)
    next_steps = models.TextField(
        "what happens next", blank=True, help_text="Report section 5, after the decision."
    )
    is_demonstration = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["partnership__name", "-created_at"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:review", args=[self.pk])

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}

    def clean(self) -> None:
        if (
            self.fieldwork_start
            and self.fieldwork_end
            and self.fieldwork_end < self.fieldwork_start
        ):
            raise ValidationError(
                {
                    "fieldwork_end": "The end of fieldwork is before its start: dates must be "
                    "in order."
                }
            )
        if (
            self.publication_date
            and self.fieldwork_end
            and self.publication_date < self.fieldwork_end
        ):
            raise ValidationError(
                {"publication_date": "The publication date is before the end of fieldwork."}
            )
        if self.further_scrutiny == self.FurtherScrutiny.FURTHER_REVIEW:
            if self.further_review_date is None:
                raise ValidationError(
                    {"further_review_date": "Give the date of the further review."}
                )
            since, what = self.further_review_not_before
            if self.further_review_date < since:
                raise ValidationError(
                    {
                        "further_review_date": f"The date of the further review "
                        f"({long_date(self.further_review_date)}) is before {what} "
                        f"({long_date(since)}): give a date on or after it."
                    }
                )
        elif self.further_review_date is not None:
            raise ValidationError(
                {"further_review_date": "A date is only given when a further review is decided."}
            )

    def fieldwork_window(self) -> DateWindow:
        """Where fieldwork may fall: from the publication of the report it follows up (the
        review starts from the published areas for improvement) to five years from today."""
        published = self.inspection.publication_date
        if published is not None:
            return DateWindow.ahead(
                published, "the inspection report's publication", years=FIELDWORK_HORIZON_YEARS
            )
        return DateWindow.ahead(
            EARLIEST_DATE, "the earliest date Scrutiny accepts", years=FIELDWORK_HORIZON_YEARS
        )

    @property
    def further_review_not_before(self) -> tuple[date, str]:
        """The day a further review cannot come before, and what it is: the end or start of this
        review's fieldwork, else the day the review was started. Not its publication: that is
        chosen when publishing, after sign-off has locked the further review's date, and must
        not become impossible because publication came late."""
        for day, what in (
            (self.fieldwork_end, "the end of this review's fieldwork"),
            (self.fieldwork_start, "the start of this review's fieldwork"),
        ):
            if day is not None:
                return day, what
        return timezone.localdate(self.created_at), "the day this review was started"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def progress_review(self) -> ProgressReview:
        return self


class ProgressReviewTeamMember(models.Model):
    """The review team, with the inspection team's roles."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="progress_review_roles",
    )
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=30, choices=TeamMember.Role.choices)
    scrutiny_body = models.CharField(max_length=150, default="Care Inspectorate")

    class Meta:
        ordering = ["review", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "user"],
                condition=models.Q(user__isnull=False),
                name="review_member_once",
            ),
            models.UniqueConstraint(
                fields=["review"],
                condition=models.Q(role="lead_inspector"),
                name="one_lead_per_progress_review",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"

    @property
    def progress_review(self) -> ProgressReview:
        return self.review

    @property
    def partnership_id(self) -> int:
        return self.review.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.review.partnership_id}


class ProgressFinding(models.Model):
    """The review's judgement of progress on one area for improvement."""

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="findings")
    area = models.ForeignKey(
        AreaForImprovement, on_delete=models.PROTECT, related_name="progress_findings"
    )
    level = models.ForeignKey(
        ProgressLevel, on_delete=models.PROTECT, null=True, blank=True, related_name="findings"
    )
    narrative = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        ordering = ["review", "area__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "area"], name="one_finding_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.level or 'not judged'}"

    @property
    def progress_review(self) -> ProgressReview:
        return self.review

    @property
    def partnership_id(self) -> int:
        return self.review.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.review.partnership_id}


class FindingEvidence(GenericLink):
    """What a finding rests on: actions, indicator charts, record reading, coded evidence."""

    finding = models.ForeignKey(
        ProgressFinding, on_delete=models.CASCADE, related_name="evidence_links"
    )

    class Meta:
        ordering = ["finding", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["finding", "content_type", "object_id"], name="finding_evidence_once"
            )
        ]

    @property
    def progress_review(self) -> ProgressReview:
        return self.finding.review

    @property
    def partnership_id(self) -> int:
        return self.finding.review.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.finding.review.partnership_id}


class ProgressReviewSignOff(models.Model):
    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", "Signed off"
        RETURNED = "returned", "Returned to the team"

    review = models.ForeignKey(ProgressReview, on_delete=models.CASCADE, related_name="signoffs")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    comments = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "at"]
        verbose_name = "progress review QA sign-off"

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.by}"


class ProgressReviewVersion(models.Model):
    """A published progress review, frozen (HTML and PDF). A correction publishes a new
    version with a visible note."""

    review = models.ForeignKey(ProgressReview, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    html = models.TextField()
    pdf = models.BinaryField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    correction_note = models.TextField(blank=True)

    class Meta:
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review} (version {self.number})"


# --- reminders ---------------------------------------------------------------------------------


class ReminderSent(models.Model):
    """What was emailed, so a scheduler running the command daily does not repeat itself."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Action due within 14 days"
        OVERDUE = "overdue", "Action overdue"
        DIGEST = "digest", "Link inspector's weekly digest"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.EmailField()
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    key = models.CharField(max_length=100, blank=True)
    sent_on = models.DateField()

    class Meta:
        ordering = ["-sent_on", "pk"]
        indexes = [models.Index(fields=["kind", "recipient", "sent_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.recipient} on {self.sent_on}"
