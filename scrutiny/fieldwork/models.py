"""Fieldwork: the pre-inspection return, the record sample, record reading and surveys.

Child-level rows (children on the return, answers) are written in bulk by the services, so they
are not registered with the audit log one by one; the return, the sample, each reading and each
survey import are, and `AccessLogEntry` records who opened child-level pages and exports.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from scrutiny.dates import long_date
from scrutiny.fieldwork.returns import AT_HOME, AWAY_FROM_HOME, LISTS
from scrutiny.inspections.models import EvidenceItem, Inspection

OURS = (
    "Written for Scrutiny as a starting point; it is not the inspectorate's official tool. "
    "Administrators can load a new version."
)


class InInspection(models.Model):
    """Something that belongs to an inspection, and so to its partnership (for the rules)."""

    class Meta:
        abstract = True

    @property
    def partnership_id(self) -> int:
        inspection: Inspection = cast(Any, self).inspection
        return inspection.partnership_id

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.partnership_id}


# --- the pre-inspection return -------------------------------------------------------------


class ListKind(models.TextChoices):
    CP_REGISTER = LISTS[0].code, LISTS[0].label
    INVESTIGATED = LISTS[1].code, LISTS[1].label
    LOOKED_AFTER = LISTS[2].code, LISTS[2].label
    VULNERABLE_YOUNG_PERSON = LISTS[3].code, LISTS[3].label
    CARE_AND_RISK_MANAGEMENT = LISTS[4].code, LISTS[4].label


class PreInspectionReturn(InInspection):
    """One upload of the return. The latest upload is the inspection's current return."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="returns")
    as_at = models.DateField("as at", help_text="The date the lists describe.")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    children_count = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["inspection", "-uploaded_at", "-pk"]
        verbose_name = "pre-inspection return"

    def __str__(self) -> str:
        return f"Pre-inspection return as at {long_date(self.as_at)} ({self.original_name})"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:return", args=[self.inspection_id])


class ReturnChild(models.Model):
    """One child on one list of a return. No direct identifiers: see the data dictionary."""

    pi_return = models.ForeignKey(
        PreInspectionReturn, on_delete=models.CASCADE, related_name="children"
    )
    list_kind = models.CharField("list", max_length=30, choices=ListKind.choices)
    child_id = models.CharField("child ID", max_length=40)
    birth_month = models.DateField(null=True, blank=True)
    age_band = models.CharField(max_length=10, blank=True)
    sex = models.CharField(max_length=10, blank=True)
    team = models.CharField(max_length=100, blank=True)
    start_date = models.DateField()
    placement_type = models.CharField(max_length=30, blank=True)
    placement_start = models.DateField(null=True, blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveIntegerField()

    class Meta:
        ordering = ["pi_return", "list_kind", "child_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["pi_return", "list_kind", "child_id"], name="return_child_once_per_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id} ({self.get_list_kind_display()})"

    @property
    def inspection(self) -> Inspection:
        return self.pi_return.inspection

    @property
    def placement(self) -> str:
        if self.list_kind != ListKind.LOOKED_AFTER:
            return ""
        return AT_HOME if self.placement_type == "home" else AWAY_FROM_HOME


# --- reading templates ---------------------------------------------------------------------


class AnswerType(models.TextChoices):
    SIX_POINT = "six_point", "Six-point scale"
    YES_PARTLY_NO = "yes_partly_no", "Yes / partly / no / not applicable"
    SINGLE_CHOICE = "single_choice", "Single choice"
    NUMBER = "number", "Number"
    FREE_TEXT = "free_text", "Free text"


SIX_POINT_OPTIONS = (
    ("6", "6 Excellent"),
    ("5", "5 Very good"),
    ("4", "4 Good"),
    ("3", "3 Adequate"),
    ("2", "2 Weak"),
    ("1", "1 Unsatisfactory"),
)
YES_PARTLY_NO_OPTIONS = (
    ("yes", "Yes"),
    ("partly", "Partly"),
    ("no", "No"),
    ("not_applicable", "Not applicable"),
)


class ReadingTemplate(models.Model):
    """A record-reading template, versioned: a version in use is never changed."""

    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    notice = models.TextField(default=OURS, help_text="Who wrote it and on what authority.")
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="reading_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:template", args=[self.pk])


