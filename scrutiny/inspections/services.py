"""Every write to an inspection. Each function runs in one transaction, checks its
preconditions and raises ``InspectionError`` with a message for people when they fail."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from scrutiny.accounts.models import User
from scrutiny.errors import ServiceError
from scrutiny.frameworks.models import QualityIndicator
from scrutiny.inspections.models import (
    KEY_DATES,
    AreaForImprovement,
    Evaluation,
    EvidenceFile,
    EvidenceItem,
    FactualAccuracyComment,
    GoodPractice,
    Inspection,
    KeyStrength,
    QASignOff,
    Status,
    StatusChange,
    TeamMember,
)
from scrutiny.inspections.structure import report_sections


class InspectionError(ServiceError):
    """A change that cannot be made, with what is missing or wrong."""


NOT_EDITABLE = "This inspection is published: its findings can only change through a correction."
GRADE_RANGE = "A grade must be a whole number from 1 (unsatisfactory) to 6 (excellent)."


def _titles(qis: Iterable[QualityIndicator]) -> str:
    return "; ".join(qi.label for qi in qis)


# --- creating and planning -------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    partnership: Any,
    title: str,
    model: str,
    lead_inspector: User,
    by: User,
    **dates: date | None,
) -> Inspection:
    from scrutiny.frameworks.models import Framework

    framework_slug = "hwawitl-2014" if model == "A" else "care-and-protection-2018"
    inspection = Inspection(
        partnership=partnership,
        title=title,
        model=model,
        framework_version=Framework.objects.get(slug=framework_slug).current_version,
        **dates,
    )
    inspection.full_clean()
    inspection.save()
    team_member_add(
        inspection=inspection,
        user=lead_inspector,
        name=lead_inspector.full_name,
        role=TeamMember.Role.LEAD_INSPECTOR,
    )
    return inspection


@transaction.atomic
def inspection_update(*, inspection: Inspection, **fields: Any) -> Inspection:
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.full_clean()
    inspection.save()
    return inspection


@transaction.atomic
def team_member_add(
    *,
    inspection: Inspection,
    role: str,
    user: User | None = None,
    name: str = "",
    scrutiny_body: str = "Care Inspectorate",
) -> TeamMember:
    if user is not None:
        if not user.is_inspectorate and role in ("lead_inspector", "inspector"):
            raise InspectionError("Lead inspectors and inspectors must be inspectorate staff.")
        if inspection.team.filter(user=user).exists():
            raise InspectionError(f"{user.full_name} is already on this inspection's team.")
        name = name or user.full_name
    if not name.strip():
        raise InspectionError("Give the team member's name.")
    if role == TeamMember.Role.LEAD_INSPECTOR and inspection.team.filter(role=role).exists():
        raise InspectionError("This inspection already has a lead inspector.")
    member = TeamMember(
        inspection=inspection, user=user, name=name.strip(), role=role, scrutiny_body=scrutiny_body
    )
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def team_member_remove(*, member: TeamMember) -> None:
    if member.role == TeamMember.Role.LEAD_INSPECTOR:
        raise InspectionError(
            "The lead inspector cannot be removed: make another team member the lead first."
        )
    member.delete()


@transaction.atomic
def team_lead_change(*, inspection: Inspection, member: TeamMember) -> TeamMember:
    """Make ``member`` the lead inspector; the current lead stays on the team as an inspector.
    Both changes are in the audit trail, with who made them."""
    if member.inspection_id != inspection.pk:
        raise InspectionError(f"{member.name} is not on this inspection's team.")
    if member.role == TeamMember.Role.LEAD_INSPECTOR:
        raise InspectionError(f"{member.name} is already the lead inspector.")
    if member.user is None or not member.user.is_inspectorate or not member.user.is_active:
        raise InspectionError(
            f"{member.name} cannot lead: the lead inspector must be inspectorate staff with a "
            "Scrutiny account."
        )
    for current in inspection.team.select_for_update().filter(role=TeamMember.Role.LEAD_INSPECTOR):
        current.role = TeamMember.Role.INSPECTOR
        current.save(update_fields=["role"])
    member.role = TeamMember.Role.LEAD_INSPECTOR
    member.save(update_fields=["role"])
    return member


# --- status transitions ----------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(Status.PLANNED, Status.NOTIFIED, "Notify the partnership"),
    Transition(Status.NOTIFIED, Status.EVIDENCE, "Start gathering evidence"),
    Transition(Status.EVIDENCE, Status.EVALUATING, "Start evaluating"),
    Transition(Status.EVALUATING, Status.QUALITY_ASSURANCE, "Submit to quality assurance"),
    Transition(
        Status.QUALITY_ASSURANCE, Status.FACTUAL_ACCURACY, "Send the draft to the partnership"
    ),
)


def next_transition(inspection: Inspection) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == inspection.status:
            return transition
    return None


def missing_for(inspection: Inspection, target: str) -> list[str]:
    """What stops ``inspection`` moving to ``target``; empty when it can."""
    missing: list[str] = []
    if target == Status.NOTIFIED:
        if inspection.notification_date is None:
            missing.append("The notification date is not set.")
        if not inspection.team.filter(role=TeamMember.Role.LEAD_INSPECTOR).exists():
            missing.append("The inspection has no lead inspector.")
    elif target == Status.EVIDENCE:
        if inspection.return_due_date is None:
            missing.append("The date the pre-inspection return is due is not set.")
    elif target == Status.EVALUATING:
        if not inspection.evidence.exists():
            missing.append("The evidence log is empty.")
        if inspection.records_review_date is None:
            missing.append("The records review date is not set.")
    elif target == Status.QUALITY_ASSURANCE:
        missing.extend(_evaluation_gaps(inspection))
        if not inspection.key_strengths.exists():
            missing.append("There are no key strengths.")
        if not inspection.areas_for_improvement.exists():
            missing.append("There are no areas for improvement.")
        missing.extend(_text_gaps(inspection))
    elif target == Status.FACTUAL_ACCURACY:
        latest = inspection.qa_signoffs.order_by("-at").first()
        if latest is None or latest.decision != QASignOff.Decision.SIGNED_OFF:
            missing.append("Quality assurance has not signed off the draft.")
    elif target == Status.PUBLISHED:
        missing.extend(_evaluation_gaps(inspection))
        missing.extend(_text_gaps(inspection))
        pending = inspection.factual_accuracy_comments.filter(
            response=FactualAccuracyComment.Response.PENDING
        ).count()
        if pending:
            missing.append(
                f"{pending} factual accuracy comment{'s' if pending != 1 else ''} "
                f"{'have' if pending != 1 else 'has'} no response."
            )
    return missing


# The report's sections written by the team as one text each (the others are generated, or
# lists checked on their own).
WRITTEN_SECTIONS = {"context": "context", "conclusion": "conclusion"}


def _text_gaps(inspection: Inspection) -> list[str]:
    empty = [
        section.heading
        for section in report_sections(inspection)
        if section.key in WRITTEN_SECTIONS
        and not getattr(inspection, WRITTEN_SECTIONS[section.key]).strip()
    ]
    if not empty:
        return []
    sections = "1 report section has" if len(empty) == 1 else f"{len(empty)} report sections have"
    return [f"{sections} no text: {'; '.join(empty)}."]


def _count_qis(count: int) -> str:
    return f"{count} QI has" if count == 1 else f"{count} QIs have"


def _evaluation_gaps(inspection: Inspection) -> list[str]:
    qis = list(inspection.evaluated_qis())
    evaluations = {
        e.qi_id: e for e in inspection.evaluations.prefetch_related("evidence").filter(qi__in=qis)
    }
    ungraded = [qi for qi in qis if qi.pk not in evaluations or evaluations[qi.pk].grade is None]
    no_narrative = [
        qi
        for qi in qis
        if qi.pk in evaluations
        and evaluations[qi.pk].grade is not None
        and not evaluations[qi.pk].narrative.strip()
    ]
    no_evidence = [
        qi
        for qi in qis
        if qi.pk in evaluations
        and evaluations[qi.pk].grade is not None
        and not evaluations[qi.pk].evidence.all()
    ]
    gaps = []
    for group, what in (
        (ungraded, "no grade"),
        (no_narrative, "no evaluative narrative"),
        (no_evidence, "no evidence linked"),
    ):
        if group:
            gaps.append(f"{_count_qis(len(group))} {what}: {_titles(group)}.")
    return gaps


def _day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


def _record_date(inspection: Inspection, name: str, day: date) -> str:
    """Record that the step of key date ``name`` happened on ``day``, replacing the planned
    date. Earlier steps have happened by then, so a planned date of theirs later than ``day``
    becomes ``day`` too: the dates stay in order. Returns what changed, for the history."""
    names = [key for key, _ in KEY_DATES]
    earlier = names[: names.index(name)]
    labels = dict(KEY_DATES)
    planned = getattr(inspection, name)
    changes = []
    if planned != day:
        setattr(inspection, name, day)
        changes.append(f"planned {_day(planned)}" if planned else "no date was planned")
    for step in earlier:
        value = getattr(inspection, step)
        if value is not None and value > day:
            setattr(inspection, step, day)
            changes.append(f"{labels[step]} date {_day(value)} brought forward to {_day(day)}")
    if changes:
        inspection.save(update_fields=[name, *earlier])
    return "; ".join(changes)[:300]


def _record(inspection: Inspection, target: str, by: User, note: str = "") -> None:
    StatusChange.objects.create(
        inspection=inspection, from_status=inspection.status, to_status=target, by=by, note=note
    )
    inspection.status = target
    inspection.save(update_fields=["status"])


@transaction.atomic
def inspection_advance(*, inspection: Inspection, by: User) -> Inspection:
    """Move to the next status (up to factual accuracy; publishing is its own service)."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    transition = next_transition(locked)
    if transition is None:
        raise InspectionError(
            f"An inspection at '{locked.get_status_display()}' cannot move on from here."
        )
    missing = missing_for(locked, transition.target)
    if missing:
        raise InspectionError(
            f"It cannot move to '{Status(transition.target).label}' yet:", missing=missing
        )
    note = ""
    if transition.target == Status.FACTUAL_ACCURACY:
        note = _record_date(locked, "draft_date", timezone.localdate())
    _record(locked, transition.target, by, note=note)
    inspection.refresh_from_db()
    return inspection


