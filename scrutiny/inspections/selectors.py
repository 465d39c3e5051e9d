"""Reads for inspections: the workspace, the timeline against the week plan, the QA panel."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, IntegerField, Model, QuerySet, Value, When
from django.utils import timezone
from django.utils.text import capfirst

from scrutiny.accounts.selectors import AuditRow, audit_rows
from scrutiny.analysis.grades import GradeCheck, grade_check
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import (
    REPORT_TEXT_FIELDS,
    AreaForImprovement,
    Evaluation,
    EvidenceItem,
    GoodPractice,
    Inspection,
    KeyStrength,
    Status,
    TeamMember,
)


# The standard week plan (2025): week numbers counted from notification in week 1.
@dataclass(frozen=True)
class PlanStep:
    week: int
    label: str
    field: str | None
    done_at: str  # the status the inspection has reached once the step is done


WEEK_PLAN: tuple[PlanStep, ...] = (
    PlanStep(1, "Notification", "notification_date", Status.NOTIFIED),
    PlanStep(3, "Pre-inspection return due", "return_due_date", Status.NOTIFIED),
    PlanStep(4, "Documents in, surveys open", None, Status.EVIDENCE),
    PlanStep(8, "Records review", "records_review_date", Status.EVALUATING),
    PlanStep(12, "On-site", "onsite_date", Status.EVALUATING),
    PlanStep(
        17, "Quality and consistency panel, first draft", "qa_panel_date", Status.QUALITY_ASSURANCE
    ),
    PlanStep(20, "Draft (embargoed) to the partnership", "draft_date", Status.FACTUAL_ACCURACY),
    PlanStep(21, "Publication", "publication_date", Status.PUBLISHED),
)


@dataclass(frozen=True)
class TimelineRow:
    step: PlanStep
    standard: date | None
    planned: date | None
    done: bool
    late: bool
    behind_plan: bool


def _happened(inspection: Inspection, step: PlanStep, today: date) -> bool:
    """Whether a step is done, from what Scrutiny holds about it: the return imported, documents
    logged or a survey opened, a sign-off recorded, a transition made; a visit once its day has
    passed (and the inspection has got that far)."""
    if step.field == "return_due_date":
        # fieldwork's returns (by relation name: inspections imports no other app)
        returns = getattr(inspection, "returns", None)
        return bool(returns is not None and returns.exists())
    if not inspection.status_reached(step.done_at):
        return False
    if step.field is None:  # documents in, surveys open
        surveys = getattr(inspection, "surveys", None)
        return inspection.evidence.exists() or bool(
            surveys is not None and surveys.filter(opens_on__lte=today).exists()
        )
    if step.field in ("records_review_date", "onsite_date"):
        day = getattr(inspection, step.field)
        return day is not None and day < today
    if step.field == "qa_panel_date":
        return inspection.status_reached(Status.FACTUAL_ACCURACY) or (
            inspection.qa_signoffs.filter(decision="signed_off").exists()
        )
    return True


def inspection_timeline(*, inspection: Inspection, today: date | None = None) -> list[TimelineRow]:
    """Each step of the week plan: its standard date (from notification), the planned date
    (the actual one once the draft is sent or the report published), whether it is done (from
    what happened, see ``_happened``), and whether it is late."""
    today = today or timezone.localdate()
    start = inspection.notification_date
    rows = []
    for step in WEEK_PLAN:
        standard = start + timedelta(weeks=step.week - 1) if start else None
        planned = getattr(inspection, step.field) if step.field else None
        done = _happened(inspection, step, today)
        due = planned or standard
        rows.append(
            TimelineRow(
                step=step,
                standard=standard,
                planned=planned,
                done=done,
                late=not done and due is not None and due < today,
                behind_plan=bool(planned and standard and planned > standard),
            )
        )
    return rows


@dataclass(frozen=True)
class EvaluationRow:
    qi: QualityIndicator
    evaluation: Evaluation | None


def evaluation_rows(*, inspection: Inspection) -> list[EvaluationRow]:
    evaluations = {
        e.qi_id: e for e in inspection.evaluations.select_related("qi").prefetch_related("evidence")
    }
    return [
        EvaluationRow(qi=qi, evaluation=evaluations.get(qi.pk))
        for qi in inspection.evaluated_qis().select_related("group")
    ]


def evidence_log(*, inspection: Inspection) -> QuerySet[EvidenceItem]:
    """The inspection's evidence, each item with the survey or record sample it summarises
    (``survey``, ``record_sample``: fieldwork's links to it), if any."""
    return inspection.evidence.select_related(
        "created_by", "survey", "record_sample"
    ).prefetch_related("qis", "files")


TEAM_ORDER = [
    TeamMember.Role.LEAD_INSPECTOR,
    TeamMember.Role.INSPECTOR,
    TeamMember.Role.ASSOCIATE_ASSESSOR,
    TeamMember.Role.YOUNG_INSPECTION_VOLUNTEER,
]


def team(*, inspection: Inspection) -> QuerySet[TeamMember]:
    """The team, lead inspector first, then inspectors, assessors and volunteers."""
    rank = Case(
        *[When(role=role, then=Value(index)) for index, role in enumerate(TEAM_ORDER)],
        output_field=IntegerField(),
    )
    return inspection.team.select_related("user").order_by(rank, "name")


@dataclass(frozen=True)
class PanelRow:
    qi: QualityIndicator
    grade: int | None
    narrative: str
    distribution: dict[int, int]  # grade → number of published evaluations
    published_total: int
    below: int  # published grades lower than this draft's
    same: int
    check: GradeCheck | None
    grade_names: dict[int, str] = field(default_factory=dict)  # score → "Good"

    @property
    def columns(self) -> list[tuple[int, str, int]]:
        """(grade, its name, published evaluations with it), best first, for the table."""
        return [
            (grade, self.grade_names.get(grade, ""), count)
            for grade, count in self.distribution.items()
        ]

    @property
    def grade_text(self) -> str:
        """The draft grade as people say it: "4 (Good)"."""
        if self.grade is None:
            return "none yet"
        name = self.grade_names.get(self.grade)
        return f"{self.grade} ({name})" if name else str(self.grade)

    @property
    def position(self) -> str:
        if self.grade is None:
            return "No grade yet."
        if not self.published_total:
            return "No published grades for this QI to compare with."
        above = self.published_total - self.below - self.same
        grades = "grade" if self.published_total == 1 else "grades"
        return (
            f"Of {self.published_total} published {grades} for this indicator, {self.below} "
            f"{'is' if self.below == 1 else 'are'} lower than this draft's, {self.same} the same "
            f"and {above} higher."
        )


def qa_panel(*, inspection: Inspection) -> list[PanelRow]:
    """The draft's grades beside the grades for the same QI across all published inspections."""
    rows = evaluation_rows(inspection=inspection)
    keys = [row.qi.key for row in rows]
    published = Evaluation.objects.filter(
        inspection__status=Status.PUBLISHED,
        qi__key__in=keys,
        qi__version__framework=inspection.framework_version.framework,
        grade__isnull=False,
    ).exclude(inspection=inspection)
    by_key: dict[str, Counter[int]] = {key: Counter() for key in keys}
    for key, grade in published.values_list("qi__key", "grade"):
        if grade is not None:
            by_key[key][grade] += 1
    names = {
        level.score: level.grade
        for level in inspection.framework_version.framework.scale.levels.all()
    }
    panel = []
    for row in rows:
        counts = by_key[row.qi.key]
        grade = row.evaluation.grade if row.evaluation else None
        narrative = row.evaluation.narrative if row.evaluation else ""
        panel.append(
            PanelRow(
                qi=row.qi,
                grade=grade,
                narrative=narrative,
                distribution={g: counts.get(g, 0) for g in range(6, 0, -1)},
                published_total=sum(counts.values()),
                below=sum(n for g, n in counts.items() if grade is not None and g < grade),
                same=counts[grade] if grade is not None else 0,
                check=grade_check(grade, narrative) if grade is not None else None,
                grade_names=names,
            )
        )
    return panel


# What the draft report shows of each record: changes to other fields (who saved last, key
# dates, the status) are not changes to the draft.
DRAFT_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Inspection: ("title", *REPORT_TEXT_FIELDS),
    Evaluation: ("qi", "grade", "narrative"),
    KeyStrength: ("text",),
    AreaForImprovement: ("number", "title", "text"),
    GoodPractice: ("title", "text"),
}