class TemplateSection(models.Model):
    template = models.ForeignKey(ReadingTemplate, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["template", "order"]

    def __str__(self) -> str:
        return self.title


class TemplateQuestion(models.Model):
    template = models.ForeignKey(
        ReadingTemplate, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=80)
    text = models.CharField(max_length=400)
    help_text = models.TextField(blank=True)
    answer_type = models.CharField(max_length=20, choices=AnswerType.choices)
    choices = models.JSONField(default=list, blank=True, help_text="For single choice: labels.")
    qi_key = models.SlugField(
        "quality indicator key",
        max_length=80,
        blank=True,
        help_text="The QI this question is evidence for (its key, the same in every version).",
    )

    class Meta:
        ordering = ["template", "order"]
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="template_question_key")
        ]

    def __str__(self) -> str:
        return self.text

    def options(self) -> tuple[tuple[str, str], ...]:
        """(value, label) for the answers a reader can choose; empty for number and text."""
        if self.answer_type == AnswerType.SIX_POINT:
            return SIX_POINT_OPTIONS
        if self.answer_type == AnswerType.YES_PARTLY_NO:
            return YES_PARTLY_NO_OPTIONS
        if self.answer_type == AnswerType.SINGLE_CHOICE:
            return tuple((str(choice), str(choice)) for choice in self.choices)
        return ()


# --- the sample and the reading ------------------------------------------------------------


class MinimumSource(models.TextChoices):
    """Where a sample's minimum per stratum comes from."""

    RECORDED = "recorded", "Recorded when the sample was drawn"
    ALLOCATION = "allocation", "Worked out from the allocation"
    DEFAULT = "default", "Not known: the default is shown"


class Sample(InInspection):
    """The records drawn for reading: the same return, size, strata, minimum per stratum and
    seed draw the same records again."""

    inspection = models.OneToOneField(Inspection, on_delete=models.CASCADE, related_name="sample")
    pi_return = models.ForeignKey(
        PreInspectionReturn, on_delete=models.PROTECT, related_name="samples"
    )
    population = models.PositiveIntegerField(help_text="Children in the return (each once).")
    size = models.PositiveIntegerField()
    suggested_size = models.PositiveIntegerField()
    confidence = models.FloatField(default=0.9)
    margin = models.FloatField(default=0.15)
    strata = models.JSONField(default=list, help_text="Columns whose values define the strata.")
    minimum = models.PositiveIntegerField(
        "minimum per stratum", default=0, help_text="Records guaranteed to each stratum."
    )
    minimum_source = models.CharField(
        max_length=20, choices=MinimumSource.choices, default=MinimumSource.RECORDED
    )
    seed = models.BigIntegerField()
    allocation = models.JSONField(default=list)
    template = models.ForeignKey(ReadingTemplate, on_delete=models.PROTECT, related_name="samples")
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(default=timezone.now)
    evidence_item = models.OneToOneField(
        EvidenceItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="record_sample",
    )

    def __str__(self) -> str:
        return f"Sample of {self.size} records from {self.population}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:sample", args=[self.inspection_id])