@transaction.atomic
def inspection_mark_published(
    *, inspection: Inspection, by: User, on: date | None = None
) -> Inspection:
    """The status change of publishing, recording the day of publication (today, or ``on`` for
    a report published before Scrutiny held it). Called by publishing, which also freezes the
    report."""
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Status.FACTUAL_ACCURACY:
        raise InspectionError(
            "Only an inspection at factual accuracy can be published; this one is at "
            f"'{locked.get_status_display()}'."
        )
    missing = missing_for(locked, Status.PUBLISHED)
    if missing:
        raise InspectionError("It cannot be published yet:", missing=missing)
    note = _record_date(locked, "publication_date", on or timezone.localdate())
    _record(locked, Status.PUBLISHED, by, note=note)
    inspection.refresh_from_db()
    return inspection


def _require_editable(inspection: Inspection) -> None:
    if inspection.status == Status.PUBLISHED:
        raise InspectionError(NOT_EDITABLE)


# --- evidence --------------------------------------------------------------------------------

ALLOWED_TYPES: dict[str, tuple[str, bytes | None]] = {
    ".pdf": ("application/pdf", b"%PDF"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
    ".pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        b"PK\x03\x04",
    ),
    ".csv": ("text/csv", None),
    ".txt": ("text/plain", None),
    ".png": ("image/png", b"\x89PNG"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}


@dataclass(frozen=True)
class Upload:
    name: str
    size: int
    stream: IO[bytes]


def check_upload(upload: Upload) -> tuple[str, str]:
    """Return (extension, content type) or raise with what is allowed."""
    limit = settings.SCRUTINY_MAX_UPLOAD_MB * 1024 * 1024
    extension = PurePath(upload.name).suffix.lower()
    if extension not in ALLOWED_TYPES:
        allowed = ", ".join(sorted(e.lstrip(".").upper() for e in ALLOWED_TYPES))
        raise InspectionError(
            f"{upload.name}: files of this type cannot be attached. Attach one of: {allowed}."
        )
    if upload.size > limit:
        raise InspectionError(
            f"{upload.name} is {upload.size / 1024 / 1024:.1f} MB: the limit is "
            f"{settings.SCRUTINY_MAX_UPLOAD_MB} MB."
        )
    if upload.size == 0:
        raise InspectionError(f"{upload.name} is empty.")
    content_type, magic = ALLOWED_TYPES[extension]
    head = upload.stream.read(8)
    upload.stream.seek(0)
    if magic is not None and not head.startswith(magic):
        raise InspectionError(
            f"{upload.name} does not look like a {extension.lstrip('.').upper()} file: "
            "its contents do not match its name."
        )
    if magic is None and b"\x00" in head:
        raise InspectionError(f"{upload.name} is not a text file.")
    return extension, content_type


@transaction.atomic
def evidence_add(
    *,
    inspection: Inspection,
    kind: str,
    date: date,
    source: str,
    summary: str,
    qis: Iterable[QualityIndicator],
    by: User,
    uploads: Sequence[Upload] = (),
) -> EvidenceItem:
    _require_editable(inspection)
    if date > timezone.localdate():
        raise InspectionError(
            f"The evidence date ({_day(date)}) is in the future: give the day the evidence was "
            "gathered."
        )
    qis = list(qis)
    if not qis:
        raise InspectionError("Link the evidence to at least one quality indicator.")
    foreign = [qi for qi in qis if qi.version_id != inspection.framework_version_id]
    if foreign:
        raise InspectionError(f"Not in this inspection's framework: {_titles(foreign)}.")
    checked = [(upload, *check_upload(upload)) for upload in uploads]
    item = EvidenceItem(
        inspection=inspection, kind=kind, date=date, source=source, summary=summary, created_by=by
    )
    item.full_clean()
    item.save()
    item.qis.set(qis)
    for upload, _, content_type in checked:
        digest = hashlib.sha256()
        while chunk := upload.stream.read(1 << 20):
            digest.update(chunk)
        upload.stream.seek(0)
        stored = EvidenceFile(
            evidence_item=item,
            original_name=PurePath(upload.name).name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest.hexdigest(),
        )
        stored.file.save(
            f"{digest.hexdigest()[:16]}{PurePath(upload.name).suffix.lower()}",
            File(upload.stream),
            save=False,
        )
        stored.save()
    return item


@transaction.atomic
def evidence_delete(*, item: EvidenceItem) -> None:
    _require_editable(item.inspection)
    if item.evaluations.exists():
        names = _titles(e.qi for e in item.evaluations.select_related("qi"))
        raise InspectionError(f"Evaluations rest on this evidence ({names}): unlink it first.")
    for stored in item.files.all():
        stored.file.delete(save=False)
    item.delete()


# --- evaluations and findings ----------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    *,
    inspection: Inspection,
    qi: QualityIndicator,
    grade: int | None,
    narrative: str,
    evidence: Iterable[EvidenceItem],
    by: User,
) -> Evaluation:
    # After publication, edits prepare a correction: the public keeps the frozen report
    # until a new version is published with a note.
    _require_findings_editable(inspection)
    if not inspection.status_reached(Status.EVIDENCE):
        raise InspectionError("Evaluations start once evidence gathering has begun.")
    if qi not in inspection.evaluated_qis():
        raise InspectionError(f"'{qi.label}' is not evaluated in this inspection's model.")
    if grade is not None and not (isinstance(grade, int) and 1 <= grade <= 6):
        raise InspectionError(GRADE_RANGE)
    evidence = list(evidence)
    foreign = [e for e in evidence if e.inspection_id != inspection.pk]
    if foreign:
        raise InspectionError("Evidence from another inspection cannot be linked.")
    evaluation, _ = Evaluation.objects.get_or_create(inspection=inspection, qi=qi)
    evaluation.grade = grade
    evaluation.narrative = narrative.strip()
    evaluation.updated_by = by
    evaluation.updated_at = timezone.now()
    try:
        evaluation.full_clean()
    except ValidationError as exc:
        raise InspectionError("; ".join(exc.messages)) from None
    evaluation.save()
    evaluation.evidence.set(evidence)
    return evaluation