@dataclass(frozen=True)
class DraftChanges:
    sent_at: datetime | None  # when the draft went to the partnership (None: not yet)
    rows: list[AuditRow]


def draft_changes(*, inspection: Inspection) -> DraftChanges:
    """The changes to the draft report since it was last sent to the partnership for factual
    accuracy, from the audit trail, oldest first."""
    sent = (
        inspection.status_changes.filter(to_status=Status.FACTUAL_ACCURACY)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    if sent is None:
        return DraftChanges(sent_at=None, rows=[])
    types = ContentType.objects.get_for_models(*DRAFT_FIELDS)
    labels = {
        types[model].pk: {
            capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))
            for name in names
        }
        for model, names in DRAFT_FIELDS.items()
    }
    entries = (
        LogEntry.objects.filter(
            additional_data__inspection_id=inspection.pk,
            content_type__in=list(types.values()),
            timestamp__gte=sent,
        )
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )
    published = (
        inspection.status_changes.filter(to_status=Status.PUBLISHED, at__gte=sent)
        .values_list("at", flat=True)
        .first()
    )
    if published is not None:  # later changes belong to corrections, not to the draft
        entries = entries.filter(timestamp__lt=published)
    rows = []
    for row in audit_rows(entries=entries):
        wanted = labels[row.entry.content_type_id]
        changes = [change for change in row.changes if change.label in wanted]
        if changes:
            rows.append(AuditRow(entry=row.entry, changes=changes))
    return DraftChanges(sent_at=sent, rows=rows)