class ReadingPair(InInspection):
    """An inspector and a local reader (a partnership account, or a named person)."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="reading_pairs"
    )
    number = models.PositiveSmallIntegerField()
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    local_reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    local_reader_name = models.CharField(max_length=150)

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "number"], name="reading_pair_number")
        ]

    def __str__(self) -> str:
        return f"Pair {self.number}: {self.inspector} and {self.local_reader_name}"


class SampledRecord(InInspection):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="records")
    child = models.ForeignKey(ReturnChild, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=10)
    stratum = models.CharField(max_length=200)
    pair = models.ForeignKey(
        ReadingPair, on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    moderate = models.BooleanField(
        default=False, help_text="Chosen for a second reading (moderation)."
    )

    class Meta:
        ordering = ["sample", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "reference"], name="sampled_reference"),
            models.UniqueConstraint(fields=["sample", "child"], name="sampled_once"),
        ]

    def __str__(self) -> str:
        return f"Record {self.reference}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:reading-record", args=[self.sample.inspection_id, self.pk])

    @property
    def inspection(self) -> Inspection:
        return self.sample.inspection


class Reading(InInspection):
    """One reading of one record; a second reading (moderation) is kept beside the first."""

    record = models.ForeignKey(SampledRecord, on_delete=models.CASCADE, related_name="readings")
    is_moderation = models.BooleanField(default=False)
    template = models.ForeignKey(ReadingTemplate, on_delete=models.PROTECT, related_name="+")
    pair = models.ForeignKey(
        ReadingPair, on_delete=models.SET_NULL, null=True, blank=True, related_name="readings"
    )
    readers = models.CharField(max_length=300, help_text="Who read the record.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["record", "is_moderation"]
        constraints = [
            models.UniqueConstraint(fields=["record", "is_moderation"], name="reading_once")
        ]

    def __str__(self) -> str:
        kind = "Moderation reading" if self.is_moderation else "Reading"
        return f"{kind} of {self.record}"

    @property
    def inspection(self) -> Inspection:
        return self.record.sample.inspection


class Answer(models.Model):
    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(TemplateQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=200, blank=True, help_text="The option or number.")
    text = models.TextField(blank=True, help_text="A free-text answer.")

    class Meta:
        ordering = ["reading", "question__order"]
        constraints = [models.UniqueConstraint(fields=["reading", "question"], name="answer_once")]

    def __str__(self) -> str:
        return self.value or self.text[:60]

    @property
    def inspection(self) -> Inspection:
        return self.reading.inspection

    def get_additional_data(self) -> dict[str, Any]:
        return {"partnership_id": self.reading.partnership_id}


# --- surveys ---------------------------------------------------------------------------------


class Audience(models.TextChoices):
    STAFF = "staff", "Staff"
    CHILDREN = "children", "Children and young people (8 to 15)"
    PARENTS = "parents", "Parents and carers"


class QuestionKind(models.TextChoices):
    LIKERT = "likert", "Agreement (five points and don't know)"
    SINGLE_CHOICE = "single_choice", "Single choice"
    FREE_TEXT = "free_text", "Free text"


class Purpose(models.TextChoices):
    NONE = "", "—"
    AGENCY = "agency", "Agency (for breakdowns)"
    ROLE = "role", "Role (for breakdowns)"


LIKERT_OPTIONS = (
    ("strongly_agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly_disagree", "Strongly disagree"),
    ("dont_know", "Don't know"),
)


class SurveyInstrument(models.Model):
    slug = models.SlugField(max_length=80)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    description = models.TextField(blank=True)
    notice = models.TextField(default=OURS)

    class Meta:
        ordering = ["audience", "slug", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="instrument_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:instrument", args=[self.pk])


class InstrumentQuestion(models.Model):
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="questions"
    )
    order = models.PositiveSmallIntegerField()
    key = models.SlugField(max_length=80)
    text = models.CharField(max_length=400)
    help_text = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    choices = models.JSONField(default=list, blank=True)
    purpose = models.CharField(max_length=10, choices=Purpose.choices, blank=True, default="")
    qi_key = models.SlugField(max_length=80, blank=True)

    class Meta:
        ordering = ["instrument", "order"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "key"], name="instrument_question_key")
        ]

    def __str__(self) -> str:
        return self.text

    def options(self) -> tuple[tuple[str, str], ...]:
        if self.kind == QuestionKind.LIKERT:
            return LIKERT_OPTIONS
        if self.kind == QuestionKind.SINGLE_CHOICE:
            return tuple((str(choice), str(choice)) for choice in self.choices)
        return ()


class Survey(InInspection):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="surveys")
    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.PROTECT, related_name="surveys"
    )
    title = models.CharField(max_length=200)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    evidence_item = models.OneToOneField(
        EvidenceItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey",
    )

    class Meta:
        ordering = ["inspection", "instrument__audience", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:survey", args=[self.pk])


class ColumnMapping(models.Model):
    """How the columns of a survey tool's export map to an instrument's questions. Saved so the
    next file with the same headers is mapped the same way."""

    instrument = models.ForeignKey(
        SurveyInstrument, on_delete=models.CASCADE, related_name="mappings"
    )
    signature = models.CharField(max_length=64, help_text="SHA-256 of the normalised headers.")
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, help_text="Header → question key, or a role.")
    day_first = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["instrument", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "signature"], name="mapping_per_headers")
        ]

    def __str__(self) -> str:
        return f"Column mapping for {self.instrument} ({len(self.headers)} columns)"


class PendingSurveyImport(InInspection):
    """An uploaded export waiting for its columns to be mapped; deleted once imported."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="pending_imports")
    original_name = models.CharField(max_length=255)
    text = models.TextField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "-uploaded_at"]

    def __str__(self) -> str:
        return f"Upload of {self.original_name}"

    @property
    def inspection(self) -> Inspection:
        return self.survey.inspection


class SurveyImport(InInspection):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    original_name = models.CharField(max_length=255)
    responses = models.PositiveIntegerField()
    mapping = models.ForeignKey(
        ColumnMapping, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["survey", "-imported_at"]

    def __str__(self) -> str:
        plural = "" if self.responses == 1 else "s"
        return f"{self.responses} response{plural} from {self.original_name}"

    @property
    def inspection(self) -> Inspection:
        return self.survey.inspection


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    survey_import = models.ForeignKey(
        SurveyImport, on_delete=models.CASCADE, null=True, blank=True, related_name="rows"
    )
    submitted_at = models.DateTimeField()
    agency = models.CharField(max_length=200, blank=True)
    role = models.CharField(max_length=200, blank=True)
    source_id = models.CharField(
        max_length=200,
        blank=True,
        default="",
        help_text="The survey tool's ID for the response (blank if the export gave none): a "
        "later export is cumulative, and responses already imported are recognised by it.",
    )

    class Meta:
        ordering = ["survey", "submitted_at", "pk"]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(InstrumentQuestion, on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["response", "question__order"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once")
        ]

    def __str__(self) -> str:
        return self.value or self.text[:60]