FINDINGS_LOCKED_AT_QA = (
    "The draft is with quality assurance: findings are locked until it is signed off or returned."
)
FINDINGS_LOCKED_AT_FA = (
    "The draft is with the partnership for factual accuracy: findings change only to apply an "
    "accepted comment. Accept the comment first, then make the change."
)


def _require_findings_editable(inspection: Inspection) -> None:
    """Findings are locked while quality assurance reads the draft. At factual accuracy they
    change to correct the draft, once the team has accepted a comment saying what is wrong:
    the comment, its reason and the audit trail record why the draft changed."""
    if inspection.status == Status.QUALITY_ASSURANCE:
        raise InspectionError(FINDINGS_LOCKED_AT_QA)
    if (
        inspection.status == Status.FACTUAL_ACCURACY
        and not inspection.factual_accuracy_comments.filter(
            response=FactualAccuracyComment.Response.ACCEPTED
        ).exists()
    ):
        raise InspectionError(FINDINGS_LOCKED_AT_FA)


@transaction.atomic
def key_strength_add(*, inspection: Inspection, text: str) -> KeyStrength:
    _require_findings_editable(inspection)
    if not text.strip():
        raise InspectionError("Write the key strength.")
    order = (
        inspection.key_strengths.order_by("-order").values_list("order", flat=True).first() or 0
    ) + 1
    return KeyStrength.objects.create(inspection=inspection, order=order, text=text.strip())


@transaction.atomic
def key_strength_delete(*, strength: KeyStrength) -> None:
    _require_findings_editable(strength.inspection)
    strength.delete()


@transaction.atomic
def area_for_improvement_save(
    *,
    inspection: Inspection,
    title: str,
    text: str,
    qis: Iterable[QualityIndicator],
    area: AreaForImprovement | None = None,
) -> AreaForImprovement:
    _require_findings_editable(inspection)
    qis = list(qis)
    if not title.strip() or not text.strip():
        raise InspectionError("An area for improvement needs a title and its text.")
    if not qis:
        raise InspectionError("Say which quality indicators the area for improvement relates to.")
    if area is None:
        number = (
            inspection.areas_for_improvement.order_by("-number")
            .values_list("number", flat=True)
            .first()
            or 0
        ) + 1
        area = AreaForImprovement(inspection=inspection, number=number)
    area.title = title.strip()
    area.text = text.strip()
    area.full_clean()
    area.save()
    area.qis.set(qis)
    return area


@transaction.atomic
def area_for_improvement_delete(*, area: AreaForImprovement) -> None:
    """Delete and renumber the rest so numbers stay 1, 2, 3…"""
    inspection = area.inspection
    _require_findings_editable(inspection)
    if inspection.status == Status.PUBLISHED:
        raise InspectionError(NOT_EDITABLE)
    area.delete()
    for number, remaining in enumerate(inspection.areas_for_improvement.order_by("number"), 1):
        if remaining.number != number:
            AreaForImprovement.objects.filter(pk=remaining.pk).update(number=number)


@transaction.atomic
def good_practice_add(*, inspection: Inspection, title: str, text: str) -> GoodPractice:
    _require_findings_editable(inspection)
    if not title.strip() or not text.strip():
        raise InspectionError("A good practice example needs a title and a description.")
    return GoodPractice.objects.create(
        inspection=inspection, title=title.strip(), text=text.strip()
    )


@transaction.atomic
def good_practice_delete(*, example: GoodPractice) -> None:
    _require_findings_editable(example.inspection)
    example.delete()


# --- quality assurance and factual accuracy ----------------------------------------------------


def qa_signed_off(inspection: Inspection) -> QASignOff | None:
    """The sign-off of the draft now at quality assurance, if QA has signed it off (the latest
    decision: a return starts the next submission afresh)."""
    latest = inspection.qa_signoffs.select_related("by").order_by("-at", "-pk").first()
    if latest is not None and latest.decision == QASignOff.Decision.SIGNED_OFF:
        return latest
    return None


@transaction.atomic
def qa_signoff_record(
    *, inspection: Inspection, by: User, decision: str, comments: str
) -> QASignOff:
    locked = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if locked.status != Status.QUALITY_ASSURANCE:
        raise InspectionError("Only a draft at quality assurance can be signed off or returned.")
    latest = qa_signed_off(locked)
    if latest is not None:
        raise InspectionError(
            f"Quality assurance has already signed off this draft ({latest.by}, "
            f"{_day(timezone.localdate(latest.at))}): it goes to the partnership next."
        )
    if decision == QASignOff.Decision.RETURNED and not comments.strip():
        raise InspectionError("Say why the draft is returned, so the team knows what to change.")
    signoff = QASignOff.objects.create(
        inspection=locked, decision=decision, by=by, comments=comments.strip()
    )
    today = timezone.localdate()
    if decision == QASignOff.Decision.SIGNED_OFF and (
        locked.qa_panel_date is None or locked.qa_panel_date > today
    ):
        # The panel has met: a later planned date gives way to the day of its sign-off.
        _record_date(locked, "qa_panel_date", today)
    if decision == QASignOff.Decision.RETURNED:
        _record(locked, Status.EVALUATING, by, note="Returned by quality assurance")
    inspection.refresh_from_db()
    return signoff


@transaction.atomic
def factual_accuracy_comment_add(
    *, inspection: Inspection, section: str, comment: str, by: User
) -> FactualAccuracyComment:
    if inspection.status != Status.FACTUAL_ACCURACY:
        raise InspectionError(
            "Comments on factual accuracy are taken while the draft is with the partnership."
        )
    if not comment.strip():
        raise InspectionError("Write the comment.")
    return FactualAccuracyComment.objects.create(
        inspection=inspection, section=section, comment=comment.strip(), by=by
    )


@transaction.atomic
def factual_accuracy_respond(
    *, comment: FactualAccuracyComment, accept: bool, reason: str, by: User
) -> FactualAccuracyComment:
    if comment.response != FactualAccuracyComment.Response.PENDING:
        raise InspectionError("This comment already has a response; responses are kept as given.")
    if not reason.strip():
        raise InspectionError("Give a reason for accepting or declining the comment.")
    comment.response = (
        FactualAccuracyComment.Response.ACCEPTED
        if accept
        else FactualAccuracyComment.Response.DECLINED
    )
    comment.reason = reason.strip()
    comment.responded_by = by
    comment.responded_at = timezone.now()
    comment.save()
    return comment
